"""The tenth held-out split of the independent corpus, ``heldout10`` (see ``independent.py``).

# =============================================================================================
# heldout10 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT10.md) describes what the tenth held-out split tests; knowing it turns
# the split into another development set, as happened to heldout … heldout9.
# independent.py calls in here only through the hooks registered for "heldout10" (_HOOKS).
# =============================================================================================

heldout10 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev and heldout … heldout9; its name, street and village pools are disjoint
from all ten. ``other_contact`` keeps heldout2's forms as its baseline. The theme is paperwork
around care that crosses borders and counters: 膏方 (winter herbal paste) clinics, 安宁疗护
(hospice) intake, 商保直赔 (direct billing of commercial insurance), 长三角 cross-province
outpatient settlement, 陪诊 (paid hospital escorts) and a ward's staff work group on WeCom /
DingTalk, with relatives working in Singapore. It was written by someone who has not read the
de-identifier (privacy/) or its documentation.
"""

from __future__ import annotations

import string
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
from bench.deid_eval.independent import _D, _I, _digits, _full_id, _luhn_complete, _Person, _Pools

HELDOUT10_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("at_mention", "surname_lao", "surname_campus"),
    "resident_id": ("sg_nric", "mixed_width"),
    "phone": ("sg_mobile_local", "mixed_width"),
    "card_number": ("yrd_psn_no", "mixed_width"),
    "hospital_record_no": ("letter_suffix", "mixed_width"),
    "date_of_birth": ("dot_space", "mixed_width"),
    "bank_card": ("unionpay_81", "sg_bank_account"),
    "address": ("slash_room", "lilong_room_part"),
    "email": ("autocap_first", "apple_relay"),
    "other_contact": ("wangwang_id", "skype_id"),
    "style": (
        "gaofang_order",
        "hospice_intake",
        "direct_pay_claim",
        "yrd_settlement",
        "accompany_service",
        "work_group_log",
    ),
}
HELDOUT10_DECOY_KINDS = (
    "train_no",
    "metro_line",
    "decoction_no",
    "pps_score",
    "ecog_grade",
    "claim_ratio",
    "tcm_house_name",
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
)

# -- people ------------------------------------------------------------------------------------

# The 百家姓 and the ordinary words heldout9 took are all in earlier pools; these are real
# surnames outside them, some common-looking (鹿, 恽, 召, 寻, 恒, 贯, 顿, 锁, 改), most rare.
_H10_SURNAMES = list("鹿隽剧改墙浑赛遇贯圣典亥鳌遆僧摩丑铎郤却召寻恒恭恽斐旦溥睢稽郯锁顿帛弭勃斗御遂将哀乞候")
_H10_GIVEN_M = (
    "维桢 仲甫 伯骥 季鸾 子恺 寅恪 芸生 思勉 朗照 霁川 蔚然 砚农 鹤汀 听涛 拙安 澹如 葆光 立斋 晦庵 谦益 "
    "益三 济民 仰山 知白 崇文 致和 惟勤 宪章 则徐 乐天 观复 子固 介甫 孟起 元亮 少陵 叔夜 泽民 振铎 士钊"
).split()
_H10_GIVEN_F = (
    "书仪 锦书 素问 清欢 瑶琴 湘云 宝琴 岫烟 晴雯 麝月 云岫 含章 问梅 寄萍 画屏 沅芷 澧兰 杜若 韶华 绿绮 "
    "青鸾 佩玖 琼琚 淑慎 瑾瑜 婉兮 如英 嘉卉 芳蕤 若素 素心 倚竹 菀柳 静女 舜华 有蕖 萱草 柔嘉 怀珠 雪芹 凝碧 梦蝶"
).split()
_H10_RARE = ("隰", "鬲", "顼", "麹", "衅", "邶", "沮", "啜")
_H10_COMPOUND = ("即墨", "达奚", "南荣", "伯赏", "乞伏", "尔朱", "青阳", "东门")
_H10_WORD_LIKE = (
    ("典", "雅"),
    ("寻", "梦"),
    ("遇", "见"),
    ("贯", "通"),
    ("改", "革"),
    ("顿", "悟"),
    ("遂", "愿"),
    ("斗", "志"),
    ("恒", "久"),
)

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER, _H10_SURNAMES, _H10_GIVEN_M, _H10_GIVEN_F, _H10_RARE, _H10_COMPOUND, _H10_WORD_LIKE
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


def lao(c, person: _Person) -> list:
    """A senior doctor called by the surname and 老 (冒老: a 名老中医, a retired professor); span = the surname."""
    return [_I("person_name", "surname_lao", person.surname, True), "老"]


