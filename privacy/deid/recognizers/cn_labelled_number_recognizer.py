"""A number after an identifier label is that identifier, whatever its format.

``社保卡号：SH0012345678``, ``门诊号 MZ-2024-001234``, ``医保个人编码 310000123456789`` — issuers,
hospitals and years each print their own formats, and formats this project has never seen must
still be caught, so here the label decides, not the shape. The value is whatever alphanumeric
token follows the label (digits, letters, ``-`` and ``/`` inside, ``*`` for masked digits), with at
least three digits in it. Labels (:mod:`privacy.deid.labels`) are matched longest first, so a
look-alike label (``发票号码``, ``医嘱号``) is never read as the shorter identifier label inside it;
the numbers after look-alike labels are recorded on the :class:`Doc` so that shape-only
recognisers leave them alone.

Besides the known labels, an unknown label ending like one (``…卡号``, ``…编号``, ``…证号``,
``…账号``) vouches for its number too (:data:`~privacy.deid.entities.ID_NUMBER`), unless it names
a drug, an item, a document or a place (``药品编号``, ``发票…``, ``床…``).
"""

from __future__ import annotations

import re

from privacy.deid.entities import (
    ADDRESS,
    BANK_CARD,
    CONTACT_ID,
    DATE_OF_BIRTH,
    HOSPITAL_RECORD_NO,
    ID_NUMBER,
    MEDICAL_CARD,
    PERSON,
    PHONE,
    RESIDENT_ID,
)
from privacy.deid.fields import key_kind
from privacy.deid.labels import CONTACT_LABELS, DOB_LABELS, label_kinds
from privacy.deid.recognizers.base import CJK, Doc, Hit, Recognizer, alternation

