"""The eighth held-out split of the independent corpus, ``heldout8`` (see ``independent.py``).

# =============================================================================================
# heldout8 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT8.md) describes what the eighth held-out split tests; knowing it turns
# the split into another development set, as happened to heldout … heldout7.
# independent.py calls in here only through the hooks registered for "heldout8" (_HOOKS).
# =============================================================================================

heldout8 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev and heldout … heldout7; its name, street and village pools are disjoint
from all eight. ``other_contact`` keeps heldout2's forms as its baseline. The theme is paperwork
that goes to offices outside the ward: outpatient e-prescriptions, infectious-disease report cards,
work-injury forms, kindergarten and school health forms, 医保 appeal letters, assisted-reproduction
files, escort (陪护) registration and dialysis sheets. It was written by someone who has not read
the de-identifier (privacy/deid/) or its documentation.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from bench.deid_eval import independent as ind
from bench.deid_eval.heldout_common import (
    BASELINE_FORMS,
    KINDS,
    email_local,
    filtered_pools,
    give_identity,
    labelled_dob,
    labelled_rid,
    pick_person,
    register,
)
from bench.deid_eval.independent import _D, _I, _digits, _full_id, _luhn_complete, _Person, _Pools

HELDOUT8_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("split_fields", "surname_explained", "salutation_full", "signature_pair"),
    "resident_id": ("zero_width_inside", "marriage_cert_no"),
    "phone": ("zero_prefixed_mobile", "thousands_commas", "zero_width_inside"),
    "card_number": ("thousands_commas", "child_fund_no"),
    "hospital_record_no": ("thousands_commas", "paren_after_name"),
    "date_of_birth": ("cjk_spaced", "underscored_blanks"),
    "bank_card": ("diners_club", "jp_bank_account"),
    "address": ("cjk_spaced", "fullwidth_numbers", "rented_room"),
    "email": ("tld_missing", "provider_label_local"),
    "other_contact": ("kakaotalk_id", "wa_me_link"),
    "style": (
        "e_prescription",
        "infectious_report",
        "work_injury",
        "school_health",
        "yb_appeal",
        "ivf_record",
        "escort_registration",
        "dialysis_record",
    ),
}
HELDOUT8_DECOY_KINDS = (
    "atc_code",
    "doc_ref_no",
    "law_article",
    "dialysis_adequacy",
    "school_class",
    "person_named_place",
    "embryo_grade",
    "supply_days",
    "exposure_level",
    "disinfectant_conc",
    "epi_week",
    "report_card_id",
)
EARLIER = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7")

ZWSP = "\u200b"  # a zero-width space, carried along when a number is copied out of a chat or a web page

# -- people ------------------------------------------------------------------------------------

# surnames no earlier split uses (several are ordinary words: 水, 山, 家, 国, 楚, 宝 …), each with the
# phrase people use to spell it out on the phone (练习的练, 西早覃 …)
SURNAME_SPELLED = {
    "冒": "冒号的冒", "续": "继续的续", "线": "线条的线", "丛": "丛林的丛", "来": "来去的来", "问": "问题的问",
    "盘": "盘子的盘", "母": "母亲的母", "操": "操场的操", "但": "但是的但", "贵": "贵州的贵", "运": "运动的运",
    "力": "力量的力", "伦": "伦敦的伦", "渠": "水渠的渠", "宝": "宝贝的宝", "刚": "刚才的刚", "肇": "肇庆的肇",
    "保": "保护的保", "楚": "清楚的楚", "淡": "淡水的淡", "楼": "楼房的楼", "水": "河水的水", "家": "家庭的家",
    "山": "高山的山", "国": "国家的国", "后": "前后的后", "能": "能力的能", "终": "终于的终", "折": "折叠的折",
    "脱": "脱离的脱", "要": "要求的要", "次": "次要的次", "是": "是非的是", "火": "火车的火", "舍": "宿舍的舍",
    "酒": "酒水的酒", "拜": "拜年的拜", "乘": "乘客的乘",
    # the rare ones, by their parts
    "撖": "提手旁加个敢", "兀": "突兀的兀", "仉": "单人旁加个几", "盍": "去字头皿字底", "戢": "口耳戈的戢",
    "蒿": "蒿草的蒿", "撒": "撒手的撒", "库": "仓库的库",
}  # fmt: skip
_H8_SURNAMES = [s for s in SURNAME_SPELLED if s not in "撖兀仉盍戢蒿撒库"]
_H8_GIVEN_M = (
    "伯安 仲谋 叔衡 季良 荫棠 守拙 耕读 渔樵 墨林 砚秋 鹤鸣 松涛 启瑞 笃行 立言 知行 省吾 慕贤 希哲 "
    "庚生 辛伯 壬林 癸生 甲申 乙丁 栋梁 承嗣 继业 振纲 纪纲 树勋 衍庆 延年 益寿 鸿钧 云樵 雪樵 石麟 "
    "玉麟 兆祥 纪元 拓夫 梦白 聿修"
).split()
_H8_GIVEN_F = (
    "绣屏 宛若 若菡 菡萏 蓼汀 蒹葭 素蘅 蘅芜 湘灵 宓妃 桂枝 兰心 纫秋 漱玉 绛珠 洛英 璎珞 锦葵 紫菀 "
    "茜纱 蕉叶 菱歌 莼香 藕花 萍踪 苔枝 梨云 杏雨 樱桃 琼枝 瑶华 珮环 钿蝉 绮罗 纨素 縠纹 绫波 绡衣 "
    "凤箫 鸾镜 燕婉 莺时 鹂音 鹭汀 鸥盟"
).split()
_H8_RARE = ("撖", "兀", "仉", "盍", "戢", "蒿", "撒", "库")
_H8_COMPOUND = ("壤驷", "归海", "屋庐", "司寇", "宰父", "太史", "叔孙", "贺兰")
_H8_WORD_LIKE = (
    ("后", "生"),
    ("刚", "正"),
    ("力", "行"),
    ("来", "喜"),
    ("家", "兴"),
    ("刚", "毅"),
    ("宝", "贵"),
    ("楼", "台"),
    ("淡", "泊"),
)

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER, _H8_SURNAMES, _H8_GIVEN_M, _H8_GIVEN_F, _H8_RARE, _H8_COMPOUND, _H8_WORD_LIKE
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


def split_fields(c, person: _Person) -> list:
    """姓 and 名 in two boxes of a form (IVF files, school forms, international insurers)."""
    sur, given = c.pick((("姓：", "  名："), ("姓（Surname）：", "  名（Given name）："), ("姓 ", " 名 ")))
    return [
        sur,
        _I("person_name", "split_fields", person.surname, True),
        given,
        _I("person_name", "split_fields", person.given, True),
    ]


def spelled(c, person: _Person) -> list:
    """The name, then how the caller spelt the surname out (练习的练); compound surnames are not spelt."""
    out: list = [c.name(person, "patient_with_context" if person is c.patient else "relative", True)]
    if person.surname in SURNAME_SPELLED:
        out += ["（", _I("person_name", "surname_explained", SURNAME_SPELLED[person.surname], True), "）"]
    return out


def salutation(c, person: _Person, parent: bool = False) -> list:
    """The opening of a letter or a notice: 尊敬的…女士, …同志, or a child's name before 家长."""
    v = _I("person_name", "salutation_full", person.full, True)
    if parent:
        return [v, c.pick(("家长：您好！", "小朋友家长：", "同学家长："))]
    title = "先生" if person.sex == "男" else "女士"
    return c.pick((["尊敬的", v, f"{title}："], [v, "同志："], ["尊敬的参保人", v, f"{title}："]))


