"""The eleventh held-out split of the independent corpus, ``heldout11`` (see ``independent.py``).

# =============================================================================================
# heldout11 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT11.md) describes what the eleventh held-out split tests; knowing it turns
# the split into another development set, as happened to heldout … heldout10.
# independent.py calls in here only through the hooks registered for "heldout11" (_HOOKS).
# =============================================================================================

heldout11 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev and heldout … heldout10; its name, street and village pools are disjoint
from all eleven. ``other_contact`` keeps heldout2's forms as its baseline. The theme is paperwork
where the police, the courts of fault and the long-term-care insurer meet the clinic: 急诊抢救记录
(emergency resuscitation), 严重精神障碍 community follow-up, 道路交通事故 medical-cost claims and
长护险 (long-term-care insurance) needs assessments, with relatives married in from Malaysia and
Thailand. It was written by someone who has not read the de-identifier (privacy/) or its
documentation.
"""

from __future__ import annotations

import sys

from bench.deid_eval import independent as ind
from bench.deid_eval.heldout_common import (
    BASELINE_FORMS,
    KINDS,
    filtered_pools,
    give_identity,
    labelled_dob,
    labelled_rid,
    pick_person,
    register,
)
from bench.deid_eval.independent import _D, _I, _digits, _Person, _Pools

HELDOUT11_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("proxy_signed", "fingerprint_mark", "officer_named"),
    "resident_id": ("th_citizen_id", "my_mykad"),
    "phone": ("my_mobile_local", "th_mobile_local"),
    "card_number": ("ltc_assessment_no", "mental_registry_no"),
    "hospital_record_no": ("er_obs_no", "wristband_no"),
    "date_of_birth": ("buddhist_era", "spaced_slash"),
    "bank_card": ("maybank_account", "th_bank_account"),
    "address": ("malaysia_address", "shopfront_home"),
    "email": ("hyphen_local", "edu_my"),
    "other_contact": ("bilibili_uid", "signal_username"),
    "style": ("er_rescue_record", "psych_followup", "traffic_claim", "ltc_assessment"),
}
HELDOUT11_DECOY_KINDS = (
    "gcs_eve",
    "defib_joules",
    "police_badge_no",
    "injury_grade",
    "risk_level",
    "care_grade",
    "blood_alcohol",
)
EARLIER = (
    "dev",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
    "heldout10",
)

# -- people ------------------------------------------------------------------------------------

# The 百家姓 and heldout10's rarer surnames are all in earlier pools; these are real surnames
# outside them, some common-looking (位, 同, 香, 由, 校, 纳, 畅, 回, 多), most rare.
_H11_SURNAMES = list(
    "位所悉可示偃希同洗告香斯由校进称随检桐纳旗妙贠底多朋析卡回果谏奈法漫畅逮犁睦阿舜夙肃浮潜"
)
_H11_GIVEN_M = (
    "鸿渐 辛楣 方鸿 柔石 西谛 朱湘 穆旦 辛笛 牧野 启功 叶圣 承烨 绍棠 北岳 南溟 东篱 西畴 听松 抱朴 握瑜 "
    "宁静 淡泊 克己 复礼 弘毅 慎独 敏求 博约 温良 恭俭 中孚 大有 同人 谦亨 既济 无妄 大畜 颐养 咸恒"
).split()
_H11_GIVEN_F = (
    "卷耳 桃夭 芣苢 汉广 汝坟 鹊巢 采蘩 草虫 摽梅 小星 江汜 柏舟 绿衣 燕燕 终风 凯风 雄雉 匏叶 谷风 式微 "
    "旄丘 简兮 泉水 新台 君偕 载驰 淇奥 考槃 硕人 竹竿 芄兰 河广 伯兮 木瓜 黍离"
).split()
_H11_RARE = ("剡", "奕", "猗", "者", "矣", "把", "穰", "帖")
_H11_COMPOUND = ("有琴", "单于", "侯莫", "叱干", "斛律", "呼衍", "吐万", "费连")
_H11_WORD_LIKE = (
    ("香", "甜"),
    ("希", "冀"),
    ("进", "步"),
    ("随", "和"),
    ("纳", "凉"),
    ("可", "爱"),
    ("由", "衷"),
    ("妙", "手"),
    ("多", "福"),
)

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER, _H11_SURNAMES, _H11_GIVEN_M, _H11_GIVEN_F, _H11_RARE, _H11_COMPOUND, _H11_WORD_LIKE
            )
        )
    return _POOL[0]


