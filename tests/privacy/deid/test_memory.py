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
