"""heldout6 of the independent de-identification corpus (bench/deid_eval/heldout6.py): unit tests.

If you develop or tune the de-identifier, do not read this file: it names the forms heldout6
measures generalisation on (see bench/deid_eval/HELDOUT6.md). The checks that every split shares
(offsets, overlaps, unannotated digit runs, every form at least 10 times, check characters of dev
forms, pool disjointness of the context names and streets) are in test_independent_corpus.py, which
runs them on heldout6 too.

The de-identifier is not run here and privacy.deid is not imported: heldout6 is measured once, by
whoever runs the evaluation.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from corpus_helpers import N, by_form, corpus, jsonl_sha256, luhn_ok, novel
from corpus_helpers import gb11643_ok as _gb11643_ok

from bench.deid_eval import heldout3 as h3
from bench.deid_eval import heldout4 as h4
from bench.deid_eval import heldout5 as h5
from bench.deid_eval import heldout6 as h6
from bench.deid_eval import independent as ind

EARLIER = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")


def _novel() -> set[tuple[str, str]]:
    return novel(h6.HELDOUT6_ONLY)


def _by_form() -> dict[tuple[str, str], list[dict]]:
    return by_form("heldout6")


def _mrz_ok(field_with_check: str) -> bool:
    """ICAO Doc 9303 part 3, recomputed here: 0-9 as such, A-Z as 10-35, '<' as 0, weights 7 3 1
    repeating, sum mod 10 is the last character."""
    body, check = field_with_check[:-1], field_with_check[-1]
    vals = [int(ch) if ch.isdigit() else (ord(ch) - ord("A") + 10 if ch.isalpha() else 0) for ch in body]
    return sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(vals)) % 10 == int(check)


def _iban_ok(v: str) -> bool:
    """ISO 13616: first four characters moved to the end, letters as 10-35, the number mod 97 is 1."""
    s = v.replace(" ", "")
    moved = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


# --- the other splits are untouched ------------------------------------------------------------

# sha256 of the JSON Lines of 600 notes, seed 1, as main() writes them, computed on the untouched
# worktree before heldout6 existed (commit 419bcf9): adding heldout6, and the helpers that moved to
# heldout_common.py with it, must not change any earlier split
_HASHES_BEFORE_HELDOUT6 = {
    "dev": "5b10a5630b64b0dd96b54873f4b10256edbd6a39cbab48a5d5ae8cfb09c8d59d",
    "heldout": "7d7bed5886800cd2554b3abd38a7e98e5388d62ad703e72eca4b3cfc0c772512",
    "heldout2": "fb30d808c27d845a140897da436f2b9389028f845e645e36ec209a702f8cd911",
    "heldout3": "60203640658bddaa5a493d83a6c4dc09534f64d568582451851ee83dae2ec3cc",
    "heldout4": "b5aab68caee47a2ab41a81a7820977ef9972679a9e835718e5112c3aa6678794",
    "heldout5": "1d0a15ac61e160f23cd100a6096921891aa3a6d2eb2166e13e0830a00487f9f2",
}


@pytest.mark.parametrize("split", EARLIER)
def test_earlier_splits_are_byte_identical_to_before_heldout6(split):
    assert jsonl_sha256(split) == _HASHES_BEFORE_HELDOUT6[split]


def test_cli_writes_heldout6(tmp_path, capsys):
    out = tmp_path / "h6.jsonl"
    assert ind.main(["--split", "heldout6", "--n", "5", "--seed", "3", "--out", str(out)]) == 0
    assert [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] == ind.generate(
        5, 3, "heldout6"
    )
    assert "wrote 5 heldout6 notes" in capsys.readouterr().err


def test_heldout6_is_generated_but_not_among_the_iterated_splits():
    # code that loops over SPLITS (the de-identifier's own tests) must not run heldout6 by accident
    assert "heldout6" not in ind.SPLITS and ind.ALL_SPLITS[-1] == "heldout6"
    assert ind._HOOKS["heldout6"] is h6
    with pytest.raises(ValueError):
        ind.generate(1, 1, "heldout7")


def test_benchmark_cli_accepts_heldout6():
    # read, not run: importing bench.deid_eval.__main__ would import privacy.deid
    tree = ast.parse((Path(ind.__file__).parent / "__main__.py").read_text(encoding="utf-8"))
    choices = [
        kw.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and node.args and getattr(node.args[0], "value", None) == "--split"
        for kw in node.keywords
        if kw.arg == "choices"
    ]
    assert len(choices) == 1 and "heldout6" in ast.literal_eval(choices[0])


def test_note_i_depends_only_on_seed_split_and_i():
    assert ind.generate(30, 5, "heldout6") == ind.generate(30, 5, "heldout6")
    assert ind.generate(10, 5, "heldout6") == ind.generate(30, 5, "heldout6")[:10]
    assert [n["text"] for n in ind.generate(10, 5, "heldout6")] != [
        n["text"] for n in ind.generate(10, 6, "heldout6")
    ]
    first = ind.generate(8, 2, "heldout6")
    ind.generate(8, 2, "heldout5")
    ind.generate(8, 2, "dev")
    assert ind.generate(8, 2, "heldout6") == first
    # note 17 alone, without the 17 before it, is note 17 of the corpus
    assert ind._one("heldout6", 5, 17) == ind.generate(30, 5, "heldout6")[17]
    assert all(n["note_id"].startswith("heldout6-") for n in first)


def test_every_span_matches_and_long_digit_runs_are_annotated():
    # (test_independent_corpus.py checks this for every split; repeated here for the new styles)
    for note in corpus("heldout6"):
        text = note["text"]
        spans = []
        for group in ("identifiers", "decoys", "clinical_terms"):
            for e in note[group]:
                assert text[e["start"] : e["end"]] == e["value"], (note["note_id"], e)
                spans.append((e["start"], e["end"]))
        for m in re.finditer(r"[0-9０-９]{5,}", text):
            assert any(a <= m.start() and m.end() <= b for a, b in spans), (note["note_id"], m.group())


# --- forms: new ones are new, the baseline is kept ---------------------------------------------


def test_heldout6_only_forms_are_in_no_earlier_split():
    new = _novel()
    for split in EARLIER:
        seen = {(e["kind"], e["form"]) for n in corpus(split) for e in n["identifiers"]}
        assert new & seen == set(), split
        for kind, forms in ind.FORMS[split].items():
            assert set(forms).isdisjoint(h6.HELDOUT6_ONLY.get(kind, ())), (split, kind)
        assert {n["style"] for n in corpus(split)} & set(h6.HELDOUT6_ONLY["style"]) == set(), split
        decoys = {d["kind"] for n in corpus(split) for d in n["decoys"]}
        assert decoys & set(h6.HELDOUT6_DECOY_KINDS) == set(), split
    for kind in h6.HELDOUT6_ONLY:
        if kind != "style":
            earlier = (
                ind._SHARED_FORMS.get(kind, ())
                + ind.HELDOUT_ONLY.get(kind, ())
                + ind.HELDOUT2_ONLY.get(kind, ())
                + h3.HELDOUT3_ONLY.get(kind, ())
                + h4.HELDOUT4_ONLY.get(kind, ())
                + h5.HELDOUT5_ONLY.get(kind, ())
            )
            assert set(h6.HELDOUT6_ONLY[kind]).isdisjoint(earlier), kind
    earlier_styles = {s for split in EARLIER for s in ind.STYLES[split]}
    assert set(h6.HELDOUT6_ONLY["style"]).isdisjoint(earlier_styles)
    earlier_decoys = {k for split in EARLIER for k in ind.SPLIT_DECOY_KINDS[split]}
    assert set(h6.HELDOUT6_DECOY_KINDS).isdisjoint(earlier_decoys)


def test_heldout6_holds_every_dev_form_and_style_and_no_burned_form():
    seen = Counter((e["kind"], e["form"]) for n in corpus("heldout6") for e in n["identifiers"])
    dev = {(k, f) for k, fs in ind.FORMS["dev"].items() for f in fs}
    assert dev <= set(seen)
    assert _novel() <= set(seen)
    burned = (
        novel(ind.HELDOUT_ONLY) | novel(h3.HELDOUT3_ONLY) | novel(h4.HELDOUT4_ONLY) | novel(h5.HELDOUT5_ONLY)
    )
    burned |= {(k, f) for k, f in novel(ind.HELDOUT2_ONLY) if k != "other_contact"}
    assert set(seen) & burned == set()
    assert min(seen.values()) >= 10, sorted(seen.items(), key=lambda kv: kv[1])[:5]
    styles = Counter(n["style"] for n in corpus("heldout6"))
    assert (
        set(styles) == set(ind.STYLES["heldout6"]) == set(ind.STYLES["dev"]) | set(h6.HELDOUT6_ONLY["style"])
    )
    assert min(styles.values()) >= 28  # 600 notes over 21 styles
    assert set(ind.SPLIT_KINDS["heldout6"]) == set(ind.IDENTIFIER_KINDS) | {"other_contact"}
    decoys = {d["kind"] for n in corpus("heldout6") for d in n["decoys"]}
    earlier = (
        ind.HELDOUT2_DECOY_KINDS + h3.HELDOUT3_DECOY_KINDS + h4.HELDOUT4_DECOY_KINDS + h5.HELDOUT5_DECOY_KINDS
    )
    assert decoys.isdisjoint(earlier)
    assert decoys == set(ind.DECOY_KINDS) | set(h6.HELDOUT6_DECOY_KINDS)


def test_heldout6_share_of_new_forms():
    ids = [e for n in corpus("heldout6") for e in n["identifiers"]]
    new = _novel()
    share = sum((e["kind"], e["form"]) in new for e in ids) / len(ids)
    assert 0.27 <= share <= 0.35, share  # about 30 %
    for kind in ind.SPLIT_KINDS["heldout6"]:
        of_kind = [e for e in ids if e["kind"] == kind]
        s = sum((e["kind"], e["form"]) in new for e in of_kind) / len(of_kind)
        assert 0.2 <= s < 0.5, (kind, s)  # some new forms, a majority of baseline ones
        assert all(e["form"] in h6.BASELINE_FORMS[kind] + h6.HELDOUT6_ONLY[kind] for e in of_kind)
    assert 8 <= len(ids) / N <= 10
    # machine-written carriers (HL7 fields, CSV cells, MRZ) have no label before the value: a
    # minority of the new forms is labelled, but not none
    labelled = sum(e["labelled"] for e in ids if (e["kind"], e["form"]) in new)
    assert 0.2 * sum((e["kind"], e["form"]) in new for e in ids) < labelled


# --- pools ------------------------------------------------------------------------------------


def _entries(table: dict, split: str) -> list[str]:
    """The place names of one split's pool (streets, new villages, villages or out-of-town roads)."""
    pool = table[split]
    if isinstance(pool, dict):
        return [s for roads in pool.values() for s in roads]
    return [row[-1] for row in pool]