_CAMPUS = ("导", "导", "博", "师兄")


def campus(c, person: _Person) -> list:
    """How residents and students name a supervisor or a senior (冒导, 冒博, 冒师兄); span = the surname."""
    return [_I("person_name", "surname_campus", person.surname, True), c.pick(_CAMPUS)]


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    if title in (None, "主任") and c.chance(0.45):
        return lao(c, person or c.staff())
    return None  # dev's surname + title


def patient_mention(c) -> list | None:
    return None  # dev's


def at(c, person: _Person | None = None, labelled: bool = True) -> list:
    """A mention in a WeCom / DingTalk work group: ``@冒伯安`` (span = the name; ``@`` is context)."""
    person = person or c.staff()
    return ["@", _I("person_name", "at_mention", person.full, labelled)]


# -- mixed half- and fullwidth input ------------------------------------------------------------


def _fw_char(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch


def mixed_width(c, s: str) -> str:
    """``s`` typed with the input method switched between half- and fullwidth part-way: the digits
    and letters on one side of a cut are fullwidth, the other side's stay ASCII (punctuation stays
    ASCII). Both sides hold at least one digit or letter."""
    alnum = [i for i, ch in enumerate(s) if ch.isascii() and ch.isalnum()]
    k = c.rng.randrange(1, len(alnum))
    cut = alnum[k]
    head, tail = s[:cut], s[cut:]
    if c.chance(0.6):
        return head + "".join(_fw_char(ch) for ch in tail)
    return "".join(_fw_char(ch) for ch in head) + tail


# -- resident IDs (Singapore NRIC / FIN) ----------------------------------------------------------

_NRIC_W = (2, 7, 6, 5, 4, 3, 2)


def nric_check(prefix: str, digits7: str) -> str:
    """The check letter of a Singapore NRIC / FIN: weights 2 7 6 5 4 3 2, +4 for T and G, the
    remainder mod 11 looked up in JZIHGFEDCBA (S, T) or XWUTRQPNMLK (F, G)."""
    total = sum(int(d) * w for d, w in zip(digits7, _NRIC_W, strict=True)) + (4 if prefix in "TG" else 0)
    table = "JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK"
    return table[total % 11]


def nric(c, person: _Person) -> str:
    """A Singapore NRIC (S / T: permanent resident born before / from 2000) or FIN (F / G: pass
    holder) of a Chinese national working in Singapore; the same for the person within a note."""
    if "h10_nric" not in person.cache:
        born_2000 = person.dob is not None and person.dob.year >= 2000
        if c.chance(0.4):
            prefix = "T" if born_2000 else "S"
        else:
            prefix = "G" if born_2000 else "F"
        body = _digits(c.rng, 7)
        person.cache["h10_nric"] = prefix + body + nric_check(prefix, body)
    return person.cache["h10_nric"]


def sg_line(c, person: _Person | None = None) -> list:
    person = person or c.patient
    label = c.pick(("新加坡NRIC：", "新加坡准证FIN：", "（在新加坡工作）NRIC/FIN ", "新加坡身份证号："))
    return [label, _I("resident_id", "sg_nric", nric(c, person), True)]


def rid(c, labelled: bool) -> _I | None:
    if c.chance(0.14):
        return _I("resident_id", "mixed_width", mixed_width(c, _full_id(c.patient)), labelled)
    return None


def rid_labelled(c) -> list:
    if c.age >= 20 and c.chance(0.12):
        return sg_line(c)
    return labelled_rid(c, {"mixed_width": ("身份证号：", "证件号码：", "身份证 ")})


# -- dates of birth ----------------------------------------------------------------------------


def dot_space(d) -> tuple[str, ...]:
    """Year, month and day each followed by a dot and a space, as Korean and some Singapore forms
    print them: 1956. 3. 7. / 1956. 03. 07."""
    return (
        f"{d.year}. {d.month}. {d.day}.",
        f"{d.year}. {d.month:02d}. {d.day:02d}.",
        f"{d.year}. {d.month:02d}. {d.day:02d}",
    )


def dob_mixed(c, d) -> str:
    base = c.pick(
        (d.isoformat(), d.strftime("%Y%m%d"), f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y.%m.%d"))
    )
    return mixed_width(c, base)


def dob(c, labelled: bool, person: _Person) -> _I | None:
    d = person.dob
    if d is None:
        return None
    r = c.rng.random()
    if r < 0.14:
        return _I("date_of_birth", "dot_space", c.pick(dot_space(d)), labelled)
    if r < 0.28:
        return _I("date_of_birth", "mixed_width", dob_mixed(c, d), labelled)
    return None


def dob_labelled(c) -> list:
    return labelled_dob(
        c, {"dot_space": ("出生日期：", "生日：", "DOB: "), "mixed_width": ("出生日期：", "出生：")}
    )


# -- phones --------------------------------------------------------------------------------------


def sg_mobile(c, person: _Person) -> str:
    """A Singapore mobile (8 digits starting 8 or 9) written the local way, without +65."""
    if "h10_sgm" not in person.cache:
        n = c.pick("89") + _digits(c.rng, 7)
        person.cache["h10_sgm"] = c.pick((n, f"{n[:4]} {n[4:]}", f"{n[:4]}-{n[4:]}"))
    return person.cache["h10_sgm"]


def sg_phone_line(c, person: _Person) -> list:
    return [
        c.pick(("新加坡手机：", "新加坡电话 ", "（新加坡）手机 ")),
        _I("phone", "sg_mobile_local", sg_mobile(c, person), True),
    ]


def phone_mixed(c, person: _Person, labelled: bool) -> _I:
    return _I("phone", "mixed_width", mixed_width(c, c.mobile_digits(person)), labelled)


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    r = c.rng.random()
    if person is c.patient:
        return phone_mixed(c, person, labelled) if r < 0.16 else None
    if r < 0.14:
        return phone_mixed(c, person, labelled)
    if r < 0.24:  # a relative working in Singapore
        return _I("phone", "sg_mobile_local", sg_mobile(c, person), labelled)
    return None


# -- cards, record numbers ---------------------------------------------------------------------

# county codes of Jiangsu, Zhejiang and Anhui (长三角 insured persons treated in Shanghai)
_YRD_AREAS = (
    ("江苏省苏州市", "320506"),
    ("江苏省苏州市", "320583"),
    ("江苏省南通市", "320681"),
    ("江苏省无锡市", "320214"),
    ("浙江省嘉兴市", "330421"),
    ("浙江省杭州市", "330106"),
    ("浙江省宁波市", "330212"),
    ("安徽省合肥市", "340104"),
    ("安徽省安庆市", "340827"),
)


def yrd_area(c) -> tuple[str, str]:
    p = c.patient
    if "h10_yrd" not in p.cache:
        p.cache["h10_yrd"] = c.pick(_YRD_AREAS)
    return p.cache["h10_yrd"]


def yrd_psn(c) -> str:
    """The 医保 person number of someone insured in Jiangsu, Zhejiang or Anhui: the insuring
    county's code + 14 digits (the layout of dev's Shanghai yb_personal_code, another region)."""
    p = c.patient
    if "h10_psn" not in p.cache:
        p.cache["h10_psn"] = yrd_area(c)[1] + _digits(c.rng, 14)
    return p.cache["h10_psn"]


def yrd_line(c, labelled: bool = True) -> list:
    span = _I("card_number", "yrd_psn_no", yrd_psn(c), labelled)
    if not labelled:
        return [span]
    return [c.pick(("参保地人员编号：", "医保人员编号（外省）：", "异地人员编号 ")), span]


def card_mixed(c, labelled: bool = True) -> list:
    p = c.patient
    if "h10_cardmw" not in p.cache:
        base = c.pick((_digits(c.rng, 9, True), c.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + _digits(c.rng, 8)))
        p.cache["h10_cardmw"] = mixed_width(c, base)
    span = _I("card_number", "mixed_width", p.cache["h10_cardmw"], labelled)
    return [c.pick(("社保卡号：", "医保卡号：", "社保卡 ")), span] if labelled else [span]


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    if forms is None:
        r = c.rng.random()
        if r < 0.09:
            return yrd_line(c, labelled)
        if r < 0.18:
            return card_mixed(c, labelled)
        return c.pick(ind._SHARED_FORMS["card_number"])
    form = c.pick(forms)
    if form == "yrd_psn_no":
        return yrd_line(c, labelled)
    if form == "mixed_width":
        return card_mixed(c, labelled)
    return form


def _rec_digits(c) -> str:
    return c.patient.cache.setdefault(
        "rec_inpatient_no", _digits(c.rng, c.pick((6, 7, 8)), first_nonzero=True)
    )


def letter_suffix(c) -> str:
    """A 住院号 with a letter suffix: a readmission under the same number (A, B) or a newborn
    recorded under the mother's number (Y, Y1, Y2)."""
    p = c.patient
    if "h10_sfx" not in p.cache:
        p.cache["h10_sfx"] = _rec_digits(c) + c.pick(("A", "B", "Y", "Y1", "Y2"))
    return p.cache["h10_sfx"]


def rec_line(c, form: str | None = None) -> list:
    form = form or c.pick(("letter_suffix", "mixed_width"))
    if form == "letter_suffix":
        return [
            c.pick(("住院号：", "病案号：", "住院号 ")),
            _I("hospital_record_no", form, letter_suffix(c), True),
        ]
    v = mixed_width(c, _rec_digits(c))
    return [c.pick(("住院号：", "病案号：", "门诊号：")), _I("hospital_record_no", form, v, True)]


def rec(c, labelled: bool) -> list | None:
    if labelled and c.chance(0.26):
        return rec_line(c)
    return None


# -- bank accounts, e-mail, other contacts -------------------------------------------------------


def unionpay_81(c, labelled: bool = True) -> _I:
    """A UnionPay card on the 81 range (16 or 19 digits, Luhn), whole or in fours."""
    n = c.pick((16, 16, 19))
    num = _luhn_complete("81" + c.pick(("71", "00", "61", "14")) + _digits(c.rng, n - 5))
    v = num if c.chance(0.5) else " ".join(num[i : i + 4] for i in range(0, n, 4))
    return _I("bank_card", "unionpay_81", v, labelled)


def sg_account(c, person: _Person) -> list:
    """A Singapore bank account of a relative there: DBS (3-6-1) or POSB savings (3-5-1)."""
    if "h10_sgacct" not in person.cache:
        rng = c.rng
        person.cache["h10_sgacct"] = c.pick(
            (
                ("DBS", f"0{_digits(rng, 2)}-{_digits(rng, 6)}-{_digits(rng, 1)}"),
                ("POSB", f"{_digits(rng, 3, True)}-{_digits(rng, 5)}-{_digits(rng, 1)}"),
            )
        )
    bank_name, v = person.cache["h10_sgacct"]
    return [f"{bank_name} Account No. ", _I("bank_card", "sg_bank_account", v, True)]


def bank(c, labelled: bool) -> _I | None:
    if c.chance(0.08):
        return unionpay_81(c, labelled)
    return None


_MAIL = ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "139.com")


def autocap(c) -> str:
    """A mailbox whose first letter a phone keyboard capitalised: Maoba56@163.com."""
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    local = c.pick((f"{a}{b}{c.rng.randrange(60, 99)}", f"{a}.{b}", f"{a}{b}{c.rng.randrange(1960, 2005)}"))
    return local[0].upper() + local[1:] + "@" + c.pick(_MAIL)


def apple_relay(c) -> str:
    """An Apple 'Hide My Email' relay address (10 random characters at privaterelay.appleid.com),
    which forwards to the person's own mailbox."""
    chars = string.ascii_lowercase + string.digits
    local = "".join(c.rng.choice(chars) for _ in range(10))
    return f"{local}@privaterelay.appleid.com"


def email(c, labelled: bool) -> _I | None:
    r = c.rng.random()
    if r < 0.1:
        return _I("email", "autocap_first", autocap(c), labelled)
    if r < 0.17:
        return _I("email", "apple_relay", apple_relay(c), labelled)
    return None


def mail_line(c) -> list:
    if c.chance(0.35):
        return ["电子邮箱：", c.email(True)]
    if c.chance(0.6):
        return [c.pick(("邮箱：", "E-mail：", "电子邮箱：")), _I("email", "autocap_first", autocap(c), True)]
    return [
        c.pick(("Apple ID（隐藏邮箱）：", "通过Apple登录，邮箱 ", "中转邮箱：")),
        _I("email", "apple_relay", apple_relay(c), True),
    ]


def own_contact(c, person: _Person, form: str, labelled: bool = True) -> list:
    key = "h10_" + form
    if key not in person.cache:
        rng = c.rng
        a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
        if form == "wangwang_id":
            person.cache[key] = c.pick(
                (
                    f"tb{_digits(rng, 9, True)}",
                    f"tb_{_digits(rng, 8, True)}",
                    f"{a}{b}{rng.randrange(1960, 2005)}",
                )
            )
        else:
            hx = "".join(rng.choice("0123456789abcdef") for _ in range(16))
            person.cache[key] = c.pick(
                (f"live:.cid.{hx}", f"live:{a}{b}{rng.randrange(10, 99)}", f"live:{a}.{b}")
            )
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "wangwang_id":
        return [c.pick(("淘宝旺旺：", "旺旺号 ", "淘宝账号：")), span]
    return [c.pick(("Skype：", "Skype ID ", "Skype账号：")), span]


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    person = person or c.patient
    if not c.chance(0.3):
        return ind._h2_contact(c, person, labelled)
    return own_contact(c, person, c.pick(HELDOUT10_ONLY["other_contact"]), labelled)


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout10"] = {
    "杨浦区": ("国定路", "营口路"),
    "闵行区": ("漕宝路", "新镇路"),
    "静安区": ("昌化路", "常德路"),
    "黄浦区": ("顺昌路",),
    "浦东新区": ("崮山路", "栖霞路", "浦电路"),
    "松江区": ("新松江路",),
}
ind._NEW_VILLAGES["heldout10"] = (
    ("杨浦区", "工农新村"),
    ("静安区", "灵石新村"),
    ("普陀区", "真光新村"),
    ("闵行区", "平南小区"),
    ("徐汇区", "宛南五村"),
    ("浦东新区", "梅园新村"),
    ("浦东新区", "竹园小区"),
)
ind._VILLAGES["heldout10"] = (
    ("宝山区", "罗泾镇", "海星村"),
    ("松江区", "泖港镇", "黄桥村"),
    ("青浦区", "练塘镇", "东厍村"),
    ("崇明区", "港沿镇", "园艺村"),
    ("浦东新区", "新场镇", "新卫村"),
    ("金山区", "金山卫镇", "北联村"),
)
ind._OUT_OF_TOWN["heldout10"] = (
    ("江苏省苏州市昆山市", "花桥镇", "绿地大道"),
    ("浙江省嘉兴市嘉善县", "魏塘街道", "谈公路"),
    ("江苏省南通市启东市", "汇龙镇", "公园中路"),
    ("安徽省安庆市望江县", "华阳镇", "雷阳路"),
)

