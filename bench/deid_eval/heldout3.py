"""The third held-out split of the independent corpus, ``heldout3`` (see ``independent.py``).

# =============================================================================================
# heldout3 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT3.md) describes what the third held-out split tests; knowing it turns the
# split into another development set, as happened to heldout and heldout2. independent.py calls in
# here only through ``_h3.*`` hooks that run when the split is "heldout3".
# =============================================================================================

heldout3 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev, heldout and heldout2; its name, street and village pools are disjoint from
all three. ``other_contact`` (heldout2's kind) keeps heldout2's forms as its baseline.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from bench.deid_eval import independent as ind
from bench.deid_eval.heldout_common import (
    BASELINE_FORMS,
    KINDS,
    email_local,
    give_identity,
    labelled_dob,
    labelled_rid,
    landline,
    pick_person,
    register,
)
from bench.deid_eval.independent import (
    _CN_DIGITS,
    _D,
    _I,
    _cn_small,
    _digits,
    _full_id,
    _fw,
    _Person,
    _Pools,
)

HELDOUT3_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": (
        "surname_honorific",
        "married_name",
        "given_only",
        "milk_name",
        "newborn_of_mother",
        "pinyin_initials",
        "english_given_name",
        "surname_other_title",
    ),
    "resident_id": (
        "ocr_confusion",
        "cn_numerals",
        "birth_cert_no",
        "student_no",
        "cn_passport",
        "military_id",
    ),
    "phone": ("intl_prefix", "landline_ext", "landline_intl", "ocr_confusion", "char_spaced"),
    "card_number": ("yb_code_spaced", "yb_code_wrapped", "disability_cert", "ocr_confusion"),
    "hospital_record_no": ("empi_id", "health_file_no", "barcode_asterisk"),
    "date_of_birth": ("day_first", "en_long", "fullwidth", "year_month_numeric", "hao_day"),
    "bank_card": ("amex", "unionpay_dashed", "fullwidth"),
    "address": (
        "lilong_name",
        "hamlet_zhai",
        "estate_phase",
        "cn_numeral_numbers",
        "with_postcode",
        "care_home",
    ),
    "email": ("mobile_local", "hash_at", "at_word"),
    "other_contact": ("qq_cn_numerals", "wechat_fullwidth"),
    "style": ("case_front_page", "wechat_followup", "pediatric", "yb_filing", "ocr_referral"),
}
HELDOUT3_DECOY_KINDS = (
    "pathology_no",
    "prescription_no",
    "blood_unit_no",
    "courier_no",
    "amount_capital",
    "doc_date_cn",
    "age_detail",
    "sci_lab_value",
    "proc_code",
    "subject_no",
    "masked_name",
)

# -- people ------------------------------------------------------------------------------------

_H3_SURNAMES = (
    "戚 谈 房 裘 邢 包 左 岑 骆 关 游 温 莫 符 韦 阮 蓝 邬 栾 聂 景 桂 管 蒲 钮 计 劳 支 柯 甄 储 应 詹 鲁 晏 臧 仲 "
    "步 卜 常 濮 芮"
).split()
_H3_GIVEN_M = (
    "伯钧 瑞麟 守仁 启东 振声 惠康 乃昌 耀庭 肇基 鸣岐 澄宇 奕航 梓睿 屹然 沛霖 景澄 知远 修远 钧泽 逸尘 锦荣 "
    "祖德 福根 金龙 长庚 海生 雪根 伟民 秉忠 祥林 慕白 子墨 星河 北辰 清和 彦霖 承泽 嘉树 朗逸 守义 达明 叙伦"
).split()
_H3_GIVEN_F = (
    "凤珠 雅琳 秀娥 菊英 梅芳 琴芳 月仙 桂芬 淑娴 宛如 书宁 可欣 语桐 沐瑶 芊芊 思彤 若琳 佳琪 静姝 韵涵 梦洁 "
    "慧珠 宝凤 彩凤 翠英 杏芳 林娣 根妹 阿芬 美珍 丽娟 雪梅 秋云 锦华 晓霞 海鸥 素娥 蕴玉 佩玲 婉仪"
).split()
_H3_RARE = ("鞠", "冀", "郦", "逯", "蓟", "羿", "仝", "厍")
_H3_COMPOUND = ("司徒", "钟离", "南宫", "百里", "第五", "万俟", "赫连")
_H3_WORD_LIKE = (
    ("宁", "静"),
    ("韩", "冰"),
    ("凌", "云"),
    ("秦", "川"),
    ("沈", "默"),
    ("罗", "兰"),
    ("何", "平"),
    ("左", "岸"),
    ("严", "明"),
    ("江", "南"),
    ("时", "光"),
    ("景", "明"),
)
_SURNAME_PINYIN = dict(
    zip(
        "戚谈房裘邢包左岑骆关游温莫符韦阮蓝邬栾聂景桂管蒲钮计劳支柯甄储应詹鲁晏臧仲步卜常濮芮",
        "Qi Tan Fang Qiu Xing Bao Zuo Cen Luo Guan You Wen Mo Fu Wei Ruan Lan Wu Luan Nie Jing Gui Guan Pu Niu Ji "
        "Lao Zhi Ke Zhen Chu Ying Zhan Lu Yan Zang Zhong Bu Bu Chang Pu Rui".split(),
        strict=True,
    )
)
_ENGLISH_GIVEN = {
    "男": ("Tony", "Kevin", "Jason", "Eric", "Frank", "Vincent", "Leo", "Andy", "Steven", "Henry"),
    "女": ("Linda", "Cindy", "Vivian", "Grace", "Amy", "Sophia", "Iris", "Joyce", "Wendy", "Coco"),
}
_OTHER_TITLES = ("大夫", "药师", "技师", "护师", "院长", "医师", "博士")
_MILK_NAMES = (
    "豆豆",
    "乐乐",
    "朵朵",
    "糖糖",
    "壮壮",
    "贝贝",
    "可可",
    "球球",
    "元宝",
    "团团",
    "妞妞",
    "皮皮",
    "丁丁",
    "蛋蛋",
)
_HONORIFIC = {"男": ("先生", "师傅", "老伯", "阿叔"), "女": ("女士", "阿姨", "阿婆", "师母")}


# initials of the pool's surname characters that are not in GB 2312 level 1 (or are read differently)
_CHAR_INITIAL = {
    **{k: v[0] for k, v in _SURNAME_PINYIN.items()},
    **dict(zip("鞠冀郦逯蓟羿仝厍", "JJLLJYTS", strict=True)),
    **dict(zip("万俟", "MQ", strict=True)),  # 万俟 is read Moqi
}


def _initial(ch: str) -> str | None:
    """The pinyin initial of a GB 2312 level-1 character (they are in pinyin order); None otherwise."""
    if ch in _CHAR_INITIAL:
        return _CHAR_INITIAL[ch]
    try:
        code = int.from_bytes(ch.encode("gb2312"), "big") - 65536
    except UnicodeEncodeError:
        return None
    bounds = (
        (-20319, "A"), (-20283, "B"), (-19775, "C"), (-19218, "D"), (-18710, "E"), (-18526, "F"), (-18239, "G"),
        (-17922, "H"), (-17417, "J"), (-16474, "K"), (-16212, "L"), (-15640, "M"), (-15165, "N"), (-14922, "O"),
        (-14914, "P"), (-14630, "Q"), (-14149, "R"), (-14090, "S"), (-13318, "T"), (-12838, "W"), (-12556, "X"),
        (-11847, "Y"), (-11055, "Z"),
    )  # fmt: skip
    if not -20319 <= code <= -10247:
        return None
    out = "A"
    for lo, letter in bounds:
        if code >= lo:
            out = letter
    return out


_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        fm, ff = ind._faker_given()
        known_given = set(ind._OWN_GIVEN_M) | set(ind._OWN_GIVEN_F) | set(fm) | set(ff)
        known_given |= set(ind._H2_GIVEN_M) | set(ind._H2_GIVEN_F)
        known_sur = set(ind._COMMON_SURNAMES) | set(ind._H2_SURNAMES)
        _POOL.append(
            _Pools(
                surnames=[s for s in _H3_SURNAMES if s not in known_sur],
                given_m=[g for g in _H3_GIVEN_M if g not in known_given],
                given_f=[g for g in _H3_GIVEN_F if g not in known_given],
                rare=_H3_RARE,
                compound=_H3_COMPOUND,
                word_like=_H3_WORD_LIKE,
            )
        )
    return _POOL[0]


def new_person(c, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    rng = c.rng
    p = pick_person(c, sex, (0.07, 0.14, 0.21))
    sex = p.sex
    if with_identity:
        age = give_identity(c, p, child)
        # elderly women: husband's surname before their own (张王氏), or 冠夫姓 (陈林美玲)
        if sex == "女" and p.kind == "ordinary" and age >= 70 and rng.random() < 0.6:
            _marry(c, p, old_style=age >= 82 and rng.random() < 0.6)
    elif role == "relative" and sex == "女" and p.kind == "ordinary" and rng.random() < 0.05:
        _marry(c, p, old_style=False)
    return p


def _marry(c, p: _Person, old_style: bool) -> None:
    husband = c.pick([s for s in c.pools.surnames if s != p.surname])
    if old_style:
        p.given = p.surname + "氏"
        p.surname = husband
    else:
        p.surname = husband + p.surname
    p.kind = "married_name"


def _honorific(c, person: _Person) -> str:
    old = person.dob is not None and c.visit.year - person.dob.year >= 60
    pool = _HONORIFIC[person.sex]
    return c.pick(pool[2:] if old else pool[:2]) if c.chance(0.7) else c.pick(pool)


def name(c, person: _Person, context_form: str, labelled: bool):
    if person.kind == "married_name":
        return _I("person_name", "married_name", person.full, labelled)
    if person is c.patient and c.patient.cache.get("newborn"):
        mother = person.cache["mother"]
        tail = c.pick(("之女", "婴") if person.sex == "女" else ("之子", "婴"))
        return [_I("person_name", "newborn_of_mother", mother.full, labelled), tail]
    english = 0.4 if c.style == "english_mixed" else 0.25 if context_form == "relative" else 0.0
    if person.kind == "ordinary" and person.surname in _SURNAME_PINYIN and c.chance(english):
        return _I("person_name", "english_given_name", english_name(c, person), labelled)
    if context_form == "relative" and person.kind == "ordinary" and c.chance(0.6):
        return [_I("person_name", "surname_honorific", person.surname, labelled), _honorific(c, person)]
    return _I(
        "person_name", context_form if person.kind == "ordinary" else person.kind, person.full, labelled
    )


def english_name(c, person: _Person) -> str:
    """The English given name white-collar Shanghai people use, with the surname (Linda Wang, Linda王)."""
    if "english" not in person.cache:
        person.cache["english"] = c.pick(_ENGLISH_GIVEN[person.sex])
    eng, py = person.cache["english"], _SURNAME_PINYIN[person.surname]
    return c.pick((f"{eng} {py}", f"{eng}{person.surname}", f"{person.surname}{eng}", f"{eng} {py.upper()}"))


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    """王大夫, 陈药师: a surname with a title dev does not use (span = the surname)."""
    if title not in (None, "医生", "主任") or not c.chance(0.55):
        return None
    person = person or c.staff()
    if person.kind == "married_name":
        return None
    titles = _OTHER_TITLES if title != "主任" else ("院长", "大夫", "医师", "博士")
    return [_I("person_name", "surname_other_title", person.surname, True), c.pick(titles)]


def patient_mention(c) -> list | None:
    p = c.patient
    if p.kind == "married_name" or p.cache.get("newborn"):
        return None
    if c.age < 15 and len(p.given) >= 2 and c.chance(0.6):
        return ["患儿", _I("person_name", "given_only", p.given, True)]
    if c.age >= 55 and p.kind == "ordinary" and c.chance(0.6):
        return [_I("person_name", "surname_honorific", p.surname, False), _honorific(c, p)]
    return None


def initials(c, person: _Person) -> str:
    """Pinyin initials of the person's name (ZJH); for a character outside GB 2312 level 1, the
    initial of a random syllable stands in (the value is synthetic either way)."""
    out = [_initial(ch) for ch in person.full]
    return "".join(x or c.pick(ind._PINYIN_SYL)[0].upper() for x in out)


# -- OCR confusions ------------------------------------------------------------------------------

# what OCR of a scanned form reads for a digit (and × for the check character X)
_OCR = {"0": "OoD", "1": "lI", "2": "Z", "5": "S", "8": "B", "6": "b", "X": "×"}


def ocr(c, value: str, k_lo: int = 1, k_hi: int = 2) -> str:
    spots = [i for i, ch in enumerate(value) if ch in _OCR]
    k = min(len(spots), c.rng.randint(k_lo, k_hi))
    chars = list(value)
    for i in c.rng.sample(spots, k):
        chars[i] = c.pick(_OCR[chars[i]])
    return "".join(chars)


def _cn(c, digits: str) -> str:
    zero = c.pick(("〇", "零"))
    return "".join(zero if ch == "0" else _CN_DIGITS[int(ch)] if ch.isdigit() else ch for ch in digits)


def _style_p(c, base: float, **by_style: float) -> float:
    return by_style.get(c.style, base)


# -- identity documents --------------------------------------------------------------------------


def rid_form(c, form: str, labelled: bool, person: _Person | None = None) -> _I:
    p = person or c.patient
    rng = c.rng
    full = _full_id(p)
    if form == "ocr_confusion":
        v = ocr(c, full, 1, 3)
    elif form == "cn_numerals":
        v = _cn(c, full)
    elif form == "birth_cert_no":  # 出生医学证明编号: one letter (the print run) and nine digits
        if "birth_cert" not in p.cache:
            p.cache["birth_cert"] = c.pick("OPQRSTX") + "31" + _digits(rng, 7)
        v = p.cache["birth_cert"]
    elif form == "student_no":  # 全国中小学生学籍号: G + the citizen number
        v = "G" + full
    elif form == "cn_passport":  # PRC ordinary passport of an overseas Chinese without a hukou
        if "cn_passport" not in p.cache:
            p.cache["cn_passport"] = c.pick(
                ("E" + _digits(rng, 8), "E" + c.pick("ABCDEFGH") + _digits(rng, 7))
            )
        v = p.cache["cn_passport"]
    else:  # military_id: 军官证 (2016 form: 军 + 7 digits; older ones: the service's or region's character)
        if "military" not in p.cache:
            n7 = _digits(rng, 7, True)
            p.cache["military"] = c.pick(
                (
                    f"军字第{n7}号",
                    f"军{n7}",
                    f"{c.pick('海空南北')}字第{_digits(rng, c.pick((7, 8)), True)}号",
                )
            )
        v = p.cache["military"]
    return _I("resident_id", form, v, labelled)


def rid(c, labelled: bool) -> _I | None:
    p = c.patient
    if p.cache.get("newborn"):
        return rid_form(c, "birth_cert_no", labelled)
    if c.age < 1 and c.chance(0.8):
        return rid_form(c, "birth_cert_no", labelled)
    if 4 <= c.age < 18 and c.chance(0.7):
        return rid_form(c, "student_no", labelled)
    if not c.chance(_style_p(c, 0.38, ocr_referral=0.75, wechat_followup=0.6, case_front_page=0.45)):
        return None
    if c.style == "ocr_referral":
        form = c.rng.choices(
            ("ocr_confusion", "cn_numerals", "cn_passport", "military_id"), weights=(80, 0, 8, 12)
        )[0]
    elif c.style == "wechat_followup":
        form = c.rng.choices(
            ("ocr_confusion", "cn_numerals", "cn_passport", "military_id"), weights=(5, 85, 5, 5)
        )[0]
    else:
        form = c.rng.choices(
            ("ocr_confusion", "cn_numerals", "cn_passport", "military_id"), weights=(30, 25, 18, 32)
        )[0]
    if form == "military_id" and not 18 <= c.age <= 65:  # serving officers only
        form = "cn_passport"
    return rid_form(c, form, labelled)


_RID_LABELS = {
    "birth_cert_no": ("出生医学证明编号：", "出生证编号 ", "证件类型：出生医学证明  证件号码："),
    "student_no": ("学籍号：", "全国学籍号 ", "学生学籍号："),
    "cn_passport": ("护照号：", "证件类型：护照  证件号码：", "护照号码 "),
    "military_id": ("军官证号：", "证件号码（军官证）：", "军人证件 "),
}


def rid_labelled(c) -> list:
    return labelled_rid(c, _RID_LABELS)


# -- phones --------------------------------------------------------------------------------------


def phone_form(c, person: _Person, form: str, labelled: bool) -> _I:
    m = c.mobile_digits(person)
    if form == "intl_prefix":
        v = c.pick(
            (
                f"0086 {m}",
                f"0086-{m}",
                f"(+86){m}",
                f"（+86）{m}",
                f"+86 {m[:3]} {m[3:7]} {m[7:]}",
                f"86-{m}",
                f"＋86 {m}",
                f"+86({m[:3]}){m[3:]}",
            )
        )
    elif form == "ocr_confusion":
        v = ocr(c, m, 1, 2)
    elif form == "char_spaced":
        v = c.pick((" ", " ", "  ")).join(m)
    else:
        n = landline(c, person)
        if form == "landline_ext":
            ext = _digits(c.rng, c.pick((3, 4)), True)
            v = c.pick(
                (
                    f"021-{n}转{ext}",
                    f"{n}转{ext}",
                    f"021-{n}-{ext}",
                    f"021-{n} ext.{ext}",
                    f"(021){n} 分机{ext}",
                )
            )
        else:  # landline_intl: a Shanghai number as written for callers from abroad
            v = c.pick(
                (f"+86-21-{n}", f"+86 21 {n[:4]} {n[4:]}", f"0086-21-{n}", f"+86 (21) {n}", f"(86-21){n}")
            )
    return _I("phone", form, v, labelled)


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    if not c.chance(
        _style_p(c, 0.3, ocr_referral=0.6, wechat_followup=0.5, yb_filing=0.5, case_front_page=0.45)
    ):
        return None
    forms = ["intl_prefix", "ocr_confusion", "char_spaced"]
    weights = [
        3,
        5 if c.style == "ocr_referral" else 2,
        2 if c.style in ("ocr_referral", "case_front_page") else 1,
    ]
    if landline_ok:
        forms += ["landline_ext", "landline_intl"]
        weights += [3 if c.style == "yb_filing" else 2, 1]
    return phone_form(c, person, c.rng.choices(forms, weights=weights)[0], labelled)


# -- cards and record numbers --------------------------------------------------------------------


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    """A heldout3 card as ``[label, span]``, or the name of the dev form the dev code should render."""
    novel = HELDOUT3_ONLY["card_number"]
    if forms is None:
        if not c.chance(_style_p(c, 0.28, yb_filing=0.6, ocr_referral=0.45)):
            return c.pick(ind._SHARED_FORMS["card_number"])
        form = c.pick(novel)
    else:
        form = c.pick(forms)
        if form not in novel:
            return form
    p, rng = c.patient, c.rng
    key = "h3_" + form
    if key not in p.cache:
        region = p.area if p.area.startswith("31") else "310000"
        code = p.cache.setdefault("yb_personal_code", region + _digits(rng, 14))
        if form == "yb_code_spaced":
            groups = c.pick(((4, 4, 4, 4, 4), (6, 8, 6), (6, 14), (6, 4, 4, 6)))
            parts, i = [], 0
            for g in groups:
                parts.append(code[i : i + g])
                i += g
            v = c.pick((" ", " ", "-")).join(parts)
        elif form == "yb_code_wrapped":
            k = rng.randrange(6, 16)
            v = code[:k] + c.pick(("\n", "\n", "\n  ", "\r\n")) + code[k:]
        elif form == "disability_cert":  # 残疾人证号: the citizen number + category (1-7) + grade (1-4)
            v = _full_id(p) + str(rng.randrange(1, 8)) + str(rng.randrange(1, 5))
        else:  # ocr_confusion of the 9-character 社保卡号
            base = p.cache.setdefault("sscard_digits9", _digits(rng, 9, first_nonzero=True))
            v = ocr(c, base, 1, 2)
        p.cache[key] = v
    span = _I("card_number", form, p.cache[key], labelled)
    if not labelled:
        return [span]
    label = c.pick(
        {
            "yb_code_spaced": ("医保个人编码：", "人员编号：", "医保编号 "),
            "yb_code_wrapped": ("医保个人编码：", "人员编号："),
            "disability_cert": ("残疾人证号：", "残疾证号 ", "残疾人证："),
            "ocr_confusion": ("社保卡号：", "医保卡号：", "社会保障卡卡号 "),
        }[form]
    )
    return [label, span]


def rec_form(c, form: str, labelled: bool) -> list:
    p, rng = c.patient, c.rng
    key = "rec_" + form
    if key not in p.cache:
        if form == "empi_id":  # the hospital's master patient index
            p.cache[key] = c.pick(("100" + _digits(rng, 9), "EM" + _digits(rng, 10), "P" + _digits(rng, 11)))
        elif form == "health_file_no":
            # 居民健康档案编号, 17 digits: county 6 + township/street 3 + village/居委 3 + person 5
            area = p.area if p.area.startswith("31") else c.pick(ind._SH_AREA_CODES)
            p.cache[key] = (
                area + f"{rng.randrange(1, 20):03d}" + f"{rng.randrange(1, 45):03d}" + _digits(rng, 5)
            )
        else:  # barcode_asterisk: Code 39 human-readable line of a wristband, read back by OCR
            p.cache[key] = (
                "*" + c.pick((_digits(rng, 7, True), "ZY" + _digits(rng, 7), _digits(rng, 10))) + "*"
            )
    span = _I("hospital_record_no", form, p.cache[key], labelled)
    if not labelled:
        return [span]
    label = c.pick(
        {
            "empi_id": ("EMPI：", "患者主索引号：", "患者唯一号 ", "主索引ID "),
            "health_file_no": ("健康档案编号：", "居民健康档案号 ", "档案编号："),
            "barcode_asterisk": ("腕带条码：", "腕带 ", "住院号条码："),
        }[form]
    )
    return [label, span]


def rec(c, labelled: bool) -> list | None:
    if not c.chance(_style_p(c, 0.33, case_front_page=0.5, ocr_referral=0.55, yb_filing=0.4)):
        return None
    if c.style == "ocr_referral":
        form = c.rng.choices(HELDOUT3_ONLY["hospital_record_no"], weights=(1, 4, 2))[0]
    else:
        form = c.pick(HELDOUT3_ONLY["hospital_record_no"])
    return rec_form(c, form, labelled)


# -- dates of birth ------------------------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def dob_form(c, form: str, labelled: bool, person: _Person) -> _I:
    d = person.dob
    if form == "day_first":
        v = c.pick(
            (
                f"{d.day}.{d.month}.{d.year}",
                f"{d.day:02d}/{d.month:02d}/{d.year}",
                f"{d.day:02d}.{d.month:02d}.{d.year}",
            )
        )
    elif form == "en_long":
        mon = _MONTHS[d.month - 1]
        v = c.pick(
            (
                f"{d.day} {mon} {d.year}",
                f"{mon} {d.day}, {d.year}",
                f"{d.day} {mon[:3]} {d.year}",
                f"{mon} {d.day} {d.year}",
            )
        )
    elif form == "fullwidth":
        v = _fw(
            c.pick(
                (f"{d.year}年{d.month}月{d.day}日", d.isoformat(), f"{d.year}年{d.month:02d}月{d.day:02d}日")
            )
        )
    elif form == "year_month_numeric":
        v = c.pick(
            (
                f"{d.year}-{d.month:02d}",
                f"{d.year}.{d.month:02d}",
                f"{d.year}{d.month:02d}",
                f"{d.year}/{d.month}",
            )
        )
    else:  # hao_day: the day with 号 instead of 日, as said aloud
        y = c.pick(
            (
                str(d.year),
                "".join(_CN_DIGITS[int(x)] for x in str(d.year)),
                "".join(_CN_DIGITS[int(x)] for x in f"{d.year % 100:02d}"),
            )
        )
        if y.isdigit():
            v = f"{y}年{d.month}月{d.day}号"
        else:
            v = f"{y}年{_cn_small(d.month)}月{_cn_small(d.day)}号"
    return _I("date_of_birth", form, v, labelled)


def dob(c, labelled: bool, person: _Person) -> _I | None:
    if not c.chance(
        _style_p(c, 0.33, case_front_page=0.45, pediatric=0.45, wechat_followup=0.6, ocr_referral=0.45)
    ):
        return None
    forms = list(HELDOUT3_ONLY["date_of_birth"])
    if c.style == "wechat_followup":
        weights = [1, 1, 0, 1, 6]
    elif c.style in ("ocr_referral", "case_front_page"):
        weights = [1, 1, 4, 3, 1]
    elif c.style == "english_mixed":
        weights = [4, 5, 0, 1, 0]
    else:
        weights = [2, 2, 2, 2, 3]
    return dob_form(c, c.rng.choices(forms, weights=weights)[0], labelled, person)


_DOB_LABELS = {
    "day_first": ("DOB: ", "Date of birth: ", "出生日期(日/月/年)："),
    "en_long": ("DOB: ", "Date of Birth: ", "Born "),
    "fullwidth": ("出生日期：", "出生年月日："),
    "year_month_numeric": ("出生年月：", "出生年月 "),
    "hao_day": ("生日：", "_生", "_出生", "出生："),
}


def dob_labelled(c) -> list:
    return labelled_dob(c, _DOB_LABELS)


# -- bank cards, e-mail, other contacts ----------------------------------------------------------

_AMEX_BINS = ("374970", "377187", "376968", "370285")


def bank(c, labelled: bool) -> _I | None:
    if not c.chance(_style_p(c, 0.4, yb_filing=0.55)):
        return None
    form = c.rng.choices(HELDOUT3_ONLY["bank_card"], weights=(5, 4, 3))[0]
    if form == "amex":
        num = ind._luhn_complete(c.pick(_AMEX_BINS) + _digits(c.rng, 8))
        v = c.pick((f"{num[:4]} {num[4:10]} {num[10:]}", num, f"{num[:4]}-{num[4:10]}-{num[10:]}"))
        return _I("bank_card", form, v, labelled)
    num = ind._unionpay_number(c)
    if form == "unionpay_dashed":
        v = "-".join(num[i : i + 4] for i in range(0, len(num), 4))
    else:
        v = _fw(num) if c.chance(0.5) else "\u3000".join(_fw(num[i : i + 4]) for i in range(0, len(num), 4))
    return _I("bank_card", form, v, labelled)


_MOBILE_MAIL = ("139.com", "163.com", "189.cn", "wo.cn", "126.com")


def email(c, labelled: bool) -> _I | None:
    if not c.chance(_style_p(c, 0.35, wechat_followup=0.6)):
        return None
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    form = c.pick(HELDOUT3_ONLY["email"])
    local = email_local(c, a, b)
    if form == "mobile_local":
        v = f"{c.mobile_digits(c.patient)}@{c.pick(_MOBILE_MAIL)}"
    elif form == "hash_at":  # '#' typed for '@' to beat address harvesters
        v = f"{local}#{c.pick(ind._WEBMAIL)}"
    else:
        dom = c.pick(("163", "126", "qq", "sina", "foxmail"))
        v = c.pick(
            (
                f"{local} at {dom} dot com",
                f"{local}(at){dom}.com",
                f"{local}[at]{dom}.com",
                f"{local} AT {dom} DOT com",
            )
        )
    return _I("email", form, v, labelled)


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    """A WeChat ID or QQ number (kind other_contact): heldout2's forms as the baseline, or a new one."""
    person = person or c.patient
    if not c.chance(0.4):
        return ind._h2_contact(c, person, labelled)
    rng = c.rng
    form = c.rng.choices(HELDOUT3_ONLY["other_contact"], weights=(5, 4))[0]
    key = "h3_" + form
    if key not in person.cache:
        if form == "qq_cn_numerals":  # a QQ number dictated into voice input
            person.cache[key] = _cn(c, _digits(rng, c.pick((8, 9, 10)), first_nonzero=True))
        else:  # a WeChat ID typed with the Chinese input method in fullwidth mode
            a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
            plain = c.pick((f"{a}{b}{rng.randrange(1960, 2005)}", f"{a}_{b}{rng.randrange(1, 99)}"))
            person.cache[key] = "".join(chr(ord(ch) + 0xFEE0) for ch in plain)  # ａ-ｚ, ０-９, ＿
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "qq_cn_numerals":
        return [c.pick(("QQ：", "扣扣号 ", "QQ号是")), span]
    return [c.pick(("微信号：", "微信：", "VX：")), span]


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout3"] = {
    "长宁区": ("武夷路", "安顺路", "愚园路", "番禺路", "定西路"),
    "普陀区": ("宜川路", "岚皋路", "兰溪路", "梅川路"),
    "虹口区": ("欧阳路", "广中路", "水电路", "西江湾路"),
    "闵行区": ("江川路", "莲花南路", "银都路", "报春路"),
    "浦东新区": ("南码头路", "峨山路", "博山东路", "东明路"),
    "宝山区": ("共康路", "长江南路", "盘古路"),
}
ind._NEW_VILLAGES["heldout3"] = (
    ("长宁区", "新泾六村"),
    ("普陀区", "宜川一村"),
    ("虹口区", "广中新村"),
    ("闵行区", "莘城苑"),
    ("浦东新区", "南码头小区"),
    ("宝山区", "共富新村"),
)
ind._VILLAGES["heldout3"] = (
    ("金山区", "张堰镇", "百家村"),
    ("松江区", "新浜镇", "胡家埭村"),
    ("崇明区", "三星镇", "育德村"),
    ("嘉定区", "华亭镇", "毛桥村"),
    ("浦东新区", "老港镇", "大河村"),
    ("奉贤区", "金汇镇", "明星村"),
)
ind._OUT_OF_TOWN["heldout3"] = (
    ("福建省莆田市仙游县", "鲤城街道", "八二五大街"),
    ("甘肃省天水市秦安县", "兴国镇", "成纪大道"),
    ("广西壮族自治区桂林市全州县", "全州镇", "湘山路"),
    ("黑龙江省齐齐哈尔市龙江县", "龙江镇", "繁荣大街"),
)
_LILONG = (
    "步高里",
    "尚贤坊",
    "四明邨",
    "涌泉坊",
    "建业里",
    "慎余里",
    "淮海坊",
    "福明邨",
    "大胜胡同",
    "德安里",
)
_ESTATES = (
    ("浦东新区", "世纪花园"),
    ("闵行区", "万源城"),
    ("普陀区", "中远两湾城"),
    ("宝山区", "新梅共和城"),
    ("长宁区", "虹桥新苑"),
    ("松江区", "江秋新苑"),
)
_CARE_HOMES = (
    ("长宁区", "颐康护理院"),
    ("普陀区", "福寿养老院"),
    ("虹口区", "凉城敬老院"),
    ("闵行区", "梅陇镇敬老院"),
    ("宝山区", "第一社会福利院"),
    ("浦东新区", "康桥老年护理院"),
)
_POSTCODES = {
    "长宁区": "200050",
    "普陀区": "200333",
    "虹口区": "200081",
    "闵行区": "201100",
    "浦东新区": "200125",
    "宝山区": "201900",
}


