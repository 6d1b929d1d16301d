"""Reading ``platform.settlements.v2`` records: one place for the two record kinds and their time.

A settlement has the 2207 fields at the top (``setl_id``, ``psn_no``, ``setl_time`` …); a 2208
revocation is ``{"revoke": {"setl_id", "mdtrt_id", "psn_no"}}`` and has no time of its own (it
counts from when it was published). Times on the interface are ``yyyy-MM-dd HH:mm:ss`` in China
Standard Time without an offset (docs/platform-interface.md); the rest of medshare (audit, claims,
notes) writes ISO 8601 with the offset, so :func:`event_time` converts.

This is kernel code: it imports nothing above :mod:`medshare`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

#: China Standard Time, the interface's clock
CST = timezone(timedelta(hours=8), "Asia/Shanghai")
INTERFACE_TIME = "%Y-%m-%d %H:%M:%S"
_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def is_revocation(record: dict[str, Any]) -> bool:
    """A 2208 结算撤销 (``{"revoke": {...}}``)."""
    return isinstance(record.get("revoke"), dict)


def setl_id(record: dict[str, Any]) -> str:
    """The settlement a record is (or revokes)."""
    return record["revoke"]["setl_id"] if is_revocation(record) else record["setl_id"]


def psn_no(record: dict[str, Any]) -> str:
    """The person (人员编号) of a settlement or revocation; ``person_no`` of the other platform topics."""
    if is_revocation(record):
        return record["revoke"]["psn_no"]
    return record["psn_no"] if "psn_no" in record else record["person_no"]


def parse_interface_time(text: str) -> datetime:
    """``2026-03-05 10:21:07`` (China Standard Time) as an aware datetime.

    The interface's exact shape (ASCII digits) is read with ``fromisoformat`` (≈4× cheaper than
    ``strptime``, which every other text goes through, for the same value or the same error).
    """
    if type(text) is str and _SHAPE.fullmatch(text) is not None:
        try:
            return datetime.fromisoformat(text).replace(tzinfo=CST)
        except ValueError:
            pass  # not a real date: strptime says why
    return datetime.strptime(text, INTERFACE_TIME).replace(tzinfo=CST)


def to_interface_time(ts: datetime) -> str:
    """An aware (or CST-naive) datetime as the interface writes it."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(CST)
    return ts.strftime(INTERFACE_TIME)


def event_time(record: dict[str, Any], published_us: int | None = None) -> datetime:
    """When the record happened: ``setl_time`` of a settlement, ``event_time`` of the other platform
    records; a revocation's publish time (``published_us``, else now)."""
    if is_revocation(record):
        if not published_us:  # not published (a direct call): now
            return datetime.now(CST)
        return datetime.fromtimestamp(published_us / 1e6, CST)
    if "setl_time" in record:
        return parse_interface_time(record["setl_time"])
    return datetime.fromisoformat(record["event_time"])


def main_diagnosis(record: dict[str, Any]) -> str | None:
    """The ``diag_code`` flagged main (``maindiag_flag`` 1), else the first, else ``None``."""
    diseinfo = record.get("diseinfo") or []
    main = next((d for d in diseinfo if d.get("maindiag_flag") == "1"), diseinfo[0] if diseinfo else None)
    return main["diag_code"] if main else None


def diagnoses(record: dict[str, Any]) -> list[str]:
    """Every ``diag_code``, the main diagnosis first, then by ``diag_srt_no``."""
    diseinfo = sorted(record.get("diseinfo") or [],
                      key=lambda d: (d.get("maindiag_flag") != "1", d.get("diag_srt_no") or 0))
    return [d["diag_code"] for d in diseinfo]
