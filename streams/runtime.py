"""The loop every stream processor runs: consume a batch, transform, produce, commit — atomically.

Delivery semantics (docs/streams.md):

* Outputs and input offsets are committed in one Kafka transaction (``send_offsets_to_transaction``
  with the consumer's group metadata, KIP-447 fencing): a processor killed at any point either
  committed the whole batch or nothing of it, and a restart reprocesses exactly the uncommitted
  part. Consumers downstream read with ``isolation_level=read_committed``, so aborted outputs are
  never seen: no duplicates on insurer or lab topics.
* A processor with a side effect outside Kafka (the lab sink's database) commits that first,
  idempotently (upsert by key), then the Kafka transaction; a crash in between replays the batch
  and the upserts change nothing.
* A record that cannot be processed — bad JSON, a contract violation, an unexpected exception in
  the handler — becomes a quarantine record in the same transaction. It never blocks its
  partition and never crashes the processor; nothing is lost.
* SIGTERM/SIGINT: finish and commit the batch in hand, then exit 0. ``until_idle``: exit once
  every assigned partition is caught up and nothing arrived for ``idle_s`` seconds.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from medshare.config import Settings, settings
from medshare.envelope import Outgoing

log = logging.getLogger("medshare.streams")


class Rejected(Exception):  # noqa: N818 - a result, not a failure of the processor
    """A record the processor refuses; it goes to quarantine with these reasons."""

    def __init__(self, rule: str, message: str, violations: list[Any] | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.violations = violations or []


@dataclass
class Counters:
    consumed: int = 0
    published: int = 0
    quarantined: int = 0
    disclosed: int = 0
    batches: int = 0
    lag: int = 0
    last_batch_ms: float = 0.0
    #: wall-clock time at the start of the first batch and at the last commit (throughput across processes)
    first_batch_at: float = 0.0
    last_commit_at: float = 0.0
    started_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    extra: dict[str, int] = field(default_factory=dict)

    def bump(self, key: str, n: int = 1) -> None:
        self.extra[key] = self.extra.get(key, 0) + n


class Handler(Protocol):
    """What a processor implements; the runtime does the rest."""

    name: str
    inputs: tuple[str, ...]

    def begin_batch(self) -> None:
        """Refresh state before a batch (the router reloads consents applied since the last one)."""

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        """Outputs for one consumed message; raise :class:`Rejected` to quarantine it."""

    # optional: ``prepare(messages)`` is called with the whole batch before the first ``handle``
    # (the claims processor reads the batch's state in a few queries there); it must not raise
    # for a bad message: ``handle`` meets it and quarantines it.

    def quarantine(self, msg: Any, reason: Rejected | Exception) -> Outgoing:
        """The quarantine record for a message the handler could not process."""

    def before_commit(self) -> None:
        """Make side effects outside Kafka durable (e.g. commit a database transaction)."""

    def close(self) -> None: ...


@dataclass
class RunOptions:
    until_idle: bool = False
    idle_s: float = 3.0
    max_records: int = 500
    poll_ms: int = 500
    #: longest the broker holds a fetch with nothing new (see ``Runner.run``)
    fetch_max_wait_ms: int = 100
    instance: str = "0"
    #: with aligned inputs: how long a partition may wait for a lagging co-partitioned topic before
    #: its records go anyway. None (the default): as long as the other topic has records not yet
    #: fetched, or its end cannot be read (a broker failing over): results never depend on timing
    align_wait_s: float | None = None
    #: progress line (counters) at most this often
    log_every_s: float = 10.0
    #: the status file (``medshare status``, metrics) while running: at most this often
    status_every_s: float = 0.5
    #: for tests: stop after this many batches (simulates a crash point when combined with SIGKILL)
    max_batches: int | None = None


def tune_gc() -> None:
    """Collect garbage less often in a processor process (call once, after start-up).

    A batch makes hundreds of thousands of short-lived objects (parsed records, envelopes, client
    buffers); with CPython's default threshold (700) the cyclic collector ran every few records and
    cost ≈5–10 % of a router's time (measured). Objects alive at start-up (modules, contracts,
    agreements) are frozen out of every later collection; young collections run every 20,000
    allocations.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def status_dir(cfg: Settings) -> Path:
    d = cfg.state_dir / "processors"
    d.mkdir(parents=True, exist_ok=True)
    return d


