"""Quarantine keys per period, and their destruction (crypto-shredding, PIPL Art. 19 and 47).

Each calendar month (UTC) of quarantine time has its own independent random 32-byte key,
``<pipeline dir>/quarantine-keys/<YYYY-MM>.key`` (0600, created on first use). A quarantine record
names its key by ``key_id`` (the period). The payload, the envelope (key and headers) and the keyed
hash that groups one person's records all use the period key, so once it is destroyed a record
can be neither opened nor linked to a person; its reasons (rules, violations with masked values,
source position, times) stay readable.

:meth:`QuarantineKeyring.shred` destroys the keys of periods that ended more than ``keep_days``
ago: each key file is overwritten with random bytes, flushed to disk, then deleted, and a
tombstone ``<YYYY-MM>.shredded`` (JSON: key id, fingerprint, when) says when — so ``show`` can
say so plainly and no key is ever made again for that period. (On journalling or copy-on-write
file systems and SSDs an overwrite does not guarantee the old blocks are gone; the deletion is
what the design relies on, the overwrite is a best effort. Backups of the pipeline folder must
follow the same retention.)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contracts.exceptions import QuarantineError

if TYPE_CHECKING:
    from medshare.config import Settings

KEYS_DIR = "quarantine-keys"
KEY_BYTES = 32
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def period_of(when: datetime) -> str:
    """The key period (``YYYY-MM``, UTC) of a quarantine time."""
    if when.tzinfo is None:
        raise QuarantineError("a quarantine time must carry its time zone")
    return when.astimezone(UTC).strftime("%Y-%m")


def period_end(period: str) -> datetime:
    """The first instant after ``period`` (UTC midnight of the next month's first day)."""
    if not PERIOD_RE.match(period):
        raise QuarantineError(f"key period {period!r} is not YYYY-MM")
    year, month = int(period[:4]), int(period[5:])
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Shredded:
    """The tombstone of a destroyed period key."""

    key_id: str
    fingerprint: str | None
    shredded_at: str


class QuarantineKeyring:
    """The quarantine's period keys under ``<pipeline dir>/quarantine-keys``."""

    def __init__(self, cfg: Settings | None = None, path: Path | None = None) -> None:
        from medshare.config import private_dir, settings

        self.dir = private_dir(path or (cfg or settings()).pipeline_dir / KEYS_DIR)

    def _key_path(self, key_id: str) -> Path:
        if not PERIOD_RE.match(key_id or ""):
            raise QuarantineError(f"quarantine key id {key_id!r} is not YYYY-MM")
        return self.dir / f"{key_id}.key"

    def _tomb_path(self, key_id: str) -> Path:
        return self._key_path(key_id).with_suffix(".shredded")

    def shredded(self, key_id: str) -> Shredded | None:
        """The tombstone of ``key_id`` if its key was destroyed, else None."""
        path = self._tomb_path(key_id)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text())
            return Shredded(key_id, data.get("fingerprint"), str(data["shredded_at"]))
        except (ValueError, KeyError, TypeError):
            return Shredded(key_id, None, "")

    def key(self, key_id: str, create: bool = False) -> bytes:
        """The key of period ``key_id``; made (0600) if ``create`` and it never existed.

        A destroyed key raises :class:`KeyShreddedError` and is never made again.
        """
        path = self._key_path(key_id)
        if self.shredded(key_id) is not None:
            raise KeyShreddedError(key_id)
        if not path.exists():
            if not create:
                raise QuarantineError(f"quarantine key {key_id} not found in {self.dir}")
            from privacy.sdk import write_new_secret_file

            try:
                write_new_secret_file(path, os.urandom(KEY_BYTES))
            except FileExistsError:
                pass  # another process made it first: use theirs
        data = path.read_bytes()
        if len(data) != KEY_BYTES:
            raise QuarantineError(f"quarantine key {path} is {len(data)} bytes, expected {KEY_BYTES}")
        return data

    def live(self) -> list[str]:
        """Periods whose key exists, oldest first."""
        return sorted(p.stem for p in self.dir.glob("*.key") if PERIOD_RE.match(p.stem))

    def tombstones(self) -> list[Shredded]:
        return [s for p in sorted(self.dir.glob("*.shredded")) if PERIOD_RE.match(p.stem)
                for s in [self.shredded(p.stem)] if s is not None]

    def expired(self, keep_days: int, now: datetime | None = None) -> list[str]:
        """Live periods that ended more than ``keep_days`` days before ``now``."""
        if keep_days < 0:
            raise QuarantineError(f"keep-days must be 0 or more, got {keep_days}")
        cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
        return [p for p in self.live() if period_end(p) <= cutoff]

    def shred(self, keep_days: int, now: datetime | None = None, dry_run: bool = False) -> dict[str, Any]:
        """Destroy the keys of periods that ended more than ``keep_days`` ago (idempotent).

        Returns ``{"keep_days", "cutoff", "shredded": [...], "kept": [...], "already_shredded": n,
        "dry_run"}``; with ``dry_run`` nothing is touched and ``shredded`` lists what would be.
        """
        from contracts.quarantine import key_fingerprint

        now = now or datetime.now(UTC)
        live_before = self.live()
        doomed = self.expired(keep_days, now)
        done: list[dict[str, str]] = []
        for key_id in doomed:
            path = self._key_path(key_id)
            fp = key_fingerprint(path.read_bytes())
            if not dry_run:
                at = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
                _write_tombstone(self._tomb_path(key_id), {"key_id": key_id, "fingerprint": fp, "shredded_at": at})
                _overwrite_and_delete(path)
            done.append({"key_id": key_id, "fingerprint": fp, "period_end": period_end(key_id).isoformat()})
        return {"keep_days": keep_days, "cutoff": (now - timedelta(days=keep_days)).isoformat(timespec="seconds"),
                "shredded": done, "kept": [p for p in live_before if p not in doomed],
                "already_shredded": len(self.tombstones()) - (0 if dry_run else len(done)), "dry_run": dry_run}


class KeyShreddedError(QuarantineError):
    """Internal: the period key was destroyed (callers turn it into PayloadShredded with the record id)."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(f"quarantine key {key_id} was crypto-shredded")


def _write_tombstone(path: Path, data: dict[str, str]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())


def _overwrite_and_delete(path: Path) -> None:
    """Overwrite the key's bytes in place with random bytes, sync, then unlink (best effort; see module doc)."""
    size = path.stat().st_size
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, os.urandom(max(size, KEY_BYTES)))
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
