"""The fourth held-out split of the independent corpus, ``heldout4`` (see ``independent.py``).

# =============================================================================================
# heldout4 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT4.md) describes what the fourth held-out split tests; knowing it turns the
# split into another development set, as happened to heldout, heldout2 and heldout3.
# independent.py calls in here only through ``_h4.*`` hooks that run when the split is "heldout4".
# =============================================================================================

heldout4 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev, heldout, heldout2 and heldout3; its name, street and village pools are
disjoint from all four. ``other_contact`` (heldout2's kind) keeps heldout2's forms as its baseline.
"""

from __future__ import annotations

import sys
from datetime import date

from bench.deid_eval import independent as ind
from bench.deid_eval.heldout_common import (
    BASELINE_FORMS,
    KINDS,
    email_local,
    filtered_pools,
    give_identity,
    labelled_dob,
    labelled_rid,
    register,
)
from bench.deid_eval.independent import (
    _CN_DIGITS,
    _D,
    _I,
    _cn_small,
    _digits,
    _full_id,
    _Person,
    _Pools,
)

HELDOUT4_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("surname_kin_suffix", "esign_timestamp", "korean_name", "compound_word_name"),
    "resident_id": ("hk_id", "tw_id", "fpr_old15", "punct_separated"),
    "phone": ("punct_split", "joined_pair", "virtual_ext"),
    "card_number": ("spoken_digits", "sscard_lowercase"),
    "hospital_record_no": ("spoken_digits", "dept_coded", "facility_prefixed"),
    "date_of_birth": ("month_day_only", "japanese_era", "mixed_cn_digits"),
    "bank_card": ("jcb", "spoken_digits", "bank_name_glued"),
    "address": ("alnum_room", "rural_other_province", "crossroad", "dormitory"),
    "email": ("spaced_at", "cn_period_dot", "plus_tag"),
    "other_contact": ("douyin_id", "weibo_handle"),
    "style": (
        "lab_report",
        "ems_handover",
        "gp_contract",
        "claim_call",
        "dispute_comm",
        "discharge_meds",
        "checkup_report",
    ),
}
HELDOUT4_DECOY_KINDS = (
    "birth_year_only",
    "dispatch_no",
    "vehicle_plate",
    "ref_range",
    "scale_score",
    "call_duration",
    "pickup_no",
    "complaint_no",
    "icd11_code",
    "body_measure",
)

# -- people ------------------------------------------------------------------------------------

_H4_SURNAMES = (
    "祁 毕 郝 皮 穆 湛 禹 狄 米 纪 舒 屈 席 麻 娄 危 颜 盛 刁 樊 霍 虞 经 宣 贲 杭 洪 嵇 滑 裴 荀 惠 "
    "封 靳 焦 巴 谷 全 班 秋 伊 暴 厉 戎 束 幸 郜 薄 印 宿 邰 索 赖 蔺 蒙 池 阴 胥 翟 谭 冉 雍 桑 寿 边 燕 尚 "
    "农 阎 茹 艾 古 戈 庾 居 衡 耿 满 匡 寇 阙 沃 蔚 隆 巩 敖 冷 辛 简 饶 沙 丰 巢 荆 竺 权 盖 桓"
).split()
_H4_GIVEN_M = (
    "承宇 瀚文 子骞 明轩 煜城 泓毅 佑安 嘉懿 睿渊 铭泽 景辉 伟业 建中 志勇 国平 永年 德胜 福生 仁宝 根发 金海 "
    "荣根 培元 敬之 允中 冠群 晓峰 宏亮 振国 立伟 文龙 家明 少华 泽宇 浩轩 天翊 皓轩 宸宇 益民 继昌 宗耀 "
    "逸飞 梓安 奕博 锦川"
).split()
_H4_GIVEN_F = (
    "诗雨 语彤 欣然 梓萱 雨欣 婧琪 馨月 若汐 以沫 丽芬 凤妹 金娣 彩英 玉凤 秀琴 月英 爱珍 惠珠 菊妹 美英 "
    "雅丽 慧琳 晓红 春燕 秋月 丽珍 琼华 淑芳 静宜 桂娣 阿珠 巧英 雅雯 梦琪 可心 一然 悦彤 紫琳 晓蕾 芸芸"
).split()
_H4_RARE = ("亢", "扈", "钭", "璩", "郏", "佘", "蔺", "嵇")
_H4_COMPOUND = ("淳于", "巫马", "漆雕", "西门", "拓跋", "闾丘", "羊舌")
# a compound surname with a given name that is an ordinary word (淳于春雨, 西门长风)
_H4_WORD_GIVEN = (
    "春雨",
    "晨曦",
    "长风",
    "明月",
    "远航",
    "白露",
    "秋水",
    "清风",
    "朝阳",
    "彩虹",
    "天明",
    "小满",
)
_H4_WORD_LIKE = (
    ("夏", "雨"),
    ("洪", "流"),
    ("温", "暖"),
    ("华", "夏"),
    ("蓝", "图"),
    ("柳", "絮"),
    ("雷", "鸣"),
    ("舒", "展"),
    ("金", "秋"),
    ("童", "话"),
    ("闻", "达"),
    ("朱", "颜"),
)
# Korean residents (Hongqiao / Gubei): names in Chinese characters, Korea's common surnames
_KOREAN = {
    "男": ("敏俊", "在勋", "贤宇", "东勋", "成浩", "志勋", "宰元", "珉锡", "相宇", "俊昊"),
    "女": ("智媛", "秀彬", "惠珍", "允儿", "恩惠", "瑞妍", "多贤", "昭妍", "秀晶", "敏英"),
}
_KOREAN_SURNAMES = ("金", "李", "朴", "崔", "郑", "姜", "尹", "韩")
# how nurses, relatives and colleagues name a person: surname + kinship or workplace suffix
_KIN_SUFFIX = {"男": ("哥", "叔", "伯", "总", "工"), "女": ("姐", "姨", "嫂", "婶")}


