"""The ninth held-out split of the independent corpus, ``heldout9`` (see ``independent.py``).

# =============================================================================================
# heldout9 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT9.md) describes what the ninth held-out split tests; knowing it turns
# the split into another development set, as happened to heldout … heldout8.
# independent.py calls in here only through the hooks registered for "heldout9" (_HOOKS).
# =============================================================================================

heldout9 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev and heldout … heldout8; its name, street and village pools are disjoint
from all nine. ``other_contact`` keeps heldout2's forms as its baseline. The theme is paperwork
written outside the hospital ward or at its counters: implant cards, the rabies (犬伤) clinic,
family sickbeds (家庭病床) run by community health centres, social-security card replacement,
2022 nucleic-acid sampling registers and retail-pharmacy receipts with their POS slips. It was
written by someone who has not read the de-identifier (privacy/deid/) or its documentation.
"""

from __future__ import annotations

import sys
from datetime import date

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
from bench.deid_eval.independent import _D, _I, _digits, _full_id, _luhn_complete, _Person, _Pools

HELDOUT9_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("job_no_adjacent", "glued_sex_age", "surname_baby"),
    "resident_id": ("kr_alien_reg_no", "fullwidth_x_only"),
    "phone": ("vnet_short_no", "jp_kr_mobile_local"),
    "card_number": ("assistance_cert_no",),
    "hospital_record_no": ("home_bed_no", "ocr_stray_space"),
    "date_of_birth": ("with_weekday", "ocr_stray_space"),
    "bank_card": ("us_bank_account", "discover"),
    "address": ("poi_bracketed", "ocr_stray_space"),
    "email": ("birthdate_local", "student_numeric"),
    "other_contact": ("alipay_uid", "telegram_handle"),
    "style": (
        "implant_card",
        "rabies_clinic",
        "family_bed",
        "sscard_replacement",
        "nat_sampling",
        "retail_pharmacy",
    ),
}
HELDOUT9_DECOY_KINDS = (
    "staff_job_no",
    "device_serial",
    "bank_routing_code",
    "pet_name",
    "vaccine_schedule",
    "venue_code",
    "pos_slip_no",
    "surname_like_town",
    "invoice_check_code",
    "ec_token",
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
)

# -- people ------------------------------------------------------------------------------------

# Every surname of the 百家姓 is in an earlier split's pools; these are real surnames outside it,
# most of them ordinary words (春, 星, 美, 真, 书 …)
_H9_SURNAMES = list(
    "琚承兆信宛卯虎英腾仵达绳开普骞初仪弥赤朗揣刀布买依首春冬紫青禾风雨星光亮美善真礼智仁勇顺忠孝书琴诗"
)
_H9_GIVEN_M = (
    "鼎臣 汝霖 梦麟 孟超 子昂 伯驹 寿昌 济川 润之 景贤 朝宗 翰章 筱斋 颂平 昭文 锡九 觐光 永言 静斋 晋卿 "
    "尚志 雨农 梓材 继曾 绍虞 甘棠 南星 朗轩 若愚 凤池 耕云 伯苓 墨卿 石渠 少川 孟邻 稼轩 放翁"
).split()
_H9_GIVEN_F = (
    "芷兰 素馨 婉贞 秀峨 咏絮 清照 新月 冰心 海棠 月笙 绮梅 兰亭 蔓菁 湘君 素秋 莲溪 疏影 暗香 绿萼 晓镜 "
    "眉妩 碧梧 芳洲 菱花 采莲 荷衣 凝霜 青萝 如梦 沁芳 灵均 玉簪 碧箫 锦瑟 晴川 霓裳"
).split()
_H9_RARE = ("黾", "芈", "妫", "嬴", "姒", "邛", "祭", "蒉")
_H9_COMPOUND = ("完颜", "北宫", "公仪", "褚师", "东里", "南郭", "公乘", "阳佟")
_H9_WORD_LIKE = (
    ("春", "风"),
    ("青", "春"),
    ("美", "好"),
    ("真", "诚"),
    ("忠", "诚"),
    ("勇", "敢"),
    ("紫", "薇"),
    ("星", "辰"),
    ("善", "良"),
)

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER, _H9_SURNAMES, _H9_GIVEN_M, _H9_GIVEN_F, _H9_RARE, _H9_COMPOUND, _H9_WORD_LIKE
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


def job_no(c, person: _Person) -> _D:
    """A staff member's 工号 (the HIS log-in number), the same for the person within a note."""
    if "h9_job" not in person.cache:
        rng = c.rng
        person.cache["h9_job"] = c.pick(
            (
                _digits(rng, 4, True),
                "0" + _digits(rng, 3, True),
                _digits(rng, 5, True),
                c.pick("ABDHN") + _digits(rng, 4),
            )
        )
    return _D("staff_job_no", person.cache["h9_job"])


