"""``medshare audit``: the disclosure log — who received which field of whose record, when, why.

A thin layer over :mod:`privacy.audit` and :mod:`privacy.audit_tree`; docs/audit.md describes the
log, its RFC 9162 Merkle tree and signed tree heads, and how a third party checks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from medshare.cli.output import JSON_OPTION, emit_json, parse_time

audit_app = typer.Typer(
    help="The disclosure log: query a person's, an insurer's or a consent's disclosures; prove and verify the log.",
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
        if e.event.get("mode"):
            basis += f"  mode {e.event['mode']}"
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
    start, end = parse_time(since, "--since"), parse_time(until, "--until")
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


@audit_app.command(
    "verify",
    epilog="Example: medshare audit verify --json   |   medshare audit verify --db sqlite:///copy.sqlite --topic "
           "--public-key \"$(medshare audit public-key)\"",
)
def verify_cmd(
    db: str | None = DB_OPTION,
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="Head checkpoint file to check against (default: the home's, for the home's store)."
    ),
    no_checkpoint: bool = typer.Option(False, "--no-checkpoint", help="Do not use the head checkpoint file."),
    topic: bool | None = typer.Option(
        None, "--topic/--no-topic",
        help="Also check the tree heads published on governance.audit-tree-heads.v1, and every entry against the "
             "disclosure events on governance.audit.v1 (an entry never published is forged). Default: for the home's store, "
             "when the broker is reachable (otherwise said, not failed); --topic: required, fail if unreadable.",
    ),
    principal: str = typer.Option("compliance", "--principal", help="Kafka principal that reads the topic."),
    public_key: str | None = typer.Option(
        None, "--public-key",
        help="The log's Ed25519 public key (base64 of the 32 raw bytes, PEM, or a file holding either). "
             "Default: this home's signing key, for the home's store.",
    ),
    max_unsigned_age: float = typer.Option(
        120.0, "--max-unsigned-age",
        help="Seconds after the newest tree head from which entries no head covers are a problem "
             "(the sink signs within 60 s); negative: never.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check the log: the hash chain, its Merkle tree, and every signed tree head (store and topic).

    Exit 1 naming the first problem (altered, removed or reordered entries; a cut-off tail; history
    rewritten under a signed tree head, even with the chain and checkpoint rewritten to match).
    """
    from medshare.errors import UserError

    if checkpoint is not None and not checkpoint.is_file():
        raise UserError(f"{checkpoint}: no such checkpoint file")
    pinned = _public_key(public_key, db)
    heads, topic_info = _topic_heads(topic if topic is not None else (None if db is None else False), principal)
    with _open(db, checkpoint, no_checkpoint) as store:
        result = store.verify(tree_heads=heads, public_key=pinned, max_unsigned_age_s=max_unsigned_age,
                              published_events=topic_info.pop("events", None))
    result.tree["topic"] = topic_info
    result.tree["public_key"] = _b64(pinned) if pinned else None
    if as_json:
        emit_json(result.as_dict())
    elif result.ok:
        cp = " and matches the checkpoint" if result.checkpoint else ""
        typer.echo(f"ok: {result.entries} entries, chain intact{cp}; head #{result.head_seq} {result.head_hash}")
        tr = result.tree
        typer.echo(f"    Merkle tree of {tr['tree_size']} entries, root {tr['root_hash']}; {tr['valid']} tree head(s) "
                   f"checked (store {tr['from']['store']}, topic {tr['from']['topic']}), signed up to "
                   f"{tr['signed_size']} entries")
    else:
        for p in result.problems[:20]:
            typer.secho(f"  {p.kind}: {p.message}", fg=typer.colors.RED, err=True)
    if not as_json:
        if topic_info.get("error"):
            typer.secho(f"  note: tree heads on the topic not read: {topic_info['error']}", fg=typer.colors.YELLOW,
                        err=True)
        if not result.tree.get("tree_heads"):
            typer.secho("  note: no signed tree head: only the chain, the tree and the checkpoint were checked",
                        fg=typer.colors.YELLOW, err=True)
    if not result.ok:
        first = result.first
        assert first is not None
        raise UserError(f"audit log check failed at entry #{first.seq} ({first.kind}): {first.message}")


def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii")


def _public_key(value: str | None, db: str | None) -> bytes | None:
    """The pinned key: --public-key (value or file), else the home's own for the home's store."""
    from medshare.errors import UserError
    from privacy import audit_tree

    if value is None:
        return audit_tree.public_key() if db is None else None
    text = value
    if not value.strip().startswith("-----BEGIN") and Path(value).is_file():
        text = Path(value).read_text()
    try:
        return audit_tree.parse_public_key(text)
    except ValueError as exc:
        raise UserError(f"--public-key: {exc}") from None


