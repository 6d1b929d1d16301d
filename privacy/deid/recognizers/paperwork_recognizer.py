"""Identifiers and look-alikes that a piece of everyday paperwork lays out (session 10, issue #15).

Each pattern here is the way a kind of form, slip or register prints something, not a value:

* **V-net short numbers** (集团短号, 亲情号, 单位短号, 短号): a mobile operator's group network lets its
  members dial each other by a 3–6-digit short number, which reaches the person like a phone
  number; after such a label, or after 电话 when only five or six digits follow (no landline or
  mobile is that short), the number is a ``PHONE``. A short number alone after a relative's role in
  brackets (联系人：王芳（女儿） 6xxxx) is one too, unless it opens with 0 (an area code), 1 or 9 (the
  emergency and service numbers: 110, 120, 12320, 95xxx, 96xxx).
* **A home hospital bed's number** (家庭病床, a community health centre's 建床 register): the
  register prints ``家床`` inside the number (``家床2023-077``, ``2023家床0456``); after 家庭病床号 /
  家床号 / 建床号 or with 家床 between digits it is a ``HOSPITAL_RECORD_NO``.
* **A record number read back by OCR with one stray space** (住院号 3 07121, 病案号：45 0712): after
  the record label, one or two digit groups adding up to five digits or more.
* **A date of birth read back by OCR with a stray space** inside a digit run (出生日期：1 962/05/04,
  1962.0 5.04): after a birth label, a date whose digits, once the spaces are dropped, are a real
  year-month-day.
* **A Korean alien registration number** (외국인등록번호; 韩国外国人登录证): ``YYMMDD-GNNNNNN``, the
  holder's birth date, then 5–8 for a foreign man or woman (5/6 born before 2000, 7/8 after), the
  Korean resident registration number's layout (Korea's Resident Registration Act; the
  registration card of the Immigration Act, art. 31). Taken after its label (labels.py), and here
  where the note names Korea on the same line, with a real date and the sex digit 5–8.
* **Telegram** usernames: ``t.me/<name>`` (Telegram's own link domain) anywhere, and the name after
  ``TG:`` — Telegram usernames are 5–32 characters of a–z, 0–9 and ``_`` starting with a letter
  (telegram.org, "Usernames"); ``TG`` is also triglycerides, so a lab value (TG 2.3) never matches.
* **Names a register or a till prints next to other things**: a staff member's job number glued
  before or after the name (操作员：0457王芳, 收银员：王芳[0457], 采样人员：王芳(0457)); a name run
  together with sex and age (顾客：王芳女52岁, 1. 王芳男 7岁); a small child called by the surname
  and 宝宝 / 小宝 / 囡囡 (陪同：王宝宝（孙）); a relative named between the relationship and a contact
  (侄子王芳 短号…, 女儿在美国，王芳 手机…); the owner of an animal in a rabies-exposure record
  (犬主王芳 138…); and a staff field that holds nothing but a word-like name (住院医师：勇敢).
  The job number is the staff member's and is kept (recorded as a look-alike).

Look-alikes laid out by paperwork are recorded on the :class:`Doc` (shape-only matches inside are
dropped) with their label, so a guess that swallowed the label goes too:

* the fields of a China UnionPay POS slip (签购单): 商户号 / 商户编号 (MERCHANT NO.), 终端号 /
  终端编号 (TERMINAL NO.), 凭证号 (VOUCHER / TRACE NO.), 参考号 (REFERENCE NO.), 授权码 (AUTH NO.),
  批次号 (BATCH NO.) — the merchant's, the terminal's and the transaction's numbers, not the
  cardholder's (the card number on the slip is still redacted: its own label);
* the number of a venue QR code (场所码, the 2022 sampling-site and venue codes of 随申码);
* the ``ecToken`` of a 医保电子凭证 settlement: the credential token the code yields for that
  settlement, as HIS integrations of the national 医保电子凭证 interface name it (the person's
  own number is another field);
* a bank's routing codes: SWIFT / BIC (ISO 9362: 4 letters bank, 2 country, 2 location, 3 branch)
  and the ABA routing transit number (9 digits, checksum 3-7-1), which name the bank, not the
  account holder;
* a pet's name in quotes after 犬名 / 猫名 / 养犬 (rabies records name the animal), and a town's
  name before a facility (杨行镇采样点, 曹路镇社区卫生服务中心): a place, not a person or a home.
"""

