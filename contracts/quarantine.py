"""Quarantine: what fails a contract is kept, sealed, with its reasons — never lost, never leaked.

A quarantine record (contract ``pipeline.quarantine.v1``) holds:

* the original message value, sealed with AES-256-GCM under the quarantine key of its period (a
  calendar month, UTC, named by ``key_id``; :mod:`contracts.quarantine_keys`, where keys of old
  periods are destroyed — crypto-shredding), and separately the original key and headers; the
  associated data binds each ciphertext to the quarantine id and the source topic, so a
  ciphertext cannot be moved to another record. Records without ``key_id`` (made before period
  keys) open with the legacy single key ``privacy.keys.pipeline_secret("quarantine")``;
* the contract id and version, every violation (values masked as the validator masks them; free
  text from processor errors is scrubbed of anything that looks like an identifier), the distinct
  rules violated;
* where it came from: topic, partition, offset, the ``ms-event-id`` header, and a keyed hash of
  the message key under the period key (so one person's records can be grouped without showing
  ``person_no``, and no longer once the period key is destroyed);
* when and by whom it was quarantined, and a quarantine id ``q-<32 hex>``.

Replaying (:func:`replay`) opens the payload, re-validates it against the contract as it is now,
and republishes it to its source topic with the header ``ms-replay-of: <quarantine id>``. A
:class:`ReplayLedger` (SQLite in ``settings().state_dir``) makes replay once-only: the same
quarantine id — or another quarantine record of the same source message — is not replayed twice.

Processors use :class:`QuarantineWriter`::

    writer = QuarantineWriter(cfg=cfg)
    record, violations = validator.validate_bytes(msg.value)
    if violations:
        q = writer.build(raw=msg.value, source_topic=msg.topic, partition=msg.partition,
                         offset=msg.offset, key=msg.key, headers=msg.headers,
                         violations=violations, processor="router")
        producer.send(**writer.outgoing(q, "router").__dict__)   # or yield the Outgoing
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import sqlite3
import uuid
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contracts import formats as fm
from contracts.exceptions import ContractNotFound, PayloadShredded, QuarantineError
from contracts.quarantine_keys import PERIOD_RE, KeyShreddedError, QuarantineKeyring, Shredded, period_of
from contracts.rules import shape
from contracts.validator import Violation
from medshare import topics
from medshare.envelope import H_EVENT_ID, H_SCHEMA, Outgoing, encode_value, make_headers

if TYPE_CHECKING:
    from medshare.config import Settings

KEY_NAME = "quarantine"
CIPHER = "AES-256-GCM"
REPLAY_HEADER = "ms-replay-of"
QID_RE = re.compile(r"^q-[0-9a-f]{32}$")
#: the sealed payload is kept whole up to this many bytes (base64 then stays under the topic's limit)
MAX_SEALED_BYTES = 600_000
#: try zlib above this size
COMPRESS_FROM = 2048
_NONCE = 12
_GENERIC = "quarantined payload could not be opened (wrong key, modified record, or not a quarantine record)"


# --- the key ----------------------------------------------------------------------------------


def quarantine_key(cfg: Settings | None = None) -> bytes:
    """The pipeline's 32-byte quarantine key (created on first use, 0600)."""
    try:
        from privacy.keys import pipeline_secret
    except ImportError:  # pragma: no cover - privacy ships with medshare; a local equivalent
        return _local_secret(KEY_NAME, cfg)
    return pipeline_secret(KEY_NAME, cfg)


def _local_secret(name: str, cfg: Settings | None) -> bytes:  # pragma: no cover - see quarantine_key
    from medshare.config import private_dir, settings

    path = private_dir((cfg or settings()).pipeline_dir) / f"{name}.key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32))
    data = path.read_bytes()
    if len(data) != 32:
        raise QuarantineError(f"quarantine key {path} is {len(data)} bytes, expected 32")
    return data


def key_fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"medshare quarantine key fingerprint|" + key).hexdigest()[:16]


def _hash_subkey(key: bytes) -> bytes:
    return hmac.new(key, b"medshare quarantine key-hash v1", hashlib.sha256).digest()


