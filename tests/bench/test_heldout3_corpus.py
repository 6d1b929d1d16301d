"""heldout3 of the independent de-identification corpus (bench/deid_eval/heldout3.py): unit tests.

If you develop or tune the de-identifier, do not read this file: it names the forms heldout3
measures generalisation on (see bench/deid_eval/HELDOUT3.md). The checks that every split shares
(offsets, overlaps, unannotated digit runs, check characters of dev forms, pool disjointness of the
context names and streets) are in test_independent_corpus.py, which runs them on heldout3 too.
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
from bench.deid_eval import independent as ind

EARLIER = ("dev", "heldout", "heldout2")


def _novel() -> set[tuple[str, str]]:
    return novel(h3.HELDOUT3_ONLY)


def _by_form() -> dict[tuple[str, str], list[dict]]:
    return by_form("heldout3")


_FW = {chr(c + 0xFEE0): chr(c) for c in range(0x21, 0x7F)}
_OCR_BACK = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "Z": "2", "S": "5", "B": "8", "b": "6", "×": "X"}
)
_CN_NUM = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _ascii(s: str) -> str:
    return "".join(_FW.get(ch, ch) for ch in s)


# --- the other splits are untouched ------------------------------------------------------------

# sha256 of the JSON Lines of 600 notes, seed 1, as main() writes them, recorded before heldout3
# existed (commit 32abc26): adding heldout3 must not change any earlier split
_HASHES_BEFORE_HELDOUT3 = {
    "dev": "5b10a5630b64b0dd96b54873f4b10256edbd6a39cbab48a5d5ae8cfb09c8d59d",
    "heldout": "7d7bed5886800cd2554b3abd38a7e98e5388d62ad703e72eca4b3cfc0c772512",
    "heldout2": "fb30d808c27d845a140897da436f2b9389028f845e645e36ec209a702f8cd911",
}


@pytest.mark.parametrize("split", EARLIER)
def test_earlier_splits_are_byte_identical_to_before_heldout3(split):
    assert jsonl_sha256(split) == _HASHES_BEFORE_HELDOUT3[split]


def test_cli_writes_heldout3(tmp_path, capsys):
    out = tmp_path / "h3.jsonl"
    assert ind.main(["--split", "heldout3", "--n", "5", "--seed", "3", "--out", str(out)]) == 0
    assert [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] == ind.generate(
        5, 3, "heldout3"
    )
    assert "wrote 5 heldout3 notes" in capsys.readouterr().err


def test_heldout3_is_generated_but_not_among_the_iterated_splits():
    # code that loops over SPLITS (the de-identifier's own tests) must not run heldout3 by accident
    assert "heldout3" not in ind.SPLITS and ind.ALL_SPLITS == (
        *ind.SPLITS,
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
    )
    with pytest.raises(SystemExit):
        ind.main(["--split", "heldout7", "--n", "1", "--out", "-"])


def test_note_i_depends_only_on_seed_split_and_i():
    assert ind.generate(30, 5, "heldout3") == ind.generate(30, 5, "heldout3")
    assert ind.generate(10, 5, "heldout3") == ind.generate(30, 5, "heldout3")[:10]
    assert [n["text"] for n in ind.generate(10, 5, "heldout3")] != [
        n["text"] for n in ind.generate(10, 6, "heldout3")
    ]
    # generating another split in between changes nothing
    first = ind.generate(8, 2, "heldout3")
    ind.generate(8, 2, "heldout2")
    ind.generate(8, 2, "dev")
    assert ind.generate(8, 2, "heldout3") == first


# --- forms: new ones are new, the baseline is kept ---------------------------------------------


def test_heldout3_only_forms_are_in_no_earlier_split():
    novel = _novel()
    for split in EARLIER:
        seen = {(e["kind"], e["form"]) for n in corpus(split) for e in n["identifiers"]}
        assert novel & seen == set(), split
        for kind, forms in ind.FORMS[split].items():
            assert set(forms).isdisjoint(h3.HELDOUT3_ONLY.get(kind, ())), (split, kind)
        assert {n["style"] for n in corpus(split)} & set(h3.HELDOUT3_ONLY["style"]) == set(), split
        decoys = {d["kind"] for n in corpus(split) for d in n["decoys"]}
        assert decoys & set(h3.HELDOUT3_DECOY_KINDS) == set(), split
    for kind in h3.HELDOUT3_ONLY:
        if kind != "style":
            assert set(h3.HELDOUT3_ONLY[kind]).isdisjoint(
                ind.HELDOUT_ONLY.get(kind, ()) + ind.HELDOUT2_ONLY.get(kind, ())
            )
    earlier_styles = set(ind.STYLES["heldout"]) | set(ind.STYLES["heldout2"])
    assert set(h3.HELDOUT3_ONLY["style"]).isdisjoint(earlier_styles)
    earlier_decoys = set(ind.DECOY_KINDS) | set(ind.HELDOUT2_DECOY_KINDS)
    assert set(h3.HELDOUT3_DECOY_KINDS).isdisjoint(earlier_decoys)


def test_heldout3_holds_every_dev_form_and_style_and_no_burned_form():
    seen = Counter((e["kind"], e["form"]) for n in corpus("heldout3") for e in n["identifiers"])
    dev = {(k, f) for k, fs in ind.FORMS["dev"].items() for f in fs}
    assert dev <= set(seen)
    assert _novel() <= set(seen)
    held_only = {(k, f) for k, fs in ind.HELDOUT_ONLY.items() if k != "style" for f in fs}
    h2_only = {
        (k, f) for k, fs in ind.HELDOUT2_ONLY.items() if k not in ("style", "other_contact") for f in fs
    }
    assert set(seen) & (held_only | h2_only) == set()
    assert min(seen.values()) >= 10, sorted(seen.items(), key=lambda kv: kv[1])[:5]
    styles = Counter(n["style"] for n in corpus("heldout3"))
    assert (
        set(styles) == set(ind.STYLES["heldout3"]) == set(ind.STYLES["dev"]) | set(h3.HELDOUT3_ONLY["style"])
    )
    assert min(styles.values()) >= 30
    assert set(ind.SPLIT_KINDS["heldout3"]) == set(ind.IDENTIFIER_KINDS) | {"other_contact"}


def test_heldout3_share_of_new_forms():
    ids = [e for n in corpus("heldout3") for e in n["identifiers"]]
    novel = _novel()
    share = sum((e["kind"], e["form"]) in novel for e in ids) / len(ids)
    assert 0.28 <= share <= 0.38, share  # about a third
    for kind in ind.SPLIT_KINDS["heldout3"]:
        of_kind = [e for e in ids if e["kind"] == kind]
        s = sum((e["kind"], e["form"]) in novel for e in of_kind) / len(of_kind)
        assert 0.15 <= s < 0.5, (kind, s)  # some new forms, a majority of baseline ones
        assert all(e["form"] in h3.BASELINE_FORMS[kind] + h3.HELDOUT3_ONLY[kind] for e in of_kind)
    assert 8 <= len(ids) / N <= 10
    assert sum(e["labelled"] for e in ids if (e["kind"], e["form"]) in novel) > 0.6 * sum(
        (e["kind"], e["form"]) in novel for e in ids
    )


# --- pools ------------------------------------------------------------------------------------


def test_heldout3_pools_are_disjoint_from_every_earlier_split():
    p3 = ind._pools("heldout3")
    assert len(p3.surnames) >= 30 and len(p3.given_m) >= 30 and len(p3.given_f) >= 30
    for split in EARLIER:
        p = ind._pools(split)
        assert set(p3.surnames).isdisjoint(p.surnames), split
        assert set(p3.given_m + p3.given_f).isdisjoint(p.given_m + p.given_f), split
        assert set(p3.rare).isdisjoint(p.rare) and set(p3.compound).isdisjoint(p.compound), split
        assert set(p3.word_like).isdisjoint(p.word_like), split
        assert {s + g for s, g in p3.word_like}.isdisjoint({s + g for s, g in p.word_like}), split
        # no heldout3 surname is another split's rare, compound or word-like surname either
        others = set(p.rare) | {ch for c in p.compound for ch in c}
        assert set(p3.surnames).isdisjoint(others), split
        streets = {s for roads in ind._STREETS[split].values() for s in roads}
        assert streets.isdisjoint(s for roads in ind._STREETS["heldout3"].values() for s in roads), split
        assert {v for _d, v in ind._NEW_VILLAGES[split]}.isdisjoint(
            v for _d, v in ind._NEW_VILLAGES["heldout3"]
        )
        assert {v for _d, _t, v in ind._VILLAGES[split]}.isdisjoint(
            v for _d, _t, v in ind._VILLAGES["heldout3"]
        )
        assert {r for _h, _t, r in ind._OUT_OF_TOWN[split]}.isdisjoint(
            r for _h, _t, r in ind._OUT_OF_TOWN["heldout3"]
        )
    assert set(h3._H3_GIVEN_M) & set(p3.given_m)  # the filter left most of the own list
    assert (
        len(set(p3.given_m)) / len(h3._H3_GIVEN_M) > 0.6 and len(set(p3.given_f)) / len(h3._H3_GIVEN_F) > 0.6
    )


def test_heldout3_place_names_never_occur_in_earlier_text():
    places = [s for roads in ind._STREETS["heldout3"].values() for s in roads]
    places += [v for _d, v in ind._NEW_VILLAGES["heldout3"]] + [v for _d, _t, v in ind._VILLAGES["heldout3"]]
    places += [e for _d, e in h3._ESTATES] + [h for _d, h in h3._CARE_HOMES] + list(h3._LILONG)
    for split in EARLIER:
        text = "\n".join(n["text"] for n in corpus(split))
        assert [p for p in places if p in text] == [], split


def test_every_heldout3_name_uses_the_heldout3_pools():
    p3 = ind._pools("heldout3")
    given = set(p3.given_m + p3.given_f)
    for e in (e for n in corpus("heldout3") for e in n["identifiers"] if e["kind"] == "person_name"):
        v, form = e["value"], e["form"]
        if form in ("patient_with_context", "patient_no_context", "relative", "nurse", "doctor", "in_list"):
            assert v[0] in p3.surnames and v[1:] in given, e
        elif form in ("surname_title", "surname_honorific", "surname_other_title"):
            assert (
                v in p3.surnames or v in p3.rare or v in p3.compound or v in {s for s, _g in p3.word_like}
            ), e
        elif form == "given_only":
            assert v in given or v in {g for _s, g in p3.word_like}, e


# strings only heldout3's forms, styles and decoys write
_H3_MARKERS = (
    "0086-", "0086 ", "(+86)", "（+86）", "＋86", "+86-21", "出生医学证明", "学籍号", "军官证", "残疾",
    "EMPI", "主索引", "健康档案", "腕带", "病案首页", "微信聊天记录", "小名", "之女", "之子", "姓名缩写", "受试者",
    "病理号", "处方号", "血袋号", "献血", "快递", "人民币", "大写", "敬老院", "护理院", "家宅", "家埭", "(at)",
    "[at]", " dot ", "E+0", "×10⁹", "生后", "大夫", "院长", "药师", "技师", "护师", "阿姨", "先生", "女士", "师傅",
    "老伯", "阿婆", "Linda", "Tony", "号出生", "号生", "出生年月", "手术操作编码", "手术编码", "门诊特殊病",
    "长期护理保险", "异地就医", "OCR",
)  # fmt: skip


def test_heldout3_markers_never_occur_in_earlier_text():
    for split in EARLIER:
        text = "\n".join(n["text"] for n in corpus(split))
        assert [m for m in _H3_MARKERS if m in text] == [], split
        ocr_like = [
            e["value"]
            for n in corpus(split)
            for e in n["identifiers"]
            if e["kind"] in ("resident_id", "phone") and re.search(r"\d[OolIZSBb×]\d|\d×$", e["value"])
        ]
        assert ocr_like == [], split  # OCR-confused digits
        assert not re.search(r"[〇零一二三四五六七八九]{17}", text), split  # an ID in Chinese numerals
        assert not re.search(r"[０-９]{4}　[０-９]{4}", text), split  # fullwidth card groups
        assert not re.search(r"\d{4}-\d{4}-\d{4}-\d{4}", text), split  # dashed card
        assert "#" not in text and "*Z" not in text, split
    h3_text = "\n".join(n["text"] for n in corpus("heldout3"))
    assert [m for m in _H3_MARKERS if m not in h3_text] == []


# --- each new form is what its name says --------------------------------------------------------


def test_new_resident_id_forms():
    by = _by_form()
    for e in by[("resident_id", "ocr_confusion")]:
        v = e["value"]
        assert re.search(r"[OoDlIZSBb×]", v) and _gb11643_ok(v.translate(_OCR_BACK)), e
    for e in by[("resident_id", "cn_numerals")]:
        assert re.fullmatch(r"[〇零一二三四五六七八九]{17}[〇零一二三四五六七八九X]", e["value"]), e
        assert _gb11643_ok(e["value"].translate(_CN_NUM)), e
    for e in by[("resident_id", "birth_cert_no")]:
        assert re.fullmatch(r"[O-TX]31\d{7}", e["value"]), e
    for e in by[("resident_id", "student_no")]:
        assert e["value"][0] == "G" and _gb11643_ok(e["value"][1:]), e
        born = int(e["value"][7:11])
        assert e["note"]["note_id"] and 2000 <= born, e  # a school child
    for e in by[("resident_id", "cn_passport")]:
        assert re.fullmatch(r"E\d{8}|E[A-H]\d{7}", e["value"]), e
    for e in by[("resident_id", "military_id")]:
        assert re.fullmatch(r"军字第\d{7}号|军\d{7}|[海空南北]字第\d{7,8}号", e["value"]), e


def test_new_phone_forms():
    by = _by_form()
    for e in by[("phone", "intl_prefix")]:
        digits = re.sub(r"\D", "", _ascii(e["value"]))
        assert re.fullmatch(r"(0086|86)1[3-9]\d{9}", digits), e
        assert not re.fullmatch(r"\+86[ -]?1\d{10}", e["value"]), e  # not dev's mobile_plus86
    for e in by[("phone", "ocr_confusion")]:
        assert re.search(r"[OoDlIZSBb]", e["value"]) and re.fullmatch(
            r"1[3-9]\d{9}", e["value"].translate(_OCR_BACK)
        ), e
    for e in by[("phone", "char_spaced")]:
        assert (
            re.fullmatch(r"1( {1,2}\d){10}", e["value"]) and len(set(re.findall(r" +", e["value"]))) == 1
        ), e
    for e in by[("phone", "landline_ext")]:
        assert re.fullmatch(r"(021-|\(021\))?[2-6]\d{7}(转|-| ext\.| 分机)\d{3,4}", e["value"]), e
    for e in by[("phone", "landline_intl")]:
        assert re.fullmatch(r"(00|\+|\()86.*", e["value"]) and re.sub(r"\D", "", e["value"]).endswith(
            re.sub(r"\D", "", e["value"])[-8:]
        ), e
        assert re.fullmatch(r"(0086|86)21[2-6]\d{7}", re.sub(r"\D", "", e["value"])), e


def test_new_card_and_record_forms():
    by = _by_form()
    for e in by[("card_number", "yb_code_spaced")]:
        assert re.fullmatch(r"31\d{18}", re.sub(r"[ -]", "", e["value"])) and re.search(
            r"[ -]", e["value"]
        ), e
    for e in by[("card_number", "yb_code_wrapped")]:
        assert re.fullmatch(r"31\d{4,14}\r?\n( {2})?\d{4,14}", e["value"]), e
        assert len(re.sub(r"\s", "", e["value"])) == 20, e
    for e in by[("card_number", "disability_cert")]:
        v = e["value"]
        assert len(v) == 20 and _gb11643_ok(v[:18]) and v[18] in "1234567" and v[19] in "1234", e
    for e in by[("card_number", "ocr_confusion")]:
        assert re.search(r"[OoDlIZSBb]", e["value"]) and re.fullmatch(
            r"[1-9]\d{8}", e["value"].translate(_OCR_BACK)
        ), e
    for e in by[("hospital_record_no", "empi_id")]:
        assert re.fullmatch(r"100\d{9}|EM\d{10}|P\d{11}", e["value"]), e
    for e in by[("hospital_record_no", "health_file_no")]:
        assert re.fullmatch(r"31\d{15}", e["value"]) and e["value"][:6] in ind._SH_AREA_CODES, e
    for e in by[("hospital_record_no", "barcode_asterisk")]:
        assert re.fullmatch(r"\*(\d{7}|ZY\d{7}|\d{10})\*", e["value"]), e


def test_new_date_of_birth_forms_are_real_dates():
    by = _by_form()

    def ok(y: int, m: int, d: int | None = None) -> bool:
        try:
            date(y, m, d or 1)
        except ValueError:
            return False
        return 1900 < y <= 2025

    for e in by[("date_of_birth", "day_first")]:
        d, m, y = map(int, re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", e["value"]).groups())
        assert ok(y, m, d), e
    months = {m: i + 1 for i, m in enumerate(h3._MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(h3._MONTHS)}
    for e in by[("date_of_birth", "en_long")]:
        g = re.fullmatch(r"(?:(\d{1,2}) ([A-Z][a-z]+) (\d{4})|([A-Z][a-z]+) (\d{1,2}),? (\d{4}))", e["value"])
        assert g, e
        d, mon, y = (g[1], g[2], g[3]) if g[1] else (g[5], g[4], g[6])
        assert ok(int(y), months[mon], int(d)), e
    for e in by[("date_of_birth", "fullwidth")]:
        v = _ascii(e["value"])
        assert v != e["value"], e
        y, m, d = map(int, re.fullmatch(r"(\d{4})(?:年|-)(\d{2}|\d{1,2})(?:月|-)(\d{1,2})日?", v).groups())
        assert ok(y, m, d), e
    for e in by[("date_of_birth", "year_month_numeric")]:
        y, m = map(int, re.fullmatch(r"(\d{4})[-./]?(\d{1,2})", e["value"]).groups())
        assert ok(y, m), e
    for e in by[("date_of_birth", "hao_day")]:
        assert e["value"].endswith("号") and "日" not in e["value"], e


def test_new_bank_email_contact_forms():
    by = _by_form()
    for e in by[("bank_card", "amex")]:
        num = re.sub(r"[ -]", "", e["value"])
        assert re.fullmatch(r"3[47]\d{13}", num) and luhn_ok(num), e
    for e in by[("bank_card", "unionpay_dashed")]:
        assert re.fullmatch(r"62\d{2}(-\d{4}){3}(-\d{3})?", e["value"]) and luhn_ok(
            e["value"].replace("-", "")
        ), e
    for e in by[("bank_card", "fullwidth")]:
        num = _ascii(e["value"]).replace("\u3000", "")
        assert num != e["value"] and re.fullmatch(r"62\d{14}(\d{3})?", num) and luhn_ok(num), e
    for e in by[("email", "mobile_local")]:
        assert re.fullmatch(r"1[3-9]\d{9}@(139\.com|163\.com|189\.cn|wo\.cn|126\.com)", e["value"]), e
    for e in by[("email", "hash_at")]:
        assert re.fullmatch(r"[a-z0-9._]+#[a-z0-9.]+", e["value"]) and "@" not in e["value"], e
    for e in by[("email", "at_word")]:
        assert re.fullmatch(
            r"[a-z0-9._]+( at | AT |\(at\)|\[at\])[a-z0-9]+( dot | DOT |\.)com", e["value"]
        ), e
    for e in by[("other_contact", "qq_cn_numerals")]:
        assert re.fullmatch(r"[1-9]\d{7,9}", e["value"].translate(_CN_NUM)) and not re.search(
            r"\d", e["value"]
        ), e
    for e in by[("other_contact", "wechat_fullwidth")]:
        assert all("\uff01" <= ch <= "\uff5e" for ch in e["value"]) and re.fullmatch(
            r"[a-z]+_?[a-z]+\d+", _ascii(e["value"])
        ), e


def test_new_address_forms():
    by = _by_form()
    checks = {
        "lilong_name": r".*(里|坊|邨|胡同)\d+号.*",
        "hamlet_zhai": r".*村[陆沈顾朱姚杨倪金]家(宅|埭|角)(\d+号)?",
        "estate_phase": r".*([一二三四\d]期|[A-F]座).*",
        "cn_numeral_numbers": r"[^\d]*路[一二三四五六七八九十百千零〇]+(弄[一二三四五六七八九十百千零〇]+)?号([一二三四五六七八九零〇]+室)?",
        "with_postcode": r"(\d{6} ?上海.*|上海市.*（\d{6}）)",
        "care_home": r".*(敬老院|护理院|养老院|福利院).*",
    }
    for form, pattern in checks.items():
        for e in by[("address", form)]:
            assert re.fullmatch(pattern, e["value"]), (form, e["value"])


def test_new_person_name_forms():
    by = _by_form()
    p3 = ind._pools("heldout3")
    for e in by[("person_name", "married_name")]:
        v = e["value"]
        assert (len(v) == 3 and v.endswith("氏")) or (
            len(v) in (3, 4) and v[0] in p3.surnames and v[1] in p3.surnames
        ), v
    for e in by[("person_name", "surname_honorific")]:
        text = e["note"]["text"]
        assert len(e["value"]) == 1 and text[e["end"] : e["end"] + 2] in {
            x for xs in h3._HONORIFIC.values() for x in xs
        }, e
    for e in by[("person_name", "surname_other_title")]:
        assert e["note"]["text"][e["end"] : e["end"] + 2] in h3._OTHER_TITLES, e
    for e in by[("person_name", "given_only")]:
        assert e["note"]["text"][e["start"] - 2 : e["start"]] == "患儿", e
    for e in by[("person_name", "milk_name")]:
        assert e["value"] in h3._MILK_NAMES, e
    for e in by[("person_name", "newborn_of_mother")]:
        text = e["note"]["text"]
        assert text[e["end"] : e["end"] + 2] in ("之女", "之子") or text[e["end"]] == "婴", e
        assert e["note"]["style"] == "pediatric"
    for e in by[("person_name", "pinyin_initials")]:
        assert re.fullmatch(r"[A-Z]{2,4}|([A-Z]\.){2,4}|[A-Z](-[A-Z]){1,3}", e["value"]), e
    for e in by[("person_name", "english_given_name")]:
        eng = "|".join(x for xs in h3._ENGLISH_GIVEN.values() for x in xs)
        assert re.fullmatch(rf"({eng}) [A-Za-z]+|({eng})\w|\w({eng})", e["value"]), e


def test_initials_and_capital_amounts():
    assert h3._initial("张") == "Z" and h3._initial("建") == "J" and h3._initial("华") == "H"
    assert h3._initial("万") == "M" and h3._initial("俟") == "Q"  # 万俟 is read Moqi
    assert h3.capital_amount(23456, 7) == "人民币贰万叁仟肆佰伍拾陆元柒角"
    assert h3.capital_amount(10005, 0) == "人民币壹万零伍元整"
    assert h3.capital_amount(100, 0) == "人民币壹佰元整"
    assert h3.capital_amount(30, 3) == "人民币叁拾元叁角"
    assert (
        h3._cn_number(1239) == "一千二百三十九"
        and h3._cn_number(1005) == "一千零五"
        and h3._cn_number(35) == "三十五"
    )


def test_heldout3_decoys_have_their_formats_and_no_identifier_is_a_decoy_kind():
    patterns = {
        "pathology_no": r"S20\d{2}-\d{5}|F\d{2}-\d{5}|B20\d{7}|\d{2}-\d{5}",
        "prescription_no": r"(CF|RX)?20\d{11}",
        "blood_unit_no": r"31\d{12}",
        "courier_no": r"SF[1-9]\d{12}|JD\d{13}|YT\d{13}|EMS\d{10}",
        "amount_capital": r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万]+元([零壹贰叁肆伍陆柒捌玖]角|整)",
        "doc_date_cn": r"二〇[一二]\S年[一二三四五六七八九十]+月[一二三四五六七八九十]+日",
        "age_detail": r"生后\d+天|\d+月\d+天|\d+岁\d+个?月|\d{2}\+\d周",
        "sci_lab_value": r"\d\.\d{2}E\+0\d IU/mL|>\d\.\dE\+0\d IU/mL|1:\d+|\d+×10⁹/L",
        "proc_code": r"\d{2}\.\d{2}(\d{2})?|\d{2}\.\d{2}00x0\d{2}",
        "subject_no": r"SC?\d{3}|R\d{4}",
        "masked_name": r"\S{1,2}(\*\*|某某|某|\*\S)",
    }
    seen: Counter = Counter()
    for n in corpus("heldout3"):
        for d in n["decoys"]:
            if d["kind"] in patterns:
                assert re.fullmatch(patterns[d["kind"]], d["value"]), d
                seen[d["kind"]] += 1
    assert all(seen[k] >= 10 for k in patterns), seen
    kinds = Counter(d["kind"] for n in corpus("heldout3") for d in n["decoys"])
    assert set(kinds) == set(ind.SPLIT_DECOY_KINDS["heldout3"])


# --- the evaluator on heldout3 (a fake redactor: the de-identifier is not run here) ------------


def _blank_spans(note: dict, groups: tuple[str, ...]) -> str:
    text = note["text"]
    for e in sorted((e for g in groups for e in note[g]), key=lambda e: -e["start"]):
        text = text[: e["start"]] + "<X>" + text[e["end"] :]
    return text


def test_evaluator_reports_every_heldout3_kind_including_other_contact():
    from bench.deid_eval.value_scoring import score_notes

    notes = list(corpus("heldout3")[:120])
    by_text = {n["text"]: n for n in notes}
    perfect = score_notes(notes, lambda t: _blank_spans(by_text[t], ("identifiers",)))
    assert set(perfect["recall_by_kind"]) == set(ind.SPLIT_KINDS["heldout3"])
    assert all(f["n"] > 0 and f["rate"] == 1.0 for f in perfect["recall_by_kind"].values()), perfect[
        "recall_by_kind"
    ]
    assert {k.split("/")[1] for k in perfect["recall_by_form"]} >= {f for _k, f in _novel()} - {"student_no"}
    assert perfect["decoys_kept"]["rate"] > 0.97
    nothing = score_notes(notes, lambda t: t)
    assert nothing["identifiers"]["rate"] == 0.0 and nothing["decoys_kept"]["rate"] == 1.0
    assert nothing["recall_by_kind"]["other_contact"]["rate"] == 0.0
    over = score_notes(notes, lambda t: _blank_spans(by_text[t], ("identifiers", "decoys")))
    assert over["decoys_kept"]["rate"] < 0.05 and set(over["decoys_kept_by_kind"]) >= set(
        h3.HELDOUT3_DECOY_KINDS
    )


def test_benchmark_cli_passes_heldout3_through(monkeypatch, capsys):
    from bench.deid_eval import __main__ as cli

    calls = []

    def fake_run_evaluation(**kwargs):
        calls.append(kwargs)
        return {"split": kwargs["split"], "target_failures": []}

    monkeypatch.setattr(cli, "run_evaluation", fake_run_evaluation)
    assert cli.main(["--split", "heldout3", "--notes", "5", "--stock-notes", "0", "--json"]) == 0
    assert calls[0]["split"] == "heldout3" and calls[0]["notes"] == 5
    assert json.loads(capsys.readouterr().out)["split"] == "heldout3"


def test_heldout3_md_lists_every_form_style_and_decoy():
    doc = (Path(h3.__file__).parent / "HELDOUT3.md").read_text(encoding="utf-8")
    assert doc.lstrip().startswith("# heldout3") and "do not read this file" in doc[:600]
    for kind, forms in h3.HELDOUT3_ONLY.items():
        for f in forms:
            assert f"`{f}`" in doc, (kind, f)
    for kind in h3.HELDOUT3_DECOY_KINDS:
        assert f"`{kind}`" in doc, kind
