"""Demo claim stories: a few hand-made synthetic settlements that cross the products' deductibles.

Thirty simulated days of 1,500 persons rarely cross a 沪惠保-style deductible (12,000 元 of inpatient
自费 in a year: a few in a hundred thousand people do), so ``medshare demo`` adds, after the
simulation, two stories for persons the simulation enrolled **and** who gave claims consent —
clearly marked (settlement ids ``ST<date>99…``) and built like the simulator's records so every
contract check applies:

* an inpatient stay at a 三级 hospital with 15,000 元 of 目录外自费 (特需病房) and a laparoscopic
  cholecystectomy, for a person enrolled with both insurers: hhb's 住院自费 duty pays
  (15,000 − 12,000) × 70 % = 2,100; shenlife's inpatient duty then pays what it computes out of what
  is left of the person's own share (coordination, payer order hhb → shenlife);
* a 特药 on the designated channel with a matching indication (哌柏西利 for breast cancer at the
  cancer centre), for a person enrolled with hhb: the 国内特药 duty pays 70 % of the self-pay part,
  with no deductible.

The persons are chosen from the simulation's own events (same configuration, same seed), so the
stories need no state of their own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from medshare import topics as t

STORY_DAY_OFFSET = -1  # the last simulated day
CANCER_CENTRE = "H31010410078"
TERTIARY = "H31010110021"


def _item(code: str, name: str, category: str, cls: str, qty: int, price: float, self_expense_all: bool) -> dict:
    amount = round(qty * price, 2)
    return {"item_code": code, "item_name": name, "category": category, "catalogue_class": cls,
            "special_drug": code.startswith("XL01EFK071"), "quantity": qty, "unit_price": price, "amount": amount,
            "self_expense": amount if self_expense_all else 0.0}


def _record(template: dict, sid: str, at: str, admitted: str, visit: str, inst: tuple[str, str],
            dx: tuple[str, str], items: list[dict], fund: float) -> dict:
    total = round(sum(i["amount"] for i in items), 2)
    self_expense = round(sum(i["self_expense"] for i in items), 2)
    return {**template, "settlement_id": sid, "event_type": "settlement", "refund_of": None, "event_time": at,
            "visit_type": visit, "institution_code": inst[0], "institution_name": inst[1], "admission_date": admitted,
            "discharge_date": at[:10], "diagnosis_code": dx[0], "diagnosis_name": dx[1], "items": items,
            "total_amount": total, "fund_paid": fund, "account_paid": 0.0,
            "self_pay": round(total - self_expense - fund, 2), "self_expense": self_expense}


def _eligible(events: list[Any], day: date) -> tuple[dict[str, set[str]], dict[str, dict]]:
    """insurer -> persons enrolled and consenting (claims, settlement) on ``day`` with no cancel or
    revocation at all; person -> a settlement of theirs to copy the identity fields from."""
    enrolled: dict[str, set[str]] = {}
    consented: dict[str, set[str]] = {}
    spoiled: set[str] = set()
    templates: dict[str, dict] = {}
    when = day.isoformat()
    for ev in events:
        r = ev.record
        if ev.malformed is not None or r is None:
            continue
        if ev.topic == t.PLATFORM_ENROLMENTS:
            if r["action"] != "enrol":
                spoiled.add(r["person_no"])
            elif r["valid_from"][:10] <= when < r["valid_to"][:10]:
                enrolled.setdefault(r["insurer_code"], set()).add(r["person_no"])
        elif ev.topic == t.PLATFORM_CONSENTS:
            if r["action"] != "grant":
                spoiled.add(r["person_no"])
            elif (r["purpose"] == "claims" and "settlement" in r["data_categories"]
                  and r["valid_from"][:10] <= when < r["valid_to"][:10]):
                consented.setdefault(r["insurer_code"], set()).add(r["person_no"])
        elif ev.topic == t.PLATFORM_SETTLEMENTS and r["event_type"] == "settlement":
            templates.setdefault(r["person_no"], r)
    ok = {code: (persons & consented.get(code, set())) - spoiled for code, persons in enrolled.items()}
    return ok, templates


def story_records(sim_config: Any) -> list[dict]:
    """The stories' settlement records for the simulation ``sim_config`` (may be fewer than two when
    the simulation has nobody eligible)."""
    from medshare.simulate import Simulation

    events = list(Simulation(sim_config).events())
    day = sim_config.start_date + timedelta(days=sim_config.days + STORY_DAY_OFFSET)
    ok, templates = _eligible(events, day)
    both = sorted((ok.get("hhb", set()) & ok.get("shenlife", set())) & set(templates))
    hhb_only = sorted((ok.get("hhb", set()) - set(both[:1])) & set(templates))
    stamp = day.strftime("%Y%m%d")
    out = []
    if both:
        tpl = templates[both[0]]
        items = [_item("120200001", "特需病房床位费", "service", "C", 25, 600.0, True),
                 _item("331005008", "腹腔镜胆囊切除术", "service", "A", 1, 2100.0, False),
                 _item("330100005", "全身麻醉", "service", "A", 1, 850.0, False)]
        out.append(_record(tpl, f"ST{stamp}99000001", f"{day.isoformat()}T10:00:00+08:00",
                           (day - timedelta(days=25)).isoformat(), "21", (TERTIARY, "上海市申江第一人民医院"),
                           ("K80.100", "胆囊结石伴胆囊炎"), items, fund=2360.0))
    if hhb_only:
        tpl = templates[hhb_only[0]]
        items = [_item("XL01EFK071A000003517258", "哌柏西利胶囊", "drug", "B", 1, 2288.0, False)]
        out.append(_record(tpl, f"ST{stamp}99000002", f"{day.isoformat()}T11:00:00+08:00", day.isoformat(), "14",
                           (CANCER_CENTRE, "上海市肿瘤防治中心"), ("C50.900", "乳房恶性肿瘤"), items, fund=1830.4))
    return out


def publish(sim_config: Any, cfg: Any) -> dict[str, Any]:
    """Publish the stories to ``platform.settlements.v1`` as the platform (the simulator's sink)."""
    from medshare.envelope import encode_value
    from medshare.simulate.run import SimEvent
    from medshare.simulate.sinks import KafkaSink

    records = story_records(sim_config)
    sink = KafkaSink(cfg=cfg)
    ok = False
    try:
        for r in records:
            sink.write(SimEvent(t.PLATFORM_SETTLEMENTS, r["person_no"], r["settlement_id"], encode_value(r), r,
                                date.fromisoformat(r["event_time"][:10])))
        ok = True
    finally:
        sent = sink.close(ok)
    return {"published": [r["settlement_id"] for r in records], **(sent or {})}
