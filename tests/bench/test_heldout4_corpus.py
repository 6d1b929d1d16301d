"""heldout4 of the independent de-identification corpus (bench/deid_eval/heldout4.py): unit tests.

If you develop or tune the de-identifier, do not read this file: it names the forms heldout4
measures generalisation on (see bench/deid_eval/HELDOUT4.md). The checks that every split shares
(offsets, overlaps, unannotated digit runs, check characters of dev forms, pool disjointness of the
context names and streets) are in test_independent_corpus.py, which runs them on heldout4 too.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from corpus_helpers import N, by_form, corpus, jsonl_sha256, luhn_ok, novel
from corpus_helpers import gb11643_ok as _gb11643_ok

from bench.deid_eval import heldout3 as h3
from bench.deid_eval import heldout4 as h4
from bench.deid_eval import independent as ind

EARLIER = ("dev", "heldout", "heldout2", "heldout3")


def _novel() -> set[tuple[str, str]]:
    return novel(h4.HELDOUT4_ONLY)


def _by_form() -> dict[tuple[str, str], list[dict]]:
    return by_form("heldout4")


_SPOKEN = str.maketrans("零〇洞一幺二三四五六七八九", "0001123456789")


def _unspeak(s: str) -> str:
    """Spoken digits back to digits; fails (returns '') if anything but digits and separators is left."""
    digits = re.sub(r"[，、 ]", "", s).translate(_SPOKEN)
    return digits if digits.isdigit() else ""


def _hkid_ok(v: str) -> bool:
    """Recomputed from the published rule: space 36, A-Z 10-35, weights 9..2, sum + check = 0 mod 11."""
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})[(（]?([0-9A])[)）]?", v)
    if not m:
        return False
    letters = m[1].rjust(2)
    vals = [36 if ch == " " else ord(ch) - 55 for ch in letters] + [int(d) for d in m[2]]
    check = 10 if m[3] == "A" else int(m[3])
    return (sum(x * w for x, w in zip(vals, range(9, 1, -1), strict=True)) + check) % 11 == 0


_TW = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def _twid_ok(v: str) -> bool:
    if not re.fullmatch(r"[A-Z][12]\d{8}", v):
        return False
    n = _TW[v[0]]
    digits = [n // 10, n % 10] + [int(d) for d in v[1:]]
    return sum(d * w for d, w in zip(digits, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1), strict=True)) % 10 == 0


# --- the other splits are untouched ------------------------------------------------------------

# sha256 of the JSON Lines of 600 notes, seed 1, as main() writes them, recorded before heldout4
# existed (commit cf967c5): adding heldout4 must not change any earlier split
_HASHES_BEFORE_HELDOUT4 = {
    "dev": "5b10a5630b64b0dd96b54873f4b10256edbd6a39cbab48a5d5ae8cfb09c8d59d",
    "heldout": "7d7bed5886800cd2554b3abd38a7e98e5388d62ad703e72eca4b3cfc0c772512",
    "heldout2": "fb30d808c27d845a140897da436f2b9389028f845e645e36ec209a702f8cd911",
    "heldout3": "60203640658bddaa5a493d83a6c4dc09534f64d568582451851ee83dae2ec3cc",
}


@pytest.mark.parametrize("split", EARLIER)
def test_earlier_splits_are_byte_identical_to_before_heldout4(split):
    assert jsonl_sha256(split) == _HASHES_BEFORE_HELDOUT4[split]


def test_cli_writes_heldout4(tmp_path, capsys):
    out = tmp_path / "h4.jsonl"
    assert ind.main(["--split", "heldout4", "--n", "5", "--seed", "3", "--out", str(out)]) == 0
    assert [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] == ind.generate(
        5, 3, "heldout4"
    )
    assert "wrote 5 heldout4 notes" in capsys.readouterr().err


def test_heldout4_is_generated_but_not_among_the_iterated_splits():
    # code that loops over SPLITS (the de-identifier's own tests) must not run heldout4 by accident
    assert "heldout4" not in ind.SPLITS and "heldout4" in ind.ALL_SPLITS
    assert ind.ALL_SPLITS == (*ind.SPLITS, "heldout3", "heldout4", "heldout5", "heldout6")
    with pytest.raises(ValueError):
        ind.generate(1, 1, "heldout7")


def test_note_i_depends_only_on_seed_split_and_i():
    assert ind.generate(30, 5, "heldout4") == ind.generate(30, 5, "heldout4")
    assert ind.generate(10, 5, "heldout4") == ind.generate(30, 5, "heldout4")[:10]
    assert [n["text"] for n in ind.generate(10, 5, "heldout4")] != [
        n["text"] for n in ind.generate(10, 6, "heldout4")
    ]
    first = ind.generate(8, 2, "heldout4")
    ind.generate(8, 2, "heldout3")
    ind.generate(8, 2, "dev")
    assert ind.generate(8, 2, "heldout4") == first
    assert all(n["note_id"].startswith("heldout4-") for n in first)


def test_every_span_matches_and_long_digit_runs_are_annotated():
    # (test_independent_corpus.py checks this for every split; repeated here for the new styles)
    for note in corpus("heldout4"):
        text = note["text"]
        spans = []
        for group in ("identifiers", "decoys", "clinical_terms"):
            for e in note[group]:
                assert text[e["start"] : e["end"]] == e["value"], (note["note_id"], e)
                spans.append((e["start"], e["end"]))
        for m in re.finditer(r"[0-9０-９]{5,}", text):
            assert any(a <= m.start() and m.end() <= b for a, b in spans), (note["note_id"], m.group())


# --- forms: new ones are new, the baseline is kept ---------------------------------------------


def test_heldout4_only_forms_are_in_no_earlier_split():
    novel = _novel()
    for split in EARLIER:
        seen = {(e["kind"], e["form"]) for n in corpus(split) for e in n["identifiers"]}
        assert novel & seen == set(), split
        for kind, forms in ind.FORMS[split].items():
            assert set(forms).isdisjoint(h4.HELDOUT4_ONLY.get(kind, ())), (split, kind)
        assert {n["style"] for n in corpus(split)} & set(h4.HELDOUT4_ONLY["style"]) == set(), split
        decoys = {d["kind"] for n in corpus(split) for d in n["decoys"]}
        assert decoys & set(h4.HELDOUT4_DECOY_KINDS) == set(), split
    for kind in h4.HELDOUT4_ONLY:
        if kind != "style":
            earlier = (
                ind.HELDOUT_ONLY.get(kind, ())
                + ind.HELDOUT2_ONLY.get(kind, ())
                + h3.HELDOUT3_ONLY.get(kind, ())
            )
            assert set(h4.HELDOUT4_ONLY[kind]).isdisjoint(earlier + ind._SHARED_FORMS.get(kind, ())), kind
    earlier_styles = set(ind.STYLES["heldout"]) | set(ind.STYLES["heldout2"]) | set(ind.STYLES["heldout3"])
    assert set(h4.HELDOUT4_ONLY["style"]).isdisjoint(earlier_styles)
    earlier_decoys = set(ind.DECOY_KINDS) | set(ind.HELDOUT2_DECOY_KINDS) | set(h3.HELDOUT3_DECOY_KINDS)
    assert set(h4.HELDOUT4_DECOY_KINDS).isdisjoint(earlier_decoys)


def test_heldout4_holds_every_dev_form_and_style_and_no_burned_form():
    seen = Counter((e["kind"], e["form"]) for n in corpus("heldout4") for e in n["identifiers"])
    dev = {(k, f) for k, fs in ind.FORMS["dev"].items() for f in fs}
    assert dev <= set(seen)
    assert _novel() <= set(seen)
    burned = {(k, f) for k, fs in ind.HELDOUT_ONLY.items() if k != "style" for f in fs}
    burned |= {
        (k, f) for k, fs in ind.HELDOUT2_ONLY.items() if k not in ("style", "other_contact") for f in fs
    }
    burned |= {(k, f) for k, fs in h3.HELDOUT3_ONLY.items() if k != "style" for f in fs}
    assert set(seen) & burned == set()
    assert min(seen.values()) >= 10, sorted(seen.items(), key=lambda kv: kv[1])[:5]
    styles = Counter(n["style"] for n in corpus("heldout4"))
    assert (
        set(styles) == set(ind.STYLES["heldout4"]) == set(ind.STYLES["dev"]) | set(h4.HELDOUT4_ONLY["style"])
    )
    assert min(styles.values()) >= 29
    assert set(ind.SPLIT_KINDS["heldout4"]) == set(ind.IDENTIFIER_KINDS) | {"other_contact"}
    # no style, decoy or value of heldout3's own forms
    decoys = {d["kind"] for n in corpus("heldout4") for d in n["decoys"]}
    assert decoys.isdisjoint(h3.HELDOUT3_DECOY_KINDS) and decoys.isdisjoint(ind.HELDOUT2_DECOY_KINDS)


def test_heldout4_share_of_new_forms():
    ids = [e for n in corpus("heldout4") for e in n["identifiers"]]
    novel = _novel()
    share = sum((e["kind"], e["form"]) in novel for e in ids) / len(ids)
    assert 0.28 <= share <= 0.38, share  # about a third
    for kind in ind.SPLIT_KINDS["heldout4"]:
        of_kind = [e for e in ids if e["kind"] == kind]
        s = sum((e["kind"], e["form"]) in novel for e in of_kind) / len(of_kind)
        assert 0.2 <= s < 0.5, (kind, s)  # some new forms, a majority of baseline ones
        assert all(e["form"] in h4.BASELINE_FORMS[kind] + h4.HELDOUT4_ONLY[kind] for e in of_kind)
    assert 8 <= len(ids) / N <= 10
    assert sum(e["labelled"] for e in ids if (e["kind"], e["form"]) in novel) > 0.6 * sum(
        (e["kind"], e["form"]) in novel for e in ids
    )


# --- pools ------------------------------------------------------------------------------------


def test_heldout4_pools_are_disjoint_from_every_earlier_split():
    p4 = ind._pools("heldout4")
    assert len(p4.surnames) >= 60 and len(p4.given_m) >= 30 and len(p4.given_f) >= 30
    # the filter in pools() left the whole own lists: nothing had to be dropped
    assert p4.surnames == h4._H4_SURNAMES and p4.given_m == h4._H4_GIVEN_M and p4.given_f == h4._H4_GIVEN_F
    own_given = set(p4.given_m + p4.given_f) | set(h4._H4_WORD_GIVEN)
    own_given |= {g for gs in h4._KOREAN.values() for g in gs} | {g for _s, g in p4.word_like}
    for split in EARLIER:
        p = ind._pools(split)
        assert set(p4.surnames).isdisjoint(p.surnames), split
        assert own_given.isdisjoint(p.given_m + p.given_f), split
        assert own_given.isdisjoint(g for _s, g in p.word_like), split
        assert set(p4.rare).isdisjoint(p.rare) and set(p4.compound).isdisjoint(p.compound), split
        assert {s + g for s, g in p4.word_like}.isdisjoint({s + g for s, g in p.word_like}), split
        # no heldout4 surname is another split's rare, compound or word-like surname either
        others = set(p.rare) | {ch for c in p.compound for ch in c} | {s for s, _g in p.word_like}
        assert set(p4.surnames).isdisjoint(others), split
        assert set(p4.rare).isdisjoint(set(p.surnames) | others), split
        streets = {s for roads in ind._STREETS[split].values() for s in roads}
        assert streets.isdisjoint(s for roads in ind._STREETS["heldout4"].values() for s in roads), split
        assert {v for _d, v in ind._NEW_VILLAGES[split]}.isdisjoint(
            v for _d, v in ind._NEW_VILLAGES["heldout4"]
        )
        assert {v for _d, _t, v in ind._VILLAGES[split]}.isdisjoint(
            v for _d, _t, v in ind._VILLAGES["heldout4"]
        )
        assert {r for _h, _t, r in ind._OUT_OF_TOWN[split]}.isdisjoint(
            r for _h, _t, r in ind._OUT_OF_TOWN["heldout4"]
        )


def _h4_places() -> list[str]:
    places = [s for roads in ind._STREETS["heldout4"].values() for s in roads]
    places += [v for _d, v in ind._NEW_VILLAGES["heldout4"]] + [v for _d, _t, v in ind._VILLAGES["heldout4"]]
    places += [r for _h, _t, r in ind._OUT_OF_TOWN["heldout4"]]
    places += [v for _h, _t, v in h4._RURAL_OTHER] + [t for _h, t, _v in h4._RURAL_OTHER]
    return places


def test_heldout4_place_and_name_pool_entries_never_occur_in_earlier_text():
    compound_words = [c + g for c in h4._H4_COMPOUND for g in h4._H4_WORD_GIVEN]
    korean = [g for gs in h4._KOREAN.values() for g in gs]
    for split in EARLIER:
        text = "\n".join(n["text"] for n in corpus(split))
        assert [p for p in _h4_places() if p in text] == [], split
        assert [c for c in h4._H4_COMPOUND if c in text] == [], split
        assert [w for w in compound_words + korean if w in text] == [], split


def test_every_heldout4_name_uses_the_heldout4_pools():
    p4 = ind._pools("heldout4")
    given = set(p4.given_m + p4.given_f)
    for e in (e for n in corpus("heldout4") for e in n["identifiers"] if e["kind"] == "person_name"):
        v, form = e["value"], e["form"]
        if form in ("patient_with_context", "patient_no_context", "relative", "nurse", "doctor", "in_list",
                    "esign_timestamp"):  # fmt: skip
            assert v[0] in p4.surnames and v[1:] in given, e
        elif form in ("surname_title", "surname_kin_suffix"):
            assert (
                v in p4.surnames or v in p4.rare or v in p4.compound or v in {s for s, _g in p4.word_like}
            ), e
        elif form == "compound_word_name":
            assert v[:2] in p4.compound and v[2:] in h4._H4_WORD_GIVEN, e
        elif form == "korean_name":
            assert v[0] in h4._KOREAN_SURNAMES and v[1:] in {g for gs in h4._KOREAN.values() for g in gs}, e


# strings only heldout4's forms, styles and decoys write
_H4_MARKERS = (
    "检验报告单", "院前急救", "调度单号", "救护车", "签约", "理赔回访", "坐席", "通话时长", "医疗纠纷", "纠纷编号",
    "投诉编号", "出院带药", "取药号", "代取药人", "健康体检", "身高", "BMI", "ICD-11", "PHQ-9", "抖音", "微博",
    "香港身份证", "HKID", "身分證", "永久居留证", "绿卡", "昭和", "平成", "交叉口", "路口", "宿舍", "公寓", "板房",
    "。com", "+yb@", "年生", "生人", "检验者", "审核者", "洞", "叫号", "心理评估", "医调委", "住院号码是", "社保卡号是",
    "卡号是", "病案号是", "参保号是", " @", "@ ", ",,",
)  # fmt: skip


def test_heldout4_markers_never_occur_in_earlier_text():
    for split in EARLIER:
        text = "\n".join(n["text"] for n in corpus(split))
        assert [m for m in _H4_MARKERS if m in text] == [], split
        assert not re.search(r"1[3-9]\d[./·．_]\d{4}[./·．_]\d{4}", text), split  # punctuated mobile
        assert not re.search(r"1[3-9]\d{9}[/、；,／或]1[3-9]\d{9}", text), split  # two mobiles joined
        assert not re.search(r"\d{6}[./·．_]\d{8}[./·．_]\d{3}[\dX]", text), split  # punctuated ID
        assert not re.search(r"[\u4e00-\u9fff]{2}\d{7}\((?:\d|A)\)|[A-Z]\d{6}[(（][\dA][)）]", text), (
            split
        )  # HKID
        assert not re.search(r"(?:USA|KOR|JPN|DEU|FRA|GBR|CAN|AUS|SGP|ITA)31\d{10}", text), split
        assert not re.search(r"35(2[89]|[3-8]\d)\d{12}", text.replace(" ", "")), split  # JCB
        # spoken digits in groups (heldout2 and heldout3 dictate numbers, but in one run)
        assert not re.search(
            r"[零〇一二三四五六七八九幺洞]{2,4}[，、 ][零〇一二三四五六七八九幺洞]{2,4}", text
        ), split
    h4_text = "\n".join(n["text"] for n in corpus("heldout4"))
    assert [m for m in _H4_MARKERS if m not in h4_text] == []


# --- each new form is what its name says --------------------------------------------------------


def test_new_resident_id_forms():
    by = _by_form()
    for e in by[("resident_id", "hk_id")]:
        assert _hkid_ok(e["value"]), e
    for e in by[("resident_id", "tw_id")]:
        assert _twid_ok(e["value"]), e
    for e in by[("resident_id", "fpr_old15")]:
        m = re.fullmatch(r"([A-Z]{3})31\d{2}(\d{6})\d{2}", e["value"])
        assert m and m[1] in h4._FPR_COUNTRIES, e
        date(1900 + int(m[2][:2]), int(m[2][2:4]), int(m[2][4:]))  # a real date (YYMMDD)
    for e in by[("resident_id", "punct_separated")]:
        v = e["value"]
        assert re.search(r"[./·．_]", v) and _gb11643_ok(re.sub(r"[./·．_]", "", v)), e


def test_new_phone_forms():
    by = _by_form()
    for e in by[("phone", "punct_split")]:
        v = e["value"]
        assert re.search(r"[./·．_()]", v) and re.fullmatch(r"1[3-9]\d{9}", re.sub(r"\D", "", v)), e
        assert not re.search(r"[ -]", v), e  # not dev's spaced / dashed
    pairs = by[("phone", "joined_pair")]
    assert len(pairs) % 2 == 0
    for e in pairs:
        assert re.fullmatch(r"1[3-9]\d{9}", e["value"]), e
    for a in (e for e in pairs if e["labelled"]):
        text = a["note"]["text"]
        sep = text[a["end"]]
        assert sep in "/、；或,／", a
        assert re.match(r"1[3-9]\d{9}", text[a["end"] + 1 :]), a
    for e in by[("phone", "virtual_ext")]:
        assert re.fullmatch(r"1(70|71|65|67)\d{8}( ?转 ?|-|,,)\d{4}", e["value"]), e


def test_new_card_and_record_forms():
    by = _by_form()
    for e in by[("card_number", "spoken_digits")]:
        assert not re.search(r"\d", e["value"]) and re.fullmatch(r"[1-9]\d{8,9}", _unspeak(e["value"])), e
    for e in by[("card_number", "sscard_lowercase")]:
        assert re.fullmatch(r"[a-z]\d{8}", e["value"]), e
    for e in by[("hospital_record_no", "spoken_digits")]:
        assert not re.search(r"\d", e["value"]) and re.fullmatch(r"[1-9]\d{5,7}", _unspeak(e["value"])), e
    for e in by[("hospital_record_no", "dept_coded")]:
        m = re.fullmatch(r"([A-Z]{2})-?\d{7}", e["value"])
        assert m and m[1] in h4._DEPT_CODES and m[1] not in ("ZY", "MZ"), e
    for e in by[("hospital_record_no", "facility_prefixed")]:
        assert re.fullmatch(r"H31\d{9}[-_/:][1-9]\d{6}", e["value"]), e


def test_new_date_of_birth_forms_are_real_dates():
    by = _by_form()
    cn = str.maketrans("〇一二三四五六七八九", "0123456789")

    def cn_small(s: str) -> int:  # 十二 -> 12, 二十三 -> 23, 七 -> 7
        if "十" not in s:
            return int(s.translate(cn))
        tens, _, ones = s.partition("十")
        return int((tens or "一").translate(cn)) * 10 + (int(ones.translate(cn)) if ones else 0)

    for e in by[("date_of_birth", "month_day_only")]:
        m = re.fullmatch(
            r"([一二三四五六七八九十]+|\d{1,2})月([一二三四五六七八九十]+|\d{1,2})[日号]", e["value"]
        )
        assert m, e
        month, day = (
            (int(m[1]) if m[1].isdigit() else cn_small(m[1])),
            (int(m[2]) if m[2].isdigit() else cn_small(m[2])),
        )
        date(2000, month, day)  # 2000 is a leap year: 2月29日 is a real birthday
    eras = {
        "昭和": 1926,
        "平成": 1989,
        "令和": 2019,
        "大正": 1912,
        "S": 1926,
        "H": 1989,
        "R": 2019,
        "T": 1912,
    }
    for e in by[("date_of_birth", "japanese_era")]:
        m = re.fullmatch(
            r"(昭和|平成|令和|大正)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日|([SHRT])(\d{1,2})\.(\d{1,2})\.(\d{1,2})",
            e["value"],
        )
        assert m, e
        if m[1]:
            y = eras[m[1]] + (0 if m[2] == "元" else int(m[2]) - 1)
            d = date(y, int(m[3]), int(m[4]))
        else:
            d = date(eras[m[5]] + int(m[6]) - 1, int(m[7]), int(m[8]))
        assert h4.japanese_era(d)[2] == (int(m[6]) if m[5] else 1 if m[2] == "元" else int(m[2])), e
    for e in by[("date_of_birth", "mixed_cn_digits")]:
        v = e["value"]
        assert re.search(r"\d", v) and re.search(r"[〇一二三四五六七八九十]", v), e
        m = re.fullmatch(
            r"(\d{4}|[〇一二三四五六七八九]{4})年(\d{1,2}|[一二三四五六七八九十]+)月(\d{1,2}|[一二三四五六七八九十]+)日",
            v,
        )
        assert m, e
        y = int(m[1].translate(cn))
        date(
            y,
            int(m[2]) if m[2].isdigit() else cn_small(m[2]),
            int(m[3]) if m[3].isdigit() else cn_small(m[3]),
        )


def test_new_bank_email_contact_forms():
    by = _by_form()
    for e in by[("bank_card", "jcb")]:
        num = e["value"].replace(" ", "")
        assert re.fullmatch(r"35(2[89]|[3-8]\d)\d{12}", num) and luhn_ok(num), e
    for e in by[("bank_card", "spoken_digits")]:
        num = _unspeak(e["value"])
        assert not re.search(r"\d", e["value"]) and re.fullmatch(r"62\d{14}(\d{3})?", num) and luhn_ok(num), e
    for e in by[("bank_card", "bank_name_glued")]:
        text = e["note"]["text"]
        assert text[e["start"] - 4 : e["start"]] in h4._BANKS, e
        assert re.fullmatch(r"62\d{14}(\d{3})?", e["value"]) and luhn_ok(e["value"]), e
    for e in by[("email", "spaced_at")]:
        assert re.fullmatch(r"[a-z0-9._]+ ?@ ?[a-z0-9.]+", e["value"]) and " " in e["value"], e
    for e in by[("email", "cn_period_dot")]:
        assert re.fullmatch(r"[a-z0-9._]+@[a-z0-9]+(。com)(。cn)?", e["value"]), e
    for e in by[("email", "plus_tag")]:
        assert re.fullmatch(r"[a-z0-9.]+\+[a-z]+@[a-z0-9.]+\.com", e["value"]), e
    for e in by[("other_contact", "douyin_id")]:
        assert re.fullmatch(r"dy\d{10}|[a-z]+\d{4}|[a-z]+\.[a-z]+\d{2}|[1-9]\d{8,10}", e["value"]), e
    for e in by[("other_contact", "weibo_handle")]:
        assert e["value"].startswith("@") and re.search(r"[\u4e00-\u9fff]", e["value"]), e


def test_new_address_forms():
    by = _by_form()
    checks = {
        "alnum_room": r".*\d+号(楼)?[A-FT](栋[A-D])?\d+(-\d+)?室?|.*\d+号[A-FT]\d-\d+",
        "rural_other_province": r".*(乡|镇)[\u4e00-\u9fff]{1,3}村(\d+组\d+号|[一二三四五六七八九十]+组|\d+组|村民组)",
        "crossroad": r".*(交叉口|路口|近).*",
        "dormitory": r".*(职工宿舍|员工公寓|工地板房|学生公寓|人才公寓).*",
    }
    for form, pattern in checks.items():
        for e in by[("address", form)]:
            assert re.fullmatch(pattern, e["value"]), (form, e["value"])
    for e in by[("address", "rural_other_province")]:
        assert not e["value"].startswith("上海"), e


def test_new_person_name_forms():
    by = _by_form()
    suffixes = {x for xs in h4._KIN_SUFFIX.values() for x in xs}
    for e in by[("person_name", "surname_kin_suffix")]:
        assert len(e["value"]) == 1 and e["note"]["text"][e["end"]] in suffixes, e
    for e in by[("person_name", "esign_timestamp")]:
        text = e["note"]["text"]
        assert re.match(r"20\d{2}[-.]?\d{2}", text[e["end"] :]), e  # the timestamp is glued on
        assert any(d["start"] == e["end"] and d["kind"] == "visit_date" for d in e["note"]["decoys"]), e
    assert len({e["value"] for e in by[("person_name", "korean_name")]}) >= 20
    assert len({e["value"] for e in by[("person_name", "compound_word_name")]}) >= 20


def test_check_characters_and_eras_match_their_sources():
    # examples given by the pages cited in HELDOUT4.md
    assert h4.hkid_check("A", "123456") == "3" and h4.hkid_check("E", "364912") == "5"
    assert h4.hkid_check("AB", "987654") == "3" and h4.hkid_check("D", "288754") == "2"
    assert h4.twid_check("A12345678") == "9"
    assert h4.japanese_era(date(1956, 3, 7)) == ("昭和", "S", 31)
    assert h4.japanese_era(date(1989, 1, 7)) == ("昭和", "S", 64)
    assert h4.japanese_era(date(1989, 1, 8)) == ("平成", "H", 1)
    assert h4.japanese_era(date(2019, 5, 1)) == ("令和", "R", 1)
    assert _unspeak("幺三洞，二四五") == "130245" and _unspeak("一二a") == ""


def test_heldout4_decoys_have_their_formats_and_kinds():
    patterns = {
        "birth_year_only": r"(19|20)\d{2}年|\d{2}年",
        "dispatch_no": r"20\d{6}\d{5,6}",
        "vehicle_plate": r"沪[A-G]·?[0-9]{2}[0-9A-Z][0-9]{2}",
        "ref_range": r"[<>]?\d+(\.\d+)?(-\d+(\.\d+)?)?",
        "scale_score": r"\d{1,2}分|\d{2}/30",
        "call_duration": r"\d{2}:\d{2}|00:\d{2}:\d{2}|\d{1,2}分\d{1,2}秒",
        "pickup_no": r"[A-D]\d{3}|\d{4}",
        "complaint_no": r"TS20\d{10}|YW-20\d{2}-\d{4}",
        "icd11_code": r"[67][A-C]\d{2}(\.\d)?",
        "body_measure": r"\d{3}cm|\d{2,3}\.\dkg|\d{1,2}\.\d",
    }
    seen: Counter = Counter()
    for n in corpus("heldout4"):
        for d in n["decoys"]:
            if d["kind"] in patterns:
                assert re.fullmatch(patterns[d["kind"]], d["value"]), d
                seen[d["kind"]] += 1
        # a year alone never carries the month: it is not a date of birth
        for d in n["decoys"]:
            if d["kind"] == "birth_year_only":
                assert "月" not in n["text"][d["end"] : d["end"] + 3], (n["note_id"], d)
    assert all(seen[k] >= 15 for k in patterns), seen
    kinds = Counter(d["kind"] for n in corpus("heldout4") for d in n["decoys"])
    assert set(kinds) <= set(ind.SPLIT_DECOY_KINDS["heldout4"]) and set(h4.HELDOUT4_DECOY_KINDS) <= set(kinds)


# --- the evaluator on heldout4 (a fake redactor: the de-identifier is not run here) ------------


def _blank_spans(note: dict, groups: tuple[str, ...]) -> str:
    text = note["text"]
    for e in sorted((e for g in groups for e in note[g]), key=lambda e: -e["start"]):
        text = text[: e["start"]] + "<X>" + text[e["end"] :]
    return text


def test_evaluator_reports_every_heldout4_kind_including_other_contact():
    from bench.deid_eval.value_scoring import score_notes

    notes = list(corpus("heldout4")[:200])
    by_text = {n["text"]: n for n in notes}
    perfect = score_notes(notes, lambda t: _blank_spans(by_text[t], ("identifiers",)))
    assert set(perfect["recall_by_kind"]) == set(ind.SPLIT_KINDS["heldout4"])
    assert all(f["n"] > 0 and f["rate"] == 1.0 for f in perfect["recall_by_kind"].values()), perfect[
        "recall_by_kind"
    ]
    assert {k.split("/")[1] for k in perfect["recall_by_form"]} >= {f for _k, f in _novel()}
    assert perfect["decoys_kept"]["rate"] > 0.97
    nothing = score_notes(notes, lambda t: t)
    assert nothing["identifiers"]["rate"] == 0.0 and nothing["decoys_kept"]["rate"] == 1.0
    assert nothing["recall_by_kind"]["other_contact"]["rate"] == 0.0
    over = score_notes(notes, lambda t: _blank_spans(by_text[t], ("identifiers", "decoys")))
    assert over["decoys_kept"]["rate"] < 0.05 and set(over["decoys_kept_by_kind"]) >= set(
        h4.HELDOUT4_DECOY_KINDS
    )


def test_benchmark_cli_passes_heldout4_through(monkeypatch, capsys):
    from bench.deid_eval import __main__ as cli

    calls = []

    def fake_run_evaluation(**kwargs):
        calls.append(kwargs)
        return {"split": kwargs["split"], "target_failures": []}

    monkeypatch.setattr(cli, "run_evaluation", fake_run_evaluation)
    assert cli.main(["--split", "heldout4", "--notes", "5", "--stock-notes", "0", "--json"]) == 0
    assert calls[0]["split"] == "heldout4" and calls[0]["notes"] == 5
    assert json.loads(capsys.readouterr().out)["split"] == "heldout4"


def test_heldout4_md_lists_every_form_style_and_decoy():
    doc = (Path(h4.__file__).parent / "HELDOUT4.md").read_text(encoding="utf-8")
    assert doc.lstrip().startswith("# heldout4") and "do not read this file" in doc[:600]
    for kind, forms in h4.HELDOUT4_ONLY.items():
        for f in forms:
            assert f"`{f}`" in doc, (kind, f)
    for kind in h4.HELDOUT4_DECOY_KINDS:
        assert f"`{kind}`" in doc, kind
