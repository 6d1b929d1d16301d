"""The demo's reset removes its own state only, never other homes kept inside the default var/."""

from __future__ import annotations

from medshare.config import Settings
from medshare.demo import STATE_DIRS, reset_state


def test_reset_keeps_other_homes_and_the_cache(tmp_path):
    cfg = Settings(home=tmp_path / "var", cache=tmp_path / ".cache", kafka_port=24192, kafka_controller_port=24193)
    for name in STATE_DIRS:
        (cfg.home / name).mkdir(parents=True)
        (cfg.home / name / "x").write_text("state")
    nested = cfg.home / "test" / "kafka"
    nested.mkdir(parents=True)
    cfg.cache.mkdir()
    reset_state(cfg)
    assert not any((cfg.home / name).exists() for name in STATE_DIRS)
    assert nested.exists() and cfg.cache.exists()
