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
                 source: str = "platform.settlements.v1", **extra: Any) -> dict[str, Any]:
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
