"""Deliberately malformed events: one function per kind, each breaking a record in one known way.

The contract check must catch every one of them and route it to quarantine. Each function takes
a *copy* of a valid record and returns ``(value bytes, record or None, detail)``: the bytes to
publish, the broken record (``None`` when the bytes are not JSON at all) and which field was hit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from medshare.envelope import encode_value
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS

BAD_CHECK_DIGIT = "bad_check_digit"
MISSING_FIELD = "missing_field"
AMOUNTS_MISMATCH = "amounts_mismatch"
BROKEN_JSON = "broken_json"
WRONG_TYPE = "wrong_type"
UNKNOWN_CODE = "unknown_code"
#: a settlement at the wrong kind of institution (a pharmacy purchase at a hospital, or the reverse):
#: rule institution-by-med-type
WRONG_INSTITUTION = "wrong_institution"
KINDS = (BAD_CHECK_DIGIT, MISSING_FIELD, AMOUNTS_MISMATCH, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE,
         WRONG_INSTITUTION)
#: what can go wrong with a 2208 revocation (it has no identity, amounts or codes of its own)
REVOCATION_KINDS = (MISSING_FIELD, BROKEN_JSON, WRONG_TYPE)

#: the kinds that make sense for each topic (notes and enrolments carry no resident_id and no amounts)
APPLICABLE: dict[str, tuple[str, ...]] = {
    PLATFORM_SETTLEMENTS: KINDS,
    PLATFORM_EMR_NOTES: (MISSING_FIELD, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE),
    PLATFORM_CONSENTS: (BAD_CHECK_DIGIT, MISSING_FIELD, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE),
    PLATFORM_ENROLMENTS: (MISSING_FIELD, BROKEN_JSON, WRONG_TYPE, UNKNOWN_CODE),
}

#: fields whose absence a consumer cannot work around
REQUIRED: dict[str, tuple[str, ...]] = {
    PLATFORM_SETTLEMENTS: ("setl_id", "mdtrt_id", "setl_time", "psn_no", "certno", "med_type",
                           "fixmedins_code", "diseinfo", "feedetail", "medfee_sumamt", "fund_pay_sumamt",
                           "hifp_pay", "psn_cash_pay"),
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


#: the field holding a resident ID on each topic
_RESIDENT_ID = {PLATFORM_SETTLEMENTS: "certno"}


def bad_check_digit(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    name = _RESIDENT_ID.get(topic, "resident_id")
    rid = record[name]
    wrong = rng.choice([c for c in "0123456789X" if c != rid[17].upper()])
    record[name] = rid[:17] + wrong
    return _done(record, name)


def missing_field(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    if "revoke" in record:
        name = rng.choice(("setl_id", "mdtrt_id", "psn_no"))
        del record["revoke"][name]
        return _done(record, f"revoke.{name}")
    name = rng.choice(REQUIRED[topic])
    del record[name]
    return _done(record, name)


def amounts_mismatch(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    """One amount off by 0.01-200.00 元, so a sum of the contract no longer holds (to the fen)."""
    name = rng.choice(("medfee_sumamt", "hifp_pay", "fund_pay_sumamt", "acct_pay", "psn_cash_pay"))
    delta_fen = rng.randint(1, 20_000)
    if record[name] * 100 >= delta_fen:
        delta_fen *= rng.choice((1, -1))
    record[name] = round((round(record[name] * 100) + delta_fen) / 100, 2)
    return _done(record, name)


def broken_json(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    """Cut the JSON text short (still valid UTF-8, never valid JSON), as a crashed writer would."""
    text = encode_value(record).decode("utf-8")
    cut = rng.randint(1, len(text) - 1)
    return text[:cut].encode("utf-8"), None, f"truncated at {cut} of {len(text)} chars"


_WRONG_TYPES: dict[str, tuple[str, ...]] = {
    PLATFORM_SETTLEMENTS: ("medfee_sumamt", "med_type", "feedetail", "hifp_pay"),
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
    if "revoke" in record:
        record["revoke"] = _retype(record["revoke"]["setl_id"])  # an id where the 2208 object belongs
        return _done(record, "revoke")
    name = rng.choice(_WRONG_TYPES[topic])
    record[name] = _retype(record[name])
    return _done(record, name)


_UNKNOWN_CODES: dict[str, tuple[tuple[str, str], ...]] = {
    PLATFORM_SETTLEMENTS: (("med_type", "99"), ("insutype", "300"), ("fixmedins_code", "H31019"),
                           ("diag_code", "ZZ.99"), ("med_list_codg", "YP0000123"), ("gend", "M")),
    PLATFORM_EMR_NOTES: (("note_type", "nursing"),),
    PLATFORM_CONSENTS: (("purpose", "marketing"), ("channel", "wechat_h5"), ("action", "suspend")),
    PLATFORM_ENROLMENTS: (("action", "suspend"), ("channel", "wechat_h5")),
}


def unknown_code(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    choices = [c for c in _UNKNOWN_CODES[topic] if c[0] != "diag_code" or record.get("diseinfo")]
    name, value = rng.choice(choices)
    if name in ("med_list_codg", "diag_code"):
        array = "feedetail" if name == "med_list_codg" else "diseinfo"
        n = rng.randrange(len(record[array]))
        record[array][n][name] = value
        return _done(record, f"{array}[{n}].{name}")
    record[name] = value
    return _done(record, name)


def wrong_institution(rng: random.Random, topic: str, record: dict[str, Any]) -> Result:
    """A pharmacy purchase (41) at a hospital code, or a hospital visit at a pharmacy code."""
    if record["med_type"] == "14":  # 门诊慢特病 is allowed at either: make it a pharmacy purchase
        record["med_type"] = "41" if record["fixmedins_code"].startswith("H") else "11"
        return _done(record, "med_type")
    code = record["fixmedins_code"]
    record["fixmedins_code"] = ("H" if code.startswith("P") else "P") + code[1:]
    return _done(record, "fixmedins_code")


CORRUPTERS: dict[str, Callable[[random.Random, str, dict[str, Any]], Result]] = {
    BAD_CHECK_DIGIT: bad_check_digit,
    MISSING_FIELD: missing_field,
    AMOUNTS_MISMATCH: amounts_mismatch,
    BROKEN_JSON: broken_json,
    WRONG_TYPE: wrong_type,
    UNKNOWN_CODE: unknown_code,
    WRONG_INSTITUTION: wrong_institution,
}


def corrupt(rng: random.Random, topic: str, record: dict[str, Any], kind: str | None = None) -> tuple[str, Result]:
    """Break a deep-enough copy of ``record`` with ``kind`` (or a kind that fits ``topic``)."""
    applicable = REVOCATION_KINDS if "revoke" in record else APPLICABLE[topic]
    kind = kind or rng.choice(applicable)
    if kind not in applicable:
        raise ValueError(f"{kind} does not apply to {topic}{' revocations' if 'revoke' in record else ''}")
    copy = dict(record)
    for name in ("feedetail", "diseinfo", "setldetail"):
        if isinstance(copy.get(name), list):
            copy[name] = [dict(x) for x in copy[name]]
    if isinstance(copy.get("revoke"), dict):
        copy["revoke"] = dict(copy["revoke"])
    for name in ("data_categories", "pre_existing"):
        if isinstance(copy.get(name), list):
            copy[name] = list(copy[name])
    return kind, CORRUPTERS[kind](rng, topic, copy)