def test_heldout6_pools_are_disjoint_from_every_earlier_split():
    p6 = ind._pools("heldout6")
    assert len(p6.surnames) >= 40 and len(p6.given_m) >= 30 and len(p6.given_f) >= 30
    # the filter in pools() left the whole own lists: nothing had to be dropped
    assert p6.surnames == h6._H6_SURNAMES
    assert p6.given_m == list(h6._GIVEN_PINYIN_M) and p6.given_f == list(h6._GIVEN_PINYIN_F)
    own_given = set(p6.given_m + p6.given_f) | {g for _s, g in p6.word_like}
    from faker.providers.person.zh_CN import Provider

    assert own_given.isdisjoint(Provider.first_names)
    for split in EARLIER:
        p = ind._pools(split)
        assert set(p6.surnames).isdisjoint(p.surnames), split
        assert own_given.isdisjoint(p.given_m + p.given_f), split
        assert own_given.isdisjoint(g for _s, g in p.word_like), split
        assert set(p6.rare).isdisjoint(p.rare) and set(p6.compound).isdisjoint(p.compound), split
        others = set(p.rare) | {ch for c in p.compound for ch in c} | {s for s, _g in p.word_like}
        assert set(p6.surnames).isdisjoint(others), split
        assert set(p6.rare).isdisjoint(set(p.surnames) | others), split
        for table in (ind._STREETS, ind._NEW_VILLAGES, ind._VILLAGES, ind._OUT_OF_TOWN):
            assert set(_entries(table, "heldout6")).isdisjoint(_entries(table, split)), split