def key_hash(message_key: bytes | None, key: bytes) -> str | None:
    """Keyed hash of a message key: groups one person's records without revealing ``person_no``."""
    if message_key is None:
        return None
    return hmac.new(_hash_subkey(key), message_key, hashlib.sha256).hexdigest()[:32]


def _aad(qid: str, part: str, source_topic: str | None) -> bytes:
    return b"|".join([b"medshare-quarantine-v1", qid.encode(), part.encode(), (source_topic or "").encode()])


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, aad)).decode("ascii")


def _unseal(key: bytes, sealed: str, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        blob = base64.b64decode(sealed.encode("ascii"), validate=True)
        if len(blob) < _NONCE + 16:
            raise ValueError
        return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], aad)
    except (InvalidTag, ValueError, UnicodeError):
        raise QuarantineError(_GENERIC) from None


# --- scrubbing free text ----------------------------------------------------------------------

_IDENTIFIER_RES = [re.compile(p) for p in (
    rf"(?<![0-9A-Za-z]){fm.RESIDENT_ID}(?![0-9A-Za-z])",
    rf"(?<![0-9]){fm.PERSON_NO}(?![0-9])",
    rf"(?<![0-9]){fm.BANK_CARD}(?![0-9])",
    rf"(?<![0-9]){fm.MOBILE}(?![0-9])",
    rf"(?<![0-9A-Za-z]){fm.CARD_NO}(?![0-9A-Za-z])",
)]


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every identifier-looking substring and every known secret value masked."""
    for value in sorted({s for s in secrets if isinstance(s, str) and len(s) >= 2}, key=len, reverse=True):
        if value in text:
            text = text.replace(value, f"<{shape(value)}>")
    for rx in _IDENTIFIER_RES:
        text = rx.sub(lambda m: f"<{shape(m.group(0))}>", text)
    return text


def _sensitive_values(raw: bytes | None, contract_id: str | None) -> list[str]:
    """Plaintext values to keep out of messages: the record's identifier and health fields, and any
    field its contract does not know (it may hold anything)."""
    if raw is None or not contract_id:
        return []
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        return []
    if not isinstance(obj, dict):
        return []
    from contracts import registry

    try:
        c = registry.load(contract_id)
    except (ContractNotFound, ValueError):
        return []
    masked = {f.name for f in c.top_fields if f.masked}
    known = {f.name for f in c.top_fields}
    return [v for k, v in obj.items() if isinstance(v, str) and (k in masked or k not in known)]


# --- records ------------------------------------------------------------------------------------


def _violation_dict(v: Any) -> dict[str, Any]:
    if isinstance(v, Violation):
        return v.to_dict()
    if isinstance(v, Mapping):
        return {"field": str(v.get("field", "")), "rule": str(v.get("rule", "unknown")),
                "message": str(v.get("message", "")), "value": v.get("value")}
    return {"field": str(getattr(v, "field", "")), "rule": str(getattr(v, "rule", "unknown")),
            "message": str(getattr(v, "message", v)), "value": getattr(v, "value", None)}


def _header_pairs(headers: Any) -> list[tuple[str, bytes | None]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), v.encode() if isinstance(v, str) else v) for k, v in headers.items()]
    return [(str(k), v.encode() if isinstance(v, str) else v) for k, v in headers]


@dataclass
class Opened:
    """A quarantined message, decrypted: what replay republishes."""

    value: bytes | None
    key: bytes | None
    headers: list[tuple[str, bytes | None]]
    complete: bool

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k == name:
                return (v or b"").decode("utf-8", "replace")
        return None


class QuarantineWriter:
    """Builds and opens ``pipeline.quarantine.v1`` records with the pipeline's quarantine key."""

    def __init__(self, cfg: Settings | None = None, key: bytes | None = None, processor: str = "pipeline") -> None:
        """Seal with the period key of each record's quarantine time; ``key`` fixes one key instead
        (records then carry no ``key_id``: tests and tools that bring their own key)."""
        if key is not None and len(key) != 32:
            raise QuarantineError("the quarantine key must be 32 bytes")
        self.cfg = cfg
        self._fixed = key
        self._legacy: bytes | None = None
        self._keyring: QuarantineKeyring | None = None
        self.processor = processor

    @property
    def key(self) -> bytes:
        """The fixed key, else the legacy single quarantine key (opens records without ``key_id``)."""
        if self._fixed is not None:
            return self._fixed
        if self._legacy is None:
            self._legacy = quarantine_key(self.cfg)
        return self._legacy

    @property
    def keyring(self) -> QuarantineKeyring:
        if self._keyring is None:
            self._keyring = QuarantineKeyring(self.cfg)
        return self._keyring

    def sealing_key(self, when: datetime) -> tuple[str | None, bytes]:
        """``(key_id, key)`` a record quarantined at ``when`` is sealed with."""
        if self._fixed is not None:
            return None, self._fixed
        key_id = period_of(when)
        try:
            return key_id, self.keyring.key(key_id, create=True)
        except KeyShreddedError:
            raise QuarantineError(f"the quarantine key of {key_id} was destroyed: cannot seal a record "
                                  f"dated {when.isoformat()} (is the clock right?)") from None

    def opening_key(self, record: Mapping[str, Any]) -> bytes:
        """The key that opens ``record``; raises :class:`PayloadShredded` if it was destroyed."""
        key_id = record.get("key_id")
        if self._fixed is not None or key_id is None:
            return self.key
        try:
            return self.keyring.key(str(key_id))
        except KeyShreddedError:
            tomb = self.keyring.shredded(str(key_id))
            raise PayloadShredded(str(record.get("quarantine_id", "?")), str(key_id),
                                  tomb.shredded_at if tomb else None) from None
        except QuarantineError:
            raise QuarantineError(_GENERIC) from None

    def shredded(self, record: Mapping[str, Any]) -> Shredded | None:
        """The tombstone of the record's key if its payload was crypto-shredded (nothing is decrypted)."""
        key_id = record.get("key_id")
        if self._fixed is not None or not isinstance(key_id, str) or not PERIOD_RE.match(key_id):
            return None
        return self.keyring.shredded(key_id)

    def build(
        self,
        raw: bytes | str | None,
        source_topic: str | None = None,
        partition: int | None = None,
        offset: int | None = None,
        key: bytes | str | None = None,
        headers: Any = None,
        violations: Sequence[Any] = (),
        rule: str | None = None,
        message: str | None = None,
        processor: str | None = None,
        contract_id: str | None = None,
        contract_version: str | None = None,
        now: datetime | None = None,
        quarantine_id: str | None = None,
    ) -> dict[str, Any]:
        """The quarantine record of one message (a plain dict, valid against ``pipeline.quarantine.v1``).

        ``violations`` are :class:`Violation` objects (or dicts with field/rule/message/value);
        without any, ``rule`` and ``message`` describe why (e.g. a processor error).
        """
        qid = quarantine_id or f"q-{uuid.uuid4().hex}"
        if not QID_RE.match(qid):
            raise QuarantineError(f"quarantine id {qid!r} is not q-<32 hex>")
        raw_bytes = raw.encode("utf-8") if isinstance(raw, str) else raw
        key_bytes = key.encode("utf-8") if isinstance(key, str) else key
        pairs = _header_pairs(headers)
        hmap = {k: (v or b"").decode("utf-8", "replace") for k, v in pairs}
        contract_id, contract_version = self._contract_of(contract_id, contract_version, source_topic, hmap)
        secrets = _sensitive_values(raw_bytes, contract_id)

        vs = [_violation_dict(v) for v in violations]
        if not vs:
            vs = [{"field": "", "rule": rule or "rejected", "message": message or "rejected by the processor",
                   "value": None}]
        for v in vs:
            v["message"] = scrub(v["message"], secrets)[:1000]
            if v.get("value") is not None:
                v["value"] = scrub(str(v["value"]), secrets)[:200]
            v["field"] = scrub(v["field"], secrets)[:200]
        vs = vs[:1000]
        rules = list(dict.fromkeys(v["rule"] for v in vs))

        if raw_bytes is None:
            encoding, packed = "none", b""
        else:
            encoding, packed = "raw", raw_bytes
            if len(raw_bytes) >= COMPRESS_FROM:
                z = zlib.compress(raw_bytes, 6)
                if len(z) < len(raw_bytes):
                    encoding, packed = "zlib", z
        complete = len(packed) <= MAX_SEALED_BYTES
        if not complete:
            packed = packed[:MAX_SEALED_BYTES]
        when = now or datetime.now(UTC)
        key_id, seal_key = self.sealing_key(when)
        envelope = json.dumps({
            "key": base64.b64encode(key_bytes).decode() if key_bytes is not None else None,
            "headers": [[k, base64.b64encode(v).decode() if v is not None else None] for k, v in pairs],
        }, separators=(",", ":")).encode()
        return {
            "quarantine_id": qid,
            "quarantined_at": when.astimezone().isoformat(timespec="seconds"),
            "quarantined_by": (processor or self.processor)[:64],
            "contract_id": contract_id,
            "contract_version": contract_version,
            "source_topic": source_topic,
            "source_partition": partition,
            "source_offset": offset,
            "source_event_id": hmap.get(H_EVENT_ID, None) and scrub(hmap[H_EVENT_ID], secrets)[:128],
            "source_key_hash": key_hash(key_bytes, seal_key),
            "rules": rules,
            "violations": vs,
            "cipher": CIPHER,
            "key_name": KEY_NAME,
            "key_fingerprint": key_fingerprint(seal_key),
            **({"key_id": key_id} if key_id is not None else {}),
            "payload": _seal(seal_key, packed, _aad(qid, "payload", source_topic)),
            "payload_encoding": encoding,
            "payload_bytes": len(raw_bytes) if raw_bytes is not None else 0,
            "payload_complete": complete,
            "envelope": _seal(seal_key, envelope, _aad(qid, "envelope", source_topic)),
        }

    @staticmethod
    def _contract_of(
        contract_id: str | None, version: str | None, topic: str | None, headers: Mapping[str, str]
    ) -> tuple[str, str]:
        from contracts import registry

        cid = contract_id or headers.get(H_SCHEMA) or topic or "unknown"
        if version is None:
            try:
                version = registry.load(cid).version
            except (ContractNotFound, ValueError):
                version = "0.0.0"
        return cid[:128], version

    def open(self, record: Mapping[str, Any]) -> Opened:
        """Decrypt a quarantine record's payload, key and headers (one uninformative error on failure)."""
        key = self.opening_key(record)
        try:
            qid, topic = record["quarantine_id"], record.get("source_topic")
            packed = _unseal(key, record["payload"], _aad(qid, "payload", topic))
            env = json.loads(_unseal(key, record["envelope"], _aad(qid, "envelope", topic)))
            encoding = record["payload_encoding"]
        except (KeyError, TypeError, ValueError):
            raise QuarantineError(_GENERIC) from None
        if encoding == "none":
            value = None
        elif encoding == "zlib":
            try:
                value = zlib.decompress(packed) if record.get("payload_complete", True) else packed
            except zlib.error:
                value = packed
        else:
            value = packed
        msg_key = base64.b64decode(env["key"]) if env.get("key") is not None else None
        headers = [(k, base64.b64decode(v) if v is not None else None) for k, v in env.get("headers", [])]
        return Opened(value=value, key=msg_key, headers=headers, complete=bool(record.get("payload_complete", True)))

    def outgoing(self, record: Mapping[str, Any], producer: str | None = None) -> Outgoing:
        """The message to produce to ``pipeline.quarantine.v1`` (keyed by quarantine id)."""
        return Outgoing(
            topic=topics.QUARANTINE,
            value=encode_value(record),
            key=record["quarantine_id"].encode(),
            headers=make_headers(topics.QUARANTINE, producer or self.processor,
                                 event_id=record["quarantine_id"],
                                 trace=record.get("source_event_id") or None),
        )