def staff_sig(c, person: _Person | None = None) -> list:
    """A staff signature as HIS print-outs and counters write it: 工号 glued before the name, or in
    brackets after it (the name is the span; the number is a decoy)."""
    person = person or c.staff()
    v = _I("person_name", "job_no_adjacent", person.full, True)
    no = job_no(c, person)
    return c.pick(([no, v], [v, "[", no, "]"], [v, "（工号", no, "）"], [v, "(", no, ")"]))


def _age_of(c, person: _Person) -> _D:
    if person is c.patient:
        return c.age_decoy()
    if "h9_age" not in person.cache:
        person.cache["h9_age"] = c.rng.randrange(24, 80)
    return _D("age", f"{person.cache['h9_age']}岁")


def glued(c, person: _Person, labelled: bool = True) -> list:
    """Name, sex and age run together as a register or a till prints them: 冒伯安男68岁."""
    age = _age_of(c, person)
    v = _I("person_name", "glued_sex_age", person.full, labelled)
    return [v, person.sex, age] if c.chance(0.7) else [v, person.sex, " ", age]


def baby(c, person: _Person, labelled: bool = False) -> list:
    """A small child called by the surname and 宝宝 / 小宝 / 囡囡 (span = the surname)."""
    suffix = c.pick(("宝宝", "宝宝", "小宝")) if person.sex == "男" else c.pick(("宝宝", "囡囡", "小宝"))
    return [_I("person_name", "surname_baby", person.surname, labelled), suffix]


def child_of(c, parent: _Person) -> _Person:
    kid = c.new_person(sex=c.pick("男女"), role="relative")
    if parent.kind == "ordinary" and kid.kind == "ordinary":
        kid.surname = parent.surname
    kid.cache["h9_age"] = c.rng.randrange(1, 6)
    return kid


# -- resident IDs, travel permits --------------------------------------------------------------


def fullwidth_x(p: _Person) -> str | None:
    """The ID in ASCII digits with only its check character typed as a fullwidth Ｘ."""
    full = _full_id(p)
    return full[:-1] + "Ｘ" if full.endswith("X") else None


_KR_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def kr_check(body12: str) -> str:
    """The check digit of a Korean registration number: (11 - sum of digits × 2 … 9, 2 … 5 mod 11) mod 10."""
    return str((11 - sum(int(x) * w for x, w in zip(body12, _KR_WEIGHTS, strict=True)) % 11) % 10)


def kr_reg_no(c, person: _Person) -> str:
    """A Korean 외국인등록번호 (alien registration number) of a Chinese citizen working in Korea: the
    birth date yymmdd, then 5 / 6 (foreign man / woman born in the 1900s) or 7 / 8 (born from 2000),
    four digits, a serial digit and the check digit: ``560307-5123456``."""
    if "h9_kr" not in person.cache:
        d = person.dob
        g = (5 if person.sex == "男" else 6) + (2 if d.year >= 2000 else 0)
        body = d.strftime("%y%m%d") + str(g) + _digits(c.rng, 5)
        person.cache["h9_kr"] = f"{body[:6]}-{body[6:]}{kr_check(body)}"
    return person.cache["h9_kr"]


def kr_line(c, person: _Person | None = None) -> list:
    person = person or c.patient
    label = c.pick(("在韩务工，外国人登录证号：", "韩国外国人登录证 ", "（在韩）登录证号码："))
    return [label, _I("resident_id", "kr_alien_reg_no", kr_reg_no(c, person), True)]


def rid(c, labelled: bool) -> _I | None:
    v = fullwidth_x(c.patient)
    if v is not None and c.chance(0.45):
        return _I("resident_id", "fullwidth_x_only", v, labelled)
    return None


def rid_labelled(c) -> list:
    if c.age >= 18 and c.chance(0.14):
        return kr_line(c)
    return labelled_rid(c, {"fullwidth_x_only": ("身份证号：", "公民身份号码：", "身份证 ")})


# -- dates of birth ----------------------------------------------------------------------------

_WEEK = "一二三四五六日"


def with_weekday(d: date, c) -> str:
    """A date picker's output with the day of the week: 1956-03-07 星期三."""
    w = _WEEK[d.weekday()]
    return c.pick(
        (
            f"{d.isoformat()} 星期{w}",
            f"{d.isoformat()}(周{w})",
            f"{d.year}年{d.month:02d}月{d.day:02d}日 周{w}",
            f"{d.year}年{d.month}月{d.day}日（星期{w}）",
        )
    )


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def stray_space(c, s: str) -> str:
    """``s`` with one space put in where a scanner's OCR split it (never at either end, never next
    to a space)."""
    cuts = [
        i
        for i in range(1, len(s))
        if s[i - 1] != " "
        and s[i] != " "
        and not (_is_cjk(s[i - 1]) != _is_cjk(s[i]) and (s[i - 1].isdigit() or s[i].isdigit()))
    ]
    i = c.pick(cuts)
    return s[:i] + " " + s[i:]


def dob_stray(d: date, c) -> str:
    base = c.pick((d.isoformat(), d.strftime("%Y.%m.%d"), d.strftime("%Y/%m/%d")))
    return stray_space(c, base)


