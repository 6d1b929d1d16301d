"""The fifth held-out split of the independent corpus, ``heldout5`` (see ``independent.py``).

# =============================================================================================
# heldout5 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT5.md) describes what the fifth held-out split tests; knowing it turns the
# split into another development set, as happened to heldout, heldout2, heldout3 and heldout4.
# independent.py calls in here only through the hooks registered for "heldout5" (_HOOKS).
# =============================================================================================

heldout5 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev, heldout, heldout2, heldout3 and heldout4; its name, street and village
pools are disjoint from all five. ``other_contact`` (heldout2's kind) keeps heldout2's forms as its
baseline.
"""

from __future__ import annotations

import sys
import uuid
from datetime import date, timedelta

from bench.deid_eval import heldout3 as _h3  # its pinyin-initial table (GB 2312 level 1)
from bench.deid_eval import independent as ind
from bench.deid_eval.heldout_common import (
    BASELINE_FORMS,
    KINDS,
    email_local,
    filtered_pools,
    give_identity,
    labelled_dob,
    labelled_rid,
    landline,
    pick_person,
    register,
)
from bench.deid_eval.independent import _D, _I, _digits, _full_id, _fw, _Person, _Pools

HELDOUT5_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": (
        "title_prefixed",
        "pinyin_login",
        "line_wrapped",
        "glued_to_phone",
        "filename_embedded",
        "former_name",
    ),
    "resident_id": ("macau_id", "bad_check", "filename_embedded", "kv_pinyin"),
    "phone": ("uncommon_prefix", "landline_fullwidth", "glued_to_name", "hk_mo_local"),
    "card_number": ("sscard_grouped", "label_glued", "kv_pinyin"),
    "hospital_record_no": ("uuid_patient_id", "vaccination_code", "maternal_handbook_no", "kv_pinyin"),
    "date_of_birth": ("datetime_stamp", "unpadded", "boxed_digits"),
    "bank_card": ("passbook_account", "mastercard_2series"),
    "address": ("former_district", "juwei_based", "landmark", "ecommerce_spaced"),
    "email": ("upper_case", "typo_domain", "foreign_domain"),
    "other_contact": ("xiaohongshu_id", "dingtalk_id"),
    "style": (
        "anesthesia_record",
        "pathology_report",
        "transfusion_record",
        "vaccination_record",
        "sick_leave_cert",
        "yb_settlement_list",
        "home_nursing",
        "antenatal_record",
    ),
}
HELDOUT5_DECOY_KINDS = (
    "tube_size",
    "tnm_stage",
    "ihc_result",
    "blood_group",
    "gravida_para",
    "obstetric_date",
    "expiry_date",
    "certificate_no",
    "service_order_no",
    "door_code",
    "tooth_position",
    "eye_refraction",
    "sms_code",
    "tail_digits",
)
EARLIER = ("dev", "heldout", "heldout2", "heldout3", "heldout4")

# -- people ------------------------------------------------------------------------------------

# common surnames (with their pinyin, for HIS log-in names) that no earlier split uses
_SURNAME_PINYIN = dict(
    zip(
        "卫尤喻窦云郎昌凤花廉元平伏成庞项强路梅吉曲邴松井富牧宓祖韶怀鄂苍双党贡姬牛习鱼慎弘广禄师融相岳付闫代兰粟佟战练过忻邝况牟言商帅蓬仰宰扶堵",
        "wei you yu dou yun lang chang feng hua lian yuan ping fu cheng pang xiang qiang lu mei ji qu bing song jing "
        "fu mu mi zu shao huai e cang shuang dang gong ji niu xi yu shen hong guang lu shi rong xiang yue fu yan dai "
        "lan su tong zhan lian guo xin kuang kuang mou yan shang shuai peng yang zai fu du".split(),
        strict=True,
    )
)
_H5_SURNAMES = list(_SURNAME_PINYIN)
_H5_GIVEN_M = (
    "建斌 国栋 志坚 海波 永强 卫国 跃进 援朝 胜利 国庆 宏图 鹏飞 浩南 文杰 思聪 晓明 伟东 国良 金福 根生 小龙 "
    "家乐 宇辰 梓轩 沐阳 铭宇 子豪 煦阳 钧天 承恩 云帆 博涛 瑞祥 德华 德贵 荣华 兴国 耀华 春生 秋生 冬生 水根 "
    "阿根 仁德 志伟 振东 建伟 国伟 凯文 俊峰 嘉诚 明远 子谦 书豪 立军 洪涛 鸿涛 庆华 阿龙 永林 伯雄 宗华 康平"
).split()
_H5_GIVEN_F = (
    "凤娥 玉珠 彩琴 雅萍 丽娜 海霞 艳红 晓丽 雪莹 佳慧 欣悦 梓晴 思妍 一涵 芷晴 安然 舒涵 佩芳 月珍 招弟 来娣 "
    "爱娣 秀宝 阿凤 巧云 雅君 芝兰 碧云 素珍 慧珍 美琴 琴琴 文慧 心怡 梦婷 雨涵 子萱 悠然 诗雅 亦菲 佳颖 妙玲 "
    "银凤 根凤 月芬"
).split()
_H5_RARE = ("乜", "夔", "蹇", "谯", "邸", "郇", "甯", "禤")
_H5_COMPOUND = ("太叔", "公冶", "鲜于", "乐正", "梁丘", "左丘", "独孤")
_H5_WORD_LIKE = (
    ("路", "遥"),
    ("云", "朵"),
    ("强", "盛"),
    ("花", "蕾"),
    ("井", "泉"),
    ("牧", "歌"),
    ("梅", "影"),
    ("平", "原"),
    ("庞", "然"),
    ("鱼", "跃"),
    ("成", "舟"),
    ("言", "晴"),
)
# pinyin initials of the given-name characters outside GB 2312 level 1 (heldout3's _initial covers the rest)
_GIVEN_INITIAL = dict(zip("妍娣婷怡梓沐煦芷萱", "YDTYZMXZX", strict=True))

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER, _H5_SURNAMES, _H5_GIVEN_M, _H5_GIVEN_F, _H5_RARE, _H5_COMPOUND, _H5_WORD_LIKE
            )
        )
    return _POOL[0]