def write_status(cfg: Settings, name: str, instance: str, counters: Counters, state: str,
                 assignment: list[str] | None = None) -> None:
    """Counters for ``medshare status`` and the Prometheus endpoint, written atomically.

    ``assignment``: the input partitions this instance holds (``topic:partition``), so one can see
    partitions move between the instances of a group.
    """
    counters.updated_at = time.time()
    path = status_dir(cfg) / f"{name}-{instance}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"processor": name, "instance": instance, "pid": os.getpid(),
                               "host": socket.gethostname(), "state": state, **asdict(counters),
                               "assignment": assignment or []}))
    tmp.replace(path)


class Runner:
    """Runs one handler instance in the consumer group ``medshare-<name>``."""

    def __init__(self, handler: Handler, opts: RunOptions | None = None, cfg: Settings | None = None) -> None:
        self.h = handler
        self.opts = opts or RunOptions()
        self.cfg = cfg or settings()
        self.counters = Counters()
        self._status_state, self._status_at = "", 0.0
        self._stop = False
        self._last_log = 0.0
        self._buffers: dict[Any, deque] = {}
        self._blocked_since: dict[int, float] = {}
        self._blocked_warned: set[int] = set()
        self._generation: int | None = None  # the group generation the buffers were filled in
        self._ends: dict[Any, int] = {}
        self._ends_at = 0.0

    # -- signals ---------------------------------------------------------------------------
    def _on_signal(self, signum, _frame) -> None:
        log.info("%s: signal %s, draining the current batch", self.h.name, signum)
        self._stop = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    # -- main loop -------------------------------------------------------------------------
    def run(self) -> Counters:
        from medshare import kafka as mk

        group = f"medshare-{self.h.name}"
        # fetch_max_wait_ms bounds a stall kafka-python can fall into with several input topics: it
        # keeps one fetch in flight per broker and leaves out of it (and so out of the broker's
        # fetch session) the partitions whose previous response it still holds. When that response
        # lands just as the next fetch is built, the fetch in flight names only partitions with
        # nothing new (an idle consents topic) and the broker holds it for the full wait while
        # settlements pile up behind it: 500 ms by default (seen once in ~30 claims benchmark runs)
        consumer = mk.consumer(
            "pipeline", group, self.h.inputs, cfg=self.cfg,
            isolation_level="read_committed", max_poll_records=self.opts.max_records,
            session_timeout_ms=10000, heartbeat_interval_ms=2000, fetch_max_wait_ms=self.opts.fetch_max_wait_ms,
        )
        # retry_backoff_ms: the broker answers CONCURRENT_TRANSACTIONS to the next transaction's
        # first AddOffsets/AddPartitions while it still writes the previous one's commit markers;
        # kafka-python then waits the whole backoff (100 ms by default: 33 ms of every batch went
        # there, measured). Retries are bounded by delivery_timeout_ms, not by a count.
        producer = mk.producer(
            "pipeline", cfg=self.cfg, transactional_id=f"{group}-{self.opts.instance}", record_futures=False,
            linger_ms=10, batch_size=262144, max_in_flight_requests_per_connection=5,
            retry_backoff_ms=20, retries=2**31 - 1, delivery_timeout_ms=120_000,
        )
        producer.init_transactions()
        self._consumer = consumer
        idle_since = time.monotonic()
        self._buffers: dict[Any, deque] = {}
        self._blocked_since: dict[int, float] = {}
        self._blocked_warned: set[int] = set()
        self._generation: int | None = None  # the group generation the buffers were filled in
        self._ends: dict[Any, int] = {}
        self._ends_at = 0.0
        try:
            while not self._stop:
                polled = consumer.poll(timeout_ms=self._poll_timeout_ms())
                messages = self._take(consumer, polled)
                if not messages:
                    self._update_lag(consumer)
                    self._status("idle")
                    if self.opts.until_idle and self.counters.lag == 0 and consumer.assignment() \
                            and not any(self._buffers.values()) \
                            and time.monotonic() - idle_since >= self.opts.idle_s:
                        break
                    continue
                idle_since = time.monotonic()
                self._process_batch(consumer, producer, messages)
                if self.opts.max_batches is not None and self.counters.batches >= self.opts.max_batches:
                    break
        finally:
            write_status(self.cfg, self.h.name, self.opts.instance, self.counters, "stopped")
            try:
                producer.close(timeout=10)
            finally:
                consumer.close()
                self.h.close()
        return self.counters

    def _poll_timeout_ms(self) -> int:
        """How long the next poll may wait for new records.

        With aligned inputs, records already buffered are work in hand: a poll that waited its full
        ``poll_ms`` for records that are not coming would hold them back (it once cost ≈0.5 s per
        batch while a backlog drained). Poll without waiting while a batch's worth is buffered,
        briefly while some partition waits for its co-partitioned topic, and normally otherwise.
        """
        if not self._buffers:
            return self.opts.poll_ms
        buffered = sum(len(d) for d in self._buffers.values())
        if buffered >= self.opts.max_records or (buffered and not self._blocked_since):
            return 0
        return min(self.opts.poll_ms, 20) if buffered else self.opts.poll_ms

    def _take(self, consumer, polled: dict[Any, list[Any]]) -> list[Any]:
        """The messages to process now.

        Without alignment: everything polled. With ``handler.align_inputs`` (several input topics
        keyed alike, e.g. settlements and their notes): messages are buffered per partition and
        released in timestamp order across the topics of the same partition number, only while
        every such topic either has a buffered message or is caught up — the way Kafka Streams
        synchronises co-partitioned inputs — so a note is not handled before the settlement
        published ahead of it (on equal timestamps, in the order of ``handler.inputs``). A topic
        with nothing to deliver (caught up) holds nothing back; one
        whose records exist but have not arrived yet — or whose end offset cannot be read, e.g.
        while its leader fails over — does, for as long as that lasts (KIP-695's rule for Kafka
        Streams): releasing them after a timeout let a broker failover change results (a
        settlement routed before the revocation published ahead of it; a claim evaluated before
        its enrolment). ``align_wait_s`` sets a
        bound for whoever prefers availability; a partition blocked for more than 30 s is logged.
        """
        if not getattr(self.h, "align_inputs", False):
            return [m for records in polled.values() for m in records]
        self._forget_across_rebalance(consumer)
        for tp, records in polled.items():
            self._buffers.setdefault(tp, deque()).extend(records)
        assigned = consumer.assignment()
        for tp in [tp for tp in self._buffers if tp not in assigned]:
            del self._buffers[tp]  # revoked: its records will be fetched again by the new owner
        by_partition: dict[int, list[Any]] = {}
        for tp in assigned:
            by_partition.setdefault(tp.partition, []).append(tp)
        out: list[Any] = []
        now = time.monotonic()
        caught_up: dict[Any, bool] = {}  # positions do not move while records are taken
        # equal timestamps (one millisecond) go in the handler's input order — settlements before
        # their notes — not in whatever order the assignment set yields: the cluster test once saw
        # a note handled before its settlement that way, and the patient's name stayed in the note
        rank = {topic: i for i, topic in enumerate(getattr(self.h, "inputs", ()))}

        def lagging(tp) -> bool:
            if tp not in caught_up:
                caught_up[tp] = self._caught_up(consumer, tp)
            return not caught_up[tp]

        for p, tps in by_partition.items():
            while len(out) < self.opts.max_records:
                heads = [tp for tp in tps if self._buffers.get(tp)]
                if not heads:
                    self._blocked_since.pop(p, None)
                    break
                waiting = [tp for tp in tps if not self._buffers.get(tp) and lagging(tp)]
                if not waiting:
                    self._blocked_since.pop(p, None)
                else:
                    blocked = now - self._blocked_since.setdefault(p, now)
                    if self.opts.align_wait_s is None or blocked < self.opts.align_wait_s:
                        if blocked > 30 and p not in self._blocked_warned:
                            self._blocked_warned.add(p)
                            log.warning("%s: partition %d has waited %.0f s for %s (records not fetched yet, "
                                        "or its end offset unreadable)", self.h.name, p, blocked,
                                        ", ".join(tp.topic for tp in waiting))
                        break
                self._blocked_warned.discard(p)
                tp = min(heads, key=lambda x: (self._buffers[x][0].timestamp, rank.get(x.topic, len(rank))))
                out.append(self._buffers[tp].popleft())
        return out

    def _forget_across_rebalance(self, consumer) -> None:
        """Drop the records buffered for alignment when the group's generation changed.

        After a rebalance the consumer starts every partition it was given — including one it held
        before — from the committed offset, so the records it had buffered come again: kept, they
        were handled twice (the cluster test saw claim results published twice). Each partition
        is set back to the first record it held (everything before it is committed), which is
        where the consumer resumes anyway.
        """
        try:
            generation = consumer.group_metadata().generation_id
        except Exception:  # noqa: BLE001 - no group (assigned partitions): nothing to compare
            return
        previous, self._generation = self._generation, generation
        if previous is None or previous == generation or not self._buffers:
            return
        assigned = consumer.assignment()
        for tp, buf in self._buffers.items():
            if buf and tp in assigned:
                consumer.seek(tp, buf[0].offset)
        self._buffers.clear()
        self._blocked_since.clear()

    def _process_batch(self, consumer, producer, messages: list[Any]) -> None:
        from kafka import OffsetAndMetadata, TopicPartition

        from medshare import kafka as mk

        t0 = time.monotonic()
        if not self.counters.first_batch_at:
            self.counters.first_batch_at = time.time()
        # The input offsets are known before any record is handled: they go to the transaction
        # first, so their two round trips (AddOffsetsToTxn, TxnOffsetCommit — and the retry while
        # the broker still writes the previous commit's markers) overlap the handling instead of
        # following it (≈6 ms of a 45 ms claims batch, measured). Order inside a transaction does
        # not matter: outputs and offsets become visible together at the commit, or not at all.
        offsets: dict[Any, Any] = {}
        for msg in messages:
            offsets[TopicPartition(msg.topic, msg.partition)] = OffsetAndMetadata(msg.offset + 1, "", -1)
        c = self.counters
        before = (c.consumed, c.quarantined, c.disclosed, dict(c.extra))
        producer.begin_transaction()
        try:
            offsets_sent = mk.send_offsets_async(producer, offsets, consumer.group_metadata())
            self.h.begin_batch()
            prepare = getattr(self.h, "prepare", None)
            if prepare is not None:
                try:
                    prepare(messages)
                except Exception:  # noqa: BLE001 - a read-ahead only: handle() meets the cause per message
                    log.warning("%s: prepare failed; the batch is handled without read-ahead", self.h.name,
                                exc_info=True)
            outputs: list[Outgoing] = []
            for msg in messages:
                self.counters.consumed += 1
                try:
                    outs = self.h.handle(msg, self.counters)
                except Rejected as exc:
                    outs = [self.h.quarantine(msg, exc)]
                    self.counters.quarantined += 1
                except Exception as exc:  # noqa: BLE001 - a poison record must not stop the partition
                    log.warning("%s: %s at %s[%s]@%s quarantined: %s", self.h.name, type(exc).__name__,
                                msg.topic, msg.partition, msg.offset, exc)
                    outs = [self.h.quarantine(msg, exc)]
                    self.counters.quarantined += 1
                outputs.extend(outs)
            # sent together after the last record, not as they are made: the producer's I/O thread
            # then ships a few large requests instead of competing for the GIL with the handler
            # (sending as made was ≈25 % slower, measured)
            for out in outputs:
                producer.send(out.topic, value=out.value, key=out.key, headers=out.headers)
            self.h.before_commit()
            offsets_sent.wait()
            producer.commit_transaction()
        except Exception as exc:
            if _lost_generation(exc, producer):
                # the group rebalanced while the batch was in hand (an instance joined or left): the
                # broker refused its offsets for the old generation. Abort, give the batch back (its
                # partitions' positions rewound), and go on: whoever owns them now reprocesses it
                log.warning("%s: the group rebalanced during a batch (%s); aborted, its %d records will be "
                            "reprocessed", self.h.name, exc, len(messages))
                producer.abort_transaction()
                self._rewind(consumer, messages)
                c.consumed, c.quarantined, c.disclosed, c.extra = before  # it will be counted when redone
                c.bump("rebalance_aborts")
                return
            log.exception("%s: transaction failed; aborting, the batch will be reprocessed", self.h.name)
            try:
                producer.abort_transaction()
            finally:
                raise
        self.counters.published += sum(1 for o in outputs if not o.topic.startswith("pipeline."))
        self.counters.batches += 1
        self.counters.last_commit_at = time.time()
        if time.monotonic() - self._last_log >= self.opts.log_every_s:
            self._last_log = time.monotonic()
            c = self.counters
            log.info("%s: consumed=%d published=%d quarantined=%d disclosed=%d batches=%d last_batch_ms=%.1f",
                     self.h.name, c.consumed, c.published, c.quarantined, c.disclosed, c.batches, c.last_batch_ms,
                     extra={"ctx": {"processor": self.h.name, "instance": self.opts.instance, "consumed": c.consumed,
                                    "published": c.published, "quarantined": c.quarantined,
                                    "disclosed": c.disclosed, "batches": c.batches}})
        self.counters.last_batch_ms = round((time.monotonic() - t0) * 1000, 2)
        self._status("running")

    def _rewind(self, consumer, messages: list[Any]) -> None:
        """Set each partition of an aborted batch (and of the records buffered for alignment) back to
        its first record not committed, so nothing of it is skipped if this instance keeps the
        partition. (After the rebalance the consumer starts newly assigned partitions from their
        committed offsets anyway.)"""
        from kafka import TopicPartition

        first: dict[Any, int] = {}
        held = [buf[0] for buf in getattr(self, "_buffers", {}).values() if buf]
        for m in [*messages, *held]:
            tp = TopicPartition(m.topic, m.partition)
            first[tp] = min(first.get(tp, m.offset), m.offset)
        if getattr(self, "_buffers", None):
            self._buffers.clear()
            self._blocked_since.clear()
        assigned = consumer.assignment()
        for tp, offset in first.items():
            if tp in assigned:
                consumer.seek(tp, offset)

    def _status(self, state: str) -> None:
        """Write the status file on a change of state, else at most every ``status_every_s``
        (a write per batch cost ≈1 ms, and up to 15 ms on a busy disk, of a 30 ms batch)."""
        now = time.monotonic()
        if state != self._status_state or now - self._status_at >= self.opts.status_every_s:
            consumer = getattr(self, "_consumer", None)
            assignment = sorted(f"{tp.topic}:{tp.partition}" for tp in consumer.assignment()) if consumer else []
            write_status(self.cfg, self.h.name, self.opts.instance, self.counters, state, assignment)
            self._status_state, self._status_at = state, now

    def _caught_up(self, consumer, tp) -> bool:
        """Whether ``tp`` has nothing more to deliver now.

        The high watermark is known only once a fetch for ``tp`` came back; until then (an input
        topic nothing was published to yet, e.g. notes while settlements flow) the end offset is
        asked of the broker, at most every 0.5 s. An end or position that cannot be read counts as
        not caught up: the co-partitioned records wait for it.
        """
        high = consumer.highwater(tp)
        if high is None:
            now = time.monotonic()
            if tp not in self._ends or now - self._ends_at >= 0.5:
                try:
                    self._ends = dict(consumer.end_offsets(list(consumer.assignment())))
                    self._ends_at = now
                except Exception:  # noqa: BLE001 - unknown end: not caught up
                    return False
            high = self._ends.get(tp)
            if high is None:
                return False
        try:
            return consumer.position(tp, timeout_ms=1000) >= high
        except Exception:  # noqa: BLE001 - unknown position: not caught up
            return False

    def _update_lag(self, consumer) -> None:
        parts = consumer.assignment()
        if not parts:
            return
        try:
            ends = consumer.end_offsets(list(parts))
            self.counters.lag = sum(max(0, ends[tp] - (consumer.position(tp) or 0)) for tp in parts)
        except Exception:  # noqa: BLE001 - lag is informative only
            pass




