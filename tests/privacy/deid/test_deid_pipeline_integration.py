"""On the real broker: a person's identifiers, written any way in a note, never reach the lab or
an insurer; a note that fails the residual check is quarantined with its reason.

A small simulation gives persons, consents, v2 settlements (2207: ``psn_name``, ``certno``,
``psn_no``, ``brdy``; no phone, address or card) and notes. Then notes are added for some of those
persons that carry the person's identifiers (from the simulator's person record) — the resident ID
in full-width digits, the phone spaced after its label and masked, the name with a space, the card
number in full width, part of the address — and one note with a 17-digit number no recogniser
claims. consent-sync, router, deidentify and lab-sink run until idle; then ``lab.emr-notes.v1``,
the lab table and the insurer topics are searched for every form of every identifier (widths
folded, spaces and dashes dropped), and the quarantine topic for the failed note.

The masked phone is found only through the person memory (privacy/deid/memory.py): no settlement
carries the phone, so the memory learns it from the labelled phone the recognisers found in the
same note (the note is redacted again with it) and keeps it for the person's later notes.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from medshare import topics as t
from privacy.deid.normalise import fold

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "streams"))
from pipeline_helpers import INSURERS, expected_disclosures, read_topic, reset_pipeline  # noqa: E402

pytestmark = pytest.mark.integration

SIM = {"persons": 40, "days": 12, "seed": 29, "malformed_rate": 0.0, "start_date": date(2026, 3, 1)}
PROCESSORS = ("consent-sync", "router", "deidentify", "lab-sink")
FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, "X": "Ｘ", "x": "ｘ"})
FULL.update({ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


@dataclass
class Published:
    """What expected_disclosures needs of an event: its value, valid."""

    value: bytes
    malformed: None = None


def _forms(s: dict) -> dict[str, str]:
    """The person's identifiers as the crafted note writes them (form -> text)."""
    phone, rid, name = s["phone"], s["resident_id"], s["name"]
    return {
        "resident_id_fullwidth": rid.translate(FULL),
        "phone_spaced": f"{phone[:3]} {phone[3:7]} {phone[7:]}",
        "phone_masked": f"{phone[:3]}****{phone[-4:]}",
        "name_spaced": " ".join(name),
        "card_fullwidth": s["card_no"].translate(FULL),
        "address_part": s["address"][s["address"].find("区") + 1 :][:12],
    }


def _note_text(forms: dict[str, str]) -> str:
    return (
        f"家属沟通记录：{forms['name_spaced']}，身份证{forms['resident_id_fullwidth']}，"
        f"联系方式 {forms['phone_spaced']}（身份核验 {forms['phone_masked']}），"
        f"卡 {forms['card_fullwidth']}，家住{forms['address_part']}。诉胸闷2天，予阿司匹林100mg qd。"
    )


def _run(name: str, cfg) -> dict:
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    return Runner(factory(name)(cfg), RunOptions(until_idle=True, idle_s=1.5), cfg).run().__dict__