def new_person(c, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    p = pick_person(c, sex, (0.06, 0.11, 0.17))
    if with_identity:
        give_identity(c, p, child)
    return p


def name(c, person: _Person, context_form: str, labelled: bool) -> _I:
    form = context_form if person.kind == "ordinary" else person.kind
    return _I("person_name", form, person.full, labelled)


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    return None  # dev's surname + title


def patient_mention(c) -> list | None:
    return None  # dev's


_PROXY = ("代签", "（代签）", "代")
_PRINT = ("（按手印）", "（捺指印）", "（指印）")


def proxy(c, person: _Person) -> list:
    """A name signed on someone else's behalf: ``位鸿渐代签`` (span = the name)."""
    return [_I("person_name", "proxy_signed", person.full, True), c.pick(_PROXY)]


def fingerprint(c, person: _Person) -> list:
    """A name written by staff beside an illiterate signer's fingerprint: ``位鸿渐（按手印）``."""
    return [_I("person_name", "fingerprint_mark", person.full, True), c.pick(_PRINT)]


def badge(c) -> _D:
    """A police officer's 警号 (6 digits)."""
    return _D("police_badge_no", "0" + _digits(c.rng, 5) if c.chance(0.6) else _digits(c.rng, 6, True))


_ROLES = ("民警", "交警", "社区民警", "派出所民警")


def officer(c, person: _Person | None = None, roles: tuple[str, ...] = _ROLES) -> list:
    """A police officer named by role (民警 / 交警 / 社区民警), often with a badge number."""
    person = person or c.staff()
    out = [
        c.pick(roles),
        _I("person_name", "officer_named", person.full, True),
    ]
    if c.chance(0.55):
        out += ["（警号", badge(c), "）"]
    return out


# -- resident IDs: Thai citizen ID, Malaysian MyKad ----------------------------------------------


def th_check(d12: str) -> str:
    """The check digit of a Thai citizen ID: weights 13 … 2, (11 − sum mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(d12, range(13, 1, -1), strict=True))
    return str((11 - total % 11) % 10)


def th_id(c, person: _Person) -> str:
    if "h11_th" not in person.cache:
        body = c.pick("1358") + _digits(c.rng, 11)
        n = body + th_check(body)
        person.cache["h11_th"] = c.pick(
            (
                n,
                f"{n[0]}-{n[1:5]}-{n[5:10]}-{n[10:12]}-{n[12]}",
                f"{n[0]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}",
            )
        )
    return person.cache["h11_th"]


# Malaysian state-of-birth codes (PB): Johor 01, Kedah 02, Kelantan 03, Melaka 04, Penang 07,
# Perak 08, Selangor 10, KL 14
_MY_PB = ("01", "02", "03", "04", "07", "08", "10", "14")


def mykad(c, person: _Person) -> str:
    """A MyKad number: YYMMDD (birth date) - PB (state of birth) - ### and a last digit odd for men."""
    if "h11_my" not in person.cache:
        d = person.dob
        if d is None:
            d = c.visit.replace(year=c.visit.year - c.rng.randrange(25, 55), day=min(c.visit.day, 28))
        last = c.pick("13579" if person.sex == "男" else "02468")
        ymd = d.strftime("%y%m%d")
        pb = c.pick(_MY_PB)
        mid = _digits(c.rng, 3)
        person.cache["h11_my"] = c.pick((f"{ymd}-{pb}-{mid}{last}", f"{ymd}{pb}{mid}{last}"))
    return person.cache["h11_my"]


def foreign_id_line(c, person: _Person | None = None) -> list:
    person = person or c.patient
    if c.chance(0.5):
        return [
            c.pick(("泰国身份证号：", "泰国公民身份证 ", "（泰籍）身份证号码：")),
            _I("resident_id", "th_citizen_id", th_id(c, person), True),
        ]
    return [
        c.pick(("马来西亚身份证（MyKad）：", "MyKad No. ", "（马来西亚籍）IC号码：")),
        _I("resident_id", "my_mykad", mykad(c, person), True),
    ]


def rid(c, labelled: bool) -> _I | None:
    if c.age >= 20 and c.chance(0.13):
        if c.chance(0.5):
            return _I("resident_id", "th_citizen_id", th_id(c, c.patient), labelled)
        return _I("resident_id", "my_mykad", mykad(c, c.patient), labelled)
    return None


def rid_labelled(c) -> list:
    if c.age >= 20 and c.chance(0.2):
        return foreign_id_line(c)
    return labelled_rid(
        c,
        {
            "th_citizen_id": ("泰国身份证号：", "（泰籍）身份证号码："),
            "my_mykad": ("MyKad No. ", "马来西亚身份证（MyKad）："),
        },
    )


# -- dates of birth ----------------------------------------------------------------------------


def buddhist(c, d) -> str:
    """The birth date in the Thai Buddhist era (year + 543), as a Thai document prints it."""
    y = d.year + 543
    return c.pick(
        (f"佛历{y}年{d.month}月{d.day}日", f"{d.day}/{d.month}/{y}", f"{d.day:02d}/{d.month:02d}/B.E.{y}")
    )


def spaced_slash(c, d) -> str:
    """A date typed into a PDF form field with spaces around the slashes: 1956 / 03 / 07."""
    return c.pick((f"{d.year} / {d.month:02d} / {d.day:02d}", f"{d.year} / {d.month} / {d.day}"))


def dob(c, labelled: bool, person: _Person) -> _I | None:
    d = person.dob
    if d is None:
        return None
    r = c.rng.random()
    if r < 0.12:
        return _I("date_of_birth", "buddhist_era", buddhist(c, d), labelled)
    if r < 0.3:
        return _I("date_of_birth", "spaced_slash", spaced_slash(c, d), labelled)
    return None


def dob_labelled(c) -> list:
    return labelled_dob(
        c,
        {
            "buddhist_era": ("出生日期：", "生日："),
            "spaced_slash": ("DOB: ", "出生日期：", "出生日期 / DOB："),
        },
    )


# -- phones --------------------------------------------------------------------------------------


def my_mobile(c, person: _Person) -> str:
    """A Malaysian mobile written locally: 012-345 6789, 011-2345 6789 (no +60)."""
    if "h11_mym" not in person.cache:
        pre = c.pick(("012", "013", "016", "017", "019", "011"))
        body = _digits(c.rng, 8 if pre == "011" else 7)
        person.cache["h11_mym"] = c.pick((f"{pre}-{body[:-4]} {body[-4:]}", f"{pre}-{body}", pre + body))
    return person.cache["h11_mym"]


def th_mobile(c, person: _Person) -> str:
    """A Thai mobile written locally: 081-234-5678 (10 digits on 06 / 08 / 09, no +66)."""
    if "h11_thm" not in person.cache:
        n = "0" + c.pick("689") + _digits(c.rng, 8)
        person.cache["h11_thm"] = f"{n[:3]}-{n[3:6]}-{n[6:]}"
    return person.cache["h11_thm"]


def foreign_phone(c, person: _Person, labelled: bool = True) -> _I:
    if c.chance(0.5):
        return _I("phone", "my_mobile_local", my_mobile(c, person), labelled)
    return _I("phone", "th_mobile_local", th_mobile(c, person), labelled)


def foreign_phone_line(c, person: _Person) -> list:
    v = foreign_phone(c, person)
    if v.form == "my_mobile_local":
        return [c.pick(("马来西亚手机：", "大马电话 ", "（马来西亚）手机 ")), v]
    return [c.pick(("泰国手机：", "泰国电话 ", "（泰国）手机 ")), v]


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    if person is c.patient:
        return None
    if c.chance(0.3):  # a relative or a spouse's family in Malaysia or Thailand
        return foreign_phone(c, person, labelled)
    return None


# -- cards, record numbers ---------------------------------------------------------------------


def ltc_no(c) -> str:
    """A 长护险 needs-assessment number (PG + district code + year + serial; layout synthetic)."""
    p = c.patient
    if "h11_ltc" not in p.cache:
        p.cache["h11_ltc"] = f"PG{c.pick(ind._SH_AREA_CODES)}{c.visit.year}{_digits(c.rng, 6)}"
    return p.cache["h11_ltc"]


def psych_no(c) -> str:
    """A patient's number in the 严重精神障碍 management system (district code + 10 digits; synthetic)."""
    p = c.patient
    if "h11_psy" not in p.cache:
        p.cache["h11_psy"] = c.pick(ind._SH_AREA_CODES) + _digits(c.rng, 10)
    return p.cache["h11_psy"]


def card_line(c, form: str | None = None, labelled: bool = True) -> list:
    form = form or c.pick(HELDOUT11_ONLY["card_number"])
    if form == "ltc_assessment_no":
        span = _I("card_number", form, ltc_no(c), labelled)
        label = c.pick(("长护险评估编号：", "评估申请号 ", "长护险受理号："))
    else:
        span = _I("card_number", form, psych_no(c), labelled)
        label = c.pick(("精防管理编号：", "严重精神障碍患者编号 ", "精防系统编号："))
    return [label, span] if labelled else [span]


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    if forms is None:
        if c.chance(0.12):
            return card_line(c, None, labelled)
        return c.pick(ind._SHARED_FORMS["card_number"])
    form = c.pick(forms)
    if form in HELDOUT11_ONLY["card_number"]:
        return card_line(c, form, labelled)
    return form


def er_obs(c) -> str:
    p = c.patient
    if "h11_lg" not in p.cache:
        p.cache["h11_lg"] = f"LG{c.visit:%Y}{_digits(c.rng, 5)}"
    return p.cache["h11_lg"]


def wristband(c) -> str:
    p = c.patient
    if "h11_jz" not in p.cache:
        p.cache["h11_jz"] = f"JZ{c.visit:%y%m%d}{_digits(c.rng, 4)}"
    return p.cache["h11_jz"]


def rec_line(c, form: str | None = None) -> list:
    form = form or c.pick(HELDOUT11_ONLY["hospital_record_no"])
    if form == "er_obs_no":
        return [
            c.pick(("留观号：", "急诊留观号 ", "留观病历号：")),
            _I("hospital_record_no", form, er_obs(c), True),
        ]
    return [
        c.pick(("腕带号：", "急诊腕带 ", "腕带条码：")),
        _I("hospital_record_no", form, wristband(c), True),
    ]


def rec(c, labelled: bool) -> list | None:
    if labelled and c.chance(0.26):
        return rec_line(c)
    return None


# -- bank accounts, e-mail, other contacts -------------------------------------------------------


def maybank(c, person: _Person) -> str:
    """A Maybank savings account (12 digits), whole or in fours."""
    if "h11_mb" not in person.cache:
        n = c.pick(("114", "514", "162", "564")) + _digits(c.rng, 9)
        person.cache["h11_mb"] = n if c.chance(0.5) else f"{n[:4]} {n[4:8]} {n[8:]}"
    return person.cache["h11_mb"]


def th_bank(c, person: _Person) -> str:
    """A Thai bank account (10 digits, printed xxx-x-xxxxx-x)."""
    if "h11_tb" not in person.cache:
        n = _digits(c.rng, 10, True)
        person.cache["h11_tb"] = f"{n[:3]}-{n[3]}-{n[4:9]}-{n[9]}"
    return person.cache["h11_tb"]


def foreign_bank_line(c, person: _Person) -> list:
    if c.chance(0.5):
        return [
            c.pick(("Maybank 账号：", "马来亚银行 Maybank ", "Maybank A/C ")),
            _I("bank_card", "maybank_account", maybank(c, person), True),
        ]
    return [
        c.pick(("泰国开泰银行 KBank 账号：", "KBank A/C ", "泰国银行账户 ")),
        _I("bank_card", "th_bank_account", th_bank(c, person), True),
    ]


def bank(c, labelled: bool) -> _I | None:
    if c.chance(0.1):
        rel = c.patient
        if c.chance(0.5):
            return _I("bank_card", "maybank_account", maybank(c, rel), labelled)
        return _I("bank_card", "th_bank_account", th_bank(c, rel), labelled)
    return None


_MAIL = ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "139.com")
_EDU_MY = ("siswa.um.edu.my", "student.usm.my", "graduate.utm.my", "student.upm.edu.my")