_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        earlier = ("dev", "heldout", "heldout2", "heldout3")
        _POOL.append(
            filtered_pools(
                earlier, _H4_SURNAMES, _H4_GIVEN_M, _H4_GIVEN_F, _H4_RARE, _H4_COMPOUND, _H4_WORD_LIKE
            )
        )
    return _POOL[0]


def new_person(c, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    rng, pl = c.rng, c.pools
    sex = sex or rng.choice("男女")
    r = rng.random()
    given_pool = pl.given_m if sex == "男" else pl.given_f
    if r < 0.06:
        p = _Person(rng.choice(pl.rare), rng.choice(given_pool), sex, "rare_surname")
    elif r < 0.11:
        p = _Person(rng.choice(pl.compound), rng.choice(given_pool), sex, "compound_surname")
    elif r < 0.16:
        p = _Person(rng.choice(pl.compound), rng.choice(_H4_WORD_GIVEN), sex, "compound_word_name")
    elif r < 0.22:
        s, g = rng.choice(pl.word_like)
        p = _Person(s, g, sex, "word_like_name")
    elif r < 0.31 and (with_identity or (role == "relative" and _korean_patient(c))):
        # Korean residents (the patient, and relatives of a Korean patient)
        p = _Person(rng.choice(_KOREAN_SURNAMES), rng.choice(_KOREAN[sex]), sex, "korean_name")
    else:
        p = _Person(rng.choice(pl.surnames), rng.choice(given_pool), sex, "ordinary")
    if with_identity:
        give_identity(c, p, child)
        if p.kind == "korean_name":
            p.cache["nation"] = "KOR"
        elif p.kind == "ordinary" and not child and rng.random() < 0.08:
            p.cache["nation"] = "JPN"  # 日籍华人: a naturalised Japanese citizen with a Chinese name
    return p


def _korean_patient(c) -> bool:
    p = getattr(c, "patient", None)
    return p is not None and p.kind == "korean_name"


def _esign(c, person: _Person, labelled: bool) -> list:
    """A signature exported from the EMR with its timestamp glued on (the PDF columns collapsed)."""
    d = c.later(0, 3)
    stamp = c.pick(
        (
            f"{d.isoformat()} {c.rng.randrange(7, 23):02d}:{c.rng.randrange(0, 60):02d}",
            d.strftime("%Y%m%d"),
            d.strftime("%Y.%m.%d"),
            f"{d.isoformat()}{c.rng.randrange(7, 23):02d}:{c.rng.randrange(0, 60):02d}:{c.rng.randrange(0, 60):02d}",
        )
    )
    return [_I("person_name", "esign_timestamp", person.full, labelled), _D("visit_date", stamp)]


def name(c, person: _Person, context_form: str, labelled: bool):
    if person.kind in ("korean_name", "compound_word_name"):
        return _I("person_name", person.kind, person.full, labelled)
    if context_form in ("doctor", "nurse") and person.kind == "ordinary" and c.chance(0.25):
        return _esign(c, person, labelled)
    if context_form == "relative" and person.kind == "ordinary" and c.chance(0.45):
        return [
            _I("person_name", "surname_kin_suffix", person.surname, labelled),
            c.pick(_KIN_SUFFIX[person.sex]),
        ]
    return _I(
        "person_name", context_form if person.kind == "ordinary" else person.kind, person.full, labelled
    )


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    return None  # dev's surname + title


def patient_mention(c) -> list | None:
    p = c.patient
    if p.kind == "ordinary" and 25 <= c.age < 70 and c.chance(0.6):
        return [_I("person_name", "surname_kin_suffix", p.surname, False), c.pick(_KIN_SUFFIX[p.sex])]
    return None


# -- spoken digits ------------------------------------------------------------------------------


def spoken(c, digits: str, group: int = 0) -> str:
    """Digits as read out on the phone and typed by the call-centre transcript: 幺 for 1, 洞/零 for 0."""
    zero = c.pick(("零", "零", "〇", "洞"))
    one = c.pick(("幺", "幺", "一"))
    out = "".join(zero if ch == "0" else one if ch == "1" else _CN_DIGITS[int(ch)] for ch in digits)
    if group:
        sep = c.pick(("，", " ", "、"))
        out = sep.join(out[i : i + group] for i in range(0, len(out), group))
    return out


# -- identity documents --------------------------------------------------------------------------


def hkid_check(prefix: str, digits6: str) -> str:
    """The check character of a Hong Kong identity card number (A123456 -> 3)."""
    vals = [36 if ch == " " else ord(ch) - 55 for ch in prefix.rjust(2)]
    total = vals[0] * 9 + vals[1] * 8 + sum(int(d) * w for d, w in zip(digits6, range(7, 1, -1), strict=True))
    r = (11 - total % 11) % 11
    return "A" if r == 10 else str(r)


_TW_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def twid_check(body9: str) -> str:
    """The check digit of a Taiwan national ID (letter, 1/2 for sex, 7 digits)."""
    n = _TW_LETTERS[body9[0]]
    total = n // 10 + (n % 10) * 9 + sum(int(d) * w for d, w in zip(body9[1:], range(8, 0, -1), strict=True))
    return str((10 - total % 10) % 10)


_FPR_COUNTRIES = ("USA", "KOR", "JPN", "DEU", "FRA", "GBR", "CAN", "AUS", "SGP", "ITA")


def rid_form(c, form: str, labelled: bool, person: _Person | None = None) -> _I:
    p = person or c.patient
    rng = c.rng
    key = "h4_" + form
    if key not in p.cache:
        if form == "hk_id":
            prefix = c.pick("ACDEGHKPRVYZ") if c.chance(0.85) else c.pick(("XA", "WX", "XB"))
            d6 = _digits(rng, 6)
            chk = hkid_check(prefix, d6)
            v = c.pick((f"{prefix}{d6}({chk})", f"{prefix}{d6}（{chk}）", f"{prefix}{d6}{chk}"))
        elif form == "tw_id":
            body = c.pick("ABCDEFGHJKLMNPQRSTUVXYWZ") + ("1" if p.sex == "男" else "2") + _digits(rng, 7)
            v = body + twid_check(body)
        elif form == "fpr_old15":  # 2017 外国人永久居留身份证: 3 letters (nationality) + 12 digits
            country = p.cache.get("nation") or c.pick(_FPR_COUNTRIES)
            v = country + "31" + _digits(rng, 2) + p.dob.strftime("%y%m%d") + _digits(rng, 2)
        else:  # punct_separated: the citizen number cut by dots, slashes or middle dots
            full = _full_id(p)
            sep = c.pick((".", "/", "·", "．", "_"))
            v = c.pick(
                (
                    sep.join((full[:6], full[6:14], full[14:])),
                    sep.join((full[:6], full[6:10], full[10:14], full[14:])),
                )
            )
        p.cache[key] = v
    return _I("resident_id", form, p.cache[key], labelled)


def rid(c, labelled: bool) -> _I | None:
    p = c.patient
    if p.cache.get("nation") and c.chance(0.6):
        return rid_form(c, "fpr_old15", labelled)
    if not c.chance(0.32):
        return None
    form = c.rng.choices(HELDOUT4_ONLY["resident_id"], weights=(3, 3, 2, 4))[0]
    if form == "fpr_old15" and c.age < 16:
        form = "punct_separated"
    return rid_form(c, form, labelled)


_RID_LABELS = {
    "hk_id": ("香港身份证：", "HKID: ", "证件类型：香港居民身份证  证件号码：", "香港身份证号码 "),
    "tw_id": ("台湾身份证字号：", "身分證字號：", "证件号码（台湾身份证）："),
    "fpr_old15": ("永久居留证号：", "外国人永久居留证 ", "证件类型：永居证  证件号码：", "绿卡号 "),
}


def rid_labelled(c) -> list:
    return labelled_rid(c, _RID_LABELS)


# -- phones --------------------------------------------------------------------------------------

_VIRTUAL_PREFIXES = ("170", "171", "165", "167")


def phone_form(c, person: _Person, form: str, labelled: bool):
    m = c.mobile_digits(person)
    if form == "punct_split":
        sep = c.pick((".", "/", "·", "．", "_"))
        v = c.pick((sep.join((m[:3], m[3:7], m[7:])), sep.join((m[:3], m[3:])), f"({m[:3]}){m[3:7]}.{m[7:]}"))
        return _I("phone", form, v, labelled)
    if form == "virtual_ext":  # a platform's privacy number: the call is forwarded to the person
        if "virtual" not in person.cache:
            person.cache["virtual"] = (c.pick(_VIRTUAL_PREFIXES) + _digits(c.rng, 8), _digits(c.rng, 4))
        vn, ext = person.cache["virtual"]
        v = c.pick((f"{vn}转{ext}", f"{vn}-{ext}", f"{vn},,{ext}", f"{vn} 转 {ext}"))
        return _I("phone", form, v, labelled)
    # joined_pair: two numbers written together
    if "mobile2" not in person.cache:
        person.cache["mobile2"] = c.pick(ind._MOBILE_PREFIXES) + _digits(c.rng, 8)
    sep = c.pick(("/", "、", "；", "或", ",", "／"))
    return [_I("phone", form, m, labelled), sep, _I("phone", form, person.cache["mobile2"], False)]


def phone(c, person: _Person, labelled: bool, landline_ok: bool):
    if not c.chance(0.3 if c.style not in ("ems_handover", "discharge_meds", "dispute_comm") else 0.5):
        return None
    form = c.rng.choices(HELDOUT4_ONLY["phone"], weights=(4, 3, 2))[0]
    return phone_form(c, person, form, labelled)


# -- cards and record numbers --------------------------------------------------------------------


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    """A heldout4 card as ``[label, span]``, or the name of the dev form the dev code should render."""
    novel = HELDOUT4_ONLY["card_number"]
    if forms is None:
        if not c.chance(0.6 if c.style == "claim_call" else 0.3):
            return c.pick(ind._SHARED_FORMS["card_number"])
        form = "spoken_digits" if c.style == "claim_call" and c.chance(0.7) else c.pick(novel)
    else:
        form = c.pick(forms)
        if form not in novel:
            return form
    p, rng = c.patient, c.rng
    key = "h4_card_" + form
    if key not in p.cache:
        if form == "spoken_digits":
            base = c.pick(
                (
                    p.cache.setdefault("sscard_digits9", _digits(rng, 9, first_nonzero=True)),
                    p.cache.setdefault("canbao_no", _digits(rng, 10, first_nonzero=True)),
                )
            )
            p.cache[key] = spoken(c, base, c.pick((0, 3)))
        else:  # a 社保卡号 with its letter typed in lower case
            p.cache[key] = c.pick("abcdefghjkmnpqrstuvwxyz") + _digits(rng, 8)
    span = _I("card_number", form, p.cache[key], labelled)
    if not labelled:
        return [span]
    label = c.pick(
        {
            "spoken_digits": ("社保卡号是", "医保卡号：", "卡号是", "参保号是"),
            "sscard_lowercase": ("社保卡号：", "医保卡号 ", "社保卡："),
        }[form]
    )
    return [label, span]


_DEPT_CODES = ("NK", "WK", "EK", "FK", "GK", "XN", "SJ", "ZL")


def rec_form(c, form: str, labelled: bool) -> list:
    p, rng = c.patient, c.rng
    key = "h4_rec_" + form
    if key not in p.cache:
        if form == "spoken_digits":
            num = p.cache.setdefault("rec_inpatient_no", _digits(rng, c.pick((6, 7, 8)), first_nonzero=True))
            p.cache[key] = spoken(c, num)
        elif form == "dept_coded":  # the ward's letters before the number (NK 内科, WK 外科 ...)
            p.cache[key] = c.pick(_DEPT_CODES) + c.pick(("", "-")) + _digits(rng, 7)
        else:  # facility_prefixed: a regional platform's key, the 定点机构编码 + the hospital's own number
            fac = "H" + c.pick(("310104", "310101", "310110", "310115")) + _digits(rng, 5)
            p.cache[key] = fac + c.pick(("-", "_", "/", ":")) + _digits(rng, 7, first_nonzero=True)
    span = _I("hospital_record_no", form, p.cache[key], labelled)
    if not labelled:
        return [span]
    label = c.pick(
        {
            "spoken_digits": ("住院号是", "住院号码是", "病案号是"),
            "dept_coded": ("住院号：", "病历号：", "住院号 "),
            "facility_prefixed": ("患者ID：", "平台患者号：", "病人ID "),
        }[form]
    )
    return [label, span]


def rec(c, labelled: bool) -> list | None:
    if not c.chance(0.5 if c.style == "claim_call" else 0.33):
        return None
    if c.style == "claim_call":
        return rec_form(c, "spoken_digits", labelled)
    form = c.rng.choices(HELDOUT4_ONLY["hospital_record_no"], weights=(1, 3, 2))[0]
    return rec_form(c, form, labelled)


# -- dates of birth ------------------------------------------------------------------------------


def japanese_era(d: date) -> tuple[str, str, int]:
    """(era name, its letter, era year) of a Gregorian date."""
    for start, era, letter in (
        (date(2019, 5, 1), "令和", "R"),
        (date(1989, 1, 8), "平成", "H"),
        (date(1926, 12, 25), "昭和", "S"),
        (date(1912, 7, 30), "大正", "T"),
    ):
        if d >= start:
            return era, letter, d.year - start.year + 1
    raise ValueError(d)


def dob_form(c, form: str, labelled: bool, person: _Person) -> _I:
    d = person.dob
    if form == "month_day_only":
        v = c.pick(
            (f"{d.month}月{d.day}日", f"{d.month}月{d.day}号", f"{_cn_small(d.month)}月{_cn_small(d.day)}号")
        )
    elif form == "japanese_era":
        era, letter, y = japanese_era(d)
        v = c.pick(
            (
                f"{era}{y}年{d.month}月{d.day}日",
                f"{letter}{y}.{d.month}.{d.day}",
                f"{letter}{y:02d}.{d.month:02d}.{d.day:02d}",
                f"{era}{'元' if y == 1 else y}年{d.month}月{d.day}日",
            )
        )
    else:  # mixed_cn_digits: half typed, half as Chinese numerals
        cn_year = "".join(_CN_DIGITS[int(x)] for x in str(d.year))
        v = c.pick(
            (
                f"{d.year}年{_cn_small(d.month)}月{_cn_small(d.day)}日",
                f"{cn_year}年{d.month}月{d.day}日",
                f"{d.year}年{d.month}月{_cn_small(d.day)}日",
            )
        )
    return _I("date_of_birth", form, v, labelled)


def dob(c, labelled: bool, person: _Person) -> _I | None:
    if person.cache.get("nation") == "JPN" and c.chance(0.8):  # Japanese documents: the era year
        return dob_form(c, "japanese_era", labelled, person)
    if not c.chance(0.35):
        return None
    weights = [3, 0, 2] if c.style == "claim_call" else [3, 0, 3]
    form = c.rng.choices(HELDOUT4_ONLY["date_of_birth"], weights=weights)[0]
    return dob_form(c, form, labelled, person)


_DOB_LABELS = {
    "month_day_only": ("生日：", "生日 ", "_生日", "_过生日"),
    "japanese_era": ("生年月日：", "出生日期（和历）：", "DOB: "),
    "mixed_cn_digits": ("出生日期：", "生于", "_出生"),
}


def dob_labelled(c) -> list:
    return labelled_dob(c, _DOB_LABELS)


# -- bank cards, e-mail, other contacts ----------------------------------------------------------

_JCB_BINS = ("3528", "3548", "3566", "3569", "3582", "3589")
_BANKS = ("中国银行", "工商银行", "建设银行", "农业银行", "交通银行", "招商银行", "浦发银行", "上海银行")


def bank(c, labelled: bool):
    if not c.chance(0.6 if c.style == "claim_call" else 0.37):
        return None
    rng = c.rng
    form = (
        "spoken_digits"
        if c.style == "claim_call"
        else c.rng.choices(HELDOUT4_ONLY["bank_card"], weights=(3, 2, 4))[0]
    )
    if form == "jcb":
        num = ind._luhn_complete(c.pick(_JCB_BINS) + _digits(rng, 11))
        v = c.pick((num, " ".join(num[i : i + 4] for i in range(0, 16, 4))))
        return _I("bank_card", form, v, labelled)
    num = ind._unionpay_number(c)
    if form == "spoken_digits":
        return _I("bank_card", form, spoken(c, num, c.pick((0, 4, 4))), labelled)
    return [c.pick(_BANKS), _I("bank_card", form, num, labelled)]  # bank_name_glued


_PLUS_DOMAINS = ("gmail.com", "outlook.com", "icloud.com", "163.com", "qq.com")


def email(c, labelled: bool) -> _I | None:
    if not c.chance(0.35):
        return None
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    form = c.pick(HELDOUT4_ONLY["email"])
    local = email_local(c, a, b)
    if form == "spaced_at":
        v = c.pick(
            (
                f"{local} @{c.pick(ind._WEBMAIL)}",
                f"{local}@ {c.pick(ind._WEBMAIL)}",
                f"{local} @ {c.pick(ind._WEBMAIL)}",
            )
        )
    elif form == "cn_period_dot":  # the Chinese input method types 。 for the dot
        dom = c.pick(("163", "126", "qq", "sina", "foxmail"))
        v = c.pick(
            (f"{local}@{dom}。com", f"{local}@{dom}。com。cn" if dom == "sina" else f"{local}@{dom}。com")
        )
    else:  # plus_tag: a sub-address for this purpose
        tag = c.pick(("yb", "claim", "health", "hosp", "bx"))
        v = f"{local.replace('_', '')}+{tag}@{c.pick(_PLUS_DOMAINS)}"
    return _I("email", form, v, labelled)


_WEIBO_HEADS = ("爱吃鱼的", "上海", "快乐的", "努力的", "静安", "浦东", "想睡觉的", "会跳舞的")
_WEIBO_TAILS = ("阿梅", "小胖", "老爸", "大橙子", "猫猫", "奶茶", "小太阳", "阿强")


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    """A 抖音号 or a 微博 handle (kind other_contact): heldout2's forms as the baseline, or a new one."""
    person = person or c.patient
    if not c.chance(0.33 if c.style != "dispute_comm" else 0.6):
        return ind._h2_contact(c, person, labelled)
    rng = c.rng
    form = c.pick(HELDOUT4_ONLY["other_contact"])
    key = "h4_" + form
    if key not in person.cache:
        a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
        if form == "douyin_id":
            person.cache[key] = c.pick(
                (
                    f"dy{_digits(rng, 10, True)}",
                    f"{a}{b}{rng.randrange(1960, 2005)}",
                    f"{a}.{b}{rng.randrange(10, 99)}",
                    _digits(rng, c.pick((9, 10, 11)), True),
                )
            )
        else:
            head, tail = c.pick(_WEIBO_HEADS), c.pick(_WEIBO_TAILS)
            person.cache[key] = c.pick(
                (f"@{head}{tail}", f"@{head}{tail}{rng.randrange(60, 99)}", f"@{a}{b}_{tail}")
            )
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "douyin_id":
        return [c.pick(("抖音号：", "抖音 ", "抖音号是")), span]
    return [c.pick(("微博：", "微博账号 ", "新浪微博：")), span]


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout4"] = {
    "徐汇区": ("凯旋路", "衡山路", "建国西路", "宜山路"),
    "杨浦区": ("延吉中路", "松花江路", "政立路", "隆昌路"),
    "静安区": ("江宁路", "西康路", "武定路", "胶州路"),
    "浦东新区": ("世纪大道", "龙阳路", "云山路", "沪南路"),
    "嘉定区": ("墨玉路", "沪宜公路", "叶城路"),
    "黄浦区": ("河南南路", "中华路", "北京东路"),
}
ind._NEW_VILLAGES["heldout4"] = (
    ("杨浦区", "延吉七村"),
    ("静安区", "蕃瓜弄小区"),
    ("浦东新区", "锦华小区"),
    ("嘉定区", "桃园新村"),
    ("徐汇区", "龙南佳苑"),
    ("黄浦区", "瑞福小区"),
)
ind._VILLAGES["heldout4"] = (
    ("崇明区", "向化镇", "齐成村"),
    ("金山区", "漕泾镇", "护塘村"),
    ("奉贤区", "四团镇", "渔洋村"),
    ("浦东新区", "泥城镇", "彭庙村"),
    ("青浦区", "白鹤镇", "赵屯村"),
    ("松江区", "石湖荡镇", "新姚村"),
)
ind._OUT_OF_TOWN["heldout4"] = (
    ("湖南省邵阳市隆回县", "桃洪镇", "花瑶大道"),
    ("山西省运城市临猗县", "猗氏镇", "城东大街"),
    ("云南省曲靖市宣威市", "宛水街道", "建设路"),
    ("贵州省遵义市湄潭县", "湄江街道", "茶城大道"),
)
# rural addresses outside Shanghai: (province + city + county, 乡 / 镇, village)
_RURAL_OTHER = (
    ("安徽省六安市霍邱县", "花园镇", "大桥村"),
    ("河南省周口市郸城县", "汲水乡", "刘楼村"),
    ("江苏省宿迁市泗洪县", "半城镇", "新庄村"),
    ("四川省南充市营山县", "双河镇", "青山村"),
    ("湖北省荆州市监利市", "汴河镇", "六合村"),
    ("江西省赣州市于都县", "银坑镇", "平安村"),
)
_DORMS = ("职工宿舍", "员工公寓", "工地板房", "学生公寓", "人才公寓")
_CORNERS = ("东北角", "东南角", "西北角", "西南角", "附近")


