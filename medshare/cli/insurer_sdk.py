"""``medshare insurer decrypt``: the insurer-side SDK (:mod:`privacy.sdk`) on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from medshare.cli.output import JSON_OPTION

if TYPE_CHECKING:
    from privacy.sdk import InsurerDecryptor

_EPILOG = (
    "Example: medshare insurer consume hhb | medshare insurer decrypt hhb -  "
    "(records one JSON object per line; identity fields arrive as mse1.… envelopes)"
)


def decrypt_cmd(
    code: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    file: str = typer.Argument("-", help="JSON-lines file of records, or - for standard input."),
    topic: str | None = typer.Option(
        None, help="Topic the records were read from (bound into every ciphertext); "
        "default insurer.CODE.claims.v1."),
    record_id_field: str | None = typer.Option(
        None, help="Field holding the record id the envelopes are bound to (default: per record - claim_id "
        "for a claim result, note_id for a note, revoke.setl_id for a 2208 revocation, else setl_id)."),
    key_dir: Path | None = typer.Option(
        None, help="The insurer's folder holding keys/v<N>.key (default MEDSHARE_HOME/insurers/CODE)."),
    passphrase_env: str | None = typer.Option(
        None, help="Environment variable holding the private keys' passphrase "
        "(default: MEDSHARE_KEY_PASSPHRASE if set)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Decrypt every mse1 envelope in JSON records read one per line; write them one per line.

    A record that fails is reported on stderr with its line number and field (never its content)
    and not written; the command then exits 1. With --json each output line is
    {"line", "ok": true, "record", "decrypted": [field paths]} or {"line", "ok": false, "error"}.
    """
    import json
    import sys

    from medshare import topics
    from medshare.errors import UserError

    try:
        topic = topic or topics.insurer_claims(code)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    dec = _decryptor(code, key_dir, passphrase_env)
    try:
        stream = sys.stdin if file == "-" else open(file, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror}") from None
    failures = 0
    try:
        for lineno, line in enumerate(stream, 1):
            if line.strip():
                result = _decrypt_line(dec, line, lineno, topic, record_id_field)
                failures += not result["ok"]
                if as_json:
                    typer.echo(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
                elif result["ok"]:
                    typer.echo(json.dumps(result["record"], ensure_ascii=False, separators=(",", ":")))
                else:
                    typer.echo(f"line {lineno}: {result['error']}", err=True)
    finally:
        if stream is not sys.stdin:
            stream.close()
    if failures:
        raise UserError(f"{failures} record(s) could not be decrypted")


def _decryptor(code: str, key_dir: Path | None, passphrase_env: str | None) -> InsurerDecryptor:
    import os

    from medshare.config import settings
    from medshare.errors import UserError
    from privacy.exceptions import KeyManagementError
    from privacy.sdk import InsurerDecryptor

    cfg = settings()
    passphrase: bytes | None = None
    if passphrase_env:
        if passphrase_env not in os.environ:
            raise UserError(f"environment variable {passphrase_env} is not set")
        passphrase = os.environ[passphrase_env].encode("utf-8")
    elif cfg.key_passphrase is not None:
        passphrase = cfg.key_passphrase.get_secret_value().encode("utf-8")
    try:
        return InsurerDecryptor.from_dir(key_dir or cfg.insurers_dir / code, passphrase, key_id=code)
    except KeyManagementError as exc:
        raise UserError(str(exc)) from None


def _decrypt_line(dec: InsurerDecryptor, line: str, lineno: int, topic: str, id_field: str | None
                  ) -> dict[str, Any]:
    import json

    from medshare.insurer_client import record_id_field
    from privacy.exceptions import DecryptionError
    from privacy.sdk import envelope_paths

    try:
        record = json.loads(line)
    except ValueError as exc:
        return {"line": lineno, "ok": False, "error": f"not JSON: {exc}"}
    if not isinstance(record, dict):
        return {"line": lineno, "ok": False, "error": "not a JSON object"}
    try:
        out = dec.decrypt_record(record, topic, record_id_field=id_field or record_id_field(record))
    except DecryptionError as exc:
        return {"line": lineno, "ok": False, "error": str(exc)}
    return {"line": lineno, "ok": True, "record": out, "decrypted": envelope_paths(record)}


def register(app: typer.Typer) -> None:
    """Add ``decrypt`` to the ``insurer`` group (defined in medshare.cli.insurer)."""
    from medshare.cli.insurer import insurer_app

    insurer_app.command("decrypt", epilog=_EPILOG)(decrypt_cmd)
