"""E-medical-record notes: Chinese free text full of identifiers, and gold spans that point at them."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date

import pytest
from sim_helpers import Run

from contracts import formats as f
from medshare.simulate import catalogue as cat
from medshare.simulate.notes import (
    ENTITY_TYPES,
    NOTE_TYPES,
    TEMPLATES,
    Span,
    compose_note,
    render,
    sample_notes,
)
from medshare.simulate.persons import make_person
from medshare.topics import PLATFORM_EMR_NOTES, PLATFORM_SETTLEMENTS

START = date(2026, 1, 1)


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _assert_spans_exact(text: str, spans: list[Span] | tuple[Span, ...]) -> None:
    last_end = 0
    for s in spans:
        assert s.entity_type in ENTITY_TYPES
        assert text[s.start:s.end] == s.text and s.text, s
        assert s.start >= last_end, "spans are sorted and do not overlap"
        last_end = s.end


def test_render_marks_identifier_placeholders_only() -> None:
    text, spans = render("患者{name}，{age}岁，电话{phone}。", {"name": "张三", "age": 40, "phone": "13800138000"})
    assert text == "患者张三，40岁，电话13800138000。"
    assert [(s.start, s.end, s.entity_type) for s in spans] == [(2, 4, "PERSON"), (11, 22, "PHONE")]


@pytest.mark.parametrize("note_type", NOTE_TYPES)
def test_compose_note_gold_spans(note_type: str) -> None:
    rng = random.Random(1)
    for i in range(150):
        person = make_person(2, i, START)
        dx = rng.choice([d for d in cat.DIAGNOSES if d.sex in (None, person.gender)])
        inst = rng.choice(cat.INSTITUTIONS)
        text, spans = compose_note(rng, note_type, person, inst, dx, visit_date=date(2026, 2, 3),
                                   admission_date=date(2026, 1, 28), discharge_date=date(2026, 2, 3))
        _assert_spans_exact(text, spans)
        by_type: dict[str, list[str]] = {}
        for s in spans:
            by_type.setdefault(s.entity_type, []).append(s.text)
        # the patient's own identifiers are always there, and marked
        assert person.name in by_type["PERSON"] and person.name in text
        assert person.resident_id in by_type["RESIDENT_ID"]
        assert person.phone in [_digits(p) for p in by_type["PHONE"]]
        assert inst.name in by_type["INSTITUTION"]
        # everything marked is really that person's, the hospital's, or a relative's/doctor's
        for s in spans:
            if s.entity_type == "RESIDENT_ID":
                assert f.is_valid_resident_id(s.text)
            elif s.entity_type == "BANK_CARD":
                assert s.text == person.bank_card and f.luhn_ok(s.text)
            elif s.entity_type == "ADDRESS":
                assert s.text == person.address
            elif s.entity_type == "EMAIL":
                assert s.text == person.email
            elif s.entity_type == "MEDICAL_CARD":
                assert s.text in (person.card_no, person.person_no)
            elif s.entity_type == "PHONE":
                number = _digits(s.text)
                assert f.is_mobile(number) or f.fullmatch(f.LANDLINE, number.removeprefix("021")) \
                    or f.fullmatch(f.LANDLINE, s.text.replace("(021)", "021-"))
        # no identifier of the patient sits outside a span
        masked = text
        for s in reversed(spans):
            masked = masked[:s.start] + "#" * (s.end - s.start) + masked[s.end:]
        for value in (person.name, person.resident_id, person.phone, person.address, person.card_no,
                      person.person_no, person.bank_card):
            assert value not in masked


def test_notes_cover_every_entity_type() -> None:
    notes = list(sample_notes(600, seed=3))
    seen = Counter(s.entity_type for n in notes for s in n.spans)
    assert set(seen) == set(ENTITY_TYPES)
    assert {n.note_type for n in notes} == set(NOTE_TYPES)
    assert any("家属" in n.text or "联系人" in n.text for n in notes)
    for n in notes:
        _assert_spans_exact(n.text, n.spans)


def test_several_templates_per_note_type() -> None:
    assert all(len(TEMPLATES[t]) >= 3 for t in NOTE_TYPES)


def test_sample_notes_are_deterministic() -> None:
    assert list(sample_notes(20, seed=8)) == list(sample_notes(20, seed=8))
    assert list(sample_notes(5, seed=8)) != list(sample_notes(5, seed=9))


def test_stream_notes_mention_their_patient(small_run: Run) -> None:
    settlements = {e.record["setl_id"]: {**e.record, "event_time": e.record["setl_time"].replace(" ", "T") + "+08:00"}
                   for e in small_run.of(PLATFORM_SETTLEMENTS, valid=True) if "revoke" not in e.record}
    notes = [e.record for e in small_run.of(PLATFORM_EMR_NOTES, valid=True)]
    assert len(notes) > 400
    matched = 0
    for note in notes:
        assert note["event_time"] <= settlements.get(note["settlement_id"], note)["event_time"]
        s = settlements.get(note["settlement_id"])
        if s is None:  # a stay that ends after the run, or a malformed settlement
            continue
        matched += 1
        assert note["person_no"] == s["psn_no"] and note["institution_code"] == s["fixmedins_code"]
        for value in (s["psn_name"], s["certno"], s["fixmedins_name"]):
            assert value in note["text"]
    assert matched > 0.8 * len(notes)
    types = Counter(n["note_type"] for n in notes)
    assert types["outpatient"] > types["admission"] >= types["discharge"] > 0
