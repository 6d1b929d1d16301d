"""The runtime's status file: written on every change of state, else at most every ``status_every_s``."""

from __future__ import annotations

import json

from medshare.config import Settings
from streams import runtime
from streams.runtime import Runner, RunOptions, status_dir


class Named:
    name, inputs = "t", ("platform.settlements.v2",)


def test_status_is_throttled_while_running_but_every_change_is_written(tmp_path, monkeypatch):
    cfg = Settings(home=tmp_path, kafka_port=23998)
    clock = [100.0]
    monkeypatch.setattr(runtime.time, "monotonic", lambda: clock[0])
    r = Runner(Named(), RunOptions(status_every_s=0.5), cfg)
    path = status_dir(cfg) / "t-0.json"

    def written() -> tuple[str, int]:
        d = json.loads(path.read_text())
        return d["state"], d["consumed"]

    r.counters.consumed = 1
    r._status("running")
    assert written() == ("running", 1)
    r.counters.consumed = 2
    clock[0] += 0.1
    r._status("running")  # within 0.5 s of the last write: not written
    assert written() == ("running", 1)
    r._status("idle")  # a change of state: written at once
    assert written() == ("idle", 2)
    r.counters.consumed = 3
    clock[0] += 0.1
    r._status("running")
    assert written() == ("running", 3)
    r.counters.consumed = 4
    clock[0] += 0.6
    r._status("running")  # 0.5 s passed
    assert written() == ("running", 4)
