"""The de-identifier's memory of each person's identifiers, as keyed digests in the state DB.

Settlements and notes are co-partitioned by ``psn_no``/``person_no``: the settlement that names
a person reaches the de-identifier (and the router) before the notes published after it.
:class:`PersonMemory` remembers the person's identifiers so that every later note of the person
is redacted with them (:class:`~privacy.deid.known.KnownIdentifiers`), however the note writes
them (full-width, spaced, masked ``138****5678``, partly ``尾号5678``).

What it learns (docs/deid.md, "The person memory on v2 settlements"):

* **from a settlement** (2207, :meth:`PersonMemory.remember_settlement`): ``psn_name``, ``certno``
  (as a resident ID when ``psn_cert_type`` is 01, else as an ID number), ``psn_no`` and ``brdy``.
  v2 settlements carry no phone, address or card number (the platform publishes none:
  docs/platform-interface.md), so none is learned from them;
* **from the person's own notes** (:meth:`PersonMemory.learn_from_note`): the full numbers the
  recognisers vouched for — a resident ID, phone, bank or medical card, or a labelled ID number,
  scored :data:`LEARN_MIN_SCORE` or more (a valid check digit, a mobile's shape, an identifier
  label) — so the masked or partial forms of that number, in the same note
  (:func:`redact_with_memory` redacts a second time when the note taught something) and in every
  later note of the person, are found. Names, addresses and dates are not learned from notes: a
  name or address in a note may be a relative's or a hospital's, and their windows would redact
  ordinary words; the recognisers find those by label and shape.

Learning only ever adds what is redacted (fail closed): a number that was a relative's or the
ward's is then redacted in the person's later notes too, never the other way round.

* **No plaintext at rest.** Only keyed digests (BLAKE2b under the pipeline secret
  ``deid-memory``, ``pipeline/deid-memory.key``, 0600) are stored, and the person is stored as
  a keyed digest of ``person_no`` too: the table names no one and holds no identifier that a
  dictionary attack could read back without the key. Nothing is encrypted reversibly: what is
  remembered can be recognised again, never read back.
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

from privacy.deid.entities import BANK_CARD, ID_NUMBER, MEDICAL_CARD, PHONE, RESIDENT_ID
from privacy.deid.known import KnownIdentifiers, digest_forms

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Engine

    from medshare.config import Settings
    from privacy.deid.engine import Deidentifier, RedactResult, Span

SECRET_NAME = "deid-memory"
#: the kinds of number a note's own findings may teach the memory
LEARNED_KINDS = frozenset({RESIDENT_ID, PHONE, BANK_CARD, MEDICAL_CARD, ID_NUMBER})
#: a finding is learned only at this score or above: a valid check digit (resident ID 0.95), a
#: mobile's or landline's shape (0.8-0.85), a phone label (0.75), an identifier label (0.9); not
#: the weak shape-only ones (a bare local number 0.6, a bank card without its issuer digit 0.6, a
#: card number that only a card word nearby vouches for 0.7)
LEARN_MIN_SCORE = 0.75
#: ... and only when it has this many digits: shorter numbers' masked forms would be too common
LEARN_MIN_DIGITS = 7
#: at most this many numbers learned from one note (a note that lists dozens is not about one person's)
LEARN_MAX_PER_NOTE = 8

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
        from privacy.consent import _engine, create_tables

        if len(key) < 16:
            raise ValueError("the memory key must be at least 16 random bytes")
        self._key = key
        self._person_key = hashlib.blake2b(key=key[:64], digest_size=16, person=b"deid-person")
        self.engine = url if not isinstance(url, str) else _engine(url)
        create_tables(self.engine, metadata)
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
        dates: Iterable[str | None] = (),
        known: KnownIdentifiers | None = None,
    ) -> int:
        """Remember what a record says about ``person_no`` (None values skipped); new digests.

        ``known``: what is already known of the person (:meth:`known`); digests it holds are not
        written again, and the new ones are added to it (the caller's copy sees them at once).
        """
        known = known if known is not None else KnownIdentifiers(self._key, {})
        digests = known.add(
            digest_forms(
                names=[n for n in names if isinstance(n, str) and n],
                numbers=[(k, v) for k, v in numbers if isinstance(v, str) and v],
                addresses=[a for a in addresses if isinstance(a, str) and a],
                dates=[d for d in dates if isinstance(d, str) and d],
            )
        )
        if digests:
            self._pending.setdefault(self.person_key(person_no), {}).update(digests)
        return len(digests)

    def remember_settlement(self, r: dict) -> int:
        """Remember the identifiers a ``platform.settlements.v2`` settlement (2207) names about its
        person, for their notes: ``psn_name``, ``certno``, ``psn_no``, ``brdy``.

        ``certno`` is a resident ID when ``psn_cert_type`` is 01, else another certificate's number
        (passport, 港澳台 permits …), remembered as an ID number: a person's identifier either way.
        A 2208 revocation names only ``psn_no``, which its settlement taught already: nothing to do.
        """
        if "revoke" in r:
            return 0
        certno = r.get("certno")
        return self.remember(
            r["psn_no"],
            names=[r.get("psn_name")],
            numbers=[
                (RESIDENT_ID if r.get("psn_cert_type") == "01" else ID_NUMBER, certno),
                (MEDICAL_CARD, r.get("psn_no")),
            ],
            dates=[r.get("brdy")],
        )

    def learn_from_note(self, person_no: str, text: str, spans: Sequence[Span], known: KnownIdentifiers) -> int:
        """Remember the full numbers the recognisers vouched for in one of the person's notes
        (:data:`LEARNED_KINDS`, score >= :data:`LEARN_MIN_SCORE`, :data:`LEARN_MIN_DIGITS` digits or
        more, at most :data:`LEARN_MAX_PER_NOTE`); ``spans`` are the note's redaction spans
        (offsets into ``text``). Digests ``known`` already holds are skipped; new ones are added to
        ``known`` and to this batch's rows. Returns how many digests were new."""
        numbers = []
        for span in spans:
            if (span.entity_type not in LEARNED_KINDS or span.score < LEARN_MIN_SCORE
                    or span.recognizer == "KnownIdentifiers" or span.recognizer.startswith("residual")):
                continue
            value = text[span.start : span.end]
            if sum(ch.isdigit() for ch in value) < LEARN_MIN_DIGITS:  # (full-width digits count too)
                continue
            numbers.append((span.entity_type, value))
            if len(numbers) >= LEARN_MAX_PER_NOTE:
                break
        return self.remember(person_no, numbers=numbers, known=known) if numbers else 0

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


def redact_with_memory(
    deid: Deidentifier,
    memory: PersonMemory,
    person_no: str,
    text: str,
    known: KnownIdentifiers | None = None,
    **kwargs,
) -> RedactResult:
    """Redact one of ``person_no``'s notes with everything the memory knows of the person, and
    learn from it (:meth:`PersonMemory.learn_from_note`).

    When the note taught the memory a number it did not know, the note is redacted once more with
    it, so a masked or partial form of that number elsewhere in the same note is found too
    (``联系电话 138 1234 5678 … 核验 138****5678``). ``known``: the person's known identifiers
    if the caller already read them (they are widened in place); ``kwargs`` go to
    :meth:`~privacy.deid.engine.Deidentifier.redact`.
    """
    if known is None:
        known = memory.known(person_no)
    result = deid.redact(text, known=known, **kwargs)
    if memory.learn_from_note(person_no, text, result.spans, known):
        result = deid.redact(text, known=known, **kwargs)
    return result