def hyphen_mail(c) -> str:
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    local = c.pick((f"{a}-{b}", f"{a}-{b}{c.rng.randrange(60, 99)}", f"{a}{b}-{c.rng.randrange(1960, 2005)}"))
    return local + "@" + c.pick(_MAIL)


def edu_my(c) -> str:
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    local = c.pick((f"{a}{b}{c.rng.randrange(10, 99)}", f"s{_digits(c.rng, 7)}", f"{a}.{b}"))
    return local + "@" + c.pick(_EDU_MY)


def email(c, labelled: bool) -> _I | None:
    r = c.rng.random()
    if r < 0.1:
        return _I("email", "hyphen_local", hyphen_mail(c), labelled)
    if r < 0.18:
        return _I("email", "edu_my", edu_my(c), labelled)
    return None


def mail_line(c) -> list:
    if c.chance(0.35):
        return ["电子邮箱：", c.email(True)]
    if c.chance(0.55):
        return [
            c.pick(("邮箱：", "E-mail：", "电子邮箱：")),
            _I("email", "hyphen_local", hyphen_mail(c), True),
        ]
    return [
        c.pick(("留学生邮箱：", "（子女在马来西亚读书）邮箱 ", "学校邮箱：")),
        _I("email", "edu_my", edu_my(c), True),
    ]


