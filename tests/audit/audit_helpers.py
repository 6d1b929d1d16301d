"""Audit events and tampering helpers shared by the audit tests."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

PERSON_A = "a" * 32
PERSON_B = "b" * 32
RESIDENT_A = "c" * 32


def record_event(i: int, *, insurer: str = "hhb", person_ref: str = PERSON_A, resident_ref: str | None = RESIDENT_A,
                 consent_id: str = "CS0001", disclosed_at: str = "2026-03-05T10:21:07.123+08:00",
                 source: str = "platform.settlements.v2", **extra: Any) -> dict[str, Any]:
    """An audit event shaped exactly as streams/router.py writes one."""
    return {
        "audit_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{insurer}|{source}|{i}")),
        "kind": "record",
        "disclosed_at": disclosed_at,
        "event_time": "2026-03-05T09:00:00+08:00",
        "insurer": insurer,
        "purpose": "claims",
        "basis": "consent",
        "source": source,
        "dataset": f"insurer.{insurer}.claims.v1",
        "record_id": f"ST20260305{i:08d}",
        "person_ref": person_ref,
        "resident_ref": resident_ref,
        "fields": {"settlement_id": "plain", "person_no": "encrypt", "resident_id": "encrypt",
                   "birth_date": "generalise:age_band", "diagnosis_name": "plain"},
        "consent_id": consent_id,
        "agreement_id": f"MSA-{insurer.upper()}-2026-001",
        "agreement_version": "sha256:" + "0" * 16,
        "key_id": f"{insurer}-claims",
        "key_version": 1,
        **extra,
    }


def release_event(i: int, insurer: str = "hhb") -> dict[str, Any]:
    return {
        "audit_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"release|{insurer}|{i}")),
        "kind": "release",
        "disclosed_at": "2026-03-06T02:00:00+08:00",
        "insurer": insurer,
        "purpose": "actuarial",
        "basis": "aggregate",
        "source": "lab",
        "dataset": f"insurer.{insurer}.marts.v1",
        "release_id": f"REL-{i:04d}",
        "fields": {"age_band": "plain", "cost_total": "plain"},
        "agreement_id": f"MSA-{insurer.upper()}-2026-001",
        "agreement_version": "sha256:" + "1" * 16,
        "rows": 120,
        "suppressed": 3,
        "k": 10,
    }


def sql(path: Path, *statements: tuple[str, tuple]) -> None:
    """Tamper with a SQLite store directly, as someone with file access would."""
    con = sqlite3.connect(path)
    try:
        for stmt, args in statements:
            con.execute(stmt, args)
        con.commit()
    finally:
        con.close()


def swap_entries(path: Path, a: int, b: int) -> None:
    """Swap the positions of entries ``a`` and ``b`` (each entry's own hash stays self-consistent)."""
    sql(path,
        ("update audit_log set seq = -1 where seq = ?", (a,)),
        ("update audit_log set seq = ? where seq = ?", (a, b)),
        ("update audit_log set seq = ? where seq = -1", (b,)))


def reseal(path: Path, checkpoint: Path | None = None, *, keep_tree_heads: bool = False) -> None:
    """What a thorough attacker with write access to the store does after changing entries.

    Renumbers the entries 1..n in their current order, recomputes every ``prev_hash`` and
    ``entry_hash``, moves the head row, rebuilds the Merkle tree (``audit_tree``) from the events,
    deletes the tree heads kept in the store (unless ``keep_tree_heads``) and rewrites the
    checkpoint file: afterwards nothing in the store or beside it disagrees.
    """
    import json

    from privacy.audit import GENESIS, chain_hash
    from privacy.merkle import TreeBuilder, leaf_hash

    con = sqlite3.connect(path)
    try:
        rows = con.execute("select seq, event from audit_log order by seq").fetchall()
        con.execute("update audit_log set seq = -seq - 1000000")
        prev, builder, nodes = GENESIS, TreeBuilder(), []
        for i, (old, ev) in enumerate(rows, 1):
            body = ev.encode("utf-8") if isinstance(ev, str) else bytes(ev)
            h = chain_hash(prev, body)
            con.execute("update audit_log set seq = ?, prev_hash = ?, entry_hash = ? where seq = ?",
                        (i, prev, h, -old - 1000000))
            nodes.extend(builder.append(leaf_hash(body)))
            prev = h
        con.execute("update audit_head set seq = ?, entry_hash = ?", (len(rows), prev))
        con.execute("delete from audit_tree")
        con.executemany("insert into audit_tree (level, idx, hash) values (?, ?, ?)", nodes)
        if not keep_tree_heads:
            con.execute("delete from audit_sth")
        con.commit()
    finally:
        con.close()
    if checkpoint is not None:
        checkpoint.write_text(json.dumps({"seq": len(rows), "entry_hash": prev}))


def insert_entry(path: Path, at: int, event: dict[str, Any]) -> None:
    """Insert ``event`` as entry ``at`` with a chain hash that follows entry ``at - 1``, moving the
    entries from ``at`` on one place up (their hashes untouched)."""
    from privacy.audit import GENESIS, _columns, canonical, chain_hash, parse_event

    con = sqlite3.connect(path)
    try:
        cols = [r[1] for r in con.execute("pragma table_info(audit_log)")]
        template = con.execute("select * from audit_log where seq <= ? order by seq desc limit 1", (at,)).fetchone()
        row = dict(zip(cols, template, strict=True))
        con.execute("update audit_log set seq = -seq where seq >= ?", (at,))
        con.execute("update audit_log set seq = 1 - seq where seq < 0")
        prev = con.execute("select entry_hash from audit_log where seq = ?", (at - 1,)).fetchone()
        prev_hash = prev[0] if prev else GENESIS
        row.update(seq=at, **_columns(*parse_event(event)), event=canonical(event).decode("utf-8"), prev_hash=prev_hash,
                   entry_hash=chain_hash(prev_hash, canonical(event)))
        con.execute(f"insert into audit_log ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                    tuple(row.values()))
        con.commit()
    finally:
        con.close()