def test_heldout6_place_and_name_pool_entries_never_occur_in_earlier_text():
    places = [
        p
        for t in (ind._STREETS, ind._NEW_VILLAGES, ind._VILLAGES, ind._OUT_OF_TOWN)
        for p in _entries(t, "heldout6")
    ]
    for split in EARLIER:
        text = "\n".join(n["text"] for n in corpus(split))
        assert [p for p in places if p in text] == [], split
        assert [c for c in h6._H6_COMPOUND if c in text] == [], split
        assert [s + g for s, g in h6._H6_WORD_LIKE if s + g in text] == [], split


def test_every_heldout6_name_uses_the_heldout6_pools():
    p6 = ind._pools("heldout6")
    given = set(p6.given_m + p6.given_f) | {g for _s, g in p6.word_like}
    surnames = set(p6.surnames) | set(p6.rare) | set(p6.compound)
    names = {s + g for s in surnames for g in given} | {s + g for s, g in p6.word_like}

    def split_name(v: str) -> tuple[str, str]:
        sur = v[:2] if v[:2] in p6.compound else v[:1]
        return sur, v[len(sur) :]

    for e in (e for n in corpus("heldout6") for e in n["identifiers"] if e["kind"] == "person_name"):
        v, form = e["value"], e["form"]
        if form in ("patient_with_context", "patient_no_context", "relative", "nurse", "doctor", "in_list",
                    "group_nick"):  # fmt: skip
            assert v in names and v[0] in p6.surnames or form == "group_nick" and v in names, e
        elif form == "caret_separated":
            sur, g = v.split("^")
            assert sur + g in names, e
        elif form == "ocr_lookalike":  # one character read as its look-alike
            assert v not in names and any(
                len(n) == len(v)
                and sum(a != b for a, b in zip(n, v, strict=True)) == 1
                and all(a == b or h6._LOOKALIKE.get(a) == b for a, b in zip(n, v, strict=True))
                for n in names
            ), e
        elif form == "asr_homophone":  # the surname kept, one or two given-name characters as homophones
            sur, g = split_name(v)
            assert (
                v not in names
                and sur in surnames
                and any(
                    len(x) == len(g)
                    and 1 <= sum(a != b for a, b in zip(x, g, strict=True)) <= 2
                    and all(a == b or h6._HOMOPHONE.get(a) == b for a, b in zip(x, g, strict=True))
                    for x in given
                )
            ), e
        elif form == "mrz_name":
            sur, g = v.split("<<")
            assert re.fullmatch(r"[A-Z]+", sur) and re.fullmatch(r"[A-Z]+", g), e


