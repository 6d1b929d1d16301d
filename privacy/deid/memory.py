"""The lab de-identifier's memory of each person's identifiers, as keyed digests in the state DB.

Settlements and notes are co-partitioned by ``person_no``: the settlement that names a person
(name, resident ID, phone, card, address) reaches the de-identifier before the notes published
after it. :class:`PersonMemory` remembers those identifiers so that every later note of the
person is redacted with them (:class:`~privacy.deid.known.KnownIdentifiers`), however the note
writes them.

* **No plaintext at rest.** Only keyed digests (BLAKE2b under the pipeline secret
  ``deid-memory``, ``pipeline/deid-memory.key``, 0600) are stored, and the person is stored as
  a keyed digest of ``person_no`` too: the table names no one and holds no identifier that a
  dictionary attack could read back without the key.
* **Survives restarts and partition moves.** Rows live in the state database (SQLite
  ``state/deid.sqlite`` by default, ``MEDSHARE_STATE_URL`` when set), written by
  :meth:`PersonMemory.flush` in the processor's ``before_commit`` — before the Kafka transaction
  commits, so an input offset is never committed ahead of what it taught the memory. A note is
  redacted with the rows in the database plus what this batch learned, so another instance that
  takes the partition over reads everything the previous one committed. Writes are idempotent
  (a replayed batch inserts nothing new).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from privacy.deid.known import KnownIdentifiers, digest_forms

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from medshare.config import Settings

SECRET_NAME = "deid-memory"

metadata = MetaData()
known_identifiers = Table(
    "deid_known_identifiers",
    metadata,
    Column("person_key", String(32), primary_key=True),
    Column("digest", String(32), primary_key=True),
    Column("kind", String(24), nullable=False),
)


def memory_database(cfg: Settings) -> str:
    """``MEDSHARE_STATE_URL`` if set, else ``<state_dir>/deid.sqlite``."""
    return cfg.state_url or f"sqlite:///{cfg.state_dir / 'deid.sqlite'}"


class PersonMemory:
    """Keyed digests of each person's identifiers: remember from settlements, recall for notes."""

    def __init__(self, key: bytes, url: str | Engine = "sqlite://") -> None:
        from privacy.consent import _engine

        if len(key) < 16:
            raise ValueError("the memory key must be at least 16 random bytes")
        self._key = key
        self._person_key = hashlib.blake2b(key=key[:64], digest_size=16, person=b"deid-person")
        self.engine = url if not isinstance(url, str) else _engine(url)
        metadata.create_all(self.engine)
        #: rows learned in this batch, not yet in the database: person_key -> {digest: kind}
        self._pending: dict[str, dict[bytes, str]] = {}

    @classmethod
    def open(cls, cfg: Settings) -> PersonMemory:
        """The memory of the pipeline in ``cfg`` (key and database created on first use)."""
        from privacy.keys import pipeline_secret

        return cls(pipeline_secret(SECRET_NAME, cfg), memory_database(cfg))

    def person_key(self, person_no: str) -> str:
        mac = self._person_key.copy()
        mac.update(person_no.encode())
        return mac.hexdigest()

    def remember(
        self,
        person_no: str,
        *,
        names: Iterable[str | None] = (),
        numbers: Iterable[tuple[str, str | None]] = (),
        addresses: Iterable[str | None] = (),
    ) -> int:
        """Remember what a record says about ``person_no`` (None values skipped); new digests."""
        known = KnownIdentifiers(self._key, {})
        digests = known.add(
            digest_forms(
                names=[n for n in names if n],
                numbers=[(k, v) for k, v in numbers if v],
                addresses=[a for a in addresses if a],
            )
        )
        self._pending.setdefault(self.person_key(person_no), {}).update(digests)
        return len(digests)

    def remember_settlement(self, r: dict) -> int:
        """Remember the identifiers a platform settlement names about its person (for their notes)."""
        from privacy.deid.entities import MEDICAL_CARD, PHONE, RESIDENT_ID

        return self.remember(
            r["person_no"],
            names=[r.get("name")],
            numbers=[
                (RESIDENT_ID, r.get("resident_id")),
                (PHONE, r.get("phone")),
                (MEDICAL_CARD, r.get("card_no")),
                (MEDICAL_CARD, r.get("person_no")),
            ],
            addresses=[r.get("address")],
        )

    def known(self, person_no: str) -> KnownIdentifiers:
        """Everything remembered about ``person_no``: the database's rows and this batch's."""
        key = self.person_key(person_no)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(known_identifiers.c.digest, known_identifiers.c.kind).where(
                    known_identifiers.c.person_key == key
                )
            ).all()
        digests = {bytes.fromhex(d): kind for d, kind in rows}
        digests.update(self._pending.get(key, {}))
        return KnownIdentifiers(self._key, digests)

    def flush(self) -> int:
        """Write this batch's digests in one transaction (rows already there are left); how many."""
        if not self._pending:
            return 0
        rows = [
            {"person_key": person, "digest": d.hex(), "kind": kind}
            for person, digests in self._pending.items()
            for d, kind in digests.items()
        ]
        dialect = self.engine.dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(known_identifiers)
        with self.engine.begin() as conn:
            conn.execute(insert.on_conflict_do_nothing(), rows)
        self._pending = {}
        return len(rows)

    def discard(self) -> None:
        """Forget what this batch learned (its transaction was aborted; the replay learns it again)."""
        self._pending = {}

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:  # never show the key
        return f"PersonMemory(url={self.engine.url.render_as_string(hide_password=True)!r})"