_SCAN_STYLES = ("family_bed", "sscard_replacement", "implant_card", "consent", "discharge", "settlement")


def dob(c, labelled: bool, person: _Person) -> _I | None:
    d = person.dob
    if d is None:
        return None
    r = c.rng.random()
    if c.style in ("nat_sampling", "rabies_clinic", "retail_pharmacy") and r < 0.3:
        return _I("date_of_birth", "with_weekday", with_weekday(d, c), labelled)
    if c.style in _SCAN_STYLES and r < 0.3:
        return _I("date_of_birth", "ocr_stray_space", dob_stray(d, c), labelled)
    if r < 0.13:
        return _I("date_of_birth", "with_weekday", with_weekday(d, c), labelled)
    if r < 0.24:
        return _I("date_of_birth", "ocr_stray_space", dob_stray(d, c), labelled)
    return None


def dob_labelled(c) -> list:
    return labelled_dob(
        c, {"with_weekday": ("出生日期：", "生日："), "ocr_stray_space": ("出生日期：", "出生：")}
    )


# -- phones --------------------------------------------------------------------------------------


def short_no(c, person: _Person, labelled: bool = True) -> list:
    """A corporate / family V-net short number (集团短号, 亲情号): reaches the person from inside the group."""
    if "h9_short" not in person.cache:
        person.cache["h9_short"] = c.pick(("6", "6", "5", "7")) + _digits(c.rng, c.pick((5, 5, 4, 3)))
    v = _I("phone", "vnet_short_no", person.cache["h9_short"], labelled)
    return [c.pick(("短号：", "集团短号 ", "亲情号：", "单位短号 ")), v] if labelled else [v]


_JP_KR = ("jp", "jp", "kr")


def jp_kr_mobile(c, person: _Person) -> str:
    """A mobile in Japan (070 / 080 / 090) or Korea (010) written the local way, without +81 / +82."""
    if "h9_jpkr" not in person.cache:
        rng = c.rng
        where = c.pick(_JP_KR)
        head = c.pick(("090", "080", "070")) if where == "jp" else "010"
        a, b = _digits(rng, 4, True), _digits(rng, 4)
        person.cache["h9_jpkr"] = (where, c.pick((f"{head}-{a}-{b}", f"{head} {a} {b}", f"{head}{a}{b}")))
    return person.cache["h9_jpkr"]


def abroad_phone(c, person: _Person) -> list:
    where, v = jp_kr_mobile(c, person)
    return [
        "日本手机：" if where == "jp" else c.pick(("韩国手机：", "韩国电话 ")),
        _I("phone", "jp_kr_mobile_local", v, True),
    ]


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    if person is c.patient:
        return None  # dev's
    r = c.rng.random()
    if r < 0.12:  # a relative at a large employer gives the group short number
        return _I("phone", "vnet_short_no", short_no(c, person, False)[0].value, labelled)
    if r < 0.2:  # a relative living in Japan or Korea
        return _I("phone", "jp_kr_mobile_local", jp_kr_mobile(c, person)[1], labelled)
    return None


# -- cards, record numbers ---------------------------------------------------------------------

_AID = {"DB": "低保证号：", "TK": "特困人员救助供养证号：", "DS": "低收入家庭认定证号："}


def assistance(c) -> list:
    """The number of a 医疗救助 entitlement certificate (低保 / 特困 / 低收入; synthetic layout:
    two letters + the issuing county's code + 6 digits)."""
    p = c.patient
    if "h9_aid" not in p.cache:
        kind = c.pick(("DB", "DB", "TK", "DS"))
        area = p.area if p.area.startswith("31") else c.pick(ind._SH_AREA_CODES)
        p.cache["h9_aid"] = (kind, f"{kind}{area}{_digits(c.rng, 6)}")
    kind, v = p.cache["h9_aid"]
    return [_AID[kind], _I("card_number", "assistance_cert_no", v, True)]


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    if forms is None:
        if labelled and c.chance(0.24):
            return assistance(c)
        return c.pick(ind._SHARED_FORMS["card_number"])
    form = c.pick(forms)
    if form == "assistance_cert_no":
        return assistance(c)
    return form


def _rec_digits(c) -> str:
    return c.patient.cache.setdefault(
        "rec_inpatient_no", _digits(c.rng, c.pick((6, 7, 8)), first_nonzero=True)
    )


def home_bed_no(c) -> str:
    """A 家庭病床 建床号 as the centre's register numbers it (synthetic layout: the year, 家床 and a
    serial, the Chinese characters inside the number)."""
    p = c.patient
    if "h9_bed" not in p.cache:
        y = c.visit.year
        p.cache["h9_bed"] = c.pick(
            (
                f"{y}家床{_digits(c.rng, 4)}",
                f"家床{y}-{_digits(c.rng, 3)}",
                f"{y % 100}家床{_digits(c.rng, 4)}",
            )
        )
    return p.cache["h9_bed"]


