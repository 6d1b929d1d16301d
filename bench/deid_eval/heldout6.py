"""The sixth held-out split of the independent corpus, ``heldout6`` (see ``independent.py``).

# =============================================================================================
# heldout6 internals
# ---------------------------------------------------------------------------------------------
# If you develop or tune the de-identifier, STOP READING HERE. This whole module (and
# bench/deid_eval/HELDOUT6.md) describes what the sixth held-out split tests; knowing it turns the
# split into another development set, as happened to heldout … heldout5.
# independent.py calls in here only through the hooks registered for "heldout6" (_HOOKS).
# =============================================================================================

heldout6 holds dev's forms and styles (rendered by dev's own code) plus forms, styles and decoys
that are in none of dev, heldout, heldout2, heldout3, heldout4 and heldout5; its name, street and
village pools are disjoint from all six. ``other_contact`` (heldout2's kind) keeps heldout2's forms
as its baseline. The theme is text that reached the note from machines: HL7 v2 segments, FHIR
JSON, CSV / Excel exports, speech-to-text, OCR of scanned forms and passports, SMS templates and
WeChat group exports.
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
    landline,
    pick_person,
    register,
)
from bench.deid_eval.independent import _D, _I, _digits, _full_id, _Person, _Pools

HELDOUT6_ONLY: dict[str, tuple[str, ...]] = {
    "person_name": ("caret_separated", "mrz_name", "group_nick", "ocr_lookalike", "asr_homophone"),
    "resident_id": ("hl7_cx", "fhir_identifier", "excel_text_cell", "mrz_passport"),
    "phone": ("hl7_xtn", "float_suffix", "tw_mobile_local"),
    "card_number": ("float_suffix", "hl7_in1"),
    "hospital_record_no": ("hl7_cx", "fhir_identifier", "float_suffix"),
    "date_of_birth": ("hl7_ts", "mrz_yymmdd", "excel_serial"),
    "bank_card": ("iban", "excel_text_cell"),
    "address": ("gps_coordinates", "hl7_xad", "csv_columns"),
    "email": ("angle_bracket", "mailto_link", "vip_domain"),
    "other_contact": ("wecom_id", "kuaishou_id"),
    "style": (
        "hl7_message",
        "fhir_json",
        "csv_export",
        "ward_round_asr",
        "sms_notice",
        "wechat_group",
        "critical_notice",
        "passport_ocr",
    ),
}
HELDOUT6_DECOY_KINDS = (
    "hl7_meta",
    "oid",
    "loinc_code",
    "excel_mangled",
    "sms_template_code",
    "chat_timestamp",
    "asr_timecode",
    "mrz_expiry",
    "form_code",
    "ecg_interval",
)
EARLIER = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")

# -- people ------------------------------------------------------------------------------------

# surnames no earlier split uses, with their pinyin (for passport MRZ lines)
SURNAME_PINYIN = dict(
    zip(
        "谌麦敬植银展原晋肖綦扬税苟奉旷衣卿矫庹檀巨栗苑泮尧鄢豆汲乌弓咸籍莘宦暨勾侍寸靖铁闭",
        "chen mai jing zhi yin zhan yuan jin xiao qi yang shui gou feng kuang yi qing jiao tuo tan ju li yuan pan "
        "yao yan dou ji wu gong xian ji shen huan ji gou shi cun jing tie bi".split(),
        strict=True,
    )
)
_H6_SURNAMES = list(SURNAME_PINYIN)
_GIVEN_PINYIN_M = dict(
    zip(
        "德茂 启航 汉文 沛然 懿轩 伟泽 鸿煊 智宸 正豪 昊然 明杰 立轩 立辉 峻熙 弘文 伟诚 明辉 鹏涛 鹤轩 风华 健柏 修杰 "
        "志泽 荣轩 福海 来福 满仓 土根 茂林 红卫 向阳 援越 抗美 建新 铁军 保国 宥辰 景瑜 沐宸 亦辰".split(),
        "demao qihang hanwen peiran yixuan weize hongxuan zhichen zhenghao haoran mingjie lixuan lihui junxi "
        "hongwen weicheng minghui pengtao hexuan fenghua jianbai xiujie zhize rongxuan fuhai laifu mancang tugen "
        "maolin hongwei xiangyang yuanyue kangmei jianxin tiejun baoguo youchen jingyu muchen yichen".split(),
        strict=True,
    )
)
_GIVEN_PINYIN_F = dict(
    zip(
        "阿珍 杏花 素梅 瑶瑶 朵朵 萌萌 依诺 悦溪 语汐 梓萌 可昕 初夏 海安 语蓉 语琴 碧彤 如萱 雪柳 海云 晓霜 曼香 书翠 "
        "春翠 书雪 念薇 采薇 静曼 亦玉 凌萱 慕青 元香 新柔 惜文 沛珊 宛儿 盼儿".split(),
        "azhen xinghua sumei yaoyao duoduo mengmeng yinuo yuexi yuxi zimeng kexin chuxia haian yurong yuqin bitong "
        "ruxuan xueliu haiyun xiaoshuang manxiang shucui chuncui shuxue nianwei caiwei jingman yiyu lingxuan muqing "
        "yuanxiang xinrou xiwen peishan waner paner".split(),
        strict=True,
    )
)
_H6_RARE = ("郄", "伞", "降", "秘", "逢", "厚", "迮", "雒")
_H6_COMPOUND = ("东郭", "司空", "子车", "亓官", "段干", "公良", "仲孙")
_H6_WORD_LIKE = (
    ("晋", "升"),
    ("银", "河"),
    ("檀", "香"),
    ("展", "望"),
    ("原", "谅"),
    ("奉", "献"),
    ("巨", "浪"),
    ("豆", "蔻"),
    ("衣", "锦"),
)
# pinyin of the other surnames and given-name characters a passport may spell
_EXTRA_PINYIN = {
    "郄": "qie", "伞": "san", "降": "jiang", "秘": "bi", "逢": "pang", "厚": "hou", "迮": "ze", "雒": "luo",
    "东郭": "dongguo", "司空": "sikong", "子车": "ziju", "亓官": "qiguan", "段干": "duangan", "公良": "gongliang",
    "仲孙": "zhongsun", "升": "sheng", "河": "he", "望": "wang", "献": "xian",
    "浪": "lang", "蔻": "kou", "锦": "jin", "香": "xiang", "谅": "liang",
}  # fmt: skip

# OCR of a scanned page: a character read as a look-alike one (stroke lost or added)
_LOOKALIKE = dict(
    zip(
        "土乌栗宦侍勾充展茂来明伟泽福军元儿朵香杏梅瑶薇采玉文云辰晋银卿正昊辉熙弘风华志荣仓林向阳援抗美国沐亦素悦可初夏安彤雪春慕惜"
        "谌扬苟奉衣庹巨咸闭",
        "士鸟粟官待句允屐戊耒朋韦译幅车无几杂杳否悔遥微釆王又去层普锒乡止吴挥照引凤毕忠劳仑材问旧缓杭姜围沭赤索说司衬复宋肜雷舂幕借"
        "湛杨荀秦农度臣成闲",
        strict=True,
    )
)
# speech-to-text: a given-name character written as a homophone
_HOMOPHONE = dict(
    zip(
        "德茂启航汉文沛然轩伟泽鸿智正豪昊明杰立辉峻熙弘诚鹏涛鹤风华健柏修志荣福来满仓根林红卫向阳援越抗美建新铁军保国宥辰景瑜沐亦"
        "珍杏花素梅瑶朵萌依悦溪语汐梓可昕初夏蓉琴碧彤如萱雪柳云霜曼香书翠春念薇采静玉凌慕青元柔惜宛盼",
        "得貌起行翰闻配燃宣威则红志政浩浩鸣洁丽晖俊希宏成朋滔贺峰化建百秀智容富莱曼苍跟琳宏伟象杨元月康梅健欣帖君宝果又晨静玉木易"
        "真幸华苏美遥多盟伊月希雨夕子柯欣楚霞容勤必童茹宣薛刘芸双蔓湘舒萃纯年微彩晶育玲木清园揉希婉判",
        strict=True,
    )
)

_POOL: list[_Pools] = []


def pools() -> _Pools:
    if not _POOL:
        _POOL.append(
            filtered_pools(
                EARLIER,
                _H6_SURNAMES,
                list(_GIVEN_PINYIN_M),
                list(_GIVEN_PINYIN_F),
                _H6_RARE,
                _H6_COMPOUND,
                _H6_WORD_LIKE,
            )
        )
    return _POOL[0]


def new_person(c, with_identity: bool, child: bool, sex: str | None, role: str) -> _Person:
    p = pick_person(c, sex, (0.06, 0.12, 0.18))
    if with_identity:
        give_identity(c, p, child)
    elif role == "relative" and c.rng.random() < 0.12:
        p.cache["h6_tw"] = True  # a relative who lives in Taiwan (台商 families)
    return p


def pinyin(person: _Person) -> tuple[str, str]:
    """(surname, given name) in upper-case pinyin, as a passport spells them."""
    sur = SURNAME_PINYIN.get(person.surname) or _EXTRA_PINYIN[person.surname]
    given = (
        _GIVEN_PINYIN_M.get(person.given) or _GIVEN_PINYIN_F.get(person.given) or _EXTRA_PINYIN[person.given]
    )
    return sur.upper(), given.upper()


def lookalike(full: str, k: int) -> str:
    """``full`` with its ``k``-th mappable character read as a look-alike (unchanged if none maps)."""
    idx = [i for i, ch in enumerate(full) if ch in _LOOKALIKE]
    if not idx:
        return full
    i = idx[k % len(idx)]
    return full[:i] + _LOOKALIKE[full[i]] + full[i + 1 :]


def homophone(c, person: _Person) -> str:
    """The name as speech-to-text writes it: one or two given-name characters as homophones."""
    chars = list(person.given)
    idx = [i for i, ch in enumerate(chars) if ch in _HOMOPHONE and _HOMOPHONE[ch] != ch]
    if not idx:
        return person.full
    for i in c.rng.sample(idx, min(len(idx), c.pick((1, 1, 2)))):
        chars[i] = _HOMOPHONE[chars[i]]
    return person.surname + "".join(chars)


_OCR_STYLES = ("passport_ocr", "critical_notice", "consent", "settlement", "exam_report")
_ASR_STYLES = ("ward_round_asr", "family_comm", "nursing")


def name(c, person: _Person, context_form: str, labelled: bool):
    form = context_form if person.kind == "ordinary" else person.kind
    full = person.full
    if c.style in _OCR_STYLES and c.chance(0.5):
        v = lookalike(full, c.rng.randrange(0, 3))
        if v != full:
            return _I("person_name", "ocr_lookalike", v, labelled)
    if c.style in _ASR_STYLES and c.chance(0.45):
        v = homophone(c, person)
        if v != full:
            return _I("person_name", "asr_homophone", v, labelled)
    return _I("person_name", form, full, labelled)


def caret_name(c, person: _Person, labelled: bool = True) -> _I:
    """HL7 v2 XPN: family name ^ given name."""
    return _I("person_name", "caret_separated", f"{person.surname}^{person.given}", labelled)


def surname_title(c, person: _Person | None, title: str | None) -> list | None:
    return None  # dev's surname + title


def patient_mention(c) -> list | None:
    return None  # dev's


# -- machine-readable zone of a passport (ICAO 9303) ----------------------------------------------


def mrz_check(field: str) -> str:
    """ICAO 9303 check digit: digits as such, A-Z as 10-35, '<' as 0, weights 7 3 1, sum mod 10."""
    total = 0
    for i, ch in enumerate(field):
        v = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def _passport_no(c, p: _Person) -> str:
    """An e-passport number: E + 8 digits, or E + a letter + 7 digits (9 characters)."""
    if "h6_passport" not in p.cache:
        head = c.pick(("E", "E", "EA", "EB", "EC"))
        p.cache["h6_passport"] = head + _digits(c.rng, 9 - len(head))
    return p.cache["h6_passport"]


def mrz_lines(c, p: _Person) -> list:
    """The two 44-character lines of a Chinese passport's MRZ: P<CHN SURNAME<<GIVEN<<<…, then
    number + check, nationality, birth date + check, sex, expiry + check, personal number (empty),
    its check and the composite check. Spans hold a field with its check digit."""
    sur, given = pinyin(p)
    name_field = f"{sur}<<{given}"
    num = _passport_no(c, p)
    birth = p.dob.strftime("%y%m%d")
    expiry = (c.visit + timedelta(days=c.rng.randrange(200, 3600))).strftime("%y%m%d")
    personal = "<" * 14 + "0"
    composite = num + mrz_check(num) + birth + mrz_check(birth) + expiry + mrz_check(expiry) + personal
    return [
        "P<CHN",
        _I("person_name", "mrz_name", name_field, False),
        "<" * (39 - len(name_field)),
        "\n",
        _I("resident_id", "mrz_passport", num + mrz_check(num), False),
        "CHN",
        _I("date_of_birth", "mrz_yymmdd", birth + mrz_check(birth), False),
        "M" if p.sex == "男" else "F",
        _D("mrz_expiry", expiry + mrz_check(expiry)),
        personal + mrz_check(composite),
    ]


# -- identity documents, record numbers, dates of birth --------------------------------------------


def rid(c, labelled: bool) -> _I | None:
    return None  # dev's forms; heldout6's own appear where their carrier (HL7, FHIR, CSV, MRZ) is


def rid_labelled(c) -> list:
    return labelled_rid(c, {})


def _rec_digits(c) -> str:
    return c.patient.cache.setdefault(
        "rec_inpatient_no", _digits(c.rng, c.pick((6, 7, 8)), first_nonzero=True)
    )


def _float(v: str) -> str:
    """A number column read by pandas with a missing value in it, written back as float text."""
    return v + ".0"


def rec(c, labelled: bool) -> list | None:
    if c.style == "table" and c.chance(0.35):
        span = _I("hospital_record_no", "float_suffix", _float(_rec_digits(c)), labelled)
        return [c.pick(("住院号：", "住院号 ")), span] if labelled else [span]
    return None


def dob(c, labelled: bool, person: _Person) -> _I | None:
    return None


def dob_labelled(c) -> list:
    return labelled_dob(c, {})


def hl7_ts(p: _Person, c) -> _I:
    d = p.dob.strftime("%Y%m%d")
    return _I("date_of_birth", "hl7_ts", d + c.pick(("0000", "000000", "000000")), False)


def excel_serial(p: _Person) -> _I:
    """The date as Excel's 1900 date system stores it: days since 1899-12-30."""
    return _I("date_of_birth", "excel_serial", str((p.dob - date(1899, 12, 30)).days), False)