_KINDS = label_kinds()
#: between a label and its value: a colon, 为/是, spaces, a table cell's bar, one line break, or an
#: opening bracket (刷社保卡（0012345678）结算)
_SEP = r"[)\]]?[ \t|]{0,3}(?:为|是)?[ ]?(?:[:=])?[ \t|]{0,3}\n?[ \t|]{0,3}\(?"
#: a parenthesis between label and value: 联系电话(本人): 138…, 身份证号(已核实)…
_ASIDE = r"(?:\([^()0-9]{1,8}\)[ \t]{0,2}:?[ \t]{0,2})?"
#: the value: an area code in brackets, a + prefix, then an alphanumeric token
#: (a "No." or "#", a province's one-character name as card issuers print it, a short letter prefix
#: set off by a space: 沪0012345678, SH 00123456, No.12345678)
_VALUE = (
    # round 6: a 9-digit card read in groups from a lone first digit (5 8780 2507)
    r"(?P<v>[0-9][ ](?=[0-9]{3,}[ ]?[0-9]{3})[0-9]{3,8}(?:[ ][0-9]{3,5})?(?![0-9A-Za-z])|(?:\(\+?[0-9]{2,4}\)[ ]?)?(?:(?:No|NO|no)\.?[ ]?|[#№][ ]?)?"
    r"(?:[沪京津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新港澳台](?=[A-Za-z0-9]))?"
    r"(?:[A-Za-z]{1,4}[ ](?=[0-9]{4}))?"
    # a military or police document's number: 南字第123456号
    r"(?:[\u4e00-\u9fff]{1,3}字第(?=[0-9]{4,}号)|[军警武][字]?(?=[0-9]{5,}))?"
    # (the loop unrolled: a run of the common characters, then . or · before a digit and another run)
    r"\+?[A-Za-z0-9*][A-Za-z0-9*/\-_]*(?:[.·](?=[0-9])[A-Za-z0-9*/\-_]*)*[A-Za-z0-9*]"
    r"(?:[ ][0-9]{2,6}(?![0-9\-./:]|[ ]?[\u4e00-\u9fff]))*"
    # which admission or visit this is, after the patient's number: 456789(2); a Hong Kong
    # identity card's check digit: A123456(7)
    r"(?:\([0-9A]{1,2}\)(?![0-9A-Za-z]))?|[0-9]{3,})"
)
#: (the side of a card the number is printed on may stand between: 医保卡背面 NO.352067150)
_LABELLED = re.compile(
    rf"(?P<l>{alternation(list(_KINDS))})(?:号码|号|码)?(?:背面|正面|反面|背后)?(?P<l2>/[{CJK}A-Za-z]{{1,6}})?{_SEP}{_ASIDE}"
    rf"{_VALUE}"
)
#: an unknown label shaped like an identifier label: found by its ending, then the 1–4 characters
#: before it are the rest of the label
_GENERIC = re.compile(
    rf"(?P<end>卡号码?|编号|编码|证号|账号|帐号|号码|识别码|识别号|序列号|凭证号|代码|序号|ID|No\.?|NO\.?|[号码卡证])"
    rf"{_SEP}{_ASIDE}{_VALUE}"
)
_LABEL_HEAD = re.compile(rf"[{CJK}]{{1,6}}$")
#: endings that say "the number of" and nothing about whose (号, 码, 卡, 证): the label's head decides
_WEAK_ENDS = frozenset("号 码 卡 证 代码 序号 序列号 凭证号 No No. NO NO.".split())
#: words that make a label a person's: the number identifies a person, a card or a document they hold
_PERSONAL = re.compile(
    r"社保|医保|参保|保障|保险|身份|证件|护照|通行证|居住证|驾驶|驾照|军官|士兵|警官|残疾|低保|户口|户籍|公民|居民|"
    r"个人|人员|患者|病人|病案|病历|住院|门诊|急诊|就诊|就医|诊疗|健康|市民|农合|合作医疗|公费|医疗证|医疗卡|银行|信用|"
    r"储蓄|借记|账户|帐户|会员|客户|家属|联系人|本人|电子凭证|永久居留|出生证|出生医学|保单|投保|被保险"
)
#: words that make an unknown label a look-alike's (drugs, items, documents, places, staff)
_NOT_PERSONAL = re.compile(
    r"药|项目|目录|耗材|器械|设备|诊断|疾病|手术|操作|科室|机构|医院|收费|物价|批|发票|票据|订单|流水|床|标本|样本|"
    r"条码|检验|检查|报告|处方|医嘱|注册|准字|版本|型号|规格|合同|案件|报案|赔案|立案|方案|工号|执业|信用|邮政|邮编|房|楼|"
    r"试剂|仪器|产品|商品|包装|批次|国标|标准|任务|工单|申请|预约|排队|叫号|窗口|"
    r"投诉|纠纷|信访|申诉|举报|受理|事件|上报|回访|调度|取药"
)
#: a registration number (登记号: a patient's number on many HIS) that a complaint or an incident
#: record gives its case (纠纷沟通记录  登记号 …; 患方意见已登记，登记号 …): the case's, a look-alike
_CASE_WORDS = re.compile(r"投诉|纠纷|信访|申诉|举报|意见|不良事件|事件")
_REGISTRATION_LABELS = frozenset(("登记号",))
#: a long number standing alone (8–14 digits, or letters then 6 digits or more), not an amount or a
#: decimal; 15 digits and more are the residual check's
_BARE_NUMBER = re.compile(r"[0-9]{6,14}")
_LETTERS_BEFORE = re.compile(r"[A-Za-z]{1,3}$")
#: a person's card or document named just before such a number
_LONG_CODE = re.compile(r"[0-9A-Za-z](?<![0-9A-Za-z\-_./@].)[0-9A-Za-z]{15,47}(?![0-9A-Za-z\-_@])")
_CONTEXT_CHARS = frozenset("卡证保份照户账")
#: a UUID (8-4-4-4-12 hexadecimal digits): the patient ID internet-hospital and home-care apps mint;
#: fail closed without a key or a label (a look-alike label before it keeps it)
_UUID_MID = re.compile(r"-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-")
_UUID = re.compile(r"[0-9a-fA-F](?<![0-9A-Za-z\-].)[0-9a-fA-F]{7}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z\-])")
_CONTEXT_BEFORE = re.compile(r"(?:社保|医保|参保|保障|身份|证件|护照|通行证|居住证|账户|帐户|就诊卡|诊疗卡|健康卡|卡)[^0-9\n]{0,6}$")


