"""The seventh held-out split of the independent corpus, ``heldout7`` (see ``independent.py``).

# =============================================================================================
# heldout7 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT7.md) describes what the seventh held-out split tests; knowing it turns
# the split into another development set, as happened to heldout … heldout6.
# independent.py calls in here only through the hooks registered for "heldout7" (_HOOKS).
# =============================================================================================

heldout7 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev and heldout … heldout6; its name, street and village pools are disjoint
from all seven. ``other_contact`` keeps heldout2's forms as its baseline. The theme is paperwork
that leaves the ward by hand: nursing handovers (SBAR), pharmacy slips and home delivery, remote
MDT minutes, 长护险 assessment applications, commercial-insurance claim paperwork, death
certificates, requests for copies of the record, and letters from families. It was written by
someone who has not read the de-identifier (privacy/deid/) or its documentation.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from bench.deid_eval import independent as ind
from bench.deid_eval.heldout_common import (
    BASELINE_FORMS,
    DOB_LABELS_CN_NUMERALS,
    KINDS,
    email_local,
    filtered_pools,
    give_identity,
    labelled_dob,
    labelled_rid,
    pick_person,
    register,
)
from bench.deid_eval.independent import _D, _I, _digits, _full_id, _Person, _Pools

HELDOUT7_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("addressee_shou", "deceased_kin_prefix", "pinyin_given_first", "seal_impression"),
    "resident_id": ("glued_to_name", "ideographic_space", "joined_with_phone"),
    "phone": ("pbx_nine_prefix", "tel_uri", "ip_dial_prefix"),
    "card_number": ("member_dependant", "no_prefixed"),
    "hospital_record_no": ("url_query", "slash_joined"),
    "date_of_birth": ("en_ordinal", "cn_numerals_nian", "cn_datetime"),
    "bank_card": ("hk_bank_account", "ecny_wallet"),
    "address": ("zhi_long", "district_abbrev", "hash_for_hao"),
    "email": ("wrapped_after_at", "glued_cn_text", "aite_cn"),
    "other_contact": ("line_id", "wx_openid"),
    "style": (
        "sbar_handover",
        "pharmacy_slip",
        "remote_mdt",
        "genetic_report",
        "claim_investigation",
        "death_certificate",
        "record_copy_request",
        "family_letter",
    ),
}
HELDOUT7_DECOY_KINDS = (
    "eponym_sign",
    "tcm_lineage",
    "campus_name",
    "meeting_id",
    "gene_variant",
    "standard_no",
    "admin_division_code",
    "infusion_rate",
    "analyzer_id",
    "radiation_dose",
    "referral_no",
    "pack_spec",
    "hospital_account",
    "event_datetime_cn",
)
EARLIER = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")

# -- people ------------------------------------------------------------------------------------

# surnames no earlier split uses (a few are ordinary words: 明, 和, 红, 福 …), with their pinyin
SURNAME_PINYIN = dict(
    zip(
        "须於酆殳养墨哈年赏伯那越利都别通从明和红益爱福隋辜涂沐宾钦汝修竹芦枚凡泉占户淦才招犹菅藏苌茆粘泰旺闪枝化历鄞塔钞雪羌",
        "xu yu feng shu yang mo ha nian shang bo na yue li du bie tong cong ming he hong yi ai fu sui gu tu mu bin "
        "qin ru xiu zhu lu mei fan quan zhan hu gan cai zhao you jian zang chang mao nian tai wang shan zhi hua li "
        "yin ta chao xue qiang".split(),
        strict=True,
    )
)
_H7_SURNAMES = list(SURNAME_PINYIN)
_GIVEN_PINYIN_M = dict(
    zip(
        "嘉禾 世勋 宝坤 念慈 延龄 锡荣 晋元 载舟 立夫 亦农 鹤年 寿康 松龄 叔平 季常 竞成 望舒 "
        "孟实 继祖 耀宗 阿大 小弟 关林 友三 雁宾 涵之 逸群 观澜 敬亭 炳章 锦堂 伯庸 仲文 德馨 "
        "敬修 怀瑾 尚武 泽霖 鼎元 翊臣 伯言 季鹰 铭德 安邦 士奇".split(),
        "jia-he shi-xun bao-kun nian-ci yan-ling xi-rong jin-yuan zai-zhou li-fu yi-nong he-nian shou-kang "
        "song-ling shu-ping ji-chang jing-cheng wang-shu meng-shi ji-zu yao-zong a-da xiao-di guan-lin "
        "you-san yan-bin han-zhi yi-qun guan-lan jing-ting bing-zhang jin-tang bo-yong zhong-wen de-xin "
        "jing-xiu huai-jin shang-wu ze-lin ding-yuan yi-chen bo-yan ji-ying ming-de an-bang shi-qi".split(),
        strict=True,
    )
)
_GIVEN_PINYIN_F = dict(
    zip(
        "淑仪 佩玉 丽卿 韵秋 碧霞 秋萍 小囡 引娣 丽珠 锦绣 令仪 若兰 清扬 知夏 南乔 蕴华 毓秀 "
        "杏娟 素云 云裳 念真 采苓 沁雪 嘉柔 映雪 芸香 黛眉 晚晴 蕙心 绮云 瑞芝 湘琴 蓉儿 莺歌 "
        "丹桂 雅茹 霁月 寒梅 映月 秀蓉 阿囡 杏仙 玉蓉 梅影 兰芝 紫鹃 清漪 语冰 听雨".split(),
        "shu-yi pei-yu li-qing yun-qiu bi-xia qiu-ping xiao-nan yin-di li-zhu jin-xiu ling-yi ruo-lan "
        "qing-yang zhi-xia nan-qiao yun-hua yu-xiu xing-juan su-yun yun-shang nian-zhen cai-ling qin-xue "
        "jia-rou ying-xue yun-xiang dai-mei wan-qing hui-xin qi-yun rui-zhi xiang-qin rong-er ying-ge dan-gui "
        "ya-ru ji-yue han-mei ying-yue xiu-rong a-nan xing-xian yu-rong mei-ying lan-zhi zi-juan qing-yi "
        "yu-bing ting-yu".split(),
        strict=True,
    )
)
_H7_RARE = ("虢", "邗", "郈", "毋", "佀", "督", "凃", "种")
_H7_COMPOUND = ("宗政", "濮阳", "微生", "公西", "谷梁", "夹谷", "公羊", "颛孙")
_H7_WORD_LIKE = (
    ("福", "星"),
    ("和", "睦"),
    ("明", "朗"),
    ("年", "丰"),
    ("雪", "莲"),
    ("利", "民"),
    ("和", "顺"),
    ("红", "豆"),
    ("泉", "水"),
)
_EXTRA_PINYIN = {
    "虢": "guo", "邗": "han", "郈": "hou", "毋": "wu", "佀": "si", "督": "du", "凃": "tu", "种": "chong",
    "宗政": "zongzheng", "濮阳": "puyang", "微生": "weisheng", "公西": "gongxi", "谷梁": "guliang",
    "夹谷": "jiagu", "公羊": "gongyang", "颛孙": "zhuansun",
    "星": "xing", "睦": "mu", "朗": "lang", "丰": "feng", "莲": "lian", "民": "min", "顺": "shun", "豆": "dou",
    "水": "shui",
}  # fmt: skip

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER,
                _H7_SURNAMES,
                list(_GIVEN_PINYIN_M),
                list(_GIVEN_PINYIN_F),
                _H7_RARE,
                _H7_COMPOUND,
                _H7_WORD_LIKE,
            )
        )
    return _POOL[0]


def new_person(c, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    p = pick_person(c, sex, (0.06, 0.12, 0.18))
    if with_identity:
        give_identity(c, p, child)
        if c.chance(0.15):  # more check characters X than give_identity's one in five
            for _ in range(400):
                if ind.gb11643_check(p.area + p.dob.strftime("%Y%m%d") + p.seq) == "X":
                    break
                p.seq = _digits(c.rng, 2) + c.rng.choice("13579" if p.sex == "男" else "02468")
    return p


def _syllables(person: _Person) -> tuple[str, list[str]]:
    """The surname's pinyin and the given name's pinyin syllables (the tables keep them hyphenated)."""
    sur = SURNAME_PINYIN.get(person.surname) or _EXTRA_PINYIN[person.surname]
    given = (
        _GIVEN_PINYIN_M.get(person.given) or _GIVEN_PINYIN_F.get(person.given) or _EXTRA_PINYIN[person.given]
    )
    return sur, given.split("-")


def _py(person: _Person) -> tuple[str, str]:
    """(surname, given name) in lower-case pinyin, the given name's syllables run together."""
    sur, syl = _syllables(person)
    return sur, "".join(syl)