def _topic_heads(mode: bool | None, principal: str) -> tuple[list, dict]:
    """Tree heads from the governance topic: mode True (required), None (when reachable), False (skip)."""
    from medshare.errors import UserError
    from medshare.topics import AUDIT_TREE_HEADS
    from privacy import audit_tree

    info: dict = {"topic": AUDIT_TREE_HEADS, "read": False, "tree_heads": 0, "rejected": []}
    if mode is False:
        info["error"] = "not asked (--no-topic, or --db without --topic)"
        return [], info
    try:
        heads, rejected = audit_tree.read_published(principal=principal, connect_timeout_s=10 if mode else 5)
    except Exception as exc:  # noqa: BLE001 - NoBrokersAvailable, an unknown principal, a timeout: say which
        why = f"{type(exc).__name__}: {exc}"
        if mode:
            raise UserError(f"cannot read the tree heads on {AUDIT_TREE_HEADS}: {why}") from None
        info["error"] = why
        return [], info
    try:
        info["events"] = audit_tree.read_published_events(principal=principal, connect_timeout_s=10 if mode else 5)
    except Exception as exc:  # noqa: BLE001 - as above
        why = f"{type(exc).__name__}: {exc}"
        if mode:
            raise UserError(f"cannot read the disclosure events on governance.audit.v1: {why}") from None
        info["error"] = why
    info.update(read=True, tree_heads=len(heads), rejected=rejected[:20])
    return heads, info


