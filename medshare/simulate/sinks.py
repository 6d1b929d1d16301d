"""Where simulated events go: Kafka, a batch snapshot, JSONL files, the malformed sidecar.

Every sink takes the same :class:`~medshare.simulate.run.SimEvent` stream and sees day boundaries
(``end_day``), so files are written in chunks and nothing grows with the length of the run.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medshare.config import private_dir, private_file
from medshare.envelope import encode_value, make_headers
from medshare.errors import UserError
from medshare.topics import (
    PLATFORM_CONSENTS,
    PLATFORM_EMR_NOTES,
    PLATFORM_ENROLMENTS,
    PLATFORM_SETTLEMENTS,
    PLATFORM_TOPICS,
)

if TYPE_CHECKING:
    from datetime import date

    from medshare.simulate.run import SimEvent

#: ``ms-producer`` of every simulated message
PRODUCER = "simulator"
#: batch table of each platform topic (settlements as interface JSON Lines, the others Parquet)
TABLES = {PLATFORM_SETTLEMENTS: "settlements", PLATFORM_EMR_NOTES: "emr_notes", PLATFORM_CONSENTS: "consents",
          PLATFORM_ENROLMENTS: "enrolments"}


class Sink:
    """Receives every event; ``end_day`` after each simulated day; ``close`` once (``ok``: no error)."""

    def write(self, ev: SimEvent) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def end_day(self, day: date) -> None:
        return None

    def close(self, ok: bool = True) -> dict[str, Any] | None:
        return None


class MalformedSidecar(Sink):
    """``malformed.jsonl``: one line per malformed event: ``topic``, ``event_id``, ``kind``, ``detail``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = private_file(path).open("w", encoding="utf-8")
        self.count = 0

    def write(self, ev: SimEvent) -> None:
        if ev.malformed is None:
            return
        line = {"topic": ev.topic, "event_id": ev.event_id, "kind": ev.malformed, "detail": ev.detail,
                "day": ev.day.isoformat()}
        self._fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        self.count += 1

    def end_day(self, day: date) -> None:
        self._fh.flush()

    def close(self, ok: bool = True) -> dict[str, Any]:
        self._fh.close()
        return {"malformed_sidecar": str(self.path)}


class JsonlSink(Sink):
    """``<dir>/<topic>.jsonl``: each line is a message value exactly as published (broken ones too)."""

    def __init__(self, root: Path) -> None:
        private_dir(root)
        self.paths = {t: root / f"{t}.jsonl" for t in PLATFORM_TOPICS}
        self._fh = {t: private_file(p).open("wb") for t, p in self.paths.items()}

    def write(self, ev: SimEvent) -> None:
        fh = self._fh[ev.topic]
        fh.write(ev.value)
        fh.write(b"\n")

    def close(self, ok: bool = True) -> dict[str, Any]:
        for fh in self._fh.values():
            fh.close()
        return {"jsonl": {t: str(p) for t, p in self.paths.items()}}


# --- batch snapshot ------------------------------------------------------------------------

#: the batch table written as the national interface's own output (JSON Lines), not as Parquet
INTERFACE_TABLE = "settlements"

_STR = "string"
_NUM = "double"
_LIST = "list<string>"

#: the Parquet tables: the platform's own records (notes, consents, enrolments), not interface output
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "emr_notes": (
        ("note_id", _STR), ("settlement_id", _STR), ("person_no", _STR), ("event_time", _STR),
        ("institution_code", _STR), ("note_type", _STR), ("text", _STR),
    ),
    "consents": (
        ("event_id", _STR), ("consent_id", _STR), ("action", _STR), ("person_no", _STR), ("resident_id", _STR),
        ("insurer_code", _STR), ("purpose", _STR), ("data_categories", _LIST), ("valid_from", _STR),
        ("valid_to", _STR), ("channel", _STR), ("event_time", _STR), ("notice_id", _STR),
    ),
    "enrolments": (
        ("event_id", _STR), ("enrolment_id", _STR), ("action", _STR), ("person_no", _STR), ("insurer_code", _STR),
        ("product_id", _STR), ("policy_no", _STR), ("valid_from", _STR), ("valid_to", _STR),
        ("pre_existing", _LIST), ("channel", _STR), ("event_time", _STR),
    ),
}
#: columns every Parquet table has besides the record's fields
META_COLUMNS = (("ms_event_id", _STR), ("raw", _STR))


