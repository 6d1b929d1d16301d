"""Deliberately malformed events: one function per kind, each breaking a record in one known way.

The contract check must catch every one of them and route it to quarantine. Each function takes
a *copy* of a valid record and returns ``(value bytes, record or None, detail)``: the bytes to
publish, the broken record (``None`` when the bytes are not JSON at all) and which field was hit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from medshare.envelope import encode_value
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS

BAD_CHECK_DIGIT = "bad_check_digit"
MISSING_FIELD = "missing_field"
AMOUNTS_MISMATCH = "amounts_mismatch"
BROKEN_JSON = "broken_json"
WRONG_TYPE = "wrong_type"
UNKNOWN_CODE = "unknown_code"
DISCHARGE_BEFORE_ADMISSION = "discharge_before_admission"
KINDS = (BAD_CHECK_DIGIT, MISSING_FIELD, AMOUNTS_MISMATCH, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE,
         DISCHARGE_BEFORE_ADMISSION)

#: the kinds that make sense for each topic (notes and enrolments carry no resident_id and no amounts)
APPLICABLE: dict[str, tuple[str, ...]] = {
    PLATFORM_SETTLEMENTS: KINDS,
    PLATFORM_EMR_NOTES: (MISSING_FIELD, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE),
    PLATFORM_CONSENTS: (BAD_CHECK_DIGIT, MISSING_FIELD, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE),
    PLATFORM_ENROLMENTS: (MISSING_FIELD, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE),
}

#: fields whose absence a consumer cannot work around
REQUIRED: dict[str, tuple[str, ...]] = {
    PLATFORM_SETTLEMENTS: ("settlement_id", "event_time", "person_no", "resident_id", "visit_type",
                           "institution_code", "diagnosis_code", "items", "total_amount", "fund_paid"),
    PLATFORM_EMR_NOTES: ("note_id", "settlement_id", "person_no", "event_time", "note_type", "text"),
    # valid_to is optional in the contract (an authorisation may be open-ended), so never dropped
    PLATFORM_CONSENTS: ("event_id", "consent_id", "action", "person_no", "resident_id", "insurer_code",
                        "purpose", "data_categories", "valid_from", "channel", "event_time"),
    # the terms (product, policy, period) are null in a cancel, so only what every event has
    PLATFORM_ENROLMENTS: ("event_id", "enrolment_id", "action", "person_no", "insurer_code", "channel",
                          "event_time"),
}

Result = tuple[bytes, dict[str, Any] | None, str]


def _done(record: dict[str, Any], detail: str) -> Result:
    return encode_value(record), record, detail


def bad_check_digit(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    rid = record["resident_id"]
    wrong = rng.choice([c for c in "0123456789X" if c != rid[17].upper()])
    record["resident_id"] = rid[:17] + wrong
    return _done(record, "resident_id")


def missing_field(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    name = rng.choice(REQUIRED[topic])
    del record[name]
    return _done(record, name)


def amounts_mismatch(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    """One share off by 0.50-200.00 元, so the four shares no longer add up to the total."""
    name = rng.choice(("fund_paid", "account_paid", "self_pay", "self_expense"))
    delta_fen = rng.randint(50, 20_000) * rng.choice((1, -1))
    record[name] = round((round(record[name] * 100) + delta_fen) / 100, 2)
    return _done(record, name)


def broken_json(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    """Cut the JSON text short (still valid UTF-8, never valid JSON), as a crashed writer would."""
    text = encode_value(record).decode("utf-8")
    cut = rng.randint(1, len(text) - 1)
    return text[:cut].encode("utf-8"), None, f"truncated at {cut} of {len(text)} chars"


_WRONG_TYPES: dict[str, tuple[str, ...]] = {
    PLATFORM_SETTLEMENTS: ("total_amount", "visit_type", "items", "fund_paid"),
    PLATFORM_EMR_NOTES: ("text", "person_no"),
    PLATFORM_CONSENTS: ("data_categories", "valid_from", "person_no"),
    PLATFORM_ENROLMENTS: ("pre_existing", "event_time", "person_no"),
}


def _retype(value: Any) -> Any:
    """A value of the wrong JSON type: numbers become strings, strings numbers, lists strings."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return ",".join(v if isinstance(v, str) else str(v) for v in value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return {"value": value}


def wrong_type(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    name = rng.choice(_WRONG_TYPES[topic])
    record[name] = _retype(record[name])
    return _done(record, name)


_UNKNOWN_CODES: dict[str, tuple[tuple[str, str], ...]] = {
    PLATFORM_SETTLEMENTS: (("visit_type", "99"), ("insurance_type", "320"), ("institution_code", "H31019"),
                           ("diagnosis_code", "ZZ.99"), ("item_code", "YP0000123")),
    PLATFORM_EMR_NOTES: (("note_type", "nursing"),),
    PLATFORM_CONSENTS: (("purpose", "marketing"), ("channel", "wechat_h5"), ("action", "suspend")),
    PLATFORM_ENROLMENTS: (("action", "suspend"), ("channel", "wechat_h5")),
}


def unknown_code(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    name, value = rng.choice(_UNKNOWN_CODES[topic])
    if name == "item_code":
        item = rng.choice(record["items"])
        item["item_code"] = value
        return _done(record, "items.item_code")
    record[name] = value
    return _done(record, name)


def discharge_before_admission(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    admission = date.fromisoformat(record["admission_date"])
    record["discharge_date"] = (admission - timedelta(days=rng.randint(1, 10))).isoformat()
    return _done(record, "discharge_date")


CORRUPTERS: dict[str, Callable[[random.Random, str, dict[str, Any]], Result]] = {
    BAD_CHECK_DIGIT: bad_check_digit,
    MISSING_FIELD: missing_field,
    AMOUNTS_MISMATCH: amounts_mismatch,
    BROKEN_JSON: broken_json,
    WRONG_TYPE: wrong_type,
    UNKNOWN_CODE: unknown_code,
    DISCHARGE_BEFORE_ADMISSION: discharge_before_admission,
}


def corrupt(rng: random.Random, topic: str, record: dict[str, Any], kind: str | None = None) -> tuple[str, Result]:
    """Break a deep-enough copy of ``record`` with ``kind`` (or a kind that fits ``topic``)."""
    kind = kind or rng.choice(APPLICABLE[topic])
    if kind not in APPLICABLE[topic]:
        raise ValueError(f"{kind} does not apply to {topic}")
    copy = dict(record)
    if "items" in copy and isinstance(copy["items"], list):
        copy["items"] = [dict(item) for item in copy["items"]]
    for name in ("data_categories", "pre_existing"):
        if isinstance(copy.get(name), list):
            copy[name] = list(copy[name])
    return kind, CORRUPTERS[kind](rng, topic, copy)
