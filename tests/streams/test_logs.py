"""Processor logs as JSON lines carry the message and the counters as fields."""

from __future__ import annotations

import json
import logging

from streams.logs import JsonFormatter


def test_json_formatter_includes_context():
    rec = logging.LogRecord("medshare.streams", logging.INFO, __file__, 1, "router: consumed=%d", (5,), None)
    rec.ctx = {"processor": "router", "consumed": 5}
    out = json.loads(JsonFormatter().format(rec))
    assert out["msg"] == "router: consumed=5" and out["level"] == "info"
    assert out["processor"] == "router" and out["consumed"] == 5
    assert out["ts"].endswith("Z")