def new_person(c, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    rng = c.rng
    p = pick_person(c, sex, (0.06, 0.12, 0.18))
    if with_identity:
        age = give_identity(c, p, child)
        if age >= 18 and rng.random() < 0.06:
            p.cache["nation"] = "MAC"  # a Macau resident living in Shanghai (澳门居民)
    elif role == "relative" and _macau_patient(c) and rng.random() < 0.7:
        p.cache["nation"] = "MAC"  # the family of a Macau patient
    return p


def _macau_patient(c) -> bool:
    p = getattr(c, "patient", None)
    return p is not None and p.cache.get("nation") == "MAC"


# styles whose text comes from HIS print-outs: staff appear by log-in name, table cells wrap names
_HIS_STYLES = (
    "anesthesia_record",
    "pathology_report",
    "transfusion_record",
    "yb_settlement_list",
    "home_nursing",
    "table",
    "exam_report",
    "settlement",
    "discharge",
)
_WRAP_STYLES = ("table", "anesthesia_record", "transfusion_record", "yb_settlement_list", "pathology_report")
_DOCTOR_TITLES = ("主任医师", "副主任医师", "主治医师", "住院医师", "医师")
_NURSE_TITLES = ("主管护师", "护师", "护士", "副主任护师")


def login_name(c, person: _Person) -> str:
    """A HIS log-in derived from the name: full pinyin of the surname + initials of the given name."""
    given = "".join(_GIVEN_INITIAL.get(ch) or _h3._initial(ch) or "x" for ch in person.given).lower()
    base = _SURNAME_PINYIN[person.surname] + given
    return c.pick(
        (base, base, f"{base}{c.rng.randrange(1, 10):02d}", base.upper(), f"{base[0].upper()}{base[1:]}")
    )


def wrapped(c, person: _Person) -> str:
    """The name cut by a line break, as a narrow table cell of a PDF export wraps it."""
    full = person.full
    k = c.rng.randrange(1, len(full))
    return full[:k] + c.pick(("\n", "\n", "\r\n")) + full[k:]


def name(c, person: _Person, context_form: str, labelled: bool):
    form = context_form if person.kind == "ordinary" else person.kind
    if person.kind == "ordinary" and context_form in ("doctor", "nurse"):
        r = c.rng.random()
        his = c.style in _HIS_STYLES
        if his and r < 0.3:
            return _I("person_name", "pinyin_login", login_name(c, person), labelled)
        if r < (0.42 if his else 0.25):
            titles = _DOCTOR_TITLES if context_form == "doctor" else _NURSE_TITLES
            return [c.pick(titles), _I("person_name", "title_prefixed", person.full, labelled)]
    if c.style in _WRAP_STYLES and len(person.full) >= 2 and c.chance(0.3):
        return _I("person_name", "line_wrapped", wrapped(c, person), labelled)
    return _I("person_name", form, person.full, labelled)


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    return None  # dev's surname + title


def patient_mention(c) -> list | None:
    return None  # dev's


def former_name(c) -> list:
    """曾用名: the name the patient was registered under before (another given name)."""
    p = c.patient
    pool = c.pools.given_m if p.sex == "男" else c.pools.given_f
    old = c.pick([g for g in pool if g != p.given])
    sur = p.surname if p.kind != "word_like_name" else c.pick(c.pools.surnames)
    return [c.pick(("曾用名：", "曾用名 ", "原名：")), _I("person_name", "former_name", sur + old, True)]


def glued(c, person: _Person, labelled: bool) -> list:
    """A name with the mobile right after it, no space (a contact card or a delivery label copied)."""
    if "h5_glued" not in person.cache:
        person.cache["h5_glued"] = c.pick(ind._MOBILE_PREFIXES) + _digits(c.rng, 8)
    return [
        _I("person_name", "glued_to_phone", person.full, labelled),
        _I("phone", "glued_to_name", person.cache["h5_glued"], False),
    ]


# -- identity documents --------------------------------------------------------------------------


def macau_check(body7: str) -> str:
    """The check digit of a Macau resident identity card (BIR): digits weighted 1..7, sum mod 10."""
    return str(sum(int(d) * w for d, w in zip(body7, range(1, 8), strict=True)) % 10)


def _macau_id(c, p: _Person) -> str:
    if "h5_macau" not in p.cache:
        body = c.pick("1115577") + _digits(c.rng, 6)
        chk = macau_check(body)
        # as the card prints it (1/234567/8) and as forms copy it; 1234567(8) also looks like heldout2's
        # record number with an admission count, so it is the rarer way here
        p.cache["h5_macau"] = c.pick(
            (
                f"{body[0]}/{body[1:]}/{chk}",
                f"{body[0]}/{body[1:]}/{chk}",
                f"{body[0]}/{body[1:5]}/{body[5:]}({chk})",
                f"{body}({chk})",
            )
        )
    return p.cache["h5_macau"]


def bad_check_id(c, p: _Person) -> str:
    """The citizen number mistyped in the sequence or check positions: the check character fails."""
    if "h5_bad" not in p.cache:
        full = _full_id(p)
        body = p.area + p.dob.strftime("%Y%m%d")
        while True:
            if c.chance(0.5):  # two neighbouring digits of the sequence swapped
                i = c.rng.randrange(14, 16)
                chars = list(full)
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
                v = "".join(chars)
            else:  # a wrong last character
                v = full[:17] + c.pick([x for x in "0123456789X" if x != full[17]])
            if v != full and ind.gb11643_check(v[:17]) != v[17] and v.startswith(body):
                break
        p.cache["h5_bad"] = v
    return p.cache["h5_bad"]


def rid(c, labelled: bool) -> _I | None:
    p = c.patient
    if p.cache.get("nation") == "MAC":
        return _I("resident_id", "macau_id", _macau_id(c, p), labelled)
    if not c.chance(0.2):
        return None
    return _I("resident_id", "bad_check", bad_check_id(c, p), labelled)


_RID_LABELS = {
    "macau_id": ("澳门居民身份证：", "澳门身份证号 ", "证件类型：澳门居民身份证  证件号码：", "BIR: "),
}


def rid_labelled(c) -> list:
    return labelled_rid(c, _RID_LABELS)


# -- phones --------------------------------------------------------------------------------------

# mobile segments dev's list does not have: 134 / 147 / 178 / 184 (older), 190 / 192 / 196 / 197
# (issued 2019-12-24; 192 is China Broadcasting Network's)
_NEW_PREFIXES = ("134", "147", "178", "184", "190", "192", "196", "197")


def phone_form(c, person: _Person, form: str, labelled: bool) -> _I:
    if form == "uncommon_prefix":
        if "h5_mobile" not in person.cache:
            person.cache["h5_mobile"] = c.pick(_NEW_PREFIXES) + _digits(c.rng, 8)
        m = person.cache["h5_mobile"]
        v = c.pick((m, m, f"{m[:3]} {m[3:7]} {m[7:]}", f"{m[:3]}-{m[3:7]}-{m[7:]}"))
    elif form == "landline_fullwidth":
        n = landline(c, person)
        v = _fw(c.pick((f"021-{n}", f"021-{n[:4]}-{n[4:]}", n, f"{n[:4]}-{n[4:]}")))
        v = v if c.chance(0.7) else "（０２１）" + _fw(n)
    else:  # hk_mo_local: a Macau (6) or Hong Kong (5 / 6 / 9) mobile without its country code
        if "h5_hkmo" not in person.cache:
            head = "6" if c.chance(0.6) else c.pick("59")
            person.cache["h5_hkmo"] = head + _digits(c.rng, 7)
        n = person.cache["h5_hkmo"]
        v = c.pick((n, f"{n[:4]} {n[4:]}", f"{n[:4]}-{n[4:]}"))
    return _I("phone", form, v, labelled)


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    if person.cache.get("nation") == "MAC" and c.chance(0.6):
        return phone_form(c, person, "hk_mo_local", labelled)
    if not c.chance(0.4 if c.style in ("home_nursing", "vaccination_record", "antenatal_record") else 0.25):
        return None
    forms, weights = ["uncommon_prefix"], [5]
    if landline_ok:
        forms.append("landline_fullwidth")
        weights.append(3)
    return phone_form(c, person, c.rng.choices(forms, weights=weights)[0], labelled)


# -- cards and record numbers --------------------------------------------------------------------


def _sscard(c, p: _Person) -> str:
    """The patient's 9-character 社保卡号 (dev's digits or letter form, whichever the note has)."""
    if "sscard_letter9" in p.cache:
        return p.cache["sscard_letter9"]
    return p.cache.setdefault("sscard_digits9", _digits(c.rng, 9, first_nonzero=True))


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    """A heldout5 card as ``[label, span]``, or the name of the dev form the dev code should render."""
    novel = HELDOUT5_ONLY["card_number"]
    if forms is None:
        if not c.chance(0.27):
            return c.pick(ind._SHARED_FORMS["card_number"])
        form = c.pick(("sscard_grouped", "label_glued")) if labelled else "sscard_grouped"
    else:
        form = c.pick(forms)
        if form not in novel:
            return form
    p = c.patient
    base = _sscard(c, p)
    if form == "sscard_grouped":
        key = "h5_grouped"
        if key not in p.cache:
            g = c.pick(((3, 3, 3), (1, 4, 4), (5, 4), (4, 5)))
            parts, i = [], 0
            for n in g:
                parts.append(base[i : i + n])
                i += n
            p.cache[key] = c.pick((" ", " ", "-")).join(parts)
        span = _I("card_number", form, p.cache[key], labelled)
        if not labelled:
            return [span]
        return [c.pick(("社保卡号：", "医保卡号：", "社保卡 ")), span]
    span = _I("card_number", form, base, labelled)
    if not labelled:
        return [span]
    if form == "kv_pinyin":
        return [c.pick(("YBKH=", "SBKH:", "ybkh:")), span]
    return [c.pick(("社保卡号", "医保卡号", "社保卡", "医保卡")), span]  # label_glued: no separator


def _vaccination_code(c, p: _Person) -> str:
    """儿童预防接种证 编码: 10-digit vaccination-site code (6-digit area + 4), birth year, 4-digit serial."""
    area = p.area if p.area.startswith("31") else c.pick(ind._SH_AREA_CODES)
    return area + f"{c.rng.randrange(1, 60):04d}" + str(p.dob.year) + _digits(c.rng, 4)


def rec_form(c, form: str, labelled: bool) -> list:
    p, rng = c.patient, c.rng
    key = "h5_rec_" + form
    if key not in p.cache:
        if form == "uuid_patient_id":  # an internet-hospital / app patient ID (a version-4 UUID)
            u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            p.cache[key] = c.pick((u, u, u.replace("-", ""), u.upper()))
        elif form == "vaccination_code":
            p.cache[key] = _vaccination_code(c, p)
        elif form == "maternal_handbook_no":  # 母子健康手册 / 孕产妇保健手册 number: district, year, serial
            area = p.area if p.area.startswith("31") else c.pick(ind._SH_AREA_CODES)
            p.cache[key] = c.pick(("", "", "沪")) + area + c.visit.strftime("%y") + _digits(rng, 6)
        else:  # kv_pinyin: the 住院号 from a HIS table dump
            p.cache[key] = p.cache.setdefault("rec_inpatient_no", _digits(rng, c.pick((6, 7, 8)), True))
    span = _I("hospital_record_no", form, p.cache[key], labelled)
    if not labelled:
        return [span]
    label = c.pick(
        {
            "uuid_patient_id": ("患者ID：", "就诊人ID：", "patientId: ", "用户ID "),
            "vaccination_code": ("接种证编码：", "预防接种证编号：", "受种者编码："),
            "maternal_handbook_no": ("母子健康手册编号：", "孕册号：", "建册号 "),
            "kv_pinyin": ("ZYH=", "zyh:", "BAH="),
        }[form]
    )
    return [label, span]


def rec(c, labelled: bool) -> list | None:
    if c.age < 7 and c.chance(0.3):  # a young child's immunisation code stands in for the record number
        return rec_form(c, "vaccination_code", labelled)
    if c.style == "home_nursing" or c.chance(0.13):  # the app's patient ID
        return rec_form(c, "uuid_patient_id", labelled)
    return None


# -- dates of birth ------------------------------------------------------------------------------


def dob_form(c, form: str, labelled: bool, person: _Person) -> _I:
    d = person.dob
    if form == "unpadded" and d.month >= 10 and d.day >= 10:
        form = "datetime_stamp"  # nothing to leave unpadded
    if form == "datetime_stamp":  # a HIS / spreadsheet date-time field exported as text
        v = c.pick(
            (
                f"{d.isoformat()} 00:00:00",
                f"{d.year}/{d.month}/{d.day} 0:00:00",
                f"{d.isoformat()}T00:00:00",
                f"{d.isoformat()} 00:00:00.000",
            )
        )
    elif form == "unpadded":
        v = c.pick((f"{d.year}-{d.month}-{d.day}", f"{d.year}.{d.month}.{d.day}"))
    else:  # boxed_digits: a paper form's 8 boxes read back with the boxes as spaces or bars
        digits = d.strftime("%Y%m%d")
        v = c.pick(
            (
                " ".join(digits[:4]) + " 年 " + " ".join(digits[4:6]) + " 月 " + " ".join(digits[6:]) + " 日",
                " ".join(digits),
                "|".join(digits),
            )
        )
    return _I("date_of_birth", form, v, labelled)


def dob(c, labelled: bool, person: _Person) -> _I | None:
    p = {"yb_settlement_list": 0.6, "vaccination_record": 0.5, "antenatal_record": 0.45}.get(c.style, 0.33)
    if not c.chance(p):
        return None
    weights = [3, 3, 2]
    if c.style == "yb_settlement_list":
        weights = [6, 1, 0]
    elif c.style in ("vaccination_record", "antenatal_record"):
        weights = [1, 2, 4]
    form = c.rng.choices(HELDOUT5_ONLY["date_of_birth"], weights=weights)[0]
    return dob_form(c, form, labelled, person)


_DOB_LABELS = {
    "datetime_stamp": ("出生日期：", "出生时间：", "CSRQ: "),
    "unpadded": ("出生日期：", "生日：", "DOB ", "_出生"),
    "boxed_digits": ("出生日期：", "出生年月日："),
}


def dob_labelled(c) -> list:
    return labelled_dob(c, _DOB_LABELS)


# -- bank cards, e-mail, other contacts ----------------------------------------------------------

# heads of passbook / settlement account numbers (not card BINs: the number is the account, 17-21
# digits, with no Luhn digit)
_ACCOUNT_HEADS = (
    (("1001", "1002", "1003"), 19),
    (("3105", "3100"), 20),
    (("0336", "0356"), 17),
    (("4367",), 21),
)
_MC2_RANGE = (222100, 272099)


def bank(c, labelled: bool):
    if not c.chance(0.36):
        return None
    rng = c.rng
    form = c.rng.choices(HELDOUT5_ONLY["bank_card"], weights=(3, 2))[0]
    if form == "mastercard_2series":  # Mastercard's 2-series BINs (222100-272099), 16 digits, Luhn
        num = ind._luhn_complete(str(rng.randrange(_MC2_RANGE[0], _MC2_RANGE[1] + 1)) + _digits(rng, 9))
        v = c.pick((num, " ".join(num[i : i + 4] for i in range(0, 16, 4))))
        return _I("bank_card", form, v, labelled)
    heads, n = c.pick(_ACCOUNT_HEADS)
    num = c.pick(heads) + _digits(rng, n - 4)
    v = c.pick((num, num, " ".join(num[i : i + 4] for i in range(0, n, 4))))
    return _I("bank_card", form, v, labelled)


_TYPO_DOMAINS = ("163.con", "qq.cm", "126,com", "gmial.com", "hotmial.com", "sina.con", "163.cmo", "qq,com")
_FOREIGN_DOMAINS = ("macau.ctm.net", "yahoo.com.hk", "naver.com", "yahoo.co.jp", "gmx.de", "hotmail.co.uk")


def email(c, labelled: bool) -> _I | None:
    if not c.chance(0.35):
        return None
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    if _macau_patient(c) and c.chance(0.6):
        form = "foreign_domain"
    else:
        form = c.pick(HELDOUT5_ONLY["email"])
    local = email_local(c, a, b)
    if form == "upper_case":  # typed with Caps Lock on, or printed by a form in capitals
        v = f"{local}@{c.pick(ind._WEBMAIL)}".upper()
    elif form == "typo_domain":  # the domain mistyped; the mailbox is still the person's
        v = f"{local}@{c.pick(_TYPO_DOMAINS)}"
    else:
        v = f"{local}@{c.pick(_FOREIGN_DOMAINS)}"
    return _I("email", form, v, labelled)


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    """A 小红书号 or a 钉钉号 (kind other_contact): heldout2's forms as the baseline, or a new one."""
    person = person or c.patient
    if not c.chance(0.3 if c.style not in ("antenatal_record", "sick_leave_cert") else 0.55):
        return ind._h2_contact(c, person, labelled)
    rng = c.rng
    form = c.pick(HELDOUT5_ONLY["other_contact"])
    if c.style == "antenatal_record":
        form = "xiaohongshu_id"
    elif c.style == "sick_leave_cert":
        form = "dingtalk_id"
    key = "h5_" + form
    if key not in person.cache:
        a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
        if form == "xiaohongshu_id":
            person.cache[key] = c.pick(
                (_digits(rng, c.pick((9, 10)), True), f"{a}{b}{rng.randrange(100, 999)}")
            )
        else:
            person.cache[key] = c.pick(
                (f"{a}{b}{rng.randrange(10, 99)}", f"{a}_{b}", f"dt{a}{b}{_digits(rng, 3)}")
            )
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "xiaohongshu_id":
        return [c.pick(("小红书号：", "小红书 ", "小红书号是")), span]
    return [c.pick(("钉钉号：", "钉钉 ", "单位钉钉：")), span]


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout5"] = {
    "长宁区": ("娄山关路", "剑河路", "哈密路", "威宁路"),
    "闵行区": ("吴中路", "合川路", "紫藤路", "顾戴路"),
    "浦东新区": ("杨思路", "上南路", "成山路", "羽山路"),
    "杨浦区": ("国和路", "包头路", "靖宇中路", "翔殷路"),
    "普陀区": ("光复西路", "金沙江路", "桃浦路"),
    "宝山区": ("上大路", "海江路", "永清路"),
}
ind._NEW_VILLAGES["heldout5"] = (
    ("杨浦区", "国和一村"),
    ("浦东新区", "上南八村"),
    ("闵行区", "航华一村"),
    ("普陀区", "甘泉新村"),
    ("长宁区", "娄山小区"),
    ("宝山区", "上大新苑"),
)
ind._VILLAGES["heldout5"] = (
    ("崇明区", "庙镇", "永乐村"),
    ("金山区", "亭林镇", "后岗村"),
    ("松江区", "车墩镇", "高桥村"),
    ("浦东新区", "宣桥镇", "三灶村"),
    ("嘉定区", "马陆镇", "大裕村"),
    ("奉贤区", "柘林镇", "胡桥村"),
)
ind._OUT_OF_TOWN["heldout5"] = (
    ("河北省邯郸市大名县", "大名镇", "府前街"),
    ("陕西省渭南市蒲城县", "城关街道", "槐院路"),
    ("广东省梅州市兴宁市", "兴田街道", "人民大道"),
    ("湖南省衡阳市衡东县", "城关镇", "洣水大道"),
)
# districts merged away (南市 2000, 南汇 2009, 卢湾 2011, 闸北 2015): (old name, today's, its roads)
_FORMER_DISTRICTS = (
    ("卢湾区", "黄浦区", ("建国中路", "徐家汇路", "局门路", "鲁班路", "马当路")),
    ("闸北区", "静安区", ("天目西路", "汶水路", "洛川中路", "广延路", "柳营路")),
    ("南汇区", "浦东新区", ("拱极路", "听潮路", "川周公路", "周祝公路")),
    ("南市区", "黄浦区", ("方浜中路", "董家渡路", "蓬莱路")),
)
# (district, 街道, 居委会)
_JUWEI = (
    ("徐汇区", "天平路街道", "吴兴居委"),
    ("徐汇区", "枫林路街道", "东安居委"),
    ("静安区", "临汾路街道", "汾西居委"),
    ("静安区", "大宁路街道", "宁和居委"),
    ("杨浦区", "五角场街道", "政通居委"),
    ("杨浦区", "平凉路街道", "定海居委"),
    ("普陀区", "甘泉路街道", "南石居委"),
    ("虹口区", "嘉兴路街道", "瑞虹居委"),
)
# a 街道 / 镇 of each district, as delivery apps print it
_TOWNS = {
    "长宁区": "江苏路街道",
    "闵行区": "吴泾镇",
    "浦东新区": "三林镇",
    "杨浦区": "新江湾城街道",
    "普陀区": "桃浦镇",
    "宝山区": "大场镇",
}
_LANDMARKS = ("菜市场", "家乐福", "联华超市", "社区医院", "小学", "公交总站", "邮局", "加油站")
_RELATIVE_POS = ("对面", "后面", "旁边", "斜对面", "隔壁")