def signature_pair(c, label: str | None = None) -> list:
    """Two signatures on one slashed line (审核/调配, 经办/复核)."""
    if label is None:
        pharmacy = c.style in ("e_prescription", "discharge", "outpatient")
        label = c.pick(
            ("审核/调配：", "调配/核对：", "核对/发药：")
            if pharmacy
            else ("经办/复核：", "记录/核对：", "审核/复核：")
        )
    return [
        label,
        _I("person_name", "signature_pair", c.staff().full, True),
        "/",
        _I("person_name", "signature_pair", c.staff().full, True),
    ]


# -- resident IDs, marriage certificates -------------------------------------------------------


def _zw(c, s: str) -> str:
    """``s`` with a zero-width space after one or two of its characters (never at either end)."""
    k = c.pick((1, 1, 2))
    cuts = sorted(c.rng.sample(range(3, len(s) - 2), k))
    out, last = [], 0
    for cut in cuts:
        out += [s[last:cut], ZWSP]
        last = cut
    return "".join(out) + s[last:]


_WEB_STYLES = ("e_prescription", "yb_appeal", "school_health", "escort_registration", "online_consult")


def rid(c, labelled: bool) -> _I | None:
    p = c.patient
    if c.chance(0.32 if c.style in _WEB_STYLES else 0.16):
        return _I("resident_id", "zero_width_inside", _zw(c, _full_id(p)), labelled)
    return None


def rid_labelled(c) -> list:
    return labelled_rid(c, {"zero_width_inside": ("身份证号：", "证件号码：", "身份证号码 ")})


def marriage_cert(c, first: bool = True) -> list:
    """A 结婚证字号: J + the registry's county code + year + serial (BJ for a re-issued one)."""
    p = c.patient
    if "h8_marriage" not in p.cache:
        year = c.rng.randrange(max(2003, c.visit.year - 20), c.visit.year)
        area = c.pick(ind._SH_AREA_CODES)
        p.cache["h8_marriage"] = f"{c.pick(('J', 'J', 'BJ'))}{area}-{year}-{_digits(c.rng, 6)}"
    return [
        c.pick(("结婚证字号：", "结婚证号 ", "结婚证编号：")) if first else "",
        _I("resident_id", "marriage_cert_no", p.cache["h8_marriage"], True),
    ]


# -- dates of birth ----------------------------------------------------------------------------


