"""An independent corpus of Shanghai-style e-medical-record notes for evaluating a de-identifier.

Why this exists
---------------
The project's de-identifier was, until now, measured only on notes written by the people who wrote
its recognisers; that measures what was built rather than what clinicians write. This generator was
written without reading the de-identifier, its tests or its existing evaluation generator. It draws
on how Chinese hospital records are written (门诊病历, 入院记录, 出院小结, 护理记录, 会诊记录,
病程/查房记录, 检查报告, 知情同意书 excerpts, 医保结算 notes, 家属沟通记录, 术前讨论 staff lists,
tables-as-text and Chinese/English shorthand) and on the identifier formats in use.

Everything here is synthetic. Only the standard library and Faker (its zh_CN name lists) are used.

API
---
``generate(n, seed, split)`` returns ``n`` note dicts::

    {"note_id", "style", "text",
     "identifiers": [{"kind", "form", "value", "start", "end", "labelled"}],
     "decoys": [{"kind", "value", "start", "end"}],
     "clinical_terms": [{"value", "start", "end"}]}

Offsets are character offsets into ``text``; ``text[start:end] == value`` holds for every entry
(the generator asserts it). ``labelled`` (an addition to the brief's keys) is true when a label
naming the identifier (身份证号, 电话, 患者, 护士, 其女 …) directly precedes it on the same line, so
recall can be reported separately for labelled and bare identifiers. Note ``i`` depends only on
``(seed, split, i)``: a corpus of 600 notes begins with the corpus of 100.

CLI::

    python -m bench.deid_eval.independent --split dev --n 600 --seed 1 --out dev.jsonl
    python -m bench.deid_eval.independent --split heldout --n 600 --seed 1 --out heldout.jsonl
    python -m bench.deid_eval.independent --split heldout2 --n 600 --seed 1 --out heldout2.jsonl
    python -m bench.deid_eval.independent --split heldout3 --n 600 --seed 1 --out heldout3.jsonl
    python -m bench.deid_eval.independent --split heldout4 --n 600 --seed 1 --out heldout4.jsonl
    python -m bench.deid_eval.independent --split heldout5 --n 600 --seed 1 --out heldout5.jsonl
    python -m bench.deid_eval.independent --split heldout7 --n 600 --seed 1 --out heldout7.jsonl
    python -m bench.deid_eval.independent --split heldout8 --n 600 --seed 1 --out heldout8.jsonl
    python -m bench.deid_eval.independent --split heldout9 --n 600 --seed 1 --out heldout9.jsonl
    python -m bench.deid_eval.independent --split heldout10 --n 600 --seed 1 --out heldout10.jsonl
    python -m bench.deid_eval.independent --split heldout11 --n 600 --seed 1 --out heldout11.jsonl

Decisions
---------
* Masked identifiers (``310104********123X``, ``138****5678``, ``6222 **** **** 0123``) are NOT
  counted as identifiers: what is left of them no longer identifies anyone. They are listed as
  decoys of kind ``masked_identifier``; an evaluation may leave that kind out of its false-positive
  count, since redacting an already-masked string loses nothing.
* ``hospital_record_no`` covers numbers that point at one patient's record: 门诊号, 住院号, 病案号
  and the radiology patient ID 影像号 (one per patient in the PACS). Numbers that identify a
  transaction or an object are decoys: 检查号/申请单号 (one per examination), 标本号/条码号, 医嘱号,
  电子票据号码/发票号码, 批号.
* Numbers that belong to the hospital, not the patient, are decoys: the hospital's 18-character
  统一社会信用代码 (GB 32100-2015 check character computed, so it looks exactly as valid as a
  resident ID), its 医保定点机构编码 (``H`` + 11 digits), 科室分机, 400/12320 hotlines and hospital
  names (瑞金医院, 华山医院, 东方医院 … contain place names and surnames). A full hospital
  switchboard number is never written, so a landline in a note is always a person's.
* ``person_name`` spans: for ``surname_title`` (王主任, 李医生, 张护士长) the span is the surname only;
  the title stays as context. For ``nickname`` (老张, 小刘, 阿珍) the span is the whole nickname,
  which is how the person is named. The form of a full name whose surname is rare or compound, or
  which is an ordinary word (高山, 文静, 万里 …), is ``rare_surname``, ``compound_surname`` or
  ``word_like_name`` whatever its context; otherwise the form names the context (patient with or
  without a cue, relative, nurse, doctor, in_list). ``surname_title``, ``nickname`` and ``pinyin``
  are ways of writing and keep their form whatever the surname.
* Dates of birth are identifiers in every form that carries at least the month (``1956年3月``);
  ages (``68岁``) and visit, operation and review dates are decoys.
* Email addresses are identifiers; the hospital never has one in these notes.

Formats (what was checked and what was not)
-------------------------------------------
* Resident ID (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence (odd for
  men), check character from weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, ``"10X98765432"[sum %
  11]``. The old 15-digit form (GB 11643-1989) has a 2-digit year and no check character; it is
  produced from the same area, date and sequence, and only for people born before 1985.
* Bank cards: Luhn-valid, UnionPay BINs (622202, 621700, 622848, 621661, 622588, 621483; 16 or 19
  digits), Visa 4xxxxx and Mastercard 5xxxxx (16 digits).
* 社会保障卡 卡号 (field AAZ500 in provincial social-security systems, "就诊凭证类型 03" in the
  national medical-insurance interface): 9 characters, either 9 digits or one letter and 8 digits
  (examples seen in public HIS code: ``548426015`` for Guangzhou, ``B00000019``). 卡识别码: 32
  characters, area code + ``D156000005`` + 16 hex digits. National 医保 人员编号 (``psn_no``, a
  30-character field): provinces fill it differently; we use region-prefixed 20-digit numbers
  (``yb_personal_code``) and letter-prefixed ones like ``H430100000000000001`` / ``JM2011463725``
  (``psn_no_alpha``, both seen in public HIS code). 参保号/个人社保编号 (10 digits), 就诊卡号
  (hospital visit cards, 10-12 digits or ``JZ`` + 8 digits) and 合作医疗证号 (rural cooperative
  medical scheme: area + township + village + household digits, ``-`` member number) follow
  common layouts; their exact provincial rules were NOT verified and carry no check digit.
* Phones: mainland mobiles ``1[3-9]x`` + 8 digits; Shanghai landlines ``021`` + 8 digits.

Kinds and forms per split
-------------------------
``FORMS[split][kind]`` lists them; ``STYLES[split]`` lists note styles. Both splits share:

* person_name: patient_with_context, patient_no_context, surname_title, relative, nurse, doctor,
  rare_surname, compound_surname, word_like_name, in_list
* resident_id: plain18, x_checkdigit, fullwidth, spaced_groups, dashed, old15
* phone: mobile_plain, mobile_plus86, mobile_spaced, mobile_dashed, mobile_fullwidth,
  landline_021, landline_no_area
* card_number: sscard_digits9, sscard_letter9, yb_personal_code, canbao_no, visit_card
* hospital_record_no: outpatient_no, inpatient_no, case_no, imaging_no, alpha_prefixed, fullwidth
* date_of_birth: iso, cn_full, dotted, slashed, cn_year_month, cn_numerals, compact8
* bank_card: unionpay_plain, unionpay_spaced, visa, mastercard
* address: with_district, no_district, village_group, compound_name, out_of_town
* email: qq_numeric, pinyin_webmail, dotted_local, corporate
* styles: outpatient, admission, discharge, nursing, consult, progress, exam_report, consent,
  settlement, family_comm, staff_list, table, english_mixed

held-out only
-------------
* card_number: ``card_sn32`` (社保卡 卡识别码), ``coop_medical_no`` (合作医疗证号),
  ``psn_no_alpha`` (letter-prefixed 医保人员编号), ``sscard_fullwidth`` (社保卡号 in fullwidth)
* resident_id: ``lowercase_x`` (check character written ``x``)
* person_name: ``nickname`` (老周, 小蒋, 阿珍) and ``pinyin`` (Dr. Zhou Min, ZHANG Wei); and the
  surname sets are disjoint: rare surnames 单 仇 区 查 解 朴 訾 逄 (dev) vs 覃 亓 笪 郗 蒯 禚 佴 缑
  (held-out), compound 欧阳 司马 上官 诸葛 慕容 (dev) vs 皇甫 尉迟 令狐 东方 公孙 端木 夏侯
  (held-out); common surnames and given names are split alternately; word-like full names differ.
* date_of_birth: ``en_month`` (07-Mar-1956, Mar 7, 1956)
* address: ``lane_hyphen`` (四平路1239弄5-302, building-room with a hyphen); streets, new villages
  (新村/小区) and villages are disjoint between the splits
* styles: ``phone_followup`` (电话随访记录) and ``referral`` (双向转诊单)

heldout2
--------
A second held-out split, ``heldout2``, for measuring generalisation again now that the forms above
are known. It holds everything dev has (so it measures the baseline too) plus forms absent from
both dev and heldout. Those forms are listed only in ``bench/deid_eval/HELDOUT2.md`` and in the
code after the "heldout2 internals" fence near the end of this module; people developing the
de-identifier should read neither. Per-split kinds and decoy kinds: ``SPLIT_KINDS``,
``SPLIT_DECOY_KINDS``; dev and heldout output is byte-identical to before heldout2 was added.

heldout3
--------
A third held-out split, ``heldout3``, now that heldout2 is known too: dev's forms plus forms in none
of dev, heldout and heldout2. Its code is in ``bench/deid_eval/heldout3.py`` and its description in
``bench/deid_eval/HELDOUT3.md``; people developing the de-identifier should read neither. This
module only calls into it through its hooks (``_HOOKS["heldout3"]``) that run when the split is "heldout3"; dev,
heldout and heldout2 output is byte-identical to before heldout3 was added. ``generate()`` and the
CLI accept it (``ALL_SPLITS``); it is deliberately not in ``SPLITS``, so code that loops over the
splits does not run it by accident.

heldout4
--------
A fourth held-out split, ``heldout4``, now that heldout3 is known too: dev's forms plus forms in none
of dev, heldout, heldout2 and heldout3. Its code is in ``bench/deid_eval/heldout4.py`` and its
description in ``bench/deid_eval/HELDOUT4.md``; people developing the de-identifier should read
neither. It is hooked in exactly as heldout3 is (``_HOOKS["heldout4"]``, which run only when the split is
"heldout4"); dev, heldout, heldout2 and heldout3 output is byte-identical to before heldout4 was
added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

heldout5
--------
A fifth held-out split, ``heldout5``, now that heldout4 is known too: dev's forms plus forms in none
of dev, heldout, heldout2, heldout3 and heldout4. Its code is in ``bench/deid_eval/heldout5.py`` and
its description in ``bench/deid_eval/HELDOUT5.md``; people developing the de-identifier should read
neither. It is hooked in as heldout3 and heldout4 are (``_HOOKS["heldout5"]``); what the three
modules share is in ``bench/deid_eval/heldout_common.py``. dev, heldout, heldout2, heldout3 and
heldout4 output is byte-identical to before heldout5 was added. It is in ``ALL_SPLITS``, not in
``SPLITS``.

heldout6
--------
A sixth held-out split, ``heldout6``, now that heldout5 is known too: dev's forms plus forms in none
of dev and heldout … heldout5. Its code is in ``bench/deid_eval/heldout6.py`` and its description in
``bench/deid_eval/HELDOUT6.md``; people developing the de-identifier should read neither. It is
hooked in as heldout3 … heldout5 are (``_HOOKS["heldout6"]``); dev … heldout5 output is
byte-identical to before heldout6 was added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

heldout7
--------
A seventh held-out split, ``heldout7``, now that heldout6 is known too: dev's forms plus forms in
none of dev and heldout … heldout6. Its code is in ``bench/deid_eval/heldout7.py`` and its
description in ``bench/deid_eval/HELDOUT7.md``; people developing the de-identifier should read
neither. It is hooked in as heldout3 … heldout6 are (``_HOOKS["heldout7"]``); dev … heldout6 output
is byte-identical to before heldout7 was added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

heldout8
--------
An eighth held-out split, ``heldout8``, now that heldout7 is known too: dev's forms plus forms in
none of dev and heldout … heldout7. Its code is in ``bench/deid_eval/heldout8.py`` and its
description in ``bench/deid_eval/HELDOUT8.md``; people developing the de-identifier should read
neither. It is hooked in as heldout3 … heldout7 are (``_HOOKS["heldout8"]``); dev … heldout7 output
is byte-identical to before heldout8 was added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

heldout9
--------
A ninth held-out split, ``heldout9``, now that heldout8 is known too: dev's forms plus forms in
none of dev and heldout … heldout8. Its code is in ``bench/deid_eval/heldout9.py`` and its
description in ``bench/deid_eval/HELDOUT9.md``; people developing the de-identifier should read
neither. It is hooked in as heldout3 … heldout8 are (``_HOOKS["heldout9"]``); dev … heldout8 output
is byte-identical to before heldout9 was added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

heldout10
---------
A tenth held-out split, ``heldout10``, now that heldout9 is known too: dev's forms plus forms in
none of dev and heldout … heldout9. Its code is in ``bench/deid_eval/heldout10.py`` and its
description in ``bench/deid_eval/HELDOUT10.md``; people developing the de-identifier should read
neither. It is hooked in as heldout3 … heldout9 are (``_HOOKS["heldout10"]``); dev … heldout9 output
is byte-identical to before heldout10 was added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

heldout11
---------
An eleventh held-out split, ``heldout11``, now that heldout10 is known too: dev's forms plus forms
in none of dev and heldout … heldout10. Its code is in ``bench/deid_eval/heldout11.py`` and its
description in ``bench/deid_eval/HELDOUT11.md``; whoever tunes the de-identifier should read
neither. It is hooked in as heldout3 … heldout10 are (``_HOOKS["heldout11"]``); dev … heldout10
output is byte-identical to before heldout11 was added. It is in ``ALL_SPLITS``, not in ``SPLITS``.

Decoy kinds: invoice_no, batch_no, drug_approval_no, device_reg_no, device_model, lab_value,
vital_sign, amount, visit_date, age, bed_no, room_no, dose, icd_code, order_no, specimen_no,
exam_no, ward_phone_extension, hotline, credit_code, facility_code, facility_name,
masked_identifier.

Clinical terms: ``CLINICAL_TERMS`` (over 350: symptoms, diseases, drugs, Chinese herbs,
procedures, examinations, anatomy, signs), many of which look like names or places (白芍, 黄芩,
王不留行, 徐长卿, 刘寄奴, 何首乌, 常山, 华法林, 万古霉素, 桥本甲状腺炎, 川崎病, 文氏阻滞, 杨梅舌 …).
Only the terms placed through a slot are listed with spans; the surrounding clinical prose is not.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

__all__ = [
    "ALL_SPLITS",
    "CLINICAL_TERMS",
    "FORMS",
    "HELDOUT2_ONLY",
    "HELDOUT_ONLY",
    "IDENTIFIER_KINDS",
    "SPLITS",
    "SPLIT_DECOY_KINDS",
    "SPLIT_KINDS",
    "STYLES",
    "generate",
    "gb11643_check",
    "luhn_ok",
    "main",
]

SPLITS = ("dev", "heldout", "heldout2")
#: every split generate() accepts. heldout3 … heldout11 are left out of SPLITS on purpose, so that code iterating
#: over the splits (the de-identifier's own tests and tools) does not run it by accident: it is
#: measured once, by whoever runs the evaluation (bench/deid_eval/HELDOUT3.md).
ALL_SPLITS = SPLITS + (
    "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10",
    "heldout11",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Kinds, forms, styles
# ---------------------------------------------------------------------------------------------

IDENTIFIER_KINDS = (
    "person_name",
    "resident_id",
    "phone",
    "card_number",
    "hospital_record_no",
    "date_of_birth",
    "bank_card",
    "address",
    "email",
)

_SHARED_FORMS: dict[str, tuple[str, ...]] = {
    "person_name": (
        "patient_with_context",
        "patient_no_context",
        "surname_title",
        "relative",
        "nurse",
        "doctor",
        "rare_surname",
        "compound_surname",
        "word_like_name",
        "in_list",
    ),
    "resident_id": ("plain18", "x_checkdigit", "fullwidth", "spaced_groups", "dashed", "old15"),
    "phone": (
        "mobile_plain",
        "mobile_plus86",
        "mobile_spaced",
        "mobile_dashed",
        "mobile_fullwidth",
        "landline_021",
        "landline_no_area",
    ),
    "card_number": ("sscard_digits9", "sscard_letter9", "yb_personal_code", "canbao_no", "visit_card"),
    "hospital_record_no": (
        "outpatient_no",
        "inpatient_no",
        "case_no",
        "imaging_no",
        "alpha_prefixed",
        "fullwidth",
    ),
    "date_of_birth": ("iso", "cn_full", "dotted", "slashed", "cn_year_month", "cn_numerals", "compact8"),
    "bank_card": ("unionpay_plain", "unionpay_spaced", "visa", "mastercard"),
    "address": ("with_district", "no_district", "village_group", "compound_name", "out_of_town"),
    "email": ("qq_numeric", "pinyin_webmail", "dotted_local", "corporate"),
}

HELDOUT_ONLY: dict[str, tuple[str, ...]] = {
    "card_number": ("card_sn32", "coop_medical_no", "psn_no_alpha", "sscard_fullwidth"),
    "resident_id": ("lowercase_x",),
    "person_name": ("nickname", "pinyin"),
    "date_of_birth": ("en_month",),
    "address": ("lane_hyphen",),
    "style": ("phone_followup", "referral"),
}

FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "dev": dict(_SHARED_FORMS),
    "heldout": {k: v + HELDOUT_ONLY.get(k, ()) for k, v in _SHARED_FORMS.items()},
}

_SHARED_STYLES = (
    "outpatient",
    "admission",
    "discharge",
    "nursing",
    "consult",
    "progress",
    "exam_report",
    "consent",
    "settlement",
    "family_comm",
    "staff_list",
    "table",
    "english_mixed",
)
STYLES: dict[str, tuple[str, ...]] = {
    "dev": _SHARED_STYLES,
    "heldout": _SHARED_STYLES + HELDOUT_ONLY["style"],
}

DECOY_KINDS = (
    "invoice_no",
    "batch_no",
    "drug_approval_no",
    "device_reg_no",
    "device_model",
    "lab_value",
    "vital_sign",
    "amount",
    "visit_date",
    "age",
    "bed_no",
    "room_no",
    "dose",
    "icd_code",
    "order_no",
    "specimen_no",
    "exam_no",
    "ward_phone_extension",
    "hotline",
    "credit_code",
    "facility_code",
    "facility_name",
    "masked_identifier",
)

# ---------------------------------------------------------------------------------------------
# Checksums and character helpers
# ---------------------------------------------------------------------------------------------

_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb11643_check(body17: str) -> str:
    """The GB 11643-1999 check character of a resident ID's first 17 digits."""
    total = sum(int(ch) * w for ch, w in zip(body17, _GB11643_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def luhn_ok(number: str) -> bool:
    """True when a digit string passes the Luhn check (ISO/IEC 7812)."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("unreachable: one Luhn digit always fits")


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _uscc(region: str, rng: random.Random, prefix: str = "12") -> str:
    """A 统一社会信用代码 (``12`` 事业单位 by default, ``91`` 企业) with valid check characters."""
    org8 = "".join(rng.choice(string.digits) for _ in range(8))
    c9 = 11 - sum(int(c) * w for c, w in zip(org8, _ORG_WEIGHTS, strict=True)) % 11
    org9 = org8 + {10: "X", 11: "0"}.get(c9, str(c9))
    body = prefix + region + org9
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


_FULLWIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-", "".join(chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-")
)


def _fw(s: str) -> str:
    return s.translate(_FULLWIDTH)


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    if n <= 10:
        return "〇一二三四五六七八九十"[n]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    tens, ones = divmod(n, 10)
    return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")


def _digits(rng: random.Random, k: int, first_nonzero: bool = False) -> str:
    s = "".join(rng.choice(string.digits) for _ in range(k))
    if first_nonzero and s[0] == "0":
        s = rng.choice("123456789") + s[1:]
    return s


# ---------------------------------------------------------------------------------------------
# Name pools (split into disjoint dev / held-out halves)
# ---------------------------------------------------------------------------------------------

# Common surnames weighted towards Shanghai (顾 陆 沈 俞 郁 瞿 奚 …); alternately assigned to the splits.
_COMMON_SURNAMES = (
    "张 王 陈 李 徐 朱 周 沈 陆 顾 黄 吴 杨 金 刘 胡 孙 姚 钱 蒋 邵 俞 郁 严 施 唐 曹 倪 汤 潘 范 汪 瞿 蔡 "
    "戴 许 秦 孟 郑 袁 马 卢 高 林 宋 丁 贺 龚 吕 叶 方 姜 程 任 葛 奚 殷 董 季 薛 谢 韩 冯 夏 邱 傅 赵 郭 "
    "何 罗 宗 毛 闵 庄 陶 邹 浦 翁 褚 乐"
).split()
_RARE_SURNAMES = {
    "dev": ("单", "仇", "区", "查", "解", "朴", "訾", "逄"),
    "heldout": ("覃", "亓", "笪", "郗", "蒯", "禚", "佴", "缑"),
}
_COMPOUND_SURNAMES = {
    "dev": ("欧阳", "司马", "上官", "诸葛", "慕容"),
    "heldout": ("皇甫", "尉迟", "令狐", "东方", "公孙", "端木", "夏侯"),
}
# Full names that are ordinary words or phrases; (surname, given).
_WORD_LIKE_NAMES = {
    "dev": (
        ("高", "山"),
        ("金", "鑫"),
        ("白", "雪"),
        ("王", "平安"),
        ("李", "建国"),
        ("万", "里"),
        ("文", "静"),
        ("石", "磊"),
        ("夏", "天"),
        ("江", "涛"),
        ("武", "功"),
        ("齐", "心"),
    ),
    "heldout": (
        ("张", "伟"),
        ("高", "峰"),
        ("常", "青"),
        ("林", "海"),
        ("马", "力"),
        ("杨", "柳"),
        ("方", "圆"),
        ("向", "阳"),
        ("安", "康"),
        ("金", "山"),
        ("钟", "声"),
        ("程", "功"),
        ("叶", "青"),
    ),
}
_OWN_GIVEN_M = (
    "国强 建华 志明 伟 磊 杰 明华 根宝 金根 荣生 德明 永康 海峰 俊杰 浩然 子轩 宇轩 一鸣 晨阳 振华 卫东 文斌 "
    "立新 勇 志刚 军 海涛 忠良 伯年 家骏 佳豪 思远 天佑 福林 国华 耀明 雪松 培德 宏伟 新民 嘉伟 晓东 "
    "其昌 一帆 鸿飞 梓豪 奕辰 俊熙 仁杰 永福 惠民 长根 阿毛"
).split()
_OWN_GIVEN_F = (
    "凤英 根娣 彩娣 金妹 秀珍 美华 月娥 雅琴 惠芳 菊芳 宝珍 小妹 佩华 丽萍 建英 文娟 芳芳 晓燕 静怡 诗涵 梓涵 "
    "欣怡 雨桐 佳怡 慧敏 琳 玉兰 桂英 秀英 美玲 爱华 雪琴 莉莉 蓓蕾 婉清 巧珍 美娟 素芬 月琴 亚萍 晓雯 思琪 "
    "若曦 一诺 子涵 紫萱 海燕 秀兰 翠华"
).split()

_NICK_PREFIX = ("老", "小")
_PINYIN_SURNAMES = {
    "dev": (),
    "heldout": ("Zhou", "Gu", "Lu", "Shen", "Xu", "Zhang", "Chen", "Yu", "Jiang", "Qian", "Tang", "Ni"),
}
_PINYIN_GIVEN = ("Min", "Hao", "Wei", "Jianguo", "Xiaoyan", "Li", "Jun", "Hui", "Yifan", "Jing", "Lei", "Ping")


def _split_alternate(items: list[str]) -> dict[str, list[str]]:
    seen: list[str] = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return {"dev": seen[0::2], "heldout": seen[1::2]}


def _faker_given() -> tuple[list[str], list[str]]:
    # Faker's zh_CN given-name lists (common names by frequency); imported here, not at module top.
    from faker.providers.person.zh_CN import Provider

    return list(Provider.first_names_male), list(Provider.first_names_female)


# ---------------------------------------------------------------------------------------------
# Places (streets disjoint between splits)
# ---------------------------------------------------------------------------------------------

_STREETS = {
    "dev": {
        "徐汇区": ("漕溪北路", "天钥桥路", "宛平南路", "龙华西路", "肇嘉浜路", "田林路", "桂林路", "虹漕路"),
        "长宁区": ("延安西路", "仙霞路", "天山路", "古北路", "虹桥路", "茅台路"),
        "静安区": ("南京西路", "延平路", "延长中路", "新闸路", "康定路", "大统路"),
        "黄浦区": ("淮海中路", "瑞金二路", "复兴中路", "西藏南路", "陆家浜路", "制造局路"),
        "浦东新区": ("张杨路", "浦东南路", "杨高南路", "锦绣路", "东方路", "灵岩南路", "高科西路"),
        "闵行区": ("莘松路", "七莘路", "都市路", "沪闵路", "虹梅南路", "古美路"),
    },
    "heldout": {
        "杨浦区": ("四平路", "国权路", "控江路", "江浦路", "长阳路", "黄兴路", "殷行路"),
        "虹口区": ("四川北路", "曲阳路", "大连路", "临平路", "东体育会路"),
        "普陀区": ("曹杨路", "真北路", "武宁路", "长寿路", "铜川路"),
        "宝山区": ("牡丹江路", "友谊路", "淞宝路", "呼兰路", "泰和路"),
        "嘉定区": ("城中路", "塔城路", "博乐路", "清河路"),
        "松江区": ("中山中路", "人民北路", "谷阳北路", "荣乐东路"),
    },
}
_NEW_VILLAGES = {  # 新村 / 小区 names, with their district
    "dev": (
        ("徐汇区", "田林十二村"),
        ("徐汇区", "康健新村"),
        ("徐汇区", "梅陇三村"),
        ("闵行区", "春申景城"),
        ("闵行区", "古美七村"),
        ("长宁区", "天山五村"),
        ("浦东新区", "潍坊三村"),
        ("浦东新区", "金杨新村"),
    ),
    "heldout": (
        ("杨浦区", "鞍山新村"),
        ("杨浦区", "控江二村"),
        ("普陀区", "曹杨新村"),
        ("普陀区", "长风小区"),
        ("虹口区", "凉城新村"),
        ("虹口区", "曲阳四村"),
        ("宝山区", "通河八村"),
        ("嘉定区", "清河小区"),
    ),
}
_VILLAGES = {  # (district, town, village)
    "dev": (
        ("崇明区", "竖新镇", "仙桥村"),
        ("崇明区", "港西镇", "北双村"),
        ("崇明区", "新河镇", "新光村"),
        ("金山区", "廊下镇", "中华村"),
        ("金山区", "吕巷镇", "和平村"),
        ("浦东新区", "大团镇", "赵桥村"),
    ),
    "heldout": (
        ("青浦区", "练塘镇", "东庄村"),
        ("青浦区", "金泽镇", "莲湖村"),
        ("奉贤区", "庄行镇", "潘垫村"),
        ("松江区", "泖港镇", "腰泾村"),
        ("嘉定区", "外冈镇", "葛隆村"),
        ("宝山区", "罗泾镇", "塘湾村"),
    ),
}
_OUT_OF_TOWN = {  # (province+city+county, town, road)
    "dev": (
        ("江苏省南通市启东市", "汇龙镇", "人民中路"),
        ("江苏省盐城市射阳县", "合德镇", "解放路"),
        ("安徽省安庆市怀宁县", "高河镇", "独秀大道"),
        ("浙江省宁波市慈溪市", "浒山街道", "三北大街"),
    ),
    "heldout": (
        ("浙江省嘉兴市平湖市", "当湖街道", "胜利路"),
        ("江西省上饶市鄱阳县", "鄱阳镇", "芝山路"),
        ("江苏省苏州市昆山市", "玉山镇", "前进中路"),
        ("河南省信阳市固始县", "番城街道", "蓼城大道"),
    ),
}
_SH_AREA_CODES = (
    "310101", "310103", "310104", "310105", "310106", "310107", "310108", "310109", "310110",
    "310112", "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151",
    "310225", "310230",
)  # fmt: skip
_OTHER_AREA_CODES = (
    "320681", "320924", "340822", "330282", "330482", "361128", "320583", "411525", "320102",
    "420106", "510107", "370102", "350203", "130102", "230103",
)  # fmt: skip

_HOSPITALS = (
    "瑞金医院", "华山医院", "中山医院", "仁济医院", "新华医院", "长海医院", "长征医院", "第六人民医院",
    "第一人民医院", "龙华医院", "曙光医院", "岳阳医院", "肺科医院", "胸科医院", "儿科医院",
    "红房子医院", "同仁医院", "东方医院", "徐汇区中心医院", "杨浦区中心医院", "光华医院", "普陀区中心医院",
)  # fmt: skip
_DEPTS = (
    "心内科", "内分泌科", "呼吸科", "神经内科", "消化科", "骨科", "肿瘤科", "肾内科", "血液科",
    "儿科", "中医科", "感染科", "老年科", "普外科",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Clinical content
# ---------------------------------------------------------------------------------------------

_SYMPTOMS = (
    "胸闷 胸痛 心悸 气促 咳嗽 咳痰 发热 头晕 头痛 恶心 呕吐 腹痛 腹泻 便秘 乏力 纳差 水肿 黑便 血尿 尿频 尿急 "
    "关节痛 皮疹 盗汗 消瘦 失眠 口干 多饮 多尿 言语含糊 肢体无力 腰痛 下肢麻木 咯血 呼吸困难 晕厥 反酸 嗳气 "
    "黄疸 瘙痒"
).split()

# specialty -> symptoms, diagnoses (with ICD-10 codes as used in Chinese HIS, 国家临床版), drugs, exams,
# procedures, anatomy, labs
_SPECIALTIES: dict[str, dict[str, tuple]] = {
    "心内科": {
        "sym": ("胸闷", "胸痛", "心悸", "气促", "晕厥", "水肿"),
        "dx": (
            ("冠状动脉粥样硬化性心脏病", "I25.103"),
            ("急性ST段抬高型心肌梗死", "I21.300"),
            ("不稳定型心绞痛", "I20.000"),
            ("心房颤动", "I48.900"),
            ("慢性心力衰竭", "I50.900"),
            ("高血压病3级", "I10.x05"),
            ("文氏阻滞", "I44.100"),
            ("莫氏II型房室传导阻滞", "I44.101"),
            ("病态窦房结综合征", "I49.500"),
            ("主动脉夹层", "I71.000"),
            ("马凡综合征", "Q87.400"),
            ("高钾血症", "E87.500"),
        ),
        "drugs": (
            "阿司匹林肠溶片", "硫酸氢氯吡格雷片", "替格瑞洛片", "阿托伐他汀钙片", "瑞舒伐他汀钙片",
            "美托洛尔缓释片", "苯磺酸氨氯地平片", "马来酸依那普利片", "单硝酸异山梨酯缓释片", "硝酸甘油",
            "沙库巴曲缬沙坦钠片", "呋塞米片", "螺内酯片", "地高辛片", "华法林钠片", "利伐沙班片", "胺碘酮片",
            "达比加群酯胶囊",
        ),
        "exams": ("心电图", "动态心电图", "超声心动图", "冠脉CTA", "肌钙蛋白I", "NT-proBNP"),
        "procs": ("冠状动脉造影术", "经皮冠状动脉介入治疗", "冠状动脉支架植入术", "射频消融术", "永久起搏器植入术"),
        "anat": ("左前降支", "右冠状动脉", "回旋支", "左心室", "主动脉弓"),
        "labs": ("cTnI", "NT-proBNP", "K", "LDL-C", "INR", "Cr"),
    },
    "内分泌科": {
        "sym": ("口干", "多饮", "多尿", "消瘦", "乏力", "心悸"),
        "dx": (
            ("2型糖尿病", "E11.900"),
            ("2型糖尿病性周围神经病", "E11.400"),
            ("甲状腺功能亢进症", "E05.900"),
            ("桥本甲状腺炎", "E06.300"),
            ("库欣综合征", "E24.900"),
            ("高脂血症", "E78.500"),
            ("高尿酸血症", "E79.000"),
            ("骨质疏松症", "M81.900"),
        ),
        "drugs": (
            "盐酸二甲双胍片", "格列美脲片", "阿卡波糖片", "西格列汀片", "达格列净片", "恩格列净片",
            "门冬胰岛素注射液", "甘精胰岛素注射液", "左甲状腺素钠片", "甲巯咪唑片", "阿仑膦酸钠片",
            "碳酸钙D3片", "非布司他片",
        ),
        "exams": ("糖化血红蛋白", "甲状腺功能", "甲状腺超声", "骨密度检查", "口服葡萄糖耐量试验"),
        "procs": ("甲状腺细针穿刺", "胰岛素泵治疗"),
        "anat": ("甲状腺左叶", "甲状腺右叶", "胰头"),
        "labs": ("GLU", "HbA1c", "TSH", "FT4", "UA", "Cr"),
    },
    "呼吸科": {
        "sym": ("咳嗽", "咳痰", "发热", "气促", "咯血", "呼吸困难", "盗汗"),
        "dx": (
            ("慢性阻塞性肺疾病急性加重", "J44.100"),
            ("社区获得性肺炎", "J18.900"),
            ("支气管哮喘", "J45.900"),
            ("肺结节", "R91.x00"),
            ("肺腺癌", "C34.900"),
            ("肺栓塞", "I26.900"),
            ("金黄色葡萄球菌肺炎", "J15.200"),
            ("白色念珠菌感染", "B37.900"),
        ),
        "drugs": (
            "注射用头孢曲松钠", "左氧氟沙星注射液", "盐酸莫西沙星片", "注射用哌拉西林他唑巴坦", "注射用万古霉素",
            "注射用美罗培南", "吸入用布地奈德混悬液", "硫酸沙丁胺醇气雾剂", "噻托溴铵粉吸入剂", "孟鲁司特钠片",
            "盐酸氨溴索注射液", "注射用甲泼尼龙琥珀酸钠",
        ),
        "exams": ("胸部CT平扫", "肺功能检查", "血气分析", "降钙素原", "C反应蛋白", "D-二聚体"),
        "procs": ("支气管镜检查", "胸腔穿刺术", "无创呼吸机辅助通气", "鼻导管吸氧", "雾化吸入"),
        "anat": ("右肺上叶", "左肺下叶", "双肺下叶", "右肺中叶"),
        "labs": ("WBC", "CRP", "PCT", "PaO2", "D-D"),
    },
    "神经内科": {
        "sym": ("头晕", "头痛", "言语含糊", "肢体无力", "晕厥", "失眠"),
        "dx": (
            ("脑梗死", "I63.900"),
            ("脑出血", "I61.900"),
            ("短暂性脑缺血发作", "G45.900"),
            ("帕金森病", "G20.x00"),
            ("阿尔茨海默病", "G30.900"),
            ("格林-巴利综合征", "G61.000"),
            ("焦虑状态", "F41.900"),
        ),
        "drugs": (
            "阿司匹林肠溶片", "硫酸氢氯吡格雷片", "丁苯酞软胶囊", "阿托伐他汀钙片", "多巴丝肼片",
            "盐酸多奈哌齐片", "盐酸舍曲林片", "艾司唑仑片", "静注人免疫球蛋白",
        ),
        "exams": ("头颅MRI", "头颅CT", "颈动脉超声", "经颅多普勒", "脑电图"),
        "procs": ("静脉溶栓", "动脉取栓术", "腰椎穿刺术"),
        "anat": ("基底节区", "颈内动脉", "大脑中动脉", "放射冠"),
        "labs": ("LDL-C", "HbA1c", "GLU", "Hcy"),
    },
    "消化科": {
        "sym": ("腹痛", "黑便", "反酸", "嗳气", "恶心", "呕吐", "黄疸", "腹泻", "纳差"),
        "dx": (
            ("胃溃疡伴出血", "K25.400"),
            ("胆囊结石伴慢性胆囊炎", "K80.100"),
            ("急性胰腺炎", "K85.900"),
            ("肝硬化失代偿期", "K74.600"),
            ("慢性乙型病毒性肝炎", "B18.100"),
            ("克罗恩病", "K50.900"),
            ("非酒精性脂肪性肝病", "K76.000"),
            ("华支睾吸虫病", "B66.100"),
        ),
        "drugs": (
            "奥美拉唑肠溶胶囊", "注射用泮托拉唑钠", "雷贝拉唑钠肠溶片", "铝碳酸镁咀嚼片", "蒙脱石散",
            "乳果糖口服溶液", "人血白蛋白", "甲硝唑片",
        ),
        "exams": ("胃镜", "结肠镜检查", "腹部B超", "上腹部增强CT", "粪隐血试验", "肝功能"),
        "procs": ("内镜下黏膜剥离术", "腹腔镜胆囊切除术", "经内镜逆行胰胆管造影", "腹腔穿刺术"),
        "anat": ("胃窦", "十二指肠球部", "胆总管", "肝右叶", "乙状结肠", "胰头"),
        "labs": ("Hb", "ALT", "TBIL", "AMY", "ALB"),
    },
    "骨科": {
        "sym": ("腰痛", "下肢麻木", "关节痛"),
        "dx": (
            ("腰椎间盘突出症", "M51.202"),
            ("股骨颈骨折", "S72.000"),
            ("膝关节骨性关节炎", "M17.900"),
            ("类风湿关节炎", "M06.900"),
            ("痛风性关节炎", "M10.900"),
        ),
        "drugs": ("塞来昔布胶囊", "盐酸曲马多缓释片", "依诺肝素钠注射液", "秋水仙碱片", "碳酸钙D3片"),
        "exams": ("腰椎MRI", "髋关节X线", "下肢血管超声", "骨密度检查"),
        "procs": ("全髋关节置换术", "人工股骨头置换术", "经皮椎体成形术", "克氏针内固定术", "膝关节镜手术"),
        "anat": ("L4/5椎间盘", "股骨颈", "膝关节", "髋臼"),
        "labs": ("Hb", "CRP", "ESR", "D-D"),
    },
    "肿瘤科": {
        "sym": ("消瘦", "乏力", "纳差", "咳嗽", "腹痛"),
        "dx": (
            ("结肠癌", "C18.900"),
            ("直肠癌", "C20.x00"),
            ("肺腺癌", "C34.900"),
            ("胃癌", "C16.900"),
            ("弥漫大B细胞淋巴瘤", "C83.300"),
            ("霍奇金淋巴瘤", "C81.900"),
        ),
        "drugs": ("卡培他滨片", "注射用奥沙利铂", "盐酸吗啡注射液", "地塞米松磷酸钠注射液", "叶酸片"),
        "exams": ("PET-CT", "胸腹盆增强CT", "肿瘤标志物", "血常规"),
        "procs": ("化疗", "放疗", "PICC置管", "输液港植入术"),
        "anat": ("乙状结肠", "肝右叶", "纵隔淋巴结", "右肺上叶"),
        "labs": ("CEA", "WBC", "PLT", "Hb"),
    },
    "肾内科": {
        "sym": ("水肿", "乏力", "纳差", "血尿", "尿频"),
        "dx": (
            ("慢性肾脏病4期", "N18.400"),
            ("肾性贫血", "D63.800"),
            ("尿路感染", "N39.000"),
            ("良性前列腺增生", "N40.x00"),
            ("系统性红斑狼疮", "M32.900"),
            ("干燥综合征", "M35.000"),
        ),
        "drugs": ("重组人促红素注射液", "碳酸氢钠片", "呋塞米片", "多糖铁复合物胶囊", "醋酸泼尼松片", "左氧氟沙星注射液"),
        "exams": ("肾功能", "尿常规", "泌尿系B超", "电解质"),
        "procs": ("血液透析", "腹膜透析", "肾穿刺活检术", "留置导尿"),
        "anat": ("右肾盂", "左肾", "膀胱"),
        "labs": ("Cr", "eGFR", "K", "Hb", "BUN"),
    },
    "血液科": {
        "sym": ("乏力", "发热", "盗汗", "消瘦", "头晕"),
        "dx": (
            ("缺铁性贫血", "D50.900"),
            ("急性髓系白血病", "C92.000"),
            ("过敏性紫癜", "D69.000"),
            ("弥漫大B细胞淋巴瘤", "C83.300"),
        ),
        "drugs": ("多糖铁复合物胶囊", "叶酸片", "醋酸泼尼松片", "注射用美罗培南"),
        "exams": ("骨髓涂片", "血常规", "凝血功能", "外周血涂片"),
        "procs": ("骨髓穿刺术", "输血", "化疗", "PICC置管"),
        "anat": ("髂后上棘", "脾脏"),
        "labs": ("Hb", "WBC", "PLT", "Fer"),
    },
    "儿科": {
        "sym": ("发热", "皮疹", "咳嗽", "腹泻", "呕吐"),
        "dx": (
            ("川崎病", "M30.300"),
            ("手足口病", "B08.401"),
            ("支气管肺炎", "J18.000"),
            ("唐氏综合征", "Q90.900"),
            ("李斯特菌感染", "A32.900"),
        ),
        "drugs": ("静注人免疫球蛋白", "阿司匹林肠溶片", "布洛芬缓释胶囊", "对乙酰氨基酚片", "阿莫西林胶囊", "蒙脱石散"),
        "exams": ("超声心动图", "血常规", "C反应蛋白", "胸片"),
        "procs": ("雾化吸入", "静脉补液"),
        "anat": ("冠状动脉", "颈部淋巴结"),
        "labs": ("WBC", "CRP", "PLT", "ESR"),
    },
    "中医科": {
        "sym": ("失眠", "乏力", "纳差", "便秘", "头晕", "盗汗", "心悸"),
        "dx": (
            ("失眠", "G47.000"),
            ("慢性胃炎", "K29.500"),
            ("高血压病2级", "I10.x03"),
            ("更年期综合征", "N95.100"),
            ("带状疱疹后神经痛", "B02.201"),
        ),
        "drugs": ("京万红软膏", "云南白药胶囊", "艾司唑仑片"),
        "exams": ("胃镜", "血常规", "肝功能"),
        "procs": ("针灸治疗", "艾灸", "拔罐"),
        "anat": ("胃脘", "足三里"),
        "labs": ("Hb", "ALT"),
    },
    "感染科": {
        "sym": ("发热", "皮疹", "腹泻", "乏力", "黄疸"),
        "dx": (
            ("带状疱疹", "B02.900"),
            ("脓毒症", "A41.900"),
            ("慢性乙型病毒性肝炎", "B18.100"),
            ("李斯特菌感染", "A32.900"),
            ("金黄色葡萄球菌败血症", "A41.000"),
        ),
        "drugs": ("阿昔洛韦片", "注射用万古霉素", "注射用美罗培南", "注射用头孢曲松钠", "甲硝唑片"),
        "exams": ("血培养", "降钙素原", "乙肝病毒DNA", "肝功能"),
        "procs": ("中心静脉置管", "腰椎穿刺术"),
        "anat": ("肝右叶", "脾脏"),
        "labs": ("WBC", "PCT", "CRP", "ALT"),
    },
}
_SPECIALTIES["老年科"] = _SPECIALTIES["心内科"]
_SPECIALTIES["普外科"] = _SPECIALTIES["消化科"]

_DOSES: dict[str, tuple[str, ...]] = {
    "阿司匹林肠溶片": ("100mg qd",),
    "硫酸氢氯吡格雷片": ("75mg qd",),
    "替格瑞洛片": ("90mg bid",),
    "阿托伐他汀钙片": ("20mg qn", "40mg qn"),
    "瑞舒伐他汀钙片": ("10mg qn",),
    "美托洛尔缓释片": ("47.5mg qd", "23.75mg qd"),
    "苯磺酸氨氯地平片": ("5mg qd",),
    "马来酸依那普利片": ("10mg bid",),
    "单硝酸异山梨酯缓释片": ("40mg qd",),
    "硝酸甘油": ("0.5mg 舌下含服",),
    "沙库巴曲缬沙坦钠片": ("50mg bid", "100mg bid"),
    "呋塞米片": ("20mg qd",),
    "螺内酯片": ("20mg qd",),
    "地高辛片": ("0.125mg qd",),
    "华法林钠片": ("2.5mg qd", "3mg qd"),
    "利伐沙班片": ("15mg qd", "20mg qd"),
    "胺碘酮片": ("0.2g tid",),
    "达比加群酯胶囊": ("110mg bid",),
    "盐酸二甲双胍片": ("0.5g tid", "0.85g bid"),
    "格列美脲片": ("2mg qd",),
    "阿卡波糖片": ("50mg tid",),
    "西格列汀片": ("100mg qd",),
    "达格列净片": ("10mg qd",),
    "恩格列净片": ("10mg qd",),
    "门冬胰岛素注射液": ("6U 三餐前", "8U 三餐前"),
    "甘精胰岛素注射液": ("12U qn", "16U qn"),
    "左甲状腺素钠片": ("50μg qd", "25μg qd"),
    "甲巯咪唑片": ("10mg tid",),
    "阿仑膦酸钠片": ("70mg 每周1次",),
    "碳酸钙D3片": ("600mg qd",),
    "非布司他片": ("40mg qd",),
    "注射用头孢曲松钠": ("2g ivgtt qd",),
    "左氧氟沙星注射液": ("0.5g ivgtt qd",),
    "盐酸莫西沙星片": ("0.4g qd",),
    "注射用哌拉西林他唑巴坦": ("4.5g ivgtt q8h",),
    "注射用万古霉素": ("1g ivgtt q12h",),
    "注射用美罗培南": ("1g ivgtt q8h",),
    "吸入用布地奈德混悬液": ("1mg 雾化 bid",),
    "硫酸沙丁胺醇气雾剂": ("100μg prn",),
    "噻托溴铵粉吸入剂": ("18μg qd",),
    "孟鲁司特钠片": ("10mg qn",),
    "盐酸氨溴索注射液": ("30mg iv bid",),
    "注射用甲泼尼龙琥珀酸钠": ("40mg ivgtt qd",),
    "丁苯酞软胶囊": ("0.2g tid",),
    "多巴丝肼片": ("125mg tid",),
    "盐酸多奈哌齐片": ("5mg qn",),
    "盐酸舍曲林片": ("50mg qd",),
    "艾司唑仑片": ("1mg qn",),
    "静注人免疫球蛋白": ("2g/kg", "20g ivgtt qd"),
    "奥美拉唑肠溶胶囊": ("20mg bid",),
    "注射用泮托拉唑钠": ("40mg ivgtt q12h",),
    "雷贝拉唑钠肠溶片": ("10mg qd",),
    "铝碳酸镁咀嚼片": ("1g tid",),
    "蒙脱石散": ("3g tid",),
    "乳果糖口服溶液": ("15ml bid",),
    "人血白蛋白": ("10g ivgtt qd",),
    "甲硝唑片": ("0.4g tid",),
    "塞来昔布胶囊": ("200mg qd",),
    "盐酸曲马多缓释片": ("100mg q12h",),
    "依诺肝素钠注射液": ("4000IU ih qd",),
    "秋水仙碱片": ("0.5mg bid",),
    "卡培他滨片": ("1000mg/m² bid",),
    "注射用奥沙利铂": ("130mg/m² d1",),
    "盐酸吗啡注射液": ("5mg ih",),
    "地塞米松磷酸钠注射液": ("5mg iv",),
    "叶酸片": ("5mg qd",),
    "重组人促红素注射液": ("3000IU ih 每周2次",),
    "碳酸氢钠片": ("1g tid",),
    "多糖铁复合物胶囊": ("150mg qd",),
    "醋酸泼尼松片": ("30mg qd",),
    "布洛芬缓释胶囊": ("0.3g bid",),
    "对乙酰氨基酚片": ("0.5g prn",),
    "阿莫西林胶囊": ("0.5g tid",),
    "阿昔洛韦片": ("0.8g 5次/日",),
    "京万红软膏": ("外用 bid",),
    "云南白药胶囊": ("0.5g qid",),
}

_HERBS = (
    "白芍 赤芍 黄芩 黄连 黄柏 黄芪 党参 白术 茯苓 甘草 当归 川芎 熟地黄 生地黄 山药 山茱萸 牡丹皮 泽泻 柴胡 "
    "枳实 厚朴 陈皮 半夏 金银花 连翘 板蓝根 石斛 麦冬 天冬 五味子 酸枣仁 远志 丹参 三七 红花 桃仁 王不留行 "
    "徐长卿 刘寄奴 何首乌 马齿苋 夏枯草 常山 白头翁 怀牛膝 杜仲 续断 桑寄生 秦艽 防风 羌活 独活 白芷 细辛 "
    "桂枝 麻黄 杏仁 浙贝母 川贝母 瓜蒌 薏苡仁 砂仁 木香 香附 郁金 延胡索 天麻 钩藤 石决明 龙骨 牡蛎 车前子 "
    "金钱草 海金沙 鸡内金 焦山楂 宁夏枸杞 菊花 决明子 葛根 升麻 知母 石膏 淡竹叶 使君子 苏子 广藿香 佩兰 "
    "益母草 艾叶 阿胶 西洋参 太子参 灵芝"
).split()
_TCM_SIGNS = ("舌红苔薄黄", "舌淡苔白腻", "脉弦细", "脉沉细", "脉滑数", "舌暗红苔少")
_SIGNS = (
    "墨菲征阳性", "巴氏征阳性", "麦氏点压痛", "杨梅舌", "桶状胸", "双肺湿啰音", "颈静脉怒张", "双下肢凹陷性水肿",
    "肝掌", "蜘蛛痣",
)  # fmt: skip
_PAST = (
    "高血压病", "2型糖尿病", "慢性胃炎", "胆囊切除术后", "阑尾切除术后", "白内障术后", "青光眼", "痛风",
    "脑梗死后遗症", "慢性乙型病毒性肝炎", "银屑病", "抑郁症",
)  # fmt: skip
_ALLERGY = ("青霉素", "磺胺类药物", "头孢类抗生素", "碘造影剂")
_COMPLICATIONS = ("心律失常", "血栓形成", "肺栓塞", "穿孔", "造影剂过敏", "吻合口瘘", "气胸")


def _all_terms() -> tuple[str, ...]:
    seen: list[str] = []
    pools: list[tuple | list] = [_SYMPTOMS, _HERBS, _TCM_SIGNS, _SIGNS, _PAST, _ALLERGY, _COMPLICATIONS, list(_DOSES)]
    for sp in _SPECIALTIES.values():
        pools += [sp["sym"], [d for d, _ in sp["dx"]], sp["drugs"], sp["exams"], sp["procs"], sp["anat"]]
    for pool in pools:
        for t in pool:
            if t not in seen:
                seen.append(t)
    return tuple(seen)


CLINICAL_TERMS: tuple[str, ...] = _all_terms()

# lab key -> (label, unit, lo, hi, decimals)
_LABS: dict[str, tuple[str, str, float, float, int]] = {
    "WBC": ("WBC", "×10^9/L", 2.8, 18.5, 1),
    "Hb": ("Hb", "g/L", 68, 162, 0),
    "PLT": ("PLT", "×10^9/L", 45, 420, 0),
    "CRP": ("CRP", "mg/L", 0.8, 168, 1),
    "PCT": ("PCT", "ng/mL", 0.05, 12, 2),
    "Cr": ("Cr", "μmol/L", 48, 520, 0),
    "eGFR": ("eGFR", "mL/min/1.73m²", 9, 118, 0),
    "BUN": ("BUN", "mmol/L", 3.1, 28, 1),
    "K": ("K+", "mmol/L", 2.9, 6.3, 1),
    "GLU": ("空腹血糖", "mmol/L", 4.2, 18.6, 1),
    "HbA1c": ("HbA1c", "%", 5.4, 12.1, 1),
    "cTnI": ("cTnI", "ng/mL", 0.01, 28, 2),
    "NT-proBNP": ("NT-proBNP", "pg/mL", 60, 12000, 0),
    "LDL-C": ("LDL-C", "mmol/L", 1.2, 5.6, 2),
    "INR": ("INR", "", 0.9, 3.6, 2),
    "TSH": ("TSH", "mIU/L", 0.01, 14, 2),
    "FT4": ("FT4", "pmol/L", 6, 58, 1),
    "UA": ("UA", "μmol/L", 210, 620, 0),
    "ALT": ("ALT", "U/L", 9, 260, 0),
    "TBIL": ("TBIL", "μmol/L", 6, 180, 1),
    "AMY": ("AMY", "U/L", 40, 1800, 0),
    "ALB": ("ALB", "g/L", 21, 46, 1),
    "PaO2": ("PaO2", "mmHg", 48, 98, 0),
    "D-D": ("D-二聚体", "mg/L", 0.1, 8.5, 2),
    "Hcy": ("Hcy", "μmol/L", 8, 36, 1),
    "ESR": ("ESR", "mm/h", 4, 96, 0),
    "CEA": ("CEA", "ng/mL", 0.8, 86, 1),
    "Fer": ("铁蛋白", "ng/mL", 4, 820, 0),
}

# adult reference ranges as printed on Shanghai lab sheets (approximate)
_REF = {
    "WBC": "3.5-9.5", "Hb": "130-175", "PLT": "125-350", "CRP": "0-10", "PCT": "<0.05", "Cr": "57-111",
    "eGFR": ">90", "BUN": "3.1-8.0", "K": "3.5-5.3", "GLU": "3.9-6.1", "HbA1c": "4.0-6.0", "cTnI": "<0.04",
    "NT-proBNP": "<125", "LDL-C": "<3.4", "INR": "0.8-1.2", "TSH": "0.27-4.2", "FT4": "12-22", "UA": "208-428",
    "ALT": "9-50", "TBIL": "0-21", "AMY": "35-135", "ALB": "40-55", "PaO2": "80-100", "D-D": "<0.55",
    "Hcy": "<15", "ESR": "0-15", "CEA": "<5", "Fer": "30-400",
}  # fmt: skip

_MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 176 177 180 181 182 "
    "183 185 186 187 188 189 191 195 198 199"
).split()
_UNIONPAY_BINS = (("622202", 19), ("621700", 19), ("622848", 19), ("621661", 19), ("622588", 16), ("621483", 16))
_VISA_BINS = ("427020", "438088", "404738", "451804")
_MASTER_BINS = ("512315", "524094", "552534", "518718")
_WEBMAIL = ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "hotmail.com", "yahoo.com.cn", "139.com")
_CORP_MAIL = ("sh-metro.com.cn", "baosteel.com", "saicmotor.com", "sinopec.com", "bankcomm.com", "fudan.edu.cn")
_PINYIN_SYL = (
    "zhang wang chen li xu zhu zhou shen lu gu huang wu yang jin liu hu sun yao qian jiang shao yu "
    "wei min hua jun fang ying ling hao ming jie lei ping qiang xin yan mei"
).split()

_RELATIONS_ADULT = ("儿子", "女儿", "妻子", "丈夫", "儿媳", "女婿", "侄子", "外甥女")
_RELATIONS_CHILD = ("母亲", "父亲", "祖母", "外婆")
_TITLES = ("主任", "医生", "护士长", "主治", "教授", "老师")

# ---------------------------------------------------------------------------------------------
# Spans and the note builder
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _I:
    kind: str
    form: str
    value: str
    labelled: bool


@dataclass(frozen=True)
class _D:
    kind: str
    value: str


@dataclass(frozen=True)
class _C:
    value: str


_Part = str | _I | _D | _C | list


class _Doc:
    """Text with tagged spans; offsets are taken as the text is appended, so they cannot drift."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.pos = 0
        self.ids: list[dict] = []
        self.decoys: list[dict] = []
        self.terms: list[dict] = []

    def put(self, part: _Part) -> None:
        if isinstance(part, list):
            for p in part:
                self.put(p)
            return
        if isinstance(part, str):
            self.buf.append(part)
            self.pos += len(part)
            return
        start = self.pos
        self.buf.append(part.value)
        self.pos += len(part.value)
        if isinstance(part, _I):
            self.ids.append(
                {
                    "kind": part.kind,
                    "form": part.form,
                    "value": part.value,
                    "start": start,
                    "end": self.pos,
                    "labelled": part.labelled,
                }
            )
        elif isinstance(part, _D):
            self.decoys.append({"kind": part.kind, "value": part.value, "start": start, "end": self.pos})
        else:
            self.terms.append({"value": part.value, "start": start, "end": self.pos})

    def f(self, template: str, **slots: _Part) -> None:
        """Append ``template`` with ``{slot}`` fields replaced by plain text or tagged spans."""
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            if literal:
                self.put(literal)
            if name is not None:
                self.put(slots[name])

    @property
    def text(self) -> str:
        return "".join(self.buf)


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass
class _Person:
    surname: str
    given: str
    sex: str  # "男" / "女"
    kind: str  # "ordinary", "rare_surname", "compound_surname", "word_like_name"
    dob: date | None = None
    area: str = ""
    seq: str = ""
    cache: dict = field(default_factory=dict)

    @property
    def full(self) -> str:
        return self.surname + self.given


@dataclass
class _Pools:
    surnames: list[str]
    given_m: list[str]
    given_f: list[str]
    rare: tuple[str, ...]
    compound: tuple[str, ...]
    word_like: tuple[tuple[str, str], ...]


_POOLS: dict[str, _Pools] = {}

#: the later splits' code, by split: heldout2's (a namespace of the ``_h2_*`` functions below the fence
#: at the end of this module) and the modules heldout3.py … heldout8.py. ``_Ctx`` calls a
#: split's hooks (``pools``, ``new_person``, ``name``, ``rid`` …) only when it renders that split; a
#: hook that returns None leaves the rendering to dev's code.
_HOOKS: dict[str, Any] = {}


def _pools(split: str) -> _Pools:
    hook = _HOOKS.get(split)
    if hook is not None:
        return hook.pools()
    if split not in _POOLS:
        fm, ff = _faker_given()
        sur = _split_alternate(_COMMON_SURNAMES)
        gm = _split_alternate(_OWN_GIVEN_M + fm)
        gf = _split_alternate(_OWN_GIVEN_F + ff)
        _POOLS[split] = _Pools(
            surnames=sur[split],
            given_m=gm[split],
            given_f=gf[split],
            rare=_RARE_SURNAMES[split],
            compound=_COMPOUND_SURNAMES[split],
            word_like=_WORD_LIKE_NAMES[split],
        )
    return _POOLS[split]


# ---------------------------------------------------------------------------------------------
# The per-note context: one patient, their family and the staff, all renderers
# ---------------------------------------------------------------------------------------------


class _Ctx:
    def __init__(self, rng: random.Random, split: str, style: str) -> None:
        self.rng = rng
        self.split = split
        self.style = style
        self.pools = _pools(split)
        self.d = _Doc()
        self.heldout = split == "heldout"
        self.h2 = split == "heldout2"
        # the later splits add their own forms through hooks (_HOOKS), which run only for their split;
        # dev's forms, which every split has, are rendered by the code here
        self.hook = _HOOKS.get(split)
        self.fsplit = "dev" if self.hook is not None else split
        self.visit = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 1276))
        self.dept = rng.choice(_DEPTS)
        self.sp = _SPECIALTIES[self.dept]
        child = self.dept == "儿科"
        self.patient = self.new_person(with_identity=True, child=child)
        self.age = self._age_at(self.patient.dob, self.visit)
        self.hospital = rng.choice(_HOSPITALS)
        self.used_terms: list[str] = []

    # -- small helpers ------------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    @staticmethod
    def _age_at(dob: date, when: date) -> int:
        return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))

    def new_person(
        self, with_identity: bool = False, child: bool = False, sex: str | None = None, role: str = ""
    ) -> _Person:
        if self.hook is not None:
            return self.hook.new_person(self, with_identity, child, sex, role)
        rng, pl = self.rng, self.pools
        sex = sex or rng.choice("男女")
        r = rng.random()
        given_pool = pl.given_m if sex == "男" else pl.given_f
        if r < 0.07:
            p = _Person(rng.choice(pl.rare), rng.choice(given_pool), sex, "rare_surname")
        elif r < 0.14:
            p = _Person(rng.choice(pl.compound), rng.choice(given_pool), sex, "compound_surname")
        elif r < 0.21:
            s, g = rng.choice(pl.word_like)
            p = _Person(s, g, sex, "word_like_name")
        else:
            p = _Person(rng.choice(pl.surnames), rng.choice(given_pool), sex, "ordinary")
        if with_identity:
            if child:
                age = rng.randrange(0, 15)
            else:
                age = rng.choices((rng.randrange(18, 45), rng.randrange(45, 96)), weights=(25, 75))[0]
            year = self.visit.year - age - 1
            p.dob = date(year, 1, 1) + timedelta(days=rng.randrange(0, 365))
            p.area = rng.choice(_SH_AREA_CODES) if rng.random() < 0.7 else rng.choice(_OTHER_AREA_CODES)
            odd = sex == "男"
            want_x = rng.random() < (0.3 if self.heldout else 0.2)
            for _ in range(400):
                seq = _digits(rng, 2) + rng.choice("13579" if odd else "02468")
                chk = gb11643_check(p.area + p.dob.strftime("%Y%m%d") + seq)
                if (chk == "X") == want_x:
                    break
            p.seq = seq
        return p

    def relative(self) -> tuple[_Person, str]:
        rel = self.pick(_RELATIONS_CHILD if self.age < 18 else _RELATIONS_ADULT)
        sex = "女" if rel in ("女儿", "妻子", "儿媳", "外甥女", "母亲", "祖母", "外婆") else "男"
        person = self.new_person(sex=sex, role="relative")
        if rel in ("儿子", "女儿", "父亲", "侄子") and person.kind == "ordinary" and self.patient.kind == "ordinary":
            person.surname = self.patient.surname
        return person, rel

    def staff(self) -> _Person:
        return self.new_person(role="staff")

    # -- terms and decoys ---------------------------------------------------------------------
    def term(self, value: str) -> _C:
        self.used_terms.append(value)
        return _C(value)

    def sym(self) -> _C:
        return self.term(self.pick(self.sp["sym"]))

    def dx(self) -> tuple[_C, _D]:
        name, code = self.pick(self.sp["dx"])
        return self.term(name), _D("icd_code", code)

    def drug(self) -> list:
        name = self.pick(self.sp["drugs"])
        return [self.term(name), " ", _D("dose", self.pick(_DOSES[name]))]

    def herbs(self, k: int) -> list:
        out: list = []
        for i, h in enumerate(self.rng.sample(_HERBS, k)):
            out += (["、"] if i else []) + [self.term(h), f"{self.pick((6, 9, 10, 12, 15, 20, 30))}g"]
        return out

    def lab(self, key: str | None = None, bare: bool = False) -> list:
        key = key or self.pick(self.sp["labs"])
        label, unit, lo, hi, dec = _LABS[key]
        v = self.rng.uniform(lo, hi)
        num = f"{v:.{dec}f}"
        if bare:
            return [_D("lab_value", num)]
        return [f"{label} ", _D("lab_value", num + unit)]

    def vitals(self, which: str = "TPRB") -> list:
        rng = self.rng
        out: list = []
        parts = {
            "T": lambda: ["T ", _D("vital_sign", f"{rng.uniform(36.1, 39.4):.1f}℃")],
            "P": lambda: ["P ", _D("vital_sign", f"{rng.randrange(56, 128)}次/分")],
            "R": lambda: ["R ", _D("vital_sign", f"{rng.randrange(14, 28)}次/分")],
            "B": lambda: [
                "BP ",
                _D("vital_sign", f"{rng.randrange(96, 188)}/{rng.randrange(52, 108)}mmHg"),
            ],
            "S": lambda: ["SpO2 ", _D("vital_sign", f"{rng.randrange(88, 100)}%")],
        }
        for i, k in enumerate(which):
            out += ([" "] if i else []) + parts[k]()
        return out

    def age_decoy(self) -> _D:
        if self.age < 1:
            return _D("age", f"{self.rng.randrange(2, 11)}月龄")
        return _D("age", f"{self.age}岁")

    def date_decoy(self, d: date | None = None, fmt: str | None = None) -> _D:
        d = d or self.visit
        fmt = fmt or self.pick(("iso", "cn", "dot", "slash"))
        s = {
            "iso": d.isoformat(),
            "cn": f"{d.year}年{d.month}月{d.day}日",
            "dot": d.strftime("%Y.%m.%d"),
            "slash": f"{d.year}/{d.month}/{d.day}",
        }[fmt]
        return _D("visit_date", s)

    def later(self, days_lo: int, days_hi: int) -> date:
        return self.visit + timedelta(days=self.rng.randrange(days_lo, days_hi))

    def bed(self) -> _D:
        return _D("bed_no", self.pick((f"{self.rng.randrange(1, 48)}床", f"+{self.rng.randrange(1, 6)}床")))

    def amount(self, lo: float = 20, hi: float = 90000) -> _D:
        v = self.rng.uniform(lo, hi)
        return _D("amount", self.pick((f"{v:,.2f}元", f"¥{v:.2f}", f"{v:.2f}元")))

    def masked(self) -> _D:
        rng = self.rng
        p = self.patient
        rid = p.area + p.dob.strftime("%Y%m%d") + p.seq + gb11643_check(p.area + p.dob.strftime("%Y%m%d") + p.seq)
        choices = (
            rid[:4] + "*" * 10 + rid[-4:],
            rid[:6] + "********" + rid[-4:],
            self.pick(_MOBILE_PREFIXES) + "****" + _digits(rng, 4),
            "6222 **** **** " + _digits(rng, 4),
        )
        return _D("masked_identifier", self.pick(choices))

    def facility(self) -> _D:
        return _D("facility_name", self.hospital)

    # -- identifiers --------------------------------------------------------------------------
    def name(self, person: _Person, context_form: str, labelled: bool) -> _I:
        if self.hook is not None:
            return self.hook.name(self, person, context_form, labelled)
        form = context_form if person.kind == "ordinary" else person.kind
        return _I("person_name", form, person.full, labelled)

    def pname(self, labelled: bool = True) -> _I:
        return self.name(self.patient, "patient_with_context" if labelled else "patient_no_context", labelled)

    def surname_title(self, person: _Person | None = None, title: str | None = None) -> list:
        """``王主任``: the span is the surname only; ``title=""`` leaves the title to the template."""
        if self.hook is not None:
            alt = self.hook.surname_title(self, person, title)
            if alt is not None:
                return alt
        person = person or self.staff()
        title = self.pick(_TITLES) if title is None else title
        return [_I("person_name", "surname_title", person.surname, True), title]

    def nickname(self, person: _Person) -> _I:
        if person.kind == "compound_surname" or self.chance(0.25):
            nick = "阿" + person.given[-1]
        else:
            nick = self.pick(_NICK_PREFIX) + person.surname
        return _I("person_name", "nickname", nick, False)

    def pinyin_name(self) -> _I:
        sur = self.pick(_PINYIN_SURNAMES["heldout"])
        given = self.pick(_PINYIN_GIVEN)
        return _I("person_name", "pinyin", self.pick((f"{sur} {given}", f"{sur.upper()} {given}")), True)

    def rid(self, labelled: bool = True, allow_old: bool = True) -> _I:
        if self.hook is not None:
            alt = self.hook.rid(self, labelled)
            if alt is not None:
                return alt
        p = self.patient
        body = p.area + p.dob.strftime("%Y%m%d") + p.seq
        full = body + gb11643_check(body)
        options = ["plain", "plain", "fullwidth", "spaced_groups", "dashed"]
        if allow_old and p.dob.year < 1985:
            options.append("old15")
        if self.heldout and full.endswith("X"):
            options += ["lowercase_x", "lowercase_x"]
        w = self.pick(options)
        if w == "old15":
            return _I("resident_id", "old15", p.area + p.dob.strftime("%y%m%d") + p.seq, labelled)
        if w == "fullwidth":
            return _I("resident_id", "fullwidth", _fw(full), labelled)
        if w == "spaced_groups":
            return _I("resident_id", "spaced_groups", f"{full[:6]} {full[6:14]} {full[14:]}", labelled)
        if w == "dashed":
            return _I("resident_id", "dashed", f"{full[:6]}-{full[6:14]}-{full[14:]}", labelled)
        if w == "lowercase_x":
            return _I("resident_id", "lowercase_x", full[:-1] + "x", labelled)
        return _I("resident_id", "x_checkdigit" if full.endswith("X") else "plain18", full, labelled)

    def mobile_digits(self, person: _Person) -> str:
        if "mobile" not in person.cache:
            person.cache["mobile"] = self.pick(_MOBILE_PREFIXES) + _digits(self.rng, 8)
        return person.cache["mobile"]

    def phone(self, person: _Person | None = None, labelled: bool = True, landline_ok: bool = True) -> _I:
        person = person or self.patient
        if self.hook is not None:
            alt = self.hook.phone(self, person, labelled, landline_ok)
            if alt is not None:
                return alt
        forms = ["mobile_plain", "mobile_plain", "mobile_plus86", "mobile_spaced", "mobile_dashed", "mobile_fullwidth"]
        if landline_ok:
            forms += ["landline_021", "landline_no_area"]
        form = self.pick(forms)
        if form.startswith("landline"):
            if "land" not in person.cache:
                person.cache["land"] = self.pick("2345656") + _digits(self.rng, 7)
            n = person.cache["land"]
            if form == "landline_021":
                v = self.pick((f"021-{n}", f"(021){n}", f"021-{n[:4]} {n[4:]}", f"021{n}"))
            else:
                v = self.pick((n, f"{n[:4]} {n[4:]}", f"{n[:4]}-{n[4:]}"))
            return _I("phone", form, v, labelled)
        m = self.mobile_digits(person)
        v = {
            "mobile_plain": m,
            "mobile_plus86": self.pick((f"+86 {m}", f"+86-{m}", f"+86{m}")),
            "mobile_spaced": f"{m[:3]} {m[3:7]} {m[7:]}",
            "mobile_dashed": f"{m[:3]}-{m[3:7]}-{m[7:]}",
            "mobile_fullwidth": _fw(m),
        }[form]
        return _I("phone", form, v, labelled)

    def dob(self, labelled: bool = True, person: _Person | None = None) -> _I:
        if self.hook is not None:
            alt = self.hook.dob(self, labelled, person or self.patient)
            if alt is not None:
                return alt
        d = (person or self.patient).dob
        form = self.pick(FORMS[self.fsplit]["date_of_birth"])
        mon = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[d.month - 1]
        v = {
            "iso": d.isoformat(),
            "cn_full": self.pick((f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y年%m月%d日"))),
            "dotted": d.strftime("%Y.%m.%d"),
            "slashed": self.pick((f"{d.year}/{d.month}/{d.day}", d.strftime("%Y/%m/%d"))),
            "cn_year_month": f"{d.year}年{d.month}月",
            "cn_numerals": "".join(_CN_DIGITS[int(c)] for c in str(d.year))
            + f"年{_cn_small(d.month)}月{_cn_small(d.day)}日",
            "compact8": d.strftime("%Y%m%d"),
            "en_month": self.pick((f"{d.day:02d}-{mon}-{d.year}", f"{mon} {d.day}, {d.year}")),
        }[form]
        return _I("date_of_birth", form, v, labelled)

    def dob_labelled(self) -> list:
        """A date of birth with one of the labels clinicians use, before or after it."""
        if self.hook is not None:
            return self.hook.dob_labelled(self)
        v = self.dob(True)
        if v.form == "en_month":
            return ["DOB: ", v]
        style = self.pick(("出生日期：", "生于", "出生于", "DOB: ", "生日：", "出生：", "_出生", "_生"))
        if v.form == "cn_numerals":
            style = self.pick(("出生日期：", "生于", "_出生"))
        if style.startswith("_"):
            return [v, style[1:]]
        return [style, v]

    def card(self, labelled: bool = True, forms: tuple[str, ...] | None = None) -> list:
        p = self.patient
        if self.hook is not None:
            alt = self.hook.card(self, labelled, forms)
            if isinstance(alt, list):
                return alt
            forms = (alt,)
        forms = forms or FORMS[self.fsplit]["card_number"]
        form = self.pick(forms)
        rng = self.rng
        if form not in p.cache:
            region = p.area if p.area.startswith("31") else "310000"
            p.cache[form] = {
                "sscard_digits9": _digits(rng, 9, first_nonzero=True),
                "sscard_letter9": rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + _digits(rng, 8),
                "yb_personal_code": region + _digits(rng, 14),
                "canbao_no": _digits(rng, 10, first_nonzero=True),
                "visit_card": self.pick(("00" + _digits(rng, 8), "JZ" + _digits(rng, 8), _digits(rng, 12, True))),
                "card_sn32": "310000D156000005" + "".join(rng.choice("0123456789ABCDEF") for _ in range(16)),
                "coop_medical_no": region + _digits(rng, 10) + "-0" + str(rng.randrange(1, 6)),
                "psn_no_alpha": self.pick(("H" + region + _digits(rng, 12), "JM" + _digits(rng, 10))),
                "sscard_fullwidth": _fw(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + _digits(rng, 8)),
            }[form]
        value = p.cache[form]
        span = _I("card_number", form, value, labelled)
        if not labelled:
            return [span]
        label = self.pick(
            {
                "sscard_digits9": ("社保卡号：", "社会保障卡卡号 ", "医保卡号：", "社保卡 "),
                "sscard_letter9": ("社保卡号：", "社会保障卡卡号：", "医保卡号 ", "社保卡："),
                "yb_personal_code": ("医保个人编码：", "人员编号：", "医保编号 "),
                "canbao_no": ("参保号：", "个人社保编号：", "社保电脑号 "),
                "visit_card": ("就诊卡号：", "就诊卡 ", "卡号："),
                "card_sn32": ("卡识别码：", "社保卡识别码 "),
                "coop_medical_no": ("合作医疗证号：", "新农合证号 "),
                "psn_no_alpha": ("人员编号：", "医保人员编号 "),
                "sscard_fullwidth": ("社保卡号：", "医保卡号："),
            }[form]
        )
        return [label, span]

    def rec(self, labelled: bool = True, form: str | None = None) -> list:
        p = self.patient
        rng = self.rng
        if self.hook is not None and form is None:
            alt = self.hook.rec(self, labelled)
            if alt is not None:
                return alt
        form = form or self.pick(FORMS[self.fsplit]["hospital_record_no"])
        key = "rec_" + form
        if key not in p.cache:
            p.cache[key] = {
                "outpatient_no": _digits(rng, 10),
                "inpatient_no": _digits(rng, self.pick((6, 7, 8)), first_nonzero=True),
                "case_no": "00" + _digits(rng, 6),
                "imaging_no": self.pick(("P", "X", "")) + _digits(rng, 8, first_nonzero=True),
                "alpha_prefixed": self.pick(("ZY", "MZ")) + str(self.visit.year) + _digits(rng, 6),
                "fullwidth": _fw(_digits(rng, 7, first_nonzero=True)),
            }[form]
        value = p.cache[key]
        span = _I("hospital_record_no", form, value, labelled)
        if not labelled:
            return [span]
        label = {
            "outpatient_no": self.pick(("门诊号：", "门诊号 ", "ID号：")),
            "inpatient_no": self.pick(("住院号：", "住院号 ", "住院号:")),
            "case_no": self.pick(("病案号：", "病案号 ")),
            "imaging_no": self.pick(("影像号：", "放射号 ", "PACS号：")),
            "alpha_prefixed": "住院号：" if value.startswith("ZY") else "门诊号：",
            "fullwidth": self.pick(("住院号：", "病案号：")),
        }[form]
        return [label, span]

    def bank(self, labelled: bool = True, person: _Person | None = None) -> _I:
        rng = self.rng
        if self.hook is not None:
            alt = self.hook.bank(self, labelled)
            if alt is not None:
                return alt
        form = self.pick(FORMS[self.fsplit]["bank_card"])
        if form.startswith("unionpay"):
            bin_, n = self.pick(_UNIONPAY_BINS)
        else:
            bin_, n = self.pick(_VISA_BINS if form == "visa" else _MASTER_BINS), 16
        num = _luhn_complete(bin_ + _digits(rng, n - len(bin_) - 1))
        if form == "unionpay_spaced" or (form in ("visa", "mastercard") and self.chance(0.5)):
            num = " ".join(num[i : i + 4] for i in range(0, len(num), 4))
        return _I("bank_card", form, num, labelled)

    def email(self, labelled: bool = True) -> _I:
        rng = self.rng
        if self.hook is not None:
            alt = self.hook.email(self, labelled)
            if alt is not None:
                return alt
        form = self.pick(FORMS[self.fsplit]["email"])
        a, b = self.pick(_PINYIN_SYL), self.pick(_PINYIN_SYL)
        v = {
            "qq_numeric": _digits(rng, self.pick((8, 9, 10)), True) + "@qq.com",
            "pinyin_webmail": f"{a}{b}{self.pick(('', str(rng.randrange(60, 99)), str(rng.randrange(1960, 2005))))}"
            f"@{self.pick(_WEBMAIL)}",
            "dotted_local": f"{a}.{b}{self.pick(('', '_', '-'))}{rng.randrange(1, 999)}@{self.pick(_WEBMAIL)}",
            "corporate": f"{a}{b[0]}{self.pick(('', str(rng.randrange(1, 99))))}@{self.pick(_CORP_MAIL)}",
        }[form]
        return _I("email", form, v, labelled)

    def address(self, labelled: bool = True) -> _I:
        rng = self.rng
        if self.hook is not None:
            alt = self.hook.address(self, labelled)
            if alt is not None:
                return alt
        form = self.pick(FORMS[self.fsplit]["address"])
        streets = _STREETS[self.split]
        district = self.pick(list(streets))
        road = self.pick(streets[district])
        lane, bldg, room = rng.randrange(1, 1800), rng.randrange(1, 40), rng.randrange(1, 24) * 100 + rng.randrange(1, 6)
        city = self.pick(("上海市", ""))
        if form == "with_district":
            v = self.pick(
                (
                    f"{city}{district}{road}{lane}弄{bldg}号{room}室",
                    f"{city}{district}{road}{rng.randrange(1, 3000)}号",
                    f"{city}{district}{road}{lane}弄{bldg}号",
                )
            )
        elif form == "no_district":
            v = self.pick((f"{road}{lane}弄{bldg}号{room}室", f"{road}{rng.randrange(1, 3000)}号{room}室"))
        elif form == "lane_hyphen":
            v = self.pick((f"{road}{lane}弄{bldg}-{room}", f"{district}{road}{lane}弄{bldg}-{room}室"))
        elif form == "village_group":
            dist, town, village = self.pick(_VILLAGES[self.split])
            v = f"{self.pick((dist, ''))}{town}{village}{rng.randrange(1, 16)}组{rng.randrange(1, 300)}号"
        elif form == "compound_name":
            dist, nv = self.pick(_NEW_VILLAGES[self.split])
            v = self.pick((f"{dist}{nv}{bldg}号{room}室", f"{nv}{bldg}号楼{room}室", f"{dist}{nv}{bldg}幢{room}"))
        else:
            head, town, road2 = self.pick(_OUT_OF_TOWN[self.split])
            v = f"{head}{town}{road2}{rng.randrange(1, 500)}号"
        return _I("address", form, v, labelled)

    def addr_labelled(self) -> list:
        return [self.pick(("住址：", "现住址：", "家庭住址：", "户籍地址：", "联系地址：", "居住地 ")), self.address(True)]

    def rid_labelled(self) -> list:
        if self.hook is not None:
            return self.hook.rid_labelled(self)
        return [self.pick(("身份证号：", "身份证：", "公民身份号码 ", "证件号码：", "身份证号码:", "ID:")), self.rid(True)]

    def phone_labelled(self, person: _Person | None = None) -> list:
        return [self.pick(("联系电话：", "电话：", "手机 ", "Tel: ", "联系方式：", "电话")), self.phone(person, True)]

    # -- decoys with long digit strings -------------------------------------------------------
    def invoice(self) -> list:
        rng = self.rng
        if self.chance(0.5):
            return ["发票号码：", _D("invoice_no", f"{self.visit.year % 100}31" + _digits(rng, 16))]
        return [
            "票据代码 ",
            _D("invoice_no", "3106" + _digits(rng, 4)),
            " 票据号码 ",
            _D("invoice_no", _digits(rng, 10)),
        ]

    def approval(self) -> list:
        rng = self.rng
        v = self.pick(("H", "Z", "J", "S")) + self.pick(("1998", "2000", "2001", "2002", "2003", "2005", "2013", "3102"))
        return [_D("drug_approval_no", "国药准字" + v + _digits(rng, 4))]

    def batch(self) -> list:
        rng = self.rng
        y = self.visit.year % 100
        v = self.pick((f"{y}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}", f"B{y}{_digits(rng, 5)}", f"{_digits(rng, 10)}"))
        return [self.pick(("批号：", "批号 ", "生产批号")), _D("batch_no", v)]

    def order_no(self) -> list:
        return [self.pick(("医嘱号 ", "医嘱号：")), _D("order_no", self.visit.strftime("%Y%m%d") + _digits(self.rng, 6))]

    def specimen(self) -> list:
        return [
            self.pick(("标本号 ", "条码号：", "标本条码 ")),
            _D("specimen_no", self.pick(("1" + _digits(self.rng, 11), self.visit.strftime("%y%m%d") + _digits(self.rng, 4)))),
        ]

    def exam_no(self, mod: str = "CT") -> list:
        return ["检查号：", _D("exam_no", mod + self.visit.strftime("%Y%m%d") + _digits(self.rng, 4))]

    def ext(self) -> list:
        return [self.pick(("分机", "内线 ", "科室电话分机")), _D("ward_phone_extension", _digits(self.rng, 4, True))]

    def hotline(self) -> _D:
        return _D("hotline", self.pick(("12320", "12393", f"400-{_digits(self.rng, 3, True)}-{_digits(self.rng, 4)}", "962218")))

    def credit(self) -> list:
        return ["统一社会信用代码 ", _D("credit_code", _uscc(self.pick(("310000", "310104", "310101", "310110")), self.rng))]

    def facility_code(self) -> list:
        return ["定点机构编码 ", _D("facility_code", "H" + self.pick(("310104", "310101", "310110", "310115")) + _digits(self.rng, 5))]

    def device(self) -> list:
        model = self.pick(
            (
                "Firebird2 3.0×29mm",
                "Resolute Integrity 2.75×18mm",
                "Azure XT DR MRI W1DR01",
                "BD Venflon 22G",
                "PICC 4Fr 55cm",
                "Excel 3.5×24mm",
            )
        )
        return [_D("device_model", model), "（", _D("device_reg_no", f"国械注{self.pick(('准', '进'))}20{_digits(self.rng, 9)}"), "）"]


# ---------------------------------------------------------------------------------------------
# Header blocks and name mentions shared by several styles
# ---------------------------------------------------------------------------------------------


_HEADER_FIELDS = {
    "name": lambda c: ["姓名：", c.pname(True)],
    "sex": lambda c: [f"性别：{c.patient.sex}"],
    "age": lambda c: ["年龄：", c.age_decoy()],
    "dob": lambda c: c.dob_labelled(),
    "rid": lambda c: c.rid_labelled(),
    "phone": lambda c: c.phone_labelled(),
    "addr": lambda c: c.addr_labelled(),
    "card": lambda c: c.card(True),
    "rec": lambda c: c.rec(True),
    "bed": lambda c: ["床号：", c.bed()],
    "dept": lambda c: [f"科室：{c.dept}"],
    "visit": lambda c: ["就诊日期：", c.date_decoy()],
    "email": lambda c: ["邮箱：", c.email(True)],
}


def _header(c: _Ctx, fields: list[str], sep: str = "  ") -> None:
    for i, f in enumerate(fields):
        if i:
            c.d.put(sep)
        c.d.put(_HEADER_FIELDS[f](c))


def _some(c: _Ctx, pool: list[str], k_lo: int, k_hi: int, must: tuple[str, ...] = ()) -> list[str]:
    rest = [f for f in pool if f not in must]
    k = max(0, c.rng.randint(k_lo, k_hi) - len(must))
    chosen = list(must) + c.rng.sample(rest, min(k, len(rest)))
    return [f for f in pool if f in chosen]


def _doctor(c: _Ctx, person: _Person | None = None) -> _I:
    return c.name(person or c.staff(), "doctor", True)


def _nurse(c: _Ctx, person: _Person | None = None) -> _I:
    return c.name(person or c.staff(), "nurse", True)


def _patient_mention(c: _Ctx) -> list:
    """The patient named again inside the prose: with 患者, bare, or (held-out) by nickname."""
    if c.hook is not None:
        alt = c.hook.patient_mention(c)
        if alt is not None:
            return alt
    r = c.rng.random()
    if c.heldout and r < 0.2:
        return [c.nickname(c.patient)]
    if r < 0.55:
        return ["患者", c.pname(True)]
    return [c.pname(False)]


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------


def _s_outpatient(c: _Ctx) -> None:
    d = c.d
    d.f("{h} 门诊病历 {dept}\n", h=c.facility(), dept=c.dept)
    _header(c, _some(c, ["name", "sex", "age", "dob", "rec", "card", "phone", "rid"], 4, 6, ("name",)), " ")
    dxn, icd = c.dx()
    d.f(
        "\n主诉：{s1}{n}天，伴{s2}。\n现病史：{pm}{n2}天前无明显诱因出现{s1b}，自服药物未见好转。既往{past}史。"
        "过敏史：{allergy}。\n查体：{v}。\n辅检：{lab}；{exam}待查。\n诊断：{dx}（{icd}）\n处理：{drug1}；{drug2}。"
        "{review}复诊，不适随诊。\n医师：{doc}",
        s1=c.sym(),
        n=str(c.rng.randrange(1, 15)),
        s2=c.sym(),
        pm=_patient_mention(c),
        n2=str(c.rng.randrange(1, 15)),
        s1b=c.sym(),
        past=c.term(c.pick(_PAST)),
        allergy=c.pick(["否认", c.term(c.pick(_ALLERGY))]),
        v=c.vitals(c.pick(("TPB", "BS", "TPRB"))),
        lab=c.lab(),
        exam=c.term(c.pick(c.sp["exams"])),
        dx=dxn,
        icd=icd,
        drug1=c.drug(),
        drug2=c.drug(),
        review=[c.pick(("", "1周后 ", "2周后 ")), c.date_decoy(c.later(7, 30))] if c.chance(0.5) else "1周后",
        doc=_doctor(c),
    )


def _s_admission(c: _Ctx) -> None:
    d = c.d
    d.put("入院记录\n")
    _header(c, _some(c, ["name", "sex", "age", "dob", "rid", "addr", "phone", "rec", "bed"], 6, 8, ("name",)))
    rel, relation = c.relative()
    dxn, icd = c.dx()
    d.f(
        "\n入院日期：{ad}  病史陈述者：{who}\n联系人：{rel}（{relation}） {rphone}\n主诉：{s}{n}天。\n"
        "现病史：{pm}因“{s2}”于{out}就诊，{exam}提示异常，为进一步诊治收入我科。\n"
        "既往史：{past}。\n入院诊断：1.{dx}（{icd}） 2.{past2}\n记录医师：{doc}",
        ad=c.date_decoy(),
        who=c.pick(["患者本人", ["其", relation]]),
        rel=c.name(rel, "relative", True),
        relation=relation,
        rphone=c.phone(rel, False, landline_ok=True),
        s=c.sym(),
        n=str(c.rng.randrange(1, 30)),
        pm=_patient_mention(c),
        s2=c.sym(),
        out=_D("facility_name", c.pick(_HOSPITALS)),
        exam=c.term(c.pick(c.sp["exams"])),
        past=c.term(c.pick(_PAST)),
        dx=dxn,
        icd=icd,
        past2=c.term(c.pick(_PAST)),
        doc=_doctor(c),
    )


def _s_discharge(c: _Ctx) -> None:
    d = c.d
    d.put("出院小结\n")
    _header(c, _some(c, ["name", "sex", "age", "rec", "dob", "card", "phone", "addr"], 4, 6, ("name", "rec")))
    dxn, icd = c.dx()
    out = c.later(4, 20)
    d.f(
        "\n入院日期：{a}  出院日期：{o}  住院{days}天\n出院诊断：{dx}（{icd}）\n诊疗经过：入院后完善{exam}，"
        "{lab}，予{proc}，术后恢复可。\n出院医嘱：{drug1}；{drug2}。{rv}门诊复查{exam2}。\n"
        "主治医师：{doc}  住院医师：{doc2}",
        a=c.date_decoy(),
        o=c.date_decoy(out),
        days=str((out - c.visit).days),
        dx=dxn,
        icd=icd,
        exam=c.term(c.pick(c.sp["exams"])),
        lab=c.lab(),
        proc=c.term(c.pick(c.sp["procs"])),
        drug1=c.drug(),
        drug2=c.drug(),
        rv=[c.date_decoy(c.later(25, 60))] if c.chance(0.6) else "2周后",
        exam2=c.term(c.pick(c.sp["exams"])),
        doc=_doctor(c),
        doc2=_doctor(c),
    )


def _s_nursing(c: _Ctx) -> None:
    d = c.d
    d.put("护理记录单  ")
    _header(c, _some(c, ["name", "bed", "rec", "age", "dept"], 3, 5, ("name",)), " ")
    d.put("\n")
    nurses = [c.staff() for _ in range(2)]
    times = sorted(c.rng.sample(("08:00", "10:30", "14:00", "16:20", "20:00", "22:30"), c.rng.randint(2, 3)))
    for i, hh in enumerate(times):
        d.f("{t} {v}，", t=hh, v=c.vitals(c.pick(("TP", "PB", "BS", "TB"))))
        if i == 0:
            d.f("{pm}神志清，诉{s}，", pm=_patient_mention(c), s=c.sym())
        else:
            d.f("{s}较前缓解，", s=c.sym())
        d.f("遵医嘱予{drug}。签名：{n}\n", drug=c.drug(), n=_nurse(c, nurses[i % 2]))
    rel, relation = c.relative()
    tail = c.pick(("family", "handover", "nick"))
    if tail == "nick" and not c.heldout:
        tail = "family"
    if tail == "family":
        d.f(
            "家属{rel}（{relation}）陪护，电话{ph}，已告知防跌倒注意事项。",
            rel=c.name(rel, "relative", True),
            relation=relation,
            ph=c.phone(rel, True),
        )
    elif tail == "handover":
        d.f("交班：{hn}护士长查房，嘱加强巡视，{pm}夜间睡眠欠佳。", hn=c.surname_title(title=""), pm=_patient_mention(c))
    else:
        d.f("{nick}今日情绪稳定，家属{rel}来探视。", nick=c.nickname(c.patient), rel=c.name(rel, "relative", True))


def _s_consult(c: _Ctx) -> None:
    d = c.d
    dxn, icd = c.dx()
    other = c.pick(_DEPTS)
    d.f("会诊记录  申请科室：{a}  会诊科室：{b}\n", a=other, b=c.dept)
    _header(c, _some(c, ["name", "sex", "age", "rec", "bed", "dob", "rid"], 4, 6, ("name",)), " ")
    d.f(
        "\n病史摘要：{pm}，因{s}入住{a}，现出现{s2}，{lab}，请{b}会诊。\n会诊意见：考虑{dx}，建议完善{exam}，"
        "予{drug}，必要时行{proc}。\n会诊医师：{doc}（{title}）  申请医师：{st}  {date}",
        pm=_patient_mention(c),
        s=c.sym(),
        a=other,
        s2=c.sym(),
        lab=c.lab(),
        b=c.dept,
        dx=dxn,
        exam=c.term(c.pick(c.sp["exams"])),
        drug=c.drug(),
        proc=c.term(c.pick(c.sp["procs"])),
        doc=_doctor(c),
        title=c.pick(("主任医师", "副主任医师", "主治医师")),
        st=c.surname_title(title="医生"),
        date=c.date_decoy(),
    )


def _s_progress(c: _Ctx) -> None:
    d = c.d
    chief = c.staff()
    d.f("{date} {hh} {st}查房记录\n", date=c.date_decoy(), hh=c.pick(("08:30", "09:10", "10:00")), st=c.surname_title(chief, "主任"))
    _header(c, _some(c, ["name", "bed", "rec", "age", "card", "phone"], 3, 5, ("name",)), " ")
    dxn, _icd = c.dx()
    labs = c.rng.sample(list(c.sp["labs"]), 2)
    d.f(
        "\n{pm}诉{s}较前好转，夜间{s2}。查体：{v}，{sign}。复查{lab}，{lab2}。{st}查房后指示：诊断{dx}明确，"
        "继续{drug}，加用{drug2}，{exam}评估后决定是否行{proc}。\n记录：{doc}",
        pm=_patient_mention(c),
        s=c.sym(),
        s2=c.sym(),
        v=c.vitals("PBS"),
        sign=c.term(c.pick(_SIGNS)),
        lab=c.lab(labs[0]),
        lab2=c.lab(labs[1]),
        st=c.surname_title(chief, "主任"),
        dx=dxn,
        drug=c.drug(),
        drug2=c.drug(),
        exam=c.term(c.pick(c.sp["exams"])),
        proc=c.term(c.pick(c.sp["procs"])),
        doc=_doctor(c),
    )


def _s_exam_report(c: _Ctx) -> None:
    d = c.d
    mod = c.pick(("CT", "MR", "DR", "US"))
    d.f("{h} 放射科 检查报告\n", h=c.facility())
    _header(c, _some(c, ["name", "sex", "age", "rec", "dob", "bed"], 3, 5, ("name", "rec")), " ")
    anat = c.pick(c.sp["anat"])
    d.f(
        "\n{ex}  检查日期：{date}  {sp}\n检查部位：{part}\n影像所见：{anat}见大小约{mm}mm×{mm2}mm低密度影，边界欠清，"
        "增强后轻度强化；余未见明显异常。\n诊断意见：{anat2}占位，{dx}待排，建议进一步{exam}。\n"
        "报告医师：{doc}  审核医师：{doc2}",
        ex=c.exam_no(mod),
        date=c.date_decoy(),
        sp=c.pick([c.specimen(), ""]),
        part=c.pick(("胸部平扫", "上腹部增强", "头颅平扫", "腰椎平扫", "颈部彩超")),
        anat=c.term(anat),
        mm=str(c.rng.randrange(4, 60)),
        mm2=str(c.rng.randrange(4, 60)),
        anat2=anat,
        dx=c.dx()[0],
        exam=c.term(c.pick(c.sp["exams"])),
        doc=_doctor(c),
        doc2=_doctor(c),
    )
    if c.chance(0.5):
        d.f("  咨询电话：{h}", h=c.pick([c.hotline(), c.ext()]))


def _s_consent(c: _Ctx) -> None:
    d = c.d
    proc = c.pick(c.sp["procs"])
    d.put("手术/有创操作知情同意书（节选）\n")
    _header(c, _some(c, ["name", "sex", "age", "rec", "rid", "dob"], 4, 5, ("name",)), " ")
    rel, relation = c.relative()
    d.f(
        "\n拟行操作：{proc}\n术中术后可能出现出血、感染、{comp}等风险，医师已详细告知替代方案。\n"
        "患者/授权委托人签名：{rel}  与患者关系：{relation}\n委托人身份证号：{rrid}  联系电话：{rph}\n"
        "谈话医师：{doc}  日期：{date}",
        proc=c.term(proc),
        comp=c.term(c.pick(_COMPLICATIONS)),
        rel=c.name(rel, "relative", True),
        relation=relation,
        rrid=_relative_rid(c, rel),
        rph=c.phone(rel, True),
        doc=_doctor(c),
        date=c.date_decoy(),
    )


def _full_id(person: _Person) -> str:
    """The person's 18-character citizen number (GB 11643 check character computed)."""
    body = person.area + person.dob.strftime("%Y%m%d") + person.seq
    return body + gb11643_check(body)


def _unionpay_number(c: _Ctx) -> str:
    """A Luhn-valid UnionPay card number (16 or 19 digits) on one of _UNIONPAY_BINS."""
    bin_, n = c.pick(_UNIONPAY_BINS)
    return _luhn_complete(bin_ + _digits(c.rng, n - len(bin_) - 1))


def _relative_rid(c: _Ctx, rel: _Person) -> _I:
    """A relative's resident ID (18 digits, valid check character), written plainly."""
    if c.h2 and rel.cache.get("grp") in ("foreign", "hmt"):
        return _h2_relative_doc(c, rel)
    rng = c.rng
    if rel.dob is None:
        rel.dob = date(rng.randrange(1950, 2000), 1, 1) + timedelta(days=rng.randrange(0, 365))
        rel.area = rng.choice(_SH_AREA_CODES)
        rel.seq = _digits(rng, 2) + rng.choice("13579" if rel.sex == "男" else "02468")
    full = _full_id(rel)
    return _I("resident_id", "x_checkdigit" if full.endswith("X") else "plain18", full, True)


def _s_settlement(c: _Ctx) -> None:
    d = c.d
    d.f("上海市医疗保险结算单  {fac}\n", fac=c.facility_code())
    d.f("参保人：{n}  ", n=c.pname(True))
    two = c.rng.sample(list(FORMS[c.split]["card_number"]), 2)
    d.put(c.card(True, forms=(two[0],)))
    d.put("  ")
    d.put(c.card(True, forms=(two[1],)))
    d.f("\n人员类别：{t}  就诊类型：{v}  {rec}\n", t=c.pick(("在职职工", "退休人员", "城乡居民")), v=c.pick(("住院", "门诊大病", "门急诊")), rec=c.rec(True))
    total = c.rng.uniform(300, 90000)
    fund = total * c.rng.uniform(0.5, 0.92)
    d.f(
        "结算日期：{date}  医疗费总额：{tot}  统筹支付：{fund}  个人自付：{self_}\n{inv}\n",
        date=c.date_decoy(),
        tot=_D("amount", f"{total:,.2f}元"),
        fund=_D("amount", f"{fund:.2f}"),
        self_=_D("amount", f"{total - fund:.2f}元"),
        inv=c.invoice(),
    )
    dxn, icd = c.dx()
    d.f("主要诊断：{dx}（{icd}） 主要用药：{drug}\n", dx=dxn, icd=icd, drug=c.drug())
    if c.chance(0.6):
        d.f("退费账户：{b}（户名 {n}）  ", b=c.bank(True), n=c.pname(False))
    else:
        d.f("联系电话：{p}  ", p=c.phone(None, True))
    d.f("经办人：{op}\n{cr}", op=_doctor(c), cr=c.pick([c.credit(), [c.masked()]]))


def _s_family_comm(c: _Ctx) -> None:
    d = c.d
    rel, relation = c.relative()
    doc = c.staff()
    d.f("家属沟通记录  时间：{date} {hh}  地点：医生办公室\n", date=c.date_decoy(), hh=c.pick(("14:20", "15:40", "16:10")))
    d.f("患者：{n}  {rec}  床号：{bed}\n", n=c.pname(True), rec=c.rec(True), bed=c.bed())
    d.f(
        "沟通对象：{rel}（{relation}），电话{ph}\n医生：{pm}目前诊断{dx}，{lab}，建议行{proc}。\n"
        "家属：手术风险大吗？医保能报多少？\n医生：费用约{amt}，按上海医保政策结算。\n"
        "家属：我们商量一下，{who}晚上过来签字。\n",
        rel=c.name(rel, "relative", True),
        relation=relation,
        ph=c.phone(rel, False),
        pm=_patient_mention(c),
        dx=c.dx()[0],
        lab=c.lab(),
        proc=c.term(c.pick(c.sp["procs"])),
        amt=c.amount(5000, 80000),
        who=_who_signs(c),
    )
    d.f("谈话医师：{doc}  记录：{n}", doc=c.name(doc, "doctor", True), n=_nurse(c))


def _who_signs(c: _Ctx) -> list:
    other, relation = c.relative()
    if c.heldout and c.chance(0.3):
        return [c.nickname(other)]
    return ["我", relation, " ", c.name(other, "relative", True)]


def _s_staff_list(c: _Ctx) -> None:
    d = c.d
    chief = c.staff()
    d.f(
        "{kind}\n时间：{date} {hh}  地点：{dept}示教室\n主持人：{ch}\n参加人员：",
        kind=c.pick(("术前讨论记录", "疑难病例讨论记录", "死亡病例讨论记录")),
        date=c.date_decoy(),
        hh=c.pick(("13:30", "16:00")),
        dept=c.dept,
        ch=[c.surname_title(chief, "主任")],
    )
    for i in range(c.rng.randint(3, 5)):
        if i:
            d.put("、")
        d.f("{n}{t}", n=c.name(c.staff(), "in_list", True), t=c.pick(("副主任医师", "主治医师", "住院医师", "护士长", "")))
    d.put("\n")
    _header(c, _some(c, ["name", "age", "rec", "bed"], 2, 3, ("name",)), " ")
    d.f(
        "\n讨论：{pm}诊断{dx}，{lab}，拟行{proc}。{st}总结：手术指征明确，做好{exam}评估。\n记录人：{doc}",
        pm=_patient_mention(c),
        dx=c.dx()[0],
        lab=c.lab(),
        proc=c.term(c.pick(c.sp["procs"])),
        st=c.surname_title(chief, "主任"),
        exam=c.term(c.pick(c.sp["exams"])),
        doc=_doctor(c),
    )


def _s_table(c: _Ctx) -> None:
    d = c.d
    sep = c.pick(("|", "\t"))
    cols = _some(c, ["name", "sex", "age", "rid", "rec", "card", "phone"], 4, 6, ("name",))
    cells: list[tuple[str, _Part]] = []
    for k in cols:
        if k == "name":
            cells.append(("姓名", c.pname(False)))
        elif k == "sex":
            cells.append(("性别", c.patient.sex))
        elif k == "age":
            cells.append(("年龄", c.age_decoy()))
        elif k == "rid":
            head, span = c.pick(("身份证号", "证件号")), c.rid(False)
            cells.append((_H2_TABLE_HEAD.get(span.form, head), span))
        elif k == "rec":
            span = c.rec(False, form=c.pick(("inpatient_no", "alpha_prefixed", "case_no", "outpatient_no")))[0]
            head = {"case_no": "病案号", "outpatient_no": "门诊号"}.get(span.form, "住院号")
            if span.form == "alpha_prefixed":
                head = "住院号" if span.value.startswith("ZY") else "门诊号"
            cells.append((head, span))
        elif k == "card":
            span = c.card(False)[0]
            head = {"visit_card": "就诊卡号", "yb_personal_code": "医保编码"}.get(span.form, "卡号")
            cells.append((_H2_TABLE_HEAD.get(span.form, head), span))
        else:
            cells.append(("电话", c.phone(None, False, landline_ok=False)))
    d.put(c.pick(("检验结果汇总", "患者信息/化验单", "Lab Summary")) + "\n")
    d.put(sep.join(h for h, _ in cells) + "\n")
    for i, (_h, v) in enumerate(cells):
        d.put([sep, v] if i else v)
    d.put("\n" + sep.join(("项目", "结果", "单位", "参考范围")) + "\n")
    for key in c.rng.sample(list(c.sp["labs"]), min(3, len(c.sp["labs"]))):
        label, unit, _lo, _hi, _dec = _LABS[key]
        d.f("{l}" + sep + "{v}" + sep + "{u}" + sep + "{r}\n", l=label, v=c.lab(key, bare=True), u=unit or "-", r=_REF.get(key, "-"))
    d.f("{spec}  送检医师：{doc}  审核：{tech}", spec=c.specimen(), doc=_doctor(c), tech=_doctor(c))
    dxn, icd = c.dx()
    d.f("\n临床诊断：{dx}（{icd}）", dx=dxn, icd=icd)


def _s_english_mixed(c: _Ctx) -> None:
    d = c.d
    sex = "M" if c.patient.sex == "男" else "F"
    dob = c.dob(True)
    d.f("Pt {n}, {age} {sex}, DOB: {dob}, ", n=c.pname(True), age=_D("age", f"{c.age}y"), sex=sex, dob=dob)
    d.put(c.pick([["MRN ", c.rec(False, form="inpatient_no")], c.rec(True)]))
    d.f("\nAdm {date}, {dept}. CC: {s} x{n}d.\nPMH: {past}; allergy: {al}.\n", date=c.date_decoy(fmt="iso"), dept=c.dept, s=c.sym(), n=str(c.rng.randrange(1, 10)), past=c.term(c.pick(_PAST)), al=c.pick(["NKDA", c.term(c.pick(_ALLERGY))]))
    dxn, icd = c.dx()
    labs = c.rng.sample(list(c.sp["labs"]), 2)
    d.f(
        "O/E: {v}. Labs: {lab}, {lab2}.\nA: {dx} ({icd}).\nP: {drug}; {proc} planned.\n",
        v=c.vitals("TPB"),
        lab=c.lab(labs[0]),
        lab2=c.lab(labs[1]),
        dx=dxn,
        icd=icd,
        drug=c.drug(),
        proc=c.term(c.pick(c.sp["procs"])),
    )
    rel, relation = c.relative()
    who = c.pinyin_name() if c.heldout and c.chance(0.4) else c.name(rel, "relative", True)
    d.f("Contact: {rel} ({relation}) {ph}", rel=who, relation=relation, ph=c.phone(rel, True))
    if c.chance(0.4):
        d.f(", email {e}", e=c.email(True))
    if c.heldout and c.chance(0.6):
        d.f("\nAttending: Dr. {p}", p=c.pinyin_name())
    else:
        d.f("\nAttending: {doc}", doc=_doctor(c))


def _s_phone_followup(c: _Ctx) -> None:  # held-out only
    d = c.d
    rel, relation = c.relative()
    d.f("电话随访记录  随访日期：{date}  随访护士：{n}\n", date=c.date_decoy(c.later(20, 90)), n=_nurse(c))
    _header(c, _some(c, ["name", "age", "rec", "phone", "addr"], 3, 5, ("name", "phone")), " ")
    d.f(
        "\n接听人：{rel}（{relation}），回拨号码{ph}。{pm}出院后{s}未再发作，{v}，坚持服用{drug}。"
        "家属询问{exam}复查时间，已告知{date}上午门诊，地点：{fac}{dept}{ext}。",
        rel=c.name(rel, "relative", True),
        relation=relation,
        ph=c.phone(rel, False),
        pm=_patient_mention(c),
        s=c.sym(),
        v=c.vitals("B"),
        drug=c.drug(),
        exam=c.term(c.pick(c.sp["exams"])),
        date=c.date_decoy(c.later(95, 140)),
        fac=c.facility(),
        dept=c.dept,
        ext=["，", c.ext()] if c.chance(0.5) else "",
    )
    if c.chance(0.5):
        d.f("\n随访人员：{nick}（{nick2}）", nick=c.nickname(c.staff()), nick2=c.pick(("护士", "个案管理师")))


def _s_referral(c: _Ctx) -> None:  # held-out only
    d = c.d
    d.f("上海市双向转诊单（上转）\n转出单位：{a}社区卫生服务中心  转入单位：{b}\n", a=c.pick(("凉城", "长白", "江湾", "真如", "曹杨")), b=c.facility())
    _header(c, _some(c, ["name", "sex", "dob", "rid", "card", "phone", "addr"], 5, 7, ("name",)), " ")
    dxn, icd = c.dx()
    d.f(
        "\n初步诊断：{dx}（{icd}）\n转诊原因：{s}加重，{lab}，社区无条件行{proc}。\n已用药：{drug}\n"
        "转诊医生：{doc}  联系电话：{ph}（科室）\n接诊：{st}  转诊日期：{date}",
        dx=dxn,
        icd=icd,
        s=c.sym(),
        lab=c.lab(),
        proc=c.term(c.pick(c.sp["procs"])),
        drug=c.drug(),
        doc=_doctor(c),
        ph=c.ext(),
        st=c.surname_title(title="医生"),
        date=c.date_decoy(),
    )
    if c.chance(0.5):
        d.f("\nContact e-mail: {e}", e=c.email(True))


_STYLE_FUNCS = {
    "outpatient": _s_outpatient,
    "admission": _s_admission,
    "discharge": _s_discharge,
    "nursing": _s_nursing,
    "consult": _s_consult,
    "progress": _s_progress,
    "exam_report": _s_exam_report,
    "consent": _s_consent,
    "settlement": _s_settlement,
    "family_comm": _s_family_comm,
    "staff_list": _s_staff_list,
    "table": _s_table,
    "english_mixed": _s_english_mixed,
    "phone_followup": _s_phone_followup,
    "referral": _s_referral,
}

# ---------------------------------------------------------------------------------------------
# Extras: lines clinicians append (TCM prescriptions, drug lots, addresses, e-mails, bank details)
# ---------------------------------------------------------------------------------------------


_ID_EXTRAS = ("addr", "bank", "email", "relative", "rid", "card", "dob", "phone")
_EXTRA_KIND = {
    "addr": "address",
    "bank": "bank_card",
    "email": "email",
    "relative": "",
    "rid": "resident_id",
    "card": "card_number",
    "dob": "date_of_birth",
    "phone": "phone",
}
_DECOY_EXTRAS = ("tcm", "lot", "device", "order", "masked", "hotline", "ext")


def _emergency_contact(c: _Ctx) -> list:
    rel, relation = c.relative()
    return ["紧急联系人：", c.name(rel, "relative", True), f"（{relation}）", c.phone(rel, False)]


def _clinic_room(c: _Ctx) -> _D:
    return _D("room_no", f"{c.rng.randrange(1, 12)}号楼{c.rng.randrange(1, 6)}0{c.rng.randrange(1, 9)}诊室")


_EXTRAS = {
    "tcm": lambda c: ["中药：", c.herbs(c.rng.randint(3, 5)), "，水煎服，日一剂。", c.term(c.pick(_TCM_SIGNS))],
    "lot": lambda c: [c.term(c.pick(c.sp["drugs"])), "（", c.approval(), "，", c.batch(), "）"],
    "device": lambda c: ["植入耗材：", c.device()],
    "order": lambda c: [c.order_no(), "  ", c.specimen()],
    "masked": lambda c: ["（身份核验：", c.masked(), "）"],
    "hotline": lambda c: ["预约挂号：", c.hotline(), "  ", _clinic_room(c)],
    "ext": lambda c: ["病区护士站：", c.ext(), "，", c.facility()],
    "addr": lambda c: c.addr_labelled(),
    "bank": lambda c: [c.pick(("退款银行卡号：", "银行卡 ", "账号：")), c.bank(True)],
    "email": lambda c: ["电子邮箱：", c.email(True)],
    "relative": _emergency_contact,
    "rid": lambda c: c.rid_labelled(),
    "card": lambda c: c.card(True),
    "dob": lambda c: c.dob_labelled(),
    "phone": lambda c: c.phone_labelled(),
}


def _extra(c: _Ctx, which: str) -> None:
    c.d.put("\n")
    c.d.put(_EXTRAS[which](c))


# =============================================================================================
# heldout2 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. Everything below this fence (and
# bench/deid_eval/HELDOUT2.md) describes what the second held-out split tests; knowing it turns the
# split into another development set. The code above is the whole of dev and heldout, whose output
# this section cannot change: each hook above runs only when the split is "heldout2".
# =============================================================================================

HELDOUT2_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": (
        "spaced_name",
        "traditional",
        "minority_dot",
        "minority_single",
        "foreign_translit",
        "foreign_latin",
        "japanese_name",
    ),
    "resident_id": (
        "line_break",
        "irregular_spaced",
        "char_boxes",
        "hmt_residence_permit",
        "hmt_travel_permit",
        "foreign_permanent_id",
        "passport",
    ),
    "phone": ("cn_numerals", "mixed_numerals", "line_break", "odd_grouping", "landline_other_city", "foreign_intl"),
    "card_number": ("sscard_other_province", "policy_no"),
    "hospital_record_no": ("year_segment", "visit_suffix"),
    "date_of_birth": ("two_digit_year", "us_order", "minguo", "lunar"),
    "bank_card": ("irregular_spaced", "line_break"),
    "address": ("building_unit", "village_team", "split_phrase", "traditional_hmt", "english_address"),
    "email": ("pinyin_domain", "fullwidth_at"),
    "other_contact": ("wechat_id", "qq_no"),
    "style": ("insurance_claim", "international", "online_consult", "ocr_form"),
}
HELDOUT2_DECOY_KINDS = (
    "drug_trace_code",
    "yb_drug_code",
    "drug_standard_code",
    "service_item_code",
    "drg_group",
    "settlement_serial",
    "claim_no",
    "udi",
    "insurer_name",
)

