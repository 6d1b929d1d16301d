"""tests/claims: the evaluator, the state store and the claims processor on the real broker.

Broker tests run with their own home and ports, e.g.::

    MEDSHARE_HOME=$PWD/var/test-claims MEDSHARE_KAFKA_PORT=22092 MEDSHARE_KAFKA_CONTROLLER_PORT=22093 \
        .venv/bin/pytest tests/claims
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent / "streams"):  # test_claims_engine's helpers; pipeline_helpers
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
