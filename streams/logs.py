"""Logging for the processors: one line per event, as text for people or JSON for log pipelines."""

from __future__ import annotations

import json
import logging
import os
import time


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...extra}`` per line; extras come from ``extra={"ctx": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        ctx = getattr(record, "ctx", None)
        if isinstance(ctx, dict):
            out.update(ctx)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(processor: str, fmt: str | None = None, level: str | None = None) -> None:
    """Set up the root logger for a processor process (``fmt``: text or json; env MEDSHARE_LOG_FORMAT)."""
    fmt = fmt or os.environ.get("MEDSHARE_LOG_FORMAT", "text")
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(f"%(asctime)s {processor} %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("MEDSHARE_LOG_LEVEL", "INFO"))
    logging.getLogger("kafka").setLevel(logging.WARNING)