def _fits(kind: str, value: Any) -> bool:
    if kind == _STR:
        return isinstance(value, str)
    if kind == _NUM:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def batch_row(table: str, ev: SimEvent) -> dict[str, Any]:
    """One Parquet row: the record's fields, typed; ``raw`` keeps the value whenever typing lost it.

    ``raw`` is set for ``broken_json`` values (no field can be read) and for values whose fields
    have the wrong JSON type (the typed column holds null); it is null for every faithful row. A
    missing field is simply null. ``ms_event_id`` is the Kafka header, set on every row.
    """
    row: dict[str, Any] = {"ms_event_id": ev.event_id, "raw": None}
    rec = ev.record
    lossy = rec is None
    for name, kind in COLUMNS[table]:
        value = rec.get(name) if rec is not None else None
        if value is not None and not _fits(kind, value):
            value, lossy = None, True
        row[name] = value
    if lossy:
        row["raw"] = ev.value.decode("utf-8", "replace")
    return row


def interface_line(ev: SimEvent) -> bytes:
    """A settlement or 2208 revocation as one line of the interface's output (docs/platform-interface.md):
    ``{"setlinfo": {…}, "setldetail": […], "feedetail": […], "diseinfo": […]}`` or ``{"revoke": {…}}``.

    The line :func:`medshare.ingest.to_record` turns back into the published record; a malformed
    record stays malformed in the same way (a missing field is missing from ``setlinfo``, a wrong
    type stays wrong), and a ``broken_json`` value is written as its broken bytes.
    """
    from medshare.ingest import to_line

    if ev.record is None:
        return ev.value
    return encode_value(to_line(ev.record))


class BatchSink(Sink):
    """The platform's batch snapshot, one folder per table and publication day.

    Settlements and revocations are what a 医保 interface extract would be:
    ``<root>/settlements/date=YYYY-MM-DD/part-NNNNN.jsonl``, one interface line per settlement
    (:func:`interface_line`), read by ``platform_extract`` through ``medshare platform ingest``'s
    code. Notes, consents and enrolments are the platform's own tables:
    ``<root>/<table>/date=YYYY-MM-DD/part-NNNNN.parquet``. Parquet rows are buffered per table and
    written as row groups of ``chunk_rows``; a file (either kind) is rolled after ``file_rows`` rows.
    Every table gets a file every day (an empty one on a quiet day), so an extract can always read
    ``<table>/date=<day>/part-*``. A previous run's ``root`` is replaced.
    """

    def __init__(self, root: Path, chunk_rows: int = 20_000, file_rows: int = 500_000) -> None:
        import pyarrow as pa

        self._pa = pa
        if root.exists():
            shutil.rmtree(root)
        private_dir(root)  # the batch files hold plaintext identifiers: owner only
        self.root = root
        self.chunk_rows = chunk_rows
        self.file_rows = file_rows
        types = {_STR: pa.string(), _NUM: pa.float64(), _LIST: pa.list_(pa.string())}
        self.schemas = {t: pa.schema([(n, types[k]) for n, k in cols + META_COLUMNS]) for t, cols in COLUMNS.items()}
        self._rows: dict[str, list[dict[str, Any]]] = {t: [] for t in COLUMNS}
        self._writer: dict[str, Any] = {}
        self._file_rows: dict[str, int] = {}
        self._part: dict[str, int] = {}
        self._day: date | None = None
        self.files = 0
        self.rows: dict[str, int] = {t: 0 for t in (INTERFACE_TABLE, *COLUMNS)}

    def write(self, ev: SimEvent) -> None:
        if self._day is not None and ev.day != self._day:
            self.end_day(self._day)
        self._day = ev.day
        table = TABLES[ev.topic]
        if table == INTERFACE_TABLE:
            fh = self._writer.get(table) or self._open(table)
            fh.write(interface_line(ev))
            fh.write(b"\n")
            self.rows[table] += 1
            self._file_rows[table] += 1
            if self._file_rows[table] >= self.file_rows:
                self._writer.pop(table).close()
            return
        rows = self._rows[table]
        rows.append(batch_row(table, ev))
        if len(rows) >= self.chunk_rows:
            self._flush(table)

    def _open(self, table: str) -> Any:
        import pyarrow.parquet as pq

        assert self._day is not None
        part = self._part.get(table, 0)
        private_dir(self.root / table)
        folder = private_dir(self.root / table / f"date={self._day.isoformat()}")
        if table == INTERFACE_TABLE:
            writer: Any = private_file(folder / f"part-{part:05d}.jsonl").open("wb")
        else:
            writer = pq.ParquetWriter(private_file(folder / f"part-{part:05d}.parquet"), self.schemas[table],
                                      compression="zstd")
        self._writer[table] = writer
        self._part[table] = part + 1
        self._file_rows[table] = 0
        self.files += 1
        return writer

    def _flush(self, table: str) -> None:
        rows = self._rows[table]
        if not rows:
            return
        writer = self._writer.get(table) or self._open(table)
        writer.write_table(self._pa.Table.from_pylist(rows, schema=self.schemas[table]))
        self.rows[table] += len(rows)
        self._file_rows[table] += len(rows)
        self._rows[table] = []
        if self._file_rows[table] >= self.file_rows:
            writer.close()
            del self._writer[table]

    def end_day(self, day: date) -> None:
        self._day = day  # a day without any event still gets its (empty) files
        for table in (INTERFACE_TABLE, *COLUMNS):
            if table in COLUMNS:
                self._flush(table)
            if table not in self._writer and self._part.get(table, 0) == 0:
                self._open(table)  # empty file: the day exists, it just had no rows
            writer = self._writer.pop(table, None)
            if writer is not None:
                writer.close()
        self._part.clear()
        self._day = None

    def close(self, ok: bool = True) -> dict[str, Any]:
        if self._day is not None:
            self.end_day(self._day)
        return {"batch": {"root": str(self.root), "files": self.files, "rows": dict(self.rows)}}


