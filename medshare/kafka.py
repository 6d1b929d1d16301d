"""Kafka clients (kafka-python) built from a principal's connection bundle.

Credentials of the local principals are generated at first broker start and kept in
``$MEDSHARE_HOME/secrets/principals.json`` (mode 0600). A *bundle* is what a principal needs to
connect with any standard Kafka client: bootstrap servers, security protocol (``SASL_SSL``), the CA
file that verifies the brokers' certificates (``ssl_cafile``), SASL mechanism, username and password
(plus, for an insurer, its topics, group prefix and private key path). Every client built here
verifies the broker's certificate and host name (TLS 1.2 or newer).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medshare.config import Settings, private_dir, settings
from medshare.errors import UserError

# kafka-python warns about SCRAM on a connection it does not know to be encrypted; ours all are
logging.getLogger("kafka.net.sasl.scram").setLevel(logging.ERROR)
# "No partition metadata for topic" while a new consumer's first metadata arrives: noise
logging.getLogger("kafka.coordinator.assignors.range").setLevel(logging.ERROR)


def _not_metadata_backoff(record: logging.LogRecord) -> bool:
    """kafka-python's "No node available for metadata refresh - backoff/retry" while a new client's
    first connection is still in its TLS and SCRAM handshake (seen in the demo's mart release): it
    retries by itself, and a broker that is really down still fails the call with an error."""
    return not record.getMessage().startswith("No node available for metadata refresh")


logging.getLogger("kafka.cluster").addFilter(_not_metadata_backoff)

#: the principals every deployment has; insurers are added by onboarding as ``insurer-<code>``
CORE_PRINCIPALS = ("admin", "pipeline", "platform", "compliance")


def _credentials_file(cfg: Settings) -> Path:
    return cfg.secrets_dir / "principals.json"


def load_credentials(cfg: Settings | None = None) -> dict[str, str]:
    """``{principal: password}`` of every known principal ({} before the first broker start)."""
    path = _credentials_file(cfg or settings())
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def ensure_credentials(names: Iterable[str], cfg: Settings | None = None) -> dict[str, str]:
    """Return passwords for ``names``, generating (and saving, 0600) any that do not exist yet."""
    cfg = cfg or settings()
    creds = load_credentials(cfg)
    missing = [n for n in names if n not in creds]
    if missing:
        for name in missing:
            creds[name] = secrets.token_urlsafe(24)
        private_dir(cfg.secrets_dir)
        path = _credentials_file(cfg)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(creds, fh, indent=2, sort_keys=True)
        tmp.replace(path)
    return creds


def bundle(principal: str, cfg: Settings | None = None) -> dict[str, Any]:
    """The connection bundle of ``principal`` (raises ``UserError`` if it is unknown)."""
    cfg = cfg or settings()
    creds = load_credentials(cfg)
    if principal not in creds:
        known = ", ".join(sorted(creds)) or "none yet: run `medshare broker start`"
        raise UserError(f"unknown principal {principal!r} (known: {known})")
    cafile = cfg.cafile
    return {
        "principal": principal,
        "bootstrap_servers": cfg.bootstrap,
        "security_protocol": cfg.security_protocol,
        # None on SASL_SSL: the system's trust store (an external cluster with a public CA)
        "ssl_cafile": str(cafile) if cafile else None,
        "sasl_mechanism": cfg.sasl_mechanism,
        "username": principal,
        "password": creds[principal],
    }


#: kafka-python's own metrics (sensors updated on every request and batch, read by nobody here:
#: processors keep their own counters) cost ≈10 % of a producer's CPU at 500 sends/s, measured.
#: Producers and consumers turn them off; the admin client has no such switch.
NO_CLIENT_METRICS: dict[str, Any] = {"metrics_enabled": False}


def client_config(b: dict[str, Any]) -> dict[str, Any]:
    """kafka-python keyword arguments for a bundle.

    On ``SASL_SSL`` the broker's certificate is verified against the bundle's ``ssl_cafile`` (the
    system's trust store when it is empty) and its host name checked; kafka-python refuses
    anything older than TLS 1.2.
    """
    kwargs = {
        "bootstrap_servers": b["bootstrap_servers"].split(","),
        "security_protocol": b["security_protocol"],
        "sasl_mechanism": b["sasl_mechanism"],
        "sasl_plain_username": b["username"],
        "sasl_plain_password": b["password"],
    }
    if b["security_protocol"] == "SASL_SSL":
        kwargs["ssl_cafile"] = b.get("ssl_cafile") or None
        kwargs["ssl_check_hostname"] = True
    return kwargs


def _key_partitioner():
    """kafka-python's default partitioner (Java's murmur2, so every client agrees) with the hash
    of each key remembered.

    Keys repeat — one person's events share a key — and the pure-Python murmur2 cost ≈15 µs a
    message, a third of ``send()``. The cache is bounded: it is cleared when it reaches 200,000 keys.
    """
    from kafka.partitioner.default import DefaultPartitioner, murmur2

    class KeyCachingPartitioner(DefaultPartitioner):
        limit = 200_000

        def __init__(self) -> None:
            self._hashes: dict[bytes, int] = {}

        def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
            if serialized_key is None:
                return super().partition(topic, key, serialized_key, value, serialized_value, cluster)
            parts = cluster.partitions_for_topic(topic)
            if not parts:
                raise ValueError(f"Topic {topic} not found in ClusterMetadata")
            h = self._hashes.get(serialized_key)
            if h is None:
                if len(self._hashes) >= self.limit:
                    self._hashes.clear()
                h = self._hashes[serialized_key] = murmur2(serialized_key) & 0x7FFFFFFF
            return sorted(parts)[h % len(parts)]

    return KeyCachingPartitioner()


_lean = threading.local()


def _without_record_futures(producer) -> None:
    """Make ``producer`` build its record batches without a future per record.

    kafka-python makes a ``FutureRecordMetadata`` for every ``send()`` and resolves each when its
    batch is acknowledged: ≈10 µs a message, a quarter of ``send()``. A transactional processor
    never reads them — a failed batch fails the transaction, which ``commit_transaction`` raises,
    and ``flush`` waits on batches, not records — so its producer skips them (``send`` then returns
    no future). Batches of other producers in the process are untouched.
    """
    from kafka.producer import record_accumulator as ra
    from kafka.producer.producer_batch import ProducerBatch

    if not getattr(ra.ProducerBatch, "medshare_factory", False):
        class _LeanBatch(ProducerBatch):
            def try_append(self, timestamp_ms, key, value, headers, now=None):
                size = append_record(self.records, timestamp_ms, key, value, headers)
                if size is None:
                    return None
                if size > self.max_record_size:
                    self.max_record_size = size
                self.last_append = time.monotonic() if now is None else now
                return NO_FUTURE

        def batch(tp, records, now=None):
            return (_LeanBatch if getattr(_lean, "on", False) else ProducerBatch)(tp, records, now=now)

        batch.medshare_factory = True
        ra.ProducerBatch = batch

    append = producer._accumulator.append

    def lean_append(*args, **kwargs):
        _lean.on = True
        try:
            return append(*args, **kwargs)
        finally:
            _lean.on = False

    producer._accumulator.append = lean_append


#: what ``send()`` returns on a producer made with ``record_futures=False``
NO_FUTURE = True


def _varint_bytes(n: int) -> bytes:
    """kafka-python's zigzag varint of ``n`` as bytes."""
    from kafka.record.util import encode_varint

    out = bytearray()
    encode_varint(n, out.append)
    return bytes(out)


#: the varints of 0 .. 16383 (lengths, offsets and timestamp deltas of a batch are almost always
#: among them): one tuple index instead of a Python call per varint
_VARINTS = tuple(_varint_bytes(n) for n in range(1 << 14))
_NULL = b"\x01"  # the varint of -1: a null key, value or header value
_HEADER_NAMES: dict[str, bytes] = {}


def _varint(n: int) -> bytes:
    return _VARINTS[n] if 0 <= n < 16384 else _varint_bytes(n)


def append_record(records: Any, timestamp_ms: int | None, key: bytes | None, value: bytes | None,
                  headers: list[tuple[str, bytes | None]]) -> int | None:
    """``records.append(timestamp_ms, key, value, headers)`` of a v2 ``MemoryRecordsBuilder``, with
    the same bytes and the same refusals, ≈3× faster: returns the record's size in the batch, or None
    when the batch has no room (kafka-python returns its metadata, of which the producer reads the size).

    kafka-python writes each record varint by varint, a Python call per byte group (14 varints for a
    message with four headers: ≈40 % of ``send()``); here small varints are looked up. Other
    builders (message format v0/v1) take kafka-python's own path.
    ``tests/medshare/test_kafka_append.py`` proves the batches byte-identical.
    """
    if records._closed:
        return None
    b = records._builder
    if records._magic != 2 or type(b).append is not _DEFAULT_APPEND:
        metadata = records.append(timestamp_ms, key, value, headers)
        return None if metadata is None else metadata.size
    offset = records._next_offset
    if timestamp_ms is None:
        timestamp_ms = int(time.time() * 1000)
    _check_record_types(timestamp_ms, key, value)
    first = b._first_timestamp is None
    if first:
        b._first_timestamp = b._max_timestamp = timestamp_ms
        delta = 0
    else:
        delta = timestamp_ms - b._first_timestamp
    parts = [b"\x00", _varint(delta), _varint(offset)]
    if key is None:
        parts.append(_NULL)
    else:
        parts += (_varint(len(key)), key)
    if value is None:
        parts.append(_NULL)
    else:
        parts += (_varint(len(value)), value)
    parts.append(_varint(len(headers)))
    if headers:
        _encode_headers(headers, parts)
    message = b"".join(parts)
    length = _varint(len(message))
    size = len(message) + len(length)
    buffer = b._buffer
    if size + len(buffer) > b._batch_size and not first:
        return None
    if b._max_timestamp < timestamp_ms:
        b._max_timestamp = timestamp_ms
    b._num_records += 1
    b._last_offset = offset
    buffer += length
    buffer += message
    records._next_offset = offset + 1
    return size


def _check_record_types(timestamp_ms: Any, key: Any, value: Any) -> None:
    if type(timestamp_ms) is not int:
        raise TypeError(timestamp_ms)
    if not (key is None or type(key) in _BYTE_LIKE):
        raise TypeError(f"Not supported type for key: {type(key)}")
    if not (value is None or type(value) in _BYTE_LIKE):
        raise TypeError(f"Not supported type for value: {type(value)}")


def _encode_headers(headers: list[tuple[str, bytes | None]], parts: list[bytes]) -> None:
    for h_key, h_value in headers:
        name = _HEADER_NAMES.get(h_key)
        if name is None:
            name = h_key.encode("utf-8")
            if len(_HEADER_NAMES) < 1000:
                _HEADER_NAMES[h_key] = name
        parts += (_varint(len(name)), name)
        if h_value is None:
            parts.append(_NULL)
        else:
            parts += (_varint(len(h_value)), h_value)


def _default_append() -> Any:
    from kafka.record.default_records import DefaultRecordBatchBuilder

    return DefaultRecordBatchBuilder.append


_DEFAULT_APPEND = _default_append()
_BYTE_LIKE = (bytes, bytearray, memoryview)


class _SenderClient:
    """The producer's network client as its sender thread sees it, with ``await_ready`` returning
    False where kafka-python's raises.

    kafka-python 3.0.12 loses a transactional request when the connection to its coordinator fails:
    in ``Sender._maybe_send_transactional_request`` the node was already chosen when ``await_ready``
    raises, so the ``except`` branch looks the coordinator up again but never re-queues the request
    (``retry()`` runs only when no node was chosen). The transaction then waits for an
    AddPartitionsToTxn that is never sent: measured on the three-broker cluster, a producer whose
    transaction coordinator was killed stalled until its records expired (120 s) and the broker
    aborted the transaction and fenced it. With ``False`` the sender takes its other branch, which
    looks the coordinator up and re-queues the request (kafka-python's own handling of a node that
    is not ready). Everything else goes to the real client.
    """

    def __init__(self, client: Any) -> None:
        object.__setattr__(self, "_client", client)

    def await_ready(self, node_id: Any, timeout_ms: int = 30000) -> bool:
        from kafka.errors import KafkaConnectionError

        try:
            return self._client.await_ready(node_id, timeout_ms=timeout_ms)
        except KafkaConnectionError:
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._client, name, value)