# strings only heldout6's forms, styles and decoys write
_H6_MARKERS = (
    "PID|", "MSH|", "EVN|", "PV1|", "IN1|", "DG1|", "^^^", "NNCHN", "resourceType", "urn:oid:", "lastUpdated",
    "LOINC", "Observation", ".csv", "E+17", "E+18", "语音转写", "说话人", "短信发送记录", "TemplateCode",
    "模板CODE", "SMS_", "群聊导出", "家属群", "病危", "通知书", "出入境", "MRZ", "P<CHN", "mailto:", "From: ",
    "企业微信", "快手", "在台湾", "GPS", "家访定位", "vip.163", "QTc", "文件编号", "表单编号",
)  # fmt: skip
_H6_PATTERNS = (
    r"\d{7,8}\.0(?!\d)",  # a number column read back as float
    r"(?<![\d.])(?:2[0-9]|3[01])\.\d{5,6}[,°N ]",  # a latitude
    r"(?<!\d)09\d{2}-\d{3}-\d{3}(?!\d)",  # a Taiwan mobile
    r"(?<![A-Z])(DE|GB|NL)\d{2}(?: ?[A-Z0-9]{4}){3,}",  # an IBAN
)


def test_heldout6_markers_never_occur_in_earlier_text():
    h6_text = "\n".join(n["text"] for n in corpus("heldout6"))
    for split in EARLIER:
        text = "\n".join(n["text"] for n in corpus(split))
        assert [m for m in _H6_MARKERS if m in text] == [], split
        assert [p for p in _H6_PATTERNS if re.search(p, text)] == [], split
    assert [m for m in _H6_MARKERS if m not in h6_text] == []
    assert [p for p in _H6_PATTERNS if not re.search(p, h6_text)] == []


# --- each new form is what its name says --------------------------------------------------------


def test_new_resident_id_forms():
    by = _by_form()
    for form in ("hl7_cx", "fhir_identifier", "excel_text_cell"):
        for e in by[("resident_id", form)]:
            assert _gb11643_ok(e["value"]), e
    for e in by[("resident_id", "hl7_cx")]:
        assert e["note"]["text"][e["end"] :].startswith("^^^&"), e
    for e in by[("resident_id", "excel_text_cell")]:
        assert e["note"]["text"][: e["start"]].endswith(("'", '="')), e
    for e in by[("resident_id", "mrz_passport")]:
        assert re.fullmatch(r"E[A-Z0-9]\d{7}\d", e["value"]) and _mrz_ok(e["value"]), e


