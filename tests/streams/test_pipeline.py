"""The whole stream path on the real broker: simulate -> consent-sync -> router / de-identifier -> lab.

One run (module fixture), many assertions: consented claims reach only the entitled insurer,
encrypted; nobody else's; nothing outside the agreement; an audit event per disclosure; malformed
events all in quarantine; the lab has each valid settlement once; no plaintext identifier of any
simulated person on any insurer or lab topic or in the lab tables.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date

import pytest
from pipeline_helpers import INSURERS, disclosure_id, expected_disclosures, read_topic, reset_pipeline, values

from medshare import topics as t

pytestmark = pytest.mark.integration

#: from March: shenlife's agreement takes effect on 2026-03-01 (before that it must receive nothing)
SIM = {"persons": 200, "days": 30, "seed": 11, "malformed_rate": 0.03, "start_date": date(2026, 3, 1)}
PROCESSORS = ("consent-sync", "router", "deidentify", "lab-sink")


def run_until_idle(name: str, cfg) -> dict:
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    return Runner(factory(name)(cfg), RunOptions(until_idle=True, idle_s=1.5), cfg).run().__dict__


@pytest.fixture(scope="module")
def run(kafka_broker, tmp_path_factory):
    from medshare.simulate import SimConfig, Simulation, run_simulation

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    summary = run_simulation(sim_cfg, cfg=cfg, jsonl_dir=tmp_path_factory.mktemp("jsonl"))
    counters = {name: run_until_idle(name, cfg) for name in PROCESSORS}
    events = list(Simulation(sim_cfg).events())
    return {"cfg": cfg, "summary": summary, "counters": counters, "events": events}


def _valid(events, topic):
    return [e for e in events if e.topic == topic and e.malformed is None]


def _insurer_messages(cfg):
    return {code: read_topic(cfg, t.insurer_claims(code)) for code in INSURERS}


def test_disclosures_are_exactly_the_consented_ones(run):
    msgs = _insurer_messages(run["cfg"])
    actual = set()
    for code, ms in msgs.items():
        for m in ms:
            rec = json.loads(m.value)
            source = dict((k, v.decode()) for k, v in m.headers)["ms-source"]
            actual.add((code, source, disclosure_id(source, rec)))
        assert len(ms) == len({disclosure_id("", json.loads(m.value)) for m in ms}), f"duplicates on {code}'s topic"
    expected = expected_disclosures(run["cfg"], run["events"])
    assert expected, "the simulation should produce some consented settlements"
    assert actual == expected
    # the router sends shenlife (mode detail) records and hhb (mode result) none at all
    assert any(i == "shenlife" for i, _, _ in actual)
    assert not any(i == "hhb" for i, _, _ in actual) and not msgs["hhb"]


def test_identity_encrypted_and_only_the_entitled_insurer_decrypts(run):
    from medshare.insurer_client import record_id_field
    from privacy.crypto import is_envelope
    from privacy.exceptions import DecryptionError
    from privacy.sdk import InsurerDecryptor

    cfg = run["cfg"]
    decryptors = {code: InsurerDecryptor.from_dir(cfg.insurers_dir / code) for code in INSURERS}
    msgs = _insurer_messages(cfg)
    checked = 0
    for code, ms in msgs.items():  # shenlife's (hhb receives no routed record)
        other = next(c for c in INSURERS if c != code)
        for m in ms[:40]:
            rec = json.loads(m.value)
            body = rec.get("revoke") or rec
            assert is_envelope(body["psn_no"]), "psn_no must arrive encrypted"
            assert "revoke" in rec or is_envelope(rec["certno"]), "certno must arrive encrypted"
            topic = t.insurer_claims(code)
            id_field = record_id_field(rec)
            plain = decryptors[code].decrypt_record(rec, topic, record_id_field=id_field)
            assert (plain.get("revoke") or plain)["psn_no"].startswith("3100")
            with pytest.raises(DecryptionError):
                decryptors[other].decrypt_record(rec, topic, record_id_field=id_field)
            checked += 1
    assert checked > 0


def test_fields_outside_the_agreement_never_appear(run):
    from privacy.agreements import load_agreements

    agreements = load_agreements()
    for code, ms in _insurer_messages(run["cfg"]).items():
        for m in ms:
            rec = json.loads(m.value)
            source = dict((k, v.decode()) for k, v in m.headers)["ms-source"]
            grant = agreements.grant(code, "claims", source=source)
            allowed_top = {p.split("[]")[0].split(".")[0] for p in grant.output_fields}
            assert set(rec) <= allowed_top, f"{code}: unexpected fields {set(rec) - allowed_top}"
            for path, tr in grant.fields.items():
                if tr.kind == "drop":
                    assert path not in rec
            for array in ("feedetail", "diseinfo"):
                allowed = {p.split("[].")[1] for p in grant.output_fields if p.startswith(f"{array}[].")}
                for line in rec.get(array, []):
                    assert set(line) <= allowed, f"{code}: {array} carries {set(line) - allowed}"
            if "revoke" in rec:
                assert set(rec["revoke"]) <= {p.split(".")[1] for p in grant.output_fields if p.startswith("revoke.")}


def test_every_disclosure_has_an_audit_event(run):
    cfg = run["cfg"]
    audits = values(read_topic(cfg, t.AUDIT))
    audit_keys = Counter((a["insurer"], a["source"], a["record_id"]) for a in audits)
    assert all(n == 1 for n in audit_keys.values()), "one audit event per disclosure"
    for code, ms in _insurer_messages(cfg).items():
        for m in ms:
            rec = json.loads(m.value)
            source = dict((k, v.decode()) for k, v in m.headers)["ms-source"]
            assert (code, source, disclosure_id(source, rec)) in audit_keys
    assert sum(audit_keys.values()) == sum(len(ms) for ms in _insurer_messages(cfg).values())
    for a in audits:
        assert a["consent_id"] and a["agreement_version"].startswith("sha256:")
        for identifier in ("resident_id", "certno", "psn_no", "psn_name", "brdy"):
            assert a["fields"].get(identifier) in (None, "encrypt"), (identifier, a["fields"].get(identifier))


def test_malformed_events_all_quarantined_with_reasons(run):
    cfg = run["cfg"]
    bad = [e for e in run["events"] if e.malformed is not None]
    assert bad, "the simulation should produce malformed events"
    q = values(read_topic(cfg, t.QUARANTINE))
    by_processor = defaultdict(set)
    for rec in q:
        assert rec["rules"] and rec["violations"], "every quarantine record names its rule(s)"
        by_processor[rec["quarantined_by"]].add((rec["source_topic"], rec["source_event_id"]))
    want_consents = {(e.topic, e.event_id) for e in bad if e.topic == t.PLATFORM_CONSENTS}
    # enrolments are the claims processor's input (tests/claims), not these processors'
    want_platform = {(e.topic, e.event_id) for e in bad if e.topic in (t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES)}
    assert by_processor["consent-sync"] == want_consents
    assert by_processor["deidentify"] == want_platform
    # the router reads what a detail grant names: settlements only (hhb's result grant reads no notes)
    assert by_processor["router"] == {(tp, eid) for tp, eid in want_platform if tp == t.PLATFORM_SETTLEMENTS}


def test_lab_has_each_valid_settlement_once(run):
    from streams.labdb import LabDB

    cfg = run["cfg"]
    db = LabDB(cfg=cfg)
    platform = [e.record for e in _valid(run["events"], t.PLATFORM_SETTLEMENTS_V2)]
    valid = {r["setl_id"] for r in platform if "revoke" not in r}
    rows = db.query("select setl_id from lab_settlements_v2")
    assert len(rows) == len(valid)
    assert {r[0] for r in rows} == valid
    revoked = {r["revoke"]["setl_id"] for r in platform if "revoke" in r}
    assert {r[0] for r in db.query("select revoked_setl_id from lab_revocations_v2")} == revoked
    notes = {e.record["note_id"] for e in _valid(run["events"], t.PLATFORM_EMR_NOTES)}
    assert {r[0] for r in db.query("select note_id from lab_emr_notes")} == notes


def _identifiers(events) -> dict[str, set[str]]:
    """Every direct identifier of every simulated person (settlements carry only psn_no, psn_name,
    certno and brdy; phone, card and address live in the person's record and the notes)."""
    from medshare.simulate.persons import make_person

    ids: dict[str, set[str]] = defaultdict(set)
    for i in range(SIM["persons"]):
        p = make_person(SIM["seed"], i, SIM["start_date"])
        for f, v in (("name", p.name), ("resident_id", p.resident_id), ("phone", p.phone), ("card_no", p.card_no),
                     ("address", p.address), ("person_no", p.person_no), ("brdy", p.birth_date.isoformat())):
            ids[f].add(v)
    for e in _valid(events, t.PLATFORM_SETTLEMENTS):
        if "revoke" not in e.record:
            assert e.record["psn_name"] in ids["name"] and e.record["certno"] in ids["resident_id"]
    return ids


def _catalogue_strings() -> list[str]:
    """Institution, diagnosis, drug and road names that may legitimately contain a name's characters."""
    from medshare.simulate import catalogue

    out = []
    for value in vars(catalogue).values():
        if isinstance(value, (list, tuple)):
            for v in value:
                for s in (v if isinstance(v, (list, tuple)) else getattr(v, "__dict__", {}).values() or [v]):
                    if isinstance(s, str) and len(s) >= 2:
                        out.append(s)
    return sorted(set(out), key=len, reverse=True)


def test_no_plaintext_identifier_anywhere_downstream(run):
    from streams.labdb import LabDB

    cfg = run["cfg"]
    ids = _identifiers(run["events"])
    texts: list[tuple[str, str]] = []
    for topic in [t.LAB_SETTLEMENTS_V2, t.LAB_EMR_NOTES, *(t.insurer_claims(c) for c in INSURERS),
                  *(t.insurer_marts(c) for c in INSURERS)]:
        for m in read_topic(cfg, topic, committed_only=False):
            texts.append((topic, (m.key or b"").decode() + " " + m.value.decode()))
    db = LabDB(cfg=cfg)
    for table in ("lab_settlements_v2", "lab_revocations_v2", "lab_emr_notes"):
        for row in db.query(f"select * from {table}"):
            texts.append((table, " ".join(str(c) for c in row)))
    assert len(texts) > 100
    cat = _catalogue_strings()
    leaks = []
    for where, text in texts:
        for field in ("resident_id", "phone", "card_no", "person_no", "address", "brdy"):
            for v in ids[field]:
                if v in text:
                    leaks.append((where, field))
        scrubbed = text
        for s in cat:
            scrubbed = scrubbed.replace(s, "")
        for name in ids["name"]:
            if name in scrubbed:
                leaks.append((where, "name"))
    assert not leaks, f"plaintext identifiers downstream: {Counter(leaks).most_common(5)}"


def test_counters_add_up(run):
    c = run["counters"]
    total = sum(n for topic, n in run["summary"]["topics"].items() if topic != t.PLATFORM_ENROLMENTS)
    assert c["consent-sync"]["consumed"] == run["summary"]["topics"][t.PLATFORM_CONSENTS]
    assert c["deidentify"]["consumed"] + c["consent-sync"]["consumed"] == total
    assert c["router"]["disclosed"] == sum(len(ms) for ms in _insurer_messages(run["cfg"]).values())


def test_status_and_prometheus_report_every_processor(run):
    import socket
    import urllib.request

    from streams.runtime import read_statuses
    from streams.service import start_metrics_server

    cfg = run["cfg"]
    st = {s["processor"]: s for s in read_statuses(cfg)}
    assert set(PROCESSORS) <= set(st)
    assert st["router"]["disclosed"] == run["counters"]["router"]["disclosed"]
    assert all(st[p]["state"] == "stopped" and st[p]["lag"] == 0 for p in PROCESSORS)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start_metrics_server(port, cfg)
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    line = next(ln for ln in text.splitlines() if ln.startswith('medshare_processor_disclosed{instance="0",processor="router"}'))
    assert float(line.split()[-1]) == run["counters"]["router"]["disclosed"]
