"""``medshare quarantine``: inspect and replay records that failed their contract.

Reads ``pipeline.quarantine.v1`` with the pipeline principal. ``list`` and ``show`` print reasons
without decrypting anything; ``show --decrypt`` opens the sealed original (it contains
identifiers: use it only to fix data). ``replay`` re-validates the original against the contract
as it is now and republishes it to its source topic with ``ms-replay-of: <id>``; a ledger in the
state folder makes each replay happen once. ``shred`` destroys the keys of months past the
quarantine retention (crypto-shredding): those payloads can never be opened again, and ``show``
and ``replay`` say so.
"""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json
from medshare.errors import UserError

quarantine_app = typer.Typer(help="Inspect and replay quarantined records.", no_args_is_help=True)

_CIPHERTEXT_FIELDS = ("payload", "envelope")


def _entries(principal: str):
    from contracts.exceptions import QuarantineError
    from contracts.quarantine import read_quarantine

    try:
        return read_quarantine(principal=principal)
    except QuarantineError as exc:
        raise UserError(str(exc)) from None


def _summary(entry, ledger, writer) -> dict:
    r = entry.record
    return {
        "quarantine_id": r.get("quarantine_id"), "quarantined_at": r.get("quarantined_at"),
        "quarantined_by": r.get("quarantined_by"), "contract": r.get("contract_id"),
        "contract_version": r.get("contract_version"),
        "source": f"{r.get('source_topic')}[{r.get('source_partition')}]@{r.get('source_offset')}",
        "source_event_id": r.get("source_event_id"), "rules": r.get("rules", []),
        "violations": len(r.get("violations", [])), "payload_bytes": r.get("payload_bytes"),
        "replay": ledger.status(r.get("quarantine_id", "")) or "-",
        "payload": _payload_state(r, writer),
    }


def _payload_state(record, writer) -> str:
    """``sealed`` or ``crypto-shredded on DATE`` (from the key's tombstone; nothing is decrypted)."""
    tomb = writer.shredded(record)
    if tomb is None:
        return "sealed"
    return f"crypto-shredded (key {tomb.key_id} destroyed on {tomb.shredded_at[:10] or 'an unknown date'})"


