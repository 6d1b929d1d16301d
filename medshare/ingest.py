"""Ingest the national platform interface's settlement output into ``platform.settlements.v2``.

The input is JSON Lines, one settlement per line as the interface returns it (docs/platform-interface.md)::

    {"setlinfo": {...2207 结算信息...}, "setldetail": [...], "feedetail": [...2204...], "diseinfo": [...2203...]}
    {"revoke": {"setl_id": "...", "psn_no": "...", "mdtrt_id": "..."}}          # 2208 结算撤销

Each line becomes one topic record — ``setlinfo``'s fields at the top beside the three arrays, or
the revocation as it is — checked against the topic's contract (the one place the record's shape
lives), then published keyed by ``psn_no`` as the ``platform`` principal. A line that fails goes to
``pipeline.quarantine.v1`` (sealed, with its reasons; the ``pipeline`` principal writes it there)
and is counted; nothing is dropped silently.

``ingest(path, dry_run=True)`` checks without connecting to anything. The CLI
(``medshare platform ingest``) is a thin layer over :func:`ingest`; the ``platform_extract`` DAG
(:mod:`medshare.orchestration.extract`) reads the same lines from the day's batch files through
:func:`check_line` and :class:`Publisher`, so both take interface output by one code path.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from medshare import topics
from medshare.envelope import encode_value, make_headers
from medshare.errors import UserError

TOPIC = topics.PLATFORM_SETTLEMENTS_V2
PRODUCER = "platform-ingest"
#: the arrays of a settlement line besides ``setlinfo`` (2207 setldetail, 2204 feedetail, 2203 diseinfo)
ARRAYS = ("setldetail", "feedetail", "diseinfo")
#: rule names of problems with a line's shape (before the record exists)
LINE_SHAPE = "line-shape"
#: lines longer than this are refused unread (the contract's record limit is far below)
MAX_LINE_BYTES = 8 * 1024 * 1024
#: keep at most this many refused lines' details in the result
MAX_DETAILS = 200
_EVENT_NS = uuid.UUID("0f5a0a3e-6c1b-4c55-9a58-7d2f6b1e0218")


@dataclass
class LineResult:
    """What happened to one line: ``kind`` settlement/revoke, or None when refused before that."""

    line: int
    kind: str | None
    record: dict[str, Any] | None
    violations: list[Any] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.violations


@dataclass
class IngestResult:
    file: str
    dry_run: bool
    accepted: int = 0
    quarantined: int = 0
    settlements: int = 0
    revocations: int = 0
    reasons: Counter = field(default_factory=Counter)
    refused: list[dict[str, Any]] = field(default_factory=list)
    published: int = 0
    quarantine_records: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "topic": TOPIC, "dry_run": self.dry_run,
            "accepted": self.accepted, "quarantined": self.quarantined,
            "settlements": self.settlements, "revocations": self.revocations,
            "reasons": dict(sorted(self.reasons.items())), "refused": self.refused,
            "published": self.published, "quarantine_records": self.quarantine_records,
        }


# --- one line -------------------------------------------------------------------------------------


def _v(field_: str, rule: str, message: str) -> Any:
    from contracts.validator import Violation

    return Violation(field_, rule, message)


def _line_path(path: str) -> str:
    """A record field's path as the line writes it (``setlinfo.psn_no`` for a top-level field)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if not path or head in (*ARRAYS, "revoke"):
        return path
    return f"setlinfo.{path}"


def to_record(obj: Any) -> tuple[str | None, dict[str, Any] | None, list[Any]]:
    """``(kind, record, violations)`` of a decoded line: the topic record it stands for, or why not."""
    if type(obj) is not dict:
        return None, None, [_v("", LINE_SHAPE, "a line is a JSON object with setlinfo (2207) or revoke (2208)")]
    if "revoke" in obj:
        extra = sorted(k for k in obj if k != "revoke")
        if extra:
            return None, None, [_v(k[:64], LINE_SHAPE, "a revocation line holds only revoke") for k in extra]
        return "revoke", {"revoke": obj["revoke"]}, []
    setlinfo = obj.get("setlinfo")
    if type(setlinfo) is not dict:
        return None, None, [_v("setlinfo", LINE_SHAPE,
                               "missing or not an object: a settlement line has setlinfo (2207 结算信息)")]
    problems = [_v(k[:64], LINE_SHAPE, "not part of a settlement line (setlinfo, setldetail, feedetail, diseinfo)")
                for k in sorted(obj) if k not in ("setlinfo", *ARRAYS)]
    problems += [_v(f"setlinfo.{k}", LINE_SHAPE, f"{k} belongs beside setlinfo, not inside it")
                 for k in ARRAYS if k in setlinfo]
    if problems:
        return None, None, problems
    record = dict(setlinfo)
    for name in ARRAYS:
        if name in obj:
            record[name] = obj[name]
    return "settlement", record, []