def pinyin_given_first(person: _Person, labelled: bool, c) -> _I:
    """``Shuyi Feng``: the pinyin given name first, as Western forms and overseas colleagues order it."""
    sur, given = _py(person)
    v = c.pick((f"{given.capitalize()} {sur.capitalize()}", f"{given.capitalize()} {sur.upper()}"))
    return _I("person_name", "pinyin_given_first", v, labelled)


def seal(c, person: _Person) -> list:
    """The impression of a personal seal (印章) on a signed form, as the scan's text layer reads it."""
    v = _I("person_name", "seal_impression", person.full, True)
    return c.pick((["【", v, "印】"], [v, "之印"], ["［", v, "章］"], ["（", v, "印）"]))


def addressee(c, person: _Person) -> list:
    """An addressee on an envelope or a delivery order: the name, then 收 / 亲启."""
    return [_I("person_name", "addressee_shou", person.full, True), c.pick((" 收", "（收）", " 亲启", "收"))]


# how the writer of a letter names the dead patient, by the writer's relation to the patient
_DECEASED_PREFIX = {
    ("丈夫", "女"): ("亡妻", "先室"),
    ("妻子", "男"): ("亡夫", "先夫"),
    ("儿子", "男"): ("先父", "已故家父"),
    ("儿子", "女"): ("先母", "已故家母"),
    ("女儿", "男"): ("先父", "已故家父"),
    ("女儿", "女"): ("先母", "已故家母"),
    ("儿媳", "男"): ("先公公",),
    ("儿媳", "女"): ("先婆婆",),
    ("女婿", "男"): ("先岳父",),
    ("女婿", "女"): ("先岳母",),
    ("侄子", "男"): ("先伯父", "已故叔父"),
    ("侄子", "女"): ("先姑母",),
    ("外甥女", "男"): ("先舅父",),
    ("外甥女", "女"): ("先姨母",),
}


def deceased(c, person: _Person, relation: str) -> list:
    """The dead patient named by the family: 先父 / 先母 / 亡夫 / 亡妻 … (or 故) before the name."""
    pre = c.pick(_DECEASED_PREFIX.get((relation, person.sex), ("故",)) + ("故",))
    return [pre, _I("person_name", "deceased_kin_prefix", person.full, True)]


def obituary(c) -> list:
    """A relative's line after the patient died (a later note on the same record)."""
    if c.age < 18 or c.patient.cache.get("h7_dead"):  # one death per record
        return _ship(c)
    c.patient.cache["h7_dead"] = True
    rel, relation = c.relative()
    return [f"{relation}来电：", *deceased(c, c.patient, relation), c.pick(("已于", "于")), c.date_decoy(c.later(3, 60)),
            "去世，申请病历复印"]  # fmt: skip


_EN_STYLES = ("english_mixed", "claim_investigation")


def name(c, person: _Person, context_form: str, labelled: bool):
    if c.style == "english_mixed" and c.chance(0.75 if person is c.patient else 0.5):
        return pinyin_given_first(person, labelled, c)
    form = context_form if person.kind == "ordinary" else person.kind
    return _I("person_name", form, person.full, labelled)


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    return None  # dev's surname + title


def patient_mention(c) -> list | None:
    return None  # dev's


# -- resident IDs, record numbers, dates of birth ------------------------------------------------


def _rid7(c, labelled: bool, glued: bool = False) -> _I | None:
    p = c.patient
    full = _full_id(p)
    if glued:
        return _I("resident_id", "glued_to_name", full, labelled)
    if c.chance(0.13):
        sp = "\u3000"  # the ideographic space of a form filled in a word processor
        return _I("resident_id", "ideographic_space", f"{full[:6]}{sp}{full[6:14]}{sp}{full[14:]}", labelled)
    return None


def rid(c, labelled: bool) -> _I | None:
    return _rid7(c, labelled)


def rid_glued(c) -> list:
    """The patient's name and ID run together, as typed into a 小程序 or a delivery form."""
    return [c.pname(True), _rid7(c, True, glued=True)]


def rid_with_phone(c) -> list:
    """ID and mobile typed into one box of a sign-in sheet, joined by a slash or a comma."""
    p = c.patient
    return [
        c.pick(("身份证/手机：", "证件号/电话 ", "实名（身份证+手机）：")),
        _I("resident_id", "joined_with_phone", _full_id(p), True),
        c.pick(("/", "／", "，", "+", "/ ")),
        _I("phone", "mobile_plain", c.mobile_digits(p), True),
    ]