# -- phones --------------------------------------------------------------------------------------


def tw_mobile(c, person: _Person) -> str:
    if "h6_twm" not in person.cache:
        person.cache["h6_twm"] = "09" + _digits(c.rng, 8)
    m = person.cache["h6_twm"]
    return c.pick((m, f"{m[:4]}-{m[4:7]}-{m[7:]}", f"{m[:4]} {m[4:7]} {m[7:]}", f"{m[:4]}-{m[4:]}"))


def phone(c, person: _Person, labelled: bool, landline_ok: bool) -> _I | None:
    if person.cache.get("h6_tw") and c.chance(0.85):
        return _I("phone", "tw_mobile_local", tw_mobile(c, person), labelled)
    if c.style == "table" and c.chance(0.4):
        return _I("phone", "float_suffix", _float(c.mobile_digits(person)), labelled)
    return None


def hl7_xtn(c, person: _Person) -> _I:
    """HL7 v2 XTN with its country, area and local components: 86^21^64840332."""
    return _I("phone", "hl7_xtn", f"86^{c.pick(('21', '021'))}^{landline(c, person)}", False)


# -- cards ---------------------------------------------------------------------------------------


def _sscard(c) -> str:
    return c.patient.cache.setdefault("sscard_digits9", _digits(c.rng, 9, first_nonzero=True))