#: the text line of a Code 39 barcode (a wristband's, a record's): the number between asterisks
#: (*ZY7122891*, *2144806*); a look-alike label before it (标本条码) still keeps it
_CODE39 = re.compile(r"\*(?<![A-Za-z0-9*].)[A-Z0-9][A-Z0-9\-]{4,18}[A-Z0-9]\*(?![A-Za-z0-9*])")


#: labels a person's code and a drug's or consumable's national code share (药名（医保编码 X…）)
_DRUG_CODE_LABELS = frozenset("医保编码 医保代码 医保编号 编码".split())
#: the national 医保 code of a drug or consumable: a category letter then 19 letters and digits or more
_DRUG_CODE = re.compile(r"[A-Z][A-Z0-9]{18,30}")


#: the letters OCR reads for digits (O/o/D 0, l/I 1, Z 2, S 5, b 6, B 8, q/g 9)
_OCR_DIGITS = str.maketrans("OoDlIZSbBqg", "00011256899")


def _ocr_resident_id(code: str) -> bool:
    """True when an 18-character code with letters is a valid resident ID once OCR's letters are
    read as digits (a final X stays the check character)."""
    from contracts.formats import is_valid_resident_id

    body = code[:17].translate(_OCR_DIGITS)
    last = code[17] if code[17] in "Xx" else code[17].translate(_OCR_DIGITS)
    return body.isdigit() and (last.isdigit() or last in "Xx") and sum(ch.isalpha() for ch in code[:17]) <= 4 \
        and is_valid_resident_id(body + last.upper())


def _case_context(text: str, label_start: int) -> bool:
    """A complaint, dispute or incident named earlier on the label's line (within 30 characters)."""
    line_start = text.rfind("\n", 0, label_start) + 1
    return _CASE_WORDS.search(text, max(line_start, label_start - 30), label_start) is not None


def _is_date8(digits: str) -> bool:
    return digits[:2] in ("19", "20") and "01" <= digits[4:6] <= "12" and "01" <= digits[6:8] <= "31"


#: column headers of a name
NAME_HEADERS = frozenset(
    "姓名 名字 患者 患者姓名 病人 病人姓名 联系人 家属 家属姓名 参保人 就诊人 医师 医生 护士 签名 经办人 户名 "
    "Name name 姓名/性别".split()
)
_CONTACT_HEADERS = frozenset(CONTACT_LABELS) | {w + "号" for w in CONTACT_LABELS} | {"QQ/微信", "微信/QQ"}
_DOB_HEADERS = frozenset(DOB_LABELS) | {"出生日期/年龄", "生日/年龄"}
#: column headers of an address, or of the street and house-number columns an address is spread
#: over in a spreadsheet (省市 | 区县 | 道路 | 门牌): the street-level cells are the address
ADDRESS_HEADERS = frozenset(
    "地址 住址 家庭地址 家庭住址 现住址 现居住地 居住地址 联系地址 通讯地址 户籍地址 户籍地 详细地址 详细住址 常住地址 "
    "道路 街道 路 路名 街路 门牌 门牌号 门牌号码 楼号 楼栋 室号 房号 小区 村 村组 居委 村居委 地址详情 Address address 住址/电话".split()
)
_BANK_WORDS = ("银行", "银联", "信用", "储蓄", "借记", "工资", "开户", "农行", "工行", "建行", "中行", "交行")


def _accept(value: str, entity: str) -> bool:
    """Enough of a number to identify someone: three digits or more (two around a mask)."""
    digits = sum(ch.isdigit() for ch in value)
    if "*" in value:
        return digits >= 2 and len(value) >= 5
    if entity in (RESIDENT_ID, ID_NUMBER) and len(value) >= 7 and value.isalnum() and digits >= 1:
        return True  # a passport or permit: letters and as few as one digit (C2JLTHZ0V)
    if entity == PHONE:
        # a phone is 7 digits or more; 95xxx, 12320 and 400/800 numbers are services, not people
        return digits >= 7 and not re.match(r"\(?[48]00", value)
    return digits >= 3 and len(value) >= 4