def _sender_survives_a_lost_coordinator(producer: Any) -> None:
    sender = getattr(producer, "_sender", None)
    if sender is not None and not isinstance(sender._client, _SenderClient):
        sender._client = _SenderClient(sender._client)


def producer(principal: str = "pipeline", cfg: Settings | None = None, record_futures: bool = True,
             **overrides: Any):
    """A producer that waits for all in-sync replicas (``acks='all'``) and retries safely: idempotent
    (the broker drops a retried batch it already has, so a leader change mid-send duplicates
    nothing), retried until ``delivery_timeout_ms`` (2 minutes) rather than a count.

    ``record_futures=False``: ``send()`` returns no per-record future (a transactional processor
    learns of failures from the commit); see :func:`_without_record_futures`.
    """
    from kafka import KafkaProducer

    kwargs: dict[str, Any] = {
        "partitioner": _key_partitioner(),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "retries": 2**31 - 1,
        "delivery_timeout_ms": 120_000,
        "max_in_flight_requests_per_connection": 1,
        "client_id": f"medshare-{principal}",
        **NO_CLIENT_METRICS,
    }
    kwargs.update(client_config(bundle(principal, cfg)))
    kwargs.update(overrides)
    made = KafkaProducer(**kwargs)
    _sender_survives_a_lost_coordinator(made)
    if not record_futures:
        _without_record_futures(made)
        made._medshare_lean = True
    return made


