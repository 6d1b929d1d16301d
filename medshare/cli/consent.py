"""``medshare consent``: the consent registry (个人授权) — check, history, load."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION, emit_json, parse_time

consent_app = typer.Typer(
    help="The consent registry (个人授权): may a person's records go to an insurer for a purpose?",
    no_args_is_help=True,
)

DB_OPTION = typer.Option(
    None, "--db", help="Registry database URL (default: MEDSHARE_STATE_URL or the SQLite file in the home)."
)


def _open(db: str | None):
    from medshare.config import settings
    from medshare.errors import UserError
    from privacy.consent import ConsentRegistry, safe_url

    url = db or settings().state_database
    try:
        return ConsentRegistry.open(url)
    except Exception as exc:  # noqa: BLE001 - any driver error is about the user's database URL or file
        first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["unknown error"])[0]
        raise UserError(f"cannot open the consent registry at {safe_url(url)}: {first}") from None


@consent_app.command(
    "check",
    epilog="Example: medshare consent check 3100000000012345 hhb claims --at 2026-03-05T10:21:07+08:00",
)
def check_cmd(
    person_no: str = typer.Argument(..., help="医保个人编号 of the person."),
    insurer: str = typer.Argument(..., help="Insurer code, e.g. hhb."),
    purpose: str = typer.Argument(..., help="claims, actuarial or supervision."),
    at: str | None = typer.Option(None, "--at", help="Time of the record to disclose (default: now)."),
    now: str | None = typer.Option(
        None, "--now", help="Decision time for strict expiry: a consent expired by then allows nothing."
    ),
    category: list[str] = typer.Option(
        [], "--category", "-c", help="Data category the record is in (repeat)."
    ),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Answer: may this person's record go to INSURER for PURPOSE? Prints the consent or the reason."""
    from medshare.errors import UserError
    from privacy.agreements import DATA_CATEGORIES, PURPOSES, SHANGHAI

    if purpose not in PURPOSES:
        raise UserError(f"purpose {purpose!r} is unknown: use one of {', '.join(PURPOSES)}")
    bad = [c for c in category if c not in DATA_CATEGORIES]
    if bad:
        raise UserError(f"data category {bad[0]!r} is unknown: use one of {', '.join(DATA_CATEGORIES)}")
    when = parse_time(at, "--at") or datetime.now(SHANGHAI)
    decided = parse_time(now, "--now")
    with _open(db) as registry:
        d = registry.check(person_no, insurer, purpose, when, tuple(category), now=decided)
    if as_json:
        emit_json(
            {
                "person_no": person_no,
                "insurer": insurer,
                "purpose": purpose,
                "at": when.isoformat(),
                "allowed": d.allowed,
                "consent_id": d.consent_id,
                "reason": d.reason,
            }
        )
    elif d.allowed:
        typer.echo(f"allowed: consent {d.consent_id} is in force")
    else:
        typer.echo(f"denied: {d.reason}")