def own_contact(c, person: _Person, form: str, labelled: bool = True) -> list:
    key = "h11_" + form
    if key not in person.cache:
        rng = c.rng
        a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
        if form == "bilibili_uid":
            person.cache[key] = _digits(rng, c.pick((8, 9, 10)), True)
        else:
            person.cache[key] = c.pick((f"{a}{b}.{_digits(rng, 2)}", f"{a}_{b}.{_digits(rng, 2)}"))
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "bilibili_uid":
        return [c.pick(("B站UID：", "哔哩哔哩UID ", "B站账号UID：")), span]
    return [c.pick(("Signal：", "Signal用户名 ", "Signal账号：")), span]


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    person = person or c.patient
    if not c.chance(0.3):
        return ind._h2_contact(c, person, labelled)
    return own_contact(c, person, c.pick(HELDOUT11_ONLY["other_contact"]), labelled)


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout11"] = {
    "徐汇区": ("宜州路",),
    "普陀区": ("真金路", "怒江路"),
    "虹口区": ("车站南路",),
    "闵行区": ("古美西路", "新郁路", "东兰路"),
}
ind._NEW_VILLAGES["heldout11"] = (
    ("普陀区", "长风四村"),
    ("普陀区", "甘泉二村"),
    ("长宁区", "华阳新村"),
    ("虹口区", "玉田新村"),
    ("虹口区", "运光新村"),
)
ind._VILLAGES["heldout11"] = (
    ("奉贤区", "庄行镇", "存古村"),
    ("金山区", "枫泾镇", "中洪村"),
    ("嘉定区", "华亭镇", "联一村"),
    ("崇明区", "竖新镇", "向阳村"),
    ("青浦区", "朱家角镇", "沈巷村"),
    ("浦东新区", "航头镇", "牌楼村"),
)
ind._OUT_OF_TOWN["heldout11"] = (
    ("江苏省盐城市东台市", "东台镇", "望海西路"),
    ("安徽省阜阳市临泉县", "城关街道", "颍州中路"),
    ("浙江省湖州市长兴县", "雉城街道", "明珠路"),
)

