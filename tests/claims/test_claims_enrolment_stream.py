"""Enrolment events on the real broker: platform.enrolments.v1 → the claims processor → claim results.

The simulator publishes settlements, consents and enrolment events (some cancelled later, some
malformed); the test adds a few events of its own. Then consent-sync and the claims processor run
until caught up, and the claim results are compared with what the stream says, judged here from
the messages' own Kafka timestamps: a settlement gets a claim from an insurer exactly when an
enrolment with that insurer was published before it and not cancelled before it, covers its time,
the product and the agreement are in effect, and the person consents. What was decided is read
from the claim ledger; what was published follows each grant's mode (shenlife, ``detail``: every
claim; hhb, ``result``: a claim that pays and the reversal of one published). Malformed enrolments
end in quarantine with their field and rule; events sent twice change nothing.

Run on a broker of its own, e.g.::

    MEDSHARE_HOME=$PWD/var/test-enrol MEDSHARE_KAFKA_PORT=26092 MEDSHARE_KAFKA_CONTROLLER_PORT=26093 \\
        .venv/bin/pytest tests/claims/test_claims_enrolment_stream.py
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest
import yaml
from pipeline_helpers import INSURERS, read_topic, reset_pipeline

from medshare import topics as t
from medshare.envelope import header_map

pytestmark = pytest.mark.integration

SIM = {"persons": 300, "days": 40, "seed": 47, "malformed_rate": 0.03, "start_date": date(2026, 3, 1)}
PRODUCT_OF = {"hhb": "hhb-huibao", "shenlife": "shenlife-plus"}
#: the test's own person: consents to hhb, enrols, claims (an inpatient stay hhb pays), cancels, claims no more
OWN = "3100999900000001"



def _notice_id(insurer: str, at: str) -> str:
    """The notice of the agreement in force at ``at`` (a grant must name it: privacy.notice)."""
    from datetime import datetime

    from privacy.notice import NoticeBook

    return NoticeBook.load().current(insurer, "claims", datetime.fromisoformat(at)).notice_id

def _publish(cfg, topic: str, records: list[dict], gap_s: float = 0.05) -> None:
    """Publish as the platform, one at a time, so each has its own (later) Kafka timestamp."""
    from medshare import kafka as mk
    from medshare.envelope import Outgoing

    prod = mk.producer("platform", cfg=cfg)
    try:
        for r in records:
            key = r.get("person_no") or r.get("psn_no") or r.get("event_id")
            out = Outgoing.record(topic, r, key=key, producer="test",
                                  event_id=r.get("event_id") or r.get("setl_id"))
            prod.send(out.topic, value=out.value, key=out.key, headers=out.headers).get(timeout=30)
            time.sleep(gap_s)
    finally:
        prod.close()


def _own_events(sim_settlements: list[dict]) -> tuple[list[tuple[str, dict]], dict]:
    """The test person's story, in publication order: consent, settlement (no claim: not enrolled yet),
    enrol, settlement (a claim that pays: hhb, a result grant, receives only those), a bad enrolment,
    cancel, settlement (no claim)."""
    from claims_helpers import crafted, fee, platform_record

    base = [r for r in sim_settlements if "revoke" not in r][:3]
    own = []
    for n, r in enumerate(base):
        own.append({**r, "setl_id": f"ST2026040{n + 1}9999000{n}", "psn_no": OWN,
                    "setl_time": f"2026-04-0{n + 1} 10:00:00"})
    # 30,000 of 特需病房 自费 at a 三级 hospital: hhb pays (30,000 - 12,000) x 0.7 = 12,600
    stay = [fee("001202000010000", "特需病房床位费", "01", "03", 50, 600.0, True),
            fee("003310050080000", "腹腔镜胆囊切除术", "06", "01", 1, 2100.0, False)]
    own[1] = platform_record(crafted({**base[1], "psn_no": OWN}, own[1]["setl_id"], "2026-04-02", "21",
                                     "H31010110021", "K80.200", stay, 2100.0))
    consent = {"event_id": "CE-OWN-1", "consent_id": "CS-OWN-1", "action": "grant", "person_no": OWN,
               "resident_id": base[0]["certno"], "insurer_code": "hhb", "purpose": "claims",
               "data_categories": ["settlement"], "valid_from": "2026-03-01T00:00:00+08:00",
               "valid_to": "2027-03-01T00:00:00+08:00", "channel": "随申办", "event_time": "2026-03-01T08:00:00+08:00"}
    consent["notice_id"] = _notice_id("hhb", consent["event_time"])  # a grant names its notice (privacy.notice)
    enrol = {"event_id": "EE-OWN-1", "enrolment_id": "EN-OWN-1", "action": "enrol", "person_no": OWN,
             "insurer_code": "hhb", "product_id": "hhb-huibao", "policy_no": "HHB2026OWN0001",
             "valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2027-01-01T00:00:00+08:00",
             "pre_existing": [], "channel": "随申办", "event_time": "2026-04-01T12:00:00+08:00"}
    bad = {**enrol, "event_id": "EE-OWN-BAD", "enrolment_id": "EN-OWN-2", "product_id": "hhb-nosuchproduct"}
    cancel = {**enrol, "event_id": "EE-OWN-2", "action": "cancel", "product_id": None, "policy_no": None,
              "valid_from": None, "valid_to": None, "event_time": "2026-04-02T18:00:00+08:00"}
    story = [(t.PLATFORM_SETTLEMENTS, own[0]), (t.PLATFORM_ENROLMENTS, enrol), (t.PLATFORM_SETTLEMENTS, own[1]),
             (t.PLATFORM_ENROLMENTS, bad), (t.PLATFORM_ENROLMENTS, cancel), (t.PLATFORM_SETTLEMENTS, own[2])]
    return story, {"consent": consent, "settlements": own, "bad": bad}


@pytest.fixture(scope="module")
def run(kafka_broker):
    from medshare.simulate import SimConfig, Simulation, run_simulation
    from streams.runtime import RunOptions
    from streams.service import run_processor

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    summary = run_simulation(sim_cfg, cfg=cfg, batch=False)
    events = list(Simulation(sim_cfg).events())
    settlements = [e.record for e in events if e.topic == t.PLATFORM_SETTLEMENTS and e.malformed is None]
    story, own = _own_events(settlements)
    _publish(cfg, t.PLATFORM_CONSENTS, [own["consent"]])
    for topic, record in story:
        _publish(cfg, topic, [record])
    # the platform sends some enrolments and settlements a second time
    resent_enrolments = [e.record for e in events if e.topic == t.PLATFORM_ENROLMENTS and e.malformed is None][:25]
    covered = {(e.record["person_no"], e.record["insurer_code"]) for e in events if e.malformed is None
               and e.topic in (t.PLATFORM_ENROLMENTS, t.PLATFORM_CONSENTS)
               and e.record["action"] == "enrol"} & \
        {(e.record["person_no"], e.record["insurer_code"]) for e in events if e.malformed is None
         and e.topic == t.PLATFORM_CONSENTS and e.record["action"] == "grant" and e.record["purpose"] == "claims"}
    resent_settlements = [r for r in settlements if "revoke" not in r
                          and any((r["psn_no"], c) in covered for c in INSURERS)][:25]
    _publish(cfg, t.PLATFORM_ENROLMENTS, resent_enrolments, gap_s=0)
    _publish(cfg, t.PLATFORM_SETTLEMENTS, resent_settlements, gap_s=0)

    opts = RunOptions(until_idle=True, idle_s=2.0, max_records=200)
    consent_counters = run_processor("consent-sync", opts, cfg)
    claims_counters = run_processor("claims", opts, cfg)
    again = run_processor("claims", opts, cfg)  # a second run finds nothing to do
    return {"cfg": cfg, "events": events, "summary": summary, "own": own, "counters": claims_counters,
            "again": again, "consent_counters": consent_counters,
            "resent": {"enrolments": resent_enrolments, "settlements": resent_settlements}}


def _results(cfg) -> list[tuple[str, dict]]:
    out = []
    for code in INSURERS:
        for m in read_topic(cfg, t.insurer_claims(code)):
            if header_map(m.headers).get("ms-source") == "claims-engine":
                out.append((code, json.loads(m.value)))
    return out


def _in_effect(doc: dict, at: datetime) -> bool:
    end = doc.get("effective_to")
    return doc["effective_from"] <= at.date() and (end is None or at.date() < end)


def _input_stream(cfg) -> list[tuple[int, str, dict]]:
    """(Kafka timestamp, topic, record) of every valid enrolment and settlement, in timestamp order."""
    from contracts import registry

    stream = []
    for topic in (t.PLATFORM_ENROLMENTS, t.PLATFORM_SETTLEMENTS):
        ok = registry.validator(topic)
        for m in read_topic(cfg, topic):
            record, violations = ok.validate_bytes(m.value)
            if not violations:
                stream.append((m.timestamp, topic, record))
    return sorted(stream, key=lambda x: (x[0], x[1] == t.PLATFORM_SETTLEMENTS))


def _view(r: dict) -> dict:
    """A platform.settlements.v2 record as this check reads it: a 2208 revocation refunds its
    settlement's claim (result id ``<setl_id>-R``); a settlement's time is its setl_time (CST)."""
    if "revoke" in r:
        return {"settlement_id": r["revoke"]["setl_id"] + "-R", "event_type": "refund",
                "refund_of": r["revoke"]["setl_id"], "person_no": r["revoke"]["psn_no"]}
    return {"settlement_id": r["setl_id"], "event_type": "settlement", "person_no": r["psn_no"],
            "event_time": r["setl_time"].replace(" ", "T") + "+08:00"}


def _expected(cfg, run) -> tuple[set, set]:
    """(expected claims, ambiguous ones) as (insurer, settlement_id), judged from the topics' timestamps."""
    from medshare.claims.products import PRODUCTS_DIR
    from privacy.agreements import AGREEMENTS_DIR
    from privacy.consent import ConsentRegistry

    products = {c: yaml.safe_load((PRODUCTS_DIR / f).read_text())
                for c, f in (("hhb", "hhb-2026.yaml"), ("shenlife", "shenlife-plus.yaml"))}
    agreements = {c: yaml.safe_load((AGREEMENTS_DIR / f"{c}.yaml").read_text()) for c in INSURERS}
    stream = _input_stream(cfg)
    consents = ConsentRegistry.open(cfg.state_database)
    enrolments: dict[tuple[str, str], dict] = {}  # enrolment_id -> state
    cancelled: set[str] = set()
    last_enrol_ts: dict[tuple[str, str], int] = {}
    claimed: set[tuple[str, str]] = set()
    expected, ambiguous = set(), set()
    for ts, topic, r in stream:
        if topic == t.PLATFORM_ENROLMENTS:
            if r["action"] == "enrol" and r["product_id"] != PRODUCT_OF.get(r["insurer_code"]):
                continue  # quarantined (unknown product)
            key = (r["person_no"], r["insurer_code"])
            last_enrol_ts[key] = max(ts, last_enrol_ts.get(key, 0))
            if r["action"] == "cancel":
                cancelled.add(r["enrolment_id"])
            else:
                enrolments.setdefault(r["enrolment_id"], r)
            continue
        r = _view(r)
        for code in INSURERS:
            key = (code, r["settlement_id"])
            if r["event_type"] == "refund":
                if (code, r["refund_of"]) in claimed:
                    expected.add(key)
                continue
            if key in claimed:
                continue  # sent again: one claim
            at = datetime.fromisoformat(r["event_time"])
            if last_enrol_ts.get((r["person_no"], code)) == ts:
                ambiguous.add(key)  # an enrolment event of the same millisecond: either order is right
            held = [e for e in enrolments.values() if (e["person_no"], e["insurer_code"]) == (r["person_no"], code)
                    and e["enrolment_id"] not in cancelled
                    and datetime.fromisoformat(e["valid_from"]) <= at < datetime.fromisoformat(e["valid_to"])]
            if not held or not _in_effect(products[code], at) or not _in_effect(agreements[code], at):
                continue
            if not consents.check(r["person_no"], code, "claims", at, categories=("settlement",), asof_us=ts * 1000):
                continue
            expected.add(key)
            claimed.add(key)
    consents.close()
    return expected, ambiguous