@quarantine_app.command("list")
def list_cmd(
    rule: str = typer.Option(None, "--rule", help="Only records that violated this rule (e.g. format, json)."),
    topic: str = typer.Option(None, "--topic", help="Only records from this source topic."),
    principal: str = typer.Option("pipeline", "--principal", help="Principal that reads the quarantine topic."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List quarantined records with their reasons (nothing is decrypted)."""
    from contracts.quarantine import QuarantineWriter, ReplayLedger

    ledger, writer = ReplayLedger(), QuarantineWriter()
    rows = []
    for e in _entries(principal):
        r = e.record
        if rule and rule not in r.get("rules", []):
            continue
        if topic and r.get("source_topic") != topic:
            continue
        rows.append(_summary(e, ledger, writer))
    if as_json:
        emit_json(rows)
        return
    for s in rows:
        typer.echo(f"{s['quarantine_id']}  {s['quarantined_at']}  {s['source']:<36} "
                   f"{','.join(s['rules']):<30} replay={s['replay']}"
                   + (f"  {s['payload']}" if s["payload"] != "sealed" else ""))
    typer.echo(f"{len(rows)} quarantined record(s)")


def _find(qid: str, principal: str):
    for e in _entries(principal):
        if e.qid == qid:
            return e
    raise UserError(f"no quarantine record {qid}")


@quarantine_app.command("show")
def show_cmd(
    qid: str = typer.Argument(..., help="Quarantine id (q-…)."),
    decrypt: bool = typer.Option(False, "--decrypt", help="Also decrypt the original message (contains identifiers)."),
    principal: str = typer.Option("pipeline", "--principal"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one quarantined record: every violation, where it came from; optionally the original."""
    from contracts.exceptions import QuarantineError
    from contracts.quarantine import QuarantineWriter

    entry = _find(qid, principal)
    writer = QuarantineWriter()
    rec = {k: v for k, v in entry.record.items() if k not in _CIPHERTEXT_FIELDS}
    rec["quarantine_topic_position"] = {"partition": entry.partition, "offset": entry.offset}
    rec["payload_state"] = _payload_state(entry.record, writer)
    if decrypt:
        try:
            opened = writer.open(entry.record)
        except QuarantineError as exc:
            raise UserError(str(exc)) from None
        rec["original"] = {
            "value": opened.value.decode("utf-8", "replace") if opened.value is not None else None,
            "key": opened.key.decode("utf-8", "replace") if opened.key is not None else None,
            "headers": {k: (v or b"").decode("utf-8", "replace") for k, v in opened.headers},
            "complete": opened.complete,
        }
        typer.secho("warning: the decrypted original may contain direct identifiers", err=True,
                    fg=typer.colors.YELLOW)
    if as_json:
        emit_json(rec)
        return
    typer.echo(f"{rec['quarantine_id']}  quarantined {rec['quarantined_at']} by {rec['quarantined_by']}")
    typer.echo(f"  contract   {rec['contract_id']} {rec['contract_version']}")
    typer.echo(f"  source     {rec.get('source_topic')}[{rec.get('source_partition')}]@{rec.get('source_offset')}"
               f"  event {rec.get('source_event_id')}  key-hash {rec.get('source_key_hash')}")
    typer.echo(f"  payload    {rec['payload_bytes']} bytes ({rec['payload_encoding']}, "
               f"{'complete' if rec['payload_complete'] else 'TRUNCATED'}), {rec['cipher']} key "
               f"{rec.get('key_id') or 'legacy'} {rec['key_fingerprint']}")
    if rec["payload_state"] != "sealed":
        typer.echo(f"  payload    {rec['payload_state']}: it can never be opened again; the reasons below remain")
    for v in rec["violations"]:
        value = f"  [{v['value']}]" if v.get("value") else ""
        typer.echo(f"  - {v['field'] or '(record)'}: {v['rule']}: {v['message']}{value}")
    if decrypt:
        typer.echo(f"  original key {rec['original']['key']}")
        typer.echo(f"  original headers {rec['original']['headers']}")
        typer.echo(f"  original value {rec['original']['value']}")


@quarantine_app.command(
    "replay",
    epilog="Example: medshare quarantine replay --all --dry-run",
)
def replay_cmd(
    qids: list[str] = typer.Argument(None, help="Quarantine ids to replay."),
    replay_all: bool = typer.Option(False, "--all", help="Replay every quarantined record not replayed yet."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Re-validate only; publish nothing."),
    principal: str = typer.Option(None, "--principal",
                                  help="Producer principal (default: platform for platform.* topics, else pipeline)."),
    reader: str = typer.Option("pipeline", "--reader", help="Principal that reads the quarantine topic."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Re-validate quarantined originals and republish the ones that now pass, once each.

    Each is republished to its source topic with header ms-replay-of=<id>; replaying the same id
    again does nothing. Exits 1 if a named record was not found, still fails, or could not be sent.
    """
    from contracts.exceptions import QuarantineError
    from contracts.quarantine import QuarantineWriter, ReplayLedger, kafka_sender, replay_one

    if not qids and not replay_all:
        raise UserError("name quarantine ids to replay, or --all")
    if qids and replay_all:
        raise UserError("give quarantine ids or --all, not both")
    entries = {e.qid: e for e in _entries(reader)}
    missing = [q for q in qids or [] if q not in entries]
    chosen = list(entries.values()) if replay_all else [entries[q] for q in qids or [] if q in entries]
    writer, ledger = QuarantineWriter(), ReplayLedger()
    send = kafka_sender(principal=principal)
    outcomes = []
    try:
        for e in chosen:
            try:
                outcomes.append(replay_one(e.record, writer, ledger, send, dry_run=dry_run))
            except QuarantineError as exc:
                from contracts.quarantine import ReplayOutcome

                outcomes.append(ReplayOutcome(e.qid, "failed", str(exc)))
    finally:
        send.close()
    rows = [o.to_dict() for o in outcomes] + [
        {"quarantine_id": q, "status": "not-found", "detail": "no such quarantine record", "violations": [],
         "target": None} for q in missing]
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            extra = f" -> {r['target']}" if r["target"] else ""
            detail = f" ({r['detail']})" if r["detail"] else ""
            typer.echo(f"{r['quarantine_id']}: {r['status']}{extra}{detail}")
            for v in r["violations"][:10]:
                typer.echo(f"    {v['field'] or '(record)'}: {v['rule']}: {v['message']}")
        counts: dict[str, int] = {}
        for r in rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        typer.echo(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "nothing to replay")
    bad = {"failed", "not-found"} | (set() if replay_all else {"still-invalid", "not-replayable", "shredded"})
    if any(r["status"] in bad for r in rows):
        raise typer.Exit(1)


@quarantine_app.command(
    "shred",
    epilog="Example: medshare quarantine shred --keep-days 90 --dry-run --json",
)
def shred_cmd(
    keep_days: int = typer.Option(None, "--keep-days", min=0,
                                  help="Destroy keys of months that ended more than N days ago "
                                       "(default MEDSHARE_QUARANTINE_RETENTION_DAYS, 90)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List the keys that would be destroyed; destroy nothing."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Crypto-shred the quarantine: destroy the keys of months past the retention period.

    Each key is overwritten, then deleted, and a tombstone records when. Payloads sealed with it
    can never be opened again (show and replay say so); reasons and metadata stay. Running it
    again destroys nothing more. The run is recorded for the compliance report.
    """
    from medshare.config import settings
    from medshare.retention import shred_quarantine

    cfg = settings()
    result = shred_quarantine(cfg, keep_days=keep_days, dry_run=dry_run)
    if as_json:
        emit_json(result)
        return
    verb = "would destroy" if dry_run else "destroyed"
    for k in result["shredded"]:
        typer.echo(f"{verb} quarantine key {k['key_id']} ({k['fingerprint']}, month ended {k['period_end'][:10]})")
    typer.echo(f"{len(result['shredded'])} key(s) {verb}; kept {', '.join(result['kept']) or 'none'}; "
               f"{result['already_shredded']} shredded before; cutoff {result['cutoff']} "
               f"(keep {result['keep_days']} days)")


def register(app: typer.Typer) -> None:
    """Add the ``quarantine`` group to the medshare app."""
    app.add_typer(quarantine_app, name="quarantine")
