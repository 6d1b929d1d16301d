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

import faulthandler
import json
import logging
import os
import signal
import socket
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from itertools import repeat
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
    #: records of the assigned partitions not handled yet; -1 unknown (see Runner._update_lag)
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

    # optional: ``partitions_assigned()`` is called before the first batch after the group gave
    # this instance partitions (at start and after every rebalance). A handler that folds shared
    # state incrementally (consents, enrolments: "rows with seq > the last one seen") rebuilds it
    # there: on Postgres, concurrent writers (the other instances, consent-sync) commit sequence
    # numbers out of order, so an incremental fold can step over a row that was still uncommitted;
    # the previous owner of a partition committed its rows before it gave the partition up (it
    # rejoins from poll(), between batches), so a full fold at assignment sees all of them.
    #
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
    #: with aligned inputs: records buffered per input partition before its fetching is paused
    #: (a partition waiting for a lagging co-partitioned topic must not fill memory meanwhile)
    align_buffer_max: int = 5000
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
                 assignment: list[str] | None = None, buffered: int = 0, blocked: list[int] | None = None) -> None:
    """Counters for ``medshare status`` and the Prometheus endpoint, written atomically.

    ``assignment``: the input partitions this instance holds (``topic:partition``), so one can see
    partitions move between the instances of a group; ``buffered``: records fetched and held for
    alignment; ``blocked``: partition numbers waiting for a co-partitioned topic.
    """
    counters.updated_at = time.time()
    path = status_dir(cfg) / f"{name}-{instance}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"processor": name, "instance": instance, "pid": os.getpid(),
                               "host": socket.gethostname(), "state": state, **asdict(counters),
                               "assignment": assignment or [], "buffered": buffered, "blocked": blocked or []}))
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
        #: the group assigned partitions since the last batch (the handler rebuilds its shared state)
        self._reassigned = True
        #: partition -> offset of its first record dropped from the alignment buffers at a revocation
        self._rewind_to: dict[Any, int] = {}
        self._last_log = 0.0
        self._reset_alignment()

    # -- signals ---------------------------------------------------------------------------
    def _on_signal(self, signum, _frame) -> None:
        log.info("%s: signal %s, draining the current batch", self.h.name, signum)
        self._stop = True

    def install_signal_handlers(self) -> None:
        """SIGTERM/SIGINT: finish the current batch and stop. SIGUSR1: write every thread's stack
        to stderr (the processor's log) and carry on — to see where a stuck instance waits."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        faulthandler.register(signal.SIGUSR1, all_threads=True, chain=False)

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
            "pipeline", group, (), cfg=self.cfg,
            isolation_level="read_committed", max_poll_records=self.opts.max_records,
            session_timeout_ms=10000, heartbeat_interval_ms=2000, fetch_max_wait_ms=self.opts.fetch_max_wait_ms,
        )
        consumer.subscribe(list(self.h.inputs), listener=_rebalance_listener(self))
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
        self._reset_alignment()
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

    def _reset_alignment(self) -> None:
        #: per input partition: (local time it was polled, message), not yet handled
        self._buffers: dict[Any, deque] = {}
        #: partition numbers whose head waits for a co-partitioned topic to be read further
        self._blocked: set[int] = set()
        #: since when each blocked partition has waited (a wait over 30 s is logged once)
        self._blocked_since: dict[int, float] = {}
        self._blocked_warned: set[int] = set()
        #: end offsets (last stable offsets under read_committed) and the local time they were asked
        self._ends: dict[Any, int] = {}
        self._ends_at = 0.0
        self._at_end: dict[Any, bool] = {}
        self._paused: set[Any] = set()

    def _poll_timeout_ms(self) -> int:
        """How long the next poll may wait for new records.

        With aligned inputs, records already buffered are work in hand: a poll that waited its full
        ``poll_ms`` for records that are not coming would hold them back (it once cost ≈0.5 s per
        batch while a backlog drained). Poll without waiting while a batch's worth is buffered or
        nothing is blocked, briefly while some partition waits for its co-partitioned topic, and
        normally otherwise.
        """
        if not self._buffers:
            return self.opts.poll_ms
        buffered = sum(len(d) for d in self._buffers.values())
        if buffered >= self.opts.max_records or (buffered and not self._blocked):
            return 0
        return min(self.opts.poll_ms, 20) if buffered else self.opts.poll_ms

    def _take(self, consumer, polled: dict[Any, list[Any]]) -> list[Any]:
        """The messages to process now.

        Without alignment: everything polled. With ``handler.align_inputs`` (several input topics
        keyed alike, e.g. consents, settlements and notes): messages are buffered per partition
        and released in publish-time order across the topics of the same partition number — the
        way Kafka Streams synchronises co-partitioned inputs — so a consent is applied before the
        settlement published after it, and a note is not handled before the settlement published
        ahead of it. Ties go to the topic listed first in ``handler.align_order`` (consents first).

        The next record R of a partition is released only when every other topic of that
        partition number either has a buffered record (the earliest is taken first) or has been
        read to its end as the broker reported it *after* R was polled: the end offset is asked
        again when the last answer is older than R. Anything published before R was appended
        before R was fetched, so it is below that end offset and has been read. No wall-clock wait
        decides this: a partition whose co-input is behind waits for it however long its backlog
        (it is fetched meanwhile; the waiting partition's own fetching is paused when its buffer is
        full), and one whose co-input is empty or idle goes at once. A co-input left inside an open
        transaction holds its partition until that transaction ends (read_committed: its records
        could still count).
        """
        if not getattr(self.h, "align_inputs", False):
            return [m for records in polled.values() for m in records]
        now = time.monotonic()
        for tp, records in polled.items():
            self._buffers.setdefault(tp, deque()).extend(zip(repeat(now), records))
        assigned = consumer.assignment()
        for tp in [tp for tp in self._buffers if tp not in assigned]:
            del self._buffers[tp]  # revoked: its records will be fetched again by the new owner
        by_partition: dict[int, list[Any]] = {}
        for tp in assigned:
            by_partition.setdefault(tp.partition, []).append(tp)
        rank = {topic: i for i, topic in enumerate(getattr(self.h, "align_order", ()))}
        last = len(rank)
        out: list[Any] = []
        self._blocked.clear()
        #: per empty co-input: read to its end? (positions do not move while records are taken; the
        #: answers are forgotten when the end offsets are asked again)
        self._at_end: dict[Any, bool] = {}
        buffers = self._buffers
        for p, tps in by_partition.items():
            if len(tps) == 1:  # nothing to align with
                d = buffers.get(tps[0])
                while d and len(out) < self.opts.max_records:
                    out.append(d.popleft()[1])
                continue
            while len(out) < self.opts.max_records:
                heads = [tp for tp in tps if buffers.get(tp)]
                if not heads:
                    break
                if len(heads) == 1:
                    tp = heads[0]
                else:
                    tp = min(heads, key=lambda x: (buffers[x][0][1].timestamp, rank.get(x.topic, last)))
                polled_at = buffers[tp][0][0]
                if len(heads) < len(tps) and any(
                        not buffers.get(other) and not self._read_to_end(consumer, other, polled_at)
                        for other in tps if other is not tp):
                    self._note_blocked(p)
                    break
                self._blocked_since.pop(p, None)
                self._blocked_warned.discard(p)
                d = buffers[tp]
                out.append(d.popleft()[1])
                if len(heads) == 1:
                    # the other topics are empty and were read to the end offsets asked at
                    # self._ends_at: the next records of this one pass the same test, without asking,
                    # as long as they were polled no later (the answers above are remembered until
                    # the end offsets are asked again, which this loop does not do)
                    ends_at, limit = self._ends_at, self.opts.max_records
                    while d and len(out) < limit and d[0][0] <= ends_at:
                        out.append(d.popleft()[1])
        self._flow_control(consumer)
        return out

    def _note_blocked(self, p: int) -> None:
        """Partition number ``p`` waits for a co-partitioned topic (a wait over 30 s is logged once)."""
        self._blocked.add(p)
        waited = time.monotonic() - self._blocked_since.setdefault(p, time.monotonic())
        if waited > 30 and p not in self._blocked_warned:
            self._blocked_warned.add(p)
            log.warning("%s: partition %d has waited %.0f s for a co-partitioned topic (records not "
                        "fetched yet, or its end offset unreadable)", self.h.name, p, waited)

    def _read_to_end(self, consumer, tp, since: float) -> bool:
        """Whether ``tp`` has been read to the end offset the broker gave after local time ``since``."""
        if self._ends_at < since or tp not in self._ends:
            try:
                self._ends = dict(consumer.end_offsets(list(consumer.assignment())))
                self._ends_at = time.monotonic()
                self._at_end = {}
            except Exception:  # noqa: BLE001 - unknown end: not known to be read to it; ask again next time
                log.debug("%s: end offsets not available yet", self.h.name, exc_info=True)
                return False
        known = self._at_end.get(tp)
        if known is not None:
            return known
        end = self._ends.get(tp)
        if end is None:
            return False
        try:
            position = consumer.position(tp, timeout_ms=1000)
        except Exception:  # noqa: BLE001 - unknown position: not known to be read
            return False
        self._at_end[tp] = done = position is not None and position >= end
        return done

    def _flow_control(self, consumer) -> None:
        """Pause fetching a partition whose buffer is full (it waits for a co-input), resume it when drained."""
        limit = self.opts.align_buffer_max
        full = {tp for tp, d in self._buffers.items() if len(d) >= limit}
        resume = {tp for tp in self._paused if tp not in full and len(self._buffers.get(tp, ())) < limit // 2}
        pause = full - self._paused
        if pause:
            consumer.pause(*pause)
            self._paused |= pause
        if resume:
            consumer.resume(*resume)
            self._paused -= resume

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
        last: dict[tuple[str, int], int] = {}
        for msg in messages:  # a partition's messages come in offset order: the last one counts
            last[(msg.topic, msg.partition)] = msg.offset
        offsets = {TopicPartition(topic, p): OffsetAndMetadata(o + 1, "", -1) for (topic, p), o in last.items()}
        c = self.counters
        before = (c.consumed, c.quarantined, c.disclosed, dict(c.extra))
        producer.begin_transaction()
        try:
            offsets_sent = mk.send_offsets_async(producer, offsets, consumer.group_metadata())
            if self._reassigned:
                self._reassigned = False
                assigned = getattr(self.h, "partitions_assigned", None)
                if assigned is not None:
                    assigned()
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
            mk.send_all(producer, outputs)
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
        partition (kafka-python keeps the position of a partition the member gets back after the
        rebalance; one that moves to another instance starts there from its committed offset)."""
        from kafka import TopicPartition

        first: dict[Any, int] = {}
        held = [buf[0][1] for buf in getattr(self, "_buffers", {}).values() if buf]  # (polled_at, message)
        for m in [*messages, *held]:
            tp = TopicPartition(m.topic, m.partition)
            first[tp] = min(first.get(tp, m.offset), m.offset)
        if getattr(self, "_buffers", None):
            self._buffers.clear()
            self._blocked.clear()
        assigned = consumer.assignment()
        paused = [tp for tp in getattr(self, "_paused", ()) if tp in assigned]
        if paused:
            consumer.resume(*paused)
        self._paused = set()
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
            write_status(self.cfg, self.h.name, self.opts.instance, self.counters, state, assignment,
                         buffered=self._buffered(), blocked=sorted(self._blocked))
            self._status_state, self._status_at = state, now

    def _buffered(self) -> int:
        """Records fetched and held for alignment, not handled yet."""
        return sum(len(d) for d in self._buffers.values())

    def _update_lag(self, consumer) -> None:
        """Records of the assigned partitions not handled yet: not fetched (end offset - position)
        plus fetched and buffered for alignment. -1 when an end offset or position cannot be read
        (a partition without a reachable leader): unknown is never reported as caught up, so an
        ``until_idle`` run cannot end on it."""
        parts = consumer.assignment()
        if not parts:
            return
        try:
            ends = consumer.end_offsets(list(parts))
            self.counters.lag = self._buffered() + sum(max(0, ends[tp] - consumer.position(tp, timeout_ms=1000))
                                               for tp in parts)
        except Exception:  # noqa: BLE001 - unknown, said so
            log.debug("%s: lag unknown", self.h.name, exc_info=True)
            self.counters.lag = -1




