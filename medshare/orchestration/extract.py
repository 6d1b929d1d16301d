"""``platform_extract``: publish one day of the platform's batch snapshot to the platform topics.

For platforms that cannot publish events themselves, the platform's database snapshot (the
simulator's Parquet batch: ``<root>/<table>/date=YYYY-MM-DD/part-*.parquet``) is the source. One
run publishes one day, as the ``platform`` principal, exactly as the platform would have:

* key ``person_no`` (``psn_no`` of a settlement or a 2208 revocation); value the record as one
  JSON object (a ``platform.settlements.v2`` row: the 2207 fields and its arrays, or ``revoke``);
  headers per :mod:`medshare.envelope` with ``ms-event-id`` = the batch's ``ms_event_id``, so a day
  published twice (a forced rerun) is recognisable downstream, and ``ms-trace`` as the platform
  sets it (a note's settlement, a revocation's settlement);
* a row whose value could not be typed (broken JSON, wrong JSON types) is published as its
  ``raw`` bytes, unchanged, so the contract check quarantines it as it would the live event;
* a required field that is null in the batch was absent in the source, and stays absent;
* the three tables are merged in event-time order (consents before the settlements they cover).

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
from medshare.orchestration.config import OrchestrationConfig
from medshare.orchestration.exceptions import BatchNotFoundError, OrchestrationError
from medshare.orchestration.ledger import Ledger
from medshare.simulate.malformed import REQUIRED
from medshare.simulate.sinks import COLUMNS, TABLES
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS

log = logging.getLogger(__name__)

STEP = "platform_extract"
#: ``ms-producer`` of every extracted message
PRODUCER = "platform-extract"
#: merge order of tables publishing at the same instant: a consent or an enrolment before what it covers
_ORDER = {PLATFORM_CONSENTS: 0, PLATFORM_ENROLMENTS: 1, PLATFORM_SETTLEMENTS: 2, PLATFORM_EMR_NOTES: 3}
_PERSON_RE = re.compile(r'"(?:person_no|psn_no)"\s*:\s*"([^"\\]{1,64})"')


@dataclass(frozen=True)
class BatchMessage:
    """One platform message rebuilt from a batch row."""

    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    event_id: str
    event_time: str


def day_files(root: Path, table: str, day: date) -> list[Path]:
    """The Parquet files of ``table`` for ``day`` (raises if the snapshot has no such day)."""
    folder = root / table / f"date={day.isoformat()}"
    if not folder.is_dir():
        raise BatchNotFoundError(f"the batch snapshot {root} has no {table} partition for {day} ({folder})")
    return sorted(folder.glob("part-*.parquet"))


def read_rows(root: Path, table: str, day: date) -> list[dict[str, Any]]:
    """Every row of ``table`` for ``day``, in file order (the platform's publication order)."""
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for f in day_files(root, table, day):
        rows.extend(pq.read_table(f).to_pylist())
    return rows


def record_of(topic: str, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """The record a faithful batch row was made from (JSON columns parsed back)."""
    required = set(REQUIRED.get(topic, ()))
    if topic == PLATFORM_SETTLEMENTS and row.get("revoke") is not None:
        return {"revoke": json.loads(row["revoke"])}  # a 2208 revocation is only its revoke object
    record: dict[str, Any] = {}
    for name, kind in COLUMNS[table]:
        value = row.get(name)
        if value is None and (name in required or topic == PLATFORM_SETTLEMENTS):
            continue  # never null in the source (v2 settlements write no nulls): it was missing
        if kind == "json" and value is not None:
            value = json.loads(value)
        record[name] = value
    return record


def _trace(topic: str, row: dict[str, Any]) -> str | None:
    if topic == PLATFORM_EMR_NOTES:
        return row.get("settlement_id")
    if topic == PLATFORM_SETTLEMENTS and row.get("revoke") is not None:
        return json.loads(row["revoke"]).get("setl_id")
    return None


def _person(topic: str, row: dict[str, Any]) -> str | None:
    if topic != PLATFORM_SETTLEMENTS:
        return row.get("person_no")
    if row.get("revoke") is not None:
        return json.loads(row["revoke"]).get("psn_no")
    return row.get("psn_no")


def _event_time(topic: str, row: dict[str, Any]) -> str:
    """ISO 8601 with the offset (a settlement's ``setl_time`` is China Standard Time without one)."""
    if topic == PLATFORM_SETTLEMENTS:
        setl_time = row.get("setl_time")
        return f"{setl_time.replace(' ', 'T')}+08:00" if setl_time else ""  # a revocation keeps its place
    return row.get("event_time") or ""


def message_of(topic: str, table: str, row: dict[str, Any]) -> BatchMessage:
    """The message of one batch row: raw bytes as they were, or the record re-encoded."""
    from medshare.envelope import encode_value

    event_id = row["ms_event_id"]
    if row.get("raw") is not None:
        value = row["raw"].encode("utf-8")
        person = _person(topic, row)
        if person is None:
            m = _PERSON_RE.search(row["raw"])
            person = m.group(1) if m else None
    else:
        value = encode_value(record_of(topic, table, row))
        person = _person(topic, row)
    headers = make_headers(topic, PRODUCER, event_id=event_id, trace=_trace(topic, row))
    return BatchMessage(topic=topic, key=person.encode() if person else None, value=value, headers=headers,
                        event_id=event_id, event_time=_event_time(topic, row))


def _timed(topic: str, table: str, rows: list[dict[str, Any]]) -> Iterator[tuple[str, int, int, BatchMessage]]:
    last = ""
    for i, row in enumerate(rows):
        msg = message_of(topic, table, row)
        last = msg.event_time or last  # a broken row keeps its place in the platform's order
        yield (last, _ORDER[topic], i, msg)


def day_messages(root: Path, day: date) -> list[BatchMessage]:
    """Every message of ``day`` across the platform tables, merged in event-time order."""
    streams = [_timed(topic, table, read_rows(root, table, day)) for topic, table in TABLES.items()]
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
    counts = _publish(messages, config, producer)
    detail = {"published": len(messages), "topics": counts, "forced": force and done is not None}
    ledger.record(STEP, scope, interval, detail, run_id=run_id)
    log.info("published %d platform events of %s: %s", len(messages), interval, counts)
    return {"day": interval, "batch": scope, "skipped": False, **detail}


def _publish(messages: list[BatchMessage], config: OrchestrationConfig, producer: Any = None) -> dict[str, int]:
    from kafka.errors import KafkaError

    from medshare import kafka as mk

    own = producer is None
    if own:
        try:
            producer = mk.producer("platform", config.settings, linger_ms=20, batch_size=256 * 1024,
                                   max_block_ms=20_000)
        except KafkaError as exc:
            raise OrchestrationError(f"cannot connect to Kafka at {config.settings.bootstrap} as platform: "
                                     f"{exc}") from exc
    errors: list[str] = []
    counts: dict[str, int] = {}
    try:
        for m in messages:
            fut = producer.send(m.topic, value=m.value, key=m.key, headers=m.headers)
            fut.add_errback(lambda exc: errors.append(f"{type(exc).__name__}: {exc}"))
            counts[m.topic] = counts.get(m.topic, 0) + 1
        producer.flush(timeout=120)
    finally:
        if own:
            producer.close(timeout=30)
    if errors:
        raise OrchestrationError(f"publishing failed for {len(errors)} of {len(messages)} events "
                                 f"(the day stays unrecorded; rerun it): {errors[0]}")
    return counts