def card(c, labelled: bool, forms: tuple[str, ...] | None) -> list | str:
    """A heldout6 card as ``[label, span]``, or the name of the dev form the dev code should render
    (a settlement picks its two card forms from the split's list, heldout6's included)."""
    if forms is None:
        if not (c.style == "table" and c.chance(0.4)):
            return c.pick(ind._SHARED_FORMS["card_number"])
        form = "float_suffix"
    else:
        form = c.pick(forms)
        if form not in HELDOUT6_ONLY["card_number"]:
            return form
    if form == "float_suffix":
        span = _I("card_number", form, _float(_sscard(c)), labelled)
        label = ("社保卡号：", "医保卡号：")
    else:  # an HL7 IN1 segment's insured ID, quoted with its field name
        span = _I("card_number", form, _sscard(c), labelled)
        label = ("IN1-49：", "接口IN1-49 ")
    return [c.pick(label), span] if labelled else [span]


# -- bank cards, e-mail, other contacts ----------------------------------------------------------

# (country, bank-code shape, account shape): DE 8 + 10 digits, GB 4 letters + 6 + 8 digits, NL 4 letters + 10
_IBAN_LAYOUT = (
    ("DE", "", 18),
    ("GB", "NWBK", 14),
    ("GB", "MIDL", 14),
    ("NL", "ABNA", 10),
    ("NL", "INGB", 10),
)


