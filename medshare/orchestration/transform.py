"""``lab_transform``: the cosmos configuration that turns the dbt project into Airflow tasks.

astronomer-cosmos renders ``transforms/`` (the lab's dbt project) as one task per model run and
one test task per model after it (``TestBehavior.AFTER_EACH``), so a failing model or test is
visible, retried and cleared on its own. The DAG is parsed from dbt's ``manifest.json``
(``LoadMode.DBT_MANIFEST``): parsing the DAG file then reads one JSON file and runs nothing —
no ``dbt ls`` subprocess, no database, no Airflow Variable cache. :func:`ensure_manifest` makes
the manifest with ``dbt parse`` (which opens no database connection); ``medshare airflow up``
and the tests call it, and so should a deployment's build step.

The dbt profile (``transforms/profiles.yml``) reads everything from the environment; the
variables passed to the tasks are those of :func:`medshare.lab.dbt.dbt_env` without any secret
(a Postgres lab's password must be in the worker's environment, never in the DAG).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from medshare.config import PROJECT_ROOT, Settings, settings

PROJECT_DIR = PROJECT_ROOT / "transforms"
PROFILE = "medshare_lab"


def manifest_path(cfg: Settings | None = None) -> Path:
    """Where ``dbt parse`` writes the manifest (``DBT_TARGET_PATH`` of :func:`medshare.lab.dbt.dbt_env`)."""
    return (cfg or settings()).lab_dir / "dbt" / "target" / "manifest.json"


def ensure_manifest(cfg: Settings | None = None, force: bool = False) -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than a file of the project."""
    from medshare.lab import dbt

    cfg = cfg or settings()
    path = manifest_path(cfg)
    if not force and path.exists():
        newest = max(p.stat().st_mtime for p in PROJECT_DIR.rglob("*") if p.is_file()
                     and "target" not in p.parts and "logs" not in p.parts)
        if path.stat().st_mtime >= newest:
            return path
    dbt.run(["parse"], cfg)
    return path


def _env(cfg: Settings) -> dict[str, str]:
    from medshare.lab.dbt import dbt_env

    # no target/log paths: cosmos runs each task in a temporary copy of the project
    return {k: v for k, v in dbt_env(cfg).items()
            if "PASSWORD" not in k and k not in ("DBT_TARGET_PATH", "DBT_LOG_PATH")}


def task_group_kwargs(cfg: Settings | None = None) -> dict[str, Any]:
    """Keyword arguments of a cosmos ``DbtTaskGroup`` over the lab project (cheap: reads files only)."""
    from cosmos import ExecutionConfig, LoadMode, ProfileConfig, ProjectConfig, RenderConfig, TestBehavior

    from medshare.lab.dbt import default_target

    cfg = cfg or settings()
    manifest = manifest_path(cfg)
    if not manifest.exists():
        raise FileNotFoundError(f"no dbt manifest at {manifest}: run `medshare airflow up` (or "
                                "`python -m medshare.orchestration.transform`) to make it with `dbt parse`")
    return {
        "project_config": ProjectConfig(dbt_project_path=PROJECT_DIR, manifest_path=manifest_path(cfg),
                                        project_name=PROFILE, env_vars=_env(cfg)),
        "profile_config": ProfileConfig(profile_name=PROFILE, target_name=default_target(cfg),
                                        profiles_yml_filepath=PROJECT_DIR / "profiles.yml"),
        "execution_config": ExecutionConfig(dbt_executable_path=str(Path(sys.executable).parent / "dbt")),
        "render_config": RenderConfig(load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.AFTER_EACH,
                                      should_detach_multiple_parents_tests=True,
                                      emit_datasets=False),
        "operator_args": {"install_deps": False, "full_refresh": False},
    }


if __name__ == "__main__":  # python -m medshare.orchestration.transform: (re)make the manifest
    print(ensure_manifest(force=True))