FORMS["heldout2"] = {k: _SHARED_FORMS.get(k, ()) + HELDOUT2_ONLY[k] for k in IDENTIFIER_KINDS + ("other_contact",)}
STYLES["heldout2"] = _SHARED_STYLES + HELDOUT2_ONLY["style"]
SPLIT_KINDS: dict[str, tuple[str, ...]] = {
    "dev": IDENTIFIER_KINDS,
    "heldout": IDENTIFIER_KINDS,
    "heldout2": IDENTIFIER_KINDS + ("other_contact",),
}
SPLIT_DECOY_KINDS: dict[str, tuple[str, ...]] = {
    "dev": DECOY_KINDS,
    "heldout": DECOY_KINDS,
    "heldout2": DECOY_KINDS + HELDOUT2_DECOY_KINDS,
}

# -- people ------------------------------------------------------------------------------------

# surnames, given names, rare / compound / word-like names disjoint from dev and heldout
_H2_SURNAMES = (
    "苏 魏 彭 田 于 杜 贾 崔 余 廖 黎 易 乔 段 雷 尹 龙 史 侯 邓 梁 熊 孔 曾 萧 鲍 柏 滕 童 伍 祝 苗 缪 荣 费 屠 柴 贝 "
    "严 卞 华 茅 车 凌"
).split()
_H2_GIVEN_M = (
    "振宇 博文 思源 绍华 庆丰 炳坤 锦程 承志 兆麟 德荣 文渊 士杰 宏达 维民 润生 祖荫 耀祖 家栋 汉卿 浩宇 铭轩 "
    "睿哲 景行 致远 鹏程 昊天 建勋 立诚 世昌 亦凡 泽楷 俊贤 正阳 广福 有根 水生 宝根 阿福 炳南 启明 书翰 仲达 "
    "鸿儒 少卿 云鹏 振邦 彦博 桂生 林生 金宝"
).split()
_H2_GIVEN_F = (
    "婉婷 淑贞 雅芝 慧君 瑞英 秋菊 月华 凤仙 彩霞 巧玲 蕙兰 素琴 静雯 语嫣 梦瑶 欣妍 可馨 若彤 沐晴 芷若 安琪 "
    "晓岚 佩瑶 凤娣 杏娣 翠娥 美凤 宝娣 阿娟 银娣 招娣 丽君 惠琴 玉珍 雪芬 秀凤 黛玉 书瑶 诗琪 梓琳 伊人 雅琪"
).split()
_H2_RARE = ("隗", "冼", "阚", "揭", "糜", "晁", "昝", "眭")
_H2_COMPOUND = ("澹台", "宇文", "长孙", "轩辕", "呼延", "申屠", "闻人")
_H2_WORD_LIKE = (
    ("黎", "明"),
    ("白", "云"),
    ("甘", "露"),
    ("田", "野"),
    ("卓", "越"),
    ("章", "程"),
    ("任", "重"),
    ("康", "宁"),
    ("乔", "迁"),
    ("易", "安"),
    ("于", "洋"),
    ("柏", "林"),
)
# (name, sex, area codes): Uyghur / Kazakh names with a middle dot; area codes in Xinjiang
_H2_MINORITY_DOT = (
    (("阿卜杜拉", "买买提"), "男"),
    (("艾尔肯", "吐尔逊"), "男"),
    (("买买提江", "阿不都热合曼"), "男"),
    (("努尔兰", "哈力木"), "男"),
    (("伊力哈木", "艾山"), "男"),
    (("吐尔洪", "卡德尔"), "男"),
    (("古丽娜尔", "艾力"), "女"),
    (("热依拉", "吐尔逊"), "女"),
    (("迪丽努尔", "阿不都拉"), "女"),
    (("阿依古丽", "买买提"), "女"),
    (("帕提古丽", "热合曼"), "女"),
    (("米娜瓦尔", "艾海提"), "女"),
)
_H2_XINJIANG = ("650102", "650104", "653101", "652901", "654002")
# names without a surname: Tibetan (Tibet / Qinghai area codes) and Mongolian (Inner Mongolia)
_H2_MINORITY_SINGLE = (
    ("扎西多吉", "男", "tibet"),
    ("洛桑平措", "男", "tibet"),
    ("尼玛次仁", "男", "tibet"),
    ("次仁卓玛", "女", "tibet"),
    ("格桑曲珍", "女", "tibet"),
    ("央金拉姆", "女", "tibet"),
    ("巴特尔", "男", "mongol"),
    ("那日苏", "男", "mongol"),
    ("额尔敦", "男", "mongol"),
    ("其其格", "女", "mongol"),
    ("乌云其木格", "女", "mongol"),
    ("苏日娜", "女", "mongol"),
)
_H2_MINORITY_AREAS = {"tibet": ("540102", "540202", "632321"), "mongol": ("150102", "150602", "152502")}
# Hong Kong / Macao (Cantonese romanisation) and Taiwan (Wade-Giles) patients, names in Traditional script
_H2_TRAD_SURNAMES = (
    ("陳", "CHAN", "CHEN"),
    ("黃", "WONG", "HUANG"),
    ("張", "CHEUNG", "CHANG"),
    ("劉", "LAU", "LIU"),
    ("吳", "NG", "WU"),
    ("鄭", "CHENG", "CHENG"),
    ("謝", "TSE", "HSIEH"),
    ("許", "HUI", "HSU"),
    ("楊", "YEUNG", "YANG"),
    ("葉", "YIP", "YEH"),
    ("蘇", "SO", "SU"),
    ("莊", "CHONG", "CHUANG"),
    ("鍾", "CHUNG", "CHUNG"),
    ("趙", "CHIU", "CHAO"),
    ("馮", "FUNG", "FENG"),
    ("盧", "LO", "LU"),
)
_H2_TRAD_GIVEN = {
    "男": (
        ("志豪", "Chi Ho", "Chih-Hao"),
        ("家豪", "Ka Ho", "Chia-Hao"),
        ("建宏", "Kin Wang", "Chien-Hung"),
        ("俊傑", "Chun Kit", "Chun-Chieh"),
        ("宗翰", "Chung Hon", "Tsung-Han"),
        ("冠宇", "Koon Yu", "Kuan-Yu"),
        ("國華", "Kwok Wah", "Kuo-Hua"),
        ("家輝", "Ka Fai", "Chia-Hui"),
        ("偉強", "Wai Keung", "Wei-Chiang"),
        ("子聰", "Tsz Chung", "Tzu-Tsung"),
    ),
    "女": (
        ("怡君", "Yi Kwan", "Yi-Chun"),
        ("雅婷", "Nga Ting", "Ya-Ting"),
        ("淑芬", "Shuk Fan", "Shu-Fen"),
        ("美玲", "Mei Ling", "Mei-Ling"),
        ("佩珊", "Pui Shan", "Pei-Shan"),
        ("詩涵", "Sze Ham", "Shih-Han"),
        ("惠雯", "Wai Man", "Hui-Wen"),
        ("嘉欣", "Ka Yan", "Chia-Hsin"),
        ("嘉慧", "Ka Wai", "Chia-Hui"),
        ("詠詩", "Wing Sze", "Yung-Shih"),
    ),
}
# (Chinese transliteration, Latin name, sex, ISO 3166 numeric country code, nationality as written)
_H2_FOREIGN = (
    ("约翰·史密斯", "John Smith", "男", "840", "美国"),
    ("迈克尔·布朗", "Michael Brown", "男", "840", "美国"),
    ("艾米丽·约翰逊", "Emily Johnson", "女", "840", "美国"),
    ("大卫·威尔逊", "David Wilson", "男", "826", "英国"),
    ("萨拉·汤普森", "Sarah Thompson", "女", "826", "英国"),
    ("托马斯·穆勒", "Thomas Müller", "男", "276", "德国"),
    ("安娜·施密特", "Anna Schmidt", "女", "276", "德国"),
    ("让-皮埃尔·杜邦", "Jean-Pierre Dupont", "男", "250", "法国"),
    ("苏菲·马丁", "Sophie Martin", "女", "250", "法国"),
    ("亚历山大·伊万诺夫", "Aleksandr Ivanov", "男", "643", "俄罗斯"),
    ("安娜·伊万诺娃", "Anna Ivanova", "女", "643", "俄罗斯"),
    ("玛丽亚·加西亚", "María García", "女", "724", "西班牙"),
    ("马可·罗西", "Marco Rossi", "男", "380", "意大利"),
)
_H2_JAPANESE = (
    ("佐藤健一", "Kenichi Sato", "男"),
    ("山本翔太", "Shota Yamamoto", "男"),
    ("中村拓也", "Takuya Nakamura", "男"),
    ("小林直树", "Naoki Kobayashi", "男"),
    ("铃木美咲", "Misaki Suzuki", "女"),
    ("田中裕子", "Yuko Tanaka", "女"),
    ("渡边由美", "Yumi Watanabe", "女"),
    ("伊藤阳菜", "Hina Ito", "女"),
)
_H2_NOVEL_PERSON = ("minority_dot", "minority_single", "traditional", "foreign_translit", "japanese_name")
_H2_GROUP = {
    "minority_dot": "minority",
    "minority_single": "minority",
    "traditional": "hmt",
    "foreign_translit": "foreign",
    "japanese_name": "foreign",
}
_H2_HMT_AREA = {"hk": "810000", "mo": "820000", "tw": "830000"}
_H2_REGION_CN = {"hk": "中国香港", "mo": "中国澳门", "tw": "中国台湾"}