def _lost_generation(exc: BaseException, producer: Any = None) -> bool:
    """Whether ``exc`` says the consumer's group generation moved on under the transaction (a
    rebalance): an abortable error, after which the producer may begin a new transaction.

    kafka-python raises it from the offsets' wait, or — when a ``send()`` of the same batch came
    first — as a ``KafkaError`` that carries it ("at least one previous transactional request has
    failed"); the transaction manager keeps it as its last error either way.
    """
    from kafka import errors as kerr

    lost = (kerr.CommitFailedError, kerr.FencedInstanceIdError, kerr.IllegalGenerationError,
            kerr.UnknownMemberIdError, kerr.RebalanceInProgressError)
    tm = getattr(producer, "_transaction_manager", None)
    if tm is not None and hasattr(tm, "has_fatal_error") and tm.has_fatal_error():
        return False  # e.g. fenced by a newer instance with the same transactional id: stop
    seen = [exc, exc.__cause__, exc.__context__, *(a for a in exc.args if isinstance(a, BaseException))]
    if tm is not None and hasattr(tm, "has_abortable_error") and tm.has_abortable_error():
        seen.append(tm.last_error)
    return any(isinstance(e, lost) for e in seen)


def read_statuses(cfg: Settings | None = None) -> list[dict[str, Any]]:
    cfg = cfg or settings()
    out = []
    for path in sorted(status_dir(cfg).glob("*.json")):
        try:
            out.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError):
            continue
    return out