def address_form(c, form: str, labelled: bool) -> _I:
    rng = c.rng
    streets = ind._STREETS["heldout4"]
    district = c.pick(list(streets))
    road = c.pick(streets[district])
    lane, bldg = rng.randrange(1, 1500), rng.randrange(1, 40)
    room = rng.randrange(1, 30) * 100 + rng.randrange(1, 9)
    if form == "alnum_room":  # letters in the tower or room number (A座B1201, T3-2506)
        letter = c.pick("ABCDEFT")
        v = c.pick(
            (
                f"{district}{road}{lane}弄{bldg}号楼{letter}{room}室",
                f"{road}{rng.randrange(1, 2000)}号{letter}{rng.randrange(1, 6)}-{room}",
                f"{district}{road}{rng.randrange(1, 2000)}号{letter}栋{c.pick('ABCD')}{room}",
                f"{c.pick(ind._NEW_VILLAGES['heldout4'])[1]}{bldg}号{letter}{room}",
            )
        )
    elif form == "rural_other_province":
        head, town, village = c.pick(_RURAL_OTHER)
        v = c.pick(
            (
                f"{head}{town}{village}{_cn_small(rng.randrange(1, 13))}组",
                f"{head}{town}{village}{rng.randrange(1, 13)}组{rng.randrange(1, 80)}号",
                f"{head}{town}{village}村民组",
                f"{town}{village}{rng.randrange(1, 13)}组",
            )
        )
    elif form == "crossroad":  # where the caller is: two roads, a corner (120 呼救地址)
        other = c.pick([r for r in streets[district] if r != road])
        short = other[:-1] if other.endswith("路") else other  # 凯旋路宜山路口: the second 路 is shared
        v = c.pick(
            (
                f"{district}{road}与{other}交叉口{c.pick(_CORNERS)}",
                f"{road}{short}路口",
                f"{district}{road}近{other}",
                f"{road}{short}路口{c.pick(ind._NEW_VILLAGES['heldout4'])[1]}门口",
            )
        )
    else:  # dormitory
        v = c.pick(
            (
                f"{district}{road}{rng.randrange(1, 2000)}号{c.pick(_DORMS)}{rng.randrange(1, 12)}号楼{room}",
                f"{road}{rng.randrange(1, 2000)}号{c.pick(_DORMS)}{c.pick('ABC')}区{rng.randrange(1, 40)}号房",
                f"{district}{road}{c.pick(_DORMS)}{rng.randrange(1, 8)}楼{rng.randrange(1, 30)}室",
            )
        )
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if not c.chance(0.6 if c.style == "ems_handover" else 0.3):
        return None
    forms = list(HELDOUT4_ONLY["address"])
    weights = [3, 2, 6 if c.style == "ems_handover" else 1, 2]
    return address_form(c, c.rng.choices(forms, weights=weights)[0], labelled)


