"""The person memory: keyed digests only, found in any written form, durable across instances."""

from __future__ import annotations

import sqlite3

import pytest

from contracts.formats import resident_id_check_char
from privacy.deid.engine import get_deidentifier
from privacy.deid.known import KnownIdentifiers, find_names
from privacy.deid.memory import PersonMemory
from privacy.deid.normalise import fold, normalise

KEY = bytes(range(32))
RID = "31010419860512" + "123"
RID += resident_id_check_char(RID)
PHONE = "13917654321"
CARD = "A12345678"
PERSON_NO = "3100987654321098"
ADDRESS = "上海市徐汇区漕溪北路88弄3号1202室"
FULL = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})


def person() -> dict:
    return {
        "names": ["欧阳建华"],
        "numbers": [("RESIDENT_ID", RID), ("PHONE", PHONE), ("MEDICAL_CARD", CARD), ("MEDICAL_CARD", PERSON_NO)],
        "addresses": [ADDRESS],
    }


@pytest.mark.parametrize(
    "form",
    [
        RID.translate(FULL),  # full-width
        f"{RID[:6]} {RID[6:14]} {RID[14:]}",  # spaced
        f"{RID[:6]}-{RID[6:14]}-{RID[14:]}",  # dashed
        f"{PHONE[:3]}****{PHONE[-4:]}",  # masked
        f"{PHONE[:3]}＊＊＊＊{PHONE[-4:]}",  # masked, full-width stars
        PHONE[2:10],  # partial: eight of its digits
        f"尾号{PHONE[-4:]}",  # its last four digits, said as such
        "欧阳 建华",  # the name with a space
        "建华",  # the given name alone
        "漕溪北路88弄3号",  # part of the address, without the district
        CARD,
        PERSON_NO,
    ],
)
def test_every_form_of_a_known_identifier_is_redacted(form):
    known = KnownIdentifiers.build(KEY, **person())
    note = f"家属诉：{form}，请核对。"
    result = get_deidentifier().redact(note, known=known)
    assert fold(form.removeprefix("尾号")) not in fold(result.text), result.text
    assert "请核对" in result.text


def test_other_peoples_numbers_are_not_taken_for_the_persons():
    known = KnownIdentifiers.build(KEY, **person())
    text = normalise("复查日期2024-03-15，血压130/80，另一患者电话13812345678").text
    assert all(kind != "PERSON" for *_, kind in known.find(text))
    assert known.find(normalise("床号12，批号230414").text) == []


def test_digests_need_the_key():
    a = KnownIdentifiers.build(KEY, **person())
    b = KnownIdentifiers.build(bytes(32), **person())
    assert set(a.digests) and not set(a.digests) & set(b.digests)
    assert b.find(normalise(f"电话{PHONE}").text) != []  # each finds with its own key
    assert KnownIdentifiers(bytes(32), a.digests).find(normalise(f"电话{PHONE}").text) == []


def test_memory_holds_no_plaintext_and_survives_a_new_instance(tmp_path):
    url = f"sqlite:///{tmp_path / 'deid.sqlite'}"
    first = PersonMemory(KEY, url)
    first.remember("3100000000000001", **person())
    assert first.known("3100000000000001").find(normalise(f"电话{PHONE}").text)  # before the flush too
    assert first.flush() > 0
    assert first.flush() == 0
    first.close()
    raw = (tmp_path / "deid.sqlite").read_bytes()
    dump = "\n".join(sqlite3.connect(tmp_path / "deid.sqlite").iterdump())
    for plain in (RID, PHONE, CARD, PERSON_NO, "欧阳建华", "漕溪北路", "3100000000000001"):
        assert plain not in dump and plain.encode() not in raw
    second = PersonMemory(KEY, url)  # a restart, or another instance after a partition move
    known = second.known("3100000000000001")
    assert known.find(normalise(f"身份证{RID.translate(FULL)}").text)
    assert len(second.known("3100000000000002")) == 0
    second.remember("3100000000000001", **person())  # replayed batch: nothing new
    assert second.flush() == len(known)  # rows offered again, none added
    assert len(second.known("3100000000000001")) == len(known)


def test_discard_forgets_an_aborted_batch(tmp_path):
    memory = PersonMemory(KEY, f"sqlite:///{tmp_path / 'm.sqlite'}")
    memory.remember("3100000000000001", **person())
    memory.discard()
    assert memory.flush() == 0 and len(memory.known("3100000000000001")) == 0


def test_bad_key_is_refused():
    with pytest.raises(ValueError, match="16"):
        PersonMemory(b"short")
    with pytest.raises(ValueError, match="16"):
        KnownIdentifiers(b"short", {})


def test_find_names_allows_spaces_between_characters():
    assert find_names("患者欧阳 建华，家属欧阳建华", ["欧阳建华"]) == [(10, 14), (2, 7)]


# --- v2 settlements (2207) and what the memory learns from notes ----------------------------------------

BRDY = "1986-05-12"
#: a phone sharing no seven digits with PERSON_NO or RID (a shared run would be found as theirs)
MOBILE = "15861897044"


def settlement_v2(**over) -> dict:
    """The identity part of a platform.settlements.v2 settlement (2207 setlinfo)."""
    return {"setl_id": "ST2026030100000001", "psn_no": PERSON_NO, "psn_name": "欧阳建华", "psn_cert_type": "01",
            "certno": RID, "gend": "1", "brdy": BRDY, "age": 39.0, **over}


def _memory(tmp_path=None) -> PersonMemory:
    return PersonMemory(KEY, f"sqlite:///{tmp_path / 'm.sqlite'}" if tmp_path else "sqlite://")