class CnLabelledNumberRecognizer(Recognizer):
    """The number after an identifier label, whatever its shape; records look-alike numbers."""

    name = "CnLabelledNumberRecognizer"
    entities = ("RESIDENT_ID", "PHONE", "BANK_CARD", "MEDICAL_CARD", "HOSPITAL_RECORD_NO", "ID_NUMBER", "PERSON", "CONTACT_ID")

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        labels: list[tuple[int, int]] = doc.cache.setdefault("labels", [])  # type: ignore[assignment]
        for m in _LABELLED.finditer(text):
            if m.start() > 0 and text[m.start()].isascii() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
                continue  # an ASCII label inside a word (HbA1c has no ID)
            entity = _KINDS.get(m.group("l"))
            start, end = m.span("v")
            if m.group("l2") and "/" in m.group("v"):
                end = start + m.group("v").index("/")  # 住院号/床号：1234567/12床: the first value is the label's
            taken.append(m.span())
            labels.append(m.span("l"))
            if entity == MEDICAL_CARD and m.group("l") in _DRUG_CODE_LABELS and _DRUG_CODE.fullmatch(text[start:end]):
                entity = None  # 医保编码 of a drug or a consumable (XA01ABD075A002010100483), not a person's
            elif m.group("l") in _REGISTRATION_LABELS and _case_context(text, m.start()):
                entity = None
            if entity is None:
                doc.decoys.append((start, end))
                continue
            if entity == "EMAIL":
                continue  # the e-mail recogniser has the shape
            if entity == MEDICAL_CARD and m.group("l") == "卡号":
                before = text[max(0, m.start() - 8) : m.start()]
                if any(w in before for w in _BANK_WORDS):
                    entity = BANK_CARD
            if _accept(text[start:end], entity):
                hits.append(Hit(start, end, entity, 0.9, self.name, True))
        if "\t" in text or "|" in text or _HEADER_ROW.search(text) is not None:
            hits += self._table(text)
        hits += self._generic(doc, taken)
        if "*" in text:
            hits += [Hit(m.start(), m.end(), HOSPITAL_RECORD_NO, 0.7, self.name) for m in _CODE39.finditer(text)
                     if sum(ch.isdigit() for ch in m.group()) >= 5]
        hits += self._in_context(doc, hits)
        hits += self._long_codes(doc, hits)
        if "-" in text:
            hits += self._uuids(doc)
        return hits

    def _uuids(self, doc: Doc) -> list[Hit]:
        """UUIDs, found from their middle groups (-4-4-4-: a dash is rarer than a hex digit)."""
        text = doc.text
        hits = []
        for mid in _UUID_MID.finditer(text):
            m = _UUID.match(text, max(0, mid.start() - 8))
            if m is not None and m.end() == mid.end() + 12 and not any(s <= m.start() and m.end() <= e for s, e in doc.decoys):
                hits.append(Hit(m.start(), m.end(), ID_NUMBER, 0.6, self.name))
        return hits

    def decoys(self, doc: Doc) -> list[tuple[int, int]]:
        """Only the spans of the numbers after look-alike labels (what the residual check needs)."""
        text = doc.text
        taken: list[tuple[int, int]] = []
        for m in _LABELLED.finditer(text):
            taken.append(m.span())
            if _KINDS.get(m.group("l")) is None or (m.group("l") in _REGISTRATION_LABELS and _case_context(text, m.start())):
                doc.decoys.append(m.span("v"))
        self._generic(doc, taken)
        return doc.decoys

    @staticmethod
    def _generic(doc: Doc, taken: list[tuple[int, int]]) -> list[Hit]:
        """Numbers after a label not listed, by what the label's head names (see the module docstring)."""
        text = doc.text
        hits: list[Hit] = []
        for m in _GENERIC.finditer(text):
            if any(s <= m.start("v") < e for s, e in taken):
                continue
            head = _LABEL_HEAD.search(text, max(0, m.start() - 6), m.start())
            if head is None:
                continue
            label = head.group() + m.group("end")
            start, end = m.span("v")
            personal = max((p.end() for p in _PERSONAL.finditer(label)), default=-1)
            other = max((p.end() for p in _NOT_PERSONAL.finditer(label)), default=-1)
            if other > personal:
                doc.decoys.append((start, end))  # the last thing the label names is not a person's (医保发票号)
                continue
            if personal < 0 and m.group("end") in _WEAK_ENDS:
                if m.group("end") in ("序列号", "凭证号", "序号", "代码"):
                    doc.decoys.append((start, end))
                continue  # 3号, 1码: nothing says whose
            if _accept(m.group("v"), ID_NUMBER) and sum(ch.isdigit() for ch in m.group("v")) >= (3 if personal >= 0 else 4):
                hits.append(Hit(start, end, ID_NUMBER, 0.7, CnLabelledNumberRecognizer.name, True))
        return hits

    @staticmethod
    def _long_codes(doc: Doc, found: list[Hit]) -> list[Hit]:
        """A long code of letters and digits (16 characters and more, 8 digits and more) that no
        look-alike label introduces: a card's serial, an e-credential's token — fail closed."""
        text = doc.text
        hits: list[Hit] = []
        for m in _LONG_CODE.finditer(text):
            start, end = m.span()
            code = m.group()
            if len(code) == 18 and not code[:17].isdigit() and _ocr_resident_id(code):
                if any(h.start < end and start < h.end for h in found):
                    continue
                # a resident ID read back by OCR (3101O4l99003O74211): valid once the letters are
                # read as the digits they were, even after a look-alike label (a check digit is proof)
                hits.append(Hit(start, end, RESIDENT_ID, 0.8, CnLabelledNumberRecognizer.name, True))
                continue
            if sum(ch.isdigit() for ch in code) < 8 or sum(ch.isalpha() for ch in code) < 2:
                continue
            if any(s < end and start < e for s, e in doc.decoys) or any(h.start < end and start < h.end for h in found):
                continue
            hits.append(Hit(start, end, ID_NUMBER, 0.6, CnLabelledNumberRecognizer.name))
        return hits

    @staticmethod
    def _in_context(doc: Doc, found: list[Hit]) -> list[Hit]:
        """A long number with no label, but a person's card or document named just before it
        (持卡0012345678就诊, 社保卡 0012345678): that card's or document's number."""
        text = doc.text
        hits: list[Hit] = []
        for m in _BARE_NUMBER.finditer(text):
            start, end = m.span()
            if _CONTEXT_CHARS.isdisjoint(text[max(0, start - 12) : start]):
                continue  # no card or document word before it (the cheap test first)
            if end < len(text) and (text[end] in "0123456789元" or text[end].isascii() and text[end].isalpha()):
                continue
            if text[end : end + 2] in (" 元", ".0", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9"):
                continue  # an amount or a decimal
            letters = _LETTERS_BEFORE.search(text, max(0, start - 3), start)
            if letters is not None:
                start = letters.start()
            elif len(m.group()) < 8:
                continue  # six or seven digits alone: a count, a code, a value
            if start > 0 and (text[start - 1] in "0123456789." or text[start - 1].isascii() and text[start - 1].isalpha()):
                continue
            if any(s < end and start < e for s, e in doc.decoys) or any(h.start < end and start < h.end for h in found):
                continue
            digits = m.group()
            if len(digits) == 8 and _is_date8(digits):
                continue  # 20240307
            if _CONTEXT_BEFORE.search(text, max(0, start - 8), start) is None:
                continue
            hits.append(Hit(start, end, ID_NUMBER, 0.6, CnLabelledNumberRecognizer.name, True))
        return hits

    def _table(self, text: str) -> list[Hit]:
        """Cells of a table under an identifier column header (姓名 | 身份证号 | 卡号 | 电话)."""
        hits: list[Hit] = []
        header: list[str | None] | None = None
        pos = 0
        for line in text.split("\n"):
            line_start, pos = pos, pos + len(line) + 1
            sep = _separator(line)
            if sep is None:
                header = None
                continue
            digits = _DIGIT.search(line) is not None
            if digits and header is None:
                continue  # a row under no identifier header (most comma and spaced lines: prose)
            cells = _spaced_cells(line, line_start) if sep == "  " else _cells(line, sep, line_start)
            if not digits:
                # a row without digits is a header (项目 | 结果 | 单位 starts another table)
                kinds = [_header_kind(c) for _, _, c in cells]
                header = kinds if any(k for k in kinds) else None
                continue
            if len(cells) != len(header):
                continue
            for (start, end, cell), kind in zip(cells, header, strict=True):
                if kind and _cell_fits(cell, kind):
                    hits.append(Hit(start, end, kind, 0.9, self.name, True))
        return hits


def _cell_fits(cell: str, kind: str) -> bool:
    """Whether a cell under a column of ``kind`` can be one: a handle, a name of two to four
    characters, an address cell with a character or a digit, a number (:func:`_accept`)."""
    if kind == CONTACT_ID:
        return len(cell) >= 5 and cell.isascii() and not any(ch.isspace() for ch in cell)
    if kind == PERSON:
        return 2 <= len(cell) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in cell)
    if kind == ADDRESS:
        return len(cell) >= 2 and any(ch.isdigit() or "\u4e00" <= ch <= "\u9fff" for ch in cell)
    return kind != "EMAIL" and _accept(cell, kind)