# -- decoys --------------------------------------------------------------------------------------


def birth_year(c) -> list:
    """The year of birth alone: not an identifier (dev's rule: a date of birth carries the month)."""
    y = c.patient.dob.year
    return c.pick(
        (
            [_D("birth_year_only", f"{y}年"), "生"],
            ["生于", _D("birth_year_only", f"{y}年")],
            [_D("birth_year_only", f"{y % 100:02d}年"), "生人"],
            [_D("birth_year_only", f"{y}年"), "出生"],
        )
    )


def dispatch(c) -> list:
    return [
        c.pick(("调度单号：", "任务单号 ", "120流水号：")),
        _D("dispatch_no", c.visit.strftime("%Y%m%d") + _digits(c.rng, c.pick((5, 6)))),
    ]


def plate(c) -> list:
    chars = "".join(
        c.pick("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") if i == 2 else c.pick("0123456789") for i in range(5)
    )
    return [
        c.pick(("车牌：", "救护车 ", "车号")),
        _D("vehicle_plate", f"沪{c.pick('ABCDEG')}{c.pick(('', '·'))}{chars}"),
    ]


def ref_range(c, key: str | None = None) -> _D:
    if key in ind._REF:
        return _D("ref_range", ind._REF[key])
    lo = c.rng.uniform(0.1, 50)
    return _D(
        "ref_range",
        c.pick((f"{lo:.1f}-{lo * c.rng.uniform(1.5, 3):.1f}", f"<{lo:.1f}", f"0-{c.rng.randrange(5, 60)}")),
    )