def cjk_spaced(d: date, c) -> str:
    """1956 年 3 月 7 日: a space between every CJK character and digit (an editor's auto-spacing)."""
    return c.pick((f"{d.year} 年 {d.month} 月 {d.day} 日", f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日"))


def underscored(d: date, c) -> str:
    """A printed form's blanks filled in: __1956__年__3__月__7__日."""
    u = c.pick(("__", "_", "___"))
    m, dd = (f"{d.month:02d}", f"{d.day:02d}") if c.chance(0.5) else (str(d.month), str(d.day))
    return f"{u}{d.year}{u}年{u}{m}{u}月{u}{dd}{u}日"


_PAPER_STYLES = ("infectious_report", "work_injury", "school_health", "ivf_record", "escort_registration")


def dob(c, labelled: bool, person: _Person) -> _I | None:
    d = person.dob
    if d is None:
        return None
    r = c.rng.random()
    if c.style in _PAPER_STYLES and r < 0.35:
        return _I("date_of_birth", "underscored_blanks", underscored(d, c), labelled)
    if r < 0.17:
        return _I("date_of_birth", "cjk_spaced", cjk_spaced(d, c), labelled)
    if r < 0.25:
        return _I("date_of_birth", "underscored_blanks", underscored(d, c), labelled)
    return None


def dob_labelled(c) -> list:
    return labelled_dob(
        c, {"cjk_spaced": ("出生日期：", "生于", "_出生"), "underscored_blanks": ("出生日期：", "出生：")}
    )


# -- phones --------------------------------------------------------------------------------------


def zero_mobile(c, person: _Person, labelled: bool) -> _I:
    """A mobile written as dialled from a landline in another city: 0 first."""
    m = c.mobile_digits(person)
    return _I("phone", "zero_prefixed_mobile", c.pick((f"0{m}", f"0-{m}", f"0 {m}", f"(0){m}")), labelled)


def commas(digits: str) -> str:
    """A number column formatted with thousands separators: 13,812,345,678."""
    return f"{int(digits):,}"


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    r = c.rng.random()
    if r < 0.1:
        return zero_mobile(c, person, labelled)
    if r < 0.2 or (c.style in _WEB_STYLES and r < 0.3):
        return _I("phone", "zero_width_inside", _zw(c, c.mobile_digits(person)), labelled)
    if r < 0.27 and c.style in (
        "yb_appeal",
        "school_health",
        "table",
        "escort_registration",
        "dialysis_record",
    ):
        return _I("phone", "thousands_commas", commas(c.mobile_digits(person)), labelled)
    return None


def roster_phone(c, person: _Person) -> _I:
    """A phone number out of a spreadsheet's number column."""
    return _I("phone", "thousands_commas", commas(c.mobile_digits(person)), False)


# -- cards, record numbers ---------------------------------------------------------------------


def _sscard9(c) -> str:
    return c.patient.cache.setdefault("h8_sscard9", _digits(c.rng, 9, first_nonzero=True))


def child_fund(c) -> str:
    """少儿住院互助基金 membership number (synthetic layout: HZJ + year + 8 digits)."""
    p = c.patient
    if "h8_fund" not in p.cache:
        p.cache["h8_fund"] = f"HZJ{c.visit.year % 100:02d}{_digits(c.rng, 8)}"
    return p.cache["h8_fund"]


_CARD_LABELS = {
    "thousands_commas": ("社保卡号：", "社保卡号（导出）：", "医保卡号 "),
    "child_fund_no": ("少儿住院互助基金：", "互助基金参保号 ", "少儿基金号："),
}


def _card8(c, form: str) -> str:
    return commas(_sscard9(c)) if form == "thousands_commas" else child_fund(c)


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    if forms is None:
        if not c.chance(0.3):
            return c.pick(ind._SHARED_FORMS["card_number"])
        form = "child_fund_no" if c.age < 18 and c.chance(0.8) else "thousands_commas"
    else:
        form = c.pick(forms)
        if form not in HELDOUT8_ONLY["card_number"]:
            return form
    span = _I("card_number", form, _card8(c, form), labelled)
    return [c.pick(_CARD_LABELS[form]), span] if labelled else [span]


def _rec_digits(c) -> str:
    return c.patient.cache.setdefault(
        "rec_inpatient_no", _digits(c.rng, c.pick((6, 7, 8)), first_nonzero=True)
    )


def paren_rec(c, person_labelled: bool = False) -> list:
    """A patient list's entry: the name, then the record number in brackets."""
    open_, close = c.pick((("(", ")"), ("（", "）")))
    return [
        c.pname(person_labelled),
        open_,
        _I("hospital_record_no", "paren_after_name", _rec_digits(c), False),
        close,
    ]


def rec(c, labelled: bool) -> list | None:
    if labelled and c.chance(0.15):
        return [
            c.pick(("住院号：", "住院号（导出）：", "病案号 ")),
            _I("hospital_record_no", "thousands_commas", commas(_rec_digits(c)), True),
        ]
    return None


# -- bank accounts, e-mail, other contacts -------------------------------------------------------


def diners(c, labelled: bool = True) -> _I:
    """A Diners Club card: 14 digits (36, 38 or 300–305), Luhn, written 4-6-4 or whole."""
    bin_ = c.pick(("36", "38", "300", "301", "305"))
    num = _luhn_complete(bin_ + _digits(c.rng, 13 - len(bin_)))
    return _I("bank_card", "diners_club", c.pick((num, f"{num[:4]} {num[4:10]} {num[10:]}")), labelled)


def jp_account(c) -> list:
    """A relative's Japanese account: 支店番号 (3 digits) and 口座番号 (7 digits)."""
    branch, acct = _digits(c.rng, 3, True), _digits(c.rng, 7)
    bank_ = c.pick(("三菱UFJ银行", "三井住友银行", "瑞穗银行", "邮储银行（日本）"))
    v = c.pick((f"{branch}-{acct}", f"{branch} {acct}", f"{branch}-普通-{acct}"))
    return [f"{bank_} 支店/口座：", _I("bank_card", "jp_bank_account", v, True)]


def bank(c, labelled: bool) -> _I | None:
    if c.chance(0.04):
        return diners(c, labelled)
    return None


_PROVIDERS = ("163", "126", "qq", "sina", "139", "foxmail", "hotmail", "yeah")


def tld_missing(c, labelled: bool = True) -> _I:
    """An address with its provider but no .com / .net: wangjg56@163."""
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    return _I("email", "tld_missing", f"{email_local(c, a, b)}@{c.pick(_PROVIDERS)}", labelled)


def provider_local(c) -> list:
    """The provider in the label, the local part alone after it: 163邮箱：wangjg56."""
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    label = c.pick(("163邮箱：", "126邮箱 ", "新浪邮箱：", "139邮箱：", "QQ邮箱（非QQ号）："))
    return [label, _I("email", "provider_label_local", email_local(c, a, b), True)]


def email(c, labelled: bool) -> _I | None:
    if c.chance(0.12):
        return tld_missing(c, labelled)
    return None


def mail_line(c) -> list:
    r = c.rng.random()
    if r < 0.3:
        return provider_local(c)
    if r < 0.55:
        return [c.pick(("邮箱：", "电子邮箱 ", "E-mail：")), tld_missing(c)]
    return ["电子邮箱：", c.email(True)]


_WA_CC = ("852", "853", "65", "61", "44", "1")


def own_contact(c, person: _Person, form: str, labelled: bool = True) -> list:
    key = "h8_" + form
    if key not in person.cache:
        rng = c.rng
        if form == "kakaotalk_id":
            a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
            person.cache[key] = c.pick(
                (f"{a}{b}{rng.randrange(10, 99)}", f"{a}_{b}", f"{a}.{b}{rng.randrange(1, 9)}")
            )
        else:
            cc = c.pick(_WA_CC)
            local = {"852": "9", "853": "6", "65": "9", "61": "4", "44": "7", "1": "6"}[cc]
            n = {"852": 7, "853": 7, "65": 7, "61": 8, "44": 9, "1": 9}[cc]
            num = cc + local + _digits(rng, n)
            person.cache[key] = c.pick((f"wa.me/{num}", f"https://wa.me/{num}"))
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "kakaotalk_id":
        return [c.pick(("KakaoTalk ID：", "kakao：", "카톡 ID ")), span]
    return [c.pick(("WhatsApp：", "WhatsApp链接 ", "境外联系 ")), span]


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    person = person or c.patient
    if not c.chance(0.4):
        return ind._h2_contact(c, person, labelled)
    return own_contact(c, person, c.pick(HELDOUT8_ONLY["other_contact"]), labelled)


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout8"] = {
    "静安区": ("昌平路", "余姚路", "海防路"),
    "徐汇区": ("田林东路", "龙漕路", "喜泰路"),
    "浦东新区": ("潍坊西路", "德平路", "灵山路"),
    "杨浦区": ("包头南路", "嫩江路", "开鲁路"),
    "宝山区": ("殷高西路", "呼玛路", "淞发路"),
    "闵行区": ("浦锦路", "沁春路", "颛兴路"),
}
ind._NEW_VILLAGES["heldout8"] = (
    ("静安区", "昌平小区"),
    ("徐汇区", "龙漕小区"),
    ("浦东新区", "潍坊八村"),
    ("杨浦区", "开鲁新村"),
    ("宝山区", "殷高小区"),
    ("闵行区", "康乐小区"),
)
ind._VILLAGES["heldout8"] = (
    ("松江区", "泖港镇", "新黎村"),
    ("金山区", "廊下镇", "山塘村"),
    ("奉贤区", "四团镇", "大新村"),
    ("崇明区", "港沿镇", "北港村"),
    ("青浦区", "金泽镇", "蔡浜村"),
    ("嘉定区", "华亭镇", "沙港村"),
)
ind._OUT_OF_TOWN["heldout8"] = (
    ("贵州省遵义市湄潭县", "湄江街道", "湄江路"),
    ("甘肃省天水市秦州区", "大城街道", "羲皇大道"),
    ("湖北省恩施州利川市", "都亭街道", "清江大道"),
    ("吉林省延边州龙井市", "安民街道", "海兰路"),
)

_FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _addr_parts(c) -> tuple[str, str, int, int, int]:
    streets = ind._STREETS["heldout8"]
    district = c.pick(list(streets))
    rng = c.rng
    return district, c.pick(streets[district]), rng.randrange(1, 1500), rng.randrange(1, 40), rng.randrange(1, 24) * 100 + rng.randrange(1, 7)  # fmt: skip


def address8(c, labelled: bool, form: str | None = None) -> _I:
    form = form or c.pick(HELDOUT8_ONLY["address"])
    district, road, lane, bldg, room = _addr_parts(c)
    head = c.pick(("", district, "上海市" + district))
    if form == "cjk_spaced":  # 昌平路 1234 弄 5 号 302 室
        v = f"{head}{road} {lane} 弄 {bldg} 号 {room} 室"
    elif form == "fullwidth_numbers":
        v = f"{head}{road}{str(lane).translate(_FW_DIGITS)}弄{str(bldg).translate(_FW_DIGITS)}号{str(room).translate(_FW_DIGITS)}室"
    else:  # a room of a shared flat
        part = c.pick(("次卧", "主卧", "北间", "南间", "隔间", f"{c.pick('ABCD')}间", "阁楼"))
        v = f"{head}{road}{lane}弄{bldg}号{room}室{part}"
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if c.chance(0.1):
        return address8(c, labelled)
    return None


# -- decoys --------------------------------------------------------------------------------------

# WHO ATC codes of dev's drugs (the drug is written first, then its code)
_ATC = {
    "阿司匹林肠溶片": "B01AC06", "硫酸氢氯吡格雷片": "B01AC04", "替格瑞洛片": "B01AC24", "华法林钠片": "B01AA03",
    "利伐沙班片": "B01AF01", "达比加群酯胶囊": "B01AE07", "阿托伐他汀钙片": "C10AA05", "瑞舒伐他汀钙片": "C10AA07",
    "苯磺酸氨氯地平片": "C08CA01", "美托洛尔缓释片": "C07AB02", "马来酸依那普利片": "C09AA02", "呋塞米片": "C03CA01",
    "螺内酯片": "C03DA01", "地高辛片": "C01AA05", "胺碘酮片": "C01BD01", "盐酸二甲双胍片": "A10BA02",
    "格列美脲片": "A10BB12", "阿卡波糖片": "A10BF01", "西格列汀片": "A10BH01", "达格列净片": "A10BK01",
    "恩格列净片": "A10BK03", "甘精胰岛素注射液": "A10AE04", "奥美拉唑肠溶胶囊": "A02BC01",
    "雷贝拉唑钠肠溶片": "A02BC04", "左甲状腺素钠片": "H03AA01", "甲巯咪唑片": "H03BB02", "对乙酰氨基酚片": "N02BE01",
    "布洛芬缓释胶囊": "M01AE01", "塞来昔布胶囊": "M01AH01", "秋水仙碱片": "M04AC01", "非布司他片": "M04AA03",
    "阿莫西林胶囊": "J01CA04", "盐酸莫西沙星片": "J01MA14", "甲硝唑片": "P01AB01", "阿昔洛韦片": "J05AB01",
    "孟鲁司特钠片": "R03DC03", "盐酸舍曲林片": "N06AB06", "艾司唑仑片": "N05CD04", "盐酸多奈哌齐片": "N06DA02",
    "多巴丝肼片": "N04BA02", "醋酸泼尼松片": "H02AB07", "阿仑膦酸钠片": "M05BA04", "蒙脱石散": "A07BC05",
}  # fmt: skip


def atc(c, drug: str) -> list:
    """The drug's ATC code in brackets after it (an empty list for a drug without one here)."""
    return ["（ATC ", _D("atc_code", _ATC[drug]), "）"] if drug in _ATC else []


_DOC_ORGS = (
    "沪人社伤认字",
    "徐人社认字",
    "沪医保监字",
    "浦医保申字",
    "沪卫疾控",
    "沪教委体艺",
    "闵人社伤认字",
)


def doc_ref(c, orgs: tuple[str, ...] = _DOC_ORGS) -> _D:
    y = c.visit.year
    return _D(
        "doc_ref_no",
        c.pick(
            (
                f"{c.pick(orgs)}〔{y}〕第{_digits(c.rng, 4)}号",
                f"{c.pick(orgs)}〔{y}〕{c.rng.randrange(1, 99)}号",
            )
        ),
    )


_LAWS = ("《工伤保险条例》第十四条第（一）项", "《工伤保险条例》第十五条", "《医疗保障基金使用监督管理条例》第十五条",
         "《上海市基本医疗保险监督管理办法》第二十条", "《中华人民共和国传染病防治法》第三十条", "《处方管理办法》第十八条",
         "《人类辅助生殖技术管理办法》第十四条", "《托儿所幼儿园卫生保健管理办法》第十一条")  # fmt: skip


def law(c, topic: str | None = None) -> _D:
    pool = [x for x in _LAWS if topic is None or topic in x] or list(_LAWS)
    return _D("law_article", c.pick(pool))


def dialysis_adequacy(c) -> list:
    rng = c.rng
    return [
        "充分性：",
        _D(
            "dialysis_adequacy",
            c.pick((f"Kt/V {rng.uniform(1.1, 1.7):.2f}", f"spKt/V {rng.uniform(1.1, 1.7):.2f}")),
        ),
        "，",
        _D("dialysis_adequacy", f"URR {rng.randrange(62, 78)}%"),
    ]


def school_class(c, child: bool = True) -> _D:
    rng = c.rng
    if child and c.age <= 6:
        v = c.pick(
            (
                f"小({rng.randrange(1, 6)})班",
                f"中（{rng.randrange(1, 6)}）班",
                f"大({rng.randrange(1, 6)})班",
                "托班",
            )
        )
    else:
        v = c.pick(("一", "二", "三", "四", "五", "六", "七", "八", "九")) + f"年级({rng.randrange(1, 9)})班"
    return _D("school_class", v)


_PERSON_PLACES = ("中山公园", "鲁迅公园", "黄兴公园", "宋庆龄幼儿园", "陈毅广场", "鲁迅纪念馆", "宋庆龄陵园",
                  "中山公园地铁站", "黄兴公园门口")  # fmt: skip


def person_place(c) -> _D:
    return _D("person_named_place", c.pick(_PERSON_PLACES))


def embryo(c) -> list:
    rng = c.rng
    return [
        "胚胎：",
        _D(
            "embryo_grade",
            c.pick(
                (
                    f"{rng.randrange(3, 7)}{c.pick('AB')}{c.pick('ABC')}",
                    f"D3 {rng.randrange(6, 11)}C-I级",
                    f"{rng.randrange(6, 11)}C-II级",
                )
            ),
        ),
    ]


def supply(c) -> _D:
    return _D("supply_days", c.pick(("7日用量", "14日量", "3日量", "长处方 12周", "长处方 8周", "30日量")))


def exposure(c) -> list:
    rng = c.rng
    return [
        "岗位检测：",
        _D(
            "exposure_level",
            c.pick(
                (
                    f"噪声 {rng.randrange(82, 101)}dB(A)",
                    f"总粉尘 {rng.uniform(1, 9):.1f}mg/m³",
                    f"苯 {rng.uniform(0.5, 8):.1f}mg/m³",
                )
            ),
        ),
    ]


def disinfect(c) -> list:
    return [
        c.pick(("环境消毒：", "终末消毒 ", "班级消毒：")),
        _D(
            "disinfectant_conc",
            c.pick(("含氯消毒剂 500mg/L", "含氯消毒剂1000mg/L", "75%乙醇", "过氧乙酸 0.2%")),
        ),
    ]


def epi_week(c) -> _D:
    wk = c.visit.isocalendar()[1]
    return _D("epi_week", c.pick((f"{c.visit.year}年第{wk}周", f"第{wk}周")))


def report_card(c) -> list:
    """The report card's own number: the reporting unit's county code, the date, a serial."""
    area = c.pick(ind._SH_AREA_CODES)
    return ["卡片编号：", _D("report_card_id", area + c.visit.strftime("%Y%m%d") + _digits(c.rng, 4))]


# -- styles --------------------------------------------------------------------------------------


def _s_e_prescription(c) -> None:
    d = c.d
    p = c.patient
    d.f("{fac} 门诊电子处方笺  费别：医保  ", fac=c.facility())
    d.put(c.rec(True))
    d.put("\n姓名：")
    d.put(c.pname(True))
    d.f("  {s}  {a}  ", s=p.sex, a=c.age_decoy())
    d.put(c.card(True))
    d.f("\n临床诊断：{dx}\nRp：", dx=c.dx()[0])
    drug = c.drug()
    d.put(drug)
    d.put(atc(c, drug[0].value) if c.chance(0.8) else "")
    d.put(["  ", supply(c)])
    d.f("\n医师：{doc}  ", doc=ind._doctor(c))
    d.put(signature_pair(c))
    if c.chance(0.4):
        d.put(
            [
                "\n",
                c.pick(("线上支付后配送：", "药品快递至：")),
                c.address(False),
                " ",
                c.phone(None, False, landline_ok=False),
            ]
        )


_DISEASES = ("手足口病", "流行性感冒", "肺结核", "猩红热", "水痘", "其他感染性腹泻病", "梅毒", "细菌性痢疾")


def _s_infectious_report(c) -> None:
    d = c.d
    p = c.patient
    d.f("中华人民共和国传染病报告卡  {fac}\n", fac=c.facility())
    d.put(report_card(c))
    d.put("  报告周：")
    d.put(epi_week(c))
    d.put("\n患者姓名：")
    d.put(c.pname(True))
    if c.age < 14:
        rel, relation = c.relative()
        d.f("  患儿家长姓名：{r}（{rel}）", r=c.name(rel, "relative", True), rel=relation)
    d.f("  性别：{s}\n", s=p.sex)
    d.put(c.rid_labelled())
    d.put("  ")
    d.put(c.dob_labelled())
    d.put("\n现住址：")
    d.put(address8(c, True) if c.chance(0.4) else c.address(True))
    d.put("  联系电话：")
    d.put(c.phone(None if c.age >= 14 else c.relative()[0], True))
    d.f("\n病例分类：临床诊断病例  疾病名称：{dis}  ", dis=c.pick(_DISEASES))
    d.put(law(c, "传染病") if c.chance(0.5) else disinfect(c))
    d.f(
        "\n填卡医生：{doc}  发病日期 {dt}",
        doc=ind._doctor(c),
        dt=c.date_decoy(c.visit - timedelta(days=c.rng.randrange(1, 6))),
    )


def _s_work_injury(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.put("工伤认定申请表（医疗机构诊断证明附页）\n受伤职工：")
    d.put(c.pname(True))
    d.put("  ")
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(c.dob_labelled())
    d.f(
        "  用人单位：沪{co}有限公司  ",
        co=c.pick(("宏达建设", "申通物流", "鼎盛机械", "新锐电子", "顺捷快递")),
    )
    d.put(c.credit() if c.chance(0.5) else exposure(c))
    d.f("\n受伤经过：{dt}在", dt=c.date_decoy())
    d.put(person_place(c) if c.chance(0.5) else "厂区车间")
    d.f("附近作业时受伤，诊断{dx}。\n依据", dx=c.dx()[0])
    d.put(law(c, "工伤"))
    d.put("，认定书编号 ")
    d.put(doc_ref(c, ("沪人社伤认字", "徐人社认字", "闵人社伤认字")))
    d.f("\n联系人：{r}（{rel}） ", r=c.name(rel, "relative", True), rel=relation)
    d.put(zero_mobile(c, rel, False) if c.chance(0.5) else c.phone(rel, False))
    d.put("\n现住址：")
    d.put(address8(c, True, "rented_room") if c.chance(0.5) else c.address(True))


def _s_school_health(c) -> None:
    d = c.d
    if c.age >= 15 and c.chance(0.75):  # most of these forms are a pupil's: the note's patient is a child
        c.patient = c.new_person(with_identity=True, child=True)
        c.age = c._age_at(c.patient.dob, c.visit)
    p = c.patient
    if c.age < 15:
        rel, relation = c.relative()
        d.f("{k}  幼儿/学生健康检查及复课证明\n", k=c.pick(("上海市托幼机构", "上海市中小学")))
        d.put(split_fields(c, p))
        d.put("  班级：")
        d.put(school_class(c))
        d.put("\n")
        d.put(c.dob_labelled())
        d.put("  ")
        d.put(c.card(True, ("child_fund_no",)) if c.chance(0.8) else c.rid_labelled())
        d.f("\n诊断：{dx}，已愈，可返校。", dx=c.dx()[0])
        d.put(disinfect(c) if c.chance(0.5) else [person_place(c), "春游返回后发病"])
        d.put("\n")
        d.put(salutation(c, p, parent=True))
        d.f("{r}（{rel}）", r=c.name(rel, "relative", True), rel=relation)
        d.put(c.phone(rel, True))
    else:
        d.put("托幼机构工作人员健康检查表\n")
        d.put(split_fields(c, p))
        d.put("  ")
        d.put(c.dob_labelled())
        d.put("\n")
        d.put(c.rid_labelled())
        where = (
            _D("person_named_place", "宋庆龄幼儿园")
            if c.chance(0.2)
            else c.pick(("区第二幼儿园", "街道托育点", "幼儿园"))
        )
        d.f("\n任职：{k}保育员  ", k=where)
        d.put(law(c, "托儿所"))
        d.put("\n联系电话：")
        d.put(c.phone(None, True))
    d.f("\n检查医生：{doc}", doc=ind._doctor(c))


def _s_yb_appeal(c) -> None:
    d = c.d
    p = c.patient
    d.put("医保费用审核 申诉书\n")
    d.put(salutation(c, p) if c.chance(0.4) else ["申诉人：", c.pname(True), "  "])
    d.put(["\n", *c.rid_labelled(), "  "])
    d.put(c.card(True))
    d.f("\n就诊：{fac} {dt}，{dx}，", fac=c.facility(), dt=c.date_decoy(), dx=c.dx()[0])
    d.put(c.rec(True))
    d.put("\n审核意见文号 ")
    d.put(doc_ref(c, ("沪医保监字", "浦医保申字")))
    d.put("，依据")
    d.put(law(c, "医疗保障") if c.chance(0.5) else law(c, "医疗保险"))
    d.f("扣除{amt}。本人不服，申请复核。", amt=c.amount(200, 9000))
    d.put("\n联系方式：")
    d.put(c.phone(None, False, landline_ok=False))
    d.put("  ")
    d.put(mail_line(c))
    if c.chance(0.4):
        d.put(["  ", *contact(c)])
    d.put("\n退款账户：")
    d.put(c.bank(True))


def _s_ivf_record(c) -> None:
    d = c.d
    for _ in range(40):  # a couple of reproductive age
        if 24 <= c.age <= 45:
            break
        c.patient = c.new_person(with_identity=True)
        c.age = c._age_at(c.patient.dob, c.visit)
    p = c.patient
    spouse = c.new_person(sex="男" if p.sex == "女" else "女", role="relative")
    d.f("生殖医学中心 夫妇建档登记  {fac}\n", fac=c.facility())
    d.put("女方：" if p.sex == "女" else "男方：")
    d.put(split_fields(c, p) if c.chance(0.5) else [c.pname(True)])
    d.put("  ")
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(c.dob_labelled())
    d.put("\n")
    d.put("男方：" if p.sex == "女" else "女方：")
    d.put(c.name(spouse, "relative", True))
    d.put("  电话 ")
    d.put(c.phone(spouse, False))
    d.put("\n")
    d.put(marriage_cert(c))
    d.put("\n")
    if 22 <= c.age <= 48:
        d.put(embryo(c))
        d.f("，移植日期 {dt}。", dt=c.date_decoy(c.later(5, 40)))
    else:
        d.f("本次为{what}。", what=c.pick(("生育力评估", "婚育史登记", "随访")))
    d.put(law(c, "辅助生殖") if c.chance(0.4) else "")
    d.f("\n经治医师：{doc}", doc=ind._doctor(c))


def _s_escort_registration(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.f("住院患者陪护人员登记表 {dept}\n患者：", dept=c.dept)
    d.put(paren_rec(c, True))
    d.put("  床号：")
    d.put(c.bed())
    d.f("\n陪护人：{r}（{rel}）  ", r=c.name(rel, "relative", True), rel=relation)
    d.put(c.pick(("陪护人电话：", "联系电话：", "手机 ")))
    d.put(c.phone(rel, False, landline_ok=False))
    d.put("\n陪护人住址：")
    d.put(address8(c, True, c.pick(("rented_room", "cjk_spaced"))) if c.chance(0.5) else c.address(True))
    if c.chance(0.3):
        d.put(["\n境外家属：", *contact(c, c.relative()[0])])
    d.f("\n登记护士：{n}  陪护证有效期至 {dt}", n=ind._nurse(c), dt=c.date_decoy(c.later(3, 15)))


def _s_dialysis_record(c) -> None:
    d = c.d
    d.f("血液透析治疗记录单  {fac}  ", fac=c.facility())
    d.put(c.rec(True) if c.chance(0.5) else ["患者：", *paren_rec(c, False)])
    d.put("\n")
    if c.chance(0.6):
        d.put(["姓名：", c.pname(True), "  "])
    d.put(c.card(True))
    d.f("\n透前体重{w}kg，", w=f"{c.rng.uniform(45, 85):.1f}")
    d.put(c.vitals("PB"))
    d.put("。")
    d.put(dialysis_adequacy(c))
    d.f("。\n抗凝：{drug}\n", drug=c.drug())
    d.put(signature_pair(c, c.pick(("上机/下机护士：", "穿刺/核对："))))
    d.put("\n家属电话：")
    d.put(c.phone(c.relative()[0], True))


ind._STYLE_FUNCS.update(
    {
        "e_prescription": _s_e_prescription,
        "infectious_report": _s_infectious_report,
        "work_injury": _s_work_injury,
        "school_health": _s_school_health,
        "yb_appeal": _s_yb_appeal,
        "ivf_record": _s_ivf_record,
        "escort_registration": _s_escort_registration,
        "dialysis_record": _s_dialysis_record,
    }
)


# -- lines clinicians append -------------------------------------------------------------------


def _phone_call(c) -> list:
    """A phone booking: the caller's name and how the surname was spelt."""
    rel, relation = c.relative()
    who = c.pick((c.patient, rel))
    head = "电话预约：患者" if who is c.patient else f"{relation}来电："
    return [head, *spelled(c, who)]


def _roster(c) -> list:
    """A spreadsheet row pasted into the note: name, record number, phone."""
    return ["随访表导出：", *paren_rec(c), "，", roster_phone(c, c.patient)]


def _abroad(c) -> list:
    rel, relation = c.relative()
    if c.chance(0.45):
        return [f"{relation}在日本，", c.name(rel, "relative", True), " ", *jp_account(c)]
    return [
        f"{relation}在境外，",
        c.name(rel, "relative", True),
        " ",
        *own_contact(c, rel, c.pick(HELDOUT8_ONLY["other_contact"])),
    ]


def _dob8(c) -> list:
    p = c.patient
    form = c.pick(HELDOUT8_ONLY["date_of_birth"])
    v = cjk_spaced(p.dob, c) if form == "cjk_spaced" else underscored(p.dob, c)
    return [c.pick(("出生日期：", "出生：")), _I("date_of_birth", form, v, True)]


def _rid8(c) -> list:
    return [
        c.pick(("身份证号：", "证件号码：")),
        _I("resident_id", "zero_width_inside", _zw(c, _full_id(c.patient)), True),
    ]


def _phone8(c) -> list:
    rel, relation = c.relative()
    r = c.rng.random()
    if r < 0.45:
        v = zero_mobile(c, rel, True)
    elif r < 0.75:
        v = _I("phone", "zero_width_inside", _zw(c, c.mobile_digits(rel)), True)
    else:
        v = _I("phone", "thousands_commas", commas(c.mobile_digits(rel)), True)
    return [f"{relation}", c.name(rel, "relative", True), " 电话：", v]


def _card8_line(c) -> list:
    form = "child_fund_no" if c.age < 18 else "thousands_commas"
    return [c.pick(_CARD_LABELS[form]), _I("card_number", form, _card8(c, form), True)]


def _addr8(c) -> list:
    return [c.pick(("现住址：", "居住地址：", "联系地址：")), address8(c, True)]


def _atc_line(c) -> list:
    drug = c.pick([x for x in c.sp["drugs"] if x in _ATC] or list(_ATC))
    return ["续方：", c.term(drug), *atc(c, drug)]


def _wedding(c) -> list:
    if c.age < 20:  # a child's file keeps the parents' certificate (出生医学证明 paperwork)
        return ["父母", *marriage_cert(c)]
    return ["婚姻状况：已婚，", *marriage_cert(c)]


def _letter(c) -> list:
    return ["回复函：", *salutation(c, c.patient, parent=c.age < 12), "您的材料已收到。"]


ind._EXTRAS.update(
    {
        "call8": _phone_call,
        "call8b": _phone_call,
        "call8c": _phone_call,
        "sig8": lambda c: signature_pair(c),
        "sig8b": lambda c: signature_pair(c),
        "sig8c": lambda c: signature_pair(c),
        "split8": lambda c: ["（附外院登记）", *split_fields(c, c.patient)],
        "split8b": lambda c: ["（附外院登记）", *split_fields(c, c.patient)],
        "letter8": _letter,
        "letter8b": _letter,
        "roster8": _roster,
        "abroad8": _abroad,
        "dob8": _dob8,
        "rid8": _rid8,
        "phone8": _phone8,
        "card8": _card8_line,
        "addr8": _addr8,
        "mail8": mail_line,
        "bank8": lambda c: [c.pick(("退费银行卡：", "信用卡（Diners）：")), diners(c)],
        "wed8": _wedding,
        "wx8": lambda c: ["家属联系：", *contact(c, c.relative()[0])],
        "wx8b": lambda c: ["患者本人：", *contact(c)],
        "atc8": _atc_line,
        "doc8": lambda c: ["附件：", doc_ref(c)],
        "law8": lambda c: ["依据", law(c)],
        "kt8": dialysis_adequacy,
        "class8": lambda c: ["子女班级：" if c.age >= 25 else "班级：", school_class(c, child=c.age < 18)],
        "place8": lambda c: ["既往晨练地点：" if c.age >= 18 else "春游地点：", person_place(c)],
        "emb8": lambda c: embryo(c) if 22 <= c.age <= 45 else ["依据", law(c)],
        "days8": lambda c: ["带药：", supply(c)],
        "exp8": lambda c: exposure(c) if c.age >= 18 else ["班级：", school_class(c)],
        "dis8": disinfect,
        "week8": lambda c: ["监测周：", epi_week(c)],
        "card8d": report_card,
    }
)
ind._EXTRA_KIND.update(
    {
        "call8": "",
        "call8b": "",
        "call8c": "",
        "sig8": "",
        "sig8b": "",
        "sig8c": "",
        "split8": "",
        "split8b": "",
        "letter8": "",
        "letter8b": "",
        "roster8": "",
        "abroad8": "",
        "dob8": "date_of_birth",
        "rid8": "resident_id",
        "phone8": "",
        "card8": "card_number",
        "addr8": "address",
        "mail8": "email",
        "bank8": "bank_card",
        "wed8": "",
        "wx8": "other_contact",
        "wx8b": "other_contact",
    }
)
ID_EXTRAS = ind._ID_EXTRAS + (
    "call8", "call8b", "call8c", "sig8", "sig8b", "sig8c", "split8", "split8b", "letter8", "letter8b", "roster8",
    "abroad8", "dob8", "rid8", "phone8", "card8", "addr8", "mail8", "bank8", "wed8", "contact", "wx8", "wx8b",
)  # fmt: skip
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "atc8", "doc8", "law8", "kt8", "class8", "place8", "emb8", "days8", "exp8", "dis8", "week8", "card8d",
)  # fmt: skip

# -- registration --------------------------------------------------------------------------------

register("heldout8", sys.modules[__name__], HELDOUT8_ONLY, HELDOUT8_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT8_DECOY_KINDS",
    "HELDOUT8_ONLY",
    "KINDS",
    "commas",
    "cjk_spaced",
    "pools",
    "underscored",
]