@pytest.mark.parametrize("form", [
    "欧阳 建华",  # psn_name, spaced
    RID.translate(FULL),  # certno, full-width
    f"{RID[:6]}********{RID[-4:]}",  # certno, masked
    PERSON_NO[3:12],  # psn_no, partly
    "1986年5月12日", "1986-05-12", "1986/5/12", "1986.05.12", "86年5月12日", "19860512",  # brdy, any way
    "一九八六年五月十二日",  # in Chinese numerals (normalised to Arabic first)
])
def test_a_v2_settlement_teaches_name_certno_psn_no_and_birth_date(form):
    memory = _memory()
    assert memory.remember_settlement(settlement_v2()) > 0
    note = f"家属诉：{form}，请核对。"
    result = get_deidentifier().redact(note, known=memory.known(PERSON_NO))
    assert fold(form) not in fold(result.text), result.text
    assert "请核对" in result.text


def test_other_dates_and_a_revocation_teach_nothing():
    memory = _memory()
    memory.remember_settlement(settlement_v2())
    known = memory.known(PERSON_NO)
    assert known.find(normalise("1986年5月13日入院，2026-03-01复查，5月12日随访").text) == []
    assert memory.remember_settlement({"revoke": {"setl_id": "ST1", "psn_no": PERSON_NO, "mdtrt_id": "M1"}}) == 0


def test_a_certno_of_another_certificate_type_is_remembered_as_an_id_number():
    memory = _memory()
    memory.remember_settlement(settlement_v2(psn_cert_type="06", certno="E12345678"))
    found = memory.known(PERSON_NO).find(normalise("护照号E12345678").text)
    assert [kind for *_, kind in found] == ["ID_NUMBER"]


def test_v2_settlements_carry_no_phone_so_a_masked_phone_alone_is_not_the_persons():
    """What the memory cannot know it cannot find: a masked phone in the person's first note that
    writes no full number stays (a masked number identifies no one by itself; docs/deid.md)."""
    memory = _memory()
    memory.remember_settlement(settlement_v2())
    from privacy.deid.memory import redact_with_memory

    masked = f"{MOBILE[:3]}****{MOBILE[-4:]}"
    result = redact_with_memory(get_deidentifier(), memory, PERSON_NO, f"家属称（身份核验 {masked}）。")
    assert masked in result.text


def test_a_labelled_phone_in_a_note_teaches_its_masked_forms_in_the_same_and_later_notes(tmp_path):
    from privacy.deid.memory import redact_with_memory

    deid = get_deidentifier()
    first = _memory(tmp_path)
    first.remember_settlement(settlement_v2())
    note = f"联系电话：{MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}（身份核验 {MOBILE[:3]}****{MOBILE[-4:]}）。诉胸闷。"
    plain = deid.redact(note, known=first.known(PERSON_NO))
    assert f"{MOBILE[:3]}****{MOBILE[-4:]}" in plain.text  # without learning: the masked form stays
    result = redact_with_memory(deid, first, PERSON_NO, note)
    assert result.text == "联系电话：<PHONE>（身份核验 <PHONE>）。诉胸闷。"
    assert first.flush() > 0
    first.close()
    later = PersonMemory(KEY, f"sqlite:///{tmp_path / 'm.sqlite'}")  # a restart: the database only
    for form in (f"{MOBILE[:3]}****{MOBILE[-4:]}", f"尾号{MOBILE[-4:]}", MOBILE[1:9]):
        out = redact_with_memory(deid, later, PERSON_NO, f"回访：{form}，已核对。").text
        assert fold(form.removeprefix("尾号")) not in fold(out), out
    assert later.flush() == 0  # nothing new learned from notes that name no full number
    assert len(later.known("3100000000000002")) == 0  # learned for that person only
    dump = "\n".join(sqlite3.connect(tmp_path / "m.sqlite").iterdump())
    assert MOBILE not in dump and MOBILE[-4:] + "'" not in dump


def test_weak_findings_names_and_addresses_are_not_learned_from_notes():
    from privacy.deid.memory import redact_with_memory

    deid = get_deidentifier()
    memory = _memory()
    note = "请拨打病房64041990，家属王建国，住漕溪北路88弄3号1202室，批号B20240315。"
    learned_before = len(memory.known(PERSON_NO))
    redact_with_memory(deid, memory, PERSON_NO, note)
    known = memory.known(PERSON_NO)
    assert len(known) == learned_before == 0  # a bare local number (0.6), a name, an address: none
    assert "<PHONE>" in deid.redact(note).text  # (the number is still redacted, only not learned)
    assert known.find(normalise("王建国；建国路；漕溪北路88弄").text) == []


def test_learning_never_redacts_less():
    """Fail closed: every span plain redaction finds is still covered with the memory."""
    from privacy.deid.memory import redact_with_memory

    deid = get_deidentifier()
    notes = [
        f"患者欧阳建华，手机{PHONE}，身份证{RID}，医保卡{CARD}，住{ADDRESS}，1986年5月12日生。",
        f"电话：{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}，核对 {PHONE[:3]}****{PHONE[-4:]}，尾号{PHONE[-4:]}。",
    ]
    memory = _memory()
    memory.remember_settlement(settlement_v2())
    for note in notes:
        plain = deid.redact(note)
        with_memory = redact_with_memory(deid, memory, PERSON_NO, note)
        for s in plain.spans:
            assert any(m.start <= s.start and s.end <= m.end for m in with_memory.spans), (note[s.start:s.end], note)