# the parts of a 石库门 house let out as rooms (亭子间 over the kitchen, 前楼 / 后楼, 灶披间 …)
_LILONG_PARTS = ("亭子间", "前楼", "后楼", "灶披间", "客堂间", "三层阁", "前厢房", "二楼前楼", "二楼后楼")
_OLD_ROADS = {"黄浦区": ("顺昌路",), "静安区": ("昌化路", "常德路")}


def address10(c, labelled: bool, form: str | None = None) -> _I:
    form = form or c.pick(HELDOUT10_ONLY["address"])
    rng = c.rng
    lane, bldg = rng.randrange(1, 900), rng.randrange(1, 40)
    if form == "lilong_room_part":  # a room of an old lane house, named by its place in the house
        district = c.pick(list(_OLD_ROADS))
        road = c.pick(_OLD_ROADS[district])
        head = c.pick(("", district, "上海市" + district))
        v = f"{head}{road}{lane}弄{bldg}号{c.pick(_LILONG_PARTS)}"
    else:  # building / room with a slash, as a courier label or a quick note writes it
        room = rng.randrange(1, 24) * 100 + rng.randrange(1, 7)
        if c.chance(0.35):
            dist, nv = c.pick(ind._NEW_VILLAGES["heldout10"])
            v = c.pick((f"{dist}{nv}{bldg}/{room}", f"{nv}{bldg}号/{room}室"))
        else:
            streets = ind._STREETS["heldout10"]
            district = c.pick(list(streets))
            road = c.pick(streets[district])
            head = c.pick(("", district, "上海市" + district))
            v = c.pick((f"{head}{road}{lane}弄{bldg}/{room}", f"{head}{road}{lane}弄{bldg}号/{room}室"))
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if c.style in ("gaofang_order", "accompany_service", "hospice_intake") and c.chance(0.2):
        return address10(c, labelled)
    if c.chance(0.06):
        return address10(c, labelled)
    return None