_DIGIT = re.compile(r"[0-9]")
#: a line with no digit and three cells or more parted by commas or runs of spaces: a CSV or
#: lined-up table's header (the cheap test before reading a note's lines as rows)
_HEADER_ROW = re.compile(r"^[^0-9\n:]+?(?:,|  )[^0-9\n:]+?(?:,|  )[^0-9\n]*$", re.MULTILINE)
#: a cell of a table whose columns are lined up with spaces (two or more between cells)
_SPACED_CELL = re.compile(r"[^ ]+(?: [^ ]+)*")


def _separator(line: str) -> str | None:
    """How a table row separates its cells: a tab, a bar, a comma (CSV pasted from Excel), or
    runs of spaces lining up columns (three cells or more); None for a line of prose."""
    if "\t" in line:
        return "\t"
    if line.count("|") >= 2:
        return "|"
    if line.count(",") >= 2:
        return ","
    if line.count("  ") >= 2 and ":" not in line:
        return "  "
    return None


def _spaced_cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a row lined up with spaces."""
    return [(offset + m.start(), offset + m.end(), m.group()) for m in _SPACED_CELL.finditer(line) if m.group()]


def _cells(line: str, sep: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell, spaces trimmed."""
    out = []
    pos = 0
    for raw in line.split(sep):
        stripped = raw.strip(' "')  # (a CSV cell may be quoted: "姓名","身份证号")
        lead = len(raw) - len(raw.lstrip(' "'))
        out.append((offset + pos + lead, offset + pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    if out and not out[0][2] and line.startswith(sep):
        out = out[1:]
    if out and not out[-1][2] and line.endswith(sep):
        out = out[:-1]
    return out


def _header_kind(cell: str) -> str | None:
    """The identifier type a column header names, ``PERSON`` for a name column, "" for a
    look-alike column, None for anything else."""
    if cell in NAME_HEADERS:
        return PERSON
    if cell in _CONTACT_HEADERS:
        return CONTACT_ID
    if cell in ADDRESS_HEADERS:
        return ADDRESS
    if cell in _DOB_HEADERS:
        return DATE_OF_BIRTH
    if cell.isascii():  # a HIS column named by pinyin initials or in English (SFZH, zyh, PatientID)
        known, kind = key_kind(cell)
        if known:
            return kind or ""
    for suffix in ("", "号码", "号", "码"):
        if suffix and not cell.endswith(suffix):
            continue
        base = cell[: len(cell) - len(suffix)] if suffix else cell
        if base in _KINDS:
            return _KINDS[base] or ""
    return None
