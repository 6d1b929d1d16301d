"""Commands of this group are added by the part of medshare that owns them (see docs/conventions.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the medshare app."""
