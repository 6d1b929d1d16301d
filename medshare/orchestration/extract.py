"""``platform_extract``: publish one day of the platform's batch snapshot to the platform topics.

For platforms that cannot publish events themselves, the platform's batch snapshot is the source
(the simulator writes one: ``<root>/<table>/date=YYYY-MM-DD/part-*``). One run publishes one day,
as the ``platform`` principal, exactly as the platform would have:

* **settlements** are what a 医保 interface extract is: JSON Lines, one settlement per line
  ``{"setlinfo": {…}, "setldetail": […], "feedetail": […], "diseinfo": […]}`` and 2208 lines
  ``{"revoke": {…}}`` (``settlements/date=YYYY-MM-DD/part-*.jsonl``). Each line goes through
  ``medshare platform ingest``'s own code (:func:`medshare.ingest.check_line`, then
  :class:`medshare.ingest.Publisher`): decoded, shaped into the topic record, checked against the
  ``platform.settlements.v2`` contract, published keyed by ``psn_no`` with the ingest's event id
  (UUID5 of ``settlement:<setl_id>`` / ``revoke:<setl_id>``); a refused line is sealed into
  ``pipeline.quarantine.v1`` by the ``pipeline`` principal with its reasons (event id
  ``settlements/date=…/part-….jsonl:<line>``), never published;
* **notes, consents and enrolments** are the platform's own tables (Parquet): key ``person_no``,
  the record as one JSON object, ``ms-event-id`` = the batch's ``ms_event_id``, ``ms-trace`` as the
  platform sets it (a note's settlement); a row whose value could not be typed (broken JSON, wrong
  JSON types) is published as its ``raw`` bytes, unchanged, so the contract check downstream
  quarantines it as it would the live event; a required field that is null in the batch was absent
  in the source, and stays absent;
* everything is merged in event-time order (consents before the settlements they cover; a 2208
  line or a refused line keeps its place after the line before it).

Idempotent per day: the extract :class:`~medshare.orchestration.ledger.Ledger` records each
published ``(batch root, day)``; a rerun or backfill of a recorded day publishes nothing unless
``force=True``. The ledger is written only after every message was acknowledged by the broker.
"""

from __future__ import annotations

import heapq
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from medshare.envelope import make_headers
from medshare.ingest import IngestResult, LineResult, Publisher, check_line, lines_of, take
from medshare.orchestration.config import OrchestrationConfig
from medshare.orchestration.exceptions import BatchNotFoundError, OrchestrationError
from medshare.orchestration.ledger import Ledger
from medshare.simulate.malformed import REQUIRED
from medshare.simulate.sinks import COLUMNS, INTERFACE_TABLE, TABLES
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS

log = logging.getLogger(__name__)

STEP = "platform_extract"
#: ``ms-producer`` of every extracted message
PRODUCER = "platform-extract"
#: merge order of tables publishing at the same instant: a consent or an enrolment before what it covers
_ORDER = {PLATFORM_CONSENTS: 0, PLATFORM_ENROLMENTS: 1, PLATFORM_SETTLEMENTS: 2, PLATFORM_EMR_NOTES: 3}
_PERSON_RE = re.compile(r'"person_no"\s*:\s*"([^"\\]{1,64})"')


@dataclass(frozen=True)
class BatchMessage:
    """One platform message rebuilt from a Parquet row (notes, consents, enrolments)."""

    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    event_id: str
    event_time: str


@dataclass(frozen=True)
class InterfaceLine:
    """One line of the day's interface output, checked as ``medshare platform ingest`` checks it."""

    #: the file it came from, relative to the batch root (``settlements/date=…/part-00000.jsonl``)
    source: str
    raw: bytes
    result: LineResult
    event_time: str

    topic = PLATFORM_SETTLEMENTS


def day_files(root: Path, table: str, day: date) -> list[Path]:
    """The files of ``table`` for ``day`` (raises if the snapshot has no such day)."""
    folder = root / table / f"date={day.isoformat()}"
    if not folder.is_dir():
        raise BatchNotFoundError(f"the batch snapshot {root} has no {table} partition for {day} ({folder})")
    suffix = "jsonl" if table == INTERFACE_TABLE else "parquet"
    return sorted(folder.glob(f"part-*.{suffix}"))


def read_rows(root: Path, table: str, day: date) -> list[dict[str, Any]]:
    """Every row of a Parquet ``table`` for ``day``, in file order (the platform's publication order)."""
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for f in day_files(root, table, day):
        rows.extend(pq.read_table(f).to_pylist())
    return rows


def interface_lines(root: Path, day: date, validator: Any = None) -> list[InterfaceLine]:
    """Every line of the day's interface output, in file order, each checked by the ingest's code."""
    if validator is None:
        from contracts import registry

        validator = registry.load(PLATFORM_SETTLEMENTS).validator()
    out: list[InterfaceLine] = []
    last = ""
    for f in day_files(root, INTERFACE_TABLE, day):
        source = f.relative_to(root).as_posix()
        with f.open("rb") as fh:
            for number, raw in lines_of(fh):
                res = check_line(raw, number, validator)
                setl_time = (res.record or {}).get("setl_time")
                if isinstance(setl_time, str) and setl_time:
                    last = f"{setl_time.replace(' ', 'T')}+08:00"  # China Standard Time, as the interface writes it
                out.append(InterfaceLine(source=source, raw=raw, result=res, event_time=last))
    return out