def _ledger(cfg) -> dict:
    """(insurer, settlement_id) -> total payable (分) of every claim the processor decided."""
    from medshare.claims.state import ClaimStore, claims_database

    store = ClaimStore(claims_database(cfg))
    try:
        return {(e.insurer, e.settlement_id): e.total_payable for e in store.entries()}
    finally:
        store.close()


def _disclosed(decided: dict) -> set:
    """The decided claims an insurer receives: all under shenlife's detail grant; under hhb's result
    grant a claim that pays and the reversal of a claim received (docs/claims.md)."""
    out = set()
    for (code, sid), total in sorted(decided.items(), key=lambda kv: kv[0][1].endswith("-R")):
        original = sid[:-2] if sid.endswith("-R") else None
        if code == "shenlife" or ((code, original) in out if original else total != 0):
            out.add((code, sid))
    return out


def test_claims_exactly_for_enrolled_and_consenting_persons(run):
    cfg = run["cfg"]
    results = _results(cfg)
    got = Counter((code, r["settlement_id"]) for code, r in results)
    assert got and max(got.values()) == 1, "a claim result was published twice"
    expected, ambiguous = _expected(cfg, run)
    assert len(ambiguous) < 5, ambiguous
    decided = _ledger(cfg)
    assert set(decided) - ambiguous == expected - ambiguous
    assert set(got) == _disclosed(decided)
    # the run is not trivial: both insurers, and persons enrolled without consent got nothing
    assert {code for code, _ in got} == set(INSURERS)
    assert len(expected) > 30
    # hhb's zero claims were decided and kept, not published
    assert any(code == "hhb" and not total for (code, _), total in decided.items())
    assert all(r["total_payable"] > 0 for code, r in results if code == "hhb" and r["event_type"] == "settlement")