_SCALES = ("PHQ-9", "GAD-7", "HAMD-17", "HAMA", "SDS", "MMSE", "Barthel指数", "Morse评分")


def scale(c) -> list:
    s = c.pick(_SCALES)
    v = (
        f"{c.rng.randrange(12, 30)}/30"
        if s == "MMSE"
        else f"{c.rng.randrange(0, 100 if s == 'Barthel指数' else 28)}分"
    )
    return [s, " ", _D("scale_score", v)]


def call_duration(c) -> list:
    m, s = c.rng.randrange(1, 30), c.rng.randrange(0, 60)
    return [
        "通话时长 ",
        _D("call_duration", c.pick((f"{m:02d}:{s:02d}", f"00:{m:02d}:{s:02d}", f"{m}分{s}秒"))),
    ]


def pickup(c) -> list:
    return [
        c.pick(("取药号：", "取药号 ", "叫号 ")),
        _D(
            "pickup_no",
            c.pick((f"{c.pick('ABCD')}{c.rng.randrange(1, 999):03d}", str(c.rng.randrange(1000, 9999)))),
        ),
    ]


def complaint(c) -> list:
    v = c.pick(
        (f"TS{c.visit.strftime('%Y%m%d')}{_digits(c.rng, 4)}", f"YW-{c.visit.year}-{_digits(c.rng, 4)}")
    )
    return [c.pick(("投诉编号：", "登记号 ", "纠纷编号：")), _D("complaint_no", v)]


