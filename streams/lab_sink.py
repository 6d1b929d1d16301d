"""The lab sink: ``lab.*`` topics into the lab database, idempotently.

Each batch is checked against the lab contracts and a last guard against direct identifiers
(:func:`lab_leaks`), upserted by key in one database transaction, and only then are the offsets
committed (in the runtime's Kafka transaction). A crash between the two replays the batch; the
upserts change nothing. Records that fail go to quarantine and never into the lab.

The guard fails closed on what a v1 or a v2 platform record could leak, whatever the contract
says: a key named like a direct identifier at any depth (v2 ``psn_no``, ``psn_name``, ``certno``,
``brdy``, 1101's ``tel``/``addr``; v1 ``person_no``, ``name``, ``resident_id`` …); a resident ID
(``certno``) with a valid check digit, a mobile or a bank-card number in any string, read
normalised — full-width, spaced, in Chinese numerals (``privacy.leakguard``); and, in a settlement
or revocation (structured rows with no free text), a calendar date anywhere but the hour fields,
which is how an exact ``brdy`` would look.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from medshare import topics as t
from medshare.config import Settings
from medshare.envelope import Outgoing
from streams.common import ContractCheck, Quarantiner
from streams.labdb import LabDB, table_for
from streams.runtime import Counters, Rejected

#: keys that name a direct identifier in a platform record (v2, 1101 and v1 vocabularies): a lab
#: record never has one, at any depth
IDENTIFIER_KEYS = frozenset({
    "psn_no", "psn_name", "certno", "brdy", "tel", "addr", "dise_dor_name",
    "person_no", "name", "resident_id", "phone", "address", "card_no", "birth_date",
})
#: the platform's settlement ids (format platform_id): digit strings that a shape check misreads —
#: an 18-digit setl_id passes the bank-card Luhn check one time in ten. They are not read for
#: shapes; the de-identifier refuses a lab record that repeats the person's psn_no or certno
#: anywhere (rule identifier-echo), and the contract pins their format.
ID_FIELDS = frozenset({"setl_id", "revoked_setl_id"})
#: the structured lab records, in which no string may hold a calendar date (a date of birth)
STRUCTURED_TOPICS = frozenset({t.LAB_SETTLEMENTS, t.LAB_SETTLEMENTS_V2})
#: the fields of those records that are times by design (generalised to the hour)
TIME_FIELDS = frozenset({"setl_hour", "revoked_hour", "event_hour"})
_DATE = re.compile(
    r"(?<![0-9])(?:1[89]|20)[0-9]{2}\s*(?:[-/.年])\s*(?:0?[1-9]|1[0-2])\s*(?:[-/.月])\s*(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
)


def _walk(value: Any, path: str):
    """(path, key, value) of every dict entry and list element at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            sub = f"{path}.{k}" if path else str(k)
            yield sub, str(k), v
            yield from _walk(v, sub)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def lab_leaks(topic: str, record: Any) -> list[str]:
    """``path:kind`` for everything in a lab record that is or looks like a direct identifier."""
    from privacy.deid.normalise import normalise
    from privacy.leakguard import find_identifiers

    shaped = {k: v for k, v in record.items() if k not in ID_FIELDS} if isinstance(record, dict) else record
    found = find_identifiers(shaped)
    for path, key, value in _walk(record, ""):
        if key in IDENTIFIER_KEYS:
            found.append(f"{path}:identifier-field")
        elif (topic in STRUCTURED_TOPICS and isinstance(value, str) and key not in TIME_FIELDS
              and _DATE.search(normalise(value).text)):
            found.append(f"{path}:date")
    return found


class LabSinkHandler:
    name = "lab-sink"
    #: lab.settlements.v1 is still read: records already on it land in the v1 table (docs/lab.md)
    inputs = (t.LAB_SETTLEMENTS, t.LAB_SETTLEMENTS_V2, t.LAB_EMR_NOTES)

    def __init__(self, cfg: Settings, db: LabDB | None = None) -> None:
        self.db = db or LabDB(cfg=cfg)
        self.check = ContractCheck(self.inputs)
        self.quarantine = Quarantiner(self.name, cfg)
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def begin_batch(self) -> None:
        self._rows = {}

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        record = self.check(msg)
        leaks = lab_leaks(msg.topic, record)
        if leaks:
            raise Rejected("leak-guard", f"{msg.topic} record at offset {msg.offset}: direct identifier(s) "
                           f"found in {', '.join(leaks)} (rule leak-guard); not written to the lab")
        record["loaded_at"] = datetime.now(UTC).isoformat()
        self._rows.setdefault(table_for(msg.topic, record).name, []).append(record)
        return []

    def before_commit(self) -> None:
        written = self.db.write(self._rows)
        self._rows = {}
        self.written = getattr(self, "written", 0) + written

    def close(self) -> None:
        pass


def build(cfg: Settings) -> LabSinkHandler:
    return LabSinkHandler(cfg)