_MY_PLACES = (
    ("Jalan Ipoh", "51200", "Kuala Lumpur"),
    ("Jalan SS 2/24", "47300", "Petaling Jaya"),
    ("Jalan Tebrau", "80300", "Johor Bahru"),
    ("Lebuh Chulia", "10200", "George Town"),
    ("Jalan Sultan Idris Shah", "30000", "Ipoh"),
)
_SHOPS = ("水果店", "修车铺", "小吃店", "五金店", "理发店", "杂货店")


def address11(c, labelled: bool, form: str | None = None) -> _I:
    form = form or c.pick(HELDOUT11_ONLY["address"])
    rng = c.rng
    if form == "malaysia_address":  # a relative's home in Malaysia, written as the Malaysians do
        street, postcode, city = c.pick(_MY_PLACES)
        v = c.pick(
            (
                f"No. {rng.randrange(1, 200)}, {street}, {postcode} {city}",
                f"{rng.randrange(1, 200)}, {street}, {postcode} {city}, Malaysia",
            )
        )
    else:  # living behind or above the family shop: the shopfront is the address
        streets = ind._STREETS["heldout11"]
        district = c.pick(list(streets))
        road = c.pick(streets[district])
        head = c.pick(("", district, "上海市" + district))
        v = f"{head}{road}{rng.randrange(1, 900)}号{c.pick(('门面', '底楼门面', '门面房'))}（{c.pick(_SHOPS)}）"
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if c.style in HELDOUT11_ONLY["style"] and c.chance(0.15):
        return address11(c, labelled, "shopfront_home")
    if c.chance(0.07):
        return address11(c, labelled, c.pick(("malaysia_address", "malaysia_address", "shopfront_home")))
    return None