def rid_labelled(c) -> list:
    r = c.rng.random()
    if r < 0.12 and c.style != "death_certificate":
        return [c.pick(("身份信息：", "实名信息：", "证件：")), *rid_glued(c)]
    if r < 0.22:
        return rid_with_phone(c)
    return labelled_rid(c, {})


def _rec_digits(c) -> str:
    return c.patient.cache.setdefault(
        "rec_inpatient_no", _digits(c.rng, c.pick((6, 7, 8)), first_nonzero=True)
    )


_URL_HOSTS = (
    "https://ih.rjyy-demo.sh.cn",
    "https://zhyy.example-hosp.cn",
    "http://10.8.2.31:8080",
    "https://m.shyy-app.cn",
)


def url_rec(c, labelled: bool = True) -> list:
    """A report or video-visit link whose query string carries the patient's record number."""
    path = c.pick(
        ("/report/view?pid=", "/emr/summary?regNo=", "/pacs/viewer?mrn=", "/ih/visit?zyh_id=&patient_no=")
    )
    span = _I("hospital_record_no", "url_query", _rec_digits(c), labelled)
    tail = c.pick(("", "&type=1", "&from=wx"))
    return [c.pick(("报告链接：", "调阅链接 ", "链接：")), c.pick(_URL_HOSTS) + path, span, tail]


def slash_rec(c) -> list:
    """A ward whiteboard's bed / name / record number triplet."""
    return [
        c.bed(),
        "/",
        c.pname(False),
        "/",
        _I("hospital_record_no", "slash_joined", _rec_digits(c), False),
    ]


def rec(c, labelled: bool) -> list | None:
    if labelled and c.chance(0.18):
        return url_rec(c)
    return None


_ORD = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
_MON = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December")  # fmt: skip


def en_ordinal(d: date, c) -> str:
    o = f"{d.day}{_ORD.get(d.day, 'th')}"
    m = _MON[d.month - 1]
    return c.pick(
        (f"{o} {m} {d.year}", f"{m} {o}, {d.year}", f"the {o} of {m}, {d.year}", f"{o} {m[:3]}. {d.year}")
    )


def cn_nian(d: date) -> str:
    """一九五六年三月廿七日: Chinese numerals with 廿 (20-29) and 卅 (30, 31) for the day."""
    year = "".join(ind._CN_DIGITS[int(ch)] for ch in str(d.year))
    day = d.day
    if 20 <= day <= 29:
        dd = "廿" + ("" if day == 20 else ind._CN_DIGITS[day - 20])
    else:
        dd = "卅" + ("" if day == 30 else "一")
    return f"{year}年{ind._cn_small(d.month)}月{dd}日"


def cn_datetime(d: date, c) -> str:
    """A newborn's or infant's time of birth, with 时 and 分."""
    h, m = c.rng.randrange(0, 24), c.rng.randrange(0, 60)
    return c.pick(
        (
            f"{d.year}年{d.month}月{d.day}日{h}时{m}分",
            f"{d.year}年{d.month:02d}月{d.day:02d}日 {h:02d}时{m:02d}分",
        )
    )


def dob(c, labelled: bool, person: _Person) -> _I | None:
    d = person.dob
    if d is None:
        return None
    age = c.visit.year - d.year
    if age <= 10 and c.chance(0.8):
        return _I("date_of_birth", "cn_datetime", cn_datetime(d, c), labelled)
    if c.style in _EN_STYLES and c.chance(0.5):
        return _I("date_of_birth", "en_ordinal", en_ordinal(d, c), labelled)
    if d.day >= 20 and c.chance(0.3):
        return _I("date_of_birth", "cn_numerals_nian", cn_nian(d), labelled)
    if c.chance(0.05):
        return _I("date_of_birth", "en_ordinal", en_ordinal(d, c), labelled)
    return None


_DOB_LABELS = {
    "en_ordinal": ("DOB: ", "Date of birth: ", "出生日期 / DOB："),
    "cn_numerals_nian": DOB_LABELS_CN_NUMERALS,
    "cn_datetime": ("出生时间：", "出生：", "_出生"),
}


def dob_labelled(c) -> list:
    return labelled_dob(c, _DOB_LABELS)


# -- phones --------------------------------------------------------------------------------------

_PBX_STYLES = ("sbar_handover", "nursing", "critical_notice", "admission", "death_certificate")
_CHAT_STYLES = ("remote_mdt", "pharmacy_slip", "family_comm", "claim_investigation")


def pbx(c, person: _Person, labelled: bool) -> _I:
    """A mobile dialled from the ward's extension: 9 for an outside line first."""
    m = c.mobile_digits(person)
    return _I(
        "phone", "pbx_nine_prefix", c.pick((f"9-{m}", f"9，{m}", f"9+{m}", f"(9){m}", f"9 {m}")), labelled
    )


def tel_uri(c, person: _Person, labelled: bool) -> _I:
    m = c.mobile_digits(person)
    return _I(
        "phone",
        "tel_uri",
        c.pick((f"tel:{m}", f"tel:+86{m}", f"tel://{m}", f"tel:+86-{m[:3]}-{m[3:7]}-{m[7:]}")),
        labelled,
    )


def ip_dial(c, person: _Person, labelled: bool) -> _I:
    """An IP long-distance prefix (17951 China Mobile, 17911 Unicom, 17909 Telecom) before the number."""
    m = c.mobile_digits(person)
    pre = c.pick(("17951", "17911", "17909"))
    return _I(
        "phone", "ip_dial_prefix", c.pick((f"{pre}{m}", f"{pre} {m}", f"{pre}-{m}", f"{pre}0{m}")), labelled
    )


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    if c.style in _PBX_STYLES and c.chance(0.4):
        return pbx(c, person, labelled)
    if c.style in _CHAT_STYLES and c.chance(0.4):
        return tel_uri(c, person, labelled)
    if c.chance(0.12):
        return ip_dial(c, person, labelled)
    return None


# -- cards ---------------------------------------------------------------------------------------


def _card7(c, form: str) -> str:
    p = c.patient
    key = "h7_" + form
    if key not in p.cache:
        rng = c.rng
        if form == "member_dependant":  # an international health plan's member number, -01 the insured
            p.cache[key] = (
                c.pick(("CN", "SH", "MC", "GH"))
                + _digits(rng, c.pick((7, 8)), True)
                + c.pick(("-01", "-01", "-02", "/01"))
            )
        else:  # a 社保卡号 written after No. as on the card's back
            body = c.pick((_digits(rng, 9, True), rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + _digits(rng, 8)))
            p.cache[key] = c.pick(("No.", "NO.", "No:", "NO ", "№")) + body
    return p.cache[key]