from __future__ import annotations

import re
from datetime import date

from privacy.deid.entities import CONTACT_ID, DATE_OF_BIRTH, HOSPITAL_RECORD_NO, PERSON, PHONE, RESIDENT_ID
from privacy.deid.labels import DOB_LABELS
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation

_HAN = "\u4e00-\u9fff"

# --- short numbers ---------------------------------------------------------------------------
_VNET_LABELS = (
    "集团短号 集团V网短号 V网短号 v网短号 虚拟网短号 亲情号 亲情号码 亲情短号 亲情网短号 单位短号 家庭短号 "
    "家庭网短号 短号 短号码 手机短号 内部短号"
).split()
_VNET = re.compile(r"[ ]?[:=]?[ ]{0,3}(?P<v>[0-9]{3,6})(?![0-9A-Za-z])")
#: 电话 with four to six digits after it: too short for a landline (8) or a mobile (11)
_SHORT_AFTER_PHONE = re.compile(
    r"[ ]?[:=]?[ ]{0,2}(?P<v>[2-8][0-9]{3,5})(?![0-9A-Za-z\-.年月日次号分秒个人元岁])"
)
_RELATIONS = (
    "丈夫 妻子 爱人 儿子 女儿 母亲 父亲 孙子 孙女 外孙 外孙女 儿媳 女婿 哥哥 姐姐 弟弟 妹妹 侄子 侄女 外甥 外甥女 "
    "祖父 祖母 外公 外婆 爷爷 奶奶 叔叔 阿姨 舅舅 姑姑 配偶 朋友 同事 子 女 夫 妻 母 父"
).split()
_SHORT_AFTER_RELATION = re.compile(
    rf"[(（](?:{alternation(_RELATIONS)})[)）][ ]{{0,2}}(?P<v>[2-8][0-9]{{3,5}})(?![0-9A-Za-z\-.:/年月日岁号床元])"
)
#: the same short number right after a relative's name (犬主王芳 6xxxx。)
_SHORT_AFTER_NAME = re.compile(r"[ ]{1,2}(?P<v>[2-8][0-9]{3,5})(?![0-9A-Za-z\-.:/年月日岁号床元])")

# --- home hospital beds, record numbers with a stray space -----------------------------------
_HOME_BED = re.compile(
    r"(?:[0-9](?<![0-9A-Za-z].)[0-9]{1,3}家床[0-9]{3,5}(?:-[0-9]{2,5})?|(?<![0-9A-Za-z])家床(?:号[ ]?[:=]?[ ]?)?[0-9]{2,4}-?[0-9]{2,5})"
    r"(?![0-9A-Za-z])"
)
_BED_LABELS = "家庭病床号 家庭病床编号 家床号 家床编号 建床号".split()
_HOME_BED_LABELLED = re.compile(
    r"[ ]?[:=]?[ ]{0,3}(?P<v>[0-9A-Za-z]{0,4}家?床?[0-9A-Za-z\-]{3,14})"
)
_RECORD_LABELS = "住院号 病案号 门诊号 病历号 住院病案号".split()
_RECORD_SPACED = re.compile(
    r"[ ]?[:=]?[ ]{0,3}(?P<v>[0-9]{1,4}[ ][0-9]{2,7})(?![0-9])"
)

# --- dates of birth with a stray space --------------------------------------------------------
_DOB_STRAY = re.compile(
    r"[ ]?[:=]?[ ]{0,2}"
    r"(?P<d>[0-9](?:[ ]?[0-9]){3}[ ]?[-/.][ ]?[0-9](?:[ ]?[0-9])?[ ]?[-/.][ ]?[0-9](?:[ ]?[0-9])?)(?![0-9])"
)
_DATE_PARTS = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")

# --- Korean alien registration numbers --------------------------------------------------------
_KR_NO = re.compile(r"[0-9](?<![0-9].)[0-9]{5}-?[5-8][0-9]{6}(?![0-9])")
_KOREA = re.compile(r"韩国|在韩|赴韩|외국인|登录证|Korea|KOREA")