def _h2_pools() -> _Pools:
    if "heldout2" not in _POOLS:
        fm, ff = _faker_given()
        known = set(_OWN_GIVEN_M) | set(_OWN_GIVEN_F) | set(fm) | set(ff)
        _POOLS["heldout2"] = _Pools(
            surnames=[s for s in _H2_SURNAMES if s not in _COMMON_SURNAMES],
            given_m=[g for g in _H2_GIVEN_M if g not in known],
            given_f=[g for g in _H2_GIVEN_F if g not in known],
            rare=_H2_RARE,
            compound=_H2_COMPOUND,
            word_like=_H2_WORD_LIKE,
        )
    return _POOLS["heldout2"]


def _h2_kind(c: _Ctx, role: str, with_identity: bool) -> str:
    """Which sort of person: the patient, a relative (mostly of the patient's own group) or staff."""
    r = c.rng.random()
    if with_identity:
        if c.style == "international":
            return c.rng.choices(("foreign_translit", "japanese_name", "traditional"), weights=(45, 20, 35))[0]
        table = (
            ("minority_dot", 0.045),
            ("minority_single", 0.045),
            ("traditional", 0.06),
            ("foreign_translit", 0.035),
            ("japanese_name", 0.02),
        )
    elif role == "relative":
        own = c.patient.kind
        if own in _H2_NOVEL_PERSON and r < {"foreign_translit": 0.9, "japanese_name": 0.9}.get(own, 0.8):
            return own
        table = (("minority_dot", 0.02), ("minority_single", 0.02), ("traditional", 0.02))
    else:  # staff: Han, some minority and Taiwanese / Hong Kong doctors and nurses
        table = (("minority_dot", 0.03), ("minority_single", 0.03), ("traditional", 0.03))
    r = c.rng.random()
    acc = 0.0
    for kind, w in table:
        acc += w
        if r < acc:
            return kind
    r = (r - acc) / (1 - acc)
    if r < 0.07:
        return "rare_surname"
    if r < 0.14:
        return "compound_surname"
    if r < 0.21:
        return "word_like_name"
    return "ordinary"