def iban_check(country: str, bban: str) -> str:
    """ISO 13616 check digits: BBAN + country + '00' with letters as 10-35, 98 - (n mod 97)."""
    s = bban + country + "00"
    n = int("".join(str(int(ch, 36)) for ch in s))
    return f"{98 - n % 97:02d}"


def iban(c) -> str:
    country, bank, k = c.pick(_IBAN_LAYOUT)
    bban = bank + _digits(c.rng, k)
    v = country + iban_check(country, bban) + bban
    return c.pick((v, " ".join(v[i : i + 4] for i in range(0, len(v), 4))))


def bank(c, labelled: bool) -> _I | None:
    if c.chance(0.16):
        return _I("bank_card", "iban", iban(c), labelled)
    return None


_VIP_DOMAINS = ("vip.163.com", "vip.qq.com", "vip.sina.com", "yeah.net", "aliyun.com", "outlook.com")


def _mailbox(c, domains=None) -> str:
    a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
    return f"{email_local(c, a, b)}@{c.pick(domains or ind._WEBMAIL)}"


def email(c, labelled: bool) -> _I | None:
    if c.chance(0.18):
        return _I("email", "vip_domain", _mailbox(c, _VIP_DOMAINS), labelled)
    return None


def mail_header(c) -> list:
    """A forwarded e-mail's header line, or a mailto link, pasted into the note."""
    p = c.patient
    if c.chance(0.55):
        return [
            c.pick(("转发邮件 发件人：", "From: ", "发件人: ")),
            c.pname(True),
            " <",
            _I("email", "angle_bracket", _mailbox(c), True),
            ">",
        ]
    a = _mailbox(c, c.pick((None, _VIP_DOMAINS)))
    return [
        c.pick(("报告已发送至 mailto:", "邮件链接 mailto:")),
        _I("email", "mailto_link", a, True),
        "（",
        p.sex,
        "）",
    ]


def contact(c, person: _Person | None = None, labelled: bool = True) -> list:
    """A 企业微信 account or a 快手号 (kind other_contact); heldout2's forms as the baseline."""
    person = person or c.patient
    if not c.chance(0.33):
        return ind._h2_contact(c, person, labelled)
    form = c.pick(HELDOUT6_ONLY["other_contact"])
    key = "h6_" + form
    if key not in person.cache:
        rng = c.rng
        if form == "wecom_id":  # 企业微信 accounts default to the name in pinyin, capitalised
            sur, given = pinyin(person)
            v = c.pick((sur.capitalize() + given.capitalize(), sur.lower() + given.lower(), sur + given))
            person.cache[key] = v + c.pick(("", "", str(rng.randrange(1, 10))))
        else:
            a, b = c.pick(ind._PINYIN_SYL), c.pick(ind._PINYIN_SYL)
            person.cache[key] = c.pick((f"{a}{b}{rng.randrange(100, 9999)}", f"ks{_digits(rng, 9, True)}"))
    span = _I("other_contact", form, person.cache[key], labelled)
    if not labelled:
        return [span]
    if form == "wecom_id":
        return [c.pick(("企业微信：", "企业微信账号 ", "单位企微：")), span]
    return [c.pick(("快手号：", "快手 ", "快手ID：")), span]


# -- addresses -----------------------------------------------------------------------------------

