"""Run a processor instance that joins its consumer group only when told to (the cluster test).

    python delayed_processor.py READY_FILE GO_FILE NAME INSTANCE BATCH_SIZE

Builds the processor as ``medshare run`` does (same handler, same runtime), writes READY_FILE, then
waits for GO_FILE before its consumer joins the group. On a busy two-core machine a processor's
start-up takes tens of seconds, which would decide when the second instance joins; this lets the
test choose the moment. SIGTERM before GO_FILE exits 0 at once; after it, as ``medshare run``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    ready, go, name, instance, batch = argv
    from medshare.config import settings
    from streams.logs import configure
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions, tune_gc

    configure(f"{name}[{instance}]", "text")
    cfg = settings()
    runner = Runner(factory(name)(cfg), RunOptions(max_records=int(batch), instance=instance), cfg)
    runner.install_signal_handlers()
    tune_gc()
    Path(ready).touch()
    while not Path(go).exists():
        if runner._stop:
            return 0
        time.sleep(0.05)
    runner.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