def test_the_test_persons_story(run):
    cfg = run["cfg"]
    own = [s["setl_id"] for s in run["own"]["settlements"]]
    mine = [(code, r) for code, r in _results(cfg) if r["settlement_id"] in own]
    # before the enrolment: nothing; between enrolment and cancel: one hhb claim; after the cancel: nothing
    assert [(code, r["settlement_id"]) for code, r in mine] == [("hhb", own[1])]
    assert mine[0][1]["total_payable"] == 12600.0
    assert [k for k in _ledger(cfg) if k[1] in own] == [("hhb", own[1])]
    from privacy.sdk import InsurerDecryptor

    dec = InsurerDecryptor.from_dir(cfg.insurers_dir / "hhb")
    r = mine[0][1]
    assert dec.decrypt_value(r["person_no"], t.insurer_claims("hhb"), r["claim_id"], "person_no") == OWN
    assert dec.decrypt_value(r["policy_no"], t.insurer_claims("hhb"), r["claim_id"], "policy_no") == "HHB2026OWN0001"


def _quarantined(cfg) -> list[dict]:
    return [json.loads(m.value) for m in read_topic(cfg, t.QUARANTINE)
            if json.loads(m.value)["quarantined_by"] == "claims"]


def test_malformed_enrolments_are_quarantined_with_their_reason(run):
    cfg = run["cfg"]
    q = _quarantined(cfg)
    by_event = {x["source_event_id"]: x for x in q if x["source_topic"] == t.PLATFORM_ENROLMENTS}
    sidecar = [json.loads(line) for line in
               (cfg.sim_dir / f"seed{SIM['seed']}" / "malformed.jsonl").read_text().splitlines()]
    bad = [x for x in sidecar if x["topic"] == t.PLATFORM_ENROLMENTS]
    assert bad, "the simulation should have malformed enrolments"
    for x in bad:
        assert x["event_id"] in by_event, x
        found = by_event[x["event_id"]]
        fields = {v["field"] for v in found["violations"]}
        rules = set(found["rules"])
        if x["kind"] == "broken_json":
            assert rules == {"json"}
        else:
            detail = x["detail"]
            assert any(f == detail or f.startswith(detail + "[") for f in fields), (x, found["violations"])
    # the test's own: a product the insurer does not sell
    own = by_event["EE-OWN-BAD"]
    assert own["rules"] == ["enrolment-product"]
    [v] = own["violations"]
    assert v["field"] == "product_id" and "hhb-nosuchproduct is not a product of insurer hhb" in v["message"]
    # nothing else of the enrolment topic was quarantined, and no person number is in any reason
    assert set(by_event) == {x["event_id"] for x in bad} | {"EE-OWN-BAD"}
    assert OWN not in json.dumps(own, ensure_ascii=False)
    assert run["counters"].quarantined >= len(bad) + 1