_CARD_LABELS = {
    "member_dependant": ("会员号：", "Member ID: ", "商保会员卡号 "),
    "no_prefixed": ("社保卡 ", "社会保障卡 ", "医保卡背面 "),
}


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    if forms is None:
        if not c.chance(0.33):
            return c.pick(ind._SHARED_FORMS["card_number"])
        form = c.pick(HELDOUT7_ONLY["card_number"])
    else:
        form = c.pick(forms)
        if form not in HELDOUT7_ONLY["card_number"]:
            return form
    span = _I("card_number", form, _card7(c, form), labelled)
    return [c.pick(_CARD_LABELS[form]), span] if labelled else [span]


# -- bank accounts, e-mail, other contacts -------------------------------------------------------


def hk_account(c) -> _I:
    """A Hong Kong bank account: 3-digit branch, 6-digit account, 3-digit suffix (HSBC / Hang Seng
    layout), or BOCHK's bank code 012 then branch, account and check groups."""
    rng = c.rng
    v = c.pick(
        (
            f"{_digits(rng, 3, True)}-{_digits(rng, 6)}-{c.pick(('001', '838', '833', '501'))}",
            f"012-{_digits(rng, 3, True)}-{_digits(rng, 1)}-{_digits(rng, 6)}-{_digits(rng, 1)}",
            f"{_digits(rng, 3, True)}-{_digits(rng, 6)}-{c.pick(('001', '838', '833', '501'))}".replace(
                "-", " "
            ),
        )
    )
    return _I("bank_card", "hk_bank_account", v, True)


def ecny(c, labelled: bool = True) -> _I:
    """A digital-RMB (e-CNY) wallet number: 16 digits, in groups of four or not."""
    p = c.patient
    if "h7_ecny" not in p.cache:
        p.cache["h7_ecny"] = "00" + c.pick(("21", "31", "11", "51")) + _digits(c.rng, 12)
    w = p.cache["h7_ecny"]
    return _I(
        "bank_card", "ecny_wallet", c.pick((w, " ".join(w[i : i + 4] for i in range(0, 16, 4)))), labelled
    )


def bank(c, labelled: bool) -> _I | None:
    if c.chance(0.06):
        return ecny(c, labelled)
    return None


def _mailbox(c) -> tuple[str, str]:
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    return email_local(c, a, b), c.pick(ind._WEBMAIL)


def aite(c, labelled: bool = True) -> _I:
    """The @ written 艾特, as people type an address into a chat to dodge link filters."""
    local, dom = _mailbox(c)
    return _I("email", "aite_cn", f"{local}{c.pick(('艾特', '艾特', '(艾特)', '【艾特】'))}{dom}", labelled)


def email(c, labelled: bool) -> _I | None:
    if c.chance(0.15):
        return aite(c, labelled)
    return None


def glued_mail(c) -> list:
    """An address run into Chinese words on both sides, no label, no space."""
    local, dom = _mailbox(c)
    return [
        c.pick(("麻烦发到", "报告发我", "结果发", "请寄电子版到")),
        _I("email", "glued_cn_text", f"{local}@{dom}", False),
        c.pick(("谢谢", "就行", "邮箱里", "，谢谢医生")),
    ]


def wrapped_mail(c) -> list:
    """An address broken after @ by the width of a form's box."""
    local, dom = _mailbox(c)
    return [
        c.pick(("电子邮箱：", "E-mail：", "邮箱 ")),
        _I("email", "wrapped_after_at", f"{local}@\n{dom}", True),
    ]


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    """A LINE ID (relatives in Taiwan or Japan) or a WeChat openid from an 互联网医院 export;
    heldout2's forms as the baseline."""
    person = person or c.patient
    if not c.chance(0.35):
        return ind._h2_contact(c, person, labelled)
    return own_contact(c, person, c.pick(HELDOUT7_ONLY["other_contact"]), labelled)


def own_contact(c, person: _Person, form: str, labelled: bool = True) -> list:
    """``person``'s LINE ID or WeChat openid, with its label."""
    key = "h7_" + form
    if key not in person.cache:
        rng = c.rng
        if form == "line_id":
            a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
            person.cache[key] = c.pick(
                (f"{a}{b}.{rng.randrange(10, 99)}", f"@{a}_{b}", f"{a}{b}{rng.randrange(1970, 2005)}")
            )
        else:  # a WeChat openid: o + 27 characters of [A-Za-z0-9_-]
            chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
            person.cache[key] = "o" + "".join(rng.choice(chars) for _ in range(27))
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "line_id":
        return [c.pick(("LINE ID：", "LINE：", "Line账号 ")), span]
    return [c.pick(("openid：", "微信openid ", "公众号用户openid：")), span]


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout7"] = {
    "黄浦区": ("瞿溪路", "建国东路", "大林路"),
    "虹口区": ("东余杭路", "塘沽路", "峨眉路", "昆山路"),
    "杨浦区": ("靖宇东路", "国顺东路", "民京路", "铁岭路"),
    "普陀区": ("志丹路", "中江路", "新村路"),
    "长宁区": ("水城路", "兴义路", "北渔路"),
    "闵行区": ("红松路", "虹莘路", "平吉路", "银春路"),
}
ind._NEW_VILLAGES["heldout7"] = (
    ("杨浦区", "民星新村"),
    ("普陀区", "志丹苑"),
    ("长宁区", "水城小区"),
    ("闵行区", "平吉新村"),
    ("黄浦区", "瞿溪小区"),
    ("虹口区", "塘沽小区"),
)
ind._VILLAGES["heldout7"] = (
    ("金山区", "吕巷镇", "白漾村"),
    ("奉贤区", "青村镇", "钱桥村"),
    ("崇明区", "竖新镇", "前卫村"),
    ("浦东新区", "泥城镇", "公平村"),
    ("嘉定区", "外冈镇", "望新村"),
    ("青浦区", "练塘镇", "长河村"),
)
ind._OUT_OF_TOWN["heldout7"] = (
    ("广西壮族自治区桂林市全州县", "全州镇", "桂黄路"),
    ("黑龙江省绥化市海伦市", "海北镇", "通江大街"),
    ("内蒙古自治区赤峰市宁城县", "天义镇", "铁西大街"),
    ("山西省吕梁市孝义市", "新义街道", "兴华路"),
)
# the old lanes with side lanes (支弄) are in the city centre
_OLD_LANE_DISTRICTS = ("黄浦区", "虹口区")