def to_line(record: dict[str, Any]) -> dict[str, Any]:
    """The interface line a topic record stands for: the inverse of :func:`to_record`.

    A revocation is its line as it is; a settlement's fields go back into ``setlinfo`` with the
    arrays beside it (what the simulator writes as its batch, so the extract reads interface output).
    """
    if "revoke" in record:
        return dict(record)
    line: dict[str, Any] = {"setlinfo": {k: v for k, v in record.items() if k not in ARRAYS}}
    for name in ARRAYS:
        if name in record:
            line[name] = record[name]
    return line


def check_line(raw: bytes, number: int, validator: Any) -> LineResult:
    """Decode, shape and validate one line (``validator``: the v2 contract's)."""
    from contracts.validator import decode_checked

    if len(raw) > MAX_LINE_BYTES:
        return LineResult(number, None, None, [_v("", "max-bytes", f"line is {len(raw)} bytes")])
    obj, problems = decode_checked(raw)
    if obj is None or problems:
        return LineResult(number, None, None, problems)
    kind, record, problems = to_record(obj)
    if record is None:
        return LineResult(number, kind, None, problems)
    _, violations = validator.validate_bytes(encode_value(record))
    return LineResult(number, kind, record, [replace(v, field=_line_path(v.field)) for v in violations])


def psn_no_of(record: dict[str, Any] | None) -> str | None:
    if not record:
        return None
    value = record["revoke"].get("psn_no") if type(record.get("revoke")) is dict else record.get("psn_no")
    return value if isinstance(value, str) else None


def event_id(kind: str, record: dict[str, Any]) -> str:
    """The same line ingested twice gets the same event id (a consumer can tell a repeat)."""
    setl_id = record["revoke"]["setl_id"] if kind == "revoke" else record["setl_id"]
    return str(uuid.uuid5(_EVENT_NS, f"{kind}:{setl_id}"))


def trace_of(kind: str, record: dict[str, Any]) -> str | None:
    """``ms-trace`` of an accepted record: a revocation's settlement (as the simulator sets it)."""
    return record["revoke"]["setl_id"] if kind == "revoke" else None


# --- a file ----------------------------------------------------------------------------------------