# -- decoys --------------------------------------------------------------------------------------


def gcs(c) -> list:
    e, v, m = c.rng.randrange(1, 5), c.rng.randrange(1, 6), c.rng.randrange(1, 7)
    return [f"GCS {e + v + m}分（", _D("gcs_eve", f"E{e}V{v}M{m}"), "）"]


def joules(c) -> list:
    return [
        c.pick(("予非同步电除颤", "予电除颤", "双相波除颤")),
        _D("defib_joules", f"{c.pick((150, 200, 200, 360))}J"),
        "一次",
    ]


_CN_GRADE = "一二三四五六七八九十"


def injury(c) -> _D:
    return _D("injury_grade", f"{c.pick(_CN_GRADE)}级伤残")


def risk(c) -> list:
    return ["危险性评估：", _D("risk_level", f"{c.rng.randrange(0, 6)}级")]


def care(c) -> list:
    return ["评估结论：", _D("care_grade", f"照护{c.pick('二三四五六')}级")]


def alcohol(c) -> list:
    return ["血液酒精含量 ", _D("blood_alcohol", f"{c.rng.randrange(12, 260)}mg/100ml")]


# -- styles --------------------------------------------------------------------------------------


def _s_er_rescue_record(c) -> None:
    d = c.d
    doc, nurse = c.staff(), c.staff()
    rel, relation = c.relative()
    d.put("急诊抢救记录  ")
    d.put(c.facility())
    d.put("\n")
    d.put(rec_line(c))
    d.put("  ")
    d.put(
        c.pname(True) if c.chance(0.7) else ["无名氏（身份待查），后经", *officer(c), "核实为", c.pname(True)]
    )
    d.put(["  ", c.patient.sex, "  ", c.age_decoy()])
    d.f("\n{dt} 由120送入抢救室，", dt=c.date_decoy())
    d.put(gcs(c))
    d.put("，")
    d.put(c.vitals("PB"))
    d.put("\n室颤，")
    d.put(joules(c))
    d.put("，予")
    d.put(c.drug())
    d.put("\n抢救医生：")
    d.put(c.name(doc, "doctor", True))
    d.put("  护士：")
    d.put(c.name(nurse, "nurse", True))
    d.f("\n{rel}", rel=relation)
    d.put(c.name(rel, "relative", True))
    d.put(" ")
    d.put(c.phone(rel, False))
    d.put(" 到场，知情同意书由")
    d.put(proxy(c, rel) if c.chance(0.6) else fingerprint(c, rel))