ind._STREETS["heldout6"] = {
    "徐汇区": ("钦州北路", "虹漕南路", "罗秀路", "百色路"),
    "静安区": ("江场西路", "闻喜路", "保德路", "场中路"),
    "虹口区": ("奎照路", "车站北路", "密云路", "新市北路"),
    "嘉定区": ("胜辛路", "金沙路", "永盛路", "福海路"),
    "青浦区": ("城中北路", "崧泽大道", "漕盈路", "赵重公路"),
    "松江区": ("乐都路", "茸梅路", "方松路", "玉树路"),
}
ind._NEW_VILLAGES["heldout6"] = (
    ("徐汇区", "长桥新村"),
    ("静安区", "闻喜小区"),
    ("虹口区", "密云小区"),
    ("嘉定区", "福海新村"),
    ("青浦区", "崧泽新村"),
    ("松江区", "茸梅新村"),
)
ind._VILLAGES["heldout6"] = (
    ("崇明区", "港沿镇", "鲁玙村"),
    ("崇明区", "新河镇", "井亭村"),
    ("松江区", "叶榭镇", "徐姚村"),
    ("金山区", "廊下镇", "中丰村"),
    ("奉贤区", "金汇镇", "百曲村"),
    ("浦东新区", "书院镇", "洋溢村"),
)
ind._OUT_OF_TOWN["heldout6"] = (
    ("贵州省毕节市黔西市", "莲城街道", "水西大道"),
    ("江西省抚州市南城县", "建昌镇", "盱江大道"),
    ("湖北省黄冈市浠水县", "清泉镇", "问津路"),
    ("甘肃省天水市甘谷县", "大像山镇", "渭水大道"),
)
_ZIP = {
    "徐汇区": "2002",
    "静安区": "2000",
    "虹口区": "2000",
    "嘉定区": "2018",
    "青浦区": "2017",
    "松江区": "2016",
}


def _home(c) -> tuple[str, str, str, str]:
    """(district, road, house number, postcode) of the patient's home, the same all note long."""
    p = c.patient
    if "h6_home" not in p.cache:
        rng = c.rng
        streets = ind._STREETS["heldout6"]
        district = c.pick(list(streets))
        road = c.pick(streets[district])
        lane, bldg = rng.randrange(1, 1500), rng.randrange(1, 40)
        room = rng.randrange(1, 25) * 100 + rng.randrange(1, 7)
        p.cache["h6_home"] = (district, road, f"{lane}弄{bldg}号{room}室", _ZIP[district] + _digits(rng, 2))
    return p.cache["h6_home"]


def hl7_xad(c) -> _I:
    district, road, house, zip_ = _home(c)
    return _I("address", "hl7_xad", f"{road}{house}^^上海市^{district}^{zip_}^CHN", False)


def csv_columns(c) -> _I:
    """The address spread over the columns of a spreadsheet (province, district, road, house)."""
    district, road, house, _zip = _home(c)
    return _I("address", "csv_columns", f"上海市,{district},{road},{house}", False)


def gps(c, labelled: bool = True) -> _I:
    """A home visit's position: WGS-84 / GCJ-02 degrees, in the orders map apps write."""
    rng = c.rng
    lat, lon = rng.uniform(30.90, 31.40), rng.uniform(121.20, 121.70)
    v = c.pick(
        (
            f"{lat:.6f},{lon:.6f}",
            f"{lon:.6f},{lat:.6f}",
            f"{lat:.5f}°N, {lon:.5f}°E",
            f"N{lat:.5f} E{lon:.5f}",
        )
    )
    return _I("address", "gps_coordinates", v, labelled)


def address(c, labelled: bool) -> _I | None:
    return None


# -- decoys --------------------------------------------------------------------------------------


def hl7_stamp(c) -> _D:
    t = (
        c.visit.strftime("%Y%m%d")
        + f"{c.rng.randrange(7, 22):02d}{c.rng.randrange(0, 60):02d}{c.rng.randrange(0, 60):02d}"
    )
    return _D("hl7_meta", t)


def control_id(c) -> _D:
    return _D("hl7_meta", c.pick(("MSG", "ADT", "")) + _digits(c.rng, c.pick((8, 10))))


_OIDS = (
    "2.16.156.10011.1.3",
    "2.16.156.10011.1.12",
    "2.16.156.10011.2.3.3.4",
    "1.2.156.112604.1.2.1",
    "1.2.156.112635.1.2.3",
)


def oid(c) -> _D:
    return _D("oid", c.pick(_OIDS))


_LOINC = {
    "血糖": "2345-7",
    "肌酐": "2160-0",
    "血红蛋白": "718-7",
    "白细胞": "6690-2",
    "ALT": "1742-6",
    "HbA1c": "4548-4",
}


def loinc(c) -> list:
    k = c.pick(list(_LOINC))
    return [f"{k} LOINC ", _D("loinc_code", _LOINC[k])]


def mangled(c) -> _D:
    """An 18- or 19-digit number after Excel: six significant digits left, the person gone."""
    return _D(
        "excel_mangled",
        c.pick(
            (
                f"{c.pick(ind._SH_AREA_CODES)[0]}.{c.pick(ind._SH_AREA_CODES)[1:]}E+17",
                f"6.{c.pick(('22202', '21700', '22848'))}E+18",
            )
        ),
    )


def sms_template(c) -> list:
    return [
        c.pick(("模板CODE：", "TemplateCode=", "短信模板 ")),
        _D("sms_template_code", "SMS_" + _digits(c.rng, c.pick((8, 9)), True)),
    ]


def chat_time(c, minutes: int) -> _D:
    t = (
        c.visit.strftime("%Y-%m-%d")
        + f" {8 + minutes // 60:02d}:{minutes % 60:02d}:{c.rng.randrange(0, 60):02d}"
    )
    return _D("chat_timestamp", t)


def timecode(c, sec: int) -> _D:
    return _D("asr_timecode", f"00:{sec // 60:02d}:{sec % 60:02d}")


