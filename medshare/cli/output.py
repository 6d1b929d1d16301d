"""Shared output helpers for commands: JSON for machines, plain lines for people."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON.")


def emit_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def parse_time(value: str | None, option: str) -> datetime | None:
    """An option's ISO 8601 time or date; without an offset it is Shanghai time (+08:00)."""
    from medshare.errors import UserError
    from privacy.agreements import SHANGHAI

    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} {value!r} is not an ISO 8601 time, e.g. 2026-03-05 or "
                        "2026-03-05T10:21:07+08:00") from None
    return t if t.tzinfo else t.replace(tzinfo=SHANGHAI)