def _s_psych_followup(c) -> None:
    d = c.d
    doc = c.staff()
    rel, relation = c.relative()
    d.put("严重精神障碍患者 随访服务记录表（社区精防）\n姓名：")
    d.put(c.pname(True))
    d.put("  ")
    d.put(card_line(c, "mental_registry_no"))
    d.put("\n")
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.dob_labelled())
    d.put("\n")
    d.put(risk(c))
    d.put("  服药依从性：间断  予")
    d.put(c.drug())
    d.put("\n监护人：")
    d.put(c.name(rel, "relative", True))
    d.f("（{rel}）", rel=relation)
    d.put(c.phone_labelled(rel))
    d.put("\n居住地址：")
    d.put(address11(c, True, "shopfront_home") if c.chance(0.35) else c.address(True))
    d.put("\n联合随访：")
    d.put(officer(c, roles=("社区民警", "派出所民警")))
    d.put("  精防医生：")
    d.put(c.name(doc, "doctor", True))
    d.put("\n监护人签字：")
    d.put(fingerprint(c, rel) if c.chance(0.4) else proxy(c, rel))


def _s_traffic_claim(c) -> None:
    d = c.d
    d.put("道路交通事故 医疗费用赔案  交强险/商业三者险\n伤者：")
    d.put(c.pname(True))
    d.put("  ")
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.dob_labelled())
    d.put("\n事故认定：")
    d.put(officer(c, roles=("交警",)))
    d.put("出具，对方驾驶人")
    d.put(alcohol(c))
    d.put("\n")
    d.put(c.rec(True))
    d.f("  诊断：{dx}  ", dx=c.dx()[0])
    d.put("伤残鉴定：")
    d.put(injury(c))
    d.f("\n医疗费 {a}  误工费 {b}  ", a=c.amount(2000, 90000), b=c.amount(500, 30000))
    d.put(c.invoice())
    d.put("\n")
    d.put("收款账户：")
    if c.chance(0.35):
        rel, relation = c.relative()
        d.f("{r}（{rel}，在马来西亚/泰国）", r=c.name(rel, "relative", True), rel=relation)
        d.put(foreign_bank_line(c, rel))
    else:
        d.put(c.bank(True))
    d.put("\n联系电话：")
    d.put(c.phone(None, True))
    d.put("  申请人：")
    d.put(proxy(c, c.relative()[0]) if c.chance(0.5) else c.pname(True))


