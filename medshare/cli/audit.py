"""``medshare audit``: the disclosure log — who received which field of whose record, when, why.

A thin layer over :mod:`privacy.audit`; docs/audit.md describes the log and its guarantees.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from medshare.cli.output import JSON_OPTION, emit_json

audit_app = typer.Typer(
    help="The disclosure log: query a person's, an insurer's or a consent's disclosures; verify the chain.",
    no_args_is_help=True,
)

DB_OPTION = typer.Option(
    None, "--db",
    help="Audit store URL (default: MEDSHARE_STATE_URL, else the SQLite file state/audit.sqlite in the home).",
)


def _open(db: str | None, checkpoint: Path | None = None, no_checkpoint: bool = False):
    from medshare.config import settings
    from medshare.errors import UserError
    from privacy.audit import AuditStore, default_checkpoint, default_url
    from privacy.consent import safe_url

    url = db or default_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise UserError(f"no audit store at {url.removeprefix('sqlite:///')}: run the audit sink first "
                        "(medshare run audit-sink)")
    # the home's checkpoint belongs to the home's store; for another store, only when asked
    cp = None if no_checkpoint else (checkpoint or (default_checkpoint(settings()) if db is None else None))
    try:
        return AuditStore(url, checkpoint=cp)
    except Exception as exc:  # noqa: BLE001 - any driver error is about the user's database URL or file
        first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["unknown error"])[0]
        raise UserError(f"cannot open the audit store at {safe_url(url)}: {first}") from None


def _parse_time(value: str | None, option: str) -> datetime | None:
    """ISO 8601 time or date; without an offset it is Shanghai time (+08:00)."""
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


def _fields(fields: Any) -> str:
    if isinstance(fields, dict):
        return ", ".join(f"{k}={v}" for k, v in fields.items())
    if isinstance(fields, list):
        return ", ".join(fields)
    return ""


def _emit(entries: list, as_json: bool, what: str) -> None:
    if as_json:
        emit_json({"count": len(entries), "entries": [e.as_dict() for e in entries]})
        return
    if not entries:
        typer.echo(f"no disclosures {what}")
        return
    typer.echo(f"{len(entries)} disclosure(s) {what}:")
    for e in entries:
        ident = e.record_id if e.kind == "record" else f"release {e.release_id}"
        basis = f"consent {e.consent_id}" if e.consent_id else (e.event.get("basis") or "")
        typer.echo(f"  #{e.seq} {e.disclosed_at}  {e.insurer}/{e.purpose}  {e.dataset}  {ident}  {basis}  "
                   f"agreement {e.agreement_id} {e.agreement_version or ''}".rstrip())
        if e.fields:
            typer.echo(f"      fields: {_fields(e.fields)}")


@audit_app.command(
    "person",
    epilog="Example: medshare audit person 310101199001011234 --json   |   medshare audit person --person-no 3100000000012345",
)
def person_cmd(
    resident_id: str | None = typer.Argument(None, help="The person's 18-character resident ID (身份证号)."),
    person_no: str | None = typer.Option(None, "--person-no", help="Look up by 医保个人编号 instead (or as well)."),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Every disclosure of one person's records. The ID is pseudonymised to look it up; the log never holds it."""
    from contracts.formats import is_valid_resident_id
    from medshare.errors import UserError
    from privacy.audit import person_refs

    if not resident_id and not person_no:
        raise UserError("give a RESIDENT_ID or --person-no")
    rid = resident_id.strip().upper() if resident_id else None
    if rid and not is_valid_resident_id(rid):
        raise UserError("RESIDENT_ID is not a valid 18-character resident ID (GB 11643 check digit)")
    try:
        resident_ref, person_ref = person_refs(rid, person_no.strip() if person_no else None)
    except FileNotFoundError as exc:
        raise UserError(f"{exc}: nothing has been audited in this home") from None
    with _open(db) as store:
        entries = store.by_person(resident_ref=resident_ref, person_ref=person_ref)
    _emit(entries, as_json, "of this person")


@audit_app.command(
    "insurer", epilog="Example: medshare audit insurer hhb --since 2026-03-01 --until 2026-04-01 --json"
)
def insurer_cmd(
    code: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    since: str | None = typer.Option(None, "--since", help="From this time (inclusive; ISO 8601, +08:00 if no offset)."),
    until: str | None = typer.Option(None, "--until", help="Before this time (exclusive)."),
    on: str = typer.Option("disclosed", "--on", help="Which time --since/--until apply to: disclosed or event."),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Every disclosure to one insurer, in the order logged."""
    from medshare.errors import UserError

    if on not in ("disclosed", "event"):
        raise UserError(f"--on {on!r}: use disclosed or event")
    start, end = _parse_time(since, "--since"), _parse_time(until, "--until")
    with _open(db) as store:
        entries = store.by_insurer(code, start, end, on=on)  # type: ignore[arg-type]
    _emit(entries, as_json, f"to {code}")


@audit_app.command("consent", epilog="Example: medshare audit consent CS000123 --json")
def consent_cmd(
    consent_id: str = typer.Argument(..., help="The consent (个人授权) id the disclosures relied on."),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Every disclosure made on the strength of one consent."""
    with _open(db) as store:
        entries = store.by_consent(consent_id)
    _emit(entries, as_json, f"under consent {consent_id}")


@audit_app.command("verify", epilog="Example: medshare audit verify --json")
def verify_cmd(
    db: str | None = DB_OPTION,
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="Head checkpoint file to check against (default: the home's, for the home's store)."
    ),
    no_checkpoint: bool = typer.Option(False, "--no-checkpoint", help="Check the chain only."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Walk the hash chain; exit 1 naming the first altered, removed or reordered entry."""
    from medshare.errors import UserError

    if checkpoint is not None and not checkpoint.is_file():
        raise UserError(f"{checkpoint}: no such checkpoint file")
    with _open(db, checkpoint, no_checkpoint) as store:
        result = store.verify()
    if as_json:
        emit_json(result.as_dict())
    elif result.ok:
        cp = " and matches the checkpoint" if result.checkpoint else ""
        typer.echo(f"ok: {result.entries} entries, chain intact{cp}; head #{result.head_seq} {result.head_hash}")
    else:
        for p in result.problems[:20]:
            typer.secho(f"  {p.kind}: {p.message}", fg=typer.colors.RED, err=True)
    if not result.ok:
        first = result.first
        assert first is not None
        raise UserError(f"audit chain broken at entry #{first.seq}: {first.message}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the medshare app."""
    app.add_typer(audit_app, name="audit")