@pytest.fixture(scope="module")
def run(kafka_broker, tmp_path_factory):
    from medshare import kafka as mk
    from medshare.envelope import make_headers
    from medshare.simulate import SimConfig, Simulation, run_simulation

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, jsonl_dir=tmp_path_factory.mktemp("jsonl"), batch=False)
    sim = Simulation(sim_cfg)
    events = list(sim.events())
    # each settled person's first v2 settlement (what the memory learns from: psn_name, certno,
    # psn_no, brdy) and their identifiers from the simulator's person record (a note may also
    # write the phone, address and card, which no settlement carries)
    settled: dict[str, dict] = {}
    for e in events:
        if e.topic == t.PLATFORM_SETTLEMENTS and e.record and "psn_no" in e.record:
            settled.setdefault(e.record["psn_no"], e.record)
    persons = {p.person_no: dataclasses.asdict(p) for p in map(sim._make_person, range(SIM["persons"]))
               if p.person_no in settled}
    for person_no, person in persons.items():  # the settlement names the person the record does
        assert (settled[person_no]["psn_name"], settled[person_no]["certno"]) == (person["name"], person["resident_id"])
    notes = [e.record for e in events if e.topic == t.PLATFORM_EMR_NOTES and e.record["person_no"] in persons]
    disclosed = {rid for _, src, rid in expected_disclosures(cfg, events) if src == t.PLATFORM_EMR_NOTES}
    # notes of persons whose notes an insurer receives first, so the insurer side is exercised
    notes.sort(key=lambda r: r["note_id"] not in disclosed)
    crafted: list[dict] = []
    seen: set[str] = set()
    for base in notes:
        if base["person_no"] in seen or len(crafted) >= 6:
            continue
        seen.add(base["person_no"])
        forms = _forms(persons[base["person_no"]])
        crafted.append({**base, "note_id": f"{base['note_id']}-D{len(crafted)}", "text": _note_text(forms),
                        "_forms": forms})
    residual = {**notes[0], "note_id": f"{notes[0]['note_id']}-R", "text": "备注：12345678901234567 已核对，无不适。"}
    producer = mk.producer("platform", cfg)
    published = []
    try:
        for rec in [*crafted, residual]:
            value = json.dumps({k: v for k, v in rec.items() if k != "_forms"}, ensure_ascii=False).encode()
            producer.send(t.PLATFORM_EMR_NOTES, value=value, key=rec["person_no"].encode(),
                          headers=make_headers(t.PLATFORM_EMR_NOTES, "simulator", event_id=rec["note_id"]))
            published.append(Published(value))
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=30)
    expected = expected_disclosures(cfg, [*events, *published])
    counters = {name: _run(name, cfg) for name in PROCESSORS}
    return {"cfg": cfg, "crafted": crafted, "residual": residual, "persons": persons, "settled": settled,
            "expected": expected, "counters": counters}


def _leaks(text: str, person: dict, forms: dict[str, str], masked_too: bool = True) -> list[str]:
    """Which identifier (by name of form, never the value) is still in ``text``.

    ``masked_too``: also the masked phone (158****7687, found only with the person memory) and the
    part of the address."""
    out = fold(text)
    values = {**forms, "name": person["name"], "resident_id": person["resident_id"],
              "phone": person["phone"], "card_no": person["card_no"], "phone_tail": f"尾号{person['phone'][-4:]}"}
    if not masked_too:
        values = {k: v for k, v in values.items() if k not in ("phone_masked", "address_part")}
    return [k for k, v in values.items() if fold(v) in out]


def test_lab_notes_hold_no_form_of_the_persons_identifiers(run):
    lab = {json.loads(m.value)["note_id"]: json.loads(m.value) for m in read_topic(run["cfg"], t.LAB_EMR_NOTES)}
    assert run["crafted"], "the simulation should give persons with settlements and notes"
    for note in run["crafted"]:
        out = lab.get(note["note_id"])
        assert out is not None, f"{note['note_id']} did not reach the lab"
        assert _leaks(out["text_redacted"], run["persons"][note["person_no"]], note["_forms"]) == []
        assert "阿司匹林100mg" in out["text_redacted"]  # the clinical text stays


def test_lab_table_holds_no_form_of_the_persons_identifiers(run):
    from streams.labdb import LabDB

    ids = [n["note_id"] for n in run["crafted"]]
    rows = dict(LabDB(cfg=run["cfg"]).query(
        f"select note_id, text_redacted from lab_emr_notes where note_id in ({', '.join('?' for _ in ids)})", ids))
    assert set(rows) == set(ids)
    for note in run["crafted"]:
        assert _leaks(rows[note["note_id"]], run["persons"][note["person_no"]], note["_forms"]) == []


