"""Entry point of the ``medshare`` command.

Each command group lives in its own module with a ``register(app)`` function; this module only
assembles them, so ``medshare --help`` stays fast (heavy imports happen inside commands).
"""

from __future__ import annotations

import importlib
import sys

import typer

from medshare.errors import UserError

#: command modules, in the order ``--help`` lists them (operators, insurers, compliance)
COMMAND_MODULES = (
    "medshare.cli.demo",
    "medshare.cli.broker",
    "medshare.cli.topics",
    "medshare.cli.insurer",
    "medshare.cli.insurer_sdk",
    "medshare.cli.simulate",
    "medshare.cli.platform",
    "medshare.cli.run",
    "medshare.cli.contracts",
    "medshare.cli.quarantine",
    "medshare.cli.agreements",
    "medshare.cli.consent",
    "medshare.cli.keys",
    "medshare.cli.deid",
    "medshare.cli.audit",
    "medshare.cli.lab",
    "medshare.cli.report",
    "medshare.cli.lineage",
    "medshare.cli.claims",
    "medshare.cli.airflow",
)

app = typer.Typer(
    name="medshare",
    help="Lawful sharing of Shanghai medical-insurance data with commercial insurers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    try:
        app()
    except UserError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(1)
