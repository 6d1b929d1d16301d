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

from datetime import date, datetime, timedelta
from typing import Any

from medshare import topics as t
from medshare.platform_records import CST

STORY_DAY_OFFSET = -1  # the last simulated day
CANCER_CENTRE = "H31010410078"
TERTIARY = "H31010110021"


#: the identity fields a story copies from a simulated settlement of its person
PERSON_FIELDS = ("psn_no", "psn_name", "psn_cert_type", "certno", "gend", "naty", "brdy", "age", "insutype",
                 "psn_type", "cvlserv_flag")


def _record(template: dict, sid: str, at: datetime, admitted: datetime, med_type: str, inst: str,
            dx: tuple[str, str], lines: list[tuple[str, int]], fund_fen: int) -> dict:
    """A platform.settlements.v2 settlement of ``template``'s person: catalogue items by name and
    quantity, 统筹 (``hifp_pay``) ``fund_fen``, the rest paid by the person in cash."""
    import random

    from medshare.simulate import catalogue as cat
    from medshare.simulate import settlements as st
    from medshare.simulate.persons import make_person

    items = {i.name: i for i in (*cat.SERVICES, *cat.DRUGS, *cat.DEVICES)}
    fee_lines = [st.Line(items[name], qty) for name, qty in lines]
    for line in fee_lines:
        if line.item.catalogue_class == "C":
            line.full_own_fen = line.amount_fen
    total = sum(x.amount_fen for x in fee_lines)
    full = sum(x.full_own_fen for x in fee_lines)
    pre = sum(x.pre_self_fen for x in fee_lines)
    split = st.Split(total, full, 0, pre, total - full - pre, 0, 0.8, fund_fen, 0, 0, 0, 0, 0, total - fund_fen)
    institution = cat.FIXMEDINS_BY_CODE[inst]
    visit = st.Visit(sid, f"MD{sid[2:]}", at, make_person(0, 0, at.date()), institution, med_type,
                     f"D{inst[1:]}001", cat.DEPARTMENTS.get("surg" if med_type == "21" else "onc", "全科医学科"),
                     admitted)
    record = st.settlement_record(random.Random(sid), visit, None, fee_lines, split)
    record.update({k: template[k] for k in PERSON_FIELDS if k in template})
    record["mdtrt_cert_type"] = "01"
    record["diseinfo"] = [{"diag_type": "1", "diag_srt_no": 1, "diag_code": dx[0], "diag_name": dx[1],
                           "maindiag_flag": "1", "diag_dept": visit.dept, "dise_dor_no": visit.doctor,
                           "diag_time": st.interface_time(admitted), "vali_flag": "1"}]
    return record


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
        elif ev.topic == t.PLATFORM_SETTLEMENTS and "revoke" not in r:
            templates.setdefault(r["psn_no"], r)
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
    noon = datetime(day.year, day.month, day.day, 10, tzinfo=CST)
    if both:
        tpl = templates[both[0]]
        lines = [("特需病房床位费", 25), ("腹腔镜胆囊切除术", 1), ("全身麻醉", 1)]
        out.append(_record(tpl, f"ST{stamp}99000001", noon, noon - timedelta(days=25), "21", TERTIARY,
                           ("K80.100", "胆囊结石伴胆囊炎"), lines, fund_fen=236_000))
    if hhb_only:
        tpl = templates[hhb_only[0]]
        out.append(_record(tpl, f"ST{stamp}99000002", noon + timedelta(hours=1), noon + timedelta(minutes=30), "14",
                           CANCER_CENTRE, ("C50.900x001", "乳腺恶性肿瘤"), [("哌柏西利胶囊", 1)],
                           fund_fen=183_040))
    return out


def publish(sim_config: Any, cfg: Any) -> dict[str, Any]:
    """Publish the stories to ``platform.settlements.v2`` as the platform (the simulator's sink)."""
    from medshare.envelope import encode_value
    from medshare.ingest import event_id
    from medshare.simulate.run import SimEvent
    from medshare.simulate.sinks import KafkaSink

    records = story_records(sim_config)
    sink = KafkaSink(cfg=cfg)
    ok = False
    try:
        for r in records:
            sink.write(SimEvent(t.PLATFORM_SETTLEMENTS, r["psn_no"], event_id("settlement", r), encode_value(r), r,
                                date.fromisoformat(r["setl_time"][:10])))
        ok = True
    finally:
        sent = sink.close(ok)
    return {"published": [r["setl_id"] for r in records], **(sent or {})}