def _headers_bound(headers: list[Any]) -> int:
    """At least the bytes ``headers`` take in a record; ``TypeError`` as ``send`` raises it for a bad one."""
    size = 0
    for h in headers:
        if not (isinstance(h, tuple) and len(h) == 2 and isinstance(h[0], str) and isinstance(h[1], bytes)):
            raise TypeError("All headers items must be (str, bytes) tuples")
        size += 4 * len(h[0]) + len(h[1]) + 10
    return size


def _check_message(producer: Any, key: Any, value: Any, headers: list[Any]) -> None:
    """``send``'s own refusals of a key, value or size."""
    from kafka.errors import MessageSizeTooLargeError

    if type(key) not in _BYTE_LIKE:
        raise TypeError(f"Unsupported type for serialized key: {type(key)}")
    if type(value) not in _BYTE_LIKE:
        raise TypeError(f"Unsupported type for serialized value: {type(value)}")
    size = producer._estimate_size_in_bytes(key, value, headers)
    if size > producer.config["max_request_size"]:
        raise MessageSizeTooLargeError(
            f"The message is {size} bytes when serialized which is larger than the maximum request "
            "size you have configured with the max_request_size configuration")


def send_all(producer: Any, messages: Iterable[Any]) -> None:
    """``producer.send(m.topic, value=m.value, key=m.key, headers=m.headers)`` for each of ``messages``
    (:class:`medshare.envelope.Outgoing`), in order, on a producer made with ``record_futures=False``.

    The same records in the same batches and partitions, with the same refusals (``TypeError`` for
    a bad key, value or header, ``MessageSizeTooLargeError``, a closed producer, a transaction in an
    error state), at about half of ``send``'s cost per message: what ``send`` does per message and
    needs doing once — the partition list of each topic, the transaction's partitions, the size
    estimate of a message far below the limit, a debug line formatted whether logged or not — is
    done once per call, and the partitioner's remembered key hashes are read directly. Messages
    without a key (sticky partitioning), to a topic whose metadata is not known yet (``send``
    waits for it), and any producer not made here without futures go through ``send`` itself.
    """
    if not getattr(producer, "_medshare_lean", False):  # any other producer: its own send()
        _send_each(producer, messages)
        return
    if producer._closed:
        from kafka.errors import IllegalStateError

        raise IllegalStateError("KafkaProducer already closed!")
    cfg = producer.config
    partitioner = cfg["partitioner"]
    hashes = getattr(partitioner, "_hashes", None)
    if hashes is None or cfg["key_serializer"] is not None or cfg["value_serializer"] is not None:
        _send_each(producer, messages)
        return
    from kafka import TopicPartition

    tm = producer._transaction_manager
    transactional = tm is not None and tm.is_transactional()
    if transactional:
        tm._fail_if_not_ready_for_send()
    metadata = producer._metadata
    append = producer._accumulator.append
    wakeup = producer._sender.wakeup
    # kafka-python's estimate is 82 bytes of batch and record overhead plus the record's fields with
    # their varints (at most 5 bytes each); a message whose generous bound is within the limit needs
    # no exact estimate
    limit = cfg["max_request_size"] - 100
    parts_of: dict[str, list[int]] = {}
    tps: dict[tuple[str, int], Any] = {}
    for m in messages:
        topic, key, value, headers = m.topic, m.key, m.value, m.headers
        parts = parts_of.get(topic)
        if parts is None:
            known = metadata.partitions_for_topic(topic)
            if known:
                parts = parts_of[topic] = sorted(known)
        if parts is None or key is None or value is None or type(headers) is not list:
            producer.send(topic, value=value, key=key, headers=headers)
            continue
        if _headers_bound(headers) + len(key) + len(value) > limit or type(key) not in _BYTE_LIKE \
                or type(value) not in _BYTE_LIKE:
            _check_message(producer, key, value, headers)
        h = hashes.get(key)
        if h is None:
            partition = partitioner.partition(topic, key, key, value, value, metadata)
        else:
            partition = parts[h % len(parts)]
        tp = tps.get((topic, partition))
        if tp is None:
            tp = tps[(topic, partition)] = TopicPartition(topic, partition)
            if transactional:
                tm.maybe_add_partition_to_transaction(tp)
        _, full, new_batch, _ = append(tp, None, key, value, headers)
        if full or new_batch:
            wakeup()