_ICD11 = ("6A70.1", "6A70.2", "6A71", "6B00", "6B01", "6A20.0", "6C40.2", "6A60.1", "6B40", "7A00")


def icd11(c) -> list:
    return ["ICD-11：", _D("icd11_code", c.pick(_ICD11))]


def body(c) -> list:
    h, w = c.rng.randrange(148, 188), c.rng.uniform(42, 96)
    return [
        "身高",
        _D("body_measure", f"{h}cm"),
        " 体重",
        _D("body_measure", f"{w:.1f}kg"),
        " BMI ",
        _D("body_measure", f"{w / (h / 100) ** 2:.1f}"),
    ]


def _lab_with_range(c) -> list:
    key = c.pick(c.sp["labs"])
    return [*c.lab(key), "（参考", ref_range(c, key), "）"]


# -- styles --------------------------------------------------------------------------------------


def _sign(c, person: _Person | None = None) -> list:
    """A doctor's or technician's electronic signature in a lab / check-up report."""
    person = person or c.staff()
    if person.kind == "ordinary" and c.chance(0.55):
        return _esign(c, person, True)
    return [c.name(person, "doctor", True)]


def _s_lab_report(c) -> None:
    d = c.d
    d.f("{fac} 检验报告单  ", fac=c.facility())
    d.put(c.specimen())
    d.f("\n姓名：{n}  性别：{sex}  年龄：{age}  ", n=c.pname(True), sex=c.patient.sex, age=c.age_decoy())
    d.put(c.rec(True))
    d.f("  科别：{dept}  床号：{bed}\n项目  结果  参考范围\n", dept=c.dept, bed=c.bed())
    for key in c.rng.sample(list(c.sp["labs"]), min(3, len(c.sp["labs"]))):
        label, unit, _lo, _hi, _dec = ind._LABS[key]
        d.f("{l}  {v}  {r}\n", l=label, v=c.lab(key, bare=True), r=ref_range(c, key))
    d.f("送检医生：{doc}  检验者：", doc=ind._doctor(c))
    d.put(_sign(c))
    d.put("  审核者：")
    d.put(_sign(c))