@audit_app.command("sth", epilog="Example: medshare audit sth --json")
def sth_cmd(db: str | None = DB_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The newest signed tree head (RFC 9162 §4.10): tree size, root hash, timestamp (ms), Ed25519 signature."""
    from medshare.errors import UserError

    with _open(db) as store:
        th = store.latest_tree_head()
    if th is None:
        raise UserError("the log has no signed tree head yet: the audit sink signs one after its first batch "
                        "(medshare run audit-sink), or sign one now with medshare audit sign")
    if as_json:
        emit_json(th.as_json())
        return
    from privacy.audit_tree import utc_ms

    j = th.as_json()
    typer.echo(f"tree head: {th.tree_size} entries, root {j['root_hash']}")
    typer.echo(f"  signed {utc_ms(th.timestamp)} (timestamp {th.timestamp}) by Ed25519 key {j['public_key']}")
    typer.echo(f"  signature {j['signature']}")
    typer.echo(f"  signed bytes (TreeHeadDataV2) {j['signed_bytes']}")


@audit_app.command("prove", epilog="Example: medshare audit prove 6f1c…-…-… --json   |   … --tree-size 1000")
def prove_cmd(
    audit_id: str = typer.Argument(..., help="The entry's audit id."),
    tree_size: int | None = typer.Option(
        None, "--tree-size", min=1,
        help="Prove against the tree of this size (default: the newest signed tree head that covers the entry, "
             "else the whole log).",
    ),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """RFC 9162 inclusion proof of one entry: leaf index, the exact bytes hashed, the audit path, the root."""
    from medshare.errors import UserError
    from privacy.merkle import ProofError

    with _open(db) as store:
        try:
            proof = store.proof_for(audit_id, tree_size)
        except ProofError as exc:
            raise UserError(f"cannot prove {audit_id}: {exc}") from None
    j = proof.as_json()
    if as_json:
        emit_json(j)
        return
    typer.echo(f"entry {audit_id} is leaf {proof.leaf_index} (entry #{proof.leaf_index + 1}) of the tree of "
               f"{proof.tree_size} entries, root {j['root_hash']}")
    if proof.signed is not None:
        from privacy.audit_tree import utc_ms

        typer.echo(f"  that root is signed by the tree head of {utc_ms(proof.signed.timestamp)}")
    else:
        typer.echo("  no stored tree head signs that root yet (medshare audit sth; the sink signs within a minute)")
    typer.echo(f"  leaf input: {len(proof.leaf_input)} bytes (the entry's canonical JSON), leaf hash "
               f"SHA-256(0x00 || leaf input)")
    typer.echo(f"  audit path ({len(j['audit_path'])} hashes, leaf level first):")
    for h in j["audit_path"]:
        typer.echo(f"    {h}")


@audit_app.command("consistency", epilog="Example: medshare audit consistency 1000 2000 --json")
def consistency_cmd(
    first: int = typer.Argument(..., help="The earlier tree size (at least 1)."),
    second: int = typer.Argument(..., help="The later tree size (at most the log's size)."),
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """RFC 9162 consistency proof: the tree of size FIRST is a prefix of the tree of size SECOND."""
    from medshare.errors import UserError
    from privacy.merkle import ProofError

    with _open(db) as store:
        try:
            proof = store.consistency(first, second)
        except ProofError as exc:
            raise UserError(f"cannot prove consistency from {first} to {second}: {exc}") from None
    j = proof.as_json()
    if as_json:
        emit_json(j)
        return
    typer.echo(f"tree of {first} entries (root {j['first_root']}) is a prefix of the tree of {second} entries "
               f"(root {j['second_root']}):")
    typer.echo(f"  consistency proof ({len(j['proof'])} hashes):")
    for h in j["proof"]:
        typer.echo(f"    {h}")


@audit_app.command("public-key", epilog="Example: medshare audit public-key --pem > audit-log.pub")
def public_key_cmd(
    pem: bool = typer.Option(False, "--pem", help="Print PEM (SubjectPublicKeyInfo) instead of base64."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The log's Ed25519 public key, to give anyone who checks its tree heads."""
    from medshare.errors import UserError
    from privacy import audit_tree

    raw = audit_tree.public_key()
    if raw is None:
        raise UserError("this home has no audit log signing key yet: the audit sink creates it when it starts "
                        "(medshare run audit-sink)")
    if as_json:
        emit_json({"public_key": _b64(raw), "pem": audit_tree.public_key_pem(raw)})
    elif pem:
        typer.echo(audit_tree.public_key_pem(raw), nl=False)
    else:
        typer.echo(_b64(raw))


@audit_app.command("sign", epilog="Example: medshare audit sign --json")
def sign_cmd(
    publish: bool = typer.Option(True, "--publish/--no-publish", help="Also publish it to the governance topic."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Sign a tree head over the home's log now (the audit sink does this by itself) and publish it."""
    from medshare.errors import UserError
    from privacy import audit_tree

    with _open(None) as store:
        signer = audit_tree.TreeHeadSigner(store, tick_s=0, publish_to_topic=publish)
        th = signer.maybe_sign(force=True)
        if signer.last_refusal:
            raise UserError(f"refusing to sign: {signer.last_refusal}")
        if th is None:
            th = store.latest_tree_head()
            if th is None:
                raise UserError("the log is empty: nothing to sign")
        signer.close()
        pending = len(store.unpublished_tree_heads()) if publish else 0
    if as_json:
        emit_json(th.as_json())
    else:
        typer.echo(f"tree head: {th.tree_size} entries, root {th.root_hash.hex()}, timestamp {th.timestamp}")
    if pending:
        raise UserError(f"{pending} tree head(s) signed but not published: the broker could not be reached")


@audit_app.command("statement", epilog="Example: medshare audit statement 310104198001010011 --out out/statement")
def statement_cmd(
    resident_id: str = typer.Argument(..., help="The person's resident ID (used only to find their entries)."),
    out: Path = typer.Option(..., "--out", help="Folder for statement.html and statement.json."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The person's statement (PIPL Art. 45): every disclosure of their data, each with its inclusion proof.

    Writes a Chinese HTML page and JSON a person could be shown in 随申办; the person is named only
    as 您 with a masked ID.
    """
    from privacy.statement import write

    data = write(resident_id, out)
    if as_json:
        emit_json({"out": str(out), "disclosures": len(data["disclosures"]), "masked_id": data["masked_id"]})
        return
    typer.echo(f"{len(data['disclosures'])} disclosure(s) of {data['masked_id']}: {out}/statement.html, "
               f"{out}/statement.json")


@audit_app.command("erasure-issue", epilog="Example: medshare audit erasure-issue --json")
def erasure_issue_cmd(as_json: bool = JSON_OPTION) -> None:
    """Ask insurers to erase what they received under revoked consents or past retention (PIPL Art. 47)."""
    from privacy.erasure import issue

    r = issue()
    if as_json:
        emit_json(r.as_dict())
        return
    for q in r.requests:
        typer.echo(f"{q['request_id']}  {q['insurer']}  {q['reason']}  consent {q['consent_id']}  "
                   f"{len(q['records'])} record(s), due {q['due_at']}")
    typer.secho(f"{len(r.requests)} erasure request(s) issued", err=True)


@audit_app.command("erasure-collect", epilog="Example: medshare audit erasure-collect --json")
def erasure_collect_cmd(as_json: bool = JSON_OPTION) -> None:
    """Read insurers' erasure acknowledgements; log each valid one in the disclosure log (kind erasure-ack)."""
    from privacy.erasure import collect_acks

    r = collect_acks()
    if as_json:
        emit_json(r.as_dict())
        return
    typer.echo(f"{len(r.acked)} acknowledged, {r.duplicates} duplicate(s), {len(r.refused)} refused")
    for where, why in r.refused:
        typer.echo(f"  refused {where}: {why}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the medshare app."""
    app.add_typer(audit_app, name="audit")