def _send_each(producer: Any, messages: Iterable[Any]) -> None:
    for m in messages:
        producer.send(m.topic, value=m.value, key=m.key, headers=m.headers)


def send_offsets_async(producer, offsets: dict[Any, Any], group_metadata: Any):
    """Start ``producer.send_offsets_to_transaction(offsets, group_metadata)`` without waiting;
    ``.wait()`` on the result (it raises what the blocking call would) before committing.

    kafka-python's method is exactly these two calls and a wait; the runtime does work in between.
    """
    if not producer._transaction_manager:
        from kafka.errors import IllegalStateError

        raise IllegalStateError("Cannot use transactional methods without enabling transactions")
    result = producer._transaction_manager.send_offsets_to_transaction(offsets, group_metadata)
    producer._sender.wakeup()
    return result


def consumer(
    principal: str,
    group_id: str | None,
    topics: Iterable[str] = (),
    cfg: Settings | None = None,
    **overrides: Any,
):
    """A consumer with manual commits (processors commit only after their outputs are acked)."""
    from kafka import KafkaConsumer

    kwargs: dict[str, Any] = {
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "client_id": f"medshare-{principal}",
        **NO_CLIENT_METRICS,
    }
    kwargs.update(client_config(bundle(principal, cfg)))
    kwargs.update(overrides)
    return KafkaConsumer(*list(topics), **kwargs)