def _s_ltc_assessment(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.put("上海市老年照护统一需求评估 调查表（长护险）\n申请人：")
    d.put(c.pname(True))
    d.put(["  ", c.patient.sex, "  "])
    d.put(c.dob_labelled())
    d.put("\n")
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(card_line(c, "ltc_assessment_no"))
    d.put("  ")
    d.put(c.card(True))
    d.put("\n居住地址：")
    d.put(address11(c, True, "shopfront_home") if c.chance(0.35) else c.address(True))
    d.put("\n")
    d.put(care(c))
    d.put("  ")
    d.put(c.vitals("B"))
    d.f("\n代理人：{r}（{rel}）", r=c.name(rel, "relative", True), rel=relation)
    if c.chance(0.4):
        d.put(foreign_phone_line(c, rel))
    else:
        d.put(c.phone(rel, False))
    d.put("\n评估员：")
    d.put(c.name(c.staff(), "nurse", True))
    d.put("  申请人签字：")
    d.put(fingerprint(c, c.patient) if c.chance(0.5) else proxy(c, rel))


ind._STYLE_FUNCS.update(
    {
        "er_rescue_record": _s_er_rescue_record,
        "psych_followup": _s_psych_followup,
        "traffic_claim": _s_traffic_claim,
        "ltc_assessment": _s_ltc_assessment,
    }
)


# -- lines clinicians append -------------------------------------------------------------------


def _proxy_line(c) -> list:
    rel, relation = c.relative()
    return [c.pick(("知情同意书：", "病危通知书签收：", "家属签字：")), *proxy(c, rel), f"（{relation}）"]


def _print_line(c) -> list:
    who = c.patient if c.chance(0.5) else c.relative()[0]
    return [c.pick(("签名：", "本人签字：", "签收：")), *fingerprint(c, who)]


def _officer_line(c) -> list:
    return [c.pick(("由", "陪同：", "报警后")), *officer(c), c.pick(("护送来院", "到场", "协助送医"))]


def _foreign_rel(c) -> list:
    rel, relation = c.relative()
    r = c.rng.random()
    head = [f"{relation}", c.name(rel, "relative", True), " "]
    if r < 0.4:
        return [*head, *foreign_phone_line(c, rel)]
    if r < 0.75:
        return [*head, *foreign_id_line(c, rel)]
    return [*head, "汇款：", *foreign_bank_line(c, rel)]


def _dob11(c) -> list:
    d = c.patient.dob
    if c.chance(0.4):
        return [c.pick(("出生日期：", "生日：")), _I("date_of_birth", "buddhist_era", buddhist(c, d), True)]
    return [c.pick(("DOB: ", "出生日期：")), _I("date_of_birth", "spaced_slash", spaced_slash(c, d), True)]


ind._EXTRAS.update(
    {
        "proxy11": _proxy_line,
        "proxy11b": _proxy_line,
        "proxy11c": _proxy_line,
        "print11": _print_line,
        "print11b": _print_line,
        "print11c": _print_line,
        "officer11": _officer_line,
        "officer11b": _officer_line,
        "officer11c": _officer_line,
        "foreign11": _foreign_rel,
        "foreign11b": _foreign_rel,
        "dob11": _dob11,
        "rid11": lambda c: foreign_id_line(c),
        "card11": lambda c: card_line(c),
        "rec11": rec_line,
        "addr11": lambda c: (
            [c.pick(("现住址：", "联系地址：", "亲属地址：")), address11(c, True)]
            if c.chance(0.5)
            else c.addr_labelled()
        ),
        "mail11": mail_line,
        "wx11": lambda c: ["家属联系：", *contact(c, c.relative()[0])],
        "wx11b": lambda c: [
            c.pick(("患者自述", "子女")),
            *(
                own_contact(c, c.relative()[0], c.pick(HELDOUT11_ONLY["other_contact"]))
                if c.chance(0.6)
                else ind._h2_contact(c, c.relative()[0], True)
            ),
        ],
        "mail11b": lambda c: [c.pick(("邮箱：", "E-mail：")), c.email(True)],
        "proxy11d": _proxy_line,
        "print11d": _print_line,
        "print11e": _print_line,
        "officer11e": _officer_line,
        "officer11d": _officer_line,
        "gcs11": gcs,
        "joule11": joules,
        "badge11": lambda c: ["出警民警警号 ", badge(c)],
        "injury11": lambda c: ["伤残等级：", injury(c)],
        "risk11": risk,
        "care11": care,
        "alcohol11": alcohol,
    }
)
ind._EXTRA_KIND.update(
    {
        "proxy11": "",
        "proxy11b": "",
        "proxy11c": "",
        "print11": "",
        "print11b": "",
        "print11c": "",
        "officer11": "",
        "officer11b": "",
        "officer11c": "",
        "foreign11": "",
        "foreign11b": "",
        "dob11": "date_of_birth",
        "rid11": "resident_id",
        "card11": "card_number",
        "rec11": "hospital_record_no",
        "addr11": "address",
        "mail11": "email",
        "wx11": "other_contact",
        "wx11b": "other_contact",
        "mail11b": "email",
        "proxy11d": "",
        "print11d": "",
        "print11e": "",
        "officer11e": "",
        "officer11d": "",
    }
)
ID_EXTRAS = ind._ID_EXTRAS + (
    "proxy11", "proxy11b", "proxy11c", "print11", "print11b", "print11c", "officer11", "officer11b",
    "officer11c", "foreign11", "foreign11b", "dob11", "rid11", "card11", "rec11", "addr11", "mail11",
    "contact", "wx11", "wx11b", "mail11b", "proxy11d", "print11d", "officer11d", "print11e", "officer11e",
)  # fmt: skip
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "gcs11", "joule11", "badge11", "injury11", "risk11", "care11", "alcohol11",
)  # fmt: skip

# -- registration --------------------------------------------------------------------------------

register("heldout11", sys.modules[__name__], HELDOUT11_ONLY, HELDOUT11_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT11_DECOY_KINDS",
    "HELDOUT11_ONLY",
    "KINDS",
    "mykad",
    "pools",
    "th_check",
]