def address_form(c, form: str, labelled: bool) -> _I:
    rng = c.rng
    streets = ind._STREETS["heldout5"]
    district = c.pick(list(streets))
    road = c.pick(streets[district])
    lane, bldg = rng.randrange(1, 1600), rng.randrange(1, 40)
    room = rng.randrange(1, 25) * 100 + rng.randrange(1, 7)
    if form == "former_district":  # the old district name elderly patients and old documents keep
        old, _now, roads = c.pick(_FORMER_DISTRICTS)
        r = c.pick(roads)
        v = c.pick(
            (
                f"{old}{r}{lane}弄{bldg}号{room}室",
                f"上海市{old}{r}{rng.randrange(1, 900)}号",
                f"{old}{r}{lane}弄{bldg}号",
            )
        )
    elif form == "juwei_based":  # community-health files: 街道 and 居委会 before the house number
        dist, jd, jw = c.pick(_JUWEI)
        jd_road = jd[: -len("街道")] if jd.endswith("路街道") else "政通路"  # a road of that 街道
        v = c.pick(
            (
                f"{dist}{jd}{jw}{jd_road}{lane}弄{bldg}号{room}室",
                f"{jd}{jw}{bldg}号楼{room}室",
                f"{dist}{jd}{jw}{lane}弄{bldg}号",
            )
        )
    elif form == "landmark":  # how a caller or a home-care client describes where they live
        estate = next(nv for d, nv in ind._NEW_VILLAGES["heldout5"] if d == district)  # one per district
        v = c.pick(
            (
                f"{road}{c.pick(_LANDMARKS)}{c.pick(_RELATIVE_POS)}的{estate}{bldg}号楼",
                f"{road}{c.pick(_LANDMARKS)}{c.pick(_RELATIVE_POS)}{estate}{bldg}号{room}室",
                f"地铁{road[:-1]}站{rng.randrange(1, 6)}号口{c.pick(_RELATIVE_POS)}{estate}{bldg}号",
            )
        )
    else:  # ecommerce_spaced: a delivery address copied from a shopping app
        town = _TOWNS[district]
        detail = f"{road}{lane}弄{bldg}号{room}室"
        v = c.pick(
            (
                f"上海 上海市 {district} {town} {detail}",
                f"上海市 {district} {town} {detail}",
                f"上海市{district} {detail}",
            )
        )
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if not c.chance(0.55 if c.style == "home_nursing" else 0.32):
        return None
    forms = list(HELDOUT5_ONLY["address"])
    if c.style == "home_nursing":
        weights = [1, 1, 3, 5]
    elif c.style == "vaccination_record":
        weights = [0, 5, 1, 1]
    else:
        weights = [5 if c.age >= 60 else 2, 2, 1, 3]
    return address_form(c, c.rng.choices(forms, weights=weights)[0], labelled)