def admin(principal: str = "admin", cfg: Settings | None = None, **overrides: Any):
    from kafka.admin import KafkaAdminClient

    kwargs: dict[str, Any] = {"client_id": f"medshare-{principal}-admin"}
    kwargs.update(client_config(bundle(principal, cfg)))
    kwargs.update(overrides)
    return KafkaAdminClient(**kwargs)


def read_whole_topic(principal: str, topic: str, cfg: Settings | None = None, timeout_s: float = 30.0,
                     connect_timeout_s: float = 10.0, poll_ms: int = 500):
    """Every committed message of ``topic``, from the beginning to the end offsets at the start.

    No consumer group (nothing is committed): a compliance read of a governance topic. Raises
    ``TimeoutError`` if the end is not reached within ``timeout_s``, and the client's own errors
    when the broker cannot be reached.
    """
    from kafka import TopicPartition

    c = consumer(principal, None, cfg=cfg, isolation_level="read_committed",
                 bootstrap_timeout_ms=int(connect_timeout_s * 1000))
    try:
        parts = [TopicPartition(topic, p) for p in sorted(c.partitions_for_topic(topic) or [])]
        if not parts:
            return
        c.assign(parts)
        c.seek_to_beginning()
        ends = c.end_offsets(parts)
        deadline = time.monotonic() + timeout_s
        while any(c.position(tp) < ends[tp] for tp in parts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic} not read to its end within {timeout_s:.0f} s")
            for records in c.poll(timeout_ms=poll_ms).values():
                yield from records
    finally:
        c.close()