_FORMS = ("YW-BW-003", "HL-JJ-012", "YW-ZQ-021", "XF-BW-01", "YWB-2019-07")


def form_code(c) -> list:
    return [
        c.pick(("表单编号：", "文件编号 ", "表单号：")),
        _D("form_code", c.pick(_FORMS) + c.pick(("", " V2.1", " V3.0"))),
    ]


def ecg(c) -> list:
    return [
        "心电图：窦性心律，",
        _D("ecg_interval", f"PR {c.rng.randrange(120, 210)}ms"),
        "，",
        _D("ecg_interval", f"QRS {c.rng.randrange(70, 120)}ms"),
        "，",
        _D("ecg_interval", f"QTc {c.rng.randrange(380, 500)}ms"),
    ]


# -- lines with several identifiers --------------------------------------------------------------


def pid_segment(c) -> list:
    """An HL7 v2 PID segment: PID-3 (record number and resident ID with their assigning
    authorities), PID-5 name, PID-7 birth, PID-8 sex, PID-11 address, PID-13 home phone."""
    p = c.patient
    out: list = ["PID|1||", _I("hospital_record_no", "hl7_cx", _rec_digits(c), False), "^^^HIS^PI"]
    if c.chance(0.55):
        out += ["~", _I("resident_id", "hl7_cx", _full_id(p), False), "^^^&", oid(c), "&ISO^NNCHN"]
    out += ["||", caret_name(c, p, False), "||"]
    if c.chance(0.6):
        out += [hl7_ts(p, c)]
    out += ["|", "M" if p.sex == "男" else "F", "|||"]
    if c.chance(0.35):
        out += [hl7_xad(c)]
    if c.chance(0.6):
        out += ["||^PRN^PH^^", hl7_xtn(c, p)]
    return out


def in1_segment(c) -> list:
    """An HL7 v2 IN1 segment with the insured's 社保卡号 (IN1-49, insured's ID number)."""
    return [
        "IN1|1|310^城镇职工医保||上海市医保||||||||||||",
        caret_name(c, c.patient, False),
        "|01^本人" + "|" * 32,  # IN1-17 relationship, then empty fields up to IN1-49
        _I("card_number", "hl7_in1", _sscard(c), False),
    ]


def csv_row(c) -> list:
    """A row of a spreadsheet export (header, then the patient), as pasted into the note."""
    p = c.patient
    cols = c.rng.sample(["rec", "dob", "rid", "phone", "card", "addr", "bank"], c.rng.randint(2, 4))
    head = ["姓名"]
    cells: list = [c.pname(False)]
    for k in ("rec", "dob", "rid", "phone", "card", "addr", "bank"):
        if k not in cols:
            continue
        if k == "rec":
            head.append("住院号")
            cells.append(_I("hospital_record_no", "float_suffix", _float(_rec_digits(c)), False))
        elif k == "dob":
            head.append("出生日期")
            cells.append(excel_serial(p))
        elif k == "rid":
            head.append("身份证号")
            cells.append(
                ["'" if c.chance(0.6) else '="', _I("resident_id", "excel_text_cell", _full_id(p), False)]
            )
            if cells[-1][0] == '="':
                cells[-1].append('"')
        elif k == "phone":
            head.append("联系电话")
            cells.append(_I("phone", "float_suffix", _float(c.mobile_digits(p)), False))
        elif k == "card":
            head.append("社保卡号")
            cells.append(_I("card_number", "float_suffix", _float(_sscard(c)), False))
        elif k == "addr":
            head += ["省市", "区县", "道路", "门牌"]
            cells.append(csv_columns(c))
        else:
            head.append("退款账号")
            num = ind._luhn_complete(c.pick(("622202", "621700", "622848")) + _digits(c.rng, 12))
            cells.append(["'", _I("bank_card", "excel_text_cell", num, False)])
    out: list = [",".join(head), "\n"]
    for i, cell in enumerate(cells):
        out += ([","] if i else []) + [cell]
    return out


# -- styles --------------------------------------------------------------------------------------


def _msh(c, kind: str) -> list:
    return [
        "MSH|^~\\&|HIS|",
        c.facility(),
        "|EMR||",
        hl7_stamp(c),
        f"||{kind}|",
        control_id(c),
        "|P|2.4\n",
    ]


def _s_hl7_message(c) -> None:
    d = c.d
    d.f("信息科工单：接口消息入院登记失败，原文如下（{dt}）\n", dt=c.date_decoy())
    d.put(_msh(c, "ADT^A01"))
    d.f("EVN|A01|{t}\n", t=hl7_stamp(c))
    d.put(pid_segment(c))
    doc = c.staff()
    d.f(
        "\nPV1|1|I|{dept}^{bed}||||D{k}^{doc}\n",
        dept=c.dept,
        bed=c.bed(),
        k=str(c.rng.randrange(100, 9999)),
        doc=caret_name(c, doc, False),
    )
    if c.chance(0.5):
        d.put(in1_segment(c))
        d.put("\n")
    dxn, icd = c.dx()
    d.f("DG1|1||{icd}^{dx}\n处理：PID段校验失败，已通知{nu}重新登记。", icd=icd, dx=dxn, nu=ind._nurse(c))