def _cn_number(n: int) -> str:
    """120 -> 一百二十, 1239 -> 一千二百三十九 (house numbers said aloud)."""
    if n < 100:
        return _cn_small(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q, n = divmod(n, value)
        if q:
            if zero:
                out += "零"
            out += _CN_DIGITS[q] + unit
            zero = False
        elif out:
            zero = True
    return out


def address_form(c, form: str, labelled: bool) -> _I:
    rng = c.rng
    streets = ind._STREETS["heldout3"]
    district = c.pick(list(streets))
    road = c.pick(streets[district])
    lane, bldg = rng.randrange(1, 1500), rng.randrange(1, 40)
    room = rng.randrange(1, 24) * 100 + rng.randrange(1, 6)
    if form == "lilong_name":  # old Shanghai 里弄: the lane has a name (…里, …坊, …邨)
        li = c.pick(_LILONG)
        v = c.pick(
            (
                f"{district}{road}{lane}弄{li}{bldg}号",
                f"{road}{li}{bldg}号{c.pick(('前楼', '亭子间', '后厢房', '三层阁'))}",
                f"{li}{bldg}号",
            )
        )
    elif form == "hamlet_zhai":  # rural Shanghai: the natural hamlet named after a family (陆家宅)
        dist, town, village = c.pick(ind._VILLAGES["heldout3"])
        zhai = c.pick(("陆", "沈", "顾", "朱", "姚", "杨", "倪", "金")) + c.pick(
            ("家宅", "家宅", "家埭", "家角")
        )
        v = c.pick(
            (
                f"{dist}{town}{village}{zhai}{rng.randrange(1, 90)}号",
                f"{town}{village}{zhai}{rng.randrange(1, 90)}号",
                f"{village}{zhai}",
            )
        )
    elif form == "estate_phase":  # commercial estates: 期 (phase) and 座 (tower)
        dist, est = c.pick(_ESTATES)
        v = c.pick(
            (
                f"{dist}{est}{rng.randrange(1, 5)}期{bldg}号楼{room}",
                f"{est}{c.pick('ABCDEF')}座{room}室",
                f"{dist}{est}{_cn_small(rng.randrange(1, 5))}期{bldg}幢{room}室",
            )
        )
    elif form == "cn_numeral_numbers":  # numbers said aloud and typed as heard
        v = c.pick(
            (
                f"{district}{road}{_cn_number(lane)}弄{_cn_number(bldg)}号{_cn(c, str(room))}室",
                f"{road}{_cn_number(rng.randrange(1, 2000))}号",
                f"{road}{_cn_number(lane)}弄{_cn_number(bldg)}号",
            )
        )
    elif form == "with_postcode":
        pc = _POSTCODES[district]
        v = c.pick(
            (
                f"{pc} 上海市{district}{road}{lane}弄{bldg}号{room}室",
                f"上海市{district}{road}{lane}弄{bldg}号（{pc}）",
                f"{pc}上海{district}{road}{rng.randrange(1, 2000)}号",
            )
        )
    else:  # care_home: elderly patients who live in a nursing home
        dist, home = c.pick(_CARE_HOMES)
        v = c.pick(
            (
                f"{dist}{home}{rng.randrange(1, 6)}号楼{rng.randrange(1, 6)}{rng.randrange(1, 30):02d}房",
                f"{home}{rng.randrange(1, 6)}楼{rng.randrange(1, 40)}床",
                f"{dist}{home}",
            )
        )
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if not c.chance(_style_p(c, 0.35, ocr_referral=0.55, case_front_page=0.5, yb_filing=0.5)):
        return None
    forms = list(HELDOUT3_ONLY["address"])
    weights = [2, 3, 2, 3, 2, 3 if c.age >= 75 else 1]
    return address_form(c, c.rng.choices(forms, weights=weights)[0], labelled)


# -- decoys --------------------------------------------------------------------------------------

_CAP_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def capital_amount(yuan: int, jiao: int) -> str:
    """2345.6 -> 人民币贰仟叁佰肆拾伍元陆角 (大写金额 as on receipts)."""
    out, zero = "", False
    for value, unit in ((10000, "万"), (1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        q, yuan = divmod(yuan, value)
        if value == 10000:
            if q:
                out += capital_amount(q, 0)[3:-2] + "万"
            continue
        if q:
            if zero and out:
                out += "零"
            out += _CAP_DIGITS[q] + unit
            zero = False
        else:
            zero = True
    out = (out or "零") + "元"
    return "人民币" + out + (_CAP_DIGITS[jiao] + "角" if jiao else "整")


def pathology(c) -> list:
    y = c.visit.year
    v = c.pick(
        (
            f"S{y}-{_digits(c.rng, 5)}",
            f"F{y % 100}-{_digits(c.rng, 5)}",
            f"B{y}{_digits(c.rng, 5)}",
            f"{y % 100}-{_digits(c.rng, 5)}",
        )
    )
    return [c.pick(("病理号：", "病理号 ", "冰冻病理号：")), _D("pathology_no", v)]


def prescription(c) -> list:
    return [
        c.pick(("处方号：", "处方编号 ")),
        _D("prescription_no", c.pick(("CF", "RX", "")) + c.visit.strftime("%Y%m%d") + _digits(c.rng, 5)),
    ]


def blood_unit(c) -> list:
    return [
        c.pick(("血袋号：", "献血条码 ")),
        _D("blood_unit_no", "31" + c.visit.strftime("%y") + _digits(c.rng, 10)),
    ]


def courier(c) -> list:
    v = c.pick(
        (
            "SF" + _digits(c.rng, 13, True),
            "JD" + _digits(c.rng, 13),
            "YT" + _digits(c.rng, 13),
            "EMS" + _digits(c.rng, 10),
        )
    )
    return [c.pick(("快递单号", "顺丰单号 ", "物流单号：")), _D("courier_no", v)]


def capital(c) -> list:
    """An amount in figures and in 大写 (the same amount, as a receipt writes both)."""
    yuan, jiao = c.rng.randrange(30, 99999), c.rng.randrange(0, 10)
    return [
        "金额：",
        _D("amount", f"{yuan}.{jiao}0元"),
        "（大写：",
        _D("amount_capital", capital_amount(yuan, jiao)),
        "）",
    ]


def cn_date(c, d: date | None = None) -> _D:
    d = d or c.visit
    return _D(
        "doc_date_cn",
        "".join(_CN_DIGITS[int(x)] for x in str(d.year)) + f"年{_cn_small(d.month)}月{_cn_small(d.day)}日",
    )


def age_detail(c) -> _D:
    if c.patient.cache.get("newborn"):
        return _D("age_detail", f"生后{(c.visit - c.patient.dob).days + 1}天")
    if c.age < 1:
        return _D(
            "age_detail",
            c.pick(
                (f"生后{c.rng.randrange(1, 28)}天", f"{c.rng.randrange(1, 11)}月{c.rng.randrange(1, 28)}天")
            ),
        )
    if c.age < 15:
        return _D("age_detail", f"{c.age}岁{c.rng.randrange(1, 12)}个月")
    return _D("age_detail", f"{c.age}岁{c.rng.randrange(1, 12)}月")


def sci_lab(c) -> list:
    return c.pick(
        (
            ["HBV-DNA ", _D("sci_lab_value", f"{c.rng.uniform(1, 9.9):.2f}E+0{c.rng.randrange(3, 8)} IU/mL")],
            ["HBsAg ", _D("sci_lab_value", f">{c.rng.uniform(1, 9.9):.1f}E+0{c.rng.randrange(2, 5)} IU/mL")],
            ["ANA ", _D("sci_lab_value", f"1:{c.pick(('80', '160', '320', '640', '1000'))}")],
            ["PLT ", _D("sci_lab_value", f"{c.rng.randrange(40, 480)}×10⁹/L")],
        )
    )


def proc_code(c) -> _D:
    return _D(
        "proc_code",
        c.pick(
            (
                f"{c.rng.randrange(1, 99):02d}.{_digits(c.rng, 2)}",
                f"{c.rng.randrange(1, 99):02d}.{_digits(c.rng, 4)}",
                f"{c.rng.randrange(1, 99):02d}.{_digits(c.rng, 2)}00x0{_digits(c.rng, 2)}",
            )
        ),
    )


def masked_name(c) -> _D:
    p = c.patient
    sur = p.surname if p.kind != "married_name" else p.surname[0]
    return _D(
        "masked_name", c.pick((sur + "**", sur + "某某", sur + "某", sur + "*" + (p.given[-1:] or "*")))
    )


def _crf(c) -> list:
    """A clinical-trial CRF line: the subject's pinyin initials (an identifier) and numbers (decoys)."""
    p = c.patient
    if p.cache.get("newborn"):
        p = p.cache["mother"]
    ini = (
        initials(c, p)
        if p.kind != "married_name"
        else initials(c, _Person(p.surname[:1], p.given, p.sex, ""))
    )
    v = c.pick((ini, ".".join(ini) + ".", "-".join(ini)))
    return [
        "受试者筛选号：",
        _D("subject_no", c.pick(("S", "SC")) + _digits(c.rng, 3)),
        "  姓名缩写：",
        _I("person_name", "pinyin_initials", v, True),
        "  随机号：",
        _D("subject_no", "R" + _digits(c.rng, 4)),
    ]


# -- styles --------------------------------------------------------------------------------------


def _s_case_front_page(c) -> None:
    d = c.d
    d.f("{fac} 住院病案首页（节选） 第{k}次住院\n", fac=c.facility(), k=str(c.rng.randrange(1, 6)))
    d.put(c.rec(True))
    d.f("  姓名：{n}  性别：{sex}  ", n=c.pname(True), sex=c.patient.sex)
    d.put(c.dob_labelled())
    d.f("  年龄：{age}\n", age=c.age_decoy())
    d.put(c.rid_labelled())
    d.f("  现住址：{a}\n", a=c.address(True))
    rel, relation = c.relative()
    d.f(
        "联系人：{r}  关系：{rel}  电话：{ph}\n",
        r=c.name(rel, "relative", True),
        rel=relation,
        ph=c.phone(rel, False),
    )
    dxn, icd = c.dx()
    d.f(
        "出院诊断：{dx}（{icd}） {patho}\n手术操作编码：{pc} {proc}\n科主任：{st}  主治医师：{doc}  质控日期：{qd}",
        dx=dxn,
        icd=icd,
        patho=pathology(c) if c.chance(0.6) else "",
        pc=proc_code(c),
        proc=c.term(c.pick(c.sp["procs"])),
        st=ind._doctor(c),
        doc=ind._doctor(c),
        qd=cn_date(c, c.later(5, 30)),
    )


def _s_wechat_followup(c) -> None:
    d = c.d
    rel, relation = c.relative()
    doc = c.staff()
    day = c.later(10, 60)
    d.f("{dept}随访群 微信聊天记录导出\n", dept=c.dept)
    d.f(
        "[{dt} 20:{mm}] {r}：{st}好，我是{pm}的{relation}，{s}又犯了，电话{ph}\n",
        dt=day.strftime("%m月%d日"),
        mm=f"{c.rng.randrange(10, 59)}",
        r=c.name(rel, "relative", False),
        st=c.surname_title(doc, title="医生"),
        pm=c.pname(False),
        relation=relation,
        s=c.sym(),
        ph=c.phone(rel, True, landline_ok=False),
    )
    d.f(
        "[{dt} 21:05] {dn}：请拍化验单。{lab}，先吃{drug}，明天门诊。\n",
        dt=day.strftime("%m月%d日"),
        dn=c.name(doc, "doctor", False),
        lab=sci_lab(c),
        drug=c.drug(),
    )
    d.f("[{dt} 21:20] {r}：好的，药快递到了，", dt=day.strftime("%m月%d日"), r=relation)
    d.put(courier(c))
    if c.chance(0.5):
        d.put("。我")
        d.put(contact(c, rel))
    else:
        d.f("。身份证{rid}", rid=c.rid(True))


def _s_pediatric(c) -> None:
    d = c.d
    c.dept, c.sp = "儿科", ind._SPECIALTIES["儿科"]
    p = c.new_person(with_identity=True, child=True)
    mother = c.new_person(sex="女", role="relative")
    if c.chance(0.4):  # a newborn: named after the mother until the birth is registered
        p.dob = c.visit - timedelta(days=c.rng.randrange(0, 25))
        p.cache.update(newborn=True, mother=mother)
    c.patient = p
    c.age = c.visit.year - p.dob.year - ((c.visit.month, c.visit.day) < (p.dob.month, p.dob.day))
    d.f("{fac} 儿科住院病历\n姓名：{n}", fac=c.facility(), n=c.pname(True))
    if not p.cache.get("newborn") and c.chance(0.7):
        d.f("  小名：{m}", m=_I("person_name", "milk_name", c.pick(_MILK_NAMES), True))
    d.f("  性别：{sex}  年龄：{age}\n", sex=p.sex, age=age_detail(c))
    d.put(c.rid_labelled())
    d.f(
        "\n监护人：{mo}（母亲）  身份证号：{mrid}  电话：{ph}\n",
        mo=c.name(mother, "relative", True)
        if not p.cache.get("newborn")  # the newborn is named after her: her full name, as the baby's is
        else _I("person_name", "relative" if mother.kind == "ordinary" else mother.kind, mother.full, True),
        mrid=ind._relative_rid(c, mother),
        ph=c.phone(mother, False, landline_ok=False),
    )
    if p.cache.get("newborn"):
        d.f(
            "胎龄{ga}，出生体重{w}g。",
            ga=_D("age_detail", f"{c.rng.randrange(34, 42)}+{c.rng.randrange(0, 7)}周"),
            w=str(c.rng.randrange(1900, 4300)),
        )
    d.f("主诉：{s}{k}天，{pm}", s=c.sym(), k=str(c.rng.randrange(1, 8)), pm=ind._patient_mention(c))
    dxn, icd = c.dx()
    d.f("伴{s2}。\n诊断：{dx}（{icd}）  医师：{doc}", s2=c.sym(), dx=dxn, icd=icd, doc=ind._doctor(c))


def _s_yb_filing(c) -> None:
    d = c.d
    kind = c.pick(("门诊特殊病登记表", "异地就医备案表", "长期护理保险需求评估申请表"))
    d.f("上海市医疗保障 {k}\n参保人：{n}  ", k=kind, n=c.pname(True))
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(c.card(True))
    d.f("  联系地址：{a}\n", a=c.address(True))
    rel, relation = c.relative()
    d.f(
        "代办人：{r}（{relation}） 证件号：{rrid}\n单位电话：{wp}  ",
        r=c.name(rel, "relative", True),
        relation=relation,
        rrid=ind._relative_rid(c, rel),
        wp=phone_form(c, rel, c.pick(("landline_ext", "landline_ext", "landline_intl")), True)
        if c.chance(0.6)
        else c.phone(rel, True),
    )
    dxn, icd = c.dx()
    d.f("\n登记病种：{dx}（{icd}）  申请日期：{dt}\n", dx=dxn, icd=icd, dt=cn_date(c))
    d.f("经办：{op}  {cap}", op=ind._nurse(c), cap=capital(c) if c.chance(0.5) else prescription(c))


_COMMUNITIES = ("华阳", "周家桥", "程家桥", "北新泾", "宜川", "长风")


def _s_ocr_referral(c) -> None:
    d = c.d
    d.f(
        "转诊单（扫描件，OCR）\n转出：{a}社区卫生服务中心  转入：{b}\n",
        a=c.pick(_COMMUNITIES),
        b=c.facility(),
    )
    d.f("姓名：{n}  性别：{sex}  ", n=c.pname(True), sex=c.patient.sex)
    d.put(c.dob_labelled())
    d.put("\n")
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.rec(True) if c.chance(0.5) else rec_form(c, "health_file_no", True))
    d.f("\n住址：{a}  电话：{ph}\n", a=c.address(True), ph=c.phone(None, True))
    dxn, icd = c.dx()
    d.f(
        "初步诊断：{dx}（{icd}）  {lab}\n家庭医生：{doc}  {dt}",
        dx=dxn,
        icd=icd,
        lab=c.lab(),
        doc=ind._doctor(c),
        dt=c.date_decoy(),
    )


ind._STYLE_FUNCS.update(
    {
        "case_front_page": _s_case_front_page,
        "wechat_followup": _s_wechat_followup,
        "pediatric": _s_pediatric,
        "yb_filing": _s_yb_filing,
        "ocr_referral": _s_ocr_referral,
    }
)

ind._EXTRAS.update(
    {
        "contact3": lambda c: contact(c) if c.chance(0.6) else [*c.phone_labelled(), "（微信同号）"],
        "crf": lambda c: _crf(c) if c.chance(0.55) else ind._emergency_contact(c),
        "patho": lambda c: [*pathology(c), "  ", *prescription(c)],
        "blood": lambda c: [
            "输血：",
            c.pick(("悬浮红细胞2U", "新鲜冰冻血浆200ml", "单采血小板1治疗量")),
            "  ",
            *blood_unit(c),
        ],
        "courier": lambda c: ["药品配送：", *courier(c)],
        "capital": lambda c: ["自费", *capital(c)],
        "signdate": lambda c: ["签署日期：", cn_date(c), "  ", masked_name(c)],
        "sci": lambda c: ["复查：", *sci_lab(c), "，", c.pick(("", "年龄 ")), age_detail(c)],
        "proc": lambda c: ["手术编码：", proc_code(c), " ", c.term(c.pick(c.sp["procs"]))],
    }
)
ind._EXTRA_KIND.update({"contact3": "other_contact", "crf": ""})
ID_EXTRAS = ind._ID_EXTRAS + ("contact3", "crf")
DECOY_EXTRAS = ind._DECOY_EXTRAS + ("patho", "blood", "courier", "capital", "signdate", "sci", "proc")

# table headers for heldout3's document forms (no key here is a form of another split)
ind._H2_TABLE_HEAD.update(
    {
        "birth_cert_no": "出生证编号",
        "student_no": "学籍号",
        "cn_passport": "护照号",
        "military_id": "证件号",
        "disability_cert": "残疾证号",
        "yb_code_spaced": "医保编码",
        "yb_code_wrapped": "医保编码",
    }
)

# -- registration --------------------------------------------------------------------------------

register("heldout3", sys.modules[__name__], HELDOUT3_ONLY, HELDOUT3_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT3_DECOY_KINDS",
    "HELDOUT3_ONLY",
    "KINDS",
    "capital_amount",
    "initials",
    "pools",
]