# --- Telegram ---------------------------------------------------------------------------------
_TME = re.compile(r"(?<![A-Za-z0-9.])(?:https?://)?t\.me/[A-Za-z][A-Za-z0-9_]{3,31}(?![A-Za-z0-9_])")
_TG = re.compile(r"(?<![A-Za-z])(?:TG|Tg|tg|电报)[ ]?[:=][ ]?(?P<v>@?[A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])")

# --- names ------------------------------------------------------------------------------------
#: staff fields of registers, tills, sampling lists and HIS print-outs
_STAFF = (
    "操作员 收银员 收费员 挂号员 受理人 受理员 采样人员 采样员 采样人 记录者 记录人 记录员 复核 复核人 审核 审核人 "
    "核对 核对人 调配 调配人 发药 发药人 配药人 程控护士 接种护士 责任医生 责任护士 术者 经办人 经办 登记人 录入员 "
    "开单医生 接诊医生 接诊医师 医师 医生 护士 药师 主治医师 住院医师 主任医师 报告医师 审核医师 记录医师 谈话医师 "
    "送检医师 申请医师 签名 记录 代办人 Attending"
).split()
_JOB_NO = r"(?:工号[ ]?)?[A-Z]?[0-9]{3,6}"
#: a job number glued before the name (操作员：0457王芳) or after it in brackets (王芳[0457], 王芳(工号0457))
_STAFF_VALUE = re.compile(
    rf"(?P<no>[A-Z]?[0-9]{{3,6}})(?P<n1>[{_HAN}]{{2,4}})(?![{_HAN}])"
    rf"|(?P<n2>[{_HAN}]{{2,4}})(?P<br>[\[(](?P<no2>{_JOB_NO})[\])])"
)
#: a staff field holding a whole word-like name and nothing else (住院医师：勇敢⏎, Attending: 美好  …);
#: not the bare 记录 / 审核 / 复核 / 核对 / 调配 / 发药, whose value is as often what was done (记录：稳定)
_STAFF_PERSON = [w for w in _STAFF if w not in ("记录", "审核", "复核", "核对", "调配", "发药")] + (
    # and the fields of a till slip, a settlement or a consent that name the person served
    "顾客 会员 参保人 患者 病人 就诊人 户名 联系人 委托人 受种者".split()
    # session 10: an escort service's escort (陪诊师), the attending named on an assessment (主诊), a
    # hospice's main carer, the account a claim pays out to (named by its holder)
    + "陪诊师 陪诊员 陪护员 主诊 主诊医生 主诊医师 主要照护者 照护者 照护人 赔付账户 收款账户 收款人".split()
    # an assessment form's assessor (评估：王芳  主诊：…); its value may be the assessment's grade instead
    + "评估 评估人 评估者 评估员 评估护士 评估医生 评估医师".split()
)
#: what an assessment field holds when it is the result, not the assessor (评估：高危, 评估：中度)
_GRADE_CHARS = frozenset("危险度分级型期项次好差高低中轻重常佳良优可完达")
_WORD_VALUE = re.compile(rf"(?P<n>[{_HAN}]{{2,3}})(?=\n|$|[ ]{{2}}|\t|[(](?:{alternation(_RELATIONS)})[),])")
#: both kinds of field, found by one scan of their labels (the value is read at the label's end)
_STAFF_SET = frozenset(_STAFF)
_PERSON_SET = frozenset(_STAFF_PERSON)
_FIELD_LABELS = sorted(_STAFF_SET | _PERSON_SET)
_FIELD_SEP = re.compile(r"[ ]?[:=][ ]?")
#: field values that are not names (a decision, a blank, a role, a place)
_NOT_NAMES = frozenset(
    "本人 患者 病人 家属 不详 未知 同上 暂无 没有 拒填 拒绝 未填 待定 其他 自己 本院 我院 外院 医生 医师 护士 主任 "
    "家人 子女 配偶 丈夫 妻子 儿子 女儿 母亲 父亲 同意 通过 已签 签字 签名 确认 已阅 已审 已核 审核 复核 正常 合格 "
    "无误 缺席 请假 值班 见上 如上 附后 补签 代签 电子签 已打印 系统 自动 无 "
    # a patient's state, which a field may hold as well (病情：稳定)
    "稳定 平稳 好转 缓解 加重 恶化 良好 一般 尚可 较差 危重 无殊 同前 如前 出院 转科 死亡 阴性 阳性 "
    # a role at an operation or a shift, a customer who gave no name
    "主刀 一助 二助 三助 助手 巡回 洗手 器械 麻醉 值班 夜班 白班 会员 非会员 散客 匿名 无名氏".split()
)
_TITLE_ENDS = tuple("医生 医师 主任 护士 老师 大夫 药师 技师 先生 女士 小姐 阿姨 师傅 教授 主治 护师".split())
_NOT_NAME_CHARS = frozenset("患病者儿童例名客属本其该此为系的了在是和与及或无未已不请见同号床科室院部区男性孕妇")
#: a name run together with sex and age (王芳女52岁, 1. 王芳男 7岁), at a field's or a line's start
#: (found from the sex and age, then the name read backwards: a scan from every character cost 5x)
_SEX_AGE = re.compile(r"[男女][ ]?[0-9]{1,3}[ ]?岁")
_GLUED_BEFORE = re.compile(rf"(?:^|[:\n\t ])(?P<n>[{_HAN}]{{2,4}})$")
#: a small child called by the surname (one or two characters) and 宝宝 / 小宝 / 囡囡
_BABY_TITLE = re.compile(r"(?:宝宝|小宝|囡囡)(?=[(（]|[ ,，。、;；男女]|哭|$)")
_BABY_BEFORE = re.compile(rf"(?:^|[:\n ])(?P<s>[{_HAN}]{{1,2}})$")
_NOT_SURNAMES = frozenset("小大胎新该此本其你我他她男女乖好的了是和与及二三老小宝囡爱心亲阿")
#: contacts that follow a relative's name (侄子王芳 短号…, 女儿在美国，王芳 手机…)
_CONTACT_AFTER = (
    "集团短号 单位短号 亲情号 短号 手机 电话 日本手机 韩国手机 韩国电话 日本电话 美国手机 Telegram TG 微信 WhatsApp "
    "LINE Line 汇款 邮箱 QQ "
    # session 10: a relative working abroad, named before the country's number or card (女儿在新加坡，
    # 王芳 新加坡手机…, 王芳 (新加坡)手机…, 王芳 新加坡NRIC…)
    "新加坡 (新加坡) (在新加坡工作) NRIC FIN "
    # session 10 (heldout11): a family in Malaysia or Thailand (王芳 马来西亚手机…, 王芳 泰国电话…, 王芳 MyKad…)
    "马来西亚 (马来西亚) 大马 泰国 (泰国) MyKad"
).split()
#: (found from the contact after it, then the relative and the name read backwards)
_CONTACT_AT = re.compile(rf"[ ]{{1,2}}(?:{alternation(_CONTACT_AFTER)}|[+0-9])")
_RELATIVE_BEFORE = re.compile(
    rf"(?:{alternation([r for r in _RELATIONS if len(r) >= 2])}|犬主|猫主|宠物主人|动物主人)"
    rf"(?:在[{_HAN}]{{1,6}}[,，][ ]?|[ ]?)(?P<n>[{_HAN}]{{2,4}})$"
)
#: a relative named between 家属 and the role in brackets (家属王芳（女儿）陪护): a name even when a word
_FAMILY_BEFORE_ROLE = re.compile(
    rf"家属[ ]?(?P<n>[{_HAN}]{{2,3}})(?=[(（](?:{alternation(_RELATIONS)})[)）])"
)
_NOT_IN_NAME = re.compile(
    r"电话|手机|联系|号码|短号|微信|邮箱|在|的|是|和|已|现|也|患者|本人|签字|陪|护|诉|知情|同意|来电|告知|表示|要求|回|去|来|"
    # when the relative will call (女儿在外地，明天 电话联系)
    r"明天|今天|昨天|后天|晚上|下午|上午|中午|白天|稍后|随时|马上|暂未|暂无|不便|未能|再次|另行|本周|下周"
)