# --- the replay ledger ----------------------------------------------------------------------------


class ReplayLedger:
    """Which quarantine ids were replayed: a small SQLite table, so replay is once-only.

    A claim is taken before producing and marked done after the broker acknowledged; a failed
    produce releases it. Each source message (topic/partition/offset) can be replayed once, even
    when it was quarantined twice (e.g. a processor reprocessed a batch after a crash).
    """

    def __init__(self, path: str | Path | None = None, cfg: Settings | None = None) -> None:
        if path is None:
            from medshare.config import settings

            cfg = cfg or settings()
            cfg.state_dir.mkdir(parents=True, exist_ok=True)
            path = cfg.state_dir / "quarantine-replays.sqlite"
        self.path = str(path)
        with self._connect() as con:
            con.execute("""CREATE TABLE IF NOT EXISTS replays (
                quarantine_id TEXT PRIMARY KEY,
                source TEXT UNIQUE,
                status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
                claimed_at TEXT NOT NULL,
                replayed_at TEXT,
                target_partition INTEGER,
                target_offset INTEGER)""")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        return con

    @staticmethod
    def source_of(record: Mapping[str, Any]) -> str | None:
        if record.get("source_topic") is None or record.get("source_offset") is None:
            return None
        return f"{record['source_topic']}/{record.get('source_partition')}/{record['source_offset']}"

    def claim(self, qid: str, source: str | None) -> tuple[bool, str | None]:
        """Take the replay of ``qid``: ``(True, None)``, or ``(False, why)`` if already taken."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute("SELECT status FROM replays WHERE quarantine_id = ?", (qid,)).fetchone()
            if row:
                con.execute("ROLLBACK")
                return False, "already replayed" if row[0] == "done" else "replay in progress (or interrupted)"
            if source is not None:
                other = con.execute("SELECT quarantine_id FROM replays WHERE source = ?", (source,)).fetchone()
                if other:
                    con.execute("ROLLBACK")
                    return False, f"the same source message was already replayed as {other[0]}"
            con.execute("INSERT INTO replays (quarantine_id, source, status, claimed_at) VALUES (?, ?, 'pending', ?)",
                        (qid, source, now))
            con.execute("COMMIT")
            return True, None
        finally:
            con.close()

    def done(self, qid: str, partition: int | None = None, offset: int | None = None) -> None:
        with self._connect() as con:
            con.execute("UPDATE replays SET status = 'done', replayed_at = ?, target_partition = ?, "
                        "target_offset = ? WHERE quarantine_id = ?",
                        (datetime.now(UTC).isoformat(timespec="seconds"), partition, offset, qid))

    def release(self, qid: str) -> None:
        with self._connect() as con:
            con.execute("DELETE FROM replays WHERE quarantine_id = ? AND status = 'pending'", (qid,))

    def status(self, qid: str) -> str | None:
        with self._connect() as con:
            row = con.execute("SELECT status FROM replays WHERE quarantine_id = ?", (qid,)).fetchone()
        return row[0] if row else None

    def entries(self) -> list[dict[str, Any]]:
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute("SELECT * FROM replays ORDER BY claimed_at")]


# --- reading the topic and replaying ------------------------------------------------------------


@dataclass
class Entry:
    """A quarantine record as read from the topic, with where it sits there."""

    record: dict[str, Any]
    partition: int
    offset: int

    @property
    def qid(self) -> str:
        return self.record.get("quarantine_id", "")


def read_quarantine(
    cfg: Settings | None = None, principal: str = "pipeline", timeout_s: float = 20.0,
) -> list[Entry]:
    """Every record on ``pipeline.quarantine.v1``, oldest first per partition (no group, no commit)."""
    import time

    from kafka import TopicPartition

    from medshare.kafka import consumer

    c = consumer(principal, None, (), cfg=cfg, isolation_level="read_committed",
                 consumer_timeout_ms=1000)
    try:
        deadline = time.monotonic() + timeout_s
        parts = None
        while not parts and time.monotonic() < deadline:
            c.topics()
            parts = c.partitions_for_topic(topics.QUARANTINE)
            if not parts:
                time.sleep(0.2)
        if not parts:
            raise QuarantineError(f"topic {topics.QUARANTINE} not found (is the broker up and the topic created?)")
        tps = [TopicPartition(topics.QUARANTINE, p) for p in sorted(parts)]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        end = c.end_offsets(tps)
        out: list[Entry] = []
        while time.monotonic() < deadline and any(c.position(tp) < end[tp] for tp in tps):
            for tp, msgs in c.poll(timeout_ms=500, max_records=1000).items():
                for m in msgs:
                    try:
                        rec = json.loads(m.value)
                    except (TypeError, ValueError):
                        continue
                    if isinstance(rec, dict):
                        out.append(Entry(rec, tp.partition, m.offset))
        return out
    finally:
        c.close()


@dataclass
class ReplayOutcome:
    quarantine_id: str
    status: str  # replayed | already-replayed | still-invalid | not-replayable | shredded | failed | would-replay
    detail: str = ""
    violations: list[dict[str, Any]] = field(default_factory=list)
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"quarantine_id": self.quarantine_id, "status": self.status, "detail": self.detail,
                "violations": self.violations, "target": self.target}


def default_principal(topic: str) -> str:
    """Who may write ``topic``: platform topics are written by the platform principal."""
    return "platform" if topic.startswith("platform.") else "pipeline"


def replay_one(
    record: Mapping[str, Any], writer: QuarantineWriter, ledger: ReplayLedger, send: Any,
    dry_run: bool = False,
) -> ReplayOutcome:
    """Re-validate and republish one quarantined message through ``send(topic, value, key, headers)``.

    ``send`` returns ``(partition, offset)`` once the broker acknowledged (or raises).
    """
    from contracts import registry

    qid = str(record.get("quarantine_id", ""))
    topic = record.get("source_topic")
    if not topic:
        return ReplayOutcome(qid, "not-replayable", "no source topic (quarantined from a file)")
    if ledger.status(qid) == "done":
        return ReplayOutcome(qid, "already-replayed", "this quarantine id was replayed before")
    try:
        opened = writer.open(record)
    except PayloadShredded as exc:
        return ReplayOutcome(qid, "shredded", str(exc))
    if not opened.complete or opened.value is None:
        return ReplayOutcome(qid, "not-replayable", "the original was too big to keep whole, or had no value")
    try:
        validator = registry.load(record["contract_id"]).validator()
    except ContractNotFound as exc:
        return ReplayOutcome(qid, "not-replayable", str(exc))
    _, violations = validator.validate_bytes(opened.value)
    if violations:
        return ReplayOutcome(qid, "still-invalid", f"{len(violations)} violation(s) under {validator.version}",
                             [v.to_dict() for v in violations])
    if dry_run:
        return ReplayOutcome(qid, "would-replay", target=topic)
    ok, why = ledger.claim(qid, ReplayLedger.source_of(record))
    if not ok:
        return ReplayOutcome(qid, "already-replayed", why or "")
    headers = [(k, v) for k, v in opened.headers if k != REPLAY_HEADER and v is not None]
    headers.append((REPLAY_HEADER, qid.encode()))
    try:
        partition, offset = send(topic, opened.value, opened.key, headers)
    except Exception as exc:
        ledger.release(qid)
        return ReplayOutcome(qid, "failed", f"{type(exc).__name__}: {scrub(str(exc))[:200]}")
    ledger.done(qid, partition, offset)
    return ReplayOutcome(qid, "replayed", target=f"{topic}[{partition}]@{offset}")


def kafka_sender(cfg: Settings | None = None, principal: str | None = None, timeout_s: float = 30.0):
    """A ``send`` for :func:`replay_one` producing with the principal allowed to write each topic."""
    from medshare.kafka import producer

    producers: dict[str, Any] = {}

    def send(topic: str, value: bytes, key: bytes | None, headers: list[tuple[str, bytes]]) -> tuple[int, int]:
        who = principal or default_principal(topic)
        if who not in producers:
            producers[who] = producer(who, cfg)
        meta = producers[who].send(topic, value=value, key=key, headers=headers).get(timeout=timeout_s)
        return meta.partition, meta.offset

    def close() -> None:
        for p in producers.values():
            p.flush()
            p.close()

    send.close = close  # type: ignore[attr-defined]
    return send