def test_no_note_reaches_an_insurer_topic_under_the_shipped_agreements(run):
    """No shipped grant sends notes (hhb's claims grant is mode result; shenlife's has no notes)."""
    for code in INSURERS:
        assert [m for m in read_topic(run["cfg"], t.insurer_claims(code)) if json.loads(m.value).get("note_id")] == []


_NOTES_GRANT = """
  - purpose: claims
    basis: consent
    mode: detail
    description: test only - notes of authorised persons, identifiers redacted
    source: platform.emr-notes.v1
    output: insurer.shenlife.claims.v1
    consent_categories: [settlement, emr]
    method: test
    retention: P1Y
    fields:
      note_id: plain
      settlement_id: plain
      person_no: encrypt
      event_time: plain
      institution_code: plain
      note_type: plain
      text: redact
"""


@pytest.fixture(scope="module")
def routed_notes(run, tmp_path_factory):
    """The crafted notes through the router's redaction, for an agreement that sends notes.

    The shipped agreements send no notes to any insurer, so the insurer side is exercised with a
    copy of them in which shenlife's agreement also sends redacted notes: the router (in process,
    on this run's keys) sees each person's v2 settlement, then the crafted note. Its person memory
    starts empty (not the state database the lab's de-identifier filled), so what it redacts is
    what the router itself learned: from the settlement, and from the note.
    """
    import os
    import shutil

    from privacy.agreements import AGREEMENTS_DIR, load_agreements
    from privacy.consent import ConsentRegistry
    from privacy.deid.memory import PersonMemory
    from streams.router import Router

    folder = tmp_path_factory.mktemp("agreements")
    for f in AGREEMENTS_DIR.glob("*.yaml"):
        shutil.copy(f, folder / f.name)
    text = (folder / "shenlife.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\ngrants:\n")
    (folder / "shenlife.yaml").write_text(f"{head}\ngrants:\n{_NOTES_GRANT.lstrip(chr(10))}{rest}", encoding="utf-8")
    registry = ConsentRegistry.in_memory()
    router = Router(run["cfg"], registry=registry, agreements=load_agreements(folder))
    router._memory = PersonMemory(os.urandom(32))  # in-memory SQLite: only what this router learns
    out = {}
    for i, note in enumerate(run["crafted"]):
        settlement = run["settled"][note["person_no"]]
        registry.apply({"event_id": f"T-{i}", "consent_id": f"TC-{i}", "action": "grant",
                        "person_no": note["person_no"], "insurer_code": "shenlife", "purpose": "claims",
                        "data_categories": ["settlement", "emr"], "valid_from": "2026-01-01T00:00:00+08:00",
                        "valid_to": "2027-01-01T00:00:00+08:00", "event_time": "2026-01-01T00:00:00+08:00"})
        router.route(t.PLATFORM_SETTLEMENTS, settlement, f"ev-s-{i}")
        assert router.memory().known(note["person_no"]), "the router remembered the v2 settlement's identifiers"
        record = {k: v for k, v in note.items() if k != "_forms"}
        for d in router.route(t.PLATFORM_EMR_NOTES, record, f"ev-n-{i}"):
            out[note["note_id"]] = json.loads(d.output.value)
    router.memory().close()
    return out


def test_an_insurer_receiving_notes_gets_no_full_width_or_spaced_identifier(run, routed_notes):
    """Full-width, spaced and dashed forms: the router's redaction finds them."""
    assert set(routed_notes) == {n["note_id"] for n in run["crafted"]}, "every crafted note is routed"
    for note in run["crafted"]:
        rec = routed_notes[note["note_id"]]
        assert "<PHONE>" in rec["text"] and "阿司匹林100mg" in rec["text"]
        assert _leaks(rec["text"], run["persons"][note["person_no"]], note["_forms"], masked_too=False) == []