def test_events_sent_twice_change_nothing(run):
    from medshare.claims.enrolment import EnrolmentRegistry, enrolment_table
    from medshare.claims.state import claims_database

    cfg = run["cfg"]
    reg = EnrolmentRegistry(claims_database(cfg))
    with reg.engine.connect() as c:
        ids = [row.event_id for row in c.execute(enrolment_table.select())]
    reg.close()
    assert len(ids) == len(set(ids))
    valid = [e for e in run["events"] if e.topic == t.PLATFORM_ENROLMENTS and e.malformed is None]
    assert set(ids) == {e.event_id for e in valid} | {"EE-OWN-1", "EE-OWN-2"}
    # the second run found nothing to publish
    assert run["again"].published == 0 and run["again"].quarantined == 0
    counts = run["counters"].extra
    assert counts.get("enrolment.enrol", 0) + counts.get("enrolment.cancel", 0) == \
        len(valid) + 2 + len(run["resent"]["enrolments"])
    # the settlements sent again made no second claim (each insurer has each settlement once)
    resent = {r["setl_id"] for r in run["resent"]["settlements"]}
    per = Counter((code, r["settlement_id"]) for code, r in _results(cfg) if r["settlement_id"] in resent)
    assert max(per.values(), default=1) == 1
    assert {sid for _, sid in _ledger(cfg)} & resent  # and they were claims (decided) at all