def _rebalance_listener(runner: Runner):
    from kafka import ConsumerRebalanceListener

    class _Rebalance(ConsumerRebalanceListener):
        """Keeps the aligned buffers consistent with the consumer's positions across a rebalance.

        kafka-python (3.x, eager protocol) announces every partition as revoked before a rebalance
        but keeps the fetch position (and the paused flag) of each partition the member gets back.
        The records buffered for alignment were fetched (the position is past them) and not
        handled, so on revocation the runtime drops them and remembers, per partition, the offset
        of the first; a partition that comes back to this instance is sought back to it, and
        resumed if it was paused. A partition that goes to another instance is fetched by it from
        the committed offset, which is at or before that record. When the membership is lost
        (session expiry, fenced) every partition restarts from its committed offset: the buffers
        are dropped and nothing is sought.
        """

        def __init__(self, runner: Runner) -> None:
            self.runner = runner

        def _drop(self, partitions, remember: bool) -> None:
            r = self.runner
            for tp in partitions:
                buf = r._buffers.pop(tp, None)
                if remember and buf:
                    r._rewind_to[tp] = buf[0][1].offset
                r._paused.discard(tp)
            r._blocked.clear()
            r._ends.clear()
            consumer = getattr(r, "_consumer", None)
            if consumer is not None:
                paused = consumer.paused()
                still = [tp for tp in partitions if tp in paused]
                if still:
                    consumer.resume(*still)

        def on_partitions_revoked(self, revoked) -> None:
            self._drop(revoked, remember=True)

        def on_partitions_lost(self, lost) -> None:
            self._drop(lost, remember=False)
            self.runner._rewind_to.clear()

        def on_partitions_assigned(self, assigned) -> None:
            r = self.runner
            consumer = getattr(r, "_consumer", None)
            for tp, offset in r._rewind_to.items():
                if tp in assigned and consumer is not None:
                    consumer.seek(tp, offset)
            r._rewind_to.clear()
            # the handler rebuilds what it folded from shared state before the next batch (see
            # ``Handler.partitions_assigned``): not here, inside poll(), but in the batch
            r._reassigned = True

    return _Rebalance(runner)


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