def test_passport_mrz_lines_are_44_characters_with_valid_checks():
    checked = 0
    for n in corpus("heldout6"):
        lines = [ln for ln in n["text"].splitlines() if re.fullmatch(r"[A-Z0-9<]{44}", ln)]
        if n["style"] != "passport_ocr":
            assert lines == [], n["note_id"]
            continue
        assert len(lines) == 2 and lines[0].startswith("P<CHN"), n["note_id"]
        l2 = lines[1]
        assert l2[10:13] == "CHN" and l2[20] in "MF", l2
        for field in (l2[0:10], l2[13:20], l2[21:28], l2[28:43]):
            assert _mrz_ok(field), (l2, field)
        assert _mrz_ok(l2[0:10] + l2[13:20] + l2[21:43] + l2[43]), l2  # composite
        checked += 1
    assert checked >= 28


def test_new_phone_forms():
    by = _by_form()
    for e in by[("phone", "tw_mobile_local")]:
        assert re.fullmatch(r"09\d{8}", re.sub(r"[ -]", "", e["value"])), e
    for e in by[("phone", "hl7_xtn")]:
        assert re.fullmatch(r"86\^0?21\^[2-8]\d{7}", e["value"]), e
    for e in by[("phone", "float_suffix")]:
        assert re.fullmatch(r"1[3-9]\d{9}\.0", e["value"]), e


def test_new_card_and_record_forms():
    by = _by_form()
    for e in by[("card_number", "float_suffix")]:
        assert re.fullmatch(r"[1-9]\d{8}\.0", e["value"]), e
    for e in by[("card_number", "hl7_in1")]:
        assert re.fullmatch(r"[1-9]\d{8}", e["value"]), e
        assert re.search(r"(\||IN1-49：|IN1-49 )$", e["note"]["text"][: e["start"]]), e
    for e in by[("hospital_record_no", "hl7_cx")]:
        assert re.fullmatch(r"[1-9]\d{5,7}", e["value"]) and e["note"]["text"][e["end"] :].startswith(
            "^^^HIS^PI"
        )
    for e in by[("hospital_record_no", "fhir_identifier")]:
        assert re.fullmatch(r"[1-9]\d{5,7}|ZY20\d{8}", e["value"]), e
    for e in by[("hospital_record_no", "float_suffix")]:
        assert re.fullmatch(r"[1-9]\d{5,7}\.0", e["value"]), e


def test_new_date_of_birth_forms_are_real_dates():
    by = _by_form()
    for e in by[("date_of_birth", "hl7_ts")]:
        v = e["value"]
        assert re.fullmatch(r"\d{8}(0000|000000)", v), e
        assert 1920 <= date(int(v[:4]), int(v[4:6]), int(v[6:8])).year <= 2025
    rows = 0
    for e in by[("date_of_birth", "excel_serial")]:
        # Excel's 1900 date system: serial 1 is 1900-01-01 and 1900-02-29 is counted, so from
        # 1900-03-01 on the date is 1899-12-30 + serial days (the DOB of the patient of the note)
        d = date(1899, 12, 30) + timedelta(days=int(e["value"]))
        assert 1920 <= d.year <= 2025, e
        # the patient's ID in the same export row carries the same date
        row = [
            x["value"]
            for x in e["note"]["identifiers"]
            if (x["kind"], x["form"]) == ("resident_id", "excel_text_cell")
        ]
        assert all(v[6:14] == d.strftime("%Y%m%d") for v in row), e
        rows += bool(row)
    assert rows >= 5
    for e in by[("date_of_birth", "mrz_yymmdd")]:
        v = e["value"]
        assert re.fullmatch(r"\d{7}", v) and _mrz_ok(v), e
        date(2000 + int(v[:2]), int(v[2:4]), int(v[4:6]))  # a real month and day (the year is 2-digit)


