"""The claims processor's handler in-process (no broker): real simulated settlements in, the exact
messages the processor would publish out.

Stores are real (SQLite files under the test's home); only the Kafka message is a stand-in with the
attributes the handler reads (topic, partition, offset, key, value, headers, timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medshare import topics as t
from medshare.envelope import encode_value, make_headers

INSURERS = ("hhb", "shenlife")
PRODUCT_OF = {"hhb": "hhb-huibao", "shenlife": "shenlife-plus"}


@dataclass
class Msg:
    topic: str
    value: bytes
    key: bytes | None
    offset: int
    partition: int = 0
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp: int = 0


class Feed:
    """Numbers messages per topic like a one-partition topic would."""

    def __init__(self) -> None:
        self.offsets: dict[str, int] = {}

    def msg(self, topic: str, record: dict[str, Any] | bytes, event_id: str, key: str | None = None) -> Msg:
        n = self.offsets.get(topic, 0)
        self.offsets[topic] = n + 1
        if topic == t.PLATFORM_SETTLEMENTS and isinstance(record, dict):
            record = platform_record(record)
        value = record if isinstance(record, bytes) else encode_value(record)
        return Msg(topic, value, key.encode() if key else None, n,
                   headers=make_headers(topic, "test", event_id=event_id))


#: the keys :func:`streams.claims.claims_view` adds to a platform.settlements.v2 record
VIEW_KEYS = ("settlement_id", "event_type", "refund_of", "event_time", "person_no", "resident_id")


def platform_record(view: dict[str, Any]) -> dict[str, Any]:
    """The platform.settlements.v2 record of a claims view (what goes on the topic)."""
    return {k: v for k, v in view.items() if k not in VIEW_KEYS}


def settlements(persons: int = 150, days: int = 60, seed: int = 23, start: date = date(2026, 3, 1)
                ) -> list[dict[str, Any]]:
    """Valid simulated platform.settlements.v2 records (and 2208 revocations), in the platform's order,
    as the claims processor views them (``streams.claims.claims_view``: ``settlement_id``,
    ``person_no``, ``event_time`` … beside the 2207 fields; :meth:`Feed.msg` publishes the record only)."""
    from medshare.simulate import SimConfig, Simulation
    from streams.claims import claims_view

    sim = Simulation(SimConfig(persons=persons, days=days, seed=seed, malformed_rate=0.0, start_date=start,
                               insurers=INSURERS))
    return [claims_view(e.record) for e in sim.events() if e.topic == t.PLATFORM_SETTLEMENTS]


def revocation(original: dict[str, Any]) -> dict[str, Any]:
    """The claims view of a 2208 revocation of ``original`` (a view or a v2 record)."""
    from medshare.simulate.settlements import revocation_record
    from streams.claims import claims_view

    return claims_view(revocation_record(platform_record(original)))


def grant(person_no: str, code: str, n: int, at: str = "2026-01-02T08:00:00+08:00") -> dict[str, Any]:
    return {"event_id": f"CE-T-{code}-{n}", "consent_id": f"CS-T-{code}-{n}", "action": "grant",
            "person_no": person_no, "insurer_code": code, "purpose": "claims",
            "data_categories": ["settlement"], "valid_from": at, "valid_to": "2027-06-01T00:00:00+08:00",
            "channel": "随申办", "event_time": at}


def engine(cfg, persons: list[str] = (), enrol: bool = True, consent: bool = True):
    """A :class:`streams.claims.ClaimsEngine` on ``cfg``'s home; ``persons`` enrolled and consenting
    with both demo insurers (insurer keys are created as onboarding would)."""
    from medshare.claims.enrolment import EnrolmentRegistry, enrolment_events
    from medshare.claims.state import ClaimStore, claims_database
    from privacy import keys
    from privacy.consent import ConsentRegistry
    from streams.claims import ClaimsEngine

    for code in INSURERS:
        keys.create_insurer_keypair(code, cfg=cfg)
    consents = ConsentRegistry.open(cfg.state_database)
    enrolments = EnrolmentRegistry(claims_database(cfg))
    for code in INSURERS:
        if consent:
            consents.apply_many([grant(p, code, i) for i, p in enumerate(persons)])
        if enrol:
            enrolments.apply_many(enrolment_events(persons, code, PRODUCT_OF[code], 2026))
    return ClaimsEngine(cfg, store=ClaimStore(claims_database(cfg)), enrolments=enrolments, consents=consents)


def run_batch(handler, messages: list[Msg]) -> list[Any]:
    """One batch as the runtime runs it: begin, handle each (quarantine on rejection), commit."""
    from streams.runtime import Counters, Rejected

    counters = Counters()
    outs: list[Any] = []
    handler.begin_batch()
    for m in messages:
        try:
            outs += handler.handle(m, counters)
        except Rejected as exc:
            outs.append(handler.quarantine(m, exc))
    handler.before_commit()
    run_batch.counters = counters  # type: ignore[attr-defined]
    return outs


def fee(code: str, name: str, kind: str, level: str, qty: int, price: float, own_all: bool) -> dict[str, Any]:
    """One feedetail line (2204): ``kind`` med_chrgitm_type, ``level`` chrgitm_lv; ``own_all``: 全自费."""
    amount = round(qty * price, 2)
    return {"feedetl_sn": f"{code[-6:]}{qty}", "med_list_codg": code, "medins_list_codg": code[-9:],
            "medins_list_name": name, "fee_ocur_time": "2026-01-01 09:00:00", "cnt": float(qty), "pric": price,
            "det_item_fee_sumamt": amount, "med_chrgitm_type": kind, "chrgitm_lv": level,
            "fulamt_ownpay_amt": amount if own_all else 0.0, "overlmt_amt": 0.0, "preselfpay_amt": 0.0,
            "inscp_scp_amt": 0.0 if own_all else amount, "list_sp_item_flag": "1" if code.startswith("XL0") else "0",
            "hi_nego_drug_flag": "0", "bilg_dr_codg": "D3101041007800"}


def crafted(template: dict[str, Any], setl_id: str, when: str, med_type: str, inst: str, dx: str,
            lines: list[dict[str, Any]], cash_in_scope: float) -> dict[str, Any]:
    """A contract-valid v2 settlement of ``template``'s person (its claims view) with these fee lines:
    统筹 pays the in-scope amount less ``cash_in_scope``; the person pays that and the 全自费 in cash."""
    from medshare.simulate.catalogue import FIXMEDINS_BY_CODE
    from streams.claims import claims_view

    fen = lambda x: round(x * 100)  # noqa: E731
    total = sum(fen(x["det_item_fee_sumamt"]) for x in lines)
    own = sum(fen(x["fulamt_ownpay_amt"]) for x in lines)
    in_scope = total - own
    cash = fen(cash_in_scope)
    yuan = lambda f: round(f / 100, 2)  # noqa: E731
    lines = [{**x, "feedetl_sn": str(n), "fee_ocur_time": f"{when} 09:00:00"} for n, x in enumerate(lines, 1)]
    person = {k: template[k] for k in ("psn_no", "psn_name", "psn_cert_type", "certno", "gend", "brdy", "age",
                                       "insutype", "psn_type")}
    record = {
        "setl_id": setl_id, "mdtrt_id": f"MD{setl_id[2:]}", **person, "med_type": med_type,
        "fixmedins_code": inst, "fixmedins_name": FIXMEDINS_BY_CODE[inst].name, "setl_time": f"{when} 10:00:00",
        "medfee_sumamt": yuan(total), "fulamt_ownpay_amt": yuan(own), "overlmt_selfpay": 0.0, "preselfpay_amt": 0.0,
        "inscp_scp_amt": yuan(in_scope), "hifp_pay": yuan(in_scope - cash), "hifmi_pay": 0.0, "hifob_pay": 0.0,
        "maf_pay": 0.0, "oth_pay": 0.0, "fund_pay_sumamt": yuan(in_scope - cash), "psn_part_amt": yuan(own + cash),
        "acct_pay": 0.0, "acct_mulaid_pay": 0.0, "psn_cash_pay": yuan(own + cash), "clr_type": "21" if med_type == "21"
        else "11", "setldetail": [],
        "diseinfo": [{"diag_type": "1", "diag_srt_no": 1, "diag_code": dx, "diag_name": "诊断", "maindiag_flag": "1"}],
        "feedetail": lines,
    }
    return claims_view(record)


def _fee_type(code: str) -> str:
    if code.startswith("X"):
        return "09"
    if code.startswith("Z"):
        return "11"
    if code.startswith("C") and len(code) == 20:
        return "08"
    return "05"


def as_v2(rec: dict[str, Any], psn_no: str = "3100000000000001") -> dict[str, Any]:
    """A platform.settlements.v2 record (its claims view) carrying what a hand-made v1-style test
    settlement says: ``visit_type`` -> med_type, ``items`` -> feedetail (``self_expense`` -> 全自费),
    ``fund_paid`` -> hifp_pay, ``self_pay`` + ``self_expense`` -> the cash part. A v1-style refund
    becomes the 2208 revocation of the settlement it refunds (at the refund's time)."""
    from medshare.claims.claimable import claims_view
    from medshare.simulate.settlements import revocation_record

    if rec.get("event_type") == "refund":
        original = {"setl_id": rec["refund_of"], "mdtrt_id": f"MD{rec['refund_of']}", "psn_no": psn_no}
        return {**claims_view(revocation_record(original)), "event_time": rec["event_time"]}
    fen = lambda x: round(x * 100)  # noqa: E731
    yuan = lambda f: round(f / 100, 2)  # noqa: E731
    feedetail = [{"feedetl_sn": str(n), "med_list_codg": i["item_code"], "medins_list_codg": i["item_code"],
                  "medins_list_name": i.get("item_name"), "fee_ocur_time": rec["event_time"][:19].replace("T", " "),
                  "cnt": float(i["quantity"]), "pric": i["unit_price"], "det_item_fee_sumamt": i["amount"],
                  "med_chrgitm_type": _fee_type(i["item_code"]),
                  "chrgitm_lv": {"A": "01", "B": "02", "C": "03"}[i["catalogue_class"]],
                  "fulamt_ownpay_amt": i["self_expense"], "overlmt_amt": 0.0, "preselfpay_amt": 0.0,
                  "inscp_scp_amt": yuan(fen(i["amount"]) - fen(i["self_expense"])),
                  "list_sp_item_flag": "1" if i.get("special_drug") else "0", "hi_nego_drug_flag": "0",
                  "bilg_dr_codg": "D1"} for n, i in enumerate(rec["items"], 1)]
    cash = fen(rec["self_pay"]) + fen(rec["self_expense"])
    record = {
        "setl_id": rec["settlement_id"], "mdtrt_id": f"MD{rec['settlement_id']}", "psn_no": psn_no,
        "psn_name": "测试", "psn_cert_type": "01", "certno": "310104198503121231", "gend": "1",
        "brdy": "1985-03-12", "age": 41.0, "insutype": "310", "psn_type": "11", "med_type": rec["visit_type"],
        "fixmedins_code": rec["institution_code"], "fixmedins_name": "测试医院",
        "setl_time": rec["event_time"][:19].replace("T", " "), "medfee_sumamt": rec["total_amount"],
        "fulamt_ownpay_amt": rec["self_expense"], "overlmt_selfpay": 0.0, "preselfpay_amt": 0.0,
        "inscp_scp_amt": yuan(fen(rec["total_amount"]) - fen(rec["self_expense"])), "hifp_pay": rec["fund_paid"],
        "hifmi_pay": 0.0, "hifob_pay": 0.0, "maf_pay": 0.0, "oth_pay": 0.0, "fund_pay_sumamt": rec["fund_paid"],
        "psn_part_amt": yuan(cash), "acct_pay": 0.0, "acct_mulaid_pay": 0.0, "psn_cash_pay": yuan(cash),
        "clr_type": "11", "setldetail": [],
        "diseinfo": [{"diag_type": "1", "diag_srt_no": 1, "diag_code": rec["diagnosis_code"], "diag_name": "诊断",
                      "maindiag_flag": "1"}],
        "feedetail": feedetail,
    }
    return claims_view(record)