def address7(c, labelled: bool, form: str | None = None) -> _I:
    rng = c.rng
    streets = ind._STREETS["heldout7"]
    form = form or c.pick(HELDOUT7_ONLY["address"])
    if form == "district_abbrev":
        district = c.pick(list(streets))
        road = c.pick(streets[district])
        v = f"{district[:-1]}{c.pick(('', ' '))}{road}{rng.randrange(1, 1200)}弄{rng.randrange(1, 40)}号{rng.randrange(1, 20) * 100 + rng.randrange(1, 7)}室"
        return _I("address", form, v, labelled)
    district = c.pick(_OLD_LANE_DISTRICTS if form == "zhi_long" else list(streets))
    road = c.pick(streets[district])
    head = c.pick(("", district, "上海市" + district))
    lane = rng.randrange(10, 700)
    if form == "zhi_long":
        v = f"{head}{road}{lane}弄{rng.randrange(1, 12)}支弄{rng.randrange(1, 40)}号" + c.pick(
            ("", "", f"{rng.randrange(1, 4)}楼")
        )
    else:  # # for 号, as on builders' and property managers' paperwork: 5#302, 5#楼302室
        bldg, room = rng.randrange(1, 40), rng.randrange(1, 20) * 100 + rng.randrange(1, 7)
        v = c.pick((f"{head}{road}{lane}弄{bldg}#{room}", f"{head}{road}{lane}弄{bldg}#楼{room}室"))
    return _I("address", form, v, labelled)


def address(c, labelled: bool) -> _I | None:
    if c.chance(0.08):
        return address7(c, labelled)
    return None


# -- decoys --------------------------------------------------------------------------------------

# signs named after people (dev's clinical terms already hold 墨菲征, 巴氏征 and 麦氏点)
_EPONYMS = ("克氏征", "布氏征", "霍夫曼征", "拉塞格征", "奥斯勒结节", "库斯莫尔呼吸", "霍纳征", "特鲁索征",
            "格雷·特纳征", "查多克征", "戈登征", "奥本海姆征", "罗姆伯格征", "陈-施呼吸", "卡伦征")  # fmt: skip


def eponym(c) -> list:
    return [_D("eponym_sign", c.pick(_EPONYMS)), c.pick(("阴性", "（-）", "阳性", "未引出"))]


_LINEAGES = ("顾氏外科", "石氏伤科", "朱氏妇科", "蔡氏妇科", "丁氏内科", "陈氏妇科", "魏氏伤科", "张氏内科",
             "夏氏外科", "董氏儿科", "徐氏儿科", "陆氏针灸")  # fmt: skip


def lineage(c) -> list:
    return [_D("tcm_lineage", c.pick(_LINEAGES)), c.pick(("流派传承工作室", "特色门诊", "工作室"))]


_CAMPUS = ("嘉定院区", "浦东院区", "北部院区", "徐汇院区", "闵行院区", "南院", "东院", "奉贤分院",
           "宝山分院", "青浦分院", "漕河泾院区", "松江院区")  # fmt: skip


def campus(c) -> _D:
    return _D("campus_name", c.pick(_CAMPUS))


def meeting(c) -> list:
    rng = c.rng
    m = _digits(rng, 9, True)
    return [
        c.pick(("腾讯会议号：", "会议号 ", "腾讯会议 ")),
        _D("meeting_id", c.pick((f"{m[:3]} {m[3:6]} {m[6:]}", m, f"{m[:3]}-{m[3:6]}-{m[6:]}"))),
    ]


_VARIANTS = ("EGFR 19del", "EGFR c.2573T>G (p.L858R)", "KRAS G12C", "BRCA1 c.5266dupC", "ALK融合", "TP53 c.743G>A",
             "PIK3CA H1047R", "BRAF V600E", "MET 14号外显子跳跃", "HER2 扩增")  # fmt: skip


def gene(c) -> list:
    return ["基因检测：", _D("gene_variant", c.pick(_VARIANTS)), f"，丰度{c.rng.uniform(1, 45):.1f}%"]


_STANDARDS = ("WS 445-2014", "WS/T 500-2016", "GB/T 16886.1-2011", "GB 15982-2012", "WS 310.2-2016",
              "WS/T 313-2019", "YY 0505-2012", "WS 363-2011", "GB/T 14396-2016")  # fmt: skip


def standard(c) -> list:
    return [c.pick(("依据", "执行标准：", "按")), _D("standard_no", c.pick(_STANDARDS))]


def admin_code(c) -> list:
    return [
        c.pick(("参保地区划代码：", "参保地 ", "行政区划代码 ")),
        _D("admin_division_code", c.pick(ind._SH_AREA_CODES)),
    ]


def infusion(c) -> list:
    """A pump or drip rate: 泵速 4ml/h, 滴速 40滴/分."""
    rng = c.rng
    v = c.pick(
        (
            f"泵速 {rng.randrange(1, 25)}ml/h",
            f"{rng.uniform(0.5, 12):.1f}ml/h",
            f"滴速 {rng.randrange(20, 80)}滴/分",
        )
    )
    return [c.pick(("微泵维持，", "静滴中，", "输液：")), _D("infusion_rate", v)]


_ANALYZERS = (
    "Illumina NovaSeq6000",
    "MGI MGISEQ-2000",
    "Sysmex XN-1000",
    "cobas e801",
    "Beckman AU5800",
    "Mindray BC-6800",
    "Siemens Atellica",
    "Roche c702",
)


def analyzer(c) -> list:
    v = f"{c.pick(_ANALYZERS)} #{c.rng.randrange(1, 9)}"
    return ["检测仪器：", _D("analyzer_id", v)]


def rad_dose(c) -> list:
    rng = c.rng
    return [
        "CT剂量：",
        _D("radiation_dose", f"CTDIvol {rng.uniform(3, 25):.1f} mGy"),
        "，",
        _D("radiation_dose", f"DLP {rng.uniform(80, 1200):.1f} mGy·cm"),
    ]


def referral(c) -> list:
    return [
        c.pick(("转诊单号：", "双向转诊编号 ", "转诊号：")),
        _D("referral_no", "ZZ" + c.visit.strftime("%Y%m%d") + _digits(c.rng, 4)),
    ]


_PACKS = ("0.5g×24片/盒", "10ml:0.1g×5支", "20mg×7片×2板", "5mg×28片", "250ml:0.9%×1袋", "0.25g×12粒/盒",
          "3ml:300单位×1支", "40mg×10粒")  # fmt: skip


def pack(c) -> _D:
    return _D("pack_spec", c.pick(_PACKS))


def hospital_acct(c) -> list:
    rng = c.rng
    v = c.pick(
        (
            "1001" + _digits(rng, 15),
            "4" + _digits(rng, 11),
            "03" + _digits(rng, 15),
            "3100" + _digits(rng, 16),
        )
    )
    bank_ = c.pick(("工商银行", "中国银行", "农业银行", "建设银行"))
    return [
        f"医院收款账户（{bank_}）",
        _D("hospital_account", c.pick((v, " ".join(v[i : i + 4] for i in range(0, len(v), 4))))),
    ]