def bed_line(c) -> list:
    return [
        c.pick(("建床号：", "家床号 ", "家庭病床号：")),
        _I("hospital_record_no", "home_bed_no", home_bed_no(c), True),
    ]


def scan_rec(c) -> list:
    return [
        c.pick(("住院号：", "病案号：", "住院号 ")),
        _I("hospital_record_no", "ocr_stray_space", stray_space(c, _rec_digits(c)), True),
    ]


def rec(c, labelled: bool) -> list | None:
    if not labelled:
        return None
    if c.style in _SCAN_STYLES and c.chance(0.35):
        return scan_rec(c)
    if c.chance(0.12):
        return scan_rec(c)
    return None


# -- bank accounts, e-mail, other contacts -------------------------------------------------------


def discover(c, labelled: bool = True) -> _I:
    """A Discover card: 16 digits on 6011 / 644–649 / 65, Luhn, whole or in fours."""
    bin_ = c.pick(("6011", "6011", "644", "647", "649", "65"))
    num = _luhn_complete(bin_ + _digits(c.rng, 15 - len(bin_)))
    return _I(
        "bank_card", "discover", c.pick((num, " ".join(num[i : i + 4] for i in range(0, 16, 4)))), labelled
    )


def aba_routing(c) -> str:
    """A 9-digit ABA routing number with its check digit (weights 3 7 1)."""
    body = c.pick(("0210", "0260", "1210", "0110", "0710", "3222")) + _digits(c.rng, 4)
    w = (3, 7, 1, 3, 7, 1, 3, 7)
    chk = (10 - sum(int(x) * k for x, k in zip(body, w, strict=True)) % 10) % 10
    return body + str(chk)


_SWIFT = ("BKCHCNBJ300", "ICBKCNBJSHI", "PCBCCNBJSHX", "ABOCCNBJ090", "CMBCCNBS", "BOFAUS3N", "CHASUS33",
          "HSBCHKHHHKH", "MHCBJPJT", "SMBCJPJT", "CITIUS33")  # fmt: skip


def routing(c, usa: bool = False) -> list:
    if usa or c.chance(0.4):
        return [c.pick(("Routing No. ", "ABA ", "汇款路线号 ")), _D("bank_routing_code", aba_routing(c))]
    return [c.pick(("SWIFT：", "SWIFT Code ", "BIC ")), _D("bank_routing_code", c.pick(_SWIFT))]


def us_account(c) -> list:
    """A relative's US checking account: the routing number (the bank's, a decoy), then the account."""
    acct = _digits(c.rng, c.pick((9, 10, 12)), True)
    return [
        *routing(c, usa=True),
        c.pick(("  Account No. ", "  账号 ", "  Acct# ")),
        _I("bank_card", "us_bank_account", acct, True),
    ]


def bank(c, labelled: bool) -> _I | None:
    if c.chance(0.1):
        return discover(c, labelled)
    return None


_MAIL = ("163.com", "126.com", "sina.com", "139.com", "sohu.com")
_STU = (
    "stu.fudan.edu.cn",
    "m.fudan.edu.cn",
    "stu.ecnu.edu.cn",
    "stu.shu.edu.cn",
    "stu.sufe.edu.cn",
    "mail.shufe.edu.cn",
)


def birthdate_mail(c, person: _Person | None = None) -> str:
    """A mailbox named by its owner's date of birth (many elderly users chose this)."""
    d = (person or c.patient).dob
    local = c.pick((d.strftime("%Y%m%d"), d.strftime("%y%m%d") + "a", d.strftime("%Y%m%d")))
    return f"{local}@{c.pick(_MAIL)}"


def student_mail(c) -> str:
    """A student mailbox: the student number (enrolment year + digits) at a university's student domain."""
    y = c.rng.randrange(2016, 2025)
    return f"{y}{_digits(c.rng, c.pick((5, 6, 7)))}@{c.pick(_STU)}"


def email(c, labelled: bool) -> _I | None:
    r = c.rng.random()
    if r < 0.09 and c.patient.dob is not None and c.age >= 45:
        return _I("email", "birthdate_local", birthdate_mail(c), labelled)
    if r < 0.25 and 17 <= c.age <= 30:
        return _I("email", "student_numeric", student_mail(c), labelled)
    return None


def mail_line(c) -> list:
    if c.chance(0.4):
        return ["电子邮箱：", c.email(True)]
    if c.age >= 45 and c.chance(0.45):
        return [
            c.pick(("电子邮箱：", "邮箱 ", "E-mail：")),
            _I("email", "birthdate_local", birthdate_mail(c), True),
        ]
    rel, relation = c.relative()
    if c.age >= 40:
        return [
            f"{relation}（在读）邮箱：",
            _I("email", "student_numeric", student_mail(c), True),
        ]
    if 17 <= c.age <= 30:
        return ["学校邮箱：", _I("email", "student_numeric", student_mail(c), True)]
    return ["电子邮箱：", c.email(True)]