@consent_app.command(
    "history", epilog="Example: medshare consent history 3100000000012345 --insurer hhb --json"
)
def history_cmd(
    person_no: str = typer.Argument(..., help="医保个人编号 of the person."),
    insurer: str | None = typer.Option(None, "--insurer", help="Only this insurer."),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """A person's consents (granted, revoked, when applied) and the events behind them."""
    with _open(db) as registry:
        events = registry.history(person_no, insurer)
        consents = registry.consents(person_no, insurer)
    if as_json:
        emit_json({"consents": [c.as_dict() for c in consents], "events": [e.as_dict() for e in events]})
        return
    if not events:
        typer.echo(f"no consent events for {person_no}")
        return
    typer.echo("consents:")
    for c in consents:
        valid = f"{c.valid_from.isoformat() if c.valid_from else '?'} .. {c.valid_to.isoformat() if c.valid_to else '?'}"
        line = f"  {c.consent_id}  {c.insurer_code}/{c.purpose}  {c.status:<8} valid {valid}"
        if c.data_categories:
            line += f"  [{'+'.join(c.data_categories)}]"
        if c.revoked_at:
            line += f"  revoked {c.revoked_at.isoformat()} (applied {c.revoke_applied_at.isoformat()})"
        typer.echo(line)
    typer.echo("events (in the order applied):")
    for e in events:
        typer.echo(
            f"  #{e.seq} {e.action:<6} {e.consent_id} {e.insurer_code}/{e.purpose}  "
            f"event {e.event_time.isoformat()}  applied {e.applied_at.isoformat()}  {e.channel or ''}".rstrip()
        )


@consent_app.command("load", epilog="Example: medshare consent load var/sim/run1/consents.jsonl")
def load_cmd(
    file: Path = typer.Argument(..., help="JSON Lines file of platform.consents.v1 records."),
    db: str | None = DB_OPTION,
    batch: int = typer.Option(5000, min=1, help="Events per transaction."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply consent events from a file (idempotent: events already applied are skipped)."""
    from medshare.errors import UserError
    from privacy.consent import ApplyResult, read_jsonl

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    total = ApplyResult()
    with _open(db) as registry:
        pending: list[dict] = []

        def flush() -> None:
            r = registry.apply_many(pending)
            total.applied += r.applied
            total.duplicates += r.duplicates
            total.rejected.extend(r.rejected)
            pending.clear()

        for item in read_jsonl(file):
            if isinstance(item, str):
                total.rejected.append((None, item))
                continue
            pending.append(item)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        stats = registry.stats()
    if as_json:
        emit_json({**total.as_dict(), "registry": stats})
    else:
        typer.echo(
            f"{file}: applied {total.applied}, duplicates {total.duplicates}, rejected {len(total.rejected)}"
            f" (registry: {stats['consents']} consents, {stats['tombstones']} revocations)"
        )
        for eid, reason in total.rejected[:10]:
            typer.secho(f"  rejected {eid or '-'}: {reason}", fg=typer.colors.YELLOW, err=True)
    if total.rejected:
        raise UserError(f"{len(total.rejected)} event(s) in {file} were rejected")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the medshare app."""
    app.add_typer(consent_app, name="consent")


@consent_app.command(
    "renewals",
    epilog="Example: medshare consent renewals --insurer hhb --out var/renewals.jsonl",
)
def renewals_cmd(
    insurer: str | None = typer.Option(None, "--insurer", help="Only this insurer."),
    at: str | None = typer.Option(None, "--at", help="As of this time (default: now)."),
    out: Path | None = typer.Option(
        None, "--out", help="Write one re-consent request per consent (JSON Lines, mode 0600: it names persons)."
    ),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Consents in force whose notice no longer covers what the agreement in force sends (续授权).

    After an agreement changes (new source or fields, weaker treatments, longer retention) the router
    sends under an older consent only what its notice showed — nothing when the source or a data
    category is new. This lists who must be asked to consent on the notice in force, per insurer and
    purpose, with the reasons; exit 0 either way.
    """
    import json

    from medshare.config import private_file
    from privacy.agreements import SHANGHAI, load_agreements
    from privacy.notice import NoticeBook
    from privacy.renewal import FRESH, PARTIAL, renewals, summary

    when = parse_time(at, "--at") or datetime.now(SHANGHAI)
    agreements = load_agreements()
    with _open(db) as registry:
        in_force = registry.in_force(when)
    found = [r for r in renewals(in_force, NoticeBook.load(agreements), agreements, when)
             if insurer is None or r.insurer == insurer]
    report = summary(in_force, found, when)
    if insurer is not None:
        report["groups"] = [g for g in report["groups"] if g["insurer"] == insurer]
    if out is not None:
        private_file(out)
        with out.open("w", encoding="utf-8") as f:
            for r in found:
                f.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
        report["written"] = {"file": str(out), "requests": len(found)}
    if as_json:
        emit_json(report)
        return
    if not report["groups"]:
        typer.echo(f"no consent in force at {when.isoformat()}")
    for g in report["groups"]:
        typer.echo(f"{g['insurer']}/{g['purpose']}: {g['in_force']} in force, {g['covered']} covered, "
                   f"{g[FRESH]} need fresh consent, {g[PARTIAL]} partly covered")
        for reason, n in list(g["reasons"].items())[:8]:
            typer.echo(f"    {n:>6}  {reason}")
    if out is not None:
        typer.echo(f"{len(found)} re-consent requests written to {out} (0600)")