def _s_fhir_json(c) -> None:
    d = c.d
    p = c.patient
    d.f("区域平台调阅（FHIR）{dt}：\n", dt=c.date_decoy())
    d.put('{"resourceType":"Patient","meta":{"lastUpdated":"')
    d.put(
        _D(
            "hl7_meta",
            c.visit.isoformat() + f"T{c.rng.randrange(7, 22):02d}:{c.rng.randrange(0, 60):02d}:00+08:00",
        )
    )
    d.put('"},"identifier":[{"system":"urn:oid:')
    d.put(oid(c))
    d.put('","value":"')
    d.put(_I("resident_id", "fhir_identifier", _full_id(p), False))
    d.put('"},{"system":"urn:oid:')
    d.put(oid(c))
    d.put('","value":"')
    rec_v = c.pick((_rec_digits(c), "ZY" + str(c.visit.year) + _digits(c.rng, 6)))
    d.put(_I("hospital_record_no", "fhir_identifier", rec_v, False))
    d.put('"}],"name":[{"text":"')
    d.put(c.pname(False))
    d.put('"}],"gender":"' + ("male" if p.sex == "男" else "female") + '"')
    if c.chance(0.5):
        d.put(',"birthDate":"')
        d.put(_I("date_of_birth", "iso", p.dob.isoformat(), False))
        d.put('"')
    d.put("}\n")
    k = c.pick(list(_LOINC))
    d.f('Observation: {{"code":"{lo}","display":"{k}"}}，', lo=_D("loinc_code", _LOINC[k]), k=k)
    d.f("结合{lab}，考虑{dx}。医师：{doc}", lab=c.lab(), dx=c.dx()[0], doc=ind._doctor(c))


def _s_csv_export(c) -> None:
    d = c.d
    d.f(
        "{fac} 慢病随访名单导出（{f}.csv，{dt}）\n",
        fac=c.facility(),
        f=c.pick(("随访名单", "复诊提醒", "出院患者")),
        dt=c.date_decoy(),
    )
    d.put(csv_row(c))
    d.f("\n备注：诊断{dx}，", dx=c.dx()[0])
    if c.chance(0.5):
        d.put(["原表身份证号一列显示为", mangled(c), "，已按住院系统补录"])
    else:
        d.f("末次随访{lab}", lab=c.lab())
    d.f("。随访护士：{nu}", nu=ind._nurse(c))


def _s_ward_round_asr(c) -> None:
    d = c.d
    sec = c.rng.randrange(2, 30)
    doc = c.staff()
    d.f("查房语音转写（{dt}，自动生成，未校对）\n", dt=c.date_decoy())
    d.f("[{t}] 说话人1：这个{bed}的", t=timecode(c, sec), bed=c.bed())
    d.put(c.pname(False))
    d.f("，{age}，{s}几天了？\n", age=c.age_decoy(), s=c.sym())
    sec += c.rng.randrange(8, 40)
    d.f("[{t}] 说话人2：{dx}入院第三天，", t=timecode(c, sec), dx=c.dx()[0])
    d.put(c.lab())
    d.f("，今天{v}。\n", v=c.vitals("TP"))
    sec += c.rng.randrange(8, 40)
    d.f("[{t}] 说话人1：继续{drug}，", t=timecode(c, sec), drug=c.drug())
    d.put(
        ["通知家属，", *c.phone_labelled()] if c.chance(0.5) else ["明天复查", c.term(c.pick(c.sp["exams"]))]
    )
    d.f("。记录人：{n}", n=c.name(doc, "doctor", True))


def _s_sms_notice(c) -> None:
    d = c.d
    d.f("短信发送记录  ")
    d.put(sms_template(c))
    d.put("\n接收号码：")
    d.put(c.phone(None, False, landline_ok=False))
    d.f("\n内容：【{fac}】", fac=c.facility())
    d.put(c.pname(True))
    d.f("您好，您预约的{dept}门诊（{dt}）", dept=c.dept, dt=c.date_decoy(c.later(2, 20)))
    d.put("请携带")
    d.put(c.card(True))
    d.f("按时就诊。{dx}复诊请带既往{exam}报告。", dx=c.dx()[0], exam=c.term(c.pick(c.sp["exams"])))
    d.put("\n状态：发送成功（回执")
    d.put(_D("hl7_meta", c.visit.strftime("%Y%m%d") + _digits(c.rng, 10)))
    d.put("）")


def _s_wechat_group(c) -> None:
    d = c.d
    p = c.patient
    rel, relation = c.relative()
    bed = f"{c.rng.randrange(1, 48)}床"
    d.f("微信群聊导出：{dept}病区家属群\n", dept=c.dept)
    minute = c.rng.randrange(0, 300)
    nick = _I("person_name", "group_nick", p.full, False)
    d.f(
        "{t} 【{bed}{n}{r}】",
        t=chat_time(c, minute),
        bed=_D("bed_no", bed),
        n=nick,
        r=c.pick((relation, "家属", "-" + relation)),
    )
    d.put(c.name(rel, "relative", False))
    d.f("：护士，{r}今天{s}，能不能早点查房？\n", r=c.pick(("我爸", "我妈", "老人")), s=c.sym())
    minute += c.rng.randrange(2, 40)
    nu = c.staff()
    d.f("{t} 【护士长】{n}：", t=chat_time(c, minute), n=ind._nurse(c, nu))
    d.f("已告知主治医生，{drug}已经用上。\n", drug=c.drug())
    minute += c.rng.randrange(2, 40)
    d.f("{t} 【{bed}", t=chat_time(c, minute), bed=_D("bed_no", bed))
    d.put(_I("person_name", "group_nick", p.full, False))
    d.f("家属】{rn}：好的谢谢，", rn=c.name(rel, "relative", False))
    d.put(c.phone_labelled(rel) if c.chance(0.6) else ["费用清单发我邮箱", c.email(True)])