def _h2_new_person(c: _Ctx, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    rng, pl = c.rng, c.pools
    kind = _h2_kind(c, role, with_identity)
    sex = sex or rng.choice("男女")
    given_pool = pl.given_m if sex == "男" else pl.given_f
    cache: dict = {"grp": _H2_GROUP.get(kind, "han")}
    if kind == "rare_surname":
        p = _Person(rng.choice(pl.rare), rng.choice(given_pool), sex, kind)
    elif kind == "compound_surname":
        p = _Person(rng.choice(pl.compound), rng.choice(given_pool), sex, kind)
    elif kind == "word_like_name":
        s, g = rng.choice(pl.word_like)
        p = _Person(s, g, sex, kind)
    elif kind == "ordinary":
        p = _Person(rng.choice(pl.surnames), rng.choice(given_pool), sex, kind)
    elif kind == "minority_dot":
        (first, second), _sx = rng.choice([x for x in _H2_MINORITY_DOT if x[1] == sex])
        dot = rng.choices(("·", "•", ".", "・"), weights=(70, 10, 10, 10))[0]
        p = _Person("", first + dot + second, sex, kind)
        cache.update(short=first, areas=_H2_XINJIANG)
    elif kind == "minority_single":
        name, _sx, region = rng.choice([x for x in _H2_MINORITY_SINGLE if x[1] == sex])
        p = _Person("", name, sex, kind)
        cache.update(short=name[:2] if len(name) >= 4 else name, areas=_H2_MINORITY_AREAS[region])
    elif kind == "traditional":
        region = rng.choices(("hk", "tw", "mo"), weights=(45, 40, 15))[0]
        sur, sur_hk, sur_tw = rng.choice(_H2_TRAD_SURNAMES)
        given, g_hk, g_tw = rng.choice(_H2_TRAD_GIVEN[sex])
        latin = f"{sur_tw} {g_tw}" if region == "tw" else f"{sur_hk} {g_hk}"
        p = _Person(sur, given, sex, kind)
        cache.update(short=sur, region=region, latin=latin, nation=_H2_REGION_CN[region], areas=(_H2_HMT_AREA[region],))
    elif kind == "foreign_translit":
        cn, latin, _sx, country, nation = rng.choice([x for x in _H2_FOREIGN if x[2] == sex])
        p = _Person("", cn, sex, kind)
        cache.update(short=cn.split("·")[-1], latin=latin, country=country, nation=nation, areas=("931" + country,))
    else:  # japanese_name
        cn, latin, _sx = rng.choice([x for x in _H2_JAPANESE if x[2] == sex])
        p = _Person("", cn, sex, kind)
        cache.update(short=cn[:2], latin=latin, country="392", nation="日本", areas=("931392",))
    p.cache.update(cache)
    if with_identity:
        age = rng.randrange(0, 15) if child else rng.choices((rng.randrange(18, 45), rng.randrange(45, 96)), weights=(25, 75))[0]
        p.dob = date(c.visit.year - age - 1, 1, 1) + timedelta(days=rng.randrange(0, 365))
        if "areas" in cache:
            p.area = rng.choice(cache["areas"])
        else:
            p.area = rng.choice(_SH_AREA_CODES) if rng.random() < 0.7 else rng.choice(_OTHER_AREA_CODES)
        want_x = rng.random() < 0.25
        seq = ""
        for _ in range(400):
            seq = _digits(rng, 2) + rng.choice("13579" if sex == "男" else "02468")
            if (gb11643_check(p.area + p.dob.strftime("%Y%m%d") + seq) == "X") == want_x:
                break
        p.seq = seq
    return p


def _h2_spaced(c: _Ctx, person: _Person, labelled: bool) -> _I | None:
    if len(person.surname) != 1:
        return None
    p = 0.3 if len(person.full) == 2 else 0.06
    if c.style == "ocr_form":
        p += 0.35
    if not c.chance(p):
        return None
    sep = c.pick((" ", "\u3000", "  "))
    return _I("person_name", "spaced_name", person.surname + sep + person.given, labelled)


def _h2_name(c: _Ctx, person: _Person, context_form: str, labelled: bool) -> _I:
    if person.kind in _H2_NOVEL_PERSON:
        return _I("person_name", person.kind, person.full, labelled)
    spaced = _h2_spaced(c, person, labelled)
    if spaced is not None:
        return spaced
    return _I("person_name", context_form if person.kind == "ordinary" else person.kind, person.full, labelled)


def _h2_surname_title(c: _Ctx, person: _Person | None, title: str | None) -> list:
    person = person or c.staff()
    title = c.pick(_TITLES) if title is None else title
    if person.kind in _H2_NOVEL_PERSON:  # 艾尔肯医生, 扎西主任, 陳主任: the name part people use
        return [_I("person_name", person.kind, person.cache["short"], True), title]
    return [_I("person_name", "surname_title", person.surname, True), title]


def _h2_latin(c: _Ctx, person: _Person) -> _I:
    """The Latin-script name of a foreign / Hong Kong / Macao / Taiwan person, as passports print it."""
    latin = person.cache["latin"]
    first, _, last = latin.rpartition(" ") if person.kind != "traditional" else ("", "", "")
    if person.kind == "traditional":
        sur, _, given = latin.partition(" ")
        v = c.pick((latin, f"{sur.title()} {given}", f"{sur}, {given.upper()}"))
    elif person.kind == "japanese_name":
        v = c.pick((latin, f"{last.upper()} {first}", f"{last.upper()}, {first.upper()}"))
    else:
        v = c.pick((latin, f"{last.upper()} {first}", f"{last.upper()}, {first}"))
    return _I("person_name", "foreign_latin", v, True)


# -- identity documents --------------------------------------------------------------------------

_H2_TABLE_HEAD = {
    "passport": "护照号",
    "hmt_travel_permit": "通行证号",
    "hmt_residence_permit": "居住证号",
    "foreign_permanent_id": "证件号码",
    "policy_no": "保单号",
    "sscard_other_province": "医保卡号",
}


def _h2_passport(c: _Ctx, person: _Person) -> str:
    rng = c.rng
    if "passport" not in person.cache:
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        country = person.cache.get("country", "840")
        person.cache["passport"] = {
            "840": c.pick(("5", "6", "A")) + _digits(rng, 8),
            "826": c.pick(("1", "5")) + _digits(rng, 8),
            "276": "C" + "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8)),
            "250": _digits(rng, 2) + rng.choice(letters) + rng.choice(letters) + _digits(rng, 5),
            "643": c.pick(("75", "76")) + _digits(rng, 7),
            "724": "PA" + rng.choice(letters) + _digits(rng, 6),
            "380": "Y" + rng.choice(letters) + _digits(rng, 7),
            "392": c.pick(("TK", "TR", "MZ", "TZ")) + _digits(rng, 7),
        }[country]
    return person.cache["passport"]


def _h2_travel_permit(c: _Ctx, person: _Person) -> str:
    """回乡证 (H / M + 8 digits, sometimes with the 2-digit issue count) or 台胞证 (8 digits)."""
    if "permit" not in person.cache:
        region = person.cache["region"]
        if region == "tw":
            v = _digits(c.rng, 8, first_nonzero=True)
        else:
            v = ("H" if region == "hk" else "M") + _digits(c.rng, 8) + c.pick(("", "", "0" + str(c.rng.randrange(1, 4))))
        person.cache["permit"] = v
    return person.cache["permit"]


def _h2_rid(c: _Ctx, labelled: bool) -> _I | None:
    p = c.patient
    grp = p.cache["grp"]
    if grp == "foreign":
        if c.chance(0.65):
            return _I("resident_id", "passport", _h2_passport(c, p), labelled)
        return _I("resident_id", "foreign_permanent_id", _full_id(p), labelled)
    if grp == "hmt":
        if c.chance(0.5):
            return _I("resident_id", "hmt_travel_permit", _h2_travel_permit(c, p), labelled)
        return _I("resident_id", "hmt_residence_permit", _full_id(p), labelled)
    boxed = c.style in ("table", "ocr_form")
    if not c.chance(0.6 if boxed else 0.25):
        return None
    full = _full_id(p)
    if boxed:
        form = c.rng.choices(("line_break", "irregular_spaced", "char_boxes"), weights=(40, 20, 40))[0]
    else:
        form = c.rng.choices(("line_break", "irregular_spaced", "char_boxes"), weights=(30, 55, 15))[0]
    if form == "line_break":  # a narrow table cell or a PDF export wraps the number
        k = c.rng.randrange(6, 15)
        v = full[:k] + c.pick(("\n", "\n", "\n  ", "\r\n")) + full[k:]
    elif form == "irregular_spaced":  # birth date set apart, or typed in fours like a card number
        groups = c.pick(((6, 4, 4, 4), (6, 4, 2, 2, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4), (5, 5, 5, 3), (6, 8, 3, 1)))
        parts, i = [], 0
        for g in groups:
            parts.append(full[i : i + g])
            i += g
        v = c.pick((" ", " ", "  ")).join(parts)
    else:  # an 18-box paper form read back by OCR
        v = c.pick((" ", "|", " | ")).join(full)
    return _I("resident_id", form, v, labelled)


def _h2_rid_labelled(c: _Ctx) -> list:
    v = c.rid(True)
    region = c.patient.cache.get("region", "")
    labels = {
        "passport": ("护照号：", "护照号码 ", "Passport No.: ", "证件类型：护照 证件号码："),
        "foreign_permanent_id": ("永居证号码：", "外国人永久居留身份证 ", "证件号码："),
        "hmt_residence_permit": ("港澳台居民居住证号码：", "居住证号码 ", "证件号码："),
        "hmt_travel_permit": ("台胞证号：", "台湾居民来往大陆通行证 ")
        if region == "tw"
        else ("回乡证号：", "港澳居民来往内地通行证 ", "通行证号码："),
    }.get(v.form, ("身份证号：", "身份证：", "公民身份号码 ", "证件号码：", "身份证号码:", "ID:", "身 份 证 号："))
    return [c.pick(labels), v]


def _h2_relative_doc(c: _Ctx, rel: _Person) -> _I:
    """A foreign or Hong Kong / Macao / Taiwan 委托人's travel document number."""
    if rel.cache["grp"] == "foreign":
        return _I("resident_id", "passport", _h2_passport(c, rel), True)
    return _I("resident_id", "hmt_travel_permit", _h2_travel_permit(c, rel), True)


# -- phones --------------------------------------------------------------------------------------

_H2_CITY_CODES = ("0513", "0515", "0556", "0574", "0573", "0512", "0376", "0551", "025", "0571", "0523", "0558")


def _h2_cn_digits(c: _Ctx, digits: str) -> str:
    spoken = c.chance(0.5)  # 幺 for 1 and 零 for 0, as said over the phone and typed by voice input
    table = {"0": "零" if spoken else "〇", "1": "幺" if spoken else "一"}
    return "".join(table.get(ch, _CN_DIGITS[int(ch)] if ch.isdigit() else ch) for ch in digits)


def _h2_foreign_phone(c: _Ctx, person: _Person) -> str:
    rng = c.rng
    key = person.cache.get("country") or person.cache.get("region")
    return {
        "840": lambda: f"+1 {c.pick(('212', '415', '646', '917', '310'))}-{_digits(rng, 3, True)}-{_digits(rng, 4)}",
        "826": lambda: f"+44 7{_digits(rng, 3)} {_digits(rng, 6)}",
        "276": lambda: f"+49 15{_digits(rng, 1)} {_digits(rng, 8)}",
        "250": lambda: "+33 6 " + " ".join(_digits(rng, 2) for _ in range(4)),
        "643": lambda: f"+7 9{_digits(rng, 2)} {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}",
        "724": lambda: f"+34 6{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
        "380": lambda: f"+39 3{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 4)}",
        "392": lambda: f"+81 {c.pick(('90', '80', '70'))}-{_digits(rng, 4)}-{_digits(rng, 4)}",
        "hk": lambda: f"+852 {c.pick('569')}{_digits(rng, 3)} {_digits(rng, 4)}",
        "mo": lambda: f"+853 6{_digits(rng, 3)} {_digits(rng, 4)}",
        "tw": lambda: f"+886 9{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
    }[key]()


def _h2_phone(c: _Ctx, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    rng = c.rng
    if person.cache.get("grp") in ("foreign", "hmt") and c.chance(0.6):
        if "intl" not in person.cache:
            person.cache["intl"] = _h2_foreign_phone(c, person)
        return _I("phone", "foreign_intl", person.cache["intl"], labelled)
    p = {"online_consult": 0.7, "ocr_form": 0.6, "table": 0.5}.get(c.style, 0.25)
    if not c.chance(p):
        return None
    forms = ["cn_numerals", "mixed_numerals", "line_break", "odd_grouping"]
    weights = [3, 2, 2, 3] if c.style == "online_consult" else [1, 1, 2, 3]
    if landline_ok and person.cache.get("grp") == "han":
        forms.append("landline_other_city")
        weights.append(2)
    form = rng.choices(forms, weights=weights)[0]
    if form == "landline_other_city":
        if "land_other" not in person.cache:
            person.cache["land_other"] = (c.pick(_H2_CITY_CODES), c.pick("2345678") + _digits(rng, 7))
        code, n = person.cache["land_other"]
        v = c.pick((f"{code}-{n}", f"({code}){n}", f"{code} {n[:4]} {n[4:]}", f"（{code}）{n}"))
        return _I("phone", form, v, labelled)
    m = c.mobile_digits(person)
    if form == "cn_numerals":
        v = _h2_cn_digits(c, m)
    elif form == "mixed_numerals":
        k = c.pick((3, 7, 4))
        v = m[:k] + _h2_cn_digits(c, m[k:]) if c.chance(0.6) else _h2_cn_digits(c, m[:k]) + m[k:]
    elif form == "line_break":
        k = rng.randrange(3, 9)
        v = m[:k] + c.pick(("\n", "\n", "\n ")) + m[k:]
    else:
        groups = c.pick(((7, 4), (4, 3, 4), (4, 4, 3), (3, 8)))
        parts, i = [], 0
        for g in groups:
            parts.append(m[i : i + g])
            i += g
        v = c.pick((" ", " ", "-", "  ")).join(parts)
    return _I("phone", form, v, labelled)


# -- cards and record numbers --------------------------------------------------------------------

_H2_PROVINCE_CARD = {  # 2-letter province + city letter (the city's licence-plate letter)
    "32": ("JS", "AEFJ"),  # 江苏: 南京 A, 苏州 E, 南通 F, 盐城 J
    "33": ("ZJ", "ABF"),  # 浙江: 杭州 A, 宁波 B, 嘉兴 F
    "34": ("AH", "AHK"),  # 安徽: 合肥 A, 安庆 H, 阜阳 K
}


def _h2_card(c: _Ctx, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    """A heldout2 card as ``[label, span]``, or the name of the dev form the dev code should render."""
    novel = HELDOUT2_ONLY["card_number"]
    if forms is None:
        if not c.chance(0.3):
            return c.pick(_SHARED_FORMS["card_number"])
        form = c.pick(novel)
    else:
        form = c.pick(forms)
        if form not in novel:
            return form
    p, rng = c.patient, c.rng
    if form not in p.cache:
        if form == "sscard_other_province":
            prov, cities = _H2_PROVINCE_CARD.get(p.area[:2], _H2_PROVINCE_CARD[c.pick(("32", "33", "34"))])
            p.cache[form] = prov + c.pick(cities) + _digits(rng, 9)
        else:
            y = c.visit.year - rng.randrange(0, 4)
            p.cache[form] = c.pick(
                (
                    f"{y}31{_digits(rng, 12)}",
                    f"ASH{c.pick('ABZ')}{y}{_digits(rng, 9)}",
                    f"PSH{y % 100}{_digits(rng, 12)}",
                    f"{_digits(rng, 3, True)}-{_digits(rng, 4)}-{_digits(rng, 8)}",
                )
            )
    span = _I("card_number", form, p.cache[form], labelled)
    if not labelled:
        return [span]
    label = c.pick(
        ("异地医保 人员识别号：", "外省社保卡号：", "参保地社保卡号 ", "医保卡号（外省）：")
        if form == "sscard_other_province"
        else ("保单号：", "商业保险保单号 ", "沪惠保保单号：", "保险单号：", "Policy No.: ")
    )
    return [label, span]


def _h2_rec(c: _Ctx, labelled: bool) -> list | None:
    if not c.chance(0.3):
        return None
    p, rng = c.patient, c.rng
    form = c.pick(HELDOUT2_ONLY["hospital_record_no"])
    key = "rec_" + form
    if key not in p.cache:
        y = c.visit.year
        if form == "year_segment":
            p.cache[key] = c.pick(
                (
                    f"ZY{y}-{_digits(rng, 6)}",
                    f"BA{y}/{_digits(rng, 6)}",
                    f"MZ-{y % 100}-{_digits(rng, 7)}",
                    f"{y}-{_digits(rng, 6)}",
                    f"BA-{y}-{_digits(rng, 5)}",
                    f"ZY{y % 100}{_digits(rng, 6)}",
                )
            )
        else:  # the patient's number and which admission this is
            n = str(rng.randrange(1, 9))
            p.cache[key] = _digits(rng, c.pick((6, 7)), True) + c.pick((f"-{n}", f"({n})", f"（{n}）", f"/{n}", f"_{n}"))
    v = p.cache[key]
    span = _I("hospital_record_no", form, v, labelled)
    if not labelled:
        return [span]
    if v.startswith("MZ"):
        label = "门诊号："
    elif v.startswith("BA"):
        label = c.pick(("病案号：", "病案号 "))
    else:
        label = c.pick(("住院号：", "住院号 ", "病案号：", "住 院 号："))
    return [label, span]


# -- dates of birth ------------------------------------------------------------------------------

_STEMS, _BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
_LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")


def _lunar_day(n: int) -> str:
    if n <= 10:
        return "初" + "一二三四五六七八九十"[n - 1]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    if n == 20:
        return "二十"
    if n < 30:
        return "廿" + _CN_DIGITS[n - 20]
    return "三十"


def _h2_lunar(c: _Ctx, d: date) -> str:
    """How a lunar birthday is written. NOT an astronomical conversion: the solar date moved back
    by 20-40 days (roughly how far the lunar calendar trails), which is all the form needs."""
    ld = d - timedelta(days=20 + d.toordinal() % 21)
    y = ld.year
    month = c.pick((_LUNAR_MONTHS[ld.month - 1], _CN_DIGITS[ld.month] if ld.month < 10 else _cn_small(ld.month)))
    md = f"{month}月{_lunar_day(min(ld.day, 30))}"
    gz = _STEMS[(y - 4) % 10] + _BRANCHES[(y - 4) % 12]
    pre = c.pick(("农历", "农历", "阴历"))
    return c.pick((f"{pre}{y}年{md}", f"{pre}{gz}年{md}", f"{pre}{md}"))


def _h2_dob(c: _Ctx, labelled: bool, person: _Person) -> _I | None:
    d = person.dob
    tw = person.cache.get("region") == "tw"
    if (tw and c.chance(0.6)) or (1912 <= d.year < 1949 and c.chance(0.12)):
        y = d.year - 1911
        mg = "民國" if tw else "民国"
        v = c.pick((f"{mg}{y}年{d.month}月{d.day}日", f"{mg}{_cn_small(y)}年{_cn_small(d.month)}月{_cn_small(d.day)}日"))
        return _I("date_of_birth", "minguo", v, labelled)
    us = person.cache.get("grp") == "foreign"
    if not c.chance(0.6 if us else 0.33):
        return None
    form = "us_order" if us and c.chance(0.6) else c.pick(("two_digit_year", "us_order", "lunar", "two_digit_year"))
    if form == "two_digit_year":
        yy = f"{d.year % 100:02d}"
        v = c.pick((f"{yy}年{d.month}月{d.day}日", f"{yy}.{d.month}.{d.day}", f"{yy}-{d.month:02d}-{d.day:02d}", f"{yy}年{d.month}月"))
    elif form == "us_order":
        v = c.pick((f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.month:02d}-{d.day:02d}-{d.year}"))
    else:
        v = _h2_lunar(c, d)
    return _I("date_of_birth", form, v, labelled)


def _h2_dob_labelled(c: _Ctx) -> list:
    v = c.dob(True)
    labels = {
        "us_order": ("DOB: ", "Date of birth: ", "出生日期(月/日/年)：", "D.O.B. "),
        "two_digit_year": ("出生：", "生于", "出生日期：", "出 生："),
        "minguo": ("出生日期：", "生於", "出生："),
        "lunar": ("生日：", "出生日期：", "生日 "),
    }.get(v.form)
    if labels is None:  # a dev form: dev's labels, before or after
        style = c.pick(("出生日期：", "生于", "出生于", "DOB: ", "生日：", "出生：", "_出生", "_生"))
        if v.form == "cn_numerals":
            style = c.pick(("出生日期：", "生于", "_出生"))
        return [v, style[1:]] if style.startswith("_") else [style, v]
    return [c.pick(labels), v]


# -- bank cards, e-mail, other contacts ----------------------------------------------------------


def _h2_bank(c: _Ctx, labelled: bool) -> _I | None:
    if not c.chance(0.35 if c.style != "table" else 0.5):
        return None
    rng = c.rng
    num = _unionpay_number(c)
    n = len(num)
    form = c.pick(HELDOUT2_ONLY["bank_card"])
    if form == "irregular_spaced":  # cut where the writer paused, not in fours
        while True:
            cuts = sorted(rng.sample(range(3, n - 2), c.pick((1, 2, 2, 3))))
            if any(x % 4 for x in cuts):
                break
        parts = [num[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
        v = c.pick((" ", " ", "-")).join(parts)
    else:
        k = rng.randrange(6, n - 3)
        v = num[:k] + c.pick(("\n", "\n", "\n  ")) + num[k:]
    return _I("bank_card", form, v, labelled)


_H2_PINYIN_DOMAINS = ("xiaomi.com", "meituan.com", "huawei.com", "dianping.com", "pinduoduo.com", "jinjiang.com")


def _h2_email(c: _Ctx, labelled: bool) -> _I | None:
    if not c.chance(0.4):
        return None
    rng = c.rng
    a, b = c.pick(_PINYIN_SYL), c.pick(_PINYIN_SYL)
    form = c.pick(HELDOUT2_ONLY["email"])
    if form == "pinyin_domain":
        v = f"{c.pick((f'{a}{b}', f'{a}.{b}', f'{a}{b[0]}', f'{a}_{b}'))}{c.pick(('', str(rng.randrange(1, 99))))}@{c.pick(_H2_PINYIN_DOMAINS)}"
    else:  # a Chinese input method types a fullwidth at-sign
        local = c.pick((f"{a}{b}{rng.randrange(60, 99)}", f"{a}.{b}", f"{a}{b}{rng.randrange(1960, 2005)}"))
        v = f"{local}＠{c.pick(_WEBMAIL)}"
    return _I("email", form, v, labelled)


def _h2_contact(c: _Ctx, person: _Person | None = None, labelled: bool = True) -> list:
    """A WeChat ID or QQ number: direct contact identifiers under PIPL, kind ``other_contact``."""
    person = person or c.patient
    rng = c.rng
    form = c.pick(HELDOUT2_ONLY["other_contact"])
    if form not in person.cache:
        a, b = c.pick(_PINYIN_SYL), c.pick(_PINYIN_SYL)
        if form == "wechat_id":
            person.cache[form] = c.pick(
                (
                    "wxid_" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(14)),
                    f"{a}{b}_{rng.randrange(1960, 2005)}",
                    f"{a.title()}_{b}{rng.randrange(1, 99)}",
                    f"{a}-{b}{rng.randrange(10, 99)}",
                )
            )
        else:
            person.cache[form] = _digits(rng, c.pick((8, 9, 9, 10, 10, 11)), first_nonzero=True)
    span = _I("other_contact", form, person.cache[form], labelled)
    if not labelled:
        return [span]
    if form == "wechat_id":
        return [c.pick(("微信号：", "微信：", "VX：", "vx ", "WeChat: ", "微信 ")), span]
    return [c.pick(("QQ：", "QQ号 ", "QQ ", "扣扣：")), span]


# -- addresses -----------------------------------------------------------------------------------

_STREETS["heldout2"] = {
    "徐汇区": ("斜土路", "零陵路", "钦州路", "南丹路"),
    "静安区": ("共和新路", "万荣路", "平型关路"),
    "浦东新区": ("崂山路", "源深路", "金桥路", "德州路"),
    "黄浦区": ("蒙自路", "丽园路", "打浦路"),
    "青浦区": ("公园路", "盈港东路", "外青松公路"),
    "奉贤区": ("南桥路", "解放东路", "环城东路"),
    "金山区": ("卫零路", "龙胜路", "蒙山路"),
}
_H2_STREET_PINYIN = {
    "斜土路": "Xietu Rd", "零陵路": "Lingling Rd", "钦州路": "Qinzhou Rd", "南丹路": "Nandan Rd",
    "共和新路": "Gonghe Xin Rd", "万荣路": "Wanrong Rd", "平型关路": "Pingxingguan Rd", "崂山路": "Laoshan Rd",
    "源深路": "Yuanshen Rd", "金桥路": "Jinqiao Rd", "德州路": "Dezhou Rd", "蒙自路": "Mengzi Rd",
    "丽园路": "Liyuan Rd", "打浦路": "Dapu Rd", "公园路": "Gongyuan Rd", "盈港东路": "Yinggang Rd (E)",
    "外青松公路": "Waiqingsong Hwy", "南桥路": "Nanqiao Rd", "解放东路": "Jiefang Rd (E)",
    "环城东路": "Huancheng Rd (E)", "卫零路": "Weiling Rd", "龙胜路": "Longsheng Rd", "蒙山路": "Mengshan Rd",
}  # fmt: skip
_H2_DISTRICT_PINYIN = {
    "徐汇区": "Xuhui District", "静安区": "Jing'an District", "浦东新区": "Pudong New Area",
    "黄浦区": "Huangpu District", "青浦区": "Qingpu District", "奉贤区": "Fengxian District",
    "金山区": "Jinshan District",
}  # fmt: skip
_NEW_VILLAGES["heldout2"] = (
    ("徐汇区", "长桥三村"),
    ("浦东新区", "上钢新村"),
    ("静安区", "彭浦新村"),
    ("闵行区", "罗阳新村"),
    ("金山区", "石化七村"),
    ("浦东新区", "航头小区"),
)
_VILLAGES["heldout2"] = (
    ("奉贤区", "青村镇", "吴房村"),
    ("金山区", "枫泾镇", "新义村"),
    ("崇明区", "陈家镇", "瀛东村"),
    ("青浦区", "朱家角镇", "张马村"),
    ("浦东新区", "书院镇", "塘北村"),
    ("松江区", "叶榭镇", "东石村"),
)
_OUT_OF_TOWN["heldout2"] = (
    ("四川省达州市大竹县", "竹阳街道", "东湖路"),
    ("湖北省黄冈市蕲春县", "漕河镇", "蕲州大道"),
    ("山东省临沂市兰陵县", "卞庄街道", "文化路"),
    ("江苏省泰州市兴化市", "昭阳街道", "英武路"),
)
_H2_RURAL_OUT = (
    ("江苏省盐城市阜宁县", "益林镇", "东沟村"),
    ("安徽省六安市霍邱县", "城西湖乡", "沣西村"),
    ("江苏省南通市海门区", "悦来镇", "货隆村"),
)


def _h2_hmt_address(c: _Ctx, region: str) -> str:
    r = c.rng
    n, f = r.randrange(1, 400), r.randrange(2, 30)
    return c.pick(
        {
            "tw": (
                f"臺北市大安區忠孝東路四段{n}號{f}樓",
                f"新北市板橋區文化路一段{n}巷{r.randrange(1, 40)}號{f}樓",
                f"高雄市苓雅區四維三路{n}號{f}樓之{r.randrange(1, 9)}",
                f"臺中市西屯區臺灣大道三段{n}號",
            ),
            "hk": (
                f"香港九龍旺角彌敦道{n}號{f}樓{c.pick('ABCDEF')}室",
                f"香港新界沙田第一城{r.randrange(1, 52)}座{f}樓{c.pick('ABCDEFGH')}室",
                f"香港北角英皇道{n}號{f}樓",
            ),
            "mo": (f"澳門新馬路{n}號{f}樓", f"澳門氹仔柯維納馬路{n}號{f}樓{c.pick('ABCD')}座"),
        }[region]
    )


def _h2_address(c: _Ctx, labelled: bool) -> _I | None:
    rng, grp = c.rng, c.patient.cache.get("grp")
    if grp == "hmt" and c.chance(0.75):
        return _I("address", "traditional_hmt", _h2_hmt_address(c, c.patient.cache["region"]), labelled)
    if grp == "foreign" and c.chance(0.75):
        district = c.pick(list(_STREETS["heldout2"]))
        road = c.pick(_STREETS["heldout2"][district])
        lane, bldg, room = rng.randrange(1, 1800), rng.randrange(1, 40), rng.randrange(2, 33) * 100 + rng.randrange(1, 6)
        pc = c.pick(("", f" {c.pick(('200030', '200032', '201103', '200120', '201600'))}"))
        v = c.pick(
            (
                f"Rm {room}, No. {bldg}, Lane {lane}, {_H2_STREET_PINYIN[road]}, {_H2_DISTRICT_PINYIN[district]}, Shanghai{pc}",
                f"Apt {room}, Bldg {bldg}, {lane} {_H2_STREET_PINYIN[road]}, Shanghai{pc}",
            )
        )
        return _I("address", "english_address", v, labelled)
    if not c.chance(0.65 if c.style == "ocr_form" else 0.35):
        return None
    form = c.pick(("building_unit", "village_team", "split_phrase", "building_unit", "split_phrase"))
    streets = _STREETS["heldout2"]
    district = c.pick(list(streets))
    road = c.pick(streets[district])
    lane, bldg, unit = rng.randrange(1, 1800), rng.randrange(1, 40), rng.randrange(1, 7)
    room = rng.randrange(1, 24) * 100 + rng.randrange(1, 6)
    if form == "building_unit":
        dist, nv = c.pick(_NEW_VILLAGES["heldout2"])
        v = c.pick(
            (
                f"{district}{road}{lane}弄{bldg}号楼{unit}单元{room}",
                f"{dist}{nv}{bldg}栋{unit}单元{room}室",
                f"{road}{rng.randrange(1, 3000)}号{bldg}幢{unit}单元{room}室",
                f"{nv}{bldg}号楼{unit}单元{room}室",
            )
        )
    elif form == "village_team":
        dist, town, village = c.pick(_VILLAGES["heldout2"] + _H2_RURAL_OUT)
        k = rng.randrange(1, 16)
        v = c.pick(
            (
                f"{dist}{town}{village}{_cn_small(k)}组",
                f"{town}{village}{k}队{rng.randrange(1, 120)}号",
                f"{dist}{town}{village}第{_cn_small(k)}村民小组",
                f"{town}{village}{_cn_small(k)}队",
            )
        )
    else:  # the writer pauses inside the address: a comma, a space or a wrapped line
        sep = c.pick(("，", "，", " ", "\n", "、"))
        v = c.pick(
            (
                f"{district}{road}{lane}弄{sep}{bldg}号{room}室",
                f"{district}{sep}{road}{lane}弄{bldg}号{room}室",
                f"{c.pick(('上海市', ''))}{district}{road}{sep}{lane}弄{bldg}号",
            )
        )
    return _I("address", form, v, labelled)


# -- decoys --------------------------------------------------------------------------------------

_H2_INSURERS = ("中国人寿", "平安健康", "太平洋健康险", "众安保险", "泰康人寿", "沪惠保", "太平人寿", "新华保险")
_H2_ATC = ("C10AA", "A10BA", "B01AC", "C07AB", "J01DD", "N02BE", "A02BC", "C08CA", "R03AC")
_H2_DRG = ("FM19", "ES23", "GB15", "IC29", "BR23", "KD19", "LA19", "FR23", "ET23", "GK15", "RE15", "BM19")
_H2_SERVICE = ("静脉输液", "普通门诊诊查费", "CT平扫", "彩色多普勒超声常规检查", "血清肌酐测定", "静脉采血")


def _h2_trace(c: _Ctx) -> list:
    return [c.term(c.pick(c.sp["drugs"])), c.pick((" 药品追溯码：", " 追溯码 ")), _D("drug_trace_code", "8" + _digits(c.rng, 19))]


def _h2_catalog(c: _Ctx) -> list:
    rng = c.rng
    code = "X" + c.pick(_H2_ATC) + rng.choice("ABCDEFGHJK") + _digits(rng, 3) + "A0" + _digits(rng, 2) + _digits(rng, 4) + _digits(rng, 5)
    out = [c.term(c.pick(c.sp["drugs"])), "（医保编码 ", _D("yb_drug_code", code)]
    if c.chance(0.5):
        out += ["，本位码 ", _D("drug_standard_code", "86" + _digits(rng, 12))]
    return out + ["）"]


def _h2_service(c: _Ctx) -> list:
    return ["收费项目：", c.pick(_H2_SERVICE), "  项目编码 ", _D("service_item_code", "00" + _digits(c.rng, 13))]


def _h2_drg(c: _Ctx) -> list:
    return [c.pick(("DRG分组：", "入组 ", "CHS-DRG ")), _D("drg_group", c.pick(_H2_DRG))]


def _h2_serial(c: _Ctx) -> list:
    v = c.visit.strftime("%Y%m%d") + f"{c.rng.randrange(8, 18):02d}{c.rng.randrange(0, 60):02d}" + _digits(c.rng, 10)
    return [c.pick(("医保结算流水号：", "结算ID ", "结算流水号 ")), _D("settlement_serial", v)]


def _h2_claim(c: _Ctx) -> list:
    v = c.pick(("CL" + c.visit.strftime("%Y%m%d") + _digits(c.rng, 8), "9031" + _digits(c.rng, 16)))
    return [c.pick(("理赔案件号：", "报案号 ")), _D("claim_no", v)]


def _h2_udi(c: _Ctx) -> list:
    rng = c.rng
    exp = (c.visit + timedelta(days=rng.randrange(300, 1100))).strftime("%y%m%d")
    return ["耗材UDI：", _D("udi", f"(01)069{_digits(rng, 11)}(17){exp}(10){c.pick(('B', 'L', ''))}{_digits(rng, 6)}")]


def _h2_insurer_code(c: _Ctx) -> list:
    return [
        _D("insurer_name", c.pick(_H2_INSURERS)),
        " 统一社会信用代码 ",
        _D("credit_code", _uscc(c.pick(("310000", "310115", "310104")), c.rng, prefix="91")),
    ]


# -- styles --------------------------------------------------------------------------------------


def _s_insurance_claim(c: _Ctx) -> None:
    d = c.d
    d.f("{ins}理赔材料 病历摘要\n被保险人：{n}  ", ins=_D("insurer_name", c.pick(_H2_INSURERS)), n=c.pname(True))
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(c.card(True, forms=("policy_no",)))
    d.f("  出险日期：{date}  ", date=c.date_decoy())
    d.put(c.rec(True))
    dxn, icd = c.dx()
    d.f(
        "\n诊断：{dx}（{icd}） {drg}\n费用总额：{amt}{serial}\n",
        dx=dxn,
        icd=icd,
        drg=_h2_drg(c),
        amt=c.amount(800, 120000),
        serial=["  ", *_h2_serial(c)] if c.chance(0.5) else "",
    )
    rel, relation = c.relative()
    d.f("申请人：{rel}（{relation}） 电话：{ph}\n领款账户：{b}  {claim}", rel=c.name(rel, "relative", True), relation=relation, ph=c.phone(rel, True), b=c.bank(True), claim=_h2_claim(c))


def _s_international(c: _Ctx) -> None:
    d = c.d
    p = c.patient
    d.f("{fac} 国际医疗部 International Medical Center\nPatient: {lat}  中文名：{n}  国籍：{nat}\n", fac=c.facility(), lat=_h2_latin(c, p), n=c.pname(True), nat=p.cache["nation"])
    d.put(c.rid_labelled())
    d.f("  DOB: {dob}\n", dob=c.dob(True))
    if c.chance(0.7):
        d.f("Address: {a}\n", a=c.address(True))
    dxn, icd = c.dx()
    d.f(
        "CC: {s} x{k}d，伴{s2}。\nDx: {dx} ({icd})\nRx: {drug}\n",
        s=c.sym(),
        k=str(c.rng.randrange(1, 10)),
        s2=c.sym(),
        dx=dxn,
        icd=icd,
        drug=c.drug(),
    )
    d.f("Tel: {ph}  ", ph=c.phone(None, True))
    if c.chance(0.5):
        d.put(_h2_contact(c))
    d.f("\nInterpreter: {i}  Physician: {doc}", i=_nurse(c), doc=_doctor(c))


def _s_online_consult(c: _Ctx) -> None:
    d = c.d
    d.f(
        "{fac}互联网医院 图文问诊记录  {date} {hh}\n就诊人：{n}  {age}  {sex}\n",
        fac=c.facility(),
        date=c.date_decoy(),
        hh=c.pick(("21:14", "22:40", "07:55", "12:30")),
        n=c.pname(True),
        age=c.age_decoy(),
        sex=c.patient.sex,
    )
    d.f(
        "病情描述：{s}{k}天了，{s2}，以前有{past}，需要做{exam}吗？不方便打字，电话{ph}",
        s=c.sym(),
        k=str(c.rng.randrange(2, 20)),
        s2=c.sym(),
        past=c.term(c.pick(_PAST)),
        exam=c.term(c.pick(c.sp["exams"])),
        ph=c.phone(None, True),
    )
    if c.chance(0.6):
        d.put(["，或加"])
        d.put(_h2_contact(c))
    dxn, _icd = c.dx()
    d.f("\n医生回复：考虑{dx}可能，建议{drug}，必要时线下{dept}就诊。\n接诊医生：{doc}", dx=dxn, drug=c.drug(), dept=c.dept, doc=_doctor(c))


def _s_ocr_form(c: _Ctx) -> None:
    d = c.d
    d.f("住 院 登 记 表（扫描件文字识别）\n姓  名：{n}  性  别：{sex}  ", n=c.pname(True), sex=c.patient.sex)
    d.put(c.dob_labelled())
    d.put("\n")
    d.put(c.rid_labelled())
    d.put("\n现 住 址：")
    d.put(c.address(True))
    rel, relation = c.relative()
    d.f("\n联 系 人：{rel}  关  系：{relation}  电  话：{ph}\n", rel=c.name(rel, "relative", True), relation=relation, ph=c.phone(rel, True))
    d.f("入院科室：{dept}  入院日期：{date}  ", dept=c.dept, date=c.date_decoy())
    d.put(c.rec(True))
    dxn, icd = c.dx()
    d.f("\n门诊诊断：{dx}（{icd}）  经办人：{doc}", dx=dxn, icd=icd, doc=_nurse(c))


_STYLE_FUNCS.update(
    {
        "insurance_claim": _s_insurance_claim,
        "international": _s_international,
        "online_consult": _s_online_consult,
        "ocr_form": _s_ocr_form,
    }
)

_EXTRAS.update(
    {
        # half the time the WeChat account is the mobile number: 微信同号
        "contact": lambda c: _h2_contact(c) if c.chance(0.55) else [*c.phone_labelled(), "（微信同号）"],
        "trace": _h2_trace,
        "catalog": _h2_catalog,
        "service": _h2_service,
        "drg": lambda c: [*_h2_drg(c), "  ", *_h2_serial(c)],
        "udi": _h2_udi,
        "claim": lambda c: [*_h2_claim(c), "  ", *_h2_insurer_code(c)],
    }
)
_EXTRA_KIND["contact"] = "other_contact"
_H2_ID_EXTRAS = _ID_EXTRAS + ("contact",)
_H2_DECOY_EXTRAS = _DECOY_EXTRAS + ("trace", "catalog", "service", "drg", "udi", "claim")

# heldout2's hooks (see _HOOKS); it has no hook of its own for the patient's mentions in the prose
_HOOKS["heldout2"] = SimpleNamespace(
    pools=_h2_pools,
    new_person=_h2_new_person,
    name=_h2_name,
    surname_title=_h2_surname_title,
    patient_mention=lambda c: None,
    rid=_h2_rid,
    rid_labelled=_h2_rid_labelled,
    phone=_h2_phone,
    dob=_h2_dob,
    dob_labelled=_h2_dob_labelled,
    card=_h2_card,
    rec=_h2_rec,
    bank=_h2_bank,
    email=_h2_email,
    address=_h2_address,
    ID_EXTRAS=_H2_ID_EXTRAS,
    DECOY_EXTRAS=_H2_DECOY_EXTRAS,
)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

_MIN_LEN, _MAX_LEN = 200, 450


def _style_for(split: str, seed: int, i: int) -> str:
    styles = STYLES[split]
    # a shuffled round-robin so every style appears in any 2 * len(styles) consecutive notes
    block, pos = divmod(i, len(styles))
    order = list(styles)
    random.Random(f"independent-style:{split}:{seed}:{block}").shuffle(order)
    return order[pos]


def _one(split: str, seed: int, i: int) -> dict:
    style = _style_for(split, seed, i)
    rng = random.Random(f"independent-note:{split}:{seed}:{i}")
    hook = _HOOKS.get(split)
    id_pool = _ID_EXTRAS if hook is None else hook.ID_EXTRAS
    decoy_pool = _DECOY_EXTRAS if hook is None else hook.DECOY_EXTRAS
    best: _Ctx | None = None
    for _attempt in range(40):
        c = _Ctx(rng, split, style)
        _STYLE_FUNCS[style](c)
        # clinicians append lines: identifier lines until the note's target, then maybe one other
        target = rng.randint(6, 11)
        present = {e["kind"] for e in c.d.ids}
        id_extras = [x for x in rng.sample(id_pool, len(id_pool)) if _EXTRA_KIND[x] not in present]
        while id_extras and len(c.d.ids) < target and len(c.d.text) < _MAX_LEN - 50:
            _extra(c, id_extras.pop())
        if len(c.d.text) < _MIN_LEN or (rng.random() < 0.4 and len(c.d.text) < _MAX_LEN - 60):
            _extra(c, rng.choice(decoy_pool))
        while len(c.d.text) < _MIN_LEN:
            _extra(c, rng.choice(decoy_pool + id_pool))
        best = c
        if _MIN_LEN <= len(c.d.text) <= _MAX_LEN:
            break
    assert best is not None
    d = best.d
    text = d.text
    note = {
        "note_id": f"{split}-{seed}-{i:05d}",
        "style": style,
        "text": text,
        "identifiers": d.ids,
        "decoys": d.decoys,
        "clinical_terms": d.terms,
    }
    for group in ("identifiers", "decoys", "clinical_terms"):
        for e in note[group]:
            assert text[e["start"] : e["end"]] == e["value"], (note["note_id"], e)
    return note


def generate(n: int, seed: int, split: str) -> list[dict]:
    """``n`` synthetic notes of ``split`` ("dev", "heldout", "heldout2" … "heldout11"), the same
    for the same arguments."""
    if split not in ALL_SPLITS:
        raise ValueError(f"split must be one of {ALL_SPLITS}, got {split!r}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [_one(split, seed, i) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    """Write a corpus as JSON Lines: ``--split dev --n 600 --seed 1 --out FILE.jsonl``."""
    ap = argparse.ArgumentParser(
        prog="python -m bench.deid_eval.independent",
        description="Independent synthetic Shanghai-style clinical notes for de-identifier evaluation.",
        epilog="example: python -m bench.deid_eval.independent --split heldout --n 600 --seed 1 --out h.jsonl",
    )
    ap.add_argument("--split", choices=ALL_SPLITS, required=True, help="dev, heldout, heldout2, heldout3 … heldout10 or heldout11")
    ap.add_argument("--n", type=int, default=600, help="number of notes (default 600)")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="output .jsonl file ('-' for stdout)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("--n must be >= 0")
    notes = generate(args.n, args.seed, args.split)
    lines = "".join(json.dumps(note, ensure_ascii=False) + "\n" for note in notes)
    if str(args.out) == "-":
        sys.stdout.write(lines)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(lines, encoding="utf-8")
        ids = sum(len(x["identifiers"]) for x in notes)
        print(f"wrote {len(notes)} {args.split} notes ({ids} identifiers) to {args.out}", file=sys.stderr)
    return 0


# heldout3 … heldout11 live in their own modules (their forms must stay unread by the de-identifier's
# developers); importing them registers the split in FORMS, STYLES, SPLIT_KINDS, SPLIT_DECOY_KINDS, _HOOKS
# and the pools (bench/deid_eval/heldout_common.py, register()).
from bench.deid_eval import (  # noqa: E402, F401  (they need everything above)
    heldout3,
    heldout4,
    heldout5,
    heldout6,
    heldout7,
    heldout8,
    heldout9,
    heldout10,
    heldout11,
)

if __name__ == "__main__":
    # run through the package module, not this __main__ copy, so heldout3/4 register where main() looks
    from bench.deid_eval.independent import main as _main

    raise SystemExit(_main())