# -- decoys --------------------------------------------------------------------------------------


def train_no(c) -> _D:
    """A 长三角 high-speed train the patient came on (G / D + 1-4 digits)."""
    return _D(
        "train_no",
        c.pick(("G", "G", "D"))
        + str(c.rng.randrange(7001, 7399) if c.chance(0.6) else c.rng.randrange(1, 3000)),
    )


def metro(c) -> _D:
    """A Shanghai metro line, with an exit sometimes (where an escort meets the client)."""
    line = f"{c.rng.randrange(1, 19)}号线"
    return _D("metro_line", line + (f"{c.rng.randrange(1, 9)}号口" if c.chance(0.5) else ""))


def decoction_no(c) -> list:
    """A 代煎 / 膏方 processing number (DJ + date + serial; layout synthetic)."""
    return [
        c.pick(("代煎号：", "加工单号 ", "膏方编号：")),
        _D("decoction_no", "DJ" + c.visit.strftime("%Y%m%d") + "-" + _digits(c.rng, 4)),
    ]


def pps(c) -> list:
    return ["PPS评分 ", _D("pps_score", f"PPS {c.pick((10, 20, 30, 40, 50, 60))}%")]


def ecog(c) -> _D:
    return _D("ecog_grade", c.pick(("ECOG ", "ECOG PS ")) + str(c.rng.randrange(1, 5)))