def own_contact(c, person: _Person, form: str, labelled: bool = True) -> list:
    key = "h9_" + form
    if key not in person.cache:
        rng = c.rng
        if form == "alipay_uid":
            person.cache[key] = "2088" + _digits(rng, 12)
        else:
            a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
            handle = c.pick(
                (f"{a}{b}{rng.randrange(10, 99)}", f"{a}_{b}", f"{a}{b}_{rng.randrange(1960, 2005)}")
            )
            person.cache[key] = c.pick((f"@{handle}", f"t.me/{handle}", handle))
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "alipay_uid":
        return [c.pick(("支付宝用户号：", "支付宝UID ", "支付宝账户ID：")), span]
    return [c.pick(("Telegram：", "TG：", "Telegram ")), span]


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    person = person or c.patient
    if not c.chance(0.35):
        return ind._h2_contact(c, person, labelled)
    return own_contact(c, person, c.pick(HELDOUT9_ONLY["other_contact"]), labelled)


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout9"] = {
    "普陀区": ("梅岭北路", "中潭路"),
    "长宁区": ("安化路", "昭化路"),
    "徐汇区": ("东安路", "小木桥路"),
    "浦东新区": ("乳山路", "蓝村路"),
    "宝山区": ("泗塘路", "华灵路"),
    "虹口区": ("东宝兴路", "广灵四路"),
}
ind._NEW_VILLAGES["heldout9"] = (
    ("普陀区", "兰溪新村"),
    ("普陀区", "中潭小区"),
    ("浦东新区", "崂山五村"),
    ("徐汇区", "东安新村"),
    ("长宁区", "安化新村"),
    ("宝山区", "泗塘新村"),
)
ind._VILLAGES["heldout9"] = (
    ("嘉定区", "徐行镇", "伏虎村"),
    ("金山区", "山阳镇", "卫星村"),
    ("金山区", "朱泾镇", "待泾村"),
    ("金山区", "金山卫镇", "金卫村"),
    ("松江区", "新浜镇", "南杨村"),
    ("崇明区", "三星镇", "海洪村"),
)
ind._OUT_OF_TOWN["heldout9"] = (
    ("安徽省阜阳市临泉县", "城关镇", "迎宾大道"),
    ("安徽省阜阳市太和县", "城关镇", "细阳路"),
    ("河南省周口市沈丘县", "槐店镇", "槐园路"),
    ("四川省南充市营山县", "朗池镇", "正西街"),
)


def _addr_parts(c) -> tuple[str, str, int, int, int]:
    streets = ind._STREETS["heldout9"]
    district = c.pick(list(streets))
    rng = c.rng
    return district, c.pick(streets[district]), rng.randrange(1, 1500), rng.randrange(1, 40), rng.randrange(1, 24) * 100 + rng.randrange(1, 7)  # fmt: skip


def address9(c, labelled: bool, form: str | None = None) -> _I:
    form = form or c.pick(HELDOUT9_ONLY["address"])
    district, road, lane, bldg, room = _addr_parts(c)
    if form == "poi_bracketed":  # a map app's place: the estate, its road address in brackets
        dist, nv = c.pick(ind._NEW_VILLAGES["heldout9"])
        road = c.pick(ind._STREETS["heldout9"].get(dist, (road,)))
        open_, close = c.pick((("(", ")"), ("（", "）")))
        head = c.pick(("", dist, "上海市" + dist))
        v = c.pick(
            (
                f"{head}{nv}{open_}{road}{lane}弄{close}{bldg}号{room}室",
                f"{head}{nv}{open_}{road}{lane}弄{close}{bldg}号楼{room}",
                f"{head}{nv}{open_}{road}{lane}弄{close} {bldg}-{room}",
            )
        )
    else:  # a typed address read back from a scan with one stray space
        head = c.pick(("", district, "上海市" + district))
        v = stray_space(
            c,
            c.pick(
                (f"{head}{road}{lane}弄{bldg}号{room}室", f"{head}{road}{c.rng.randrange(1, 3000)}号{room}室")
            ),
        )
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if c.style in _SCAN_STYLES and c.chance(0.15):
        return address9(c, labelled, "ocr_stray_space")
    if c.chance(0.05):
        return address9(c, labelled)
    return None


# -- decoys --------------------------------------------------------------------------------------


def device_serial(c) -> list:
    """An implant's or a meter's serial number (SN), as printed on its card."""
    rng = c.rng
    v = c.pick(
        (
            c.pick(("PJN", "RVS", "NWR", "KDR", "BRZ")) + _digits(rng, 6) + c.pick("SGHK"),
            c.pick(("SN", "GM", "AC")) + _digits(rng, 7),
        )
    )
    return [c.pick(("SN ", "序列号：", "S/N ")), _D("device_serial", v)]


_PETS = ("旺财", "大黄", "小白", "花花", "咪咪", "黑子", "招财", "雪球", "可乐", "毛毛", "阿黄")


def pet(c) -> _D:
    return _D("pet_name", c.pick(_PETS))