# --- look-alikes -----------------------------------------------------------------------------
_POS_LABELS = (
    "商户号 商户编号 商户代码 终端号 终端编号 凭证号 参考号 系统参考号 检索参考号 交易参考号 授权码 授权号 批次号"
).split() + ["MERCHANT NO", "MERCHANT NO.", "TERMINAL NO", "TERMINAL NO.", "TRACE NO", "TRACE NO.",
             "VOUCHER NO", "VOUCHER NO.", "REF NO", "REF NO.", "REFER NO", "REFER NO.", "AUTH NO", "AUTH NO.",
             "BATCH NO", "BATCH NO."]
_ROUTING_LABELS = (
    "SWIFT SWIFT Code SWIFT code SWIFT/BIC BIC BIC Code ABA ABA No ABA No. ABA Routing Routing No Routing No. "
    "Routing Number RTN 汇款路线号 路由号 银行路由号 SWIFT代码 SWIFT码 银行代码 银行识别码"
)
_ROUTING_SET = ["SWIFT", "SWIFT Code", "SWIFT code", "SWIFT/BIC", "BIC", "BIC Code", "ABA", "ABA No", "ABA No.",
                "ABA Routing", "Routing No", "Routing No.", "Routing Number", "RTN", "汇款路线号", "路由号",
                "银行路由号", "SWIFT代码", "SWIFT码", "银行代码", "银行识别码"]