def claim_ratio(c) -> list:
    return ["赔付比例", _D("claim_ratio", f"{c.pick((60, 70, 80, 90, 100))}%")]


# old Shanghai and Zhejiang herbal pharmacies named after their founders (童涵春, 蔡同德 …)
_HOUSES = ("童涵春堂", "蔡同德堂", "胡庆余堂", "余天成堂", "徐重道")


def house(c) -> _D:
    return _D("tcm_house_name", c.pick(_HOUSES))


# -- styles --------------------------------------------------------------------------------------


def _s_gaofang_order(c) -> None:
    d = c.d
    chief = c.staff()
    d.f("{fac} 中医科 膏方门诊 开方及代加工登记\n患者：", fac=c.facility())
    d.put(c.pname(True))
    d.put(["  ", c.patient.sex, "  ", c.age_decoy(), "  "])
    d.put(c.phone_labelled())
    d.put("\n")
    d.put(c.rid_labelled() if c.chance(0.5) else c.dob_labelled())
    d.put("\n开方：")
    d.put(lao(c, chief))
    d.put("（名老中医工作室）  辨证：")
    d.put(c.term(c.pick(ind._TCM_SIGNS)))
    d.put("\n处方：")
    d.put(c.herbs(3))
    d.put("，阿胶、龟甲胶收膏\n加工：")
    d.put(house(c))
    d.put("  ")
    d.put(decoction_no(c))
    d.put("  取膏日期 ")
    d.put(c.date_decoy(c.later(7, 15)))
    d.put("\n配送地址：")
    d.put(address10(c, True) if c.chance(0.45) else c.address(True))