def _s_ems_handover(c) -> None:
    d = c.d
    d.put("上海市医疗急救中心 院前急救交接单  ")
    d.put(dispatch(c))
    d.put("  ")
    d.put(plate(c))
    d.f(
        "\n呼救地址：{a}\n呼救电话：{ph}  患者：{n}  {sex}  约{age}\n",
        a=c.address(True),
        ph=c.phone(None, True),
        n=c.pname(True),
        sex=c.patient.sex,
        age=c.age_decoy(),
    )
    rel, relation = c.relative()
    d.f(
        "陪同：{r}（{relation}） 电话 {rp}\n",
        r=c.name(rel, "relative", True),
        relation=relation,
        rp=c.phone(rel, False),
    )
    d.f("主诉：{s}。现场：", s=c.sym())
    d.put(c.vitals("TPBS"))
    d.f("\n初步判断：{dx}  交接医生：", dx=c.dx()[0])
    d.put(_sign(c))
    d.f("  接收护士：{nu}", nu=ind._nurse(c))


def _s_gp_contract(c) -> None:
    d = c.d
    d.f(
        "{k}社区卫生服务中心 家庭医生签约服务协议（摘要）\n签约居民：{n}  ",
        k=c.pick(("凯旋", "江宁", "延吉", "泥城")),
        n=c.pname(True),
    )
    d.put(c.rid_labelled())
    d.f("\n居住地址：{a}\n联系电话：{ph}  ", a=c.address(True), ph=c.phone(None, True))
    d.put(c.dob_labelled() if c.chance(0.6) else birth_year(c))
    d.f(
        "\n重点人群：{dx}  家庭医生：{doc}  团队护士：{nu}\n签约日期：{dt}  居民签名：{n2}",
        dx=c.dx()[0],
        doc=ind._doctor(c),
        nu=ind._nurse(c),
        dt=c.date_decoy(),
        n2=c.pname(True),
    )