def test_an_insurer_receiving_notes_gets_no_masked_or_partial_identifier(run, routed_notes):
    """Masked and partial forms: the masked phone is found with the number the router's memory
    learned from the note's labelled phone (no settlement carries it), the spaced name with the
    name it learned from the settlement."""
    for note in run["crafted"]:
        rec = routed_notes[note["note_id"]]
        assert _leaks(rec["text"], run["persons"][note["person_no"]], note["_forms"]) == []
        assert "（身份核验 <PHONE>）" in rec["text"]


def test_a_note_failing_the_residual_check_is_quarantined_with_its_reason(run):
    lab_ids = {json.loads(m.value)["note_id"] for m in read_topic(run["cfg"], t.LAB_EMR_NOTES)}
    assert run["residual"]["note_id"] not in lab_ids
    quarantined = [json.loads(m.value) for m in read_topic(run["cfg"], t.QUARANTINE)]
    ours = [q for q in quarantined if q.get("source_event_id") == run["residual"]["note_id"]
            and q.get("quarantined_by") == "deidentify"]
    assert len(ours) == 1, [q.get("source_event_id") for q in quarantined]
    q = ours[0]
    assert "residual-identifier" in q["rules"]
    assert [(v["field"], v["rule"]) for v in q["violations"]] == [("text", "residual-identifier")]
    assert "long-number" in q["violations"][0]["message"] and run["residual"]["note_id"] in q["violations"][0]["message"]
    assert "12345678901234567" not in json.dumps(q, ensure_ascii=False)


def test_the_memory_holds_no_plaintext(run):
    """The memory learned each crafted person's phone (from their note) and the settlements'
    identifiers: the state database holds none of them in clear (keyed digests only)."""
    import sqlite3

    path = run["cfg"].state_dir / "deid.sqlite"
    assert path.exists()
    con = sqlite3.connect(path)
    try:
        kinds = {k for (k,) in con.execute("select distinct kind from deid_known_identifiers")}
        dump = "\n".join(con.iterdump())
    finally:
        con.close()
    assert {"PERSON", "RESIDENT_ID", "MEDICAL_CARD", "DATE_OF_BIRTH", "PHONE"} <= kinds
    data = b"".join(p.read_bytes() for p in path.parent.glob("deid.sqlite*"))
    for s in run["persons"].values():
        birth = str(s["birth_date"])
        for value in (s["name"], s["resident_id"], s["phone"], s["card_no"], s["person_no"], birth,
                      birth.replace("-", "")):
            assert value.encode() not in data and value not in dump


def test_the_memory_survives_a_restart(run):
    """A new de-identifier process (no settlement or note of the person since) still redacts the
    masked and partial forms of the phone, which only the memory in the state database can tell
    are this person's: it learned the number from the person's earlier (crafted) note."""
    from medshare import kafka as mk
    from medshare.envelope import make_headers

    note = run["crafted"][0]
    forms = note["_forms"]
    later = {k: v for k, v in note.items() if k != "_forms"}
    later.update(note_id=f"{note['note_id']}-restart",
                 text=f"电话回访：尾号{forms['phone_masked'][-4:]}，核验 {forms['phone_masked']}，地址{forms['address_part']}。")
    producer = mk.producer("platform", run["cfg"])
    try:
        producer.send(t.PLATFORM_EMR_NOTES, value=json.dumps(later, ensure_ascii=False).encode(),
                      key=later["person_no"].encode(),
                      headers=make_headers(t.PLATFORM_EMR_NOTES, "simulator", event_id=later["note_id"]))
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=30)
    _run("deidentify", run["cfg"])
    lab = {json.loads(m.value)["note_id"]: json.loads(m.value) for m in read_topic(run["cfg"], t.LAB_EMR_NOTES)}
    out = lab[later["note_id"]]["text_redacted"]
    assert out.startswith("电话回访：尾号<")
    assert _leaks(out, run["persons"][note["person_no"]], forms) == []
    assert "核验 <PHONE>" in out