def test_insurer_consume_decrypts_claim_results(run):
    from medshare.insurer_client import consume

    cfg = run["cfg"]
    bundle = json.loads((cfg.insurers_dir / "hhb" / "bundle.json").read_text())
    items = list(consume(bundle, "claims", max_records=500, timeout_s=5, group_suffix="enrol-test"))
    results = [i["record"] for i in items if i["record"].get("record_type") == "claim-result"]
    assert results
    persons = {v["settlement_id"]: v["person_no"] for v in (_view(e.record) for e in run["events"]
                                                           if e.topic == t.PLATFORM_SETTLEMENTS and e.malformed is None)}
    persons.update({s["setl_id"]: OWN for s in run["own"]["settlements"]})
    for r in results:
        assert r["person_no"] == persons[r["settlement_id"]]
        assert r["policy_no"].startswith("HHB")


def test_settlements_and_enrolments_share_partitions(run):
    """Co-partitioning: one person's settlements and enrolments land on the same partition number."""
    cfg = run["cfg"]
    where: dict[str, set] = defaultdict(set)
    for topic in (t.PLATFORM_SETTLEMENTS, t.PLATFORM_ENROLMENTS):
        for m in read_topic(cfg, topic):
            if m.key:
                where[m.key.decode()].add(m.partition)
    assert all(len(parts) == 1 for parts in where.values())
