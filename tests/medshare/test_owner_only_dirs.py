"""``private_dir``: what medshare creates is owner-only; a shared directory it is given stays shared."""

from __future__ import annotations

import stat

from medshare.config import private_dir


def _mode(p) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_a_created_directory_and_its_parents_are_owner_only(tmp_path):
    leaf = private_dir(tmp_path / "a" / "b")
    assert _mode(leaf) == 0o700 and _mode(tmp_path / "a") == 0o700


def test_an_existing_own_directory_is_tightened(tmp_path):
    d = tmp_path / "state"
    d.mkdir(mode=0o755)
    d.chmod(0o755)
    private_dir(d)
    assert _mode(d) == 0o700


def test_a_shared_sticky_directory_like_tmp_is_left_as_it_is(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    private_dir(shared)
    assert _mode(shared) == 0o1777
    assert _mode(private_dir(shared / "run")) == 0o700


def test_the_simulator_does_not_close_the_parent_of_a_folder_it_is_given(tmp_path):
    from medshare.simulate import SimConfig, run_simulation

    parent = tmp_path / "out"
    parent.mkdir()
    parent.chmod(0o755)
    run_simulation(SimConfig(persons=5, days=1), run_dir=parent / "run", kafka=False, batch=False)
    assert _mode(parent) == 0o755
    assert _mode(parent / "run") == 0o700
