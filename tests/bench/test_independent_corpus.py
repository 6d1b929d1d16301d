"""The independent de-identification corpus (bench/deid_eval/independent.py): unit tests, no services.

The checks here recompute the check characters from the standards (GB 11643, Luhn, GB 32100)
rather than calling the generator's own helpers, so a wrong helper cannot pass its own test.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from corpus_helpers import SEED, N, corpus, jsonl_sha256, luhn_ok, novel
from corpus_helpers import gb11643_ok as _gb11643_ok

from bench.deid_eval import heldout3 as h3
from bench.deid_eval import heldout4 as h4
from bench.deid_eval import heldout5 as h5
from bench.deid_eval import heldout6 as h6
from bench.deid_eval import heldout7 as h7
from bench.deid_eval import heldout8 as h8
from bench.deid_eval import heldout9 as h9
from bench.deid_eval import heldout10 as h10
from bench.deid_eval import heldout11 as h11
from bench.deid_eval import independent as ind

# heldout3's … heldout11's own forms are checked in test_heldout_corpora.py (kept apart: deid developers
# must not read what they are); the format checks below skip them
_H3_ONLY = (
    novel(h3.HELDOUT3_ONLY)
    | novel(h4.HELDOUT4_ONLY)
    | novel(h5.HELDOUT5_ONLY)
    | novel(h6.HELDOUT6_ONLY)
    | novel(h7.HELDOUT7_ONLY)
    | novel(h8.HELDOUT8_ONLY)
    | novel(h9.HELDOUT9_ONLY)
    | novel(h10.HELDOUT10_ONLY)
    | novel(h11.HELDOUT11_ONLY)
)
# the splits with about 40 % of their IDs, dates and cards in their own forms
_LATER = (
    "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11",
)  # fmt: skip


def _ascii(s: str) -> str:
    """Fullwidth digits/letters to ASCII, separators (space, line break, -, |) removed, upper case."""
    out = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in s)
    return re.sub(r"[\s\-|]", "", out).upper()


_CN_NUM = str.maketrans("〇零一幺二三四五六七八九", "001123456789")


def _uscc_ok(code: str) -> bool:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(code[:17], weights, strict=True))
    return chars[(31 - total % 31) % 31] == code[17]


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_same_arguments_same_corpus(split):
    assert ind.generate(40, 7, split) == ind.generate(40, 7, split)


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_other_seed_other_corpus_and_prefix_is_stable(split):
    assert [n["text"] for n in ind.generate(20, 7, split)] != [n["text"] for n in ind.generate(20, 8, split)]
    assert ind.generate(15, 7, split) == ind.generate(40, 7, split)[:15]


def test_note_ids_are_unique_and_name_the_split():
    for split in ind.ALL_SPLITS:
        ids = [n["note_id"] for n in corpus(split)]
        assert len(set(ids)) == N
        assert all(i.startswith(f"{split}-{SEED}-") for i in ids)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="split"):
        ind.generate(3, 1, "test")
    with pytest.raises(ValueError, match="n must be"):
        ind.generate(-1, 1, "dev")


# --- offsets, overlaps, unannotated leaks --------------------------------------------------


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_every_span_matches_its_text(split):
    for note in corpus(split):
        text = note["text"]
        for group in ("identifiers", "decoys", "clinical_terms"):
            for e in note[group]:
                assert 0 <= e["start"] < e["end"] <= len(text)
                assert text[e["start"] : e["end"]] == e["value"], (note["note_id"], e)


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_no_span_overlaps_another(split):
    for note in corpus(split):
        spans = sorted(
            (e["start"], e["end"], g) for g in ("identifiers", "decoys", "clinical_terms") for e in note[g]
        )
        for (_s1, e1, g1), (s2, _e2, g2) in zip(spans, spans[1:], strict=False):
            assert e1 <= s2, (note["note_id"], g1, g2, note["text"])


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_no_decoy_overlaps_an_identifier(split):
    for note in corpus(split):
        for d in note["decoys"]:
            for i in note["identifiers"]:
                assert d["end"] <= i["start"] or i["end"] <= d["start"], (note["note_id"], d, i)


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_every_long_digit_run_is_annotated(split):
    # a number of 5+ digits outside every span would be an unlabelled identifier or decoy
    for note in corpus(split):
        spans = [(e["start"], e["end"]) for e in note["identifiers"] + note["decoys"]]
        for m in re.finditer(r"[0-9０-９]{5,}", note["text"]):
            assert any(a <= m.start() and m.end() <= b for a, b in spans), (note["note_id"], m.group())


# --- kinds, forms, styles -------------------------------------------------------------------


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_every_kind_and_form_of_the_split_occurs(split):
    seen = Counter((e["kind"], e["form"]) for n in corpus(split) for e in n["identifiers"])
    expected = {(k, f) for k, forms in ind.FORMS[split].items() for f in forms}
    assert set(ind.FORMS[split]) == set(ind.SPLIT_KINDS[split])
    assert set(ind.SPLIT_KINDS[split]) >= set(ind.IDENTIFIER_KINDS)
    assert expected - set(seen) == set()
    assert set(seen) - expected == set()
    # every form often enough to measure recall on it
    assert min(seen[k] for k in expected) >= 10, sorted(seen.items(), key=lambda kv: kv[1])[:5]
    assert {n["style"] for n in corpus(split)} == set(ind.STYLES[split])


def test_heldout_only_forms_are_absent_from_dev_and_present_in_heldout():
    dev_forms = {(e["kind"], e["form"]) for n in corpus("dev") for e in n["identifiers"]}
    held_forms = {(e["kind"], e["form"]) for n in corpus("heldout") for e in n["identifiers"]}
    only = {(k, f) for k, fs in ind.HELDOUT_ONLY.items() if k != "style" for f in fs}
    assert only & dev_forms == set()
    assert only <= held_forms
    assert {n["style"] for n in corpus("dev")} & set(ind.HELDOUT_ONLY["style"]) == set()
    # the brief's minimum: 3 card formats, 1 resident-ID form, 2 name forms, 1 DOB form, 1 style
    assert len(ind.HELDOUT_ONLY["card_number"]) >= 3
    assert len(ind.HELDOUT_ONLY["resident_id"]) >= 1
    assert len(ind.HELDOUT_ONLY["person_name"]) >= 2
    assert len(ind.HELDOUT_ONLY["date_of_birth"]) >= 1
    assert len(ind.HELDOUT_ONLY["style"]) >= 1


def test_heldout_only_values_do_not_leak_into_dev_text():
    dev_text = "\n".join(n["text"] for n in corpus("dev"))
    assert "卡识别码" not in dev_text and "合作医疗证号" not in dev_text and "新农合" not in dev_text
    assert "Dr. " not in dev_text
    assert not re.search(r"\d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{4}", dev_text)
    assert not re.search(r"\d{17}x", dev_text)


_CONTEXT_FORMS = {"patient_with_context", "patient_no_context", "relative", "nurse", "doctor", "in_list"}


_SPLIT_PAIRS = [(a, b) for a in ind.ALL_SPLITS for b in ind.ALL_SPLITS if a < b]


@pytest.mark.parametrize(("one", "two"), _SPLIT_PAIRS)
def test_name_pools_and_streets_are_disjoint_between_splits(one, two):
    def names(split, forms):
        return {e["value"] for n in corpus(split) for e in n["identifiers"] if e["form"] in forms}

    dev_ctx, held_ctx = names(one, _CONTEXT_FORMS), names(two, _CONTEXT_FORMS)
    assert {v[0] for v in dev_ctx} & {v[0] for v in held_ctx} == set()  # common surnames
    assert {v[1:] for v in dev_ctx} & {v[1:] for v in held_ctx} == set()  # given names
    for form in ("rare_surname", "compound_surname", "word_like_name"):
        assert names(one, {form}) & names(two, {form}) == set(), form
    dev_compound = {v[:2] for v in names(one, {"compound_surname"})}
    held_compound = {v[:2] for v in names(two, {"compound_surname"})}
    assert dev_compound and held_compound and dev_compound & held_compound == set()
    dev_rare = {v[0] for v in names(one, {"rare_surname"})}
    held_rare = {v[0] for v in names(two, {"rare_surname"})}
    assert dev_rare & held_rare == set()
    for split, other in ((one, two), (two, one)):
        addresses = [e["value"] for n in corpus(split) for e in n["identifiers"] if e["kind"] == "address"]
        other_streets = [s for roads in ind._STREETS[other].values() for s in roads]
        other_places = [nv for _d, nv in ind._NEW_VILLAGES[other]] + [v for _d, _t, v in ind._VILLAGES[other]]
        for a in addresses:
            assert not any(s in a for s in other_streets + other_places), (split, a)


def test_unusual_names_are_present():
    dev = {e["value"] for n in corpus("dev") for e in n["identifiers"] if e["kind"] == "person_name"}
    assert any(v.startswith(("欧阳", "司马", "上官", "诸葛", "慕容")) for v in dev)
    assert {"高山", "文静", "万里"} & dev
    held = {e["value"] for n in corpus("heldout") for e in n["identifiers"] if e["kind"] == "person_name"}
    assert any(v.startswith(("皇甫", "尉迟", "令狐", "东方")) for v in held)


# --- checksums and formats ------------------------------------------------------------------


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_resident_ids_have_valid_check_characters(split):
    n18 = n15 = 0
    for note in corpus(split):
        for e in note["identifiers"]:
            if e["kind"] != "resident_id" or (e["kind"], e["form"]) in _H3_ONLY:
                continue
            rid = _ascii(e["value"])
            if e["form"] in ("passport", "hmt_travel_permit"):  # travel documents: no check character
                assert re.fullmatch(r"[A-Z0-9]{8,11}", rid), e
                continue
            if e["form"] == "old15":
                assert re.fullmatch(r"\d{15}", rid), e
                assert 1 <= int(rid[8:10]) <= 12 and 1 <= int(rid[10:12]) <= 31
                n15 += 1
            else:
                assert _gb11643_ok(rid), e
                if e["form"] == "x_checkdigit":
                    assert e["value"].endswith("X")
                if e["form"] == "lowercase_x":
                    assert e["value"].endswith("x")
                if e["form"] == "hmt_residence_permit":
                    assert rid[:6] in ("810000", "820000", "830000"), e
                elif e["form"] == "foreign_permanent_id":
                    assert rid[0] == "9", e
                else:
                    assert rid[0] in "12345678", e
                n18 += 1
    assert n18 > 100 and n15 > 5


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_date_of_birth_agrees_with_resident_id(split):
    checked = 0
    for note in corpus(split):
        # the 委托人's (consent), 监护人's (pediatric) or 代办人's (yb_filing, sscard_replacement) ID may
        # come first there
        if note["style"] in ("consent", "pediatric", "yb_filing", "sscard_replacement"):
            continue
        ids = note["identifiers"]
        patient_rids = [
            _ascii(e["value"])
            for e in ids
            if e["kind"] == "resident_id" and e["form"] not in ("old15", "passport", "hmt_travel_permit")
            and (e["kind"], e["form"]) not in _H3_ONLY
        ]
        dobs = [e for e in ids if e["kind"] == "date_of_birth" and e["form"] in ("iso", "dotted", "compact8")]
        for dob in dobs:
            ymd = re.sub(r"\D", "", dob["value"])
            # the first resident ID of a note is the patient's (relatives' IDs come later)
            if patient_rids:
                assert patient_rids[0][6:14] == ymd, (note["note_id"], dob, patient_rids)
                checked += 1
    assert checked > (12 if split in _LATER else 20)  # fewer dev-form IDs and dates there


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_bank_cards_pass_luhn_with_real_looking_bins(split):
    seen = 0
    for note in corpus(split):
        for e in note["identifiers"]:
            if e["kind"] != "bank_card" or (e["kind"], e["form"]) in _H3_ONLY:
                continue
            num = _ascii(e["value"])
            assert num.isdigit() and luhn_ok(num), e
            prefix = {"visa": "4", "mastercard": "5"}.get(e["form"], "62")  # the others are UnionPay
            assert num.startswith(prefix) and len(num) in (16, 19), e
            seen += 1
    assert seen > (60 if split in _LATER else 100)  # 40 % of their cards in their own forms


_H2_MOBILE_FORMS = {"cn_numerals", "mixed_numerals", "line_break", "odd_grouping"}


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_phone_and_card_formats(split):
    patterns = {
        "sscard_digits9": r"[1-9]\d{8}",
        "sscard_letter9": r"[A-Z]\d{8}",
        "sscard_fullwidth": r"[A-Z]\d{8}",
        "yb_personal_code": r"31\d{18}",
        "canbao_no": r"[1-9]\d{9}",
        "visit_card": r"00\d{8}|JZ\d{8}|[1-9]\d{11}",
        "card_sn32": r"310000D156000005[0-9A-F]{16}",
        "coop_medical_no": r"\d{16}-0[1-5]",
        "psn_no_alpha": r"H\d{18}|JM\d{10}",
        "sscard_other_province": r"(JS|ZJ|AH)[A-Z]\d{9}",
        "policy_no": r"\d{18}|ASH[ABZ]\d{13}|PSH\d{14}|\d{3}-\d{4}-\d{8}",
    }
    for note in corpus(split):
        for e in note["identifiers"]:
            if (e["kind"], e["form"]) in _H3_ONLY:
                continue
            if e["kind"] == "card_number":
                value = e["value"]
                if e["form"] == "sscard_fullwidth":
                    assert value != _ascii(value)
                    value = _ascii(value)
                assert re.fullmatch(patterns[e["form"]], value), e
            elif e["kind"] == "phone":
                digits = re.sub(r"\D", "", _ascii(e["value"]).translate(_CN_NUM))
                if e["form"] == "foreign_intl":
                    assert e["value"].startswith("+") and not e["value"].startswith("+86"), e
                    assert 9 <= len(digits) <= 13, e
                elif e["form"] == "landline_other_city":
                    assert re.fullmatch(r"0[1-9]\d{1,2}[2-8]\d{7}", digits), e
                    assert not digits.startswith("021"), e
                elif e["form"].startswith("mobile") or e["form"] in _H2_MOBILE_FORMS:
                    digits = digits[2:] if e["form"] == "mobile_plus86" else digits
                    assert re.fullmatch(r"1[3-9]\d{9}", digits), e
                elif e["form"] == "landline_021":
                    assert re.fullmatch(r"021[2-8]\d{7}", digits), e
                else:
                    assert re.fullmatch(r"[2-8]\d{7}", digits), e


def test_credit_codes_are_valid_and_as_long_as_resident_ids():
    for split in ind.ALL_SPLITS:
        codes = [d["value"] for n in corpus(split) for d in n["decoys"] if d["kind"] == "credit_code"]
        assert len(codes) > 10
        # 12: public institutions (hospitals); 91: enterprises (insurers, heldout2 only)
        prefixes = ("12", "91") if split == "heldout2" else ("12",)
        for code in codes:
            assert len(code) == 18 and code.startswith(prefixes) and _uscc_ok(code), code


def test_masked_identifiers_are_decoys_not_identifiers():
    for split in ind.ALL_SPLITS:
        for note in corpus(split):
            # (a heldout3 form legitimately holds "*": the wristband barcode's start and stop characters)
            assert not any("*" in e["value"] for e in note["identifiers"] if (e["kind"], e["form"]) not in _H3_ONLY)
    masked = [d for n in corpus("dev") for d in n["decoys"] if d["kind"] == "masked_identifier"]
    assert masked and all("*" in d["value"] for d in masked)


# --- clinical terms and distribution --------------------------------------------------------


def test_clinical_term_pool_is_large_and_holds_name_like_terms():
    assert len(set(ind.CLINICAL_TERMS)) >= 250
    for t in ("白芍", "黄芩", "王不留行", "金银花", "川芎", "石斛", "徐长卿", "华法林钠片", "桥本甲状腺炎", "川崎病"):
        assert t in ind.CLINICAL_TERMS, t
    used = {t["value"] for s in ind.ALL_SPLITS for n in corpus(s) for t in n["clinical_terms"]}
    assert len(used) >= 250
    assert used <= set(ind.CLINICAL_TERMS)


@pytest.mark.parametrize("split", ind.ALL_SPLITS)
def test_distribution_roughly_as_briefed(split):
    notes = corpus(split)
    lengths = [len(n["text"]) for n in notes]
    assert all(200 <= x <= 450 for x in lengths), (min(lengths), max(lengths))
    ids = sum(len(n["identifiers"]) for n in notes) / N
    decoys = sum(len(n["decoys"]) for n in notes) / N
    terms = sum(len(n["clinical_terms"]) for n in notes) / N
    assert 7.5 <= ids <= 11, ids
    assert 4 <= decoys <= 9, decoys
    assert 3 <= terms <= 7, terms
    kinds = Counter(d["kind"] for n in notes for d in n["decoys"])
    assert set(kinds) == set(ind.SPLIT_DECOY_KINDS[split])
    long_decoys = [d for n in notes for d in n["decoys"] if sum(ch.isdigit() for ch in d["value"]) >= 18]
    assert len(long_decoys) >= 20  # 20-digit invoice numbers, 18-character credit codes


def test_labelled_flag_covers_both_cases():
    for split in ind.ALL_SPLITS:
        flags = Counter((e["kind"], e["labelled"]) for n in corpus(split) for e in n["identifiers"])
        for kind in ("person_name", "resident_id", "phone", "card_number", "hospital_record_no"):
            assert flags[(kind, True)] > 0 and flags[(kind, False)] > 0, (split, kind)


# --- CLI ------------------------------------------------------------------------------------


def test_cli_writes_json_lines(tmp_path, capsys):
    out = tmp_path / "h.jsonl"
    assert ind.main(["--split", "heldout", "--n", "12", "--seed", "3", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == ind.generate(12, 3, "heldout")
    assert "wrote 12 heldout notes" in capsys.readouterr().err


def test_cli_rejects_unknown_split(tmp_path):
    with pytest.raises(SystemExit):
        ind.main(["--split", "test", "--n", "2", "--out", str(tmp_path / "x.jsonl")])


def test_cli_writes_heldout2(tmp_path, capsys):
    out = tmp_path / "h2.jsonl"
    assert ind.main(["--split", "heldout2", "--n", "5", "--seed", "3", "--out", str(out)]) == 0
    assert [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] == ind.generate(5, 3, "heldout2")
    assert "wrote 5 heldout2 notes" in capsys.readouterr().err


# --- heldout2 ---------------------------------------------------------------------------------

# sha256 of the JSON Lines (as main() writes them) of 600 notes, seed 1, recorded with the code as it
# was before heldout2 existed (commit eb072c0): adding heldout2 must not change dev or heldout.
_HASHES_BEFORE_HELDOUT2 = {
    "dev": "5b10a5630b64b0dd96b54873f4b10256edbd6a39cbab48a5d5ae8cfb09c8d59d",
    "heldout": "7d7bed5886800cd2554b3abd38a7e98e5388d62ad703e72eca4b3cfc0c772512",
}


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_dev_and_heldout_are_byte_identical_to_before_heldout2(split):
    assert jsonl_sha256(split) == _HASHES_BEFORE_HELDOUT2[split]


def _h2_only() -> set[tuple[str, str]]:
    return {(k, f) for k, fs in ind.HELDOUT2_ONLY.items() if k != "style" for f in fs}


def test_heldout2_only_forms_are_absent_from_dev_and_heldout():
    only = _h2_only()
    for split in ("dev", "heldout"):
        seen = {(e["kind"], e["form"]) for n in corpus(split) for e in n["identifiers"]}
        assert only & seen == set(), split
        assert {e["kind"] for n in corpus(split) for e in n["identifiers"]} <= set(ind.IDENTIFIER_KINDS)
        assert {n["style"] for n in corpus(split)} & set(ind.HELDOUT2_ONLY["style"]) == set()
        decoys = {d["kind"] for n in corpus(split) for d in n["decoys"]}
        assert decoys & set(ind.HELDOUT2_DECOY_KINDS) == set()
        for kind, forms in ind.FORMS[split].items():
            assert set(forms).isdisjoint(ind.HELDOUT2_ONLY.get(kind, ())), (split, kind)
    # and nothing heldout2 adds was already a dev or heldout form of the same kind
    for kind, forms in ind.HELDOUT2_ONLY.items():
        if kind != "style":
            assert set(forms).isdisjoint(ind.FORMS["heldout"].get(kind, ())), kind


def test_heldout2_holds_every_dev_form_and_style_but_no_heldout_only_form():
    seen = {(e["kind"], e["form"]) for n in corpus("heldout2") for e in n["identifiers"]}
    dev = {(k, f) for k, fs in ind.FORMS["dev"].items() for f in fs}
    held_only = {(k, f) for k, fs in ind.HELDOUT_ONLY.items() if k != "style" for f in fs}
    assert dev <= seen
    assert _h2_only() <= seen
    assert seen & held_only == set()
    styles = {n["style"] for n in corpus("heldout2")}
    assert set(ind.STYLES["dev"]) <= styles and styles & set(ind.HELDOUT_ONLY["style"]) == set()


def test_heldout2_share_of_novel_forms():
    ids = [e for n in corpus("heldout2") for e in n["identifiers"]]
    novel = sum((e["kind"], e["form"]) in _h2_only() for e in ids)
    assert 0.25 <= novel / len(ids) <= 0.35, novel / len(ids)
    # every kind has some novel forms and still mostly the baseline ones (other_contact is new)
    for kind in ind.IDENTIFIER_KINDS:
        of_kind = [e for e in ids if e["kind"] == kind]
        share = sum((e["kind"], e["form"]) in _h2_only() for e in of_kind) / len(of_kind)
        assert 0.15 <= share <= 0.55, (kind, share)


# strings that only heldout2's forms, styles and decoys write
_H2_MARKERS = (
    "·", "•", "・", "\u3000", "民国", "民國", "农历", "阴历", "单元", "幺", "微信", "VX", "QQ", "扣扣", "＠",
    "护照", "Passport", "通行证", "台胞证", "回乡证", "居住证", "永居证", "追溯码", "DRG", "保单", "理赔", "UDI",
    "陳", "黃", "張", "劉", "號", "區", "國际", "International", "互联网医院", "扫描件", "人员识别号", "外省",
)  # fmt: skip


def test_heldout2_markers_never_occur_in_dev_or_heldout_text():
    for split in ("dev", "heldout"):
        text = "\n".join(n["text"] for n in corpus(split))
        assert [m for m in _H2_MARKERS if m in text] == [], split
        assert not re.search(r"[一二三四五六七八九〇零幺]{11}", text), split  # phone in Chinese numerals
        assert not re.search(r"\b\d{1,2}/\d{1,2}/(19|20)\d{2}\b", text), split  # month/day/year
    h2 = "\n".join(n["text"] for n in corpus("heldout2"))
    assert sum(m in h2 for m in _H2_MARKERS) >= len(_H2_MARKERS) - 3


def test_heldout2_novel_values_are_what_their_form_says():
    by_form: dict[tuple[str, str], list[str]] = {}
    for n in corpus("heldout2"):
        for e in n["identifiers"]:
            by_form.setdefault((e["kind"], e["form"]), []).append(e["value"])
    checks = {
        ("person_name", "spaced_name"): r"\S{1,2}[ \u3000]{1,2}\S{1,2}",
        ("person_name", "minority_dot"): r"[^\W\d]{2,5}[·•.・][^\W\d]{2,6}",
        ("person_name", "foreign_translit"): r"[^\W\d-]+(-[^\W\d]+)?·[^\W\d]+",
        ("person_name", "foreign_latin"): r"[A-Za-zÀ-ž ,\-]+",
        ("resident_id", "line_break"): r"[0-9X]{6,14}\r?\n +?[0-9X]{4,12}|[0-9X]{6,14}\r?\n[0-9X]{4,12}",
        ("resident_id", "char_boxes"): r"([0-9X]( \| |\|| )){17}[0-9X]",
        ("phone", "cn_numerals"): r"[一二三四五六七八九〇零幺]{11}",
        ("phone", "mixed_numerals"): r"(?=.*\d)(?=.*[一二三四五六七八九〇零幺]).{11}",
        ("date_of_birth", "two_digit_year"): r"\d{2}(年\d{1,2}月(\d{1,2}日)?|\.\d{1,2}\.\d{1,2}|-\d{2}-\d{2})",
        ("date_of_birth", "us_order"): r"\d{1,2}[/-]\d{1,2}[/-](19|20)\d{2}",
        ("date_of_birth", "minguo"): r"民[国國].+年.+月.+日",
        ("date_of_birth", "lunar"): r"(农历|阴历).*月[初十廿二三][一二三四五六七八九十]?",
        ("address", "building_unit"): r".*\d+(号楼|栋|幢)\d单元\d+室?",
        ("address", "village_team"): r".*村(.*组|.*队.*|第.*村民小组)",
        ("address", "split_phrase"): r".*[，、 \n].*",
        ("address", "traditional_hmt"): r"(臺|新北|高雄|香港|澳門).*",
        ("address", "english_address"): r"(Rm|Apt) .*Shanghai( \d{6})?",
        ("email", "fullwidth_at"): r"[a-z0-9._]+＠[a-z0-9.]+",
        ("email", "pinyin_domain"): r"[a-z0-9._]+@(xiaomi|meituan|huawei|dianping|pinduoduo|jinjiang)\.com",
        ("other_contact", "wechat_id"): r"wxid_[a-z0-9]{14}|[A-Za-z][A-Za-z0-9_-]{5,19}",
        ("other_contact", "qq_no"): r"[1-9]\d{7,10}",
        ("hospital_record_no", "year_segment"): r"(ZY|BA|MZ)?-?(20\d{2}|\d{2})[-/]?\d{5,7}",
        ("hospital_record_no", "visit_suffix"): r"\d{6,7}(-\d|\(\d\)|（\d）|/\d|_\d)",
    }
    for key, pattern in checks.items():
        assert len(by_form[key]) >= 10, key
        for v in by_form[key]:
            assert re.fullmatch(pattern, v, flags=re.S), (key, v)
    for v in by_form[("person_name", "traditional")]:
        assert re.search("[陳黃張劉吳鄭謝許楊葉蘇莊鍾趙馮盧]", v), v  # a Traditional-only character
    for v in by_form[("phone", "cn_numerals")] + by_form[("phone", "mixed_numerals")]:
        assert re.fullmatch(r"1[3-9]\d{9}", v.translate(_CN_NUM)), v
    for v in by_form[("bank_card", "irregular_spaced")]:
        groups = re.split(r"[ -]", v)
        assert len(groups) >= 2 and [len(g) for g in groups[:-1]] != [4] * (len(groups) - 1), v
    for v in by_form[("resident_id", "irregular_spaced")]:
        assert _gb11643_ok(_ascii(v)) and re.search(r"\s", v) and not re.fullmatch(r"\d{6} \d{8} \d{3}[\dX]", v), v


def test_heldout2_decoys_have_their_formats():
    patterns = {
        "drug_trace_code": r"8\d{19}",
        "yb_drug_code": r"X[A-Z]\d{2}[A-Z]{2}[A-Z]\d{3}A0\d{11}",
        "drug_standard_code": r"86\d{12}",
        "service_item_code": r"00\d{13}",
        "drg_group": r"[A-Z]{2}\d{2}",
        "settlement_serial": r"\d{22}",
        "claim_no": r"CL\d{16}|9031\d{16}",
        "udi": r"\(01\)069\d{11}\(17\)\d{6}\(10\)[BL]?\d{6}",
    }
    seen = Counter()
    for n in corpus("heldout2"):
        for d in n["decoys"]:
            if d["kind"] in patterns:
                assert re.fullmatch(patterns[d["kind"]], d["value"]), d
                seen[d["kind"]] += 1
    assert all(seen[k] >= 5 for k in patterns), seen
    yb = [d["value"] for n in corpus("heldout2") for d in n["decoys"] if d["kind"] == "yb_drug_code"]
    assert all(len(v) == 23 for v in yb)


def test_heldout2_md_lists_every_heldout2_only_form_and_style():
    doc = (Path(ind.__file__).parent / "HELDOUT2.md").read_text(encoding="utf-8")
    for kind, forms in ind.HELDOUT2_ONLY.items():
        for f in forms:
            assert f"`{f}`" in doc, (kind, f)
    for kind in ind.HELDOUT2_DECOY_KINDS:
        assert f"`{kind}`" in doc, kind