def vaccine_schedule(c) -> _D:
    return _D("vaccine_schedule", c.pick(("0-3-7-14-28", "0-3-7-14", "2-1-1", "第0、3、7、14、28天")))


def venue_code(c) -> list:
    """A 场所码 (venue QR code) number from the 2022 sampling sites (synthetic layout: county code + 10 digits)."""
    return ["场所码编号 ", _D("venue_code", c.pick(ind._SH_AREA_CODES) + _digits(c.rng, 10))]


def pos_slip(c) -> list:
    """A POS slip's numbers: 商户号 (898 + 12), 终端号 (8), 凭证号 (6), 参考号 (12)."""
    rng = c.rng
    out: list = [
        "商户号 ",
        _D("pos_slip_no", "898310" + _digits(rng, 9)),
        " 终端号 ",
        _D("pos_slip_no", _digits(rng, 8)),
    ]
    if c.chance(0.6):
        out += [" 凭证号 ", _D("pos_slip_no", _digits(rng, 6))]
    out += [" 参考号 ", _D("pos_slip_no", _digits(rng, 12))]
    return out


# Shanghai towns whose names read like a surname and a given name (周浦, 顾村, 罗店 …)
_TOWNS = (
    "张江",
    "周浦",
    "顾村",
    "罗店",
    "马桥",
    "唐镇",
    "曹路",
    "杨行",
    "江桥",
    "华漕",
    "徐泾",
    "赵巷",
    "祝桥",
)


def town(c) -> _D:
    return _D("surname_like_town", c.pick(_TOWNS))


def check_code(c) -> list:
    """An electronic medical invoice's 校验码 (six characters)."""
    return ["校验码 ", _D("invoice_check_code", "".join(c.rng.choice("0123456789abcdef") for _ in range(6)))]


def ec_token(c) -> list:
    """The session token a 医保电子凭证 scan leaves in the till log (synthetic layout)."""
    tok = "".join(c.rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(24))
    return ["ecToken ", _D("ec_token", f"310000ec{tok}")]


# -- styles --------------------------------------------------------------------------------------