def _s_hospice_intake(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.put("安宁疗护 入住评估表（舒缓疗护病区）\n患者：")
    d.put(c.pname(True))
    d.put(["  ", c.patient.sex, "  "])
    d.put(c.dob_labelled())
    d.put("  ")
    d.put(c.rec(True))
    d.f("\n诊断：{dx}晚期  ", dx=c.dx()[0])
    d.put(pps(c))
    d.put("  ")
    d.put(ecog(c))
    d.put("  疼痛评分 NRS 6，予")
    d.put(c.drug())
    d.f("\n主要照护者：{r}（{rel}）", r=c.name(rel, "relative", True), rel=relation)
    if c.chance(0.4):
        d.put("，在新加坡工作，")
        d.put(sg_phone_line(c, rel) if c.chance(0.6) else sg_line(c, rel))
    else:
        d.put(" ")
        d.put(c.phone(rel, False))
    d.put("\n生前预嘱：已签署。居住地址：")
    d.put(address10(c, True) if c.chance(0.35) else c.address(True))
    d.put("\n评估：")
    d.put(c.name(c.staff(), "nurse", True))
    d.put("  主诊：")
    d.put(lao(c, c.staff()) if c.chance(0.4) else [ind._doctor(c)])


def _s_direct_pay_claim(c) -> None:
    d = c.d
    d.put("商业健康保险 直赔（直付）申请单  ")
    d.put(c.facility())
    d.put("\n被保险人：")
    d.put(c.pname(True))
    d.put("  ")
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(rec_line(c) if c.chance(0.5) else c.rec(True))
    d.put("  ")
    d.put(c.card(True))
    d.f("\n费用总额 {a}  免赔额 {b}  ", a=c.amount(3000, 80000), b=c.amount(100, 20000))
    d.put(claim_ratio(c))
    d.put("\n赔付账户：")
    if c.chance(0.3):
        rel, relation = c.relative()
        d.f("{r}（{rel}，在新加坡）", r=c.name(rel, "relative", True), rel=relation)
        d.put(sg_account(c, rel))
    else:
        d.put(unionpay_81(c) if c.chance(0.2) else c.bank(True))
    d.put("\n理赔通知邮箱：")
    d.put(_I("email", "apple_relay", apple_relay(c), True) if c.chance(0.5) else c.email(True))
    d.put("  经办：")
    d.put(c.name(c.staff(), "doctor", True))


_YRD_HOSP = ("苏州大学附属第一医院", "浙江大学医学院附属第一医院", "安徽医科大学第一附属医院")


def _s_yrd_settlement(c) -> None:
    d = c.d
    prov, _code = yrd_area(c)
    d.put("长三角 异地门诊费用直接结算单  就医地：上海  ")
    d.put(c.facility())
    d.f("\n参保人：{n}  参保地：{prov}\n", n=c.pname(True), prov=prov)
    d.put(yrd_line(c))
    d.put("  ")
    d.put(labelled_rid(c, {"mixed_width": ("身份证号：", "证件号码：")}))
    d.put("\n")
    d.put(c.dob_labelled())
    d.put("  乘高铁")
    d.put(train_no(c))
    d.put("次来沪就诊\n")
    d.put(c.rec(True))
    d.f("  诊断：{dx}\n", dx=c.dx()[0])
    d.f("医疗费总额 {a}  统筹基金支付 {b}\n", a=c.amount(200, 9000), b=c.amount(100, 6000))
    d.put(c.invoice())
    d.put("\n联系电话：")
    d.put(c.phone(None, True))


def _s_accompany_service(c) -> None:
    d = c.d
    rel, relation = c.relative()
    escort = c.staff()
    d.put("陪诊服务记录单（独居老人/子女在外）\n委托人：")
    d.put(c.name(rel, "relative", True))
    d.f("（{rel}）", rel=relation)
    d.put(sg_phone_line(c, rel) if c.chance(0.35) else c.phone_labelled(rel))
    d.put("\n就诊人：")
    d.put(c.pname(True))
    d.put("  ")
    d.put(c.phone(None, True))
    d.put("\n接送地址：")
    d.put(address10(c, True) if c.chance(0.5) else c.address(True))
    d.put("\n集合：")
    d.put(metro(c))
    d.put("  就诊：")
    d.put(c.facility())
    d.f(" {dept}  ", dept=c.dept)
    d.put(c.rec(True))
    d.put("\n陪诊师：")
    d.put(c.name(escort, "nurse", True))
    d.put("  下单：")
    d.put(contact(c, rel))


def _s_work_group_log(c) -> None:
    d = c.d
    chief, resident, nurse = c.staff(), c.staff(), c.staff()
    d.f("{dept}医生工作群（企业微信）消息摘录 {dt}\n", dept=c.dept, dt=c.date_decoy())
    d.put(c.name(nurse, "nurse", True))
    d.put("：")
    d.put(at(c, resident))
    d.put(" ")
    d.put(c.bed())
    d.put(" ")
    d.put(c.pname(False))
    d.put(c.pick(("家属到了，", "血压偏低，", "今晚发热，")))
    d.put(c.vitals("TB"))
    d.put("\n")
    d.put(c.name(resident, "doctor", True))
    d.put("：收到，")
    d.put(campus(c, chief))
    d.put("看过，先予")
    d.put(c.drug())
    d.put("\n")
    d.put(c.name(resident, "doctor", True))
    d.put("：")
    d.put(at(c, chief))
    d.put(" ")
    d.put(c.rec(True))
    d.put(c.pick((" CT已出，", " 病理已回，")))
    d.f("考虑{dx}\n", dx=c.dx()[0])
    d.put(c.name(chief, "doctor", True))
    d.put("：")
    d.put(at(c, nurse))
    d.put(" 联系家属，明早")
    d.put(lao(c, c.staff()) if c.chance(0.5) else campus(c, chief))
    d.put("查房")


ind._STYLE_FUNCS.update(
    {
        "gaofang_order": _s_gaofang_order,
        "hospice_intake": _s_hospice_intake,
        "direct_pay_claim": _s_direct_pay_claim,
        "yrd_settlement": _s_yrd_settlement,
        "accompany_service": _s_accompany_service,
        "work_group_log": _s_work_group_log,
    }
)


# -- lines clinicians append -------------------------------------------------------------------


def _at_line(c) -> list:
    return [
        c.pick(("群消息：", "工作群：", "钉钉群：")),
        *at(c),
        c.pick(("，请今日完成会诊", "，麻烦看下化验", "，家属在护士站", "，病历已提交")),
    ]


def _lao_line(c) -> list:
    return [c.pick(("经", "请", "已请")), *lao(c, c.staff()), c.pick(("会诊", "看过", "审方"))]


def _campus_line(c) -> list:
    return [
        c.pick(("已汇报", "已请示", "跟")),
        *campus(c, c.staff()),
        c.pick(("，同意", "，继续观察", "查房")),
    ]


def _sg_rel(c) -> list:
    rel, relation = c.relative()
    r = c.rng.random()
    head = [f"{relation}在新加坡，", c.name(rel, "relative", True), " "]
    if r < 0.4:
        return [*head, *sg_phone_line(c, rel)]
    if r < 0.75:
        return [*head, *sg_line(c, rel)]
    return [*head, "汇款：", *sg_account(c, rel)]


def _dob10(c) -> list:
    d = c.patient.dob
    if c.chance(0.5):
        return [
            c.pick(("出生日期：", "生日：")),
            _I("date_of_birth", "dot_space", c.pick(dot_space(d)), True),
        ]
    return [c.pick(("出生日期：", "出生：")), _I("date_of_birth", "mixed_width", dob_mixed(c, d), True)]


def _rid10(c) -> list:
    if c.age >= 20 and c.chance(0.45):
        return sg_line(c)
    return ["身份证号：", _I("resident_id", "mixed_width", mixed_width(c, _full_id(c.patient)), True)]


def _card10(c) -> list:
    return yrd_line(c) if c.chance(0.5) else card_mixed(c)


def _phone10(c) -> list:
    if c.chance(0.5):
        return [c.pick(("联系电话：", "手机 ")), phone_mixed(c, c.patient, True)]
    rel, relation = c.relative()
    return [f"{relation}", c.name(rel, "relative", True), " ", *sg_phone_line(c, rel)]


def _pay10(c) -> list:
    return [c.pick(("退款银行卡：", "银行卡 ", "账号：")), unionpay_81(c) if c.chance(0.5) else c.bank(True)]


ind._EXTRAS.update(
    {
        "at10": _at_line,
        "at10b": _at_line,
        "at10c": _at_line,
        "at10d": _at_line,
        "lao10c": _lao_line,
        "campus10c": _campus_line,
        "lao10": _lao_line,
        "lao10b": _lao_line,
        "campus10": _campus_line,
        "campus10b": _campus_line,
        "sg10": _sg_rel,
        "dob10": _dob10,
        "rid10": _rid10,
        "card10": _card10,
        "rec10": rec_line,
        "phone10": _phone10,
        "addr10": lambda c: (
            [c.pick(("现住址：", "快递地址：", "联系地址：")), address10(c, True)]
            if c.chance(0.45)
            else c.addr_labelled()
        ),
        "mail10": mail_line,
        "pay10": _pay10,
        "wx10": lambda c: ["家属联系：", *contact(c, c.relative()[0])],
        "train10": lambda c: ["外省患者，乘", train_no(c), "次高铁来沪复诊"],
        "metro10": lambda c: ["陪诊集合点：", metro(c)],
        "decoct10": decoction_no,
        "pps10": pps,
        "ecog10": lambda c: ["体能状态 ", ecog(c)],
        "ratio10": lambda c: ["商保直赔，", *claim_ratio(c)],
        "house10": lambda c: ["膏方委托", house(c), "加工"],
    }
)
ind._EXTRA_KIND.update(
    {
        "at10": "",
        "at10b": "",
        "at10c": "",
        "at10d": "",
        "lao10c": "",
        "campus10c": "",
        "lao10": "",
        "lao10b": "",
        "campus10": "",
        "campus10b": "",
        "sg10": "",
        "dob10": "date_of_birth",
        "rid10": "resident_id",
        "card10": "card_number",
        "rec10": "hospital_record_no",
        "phone10": "",
        "addr10": "address",
        "mail10": "email",
        "pay10": "bank_card",
        "wx10": "other_contact",
    }
)
ID_EXTRAS = ind._ID_EXTRAS + (
    "at10", "at10b", "at10c", "at10d", "lao10c", "campus10c", "lao10", "lao10b", "campus10", "campus10b", "sg10", "dob10", "rid10",
    "card10", "rec10", "phone10", "addr10", "mail10", "pay10", "contact", "wx10",
)  # fmt: skip
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "train10", "metro10", "decoct10", "pps10", "ecog10", "ratio10", "house10",
)  # fmt: skip

# -- registration --------------------------------------------------------------------------------

register("heldout10", sys.modules[__name__], HELDOUT10_ONLY, HELDOUT10_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT10_DECOY_KINDS",
    "HELDOUT10_ONLY",
    "KINDS",
    "mixed_width",
    "nric_check",
    "pools",
]