def _s_claim_call(c) -> None:
    d = c.d
    d.f("理赔回访电话录音转写（{ins}）  ", ins=c.pick(("商业医疗险", "惠民保", "团体医疗险")))
    d.put(call_duration(c))
    d.f(
        "\n坐席：您好，请问是{n}本人吗？\n客户：是的。\n坐席：请核对一下您的身份证号。\n客户：",
        n=c.pname(True),
    )
    d.put(c.rid(True))
    d.put("\n坐席：出险医院和住院号？\n客户：")
    d.f("{fac}，", fac=c.facility())
    d.put(c.rec(True))
    d.put("\n坐席：理赔款打到哪张卡？\n客户：")
    d.put(c.bank(True))
    d.f("，{b}。\n坐席：好的，", b=c.pick(("是我自己的卡", "我儿子的卡", "工资卡")))
    d.put(c.card(True))
    d.f("，已记录，结果会短信通知{ph}。", ph=c.phone(None, False, landline_ok=False))


def _s_dispute_comm(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.f("医疗纠纷沟通记录  ")
    d.put(complaint(c))
    d.f(
        "\n患者：{n}  患方：{r}（{relation}）  电话：{ph}\n",
        n=c.pname(True),
        r=c.name(rel, "relative", True),
        relation=relation,
        ph=c.phone(rel, False),
    )
    d.f("患方诉：术后{s}，认为{dx}处理不及时，称已在网上发布，", s=c.sym(), dx=c.dx()[0])
    d.put(contact(c, rel))
    d.f(
        "。\n医务处：{st}  科室：{doc}  沟通地点：{room}\n处理意见：",
        st=ind._doctor(c),
        doc=ind._doctor(c),
        room=ind._clinic_room(c),
    )
    d.put(c.pick(("调阅病历，三日内书面答复", "建议走医调委调解", "安排主任再次沟通")))


def _s_discharge_meds(c) -> None:
    d = c.d
    helper, relation = c.relative()
    d.f("出院带药清单  姓名：{n}  ", n=c.pname(True))
    d.put(c.rec(True))
    d.put("\n")
    for _ in range(c.rng.randint(2, 3)):
        d.put(c.drug())
        d.f(" × {k}盒；", k=str(c.rng.randrange(1, 6)))
    d.put("\n")
    d.put(pickup(c))
    d.f(
        "  代取药人：{h}（{relation}） 手机 {ph}\n",
        h=c.name(helper, "relative", True),
        relation=relation,
        ph=c.phone(helper, True, landline_ok=False),
    )
    d.f("药房咨询：")
    d.put(c.ext())
    d.f("  复诊：{dt}  药师：{ph}", dt=c.date_decoy(c.later(7, 30)), ph=ind._nurse(c))


def _s_checkup_report(c) -> None:
    d = c.d
    d.f(
        "{fac} 健康体检报告  体检日期：{dt}\n姓名：{n}  性别：{sex}  ",
        fac=c.facility(),
        dt=c.date_decoy(),
        n=c.pname(True),
        sex=c.patient.sex,
    )
    d.put(c.dob_labelled() if c.chance(0.5) else birth_year(c))
    d.put("\n")
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.phone_labelled())
    d.put("\n")
    d.put(body(c))
    d.put("  ")
    d.put(c.vitals("B"))
    d.f("\n主要异常：{s}；", s=c.dx()[0])
    key = c.pick(c.sp["labs"])
    d.put(c.lab(key))
    d.put("（")
    d.put(ref_range(c, key))
    d.f("）\n主检医师：")
    d.put(_sign(c))


ind._STYLE_FUNCS.update(
    {
        "lab_report": _s_lab_report,
        "ems_handover": _s_ems_handover,
        "gp_contract": _s_gp_contract,
        "claim_call": _s_claim_call,
        "dispute_comm": _s_dispute_comm,
        "discharge_meds": _s_discharge_meds,
        "checkup_report": _s_checkup_report,
    }
)

ind._EXTRAS.update(
    {
        "contact4": lambda c: contact(c) if c.chance(0.65) else [*c.phone_labelled(), "（微信同号）"],
        "esign": lambda c: ["医师签名：", *_sign(c)],
        "byear": lambda c: ["患者", *birth_year(c), "，", c.pick(("既往体健", "退休", "务农", "个体经营"))],
        "ems": lambda c: ["转运：", *dispatch(c), " ", *plate(c)],
        "psych": lambda c: ["心理评估：", *scale(c), "，", *icd11(c)],
        "body": lambda c: ["体检：", *body(c)],
        "call": lambda c: ["电话随访，", *call_duration(c)],
        "pickup": lambda c: ["门诊药房", *pickup(c)],
        "complaint": lambda c: ["患方意见已登记，", *complaint(c)],
        "refrange": lambda c: _lab_with_range(c),
    }
)
ind._EXTRA_KIND.update({"contact4": "other_contact", "esign": ""})
ID_EXTRAS = ind._ID_EXTRAS + ("contact4", "esign")
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "byear",
    "ems",
    "psych",
    "body",
    "call",
    "pickup",
    "complaint",
    "refrange",
)

# table headers for heldout4's document forms (no key here is a form of another split)
ind._H2_TABLE_HEAD.update({"hk_id": "香港身份证", "tw_id": "台湾身份证", "fpr_old15": "永居证号"})

# -- registration --------------------------------------------------------------------------------

register("heldout4", sys.modules[__name__], HELDOUT4_ONLY, HELDOUT4_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT4_DECOY_KINDS",
    "HELDOUT4_ONLY",
    "KINDS",
    "hkid_check",
    "japanese_era",
    "pools",
    "twid_check",
]
