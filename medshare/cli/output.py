"""Shared output helpers for commands: JSON for machines, plain lines for people."""

from __future__ import annotations

import json
from typing import Any

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON.")


def emit_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str))