def event_time(c, d: date | None = None) -> _D:
    d = d or c.visit
    h, m = c.rng.randrange(0, 24), c.rng.randrange(0, 60)
    return _D(
        "event_datetime_cn",
        c.pick(
            (
                f"{d.year}年{d.month}月{d.day}日{h}时{m}分",
                f"{d.year}年{d.month:02d}月{d.day:02d}日 {h:02d}时{m:02d}分",
            )
        ),
    )


# -- styles --------------------------------------------------------------------------------------


def _s_sbar_handover(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.f("交接班记录（SBAR）{dept} {dt} 夜班→白班\nS：", dept=c.dept, dt=c.date_decoy())
    d.put(slash_rec(c))
    d.f("，{dx}，今晨诉{s}。\n", dx=c.dx()[0], s=c.sym())
    d.f("B：{past}史，现用{drug}", past=c.term(c.pick(ind._PAST)), drug=c.drug())
    d.put(["，", *infusion(c), "。\n"] if c.chance(0.6) else "。\n")
    d.f("A：{v}，", v=c.vitals(c.pick(("TPB", "PBS"))))
    d.put(eponym(c) if c.chance(0.6) else c.lab())
    d.f(
        "。\nR：晨间复查{exam}；{rel}（{relation}）电话 ",
        exam=c.term(c.pick(c.sp["exams"])),
        rel=c.name(rel, "relative", True),
        relation=relation,
    )
    d.put(pbx(c, rel, False) if c.chance(0.6) else c.phone(rel, False))
    d.f("\n交班：{a}  接班：{b}", a=ind._nurse(c), b=ind._nurse(c))


def _s_pharmacy_slip(c) -> None:
    d = c.d
    d.f("{fac} 门诊药房 取药凭条\n", fac=c.facility())
    d.f("请到{w}号窗口取药  ", w=str(c.rng.randrange(1, 12)))
    d.f("姓名：{n} {age}\n", n=c.pname(True), age=c.age_decoy())
    d.put([c.term(c.pick(c.sp["drugs"])), "（", pack(c), "）×", str(c.rng.randrange(1, 5)), "盒  "])
    d.put(c.approval() if c.chance(0.5) else [pack(c)])
    d.f("\n自付：{amt}\n", amt=c.amount(5, 900))
    if c.age <= 10:
        d.put(["出生时间：", _I("date_of_birth", "cn_datetime", cn_datetime(c.patient.dob, c), True), "\n"])
    if c.chance(0.06):
        d.put(["下单账号 ", *own_contact(c, c.patient, "wx_openid"), "\n"])
    if c.chance(0.65):
        d.put("配送到家：")
        d.put(addressee(c, c.patient))
        d.put(" ")
        d.put(tel_uri(c, c.patient, False) if c.chance(0.5) else c.phone(None, False, landline_ok=False))
        d.put(" ")
        d.put(address7(c, False) if c.chance(0.4) else c.address(False))
    else:
        rel, relation = c.relative()
        d.f("代取人：{r}（{rel}） ", r=c.name(rel, "relative", True), rel=relation)
        d.put(c.phone_labelled(rel))
    d.f("\n药师：{p}", p=ind._doctor(c))


def _s_remote_mdt(c) -> None:
    d = c.d
    p = c.patient
    d.f("远程多学科会诊（MDT）纪要  {t}  ", t=event_time(c))
    d.put(meeting(c))
    d.put("\n患者：")
    d.put(c.pname(True))
    if c.chance(0.8):
        d.put("（")
        d.put(pinyin_given_first(p, True, c))
        d.put("）")
    d.f("，{sex}，{age}，", sex=p.sex, age=c.age_decoy())
    d.put(url_rec(c) if c.chance(0.5) else c.rec(True))
    d.f("\n诊断：{dx}。", dx=c.dx()[0])
    if c.chance(0.1):
        d.put(["患者经互联网医院接入，", *own_contact(c, p, "wx_openid"), "。"])
    d.put(gene(c) if c.chance(0.5) else c.pick((rad_dose, analyzer))(c))
    d.f("\n参会：{a}、{b}\n", a=c.name(c.staff(), "in_list", False), b=c.name(c.staff(), "in_list", False))
    rel, relation = c.relative()
    d.f("家属{r}（{rel}）远程参会，", r=c.name(rel, "relative", True), rel=relation)
    r = c.rng.random()
    d.put(
        own_contact(c, rel, "line_id")
        if r < 0.25
        else contact(c, rel)
        if r < 0.5
        else [tel_uri(c, rel, False)]
    )


def _s_genetic_report(c) -> None:
    d = c.d
    p = c.patient
    d.f("基因检测报告  送检：{fac}", fac=c.facility())
    d.put([campus(c), "\n"] if c.chance(0.5) else "\n")
    d.put("受检者：")
    d.put(c.pname(True))
    d.f("  性别：{s}  ", s=p.sex)
    d.put(c.dob_labelled())
    d.put("\n")
    d.put(c.rid_labelled() if c.chance(0.5) else c.rec(True))
    d.f("\n临床诊断：{dx}\n", dx=c.dx()[0])
    d.put(gene(c))
    d.put(["  ", *analyzer(c)] if c.chance(0.6) else "")
    rel, relation = c.relative()
    d.f(
        "\n家系验证：{rel}{r}同位点{res}\n",
        rel=relation,
        r=c.name(rel, "relative", True),
        res=c.pick(("未检出", "检出杂合变异", "阴性")),
    )
    if c.chance(0.3):
        d.put(["家属联系：", *ind._h2_contact(c, rel, True), "\n"])
    d.put("遗传咨询：")
    d.put(ind._doctor(c))
    d.put(["  报告发送至 ", c.email(True)] if c.chance(0.5) else ["  受检者签章：", *seal(c, p)])


def _s_claim_investigation(c) -> None:
    d = c.d
    p = c.patient
    d.f("商业健康险理赔调查授权回执（{fac}", fac=c.facility())
    d.put(campus(c))
    d.put("）\nInsured / 被保险人：")
    d.put(c.pname(True))
    d.put(" / ")
    d.put(pinyin_given_first(p, True, c))
    if c.chance(0.6):
        d.put(["  签章：", *seal(c, p)])
    d.put("\n")
    d.put(c.dob_labelled())
    d.put("  ")
    d.put(c.rid_labelled())
    if c.chance(0.45):
        d.put(["  Member ID: ", _I("card_number", "member_dependant", _card7(c, "member_dependant"), True)])
    if c.chance(0.5):
        d.put(["  ", *admin_code(c)])
    d.f("\n就诊：{dx}，{dt}。", dx=c.dx()[0], dt=c.date_decoy())
    d.put(hospital_acct(c) if c.chance(0.5) else c.invoice())
    if c.chance(0.45):
        d.put(["\nE-mail：", c.email(True)])
    d.put("\n赔款账户：")
    d.put(hk_account(c) if c.chance(0.2) else c.bank(True))
    inv = c.staff()
    d.put("\n调查员 / Investigator：")
    d.put(pinyin_given_first(inv, True, c) if c.chance(0.5) else c.name(inv, "doctor", True))


def _s_death_certificate(c) -> None:
    d = c.d
    p = c.patient
    p.cache["h7_dead"] = True
    d.put("居民死亡医学证明（推断）书 摘录\n死者姓名：")
    d.put(c.pname(True))
    d.f("  性别：{s}  ", s=p.sex)
    d.put(c.rid_labelled())
    d.put("\n")
    d.put(c.dob_labelled())
    d.f("  死亡时间：{t}\n", t=event_time(c, c.later(0, 3)))
    d.put("生前常住地址：")
    d.put(address7(c, True, "district_abbrev") if c.chance(0.5) else c.address(True))
    d.f("\n直接死因：{dx}  根本死因：{dx2}\n", dx=c.term(c.pick(ind._COMPLICATIONS)), dx2=c.dx()[0])
    rel, relation = c.relative()
    d.f("申报人：{r}（{rel}） 电话：", r=c.name(rel, "relative", True), rel=relation)
    d.put(c.phone(rel, False))
    if c.chance(0.35):
        d.put(["  ", *ind._h2_contact(c, rel, True)])
    d.f("\n医师：{doc}", doc=ind._doctor(c))


def _s_record_copy_request(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.put("病案复印申请登记（委托代办）\n患者：")
    d.put(c.pname(True))
    d.put("  ")
    d.put(c.rec(True))
    d.f("  出院 {dt}\n", dt=c.date_decoy())
    d.put("附患者身份证复印件：" if c.chance(0.6) else "委托书注明：")
    d.put(rid_glued(c))
    d.f("\n受托人：{r}（{rel}）  用途：商保理赔", r=c.name(rel, "relative", True), rel=relation)
    d.put(["  委托人签章：", *seal(c, c.patient), "\n"] if c.chance(0.5) else "\n")
    if c.chance(0.35):
        d.put(["电子版发送至：", c.email(True), "\n"])
    d.put("邮寄：")
    d.put(addressee(c, rel))
    d.put(" ")
    d.put(c.phone(rel, False, landline_ok=False))
    d.put(" ")
    d.put(address7(c, False) if c.chance(0.5) else c.address(False))
    d.put("\n")
    d.put(standard(c) if c.chance(0.5) else referral(c))
    d.f("  经办：{n}", n=ind._nurse(c))


def _s_family_letter(c) -> None:
    d = c.d
    rel, relation = c.relative()
    d.f("（家属来信，扫描录入 {dt}）\n{dept}各位医生护士：\n", dt=c.date_decoy(), dept=c.dept)
    if c.age < 18:
        d.put(["  ", c.pick(("小女", "小儿", "我家孩子")), c.pname(True)])
        d.f("因{dx}在贵科住院，{s}时多亏{doc}照顾，", dx=c.dx()[0], s=c.sym(), doc=c.surname_title())
        d.put(lineage(c) if c.chance(0.4) else "现已康复")
        d.put("。")
    else:
        c.patient.cache["h7_dead"] = True
        d.put(["  ", *deceased(c, c.patient, relation)])
        d.f("去年因{dx}在贵科住院，{s}时多亏{doc}照顾。", dx=c.dx()[0], s=c.sym(), doc=c.surname_title())
    d.put("病历资料请")
    r = c.rng.random()
    d.put(
        glued_mail(c)
        if r < 0.35
        else wrapped_mail(c)
        if r < 0.55
        else ["邮箱 ", aite(c) if r < 0.7 else c.email(True)]
    )
    d.f("。\n  {r}（{rel}）敬上  电话 ", r=c.name(rel, "relative", True), rel=relation)
    d.put(ip_dial(c, rel, False) if c.chance(0.45) else c.phone(rel, False))
    if c.chance(0.35):
        d.put(["，微信同号 "] if c.chance(0.3) else ["，", *ind._h2_contact(c, rel, True)])
    d.put("\n回信：")
    d.put(addressee(c, rel))
    d.put(" ")
    d.put(address7(c, False) if c.chance(0.5) else c.address(False))


ind._STYLE_FUNCS.update(
    {
        "sbar_handover": _s_sbar_handover,
        "pharmacy_slip": _s_pharmacy_slip,
        "remote_mdt": _s_remote_mdt,
        "genetic_report": _s_genetic_report,
        "claim_investigation": _s_claim_investigation,
        "death_certificate": _s_death_certificate,
        "record_copy_request": _s_record_copy_request,
        "family_letter": _s_family_letter,
    }
)


# -- lines clinicians append -------------------------------------------------------------------


def _ship(c) -> list:
    rel, _relation = c.relative()
    who = c.pick((c.patient, rel))
    if c.patient.cache.get("h7_dead"):  # nothing is mailed to a dead patient
        who = rel
    return [
        c.pick(("检查报告快递：", "病历邮寄：", "药品配送：")),
        *addressee(c, who),
        " ",
        c.phone(who, False, landline_ok=False),
        " ",
        address7(c, False) if c.chance(0.4) else c.address(False),
    ]


def _en_claim(c) -> list:
    p = c.patient
    out: list = [
        "Claim form: Insured ",
        pinyin_given_first(p, True, c),
    ]
    if p.dob is not None and c.chance(0.45):
        out += [", DOB ", _I("date_of_birth", "en_ordinal", en_ordinal(p.dob, c), True)]
    return out


def _abroad(c) -> list:
    rel, relation = c.relative()
    if c.chance(0.35):
        return [f"{relation}在香港，", c.name(rel, "relative", True), " 汇丰账户 ", hk_account(c)]
    where = c.pick(("台湾", "日本"))
    how = own_contact(c, rel, "line_id") if c.chance(0.5) else contact(c, rel)
    return [f"{relation}在{where}，", c.name(rel, "relative", True), " ", *how]


def _mail7(c) -> list:
    r = c.rng.random()
    if r < 0.2:
        return glued_mail(c)
    if r < 0.38:
        return wrapped_mail(c)
    return ["电子邮箱：", c.email(True)]


def _phone7(c) -> list:
    rel, relation = c.relative()
    if c.chance(0.5):
        return [f"{relation}", c.name(rel, "relative", True), "电话（外线先拨9）：", pbx(c, rel, True)]
    return [f"{relation}", c.name(rel, "relative", True), " 号码 ", ip_dial(c, rel, True)]


def _rid7_line(c) -> list:
    r = c.rng.random()
    if r < 0.3:
        return ["实名登记：", *rid_glued(c)]
    if r < 0.6:
        return rid_with_phone(c)
    return c.rid_labelled()


def _dob7(c) -> list:
    p = c.patient
    if p.dob is not None and c.visit.year - p.dob.year <= 6:
        return ["出生时间：", _I("date_of_birth", "cn_datetime", cn_datetime(p.dob, c), True)]
    if p.sex == "女" and 22 <= c.age <= 42 and c.chance(0.6):
        baby = c.visit - timedelta(days=c.rng.randrange(1, 30))
        return [c.pick(("产后随访：新生儿出生时间 ", "其女婴出生时间：", "其子出生时间：")),
                _I("date_of_birth", "cn_datetime", cn_datetime(baby, c), True)]  # fmt: skip
    if p.dob is not None and p.dob.day >= 20:
        return [_I("date_of_birth", "cn_numerals_nian", cn_nian(p.dob), True), "生"]
    return c.dob_labelled()


def _baby(c) -> list:
    """A newborn's time of birth (the patient's baby, or the patient when a young child)."""
    p = c.patient
    if p.sex == "女" and 20 <= c.age <= 45:
        baby = c.visit - timedelta(days=c.rng.randrange(1, 30))
        return [c.pick(("产后随访：新生儿出生时间 ", "其女婴出生时间：", "其子出生时间：")),
                _I("date_of_birth", "cn_datetime", cn_datetime(baby, c), True)]  # fmt: skip
    if p.dob is not None and c.age <= 6:
        return ["出生时间：", _I("date_of_birth", "cn_datetime", cn_datetime(p.dob, c), True)]
    return _ship(c)


def _seal_line(c) -> list:
    return [c.pick(("知情同意书签章：", "授权书签章：", "患者签章 ")), *seal(c, c.patient)]


def _card7_line(c) -> list:
    form = c.pick(HELDOUT7_ONLY["card_number"])
    return [c.pick(_CARD_LABELS[form]), _I("card_number", form, _card7(c, form), True)]


def _old_lane(c) -> list:
    return [
        c.pick(("老房子地址：", "户籍地址：", "住址：")),
        address7(c, True, c.pick(("zhi_long", "hash_for_hao"))),
    ]


ind._EXTRAS.update(
    {
        "ship7": _ship,
        "ship7b": _ship,
        "ship7c": _ship,
        "obit7": obituary,
        "obit7b": obituary,
        "en7b": _en_claim,
        "en7c": _en_claim,
        "baby7": _baby,
        "ship7d": _ship,
        "baby7b": _baby,
        "baby7c": _baby,
        "mail7c": _mail7,
        "bank7": lambda c: [c.pick(("医保个账返还至 ", "退费银行卡：", "理赔款收款卡号 ")), c.bank(True)],
        "mail7b": _mail7,
        "ship7e": _ship,
        "obit7d": obituary,
        "en7e": _en_claim,
        "obit7c": obituary,
        "en7d": _en_claim,
        "en7": _en_claim,
        "abroad7": _abroad,
        "mail7": _mail7,
        "phone7": _phone7,
        "rid7": _rid7_line,
        "dob7": _dob7,
        "card7": _card7_line,
        "url7": lambda c: url_rec(c),
        "ward7": lambda c: ["床头卡：", *slash_rec(c)],
        "lane7": _old_lane,
        "openid7": lambda c: ["互联网医院复诊 ", *contact(c)],
        "ecny7": lambda c: ["退费至数字人民币钱包 ", ecny(c)],
        "epon7": lambda c: ["查体：", *eponym(c)],
        "lin7": lambda c: ["建议至", *lineage(c), "就诊"],
        "campus7": lambda c: ["复诊地点：", c.facility(), campus(c)],
        "meet7": lambda c: ["线上随访 ", *meeting(c)],
        "gene7": gene,
        "std7": lambda c: ["病历导出", *standard(c)],
        "admin7": admin_code,
        "pump7": infusion,
        "seal7": _seal_line,
        "seal7b": _seal_line,
        "ana7": analyzer,
        "dose7": rad_dose,
        "ref7": referral,
        "pack7": lambda c: [c.term(c.pick(c.sp["drugs"])), " 规格 ", pack(c)],
        "acct7": hospital_acct,
        "time7": lambda c: ["会诊时间：", event_time(c, c.later(1, 10))],
    }
)
ind._EXTRA_KIND.update(
    {
        "ship7": "",
        "ship7b": "",
        "ship7c": "",
        "obit7": "",
        "obit7b": "",
        "en7b": "",
        "en7c": "",
        "baby7": "",
        "ship7d": "",
        "baby7b": "",
        "baby7c": "",
        "bank7": "bank_card",
        "mail7c": "email",
        "mail7b": "email",
        "ship7e": "",
        "obit7d": "",
        "en7e": "",
        "seal7": "",
        "seal7b": "",
        "obit7c": "",
        "en7d": "",
        "en7": "",
        "abroad7": "",
        "mail7": "email",
        "phone7": "",
        "rid7": "resident_id",
        "dob7": "date_of_birth",
        "card7": "card_number",
        "url7": "hospital_record_no",
        "ward7": "",
        "lane7": "address",
        "openid7": "other_contact",
        "ecny7": "bank_card",
    }
)
ID_EXTRAS = ind._ID_EXTRAS + (
    "ship7", "ship7b", "ship7c", "obit7", "obit7b", "en7", "en7b", "en7c", "baby7", "abroad7", "ship7d", "obit7c",
    "en7d", "baby7b", "baby7c", "bank7", "mail7c", "mail7b", "ship7e", "obit7d", "en7e", "seal7", "seal7b", "mail7", "phone7", "rid7", "dob7", "card7", "url7", "ward7", "lane7", "openid7", "ecny7",
)  # fmt: skip
DECOY_EXTRAS = ind._DECOY_EXTRAS + (
    "epon7", "lin7", "campus7", "meet7", "gene7", "std7", "admin7", "pump7", "ana7", "dose7", "ref7", "pack7",
    "acct7", "time7", "lin7", "ana7",
)  # fmt: skip

# -- registration --------------------------------------------------------------------------------

register("heldout7", sys.modules[__name__], HELDOUT7_ONLY, HELDOUT7_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT7_DECOY_KINDS",
    "HELDOUT7_ONLY",
    "KINDS",
    "cn_nian",
    "en_ordinal",
    "pools",
]