def lines_of(fh: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of every non-blank line of a JSON Lines file."""
    for number, line in enumerate(fh, start=1):
        raw = line.rstrip(b"\r\n")
        if raw.strip():
            yield number, raw


class Publisher:
    """Accepted records to :data:`TOPIC` as ``platform``; refused lines sealed into the quarantine as
    ``pipeline``. Send failures are collected and raised (as :class:`UserError`) by :meth:`close`.

    ``producer_name`` is the ``ms-producer`` header (``platform-ingest``, ``platform-extract``).
    ``platform``/``pipeline``: producers to use instead of connecting (the extract and the tests);
    producers passed in are flushed by :meth:`close` but not closed. :meth:`send` puts any other
    message on the platform producer (the extract's notes, consents and enrolments).
    """

    def __init__(self, cfg: Any, producer_name: str = PRODUCER, platform: Any = None, pipeline: Any = None) -> None:
        from kafka.errors import KafkaError

        from contracts.quarantine import QuarantineWriter
        from medshare.kafka import producer

        self.producer_name = producer_name
        self.errors: list[str] = []
        self.writer = QuarantineWriter(cfg=cfg, processor=producer_name)
        self._own = platform is None
        try:
            self.platform = platform if platform is not None else producer("platform", cfg, max_block_ms=20_000)
            self.pipeline = pipeline if pipeline is not None else producer("pipeline", cfg, max_block_ms=20_000)
            if self._own:
                self.platform.partitions_for(TOPIC)
                self.pipeline.partitions_for(topics.QUARANTINE)
        except KafkaError as exc:
            raise UserError(f"cannot publish to {TOPIC} ({type(exc).__name__}: {exc}); start the broker with "
                            "`medshare broker start` and create the topics with `medshare topics ensure`, "
                            "or use --dry-run") from exc

    def _failed(self, exc: BaseException) -> None:
        self.errors.append(f"{type(exc).__name__}: {exc}")

    def send(self, topic: str, value: bytes, key: bytes | None, headers: list[tuple[str, bytes]]) -> None:
        """Any other platform message, as the ``platform`` principal."""
        self.platform.send(topic, value=value, key=key, headers=headers).add_errback(self._failed)

    def publish(self, res: LineResult) -> None:
        assert res.record is not None and res.kind is not None
        headers = make_headers(TOPIC, self.producer_name, event_id=event_id(res.kind, res.record),
                               trace=trace_of(res.kind, res.record))
        key = psn_no_of(res.record)
        self.send(TOPIC, encode_value(res.record), key.encode() if key else None, headers)

    def quarantine(self, res: LineResult, raw: bytes, source: str) -> None:
        """Seal the record (replayable once the contract or data is fixed) or, when there is none
        or the line had duplicate keys, the line exactly as it came. ``source`` names the file the
        line came from; the quarantine record's event id is ``<source>:<line number>``."""
        duplicate = any(v.rule == "duplicate-key" for v in res.violations)
        payload = encode_value(res.record) if res.record is not None and not duplicate else raw
        key = psn_no_of(res.record)
        q = self.writer.build(
            raw=payload, source_topic=TOPIC, key=key, violations=res.violations,
            headers=make_headers(TOPIC, self.producer_name, event_id=f"{source}:{res.line}"),
            contract_id=TOPIC, processor=self.producer_name)
        out = self.writer.outgoing(q, self.producer_name)
        self.pipeline.send(out.topic, value=out.value, key=out.key, headers=out.headers).add_errback(self._failed)

    def close(self) -> None:
        try:
            self.platform.flush(timeout=120)
            self.pipeline.flush(timeout=120)
        finally:
            if self._own:
                self.platform.close(timeout=30)
                self.pipeline.close(timeout=30)
        if self.errors:
            raise UserError(f"publishing failed for {len(self.errors)} message(s): {self.errors[0]}")


def take(res: LineResult, raw: bytes, source: str, result: IngestResult, publisher: Publisher | None) -> None:
    """Count one checked line and (unless ``publisher`` is None: a dry run) publish or quarantine it."""
    _count(result, res)
    if publisher is None:
        return
    if res.accepted:
        publisher.publish(res)
        result.published += 1
    else:
        publisher.quarantine(res, raw, source)
        result.quarantine_records += 1


def ingest(path: str | Path, dry_run: bool = False, cfg: Any = None) -> IngestResult:
    """Validate every line of ``path`` and (unless ``dry_run``) publish it or quarantine it."""
    from contracts import registry

    p = Path(path)
    if str(path) != "-" and not p.is_file():
        raise UserError(f"no file {p}")
    validator = registry.load(TOPIC).validator()
    result = IngestResult(file=str(path), dry_run=dry_run)
    publisher = None if dry_run else Publisher(cfg)
    ok = False
    try:
        with _open(p, str(path) == "-") as fh:
            for number, raw in lines_of(fh):
                take(check_line(raw, number, validator), raw, p.name, result, publisher)
        ok = True
    finally:
        if publisher is not None:
            try:
                publisher.close()
            except UserError:
                if ok:
                    raise  # otherwise the error already on its way is the one to report
    return result


def _open(path: Path, stdin: bool) -> Any:
    import contextlib
    import sys

    return contextlib.nullcontext(sys.stdin.buffer) if stdin else path.open("rb")


def _count(result: IngestResult, res: LineResult) -> None:
    if res.accepted:
        result.accepted += 1
        if res.kind == "revoke":
            result.revocations += 1
        else:
            result.settlements += 1
        return
    result.quarantined += 1
    for v in res.violations:
        result.reasons[f"{v.field or '(line)'} [{v.rule}]"] += 1
    if len(result.refused) < MAX_DETAILS:
        result.refused.append({"line": res.line, "kind": res.kind,
                               "violations": [v.to_dict() for v in res.violations]})


def summary_lines(result: IngestResult) -> list[str]:
    """The plain-text report ``medshare platform ingest`` prints."""
    verb = "would publish" if result.dry_run else "published"
    out = [f"{result.file}: {result.accepted} accepted ({result.settlements} settlements, "
           f"{result.revocations} revocations; {verb} to {TOPIC}), {result.quarantined} quarantined"
           + ("" if result.dry_run else f" (to {topics.QUARANTINE})")]
    for reason, n in sorted(result.reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"  {n:>5}  {reason}")
    for r in result.refused[:20]:
        first = r["violations"][0]
        out.append(f"  line {r['line']}: {first['field'] or '(line)'}: [{first['rule']}] {first['message']}")
    return out


def dumps(result: IngestResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