def _s_implant_card(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.f("{fac} 植入医疗器械 患者识别卡（随访联）\n患者：", fac=c.facility())
    d.put(c.pname(True) if c.chance(0.5) else glued(c, c.patient))
    d.put("  ")
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(c.dob_labelled())
    d.f("  植入日期 {dt}\n器械：", dt=c.date_decoy(c.visit))
    d.put(c.device())
    d.put("  ")
    d.put(device_serial(c))
    d.put("\n术者：")
    d.put(staff_sig(c))
    d.put("  程控护士：")
    d.put(staff_sig(c))
    d.f("\n紧急联系人：{r}（{rel}）", r=c.name(rel, "relative", True), rel=relation)
    d.put(c.phone(rel, False) if c.chance(0.55) else short_no(c, rel))
    d.put("\n住址：")
    d.put(c.address(True))


def _s_rabies_clinic(c) -> None:
    d = c.d
    if c.age >= 15 and c.chance(0.4):  # a good share of bites are children's
        c.patient = c.new_person(with_identity=True, child=True)
        c.age = c._age_at(c.patient.dob, c.visit)
    p = c.patient
    d.f("{fac} 犬伤门诊 狂犬病暴露处置登记\n姓名：", fac=c.facility())
    d.put(c.pname(True))
    d.put(["  ", p.sex, "  ", c.age_decoy(), "  "])
    d.put(c.dob_labelled())
    d.put("\n")
    if c.age < 14:
        rel, relation = c.relative()
        d.f("监护人：{r}（{rel}）  ", r=c.name(rel, "relative", True), rel=relation)
        d.put(c.phone_labelled(rel))
    else:
        d.put(c.rid_labelled())
        d.put("  ")
        d.put(c.phone_labelled())
    d.f("\n暴露：{dt}在", dt=c.date_decoy(c.visit))
    d.put(town(c))
    d.put(c.pick(("公园", "菜场门口", "小区绿地")))
    d.put(c.pick(("被家犬咬伤", "被流浪猫抓伤", "被邻居家犬咬伤")))
    if c.chance(0.7):
        owner = c.new_person(role="relative")
        d.put(["，犬名“", pet(c), "”，犬主", c.name(owner, "relative", True), " "])
        d.put(c.phone(owner, False, landline_ok=False))
    d.put("。\n暴露分级 III级，伤口冲洗20分钟，人用狂犬病疫苗 ")
    d.put(vaccine_schedule(c))
    d.put(" 程序，")
    d.put(c.batch())
    if c.age < 7:
        d.put(["。\n", *baby(c, p), "哭闹，家长陪同"])
    d.put("。\n接种护士：")
    d.put(staff_sig(c))


def _s_family_bed(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.put("家庭病床 查床记录  ")
    d.put(town(c))
    d.put("社区卫生服务中心\n")
    d.put(bed_line(c))
    d.put("  患者：")
    d.put(glued(c, c.patient))
    d.put("\n")
    d.put(c.card(True))
    d.put("\n床位地址：")
    d.put(address9(c, True) if c.chance(0.35) else c.address(True))
    d.f("\n家属：{r}（{rel}）", r=c.name(rel, "relative", True), rel=relation)
    d.put(short_no(c, rel) if c.chance(0.4) else c.phone(rel, False))
    d.f("\n诊断：{dx}。", dx=c.dx()[0])
    d.put(c.vitals("TPB"))
    d.f("。换药、{drug}。\n责任医生：", drug=c.drug())
    d.put(staff_sig(c))
    d.f("  下次查床 {dt}", dt=c.date_decoy(c.later(3, 10)))


def _s_sscard_replacement(c) -> None:
    d = c.d
    p = c.patient
    d.put("社会保障卡 挂失/补换卡申请表  ")
    d.put(town(c))
    d.put("镇社区事务受理服务中心\n申请人：")
    d.put(c.pname(True))
    d.put(["  ", p.sex, "\n"])
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.dob_labelled())
    d.put("\n原卡")
    d.put(c.card(True, ("sscard_digits9", "sscard_letter9")))
    d.put(c.pick(("  补换原因：遗失", "  补换原因：损坏", "  补换原因：到期换卡")))
    if c.chance(0.5):
        d.put(["\n医疗救助对象：", *assistance(c)])
    d.put("\n金融账户：")
    d.put(c.bank(True))
    d.put("\n联系电话：")
    d.put(c.phone(None, True))
    d.put("  邮寄地址：")
    d.put(address9(c, True) if c.chance(0.35) else c.address(True))
    if c.chance(0.5):
        rel, relation = c.relative()
        d.f("\n代办人：{r}（{rel}）身份证 ", r=c.name(rel, "relative", True), rel=relation)
        d.put(ind._relative_rid(c, rel))
    d.put("\n受理人：")
    d.put(staff_sig(c))


def _s_nat_sampling(c) -> None:
    d = c.d
    p = c.patient
    when = date(2022, c.rng.randrange(3, 12), c.rng.randrange(1, 29))
    d.put("核酸采样登记（居民区）  ")
    d.put(town(c))
    d.put("镇采样点  ")
    d.put(venue_code(c))
    d.f("\n采样时间 {dt}  随申码：绿码\n1. ", dt=c.date_decoy(when))
    d.put(glued(c, p))
    d.put("  ")
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.phone_labelled())
    if c.age >= 20 and c.chance(0.75):
        kid = child_of(c, p)
        d.put(
            [
                "\n2. ",
                *baby(c, kid, True),
                "（",
                "孙辈" if c.age >= 55 else "子女",
                "）",
                kid.sex,
                _age_of(c, kid),
            ]
        )
    else:
        rel, relation = c.relative()
        d.put(["\n2. ", *glued(c, rel), f"（{relation}）  "])
        d.put(c.phone(rel, False))
    d.put("\n")
    d.put(c.dob_labelled())
    d.put("  住址：")
    d.put(address9(c, True) if c.chance(0.3) else c.address(True))
    d.put("\n采样人员：")
    d.put(staff_sig(c))


_CHAINS = ("华氏大药房", "第一医药", "雷允上药房", "益丰大药房", "国大药房")


def _s_retail_pharmacy(c) -> None:
    d = c.d
    d.f("{chain}（医保定点零售药店）销售小票\n顾客：", chain=c.pick(_CHAINS))
    d.put(glued(c, c.patient) if c.chance(0.7) else [c.pname(True)])
    d.put("  会员手机 ")
    d.put(c.phone(None, False, landline_ok=False))
    d.put("\n")
    if c.chance(0.5):
        d.put(["凭证：医保电子凭证 ", *ec_token(c)])
    else:
        d.put(c.card(True))
    d.put("\n")
    d.put(c.drug())
    d.put("  ")
    d.put(c.approval())
    d.f("  统筹支付 {a}\nPOS签购单 ", a=c.amount(10, 600))
    d.put(pos_slip(c))
    d.put("\n卡号 ")
    d.put(discover(c) if c.chance(0.3) else c.bank(True))
    d.put("  电子票据")
    d.put(check_code(c))
    d.put("\n收银员：")
    d.put(staff_sig(c))


ind._STYLE_FUNCS.update(
    {
        "implant_card": _s_implant_card,
        "rabies_clinic": _s_rabies_clinic,
        "family_bed": _s_family_bed,
        "sscard_replacement": _s_sscard_replacement,
        "nat_sampling": _s_nat_sampling,
        "retail_pharmacy": _s_retail_pharmacy,
    }
)


# -- lines clinicians append -------------------------------------------------------------------


def _sig_line(c) -> list:
    return [c.pick(("操作员：", "审核：", "记录者：", "复核：")), *staff_sig(c)]


def _roster(c) -> list:
    return [c.pick(("预约名单：", "排队叫号：", "登记本：")), *glued(c, c.patient)]


