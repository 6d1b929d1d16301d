"""``medshare deid``: try the free-text de-identifier on any text (compliance officers, engineers).

``medshare deid text`` reads notes one per line on stdin and writes each de-identified on its own
line, identifiers replaced by ``<TYPE>`` tags (docs/deid.md). With ``--json`` each output line is
one JSON object: the redacted text, the spans found (offsets into the input line, type, score —
never the identifier itself), the counts by type and, when the residual-risk check found
something shaped like an identifier after redaction (redacted too, as ``<ID_NUMBER>``), its rule
and offsets.
"""

from __future__ import annotations

import typer

deid_app = typer.Typer(
    help="Free-text de-identification of Chinese notes (offline; Presidio-compatible).", no_args_is_help=True
)

_EPILOG = (
    "Example: echo '患者张伟，联系电话13812345678，家住上海市徐汇区漕溪北路88弄3号1202室。' | "
    "medshare deid text --json"
)


@deid_app.command("text", epilog=_EPILOG)
def text_cmd(
    names: list[str] = typer.Option(
        [],
        "--name",
        "-n",
        help="A name known to belong to the record (repeatable); found wherever it appears.",
    ),
    as_json: bool = typer.Option(
        False,
        "--json",
        help="One JSON object per line: redacted text, spans (offsets, type, score), counts, residual findings.",
    ),
) -> None:
    """De-identify notes read one per line on stdin; write them one per line on stdout."""
    import json
    import sys

    from medshare.errors import UserError

    if sys.stdin.isatty():
        typer.secho("reading notes from stdin, one per line (Ctrl-D to end)…", err=True, dim=True)
    from privacy.deid import get_deidentifier

    try:
        deid = get_deidentifier()
    except (ImportError, OSError) as exc:
        raise UserError(f"the de-identifier could not be built: {exc}") from None
    for raw in sys.stdin:
        line = raw.rstrip("\r\n")
        result = deid.redact(line, known_names=names)
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")))
        else:
            typer.echo(result.text)


def register(app: typer.Typer) -> None:
    """Add the ``deid`` group to the medshare app."""
    app.add_typer(deid_app, name="deid")