_LOOKALIKE = re.compile(r"[ ]?[:=]?[ ]{0,3}(?P<v>[0-9A-Za-z][0-9A-Za-z\-]{2,63})(?![0-9A-Za-z])")
_SWIFT = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_PET = re.compile(rf"(?:犬名|狗名|猫名|宠物名|养犬|养狗|养猫|宠物犬|宠物猫|爱犬|爱猫)[ ]?[:=]?[ ]?[\"“‘「'](?P<v>[{_HAN}]{{1,4}})[\"”’」']")
_FACILITY = re.compile(r"采样点|卫生服务中心|卫生院|卫生室|受理服务中心|社区事务受理|派出所|接种点|接种门诊")
#: (a district may stand before the town: 浦东新区周浦镇社区卫生服务中心 is an institution, not a home)
_TOWN_BEFORE = re.compile(
    rf"(?:(?<![{_HAN}])|[{_HAN}]{{2,4}}(?:新区|区|县))(?P<t>[{_HAN}]{{2,3}}(?:镇|乡|街道))[{_HAN}]{{0,6}}?(?:社区)?$"
)
#: health institutions, which the institution recogniser names whole (a look-alike span over the
#: whole name would drop that name where INSTITUTION is asked for)
_HEALTH_FACILITIES = frozenset(("卫生服务中心", "卫生院", "卫生室", "接种门诊"))


def _aba_valid(digits: str) -> bool:
    """The ABA routing number's checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10)."""
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _dob_digits(value: str) -> bool:
    """A date with a stray space: its digits, spaces dropped, a real date from 1880 to 2099."""
    m = _DATE_PARTS.fullmatch(value.replace(" ", ""))
    return m is not None and 1880 <= int(m.group(1)) <= 2099 and _real_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _kr_date(value: str) -> bool:
    digits = value.replace("-", "")
    century = 1900 if digits[6] in "56" else 2000
    return _real_date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))


#: every label this module reads a value after, and what the value is; one scan of the note finds
#: them all (a scan per kind cost ~2 us a note each), then the value is read at the label's end
_LOOKALIKE_LABELS = _POS_LABELS + _ROUTING_SET + ["场所码编号", "场所码", "场所编码", "场所编号", "ecToken", "EcToken",
                                                  "ectoken", "电子凭证令牌"]
_LABEL_KIND: dict[str, str] = {
    **dict.fromkeys(_FIELD_LABELS, "field"),
    **dict.fromkeys(sorted(set(DOB_LABELS)), "dob"),
    **dict.fromkeys(_RECORD_LABELS, "record"),
    **dict.fromkeys(_BED_LABELS, "bed"),
    **dict.fromkeys(("联系电话", "电话"), "phone"),
    **dict.fromkeys(_VNET_LABELS, "vnet"),
    **dict.fromkeys(_LOOKALIKE_LABELS, "lookalike"),
}
_LABEL_SCAN = re.compile(alternation(sorted(_LABEL_KIND)))
_VALUES = {
    "vnet": _VNET,
    "phone": _SHORT_AFTER_PHONE,
    "bed": _HOME_BED_LABELLED,
    "record": _RECORD_SPACED,
    "dob": _DOB_STRAY,
    "lookalike": _LOOKALIKE,
}