def _s_critical_notice(c) -> None:
    d = c.d
    p = c.patient
    d.f("{fac} 病危（重）通知书（扫描件）  ", fac=c.facility())
    d.put(form_code(c))
    d.put("\n患者")
    d.put(c.pname(True))
    d.f("，{sex}，{age}，", sex=p.sex, age=c.age_decoy())
    d.put(c.rec(True, form=c.pick(("inpatient_no", "alpha_prefixed"))))
    d.f(
        "，因{dx}，目前病情危重，{c1}，随时可能危及生命，特此通知。\n",
        dx=c.dx()[0],
        c1=c.pick(("出现" + c.pick(ind._COMPLICATIONS), "血压进行性下降", "意识障碍加重")),
    )
    rel, relation = c.relative()
    d.f(
        "家属签名：{r}  与患者关系：{rel}  联系电话：{ph}\n",
        r=c.name(rel, "relative", True),
        rel=relation,
        ph=c.phone(rel, False),
    )
    d.f("通知医师：{doc}  签署时间：{dt} {h}时{m}分", doc=ind._doctor(c), dt=c.date_decoy(fmt="cn"),
        h=f"{c.rng.randrange(0, 24):02d}", m=f"{c.rng.randrange(0, 60):02d}")  # fmt: skip


def _s_passport_ocr(c) -> None:
    d = c.d
    p = c.patient
    d.f("国际旅行卫生保健中心 出入境人员健康体检登记（护照OCR识别）{dt}\n", dt=c.date_decoy())
    d.f("姓名：{n}  性别：{sex}  ", n=c.pname(True), sex=p.sex)
    d.put(c.dob_labelled())
    d.f("\n前往国家：{k}  体检类别：{t}\nMRZ：\n", k=c.pick(("日本", "澳大利亚", "新加坡", "德国", "加拿大")),
        t=c.pick(("留学", "劳务", "定居")))  # fmt: skip
    d.put(mrz_lines(c, p))
    d.f("\n结论：{s}，", s=c.pick(("未见明显异常", "建议复查" + c.pick(("胸片", "肝功能")))))
    d.put(ecg(c) if c.chance(0.5) else c.lab())
    d.f("。主检医师：{doc}", doc=ind._doctor(c))


ind._STYLE_FUNCS.update(
    {
        "hl7_message": _s_hl7_message,
        "fhir_json": _s_fhir_json,
        "csv_export": _s_csv_export,
        "ward_round_asr": _s_ward_round_asr,
        "sms_notice": _s_sms_notice,
        "wechat_group": _s_wechat_group,
        "critical_notice": _s_critical_notice,
        "passport_ocr": _s_passport_ocr,
    }
)


def _tw_relative(c) -> list:
    rel, relation = c.relative()
    rel.cache["h6_tw"] = True
    return [
        f"{relation}在台湾工作，",
        c.name(rel, "relative", True),
        " 手机 ",
        _I("phone", "tw_mobile_local", tw_mobile(c, rel), True),
    ]


ind._EXTRAS.update(
    {
        "contact6": lambda c: contact(c),
        "pid6": lambda c: ["接口日志：", *pid_segment(c)],
        "csv6": lambda c: ["导出：\n", *csv_row(c)] if c.chance(0.6) else c.rid_labelled(),
        "gps6": lambda c: (
            [c.pick(("家访定位：", "上门随访位置 ", "GPS: ")), gps(c), c.pick(("（精度15米）", ""))]
            if c.chance(0.45)
            else c.addr_labelled()
        ),
        "mail6": lambda c: mail_header(c) if c.chance(0.45) else ["电子邮箱：", c.email(True)],
        "tw6": _tw_relative,
        "oid6": lambda c: ["检查报告 OID ", oid(c), "，", *c.exam_no()],
        "loinc6": lambda c: ["检验项目映射：", *loinc(c)],
        "sms6": lambda c: ["复诊提醒已发送，", *sms_template(c)],
        "xls6": lambda c: ["附表中一列显示为", mangled(c), "，无法识别"],
        "ecg6": ecg,
        "form6": lambda c: ["知情同意书", *form_code(c)],
        "msh6": lambda c: ["消息头：MSH-7 ", hl7_stamp(c), "  MSH-10 ", control_id(c)],
    }
)
ind._EXTRA_KIND.update(
    {"contact6": "other_contact", "pid6": "", "csv6": "", "gps6": "", "mail6": "", "tw6": ""}
)
ID_EXTRAS = ind._ID_EXTRAS + ("contact6", "pid6", "csv6", "gps6", "mail6", "tw6")
DECOY_EXTRAS = ind._DECOY_EXTRAS + ("oid6", "loinc6", "sms6", "xls6", "ecg6", "form6", "msh6")

# -- registration --------------------------------------------------------------------------------

register("heldout6", sys.modules[__name__], HELDOUT6_ONLY, HELDOUT6_DECOY_KINDS)

__all__ = [
    "BASELINE_FORMS",
    "HELDOUT6_DECOY_KINDS",
    "HELDOUT6_ONLY",
    "KINDS",
    "iban_check",
    "mrz_check",
    "pools",
]