# -- decoys --------------------------------------------------------------------------------------


def tube(c) -> list:
    return ["气管导管 ", _D("tube_size", c.pick(("ID 7.0", "ID 7.5", "ID6.5", "7.0#", "7.5号")))]


_TNM = ("pT2N1aM0", "pT1bN0M0", "ypT3N2M0", "pT3N0M0", "pT1cN0Mx", "pT4aN2bM0", "cT2N0M0")
_IHC = {
    "Ki-67": ("(+,约30%)", "(+,约60%)", "(+,约5%)"),
    "HER2": ("(0)", "(1+)", "(2+)", "(3+)"),
    "ER": ("(+,90%)", "(-)"),
    "PR": ("(+,40%)", "(-)"),
    "P53": ("(突变型)", "(野生型)"),
    "CK7": ("(+)", "(-)"),
    "CDX2": ("(+)",),
    "TTF-1": ("(+)", "(-)"),
}


def tnm(c) -> list:
    return ["pTNM分期：", _D("tnm_stage", c.pick(_TNM)), c.pick(("（AJCC第8版）", ""))]


def ihc(c, k: int = 2) -> list:
    out: list = []
    for i, marker in enumerate(c.rng.sample(sorted(_IHC), k)):
        out += ([", "] if i else []) + [_D("ihc_result", marker + c.pick(_IHC[marker]))]
    return out