def test_new_bank_email_contact_address_forms():
    by = _by_form()
    for e in by[("bank_card", "iban")]:
        assert re.fullmatch(r"(DE|GB|NL)\d{2}[A-Z0-9 ]+", e["value"]) and _iban_ok(e["value"]), e
    for e in by[("bank_card", "excel_text_cell")]:
        assert re.fullmatch(r"62\d{17}", e["value"]) and luhn_ok(e["value"]), e
        assert e["note"]["text"][e["start"] - 1] == "'", e
    for e in by[("email", "angle_bracket")]:
        text = e["note"]["text"]
        assert text[e["start"] - 1] == "<" and text[e["end"]] == ">", e
    for e in by[("email", "mailto_link")]:
        assert e["note"]["text"][: e["start"]].endswith("mailto:"), e
    for e in by[("email", "vip_domain")]:
        assert e["value"].split("@")[1] in h6._VIP_DOMAINS, e
    for e in by[("other_contact", "wecom_id")]:
        assert re.fullmatch(r"[A-Za-z]+\d?", e["value"]), e
    for e in by[("other_contact", "kuaishou_id")]:
        assert re.fullmatch(r"[a-z]+\d{3,4}|ks[1-9]\d{8}", e["value"]), e
    for e in by[("address", "gps_coordinates")]:
        nums = [float(x) for x in re.findall(r"\d+\.\d+", e["value"])]
        assert len(nums) == 2 and {round(x) for x in nums} <= {31, 122, 121}, e
        lat = min(nums)
        assert 30.6 <= lat <= 31.9 and 120.8 <= max(nums) <= 122.2, e  # inside Shanghai
    for e in by[("address", "hl7_xad")]:
        assert re.fullmatch(r"\S+\d+号\d+室\^\^上海市\^\S+区\^20\d{4}\^CHN", e["value"]), e
    for e in by[("address", "csv_columns")]:
        assert re.fullmatch(r"上海市,\S+区,\D+(路|大道),\d+弄\d+号\d+室", e["value"]), e


def test_check_rules_match_their_sources():
    # the rules stated by the sources cited in HELDOUT6.md, recomputed here, agree with the generator
    assert _mrz_ok("L898902C3" + h6.mrz_check("L898902C3"))  # ICAO 9303's own specimen number
    assert (
        h6.mrz_check("L898902C3") == "6" and h6.mrz_check("740812") == "2" and h6.mrz_check("120415") == "9"
    )
    assert h6.iban_check("GB", "WEST12345698765432") == "82"  # GB82 WEST 1234 5698 7654 32
    assert _iban_ok("GB82 WEST 1234 5698 7654 32") and _iban_ok("DE88 2008 0000 0970 3757 00")


def test_heldout6_decoys_have_their_formats_and_kinds():
    patterns = {
        "hl7_meta": r"20\d{12}|(MSG|ADT)?\d{8,10}|20\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:00\+08:00|20\d{16}",
        "oid": r"[12](\.\d+){4,7}",
        "loinc_code": r"\d{3,4}-\d",
        "excel_mangled": r"\d\.\d{5}E\+1[78]",
        "sms_template_code": r"SMS_[1-9]\d{7,8}",
        "chat_timestamp": r"20\d{2}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
        "asr_timecode": r"00:\d{2}:\d{2}",
        "mrz_expiry": r"\d{7}",
        "form_code": r"[A-Z]{2,3}-[A-Z0-9]{2,4}-\d{2,3}( V\d\.\d)?",
        "ecg_interval": r"(PR|QRS|QTc) \d{2,3}ms",
    }
    seen: Counter = Counter()
    for n in corpus("heldout6"):
        for d in n["decoys"]:
            if d["kind"] in patterns:
                assert re.fullmatch(patterns[d["kind"]], d["value"]), d
                seen[d["kind"]] += 1
        for d in n["decoys"]:
            if d["kind"] == "mrz_expiry":
                assert _mrz_ok(d["value"]), d
    assert set(seen) == set(h6.HELDOUT6_DECOY_KINDS)
    assert all(seen[k] >= 20 for k in patterns), seen


def test_heldout6_md_lists_every_form_style_and_decoy():
    doc = (Path(h6.__file__).parent / "HELDOUT6.md").read_text(encoding="utf-8")
    assert doc.lstrip().startswith("# heldout6") and "do not read this file" in doc[:600]
    for kind, forms in h6.HELDOUT6_ONLY.items():
        for f in forms:
            assert f"`{f}`" in doc, (kind, f)
    for kind in h6.HELDOUT6_DECOY_KINDS:
        assert f"`{kind}`" in doc, kind