def record_of(topic: str, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """The record a faithful Parquet row was made from."""
    required = set(REQUIRED.get(topic, ()))
    record: dict[str, Any] = {}
    for name, _kind in COLUMNS[table]:
        value = row.get(name)
        if value is None and name in required:
            continue  # a required field is never null in the source: it was missing
        record[name] = value
    return record


def message_of(topic: str, table: str, row: dict[str, Any]) -> BatchMessage:
    """The message of one Parquet row: raw bytes as they were, or the record re-encoded."""
    from medshare.envelope import encode_value

    event_id = row["ms_event_id"]
    person = row.get("person_no")
    if row.get("raw") is not None:
        value = row["raw"].encode("utf-8")
        if person is None:
            m = _PERSON_RE.search(row["raw"])
            person = m.group(1) if m else None
    else:
        value = encode_value(record_of(topic, table, row))
    trace = row.get("settlement_id") if topic == PLATFORM_EMR_NOTES else None
    headers = make_headers(topic, PRODUCER, event_id=event_id, trace=trace)
    return BatchMessage(topic=topic, key=person.encode() if person else None, value=value, headers=headers,
                        event_id=event_id, event_time=row.get("event_time") or "")


def _timed(topic: str, items: list[Any]) -> Iterator[tuple[str, int, int, Any]]:
    last = ""
    for i, item in enumerate(items):
        last = item.event_time or last  # a broken row keeps its place in the platform's order
        yield (last, _ORDER[topic], i, item)


def day_messages(root: Path, day: date, validator: Any = None) -> list[BatchMessage | InterfaceLine]:
    """Every message of ``day`` across the platform tables, merged in event-time order."""
    streams = []
    for topic, table in TABLES.items():
        if table == INTERFACE_TABLE:
            streams.append(_timed(topic, interface_lines(root, day, validator)))
        else:
            streams.append(_timed(topic, [message_of(topic, table, r) for r in read_rows(root, table, day)]))
    return [m for *_, m in heapq.merge(*streams)]


def extract_day(
    day: date,
    config: OrchestrationConfig,
    *,
    force: bool = False,
    run_id: str | None = None,
    producer: Any = None,
) -> dict[str, Any]:
    """Publish ``day`` of the batch to the platform topics once; returns what was (or was not) done."""
    root = config.batch_root().resolve()
    ledger = Ledger.for_settings(config.settings)
    scope, interval = str(root), day.isoformat()
    done = ledger.get(STEP, scope, interval)
    if done is not None and not force:
        log.info("day %s of %s was already published by run %s at %s: nothing to do (force to republish)",
                 interval, root, done.get("run_id"), done["done_at"])
        return {"day": interval, "batch": scope, "published": 0, "skipped": True, "topics": {},
                "previous": done}
    messages = day_messages(root, day)
    settlements = IngestResult(file=f"{root}/{INTERFACE_TABLE}/date={interval}", dry_run=False)
    counts = _publish(messages, config, settlements, producer)
    published = sum(n for topic, n in counts.items() if topic in _ORDER)
    detail = {"published": published, "quarantined": settlements.quarantined, "topics": counts,
              "settlements": {k: v for k, v in settlements.to_dict().items()
                              if k in ("accepted", "quarantined", "settlements", "revocations", "reasons")},
              "forced": force and done is not None}
    ledger.record(STEP, scope, interval, detail, run_id=run_id)
    log.info("published %d platform events of %s: %s; %d interface line(s) refused and quarantined%s",
             published, interval, counts, settlements.quarantined,
             f" ({json.dumps(dict(settlements.reasons), ensure_ascii=False)})" if settlements.reasons else "")
    return {"day": interval, "batch": scope, "skipped": False, **detail}


def _publish(messages: list[BatchMessage | InterfaceLine], config: OrchestrationConfig, settlements: IngestResult,
             producer: Any = None) -> dict[str, int]:
    """Send the day: interface lines through the ingest's :class:`Publisher`, table rows as they are."""
    from kafka.errors import KafkaError

    from medshare import kafka as mk
    from medshare.errors import UserError
    from medshare.topics import QUARANTINE

    own: list[Any] = []
    if producer is None:
        try:
            own.append(mk.producer("platform", config.settings, linger_ms=20, batch_size=256 * 1024,
                                   max_block_ms=20_000))
            own.append(mk.producer("pipeline", config.settings, max_block_ms=20_000))
        except KafkaError as exc:
            for p in own:
                p.close(timeout=5)
            raise OrchestrationError(f"cannot connect to Kafka at {config.settings.bootstrap} as "
                                     f"{'pipeline' if own else 'platform'}: {exc}") from exc
        platform, pipeline = own
    else:
        platform = pipeline = producer
    publisher = Publisher(config.settings, PRODUCER, platform=platform, pipeline=pipeline)
    counts: dict[str, int] = {}
    try:
        for m in messages:
            if isinstance(m, InterfaceLine):
                take(m.result, m.raw, m.source, settlements, publisher)
                topic = PLATFORM_SETTLEMENTS if m.result.accepted else QUARANTINE
            else:
                publisher.send(m.topic, m.value, m.key, m.headers)
                topic = m.topic
            counts[topic] = counts.get(topic, 0) + 1
        try:
            publisher.close()
        except UserError as exc:
            raise OrchestrationError(f"{exc} (of {len(messages)} events; the day stays unrecorded: rerun it)") \
                from exc
    finally:
        for p in own:
            p.close(timeout=30)
    return counts