def blood_group(c) -> _D:
    abo = c.pick(("A", "B", "O", "AB"))
    return _D(
        "blood_group", c.pick((f"{abo}型RhD阳性", f"{abo}型 Rh(D)阳性", f"{abo}型Rh(+)", f"{abo}型RhD(+)"))
    )


def gravida_para(c) -> _D:
    g = c.rng.randrange(1, 5)
    para = c.rng.randrange(0, g)
    return _D("gravida_para", c.pick((f"G{g}P{para}", f"孕{g}产{para}", f"G{g}P{para}A{g - 1 - para}")))


def obstetric_date(c, d: date) -> _D:
    return _D(
        "obstetric_date", c.pick((d.isoformat(), f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y.%m.%d")))
    )


def expiry(c) -> list:
    d = c.visit + timedelta(days=c.rng.randrange(20, 720))
    return [
        c.pick(("有效期至", "效期 ", "失效期：")),
        _D("expiry_date", c.pick((d.isoformat(), d.strftime("%Y.%m"), d.strftime("%Y%m%d")))),
    ]


def certificate(c) -> list:
    v = c.pick(
        (
            f"No.{_digits(c.rng, 7)}",
            f"ZM{c.visit.year}{_digits(c.rng, 5)}",
            f"{c.visit.year}-{_digits(c.rng, 6)}",
        )
    )
    return [c.pick(("编号：", "证明编号 ", "NO：")), _D("certificate_no", v)]


def service_order(c) -> list:
    v = c.pick(
        (
            f"HL{c.visit.strftime('%Y%m%d')}{_digits(c.rng, 6)}",
            c.visit.strftime("%Y%m%d") + _digits(c.rng, 10),
        )
    )
    return [c.pick(("订单号：", "服务单号 ")), _D("service_order_no", v)]


def door_code(c) -> list:
    n = _digits(c.rng, 4)
    return [c.pick(("门禁密码 ", "单元门密码：", "门禁：")), _D("door_code", c.pick((f"{n}#", f"#{n}", n)))]


def tooth(c) -> list:
    q, t = c.rng.randrange(1, 5), c.rng.randrange(1, 9)
    return [
        _D("tooth_position", f"{q}{t}牙"),
        c.pick(("深龋", "牙髓炎", "残根", "根尖周炎")),
        "，已行根管治疗",
    ]


def refraction(c) -> _D:
    s = c.rng.randrange(1, 30) * 0.25
    cyl = c.rng.randrange(1, 8) * 0.25
    v = c.pick(
        (
            f"-{s:.2f}DS/-{cyl:.2f}DC×{c.rng.randrange(1, 19) * 10}",
            f"-{s:.2f}DS",
            f"+{s:.2f}DS/-{cyl:.2f}DC×90",
        )
    )
    return _D("eye_refraction", v)


def sms_code(c) -> list:
    return [c.pick(("短信验证码 ", "验证码：", "取号验证码 ")), _D("sms_code", _digits(c.rng, 6))]


def tail_digits(c) -> list:
    p = c.patient
    full = _full_id(p) if p.cache.get("nation") != "MAC" else _digits(c.rng, 18)
    return c.pick(
        (
            ["已核对身份证后四位", _D("tail_digits", full[-4:])],
            ["退款至尾号", _D("tail_digits", _digits(c.rng, 4)), "的银行卡"],
            ["手机尾号", _D("tail_digits", _digits(c.rng, 4))],
            ["身份证后六位", _D("tail_digits", full[-6:])],
        )
    )


# -- lines with several identifiers --------------------------------------------------------------


def kv_line(c) -> list:
    """A HIS table row pasted into the note: pinyin-initial column names (XM 姓名, SFZH 身份证号,
    YBKH 医保卡号, ZYH 住院号), as key=value pairs or JSON."""
    p = c.patient
    fields: list[tuple[str, object]] = [("XM", c.pname(True))]
    if p.cache.get("nation") != "MAC":
        fields.append(("SFZH", _I("resident_id", "kv_pinyin", _full_id(p), True)))
    extra = c.rng.sample(["YBKH", "ZYH", "XB"], 2)
    for k in ("YBKH", "ZYH", "XB"):
        if k not in extra:
            continue
        if k == "YBKH":
            fields.append((k, _I("card_number", "kv_pinyin", _sscard(c, p), True)))
        elif k == "ZYH":
            fields.append((k, rec_form(c, "kv_pinyin", False)[0]))
        else:
            fields.append((k, "1" if p.sex == "男" else "2"))
    if c.chance(0.5):
        out: list = ["HIS导出："]
        for i, (k, v) in enumerate(fields):
            out += ([c.pick((";", "|"))] if i else []) + [f"{k}=", v]
        return out
    out = ["接口数据：{"]
    for i, (k, v) in enumerate(fields):
        out += ([","] if i else []) + [f'"{k.lower()}":"', v, '"']
    return out + ["}"]


_DOC_TYPES = ("身份证正面", "身份证反面", "出院小结", "病历首页", "医保卡", "检查报告")


def attachment(c) -> list:
    """An uploaded file name with the patient's name and / or ID in it (claim or internet-hospital
    material)."""
    p = c.patient
    day = _D("visit_date", c.visit.strftime("%Y%m%d"))
    ext = c.pick((".jpg", ".pdf", ".png", ".JPG"))
    nm = _I("person_name", "filename_embedded", p.full, False)
    idn = _I("resident_id", "filename_embedded", _full_id(p), False)
    if p.cache.get("nation") == "MAC":
        return ["附件：", day, "_", nm, "_", c.pick(_DOC_TYPES), ext]
    return c.pick(
        (
            ["附件：", day, "_", nm, "_", c.pick(_DOC_TYPES), ext],
            ["附件：", nm, "_", idn, ext],
            ["上传文件 IMG_", day, "_", idn, ext],
            ["附件：", nm, "-", c.pick(_DOC_TYPES), "-", day, ext],
            ["附件：", day, "_", nm, "_", c.pick(_DOC_TYPES), ext],
        )
    )


def glued_contact(c) -> list:
    rel, relation = c.relative()
    return [c.pick(("紧急联系人：", "联系人：", "家属：")), *glued(c, rel, True), f"（{relation}）"]


# -- styles --------------------------------------------------------------------------------------


def _s_anesthesia_record(c) -> None:
    d = c.d
    d.f(
        "{fac} 麻醉记录单  手术间：第{k}间  {date}\n",
        fac=c.facility(),
        k=str(c.rng.randrange(1, 24)),
        date=c.date_decoy(),
    )
    d.f("姓名：{n}  性别：{sex}  年龄：{age}  ", n=c.pname(True), sex=c.patient.sex, age=c.age_decoy())
    d.put(c.rec(True, form=c.pick(("inpatient_no", "alpha_prefixed"))))
    d.f(
        "  床号：{bed}\n术前诊断：{dx}  拟施手术：{proc}\n",
        bed=c.bed(),
        dx=c.dx()[0],
        proc=c.term(c.pick(c.sp["procs"])),
    )
    d.f(
        "ASA {asa}级  麻醉方式：{m}  ",
        asa=c.pick(("Ⅰ", "Ⅱ", "Ⅲ", "II", "III")),
        m=c.pick(("全身麻醉", "腰硬联合麻醉", "神经阻滞+静脉麻醉")),
    )
    d.put(tube(c))
    if c.chance(0.5):  # loose teeth matter for intubation
        q, t = c.rng.randrange(1, 5), c.rng.randrange(1, 4)
        d.f("\n术前访视：{tp}松动，张口度3横指", tp=_D("tooth_position", f"{q}{t}牙"))
    d.f("\n入室 {t} ", t=f"{c.rng.randrange(7, 15):02d}:{c.rng.randrange(0, 60):02d}")
    d.put(c.vitals("PBS"))
    d.f(
        "，诱导：丙泊酚、舒芬太尼、罗库溴铵。\n麻醉医师：{a}  手术医师：{s}  巡回护士：{nu}",
        a=ind._doctor(c),
        s=ind._doctor(c),
        nu=ind._nurse(c),
    )


def _s_pathology_report(c) -> None:
    d = c.d
    d.f("{fac} 病理诊断报告书  送检日期：{date}\n", fac=c.facility(), date=c.date_decoy())
    d.f("姓名：{n}  性别：{sex}  年龄：{age}  ", n=c.pname(True), sex=c.patient.sex, age=c.age_decoy())
    d.put(c.rec(True, form=c.pick(("inpatient_no", "outpatient_no", "alpha_prefixed"))))
    d.f("  送检医生：{doc}\n", doc=ind._doctor(c))
    a, b = c.rng.randrange(5, 60) / 10, c.rng.randrange(5, 40) / 10
    d.f(
        "标本：{anat}（{how}）  大体：灰白组织一块，{a}cm×{b}cm。\n病理诊断：{dx}。",
        anat=c.term(c.pick(c.sp["anat"])),
        how=c.pick(("手术切除", "穿刺活检", "内镜活检")),
        a=f"{a:.1f}",
        b=f"{b:.1f}",
        dx=c.dx()[0],
    )
    if c.chance(0.75):
        d.put(tnm(c))
    d.put("\n免疫组化：")
    d.put(ihc(c, c.rng.randint(2, 3)))
    d.f("\n诊断医师：{d1}  复核医师：{d2}", d1=ind._doctor(c), d2=ind._doctor(c))


_PRODUCTS = ("悬浮红细胞 2U", "悬浮红细胞 1.5U", "新鲜冰冻血浆 200ml", "单采血小板 1治疗量", "冷沉淀 10U")


def _s_transfusion_record(c) -> None:
    d = c.d
    d.f(
        "输血记录单  {date}\n受血者：{n}  {sex}  {age}  ",
        date=c.date_decoy(),
        n=c.pname(True),
        sex=c.patient.sex,
        age=c.age_decoy(),
    )
    d.put(c.rec(True, form=c.pick(("inpatient_no", "alpha_prefixed", "case_no"))))
    d.f(
        "  床号：{bed}\n血型：{bg}  输血史：{hist}  ",
        bed=c.bed(),
        bg=blood_group(c),
        hist=c.pick(("无", "有")),
    )
    d.f("输注：{p}  ", p=c.pick(_PRODUCTS))
    d.put(expiry(c))
    t1 = c.rng.randrange(8, 20)
    d.f(
        "\n开始 {t1}:{m1} 结束 {t2}:{m2}  输血前 ",
        t1=f"{t1:02d}",
        m1=f"{c.rng.randrange(0, 60):02d}",
        t2=f"{t1 + 2:02d}",
        m2=f"{c.rng.randrange(0, 60):02d}",
    )
    d.put(c.vitals("TPB"))
    d.f(
        "\n诊断：{dx}  双人核对：{n1} / {n2}  输血医师：{doc}\n输血反应：无。",
        dx=c.dx()[0],
        n1=ind._nurse(c),
        n2=ind._nurse(c),
        doc=ind._doctor(c),
    )


_VACCINES_CHILD = (
    "乙肝疫苗", "脊灰灭活疫苗", "百白破疫苗", "麻腮风疫苗", "乙脑减毒活疫苗", "甲肝灭活疫苗", "A群C群流脑多糖疫苗",
    "水痘减毒活疫苗", "13价肺炎球菌多糖结合疫苗", "EV71灭活疫苗",
)  # fmt: skip
_VACCINES_ADULT = (
    "流感病毒裂解疫苗",
    "重组带状疱疹疫苗",
    "23价肺炎球菌多糖疫苗",
    "九价HPV疫苗",
    "狂犬病疫苗（Vero细胞）",
)
_COMMUNITIES = ("天平", "枫林", "临汾", "大宁", "五角场", "甘泉")


def _s_vaccination_record(c) -> None:
    d = c.d
    child = c.chance(0.7)
    if child:  # the record is the child's: a new patient, aged 0-6
        p = c.new_person(with_identity=True, child=True)
        p.dob = c.visit - timedelta(days=c.rng.randrange(30, 7 * 365))
        c.patient = p
        c.age = c.visit.year - p.dob.year - ((c.visit.month, c.visit.day) < (p.dob.month, p.dob.day))
    d.f(
        "{k}社区卫生服务中心 预防接种门诊 接种记录\n受种者：{n}  性别：{sex}  ",
        k=c.pick(_COMMUNITIES),
        n=c.pname(True),
        sex=c.patient.sex,
    )
    d.put(c.dob_labelled())
    d.put("\n")
    if child:
        d.put(rec_form(c, "vaccination_code", True))
        mother = c.new_person(sex="女", role="relative")
        d.f(
            "  监护人：{m}（母亲） 电话：{ph}\n",
            m=c.name(mother, "relative", True),
            ph=c.phone(mother, True, landline_ok=False),
        )
    else:
        d.put(c.rid_labelled())
        d.f("  电话：{ph}\n", ph=c.phone(None, True))
    d.put(c.addr_labelled())
    vac = c.pick(_VACCINES_CHILD if child else _VACCINES_ADULT)
    d.f("\n疫苗：{v}  ", v=vac)
    d.put(c.batch())
    d.f("  第{k}剂  ", k=str(c.rng.randrange(1, 4)))
    d.put(expiry(c))
    d.f("\n接种前无{s}，接种后留观30分钟，无{s2}。", s=c.sym(), s2=c.sym())
    d.f(
        "\n接种部位：{site}  接种日期：{dt}  接种医生：{nu}",
        site=c.pick(("左上臂三角肌", "右上臂三角肌", "大腿前外侧")),
        dt=c.date_decoy(),
        nu=ind._nurse(c),
    )
    if c.chance(0.6):
        d.put("\n")
        d.put(sms_code(c))


_EMPLOYERS = (
    "上海某物流有限公司",
    "某区教育局",
    "某银行上海分行",
    "某科技有限公司",
    "某建筑工程公司",
    "某商场",
)


def _s_sick_leave_cert(c) -> None:
    d = c.d
    d.f("{fac} 疾病诊断证明书  ", fac=c.facility())
    d.put(certificate(c))
    d.f(
        "\n姓名：{n}  性别：{sex}  年龄：{age}  工作单位：{e}\n",
        n=c.pname(True),
        sex=c.patient.sex,
        age=c.age_decoy(),
        e=c.pick(_EMPLOYERS),
    )
    d.put(c.rid_labelled())
    if c.chance(0.4):
        d.put("  ")
        d.put(former_name(c))
    days = c.rng.randrange(3, 31)
    d.f(
        "\n就诊日期：{dt}  科别：{dept}\n诊断：{dx}\n建议：全休{k}天，{adv}。\n经治医生：",
        dt=c.date_decoy(),
        dept=c.dept,
        dx=c.dx()[0],
        k=str(days),
        adv=c.pick(("避免劳累", "门诊随访", "按时服药，定期复查")),
    )
    doc = c.staff()
    if doc.kind == "ordinary":
        d.f("{t}", t=[c.pick(_DOCTOR_TITLES[:4]), _I("person_name", "title_prefixed", doc.full, True)])
    else:
        d.put(c.name(doc, "doctor", True))
    d.f("  医务处（盖章）  {dt}", dt=c.date_decoy(c.later(0, 2)))


_INSUTYPES = ("职工基本医疗保险", "城乡居民基本医疗保险")


def _s_yb_settlement_list(c) -> None:
    d = c.d
    d.put("医疗保障基金结算清单  ")
    d.put(c.facility_code())
    d.put("\n")
    d.put(c.rec(True, form=c.pick(("case_no", "inpatient_no"))))
    d.f("  姓名：{n}  性别：{sex}  ", n=c.pname(True), sex=c.patient.sex)
    d.put(c.dob_labelled())
    d.f("  年龄：{age}\n", age=c.age_decoy())
    d.put(c.rid_labelled())
    d.f("  医保类型：{t}  ", t=c.pick(_INSUTYPES))
    d.put(c.card(True))
    dxn, icd = c.dx()
    d.f(
        "\n主要诊断：{dx}（{icd}）  入院途径：{w}\n备注：",
        dx=dxn,
        icd=icd,
        w=c.pick(("门诊", "急诊", "转院")),
    )
    rel, relation = c.relative()
    r = c.rng.random()
    if r < 0.4:
        d.f(
            "家属{r}（{rel}）来电{ph}要求补打清单，",
            r=c.name(rel, "relative", True),
            rel=relation,
            ph=c.phone(rel, False),
        )
        d.put(tail_digits(c))
        d.put("。")
    elif r < 0.7:
        d.put(kv_line(c))
    else:
        d.put(former_name(c))
        d.put("，与身份证姓名不一致，已核实。")


_NURSING_ITEMS = ("PICC维护", "压疮换药", "留置导尿管更换", "胃管更换", "静脉采血", "造口护理")


def _s_home_nursing(c) -> None:
    d = c.d
    d.f('"互联网+护理服务" 上门护理记录  ')
    d.put(service_order(c))
    d.f(
        "\n服务对象：{n}  {sex}  {age}  项目：{item}\n服务地址：",
        n=c.pname(True),
        sex=c.patient.sex,
        age=c.age_decoy(),
        item=c.pick(_NURSING_ITEMS),
    )
    d.put(c.address(True))
    d.put("  ")
    d.put(door_code(c))
    rel, relation = c.relative()
    d.f("\n联系人：{g}（{relation}）\n", g=glued(c, rel, True), relation=relation)
    d.f("到达后评估：")
    d.put(c.vitals("TPB"))
    d.f(
        "，诉{s}，予{item}，宣教{drug}用法。\n上门护士：{nu}  下次上门：{dt}",
        s=c.sym(),
        item=c.pick(_NURSING_ITEMS),
        drug=c.drug(),
        nu=ind._nurse(c),
        dt=c.date_decoy(c.later(3, 15)),
    )


_MATERNITY = ("红房子医院", "第一妇婴保健院", "国际和平妇幼保健院", "仁济医院", "新华医院")


def _s_antenatal_record(c) -> None:
    d = c.d
    p = c.new_person(with_identity=True, sex="女")  # the pregnant woman, 22-41
    age = c.rng.randrange(22, 42)
    p.dob = date(c.visit.year - age - 1, 1, 1) + timedelta(days=c.rng.randrange(0, 365))
    c.patient = p
    c.age = c.visit.year - p.dob.year - ((c.visit.month, c.visit.day) < (p.dob.month, p.dob.day))
    weeks = c.rng.randrange(12, 40)
    lmp = c.visit - timedelta(days=weeks * 7 + c.rng.randrange(0, 7))
    d.f("{fac} 产前检查记录  ", fac=_D("facility_name", c.pick(_MATERNITY)))
    d.put(rec_form(c, "maternal_handbook_no", True))
    d.f(
        "\n孕妇：{n}  年龄：{age}  {gp}  末次月经：{lmp}  预产期：{edd}\n",
        n=c.pname(True),
        age=c.age_decoy(),
        gp=gravida_para(c),
        lmp=obstetric_date(c, lmp),
        edd=obstetric_date(c, lmp + timedelta(days=280)),
    )
    d.f(
        "孕{w}周，宫高{h}cm，胎心{fh}次/分，",
        w=str(weeks),
        h=str(max(weeks - 4, 10)),
        fh=str(c.rng.randrange(120, 160)),
    )
    d.put(c.vitals("B"))
    d.f("，诉{s}。\n", s=c.sym())
    husband = c.new_person(sex="男", role="relative")
    if c.chance(0.5):
        d.f("丈夫：{g}\n", g=glued(c, husband, True))
    else:
        d.f(
            "丈夫：{h}  电话：{ph}\n",
            h=c.name(husband, "relative", True),
            ph=c.phone(husband, True, landline_ok=False),
        )
    drug = c.pick(("叶酸片", "多糖铁复合物胶囊", "碳酸钙D3片"))
    d.f(
        "处理：{drug} {dose}，复查{exam}。医师：{doc}",
        drug=c.term(drug),
        dose=_D("dose", ind._DOSES[drug][0]),
        exam=c.term(c.pick(("血常规", "尿常规", "肝功能"))),
        doc=ind._doctor(c),
    )
    if c.chance(0.35):
        d.put("\n孕妇")
        d.put(contact(c))


def _obstetric_line(c) -> list:
    if c.patient.sex == "女" and 20 <= c.age < 50:
        lmp = c.visit - timedelta(days=c.rng.randrange(60, 270))
        return ["月经婚育史：", gravida_para(c), "，末次月经", obstetric_date(c, lmp)]
    return ["配偶", gravida_para(c), "，预产期", obstetric_date(c, c.later(30, 200))]


ind._STYLE_FUNCS.update(
    {
        "anesthesia_record": _s_anesthesia_record,
        "pathology_report": _s_pathology_report,
        "transfusion_record": _s_transfusion_record,
        "vaccination_record": _s_vaccination_record,
        "sick_leave_cert": _s_sick_leave_cert,
        "yb_settlement_list": _s_yb_settlement_list,
        "home_nursing": _s_home_nursing,
        "antenatal_record": _s_antenatal_record,
    }
)

ind._EXTRAS.update(
    {
        "contact5": lambda c: contact(c) if c.chance(0.65) else [*c.phone_labelled(), "（微信同号）"],
        "kv5": lambda c: kv_line(c) if c.chance(0.5) else ind._emergency_contact(c),
        "attach5": attachment,
        "glued5": lambda c: glued_contact(c) if c.chance(0.5) else former_name(c),
        "dental": lambda c: ["口腔科：", *tooth(c)],
        "eye": lambda c: [
            c.pick(("验光：OD ", "验光：右眼 ")),
            refraction(c),
            c.pick(("，OS ", "，左眼 ")),
            refraction(c),
        ],
        "tail": lambda c: ["核对：", *tail_digits(c)],
        "sms": lambda c: ["互联网医院复诊预约，", *sms_code(c)],
        "tnm": lambda c: ["病理：", *tnm(c), "，", *ihc(c, 1)],
        "blood5": lambda c: ["血型：", blood_group(c), "，交叉配血相合"],
        "expiry5": lambda c: ["自备药", c.term(c.pick(c.sp["drugs"])), " ", *expiry(c)],
        "cert5": lambda c: ["已开具疾病诊断证明书，", *certificate(c)],
        "order5": lambda c: ["上门护理", *service_order(c), "  ", *door_code(c)],
        "tube5": lambda c: ["术中", *tube(c), "，手术顺利"],
        "obst5": _obstetric_line,
    }
)
ind._EXTRA_KIND.update({"contact5": "other_contact", "kv5": "", "attach5": "", "glued5": ""})
ID_EXTRAS = ind._ID_EXTRAS + ("contact5", "kv5", "attach5", "glued5")
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "dental",
    "eye",
    "tail",
    "sms",
    "tnm",
    "blood5",
    "expiry5",
    "cert5",
    "order5",
    "tube5",
    "obst5",
)

# table headers for heldout5's document forms (no key here is a form of another split)
ind._H2_TABLE_HEAD.update({"macau_id": "澳门身份证"})

# -- registration --------------------------------------------------------------------------------

register("heldout5", sys.modules[__name__], HELDOUT5_ONLY, HELDOUT5_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT5_DECOY_KINDS",
    "HELDOUT5_ONLY",
    "KINDS",
    "login_name",
    "macau_check",
    "pools",
]