class PaperworkRecognizer(Recognizer):
    """Identifiers and look-alikes laid out by registers, slips and forms (see the module docstring)."""

    name = "PaperworkRecognizer"
    entities = (PHONE, HOSPITAL_RECORD_NO, DATE_OF_BIRTH, RESIDENT_ID, CONTACT_ID, PERSON)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        self._labelled(doc, hits)
        self._lookalikes(doc)
        self._shapes(text, hits)
        self._names(text, hits)
        return hits

    def _shapes(self, text: str, hits: list[Hit]) -> None:
        """Numbers and handles known by their shape and what stands near them."""
        if "(" in text:
            for m in _SHORT_AFTER_RELATION.finditer(text):
                hits.append(self.hit(*m.span("v"), entity=PHONE, score=0.75))
        if "家床" in text:
            for m in _HOME_BED.finditer(text):
                if sum(ch.isdigit() for ch in m.group()) >= 6:
                    hits.append(self.hit(m, entity=HOSPITAL_RECORD_NO, score=0.8, labelled=True))
        if "韩" in text or "登录证" in text or "외" in text or "Korea" in text or "KOREA" in text:
            for m in _KR_NO.finditer(text):
                line_start = text.rfind("\n", 0, m.start()) + 1
                if _KOREA.search(text, line_start, m.start()) is not None and _kr_date(m.group()):
                    hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))
        if "t.me/" in text:
            hits += [self.hit(m, entity=CONTACT_ID, score=0.85, labelled=True) for m in _TME.finditer(text)]
        if "TG" in text or "tg" in text or "Tg" in text or "电报" in text:
            hits += [self.hit(*m.span("v"), entity=CONTACT_ID, score=0.85, labelled=True) for m in _TG.finditer(text)]

    def _names(self, text: str, hits: list[Hit]) -> None:
        """Names glued to sex and age, before 宝宝, before a relative's role or a contact."""
        if "岁" in text:
            for a in _SEX_AGE.finditer(text):
                # (a boundary or the note's start must open the window: a longer run is no name)
                m = _GLUED_BEFORE.search(text, max(0, a.start() - 5), a.start())
                if m is None:
                    continue
                name = m.group("n")
                if name not in _NOT_NAMES and _NOT_NAME_CHARS.isdisjoint(name):
                    hits.append(self.hit(*m.span("n"), entity=PERSON, score=0.8, labelled=True))
        if "宝" in text or "囡" in text:
            for a in _BABY_TITLE.finditer(text):
                m = _BABY_BEFORE.search(text, max(0, a.start() - 3), a.start())
                if m is None:
                    continue
                surname = m.group("s")
                if _NOT_SURNAMES.isdisjoint(surname):
                    hits.append(self.hit(*m.span("s"), entity=PERSON, score=0.8, labelled=True))
        self._relatives(text, hits)

    def _relatives(self, text: str, hits: list[Hit]) -> None:
        """A relative named before the role in brackets (家属王芳（女儿）) or before a contact."""
        if "家属" in text:
            for m in _FAMILY_BEFORE_ROLE.finditer(text):
                if m.group("n") not in _NOT_NAMES and _NOT_NAME_CHARS.isdisjoint(m.group("n")):
                    hits.append(self.hit(*m.span("n"), entity=PERSON, score=0.8, labelled=True))
        for a in _CONTACT_AT.finditer(text):
            if a.start() == 0 or not "\u4e00" <= text[a.start() - 1] <= "\u9fff":
                continue
            m = _RELATIVE_BEFORE.search(text, max(0, a.start() - 16), a.start())
            if m is None:
                continue
            name = m.group("n")
            if name not in _NOT_NAMES and _NOT_IN_NAME.search(name) is None:
                hits.append(self.hit(*m.span("n"), entity=PERSON, score=0.8, labelled=True))
                short = _SHORT_AFTER_NAME.match(text, m.end())
                if short is not None:
                    hits.append(self.hit(*short.span("v"), entity=PHONE, score=0.75))

    def _labelled(self, doc: Doc, hits: list[Hit]) -> None:
        """Values after the labels of :data:`_LABEL_KIND`, read at each label's end."""
        text = doc.text
        for f in _LABEL_SCAN.finditer(text):
            label, start, pos = f.group(), f.start(), f.end()
            before = text[start - 1] if start else ""
            if label.isascii() and before.isascii() and before.isalpha():
                continue  # an ASCII label inside a word
            kind = _LABEL_KIND[label]
            if kind == "field":
                self._field(doc, hits, label, pos)
                continue
            if kind == "lookalike":
                if "\u4e00" <= before <= "\u9fff":
                    continue  # inside a longer label (医保凭证号, 电子凭证号: the person's)
                m = _LOOKALIKE.match(text, pos)
                if m is None:
                    continue
                value = m.group("v")
                if label in _ROUTING_SET and not (
                    _SWIFT.fullmatch(value) or (len(value) == 9 and value.isdigit() and _aba_valid(value))
                ):
                    continue  # not a bank's code: a SWIFT / BIC or a valid ABA number only
                doc.decoys.append((start, m.end()))
                continue
            m = _VALUES[kind].match(text, pos)
            if m is not None:
                self._value(m, kind, hits)

    def _value(self, m: re.Match[str], kind: str, hits: list[Hit]) -> None:
        """The identifier a labelled value of ``kind`` is, when it holds enough to be one."""
        if kind == "dob":
            if " " in m.group("d") and _dob_digits(m.group("d")):
                hits.append(self.hit(*m.span("d"), entity=DATE_OF_BIRTH, score=0.85, labelled=True))
        elif kind in ("vnet", "phone"):
            hits.append(self.hit(*m.span("v"), entity=PHONE, score=0.85, labelled=True))
        elif sum(ch.isdigit() for ch in m.group("v")) >= (3 if kind == "bed" else 5):
            hits.append(self.hit(*m.span("v"), entity=HOSPITAL_RECORD_NO, score=0.85, labelled=True))

    def _field(self, doc: Doc, hits: list[Hit], label: str, pos: int) -> None:
        """A staff field (a name beside a job number) or a person's field holding a word-like name."""
        text = doc.text
        sep = _FIELD_SEP.match(text, pos)
        if sep is None:
            return
        pos = sep.end()
        m = _STAFF_VALUE.match(text, pos) if label in _STAFF_SET else None
        if m is not None:
            span = m.span("n1") if m.group("n1") is not None else m.span("n2")
            name = text[span[0] : span[1]]
            if name not in _NOT_NAMES and _NOT_NAME_CHARS.isdisjoint(name):
                hits.append(self.hit(*span, entity=PERSON, score=0.85, labelled=True))
                doc.decoys.append(m.span("no") if m.group("no") is not None else m.span("no2"))  # the job number
                return
        m = _WORD_VALUE.match(text, pos) if label in _PERSON_SET else None
        if m is not None:
            name = m.group("n")
            if name in _NOT_NAMES or not _NOT_NAME_CHARS.isdisjoint(name) or name.endswith(_TITLE_ENDS):
                return  # (淦医生: a surname and a title, the name recogniser's)
            if label.startswith("评估") and not _GRADE_CHARS.isdisjoint(name):
                return  # the assessment's result (评估：高危), not the assessor
            hits.append(self.hit(*m.span("n"), entity=PERSON, score=0.8, labelled=True))

    @staticmethod
    def _lookalikes(doc: Doc) -> None:
        """Record POS-slip, venue-code, ecToken and bank-routing numbers, pets' and towns' names."""
        text = doc.text
        decoys = doc.decoys
        if "“" in text or '"' in text or "「" in text or "‘" in text or "'" in text:
            for m in _PET.finditer(text):
                decoys.append(m.span("v"))
        if "镇" in text or "乡" in text or "街道" in text:
            for m in _FACILITY.finditer(text):
                town = _TOWN_BEFORE.search(text, max(0, m.start() - 20), m.start())
                if town is not None:
                    decoys.append((town.start(), town.end("t")))  # the district and the town
                    if m.group() not in _HEALTH_FACILITIES:
                        decoys.append((town.start("t"), m.end()))  # the town and the site (杨行镇采样点)