def _baby_line(c) -> list:
    p = c.patient
    if c.age < 7:
        return ["家属称患儿", *baby(c, p)]
    kid = child_of(c, p) if c.age >= 20 else c.relative()[0]
    if c.age >= 20:
        return ["陪同：", *baby(c, kid, True), "（", "孙" if c.age >= 55 else "子", "）"]
    return ["陪同：", *glued(c, kid)]


def _short_line(c) -> list:
    rel, relation = c.relative()
    if c.chance(0.4):
        return ["患者", *short_no(c, c.patient)]
    return [f"{relation}", c.name(rel, "relative", True), " ", *short_no(c, rel)]


def _abroad(c) -> list:
    rel, relation = c.relative()
    r = c.rng.random()
    if r < 0.45:
        return [f"{relation}在日韩，", c.name(rel, "relative", True), " ", *abroad_phone(c, rel)]
    if r < 0.7:
        return [f"{relation}在美国，", c.name(rel, "relative", True), " 汇款：", *us_account(c)]
    return [
        f"{relation}在境外，",
        c.name(rel, "relative", True),
        " ",
        *own_contact(c, rel, "telegram_handle"),
    ]


def _dob9(c) -> list:
    p = c.patient
    if c.chance(0.5):
        return [
            c.pick(("出生日期：", "生日：")),
            _I("date_of_birth", "with_weekday", with_weekday(p.dob, c), True),
        ]
    return [
        c.pick(("出生日期：", "出生：")),
        _I("date_of_birth", "ocr_stray_space", dob_stray(p.dob, c), True),
    ]


def _rid9(c) -> list:
    v = fullwidth_x(c.patient)
    if v is not None and c.chance(0.6):
        return ["身份证号：", _I("resident_id", "fullwidth_x_only", v, True)]
    if c.age >= 18:
        return kr_line(c)
    return c.rid_labelled()


def _pay9(c) -> list:
    if c.chance(0.5):
        return ["退费方式：支付宝原路退回，", *own_contact(c, c.patient, "alipay_uid")]
    return [c.pick(("退款信用卡：", "信用卡（Discover）：")), discover(c)]


ind._EXTRAS.update(
    {
        "sig9": _sig_line,
        "sig9b": _sig_line,
        "sig9c": _sig_line,
        "sig9d": _sig_line,
        "roster9": _roster,
        "roster9b": _roster,
        "baby9": _baby_line,
        "short9": _short_line,
        "abroad9": _abroad,
        "dob9": _dob9,
        "rid9": _rid9,
        "aid9": lambda c: ["医疗救助：", *assistance(c)],
        "bed9": lambda c: ["转家庭病床，", *bed_line(c)],
        "scan9": scan_rec,
        "addr9": lambda c: (
            [c.pick(("现住址：", "外卖地址：", "联系地址：")), address9(c, True)]
            if c.chance(0.6)
            else c.addr_labelled()
        ),
        "mail9": mail_line,
        "pay9": _pay9,
        "wx9": lambda c: ["家属联系：", *contact(c, c.relative()[0])],
        "device9": lambda c: ["血糖仪", *device_serial(c)],
        "routing9": lambda c: ["境外汇款银行 ", *routing(c)],
        "pet9": lambda c: ["家中养犬“", pet(c), "”，已免疫"],
        "vacc9": lambda c: ["狂犬疫苗 ", vaccine_schedule(c), " 程序已完成"],
        "venue9": venue_code,
        "pos9": pos_slip,
        "town9": lambda c: ["签约", town(c), "社区卫生服务中心家庭医生"],
        "check9": lambda c: ["电子票据", *check_code(c)],
        "token9": lambda c: ["医保电子凭证结算，", *ec_token(c)],
    }
)
ind._EXTRA_KIND.update(
    {
        "sig9": "",
        "sig9b": "",
        "sig9c": "",
        "sig9d": "",
        "roster9": "",
        "roster9b": "",
        "baby9": "",
        "short9": "",
        "abroad9": "",
        "dob9": "date_of_birth",
        "rid9": "resident_id",
        "aid9": "card_number",
        "bed9": "hospital_record_no",
        "scan9": "hospital_record_no",
        "addr9": "address",
        "mail9": "email",
        "pay9": "",
        "wx9": "other_contact",
    }
)
ID_EXTRAS = ind._ID_EXTRAS + (
    "sig9", "sig9b", "sig9c", "sig9d", "roster9", "roster9b", "baby9", "short9", "abroad9", "dob9", "rid9",
    "aid9", "bed9", "scan9", "addr9", "mail9", "pay9", "contact", "wx9",
)  # fmt: skip
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "device9", "routing9", "pet9", "vacc9", "venue9", "pos9", "town9", "check9", "token9",
)  # fmt: skip

# -- registration --------------------------------------------------------------------------------

register("heldout9", sys.modules[__name__], HELDOUT9_ONLY, HELDOUT9_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT9_DECOY_KINDS",
    "HELDOUT9_ONLY",
    "KINDS",
    "aba_routing",
    "pools",
    "stray_space",
    "with_weekday",
]