# --- Kafka ---------------------------------------------------------------------------------


class KafkaSink(Sink):
    """Produce to the platform topics as the ``platform`` principal; key = person_no; envelope headers.

    Sends are asynchronous; failures are counted by a delivery callback and reported (as a
    :class:`UserError`) when the sink closes after flushing.
    """

    def __init__(self, cfg: Any = None, principal: str = "platform", producer: Any = None) -> None:
        self.principal = principal
        self.sent = 0
        self.failed = 0
        self.first_error: str | None = None
        if producer is None:
            producer = self._connect(cfg, principal)
        self._producer = producer

    @staticmethod
    def _connect(cfg: Any, principal: str) -> Any:
        from kafka.errors import KafkaError

        from medshare.kafka import producer

        bootstrap = cfg.bootstrap if cfg is not None else None
        try:
            p = producer(principal, cfg, linger_ms=20, batch_size=256 * 1024, max_block_ms=20_000)
        except KafkaError as exc:
            raise UserError(f"cannot connect to Kafka{' at ' + bootstrap if bootstrap else ''} as {principal}: "
                            f"{exc}; start it with `medshare broker start` or pass --no-kafka") from exc
        try:
            for topic in PLATFORM_TOPICS:
                p.partitions_for(topic)
        except KafkaError as exc:
            p.close(timeout=5)
            raise UserError(f"platform topics are not available to {principal} ({exc}); "
                            "run `medshare topics ensure` first") from exc
        return p

    def _failed(self, exc: BaseException) -> None:
        self.failed += 1
        if self.first_error is None:
            self.first_error = f"{type(exc).__name__}: {exc}"

    def write(self, ev: SimEvent) -> None:
        headers = make_headers(ev.topic, PRODUCER, event_id=ev.event_id, trace=ev.trace)
        future = self._producer.send(ev.topic, value=ev.value, key=ev.key.encode(), headers=headers)
        future.add_errback(self._failed)
        self.sent += 1

    def end_day(self, day: date) -> None:
        if self.failed:
            raise UserError(f"producing to Kafka failed for {self.failed} event(s): {self.first_error}")

    def close(self, ok: bool = True) -> dict[str, Any]:
        try:
            self._producer.flush(timeout=120)
        finally:
            self._producer.close(timeout=30)
        if ok and self.failed:
            raise UserError(f"producing to Kafka failed for {self.failed} of {self.sent} event(s): "
                            f"{self.first_error}")
        return {"kafka": {"sent": self.sent, "failed": self.failed, "principal": self.principal}}


# --- progress ------------------------------------------------------------------------------


class DayProgress:
    """A rich progress bar over simulated days (only on a terminal, and only when asked)."""

    def __init__(self, days: int, enabled: bool) -> None:
        self.days = days
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> DayProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("days · {task.fields[events]:,} events"), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=False)
            self._progress.start()
            self._task = self._progress.add_task("simulate", total=self.days, events=0)
        return self

    def advance(self, events: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, events=events)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
