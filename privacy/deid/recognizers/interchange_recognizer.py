"""Identifiers whose only clue is the field position of an interchange standard.

* **HL7 v2 segments** pasted into a note (``PID|1||9214735^^^HIS^PI||衣^春翠||19450222000000|…``):
  fields parted by ``|``, repetitions by ``~``, components by ``^``, subcomponents by ``&``; what a
  field holds comes from :data:`privacy.deid.interchange.HL7_FIELDS` (every XPN / XCN a name,
  XAD an address, XTN a phone or e-mail, birth TS a date of birth, CX an identifier whose kind its
  type code says). A field reference in prose (``IN1-49：634452851``, ``PID-5: 衣^春翠``) is a label.
  ``MSH`` fields, order numbers, codes and observation values are recorded as look-alikes.
* **DICOM data elements** (``(0010,0010) PN [ZHANG^SAN]``, ``PatientBirthDate=19450222``): by tag
  or keyword (:data:`privacy.deid.interchange.DICOM_TAGS`).
* **Passport and ID-card MRZ lines** (ICAO 9303 TD3, TD2, TD1): the name field
  (``YIN<<JIANXIN``), the document number with its check digit, the date of birth with its check
  digit, the optional (personal number) field; the expiry date is recorded as a look-alike.
* **HL7 v2 XML** (``<PID.5><XPN.1><FN.1>…</FN.1></XPN.1>…</PID.5>``): the same field table, the
  leaves read by their data type's component; and **vCard** contact cards (RFC 6350: ``FN``, ``N``,
  ``TEL``, ``EMAIL``, ``ADR``, ``BDAY``, ``IMPP``).
* **Coordinates** of a place precise to tens of metres (``31.072703,121.442656``,
  ``N31.21466 E121.48195``, ``纬度 31.2146``, degrees-minutes-seconds): a home visit's position is
  the address.
* **IBAN** (ISO 13616): a country code, two check digits and the country's length of BBAN that
  passes MOD 97-10.
* **Chat display names** (``【17床司空可昕-女儿】``): a bed and a relation around a name in a
  group's display-name brackets.
"""

from __future__ import annotations

import re
from dataclasses import replace

from privacy.deid.entities import (
    ADDRESS,
    BANK_CARD,
    CONTACT_ID,
    DATE_OF_BIRTH,
    EMAIL,
    HOSPITAL_RECORD_NO,
    ID_NUMBER,
    MEDICAL_CARD,
    PERSON,
    PHONE,
    RESIDENT_ID,
)
from privacy.deid.interchange import (
    BIRTH,
    DICOM_KEYWORDS,
    DICOM_TAGS,
    HL7_FIELDS,
    HL7_SEGMENTS,
    IBAN_LENGTHS,
    KEEP,
    NDL,
    XAD,
    XCN,
    XPN,
    XTN,
    cx_kind,
    iban_valid,
)
from privacy.deid.recognizers.base import CJK, Doc, Hit, Recognizer, alternation

Part = tuple[int, str]

#: a segment: its three-character ID then the field separator, not inside a word
_SEGMENT = re.compile(r"(?:" + "|".join(HL7_SEGMENTS) + r")\|")  # (no word before it: checked in code, a
#: lookbehind at a pattern's start makes Python's engine try every position)
#: a field reference in prose: PID-5, IN1-49, PID-3.1, then a colon or = and the value
_FIELD_REF = re.compile(
    r"(?P<seg>" + "|".join(HL7_FIELDS) + r")[-.](?P<f>[0-9]{1,2})(?:[-.](?P<c>[0-9]{1,2}))?"
    r"(?:\([^()\n]{0,16}\))?(?:[ ]?[:=][ ]?|[ ])(?P<v>[^\s,;，。；、()]{1,80})"
)
_REF_SEGMENTS = tuple(seg + sep for seg in HL7_FIELDS for sep in "-.")
_HAS_ALNUM = re.compile(rf"[0-9A-Za-z{CJK}]")
_HAS_NAME = re.compile(rf"[A-Za-z{CJK}]")

#: an MRZ line (or what OCR made of one): A–Z, 0–9 and the filler ``<``
_MRZ = re.compile(r"(?<![A-Z0-9<])[A-Z0-9<]{28,46}(?![A-Z0-9<])")
_MRZ_NAME = re.compile(r"[A-Z]+(?:<[A-Z]+)*<<[A-Z]+(?:<{1,2}[A-Z]+)*")
#: TD3 / TD2 line 2: number, check, nationality, birth, check, sex, expiry, check, optional
_MRZ_TD3_2 = re.compile(
    r"(?P<doc>[A-Z0-9<]{9}[0-9<])[A-Z<]{3}(?P<dob>[0-9]{6}[0-9<])[MFX<](?P<exp>[0-9]{6}[0-9<])(?P<opt>[A-Z0-9<]{7,14})?"
)
#: TD1 line 1: code, issuer, number, check, optional
_MRZ_TD1_1 = re.compile(r"[A-Z][A-Z<][A-Z<]{3}(?P<doc>[A-Z0-9<]{9}[0-9<])(?P<opt>[A-Z0-9<]{15})")
#: TD1 line 2: birth, check, sex, expiry, check, nationality, optional
_MRZ_TD1_2 = re.compile(r"(?P<dob>[0-9]{6}[0-9<])[MFX<](?P<exp>[0-9]{6}[0-9<])[A-Z<]{3}(?P<opt>[A-Z0-9<]{11})")

#: a pair of decimal coordinates (lat,lng or lng,lat), hemispheres before or after each
_COORD = re.compile(
    r"(?<![0-9.])(?P<h1>[NSEW][ ]?)?(?P<a>-?[0-9]{1,3}\.(?P<ad>[0-9]{3,}))°?(?P<h2>[ ]?[NSEW])?"
    r"[ ]{0,2}[,/;]?[ ]{0,2}(?P<h3>[NSEW][ ]?)?(?P<b>-?[0-9]{1,3}\.(?P<bd>[0-9]{3,}))°?(?P<h4>[ ]?[NSEW](?![A-Za-z]))?"
    r"(?![0-9.])"
)
#: one coordinate after its name (纬度 31.2146, lng: 121.48195): the name read back from the number
_COORD_NAME_BEFORE = re.compile(
    r"(?:纬度|经度|北纬|东经|南纬|西经|[Ll]atitude|[Ll]ongitude|[Ll]at|[Ll]ng|[Ll]on)[ ]?[:=]?[ ]?-?$"
)
_COORD_VALUE = re.compile(r"-?[0-9]{1,3}\.[0-9]{3,}(?![0-9.])")
#: degrees, minutes, seconds (31°12'52.8"N)
_DMS = re.compile(r"(?<![0-9])[0-9]{1,3}°[ ]?[0-9]{1,2}['′][ ]?[0-9]{1,2}(?:\.[0-9]+)?(?:[\"″]|'')?[ ]?[NSEW北南东西]?")
_COORD_CUE = re.compile(r"GPS|gps|定位|坐标|经纬|位置|打卡|签到|location|Location|[Ll]at|[Ll]ng")

_IBAN = re.compile(r"(?P<cc>[A-Z]{2})[0-9]{2}(?:[ ]?[A-Z0-9]){11}")
#: the cheap test before reading coordinates: three decimals or more (a literal first: fast to scan)
_DECIMALS = re.compile(r"\.[0-9]{3}")
_IBAN_COUNTRIES = frozenset(IBAN_LENGTHS)

_RELATIONS = (
    "家属 亲属 陪护 本人 丈夫 妻子 爱人 老伴 儿子 女儿 母亲 父亲 妈妈 爸爸 孙子 孙女 外孙 外孙女 儿媳 女婿 哥哥 姐姐 "
    "弟弟 妹妹 侄子 侄女 外甥 外甥女 姑姑 舅舅 阿姨 叔叔 朋友 护工 监护人"
).split()
#: words a display name holds that are no name (【17床患者】, 【3床家属】)
_NOT_NICK_NAMES = frozenset(["患者", "病人", "病友", "家属", "亲属", "护士", "医生", "护士长", "主任"])
#: a display name in a group export: 【bed + name + relation】 (either of bed and relation)
_NICK = re.compile(
    r"[【\[](?P<bed>\+?[0-9]{1,3}床[ \-]?)?(?P<n>[" + CJK + r"]{2,5}?)[ \-－—_·]?(?P<r>" + alternation(_RELATIONS)
    + r")?[】\]]"
)


#: a DICOM data element as dcmdump and viewers print it: (gggg,eeee), a VR, then the value in
#: brackets, or after a description and a colon / =
_DICOM_TAG = re.compile(
    r"\((?P<t>[0-9A-Fa-f]{4},[ ]?[0-9A-Fa-f]{4})\)[ ]*(?:[A-Z]{2}[ ]+)?"
    r"(?:\[(?P<b>[^\]\n]{1,80})\]|[^:=\n\[]{0,40}?[:=][ ]*(?P<v>[^\n#]{1,80}?))[ ]*(?=#|\n|$)"
)
_DICOM_KEYWORD = re.compile(
    r"(?<![A-Za-z])(?P<k>" + "|".join(sorted(DICOM_KEYWORDS, key=len, reverse=True)) + r")[ ]?[:=][ ]?"
    r"(?P<v>[^\n,;，；]{1,80}?)[ ]*(?=[,;，；\n]|$)"
)


#: HL7 v2 XML encoding: a field element (<PID.5>…</PID.5>) and its leaf components (<XPN.1>…)
_XML_FIELD = re.compile(
    r"<(?P<seg>" + "|".join(HL7_FIELDS) + r")\.(?P<f>[0-9]{1,2})>(?P<body>.{0,600}?)</(?P=seg)\.(?P=f)>", re.S
)
_XML_LEAF = re.compile(r"<(?P<t>[A-Z]{2,3})\.(?P<c>[0-9]{1,2})>(?P<v>[^<>\n]{1,80})</(?P=t)\.(?P=c)>")
#: (leaf type, component) → what it holds, by the field's data type
_XML_LEAVES: dict[str, dict[tuple[str, int], str]] = {
    XPN: {("XPN", 1): PERSON, ("XPN", 2): PERSON, ("XPN", 3): PERSON, ("FN", 1): PERSON},
    XCN: {("XCN", 2): PERSON, ("XCN", 3): PERSON, ("XCN", 4): PERSON, ("FN", 1): PERSON},
    NDL: {("CNN", 2): PERSON, ("CNN", 3): PERSON, ("CNN", 4): PERSON},
    XAD: {**{("XAD", i): ADDRESS for i in range(1, 6)}, ("SAD", 1): ADDRESS, ("SAD", 2): ADDRESS},
    XTN: {("XTN", 1): PHONE, ("XTN", 4): EMAIL, ("XTN", 5): PHONE, ("XTN", 6): PHONE, ("XTN", 7): PHONE,
          ("XTN", 12): PHONE},
    BIRTH: {("TS", 1): DATE_OF_BIRTH, ("DTM", 1): DATE_OF_BIRTH},
}
#: vCard (RFC 6350) properties of a person: name, formatted name, nickname, phone, e-mail, address,
#: birthday, instant messaging, a related person given as text (§6.6.6), a position (GEO, §6.5.2:
#: read as an address, as coordinates are elsewhere) and vCard 3.0's delivery LABEL (RFC 2426
#: §3.2.2). A content line is ``[group "."] name *(";" param) ":" value`` with the name
#: case-insensitive (RFC 6350 §3.3: ``item1.EMAIL;type=INTERNET:…`` from phone exports), and a
#: long line may be folded: CRLF and one space or tab continue it (§3.2)
_VCARD_LINE = re.compile(
    r"(?im)^(?:[a-z0-9-]{1,20}\.)?(?P<p>FN|N|NICKNAME|TEL|EMAIL|ADR|BDAY|IMPP|X-QQ|X-WECHAT|RELATED|GEO|LABEL)"
    r"(?:;[^:\n]{0,60})?:(?P<v>[^\n]{1,200}(?:\r?\n[ \t][^\n]{1,200}){0,8})$"
)
_VCARD_KIND = {"FN": PERSON, "N": PERSON, "NICKNAME": PERSON, "TEL": PHONE, "EMAIL": EMAIL, "ADR": ADDRESS,
               "BDAY": DATE_OF_BIRTH, "IMPP": CONTACT_ID, "X-QQ": CONTACT_ID, "X-WECHAT": CONTACT_ID,
               "RELATED": PERSON, "GEO": ADDRESS, "LABEL": ADDRESS}


#: MSH-1 (the field separator) and MSH-2 (component, repetition, escape, subcomponent), HL7 v2.5
#: §2.5.4: a message may declare its own; the defaults are ``|^~\\&``
_MSH = re.compile(r"MSH(?P<d>[^0-9A-Za-z\s])(?P<e>[^0-9A-Za-z\s]{4})(?P=d)")
_DEFAULT_DELIMITERS = "|^~\\&"


def _declared_delimiters(text: str) -> dict[int, int] | None:
    """A translation table that swaps a message's declared delimiters with the defaults, so that
    the default-delimiter reading applies unchanged and every offset stays where it was; None when
    every message in ``text`` uses the defaults (or declares an unusable set)."""
    for m in _MSH.finditer(text):
        declared = m.group("d") + m.group("e")
        if declared != _DEFAULT_DELIMITERS and len(set(declared)) == 5:
            # a permutation: each declared delimiter → its default, and each default the message
            # does not use as a delimiter → a declared character no default takes
            table = {ord(mine): ord(default) for mine, default in zip(declared, _DEFAULT_DELIMITERS, strict=True)}
            loose = [c for c in _DEFAULT_DELIMITERS if c not in declared]
            free = [c for c in declared if c not in _DEFAULT_DELIMITERS]
            table.update({ord(c): ord(f) for c, f in zip(loose, free, strict=True)})
            return table
    return None


def _word_before(text: str, pos: int) -> bool:
    """Whether an ASCII letter or digit stands just before ``pos`` (a match inside a word)."""
    return pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalnum()


def _split(start: int, value: str, sep: str) -> list[Part]:
    """``value`` (at ``start``) cut at ``sep``, each piece with its offset."""
    parts: list[Part] = []
    pos = start
    for piece in value.split(sep):
        parts.append((pos, piece))
        pos += len(piece) + 1
    return parts


def _span(parts: list[Part]) -> tuple[int, int] | None:
    """From the first non-empty part to the end of the last one, or None when all are empty."""
    full = [(s, v) for s, v in parts if v.strip()]
    if not full:
        return None
    return full[0][0], full[-1][0] + len(full[-1][1])


class InterchangeRecognizer(Recognizer):
    """HL7 v2 fields, MRZ lines, coordinates, IBANs and chat display names (module docstring)."""

    name = "InterchangeRecognizer"
    entities = (PERSON, ADDRESS, PHONE, EMAIL, DATE_OF_BIRTH, RESIDENT_ID, HOSPITAL_RECORD_NO, MEDICAL_CARD,
                ID_NUMBER, BANK_CARD, CONTACT_ID)

    def __init__(self) -> None:
        from privacy.deid.surnames import all_compound, all_single

        self._single, self._compound = all_single(), all_compound()

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        self._dicom(text, hits)
        self._hl7(doc, hits)
        if "VCARD" in text or "vcard" in text.lower():
            self._vcard(text, hits)
        if "<<" in text:
            for m in _MRZ.finditer(text):
                self._mrz(doc, m.start(), m.group(), hits)
        if "." in text:
            self._coordinates(text, hits)
        if "°" in text:
            hits.extend(self.hit(m, entity=ADDRESS, score=0.85, labelled=True) for m in _DMS.finditer(text))
        for m in _IBAN.finditer(text):
            if not _word_before(text, m.start()):
                self._iban(text, m, hits)
        if "【" in text or "[" in text:
            for m in _NICK.finditer(text):
                self._nick(m, hits)
        return hits

    # --- HL7 v2 ----------------------------------------------------------------------------
    def _hl7(self, doc: Doc, hits: list[Hit]) -> None:
        """Segments in ER7 (``PID|…``) and XML (``<PID.5>…``) encodings, and fields named in prose."""
        text = doc.text
        if "MSH" in text:
            declared = _declared_delimiters(text)
            if declared is not None:  # read the note with the defaults swapped in (lengths kept)
                doc = Doc(norm=replace(doc.norm, text=text.translate(declared)), decoys=doc.decoys, cache=doc.cache)
                text = doc.text
        if "|" in text:
            for m in _SEGMENT.finditer(text):
                if not _word_before(text, m.start()):
                    self._segment(doc, m.start(), hits)
        if "</" in text and "." in text:
            for m in _XML_FIELD.finditer(text):
                self._xml_field(doc, m, hits)
        if any(seg in text for seg in _REF_SEGMENTS):
            for m in _FIELD_REF.finditer(text):
                if not _word_before(text, m.start()):
                    self._field_ref(doc, m, hits)

    def _segment(self, doc: Doc, start: int, hits: list[Hit]) -> None:
        text = doc.text
        end = len(text)
        for stop in ("\n", "\r"):
            at = text.find(stop, start)
            if at != -1:
                end = min(end, at)
        seg = text[start : start + 3]
        for m in _SEGMENT.finditer(text, start + 4, end):  # a message pasted on one line: the next
            if text[m.start() - 1] in " \t":  # segment (after a space) ends this one
                end = m.start() - 1
                break
        fields = _split(start + 4, text[start + 4 : end], "|")
        if seg == "MSH":  # every field is the message's: its time, control ID, version
            doc.decoys.extend((s, s + len(v)) for s, v in fields if any(ch.isdigit() for ch in v))
            return
        table = HL7_FIELDS[seg]
        for number, (s, value) in enumerate(fields, 1):
            kind = table.get(number)
            if kind is not None and value:
                for rs, rv in _split(s, value, "~"):
                    self._field(doc, kind, rs, rv, hits)

    def _field(self, doc: Doc, kind: str, start: int, value: str, hits: list[Hit]) -> None:
        """One repetition of a field of data type ``kind`` at ``start``."""
        if kind == KEEP:
            if any(ch.isdigit() for ch in value):
                doc.decoys.append((start, start + len(value)))
            return
        comps = _split(start, value, "^")
        if kind in (XPN, XCN, NDL):
            self._name(kind, comps, hits)
        elif kind == XAD:
            self._add(_span(comps[:6]), ADDRESS, hits, _HAS_ALNUM.search(value) is not None)
        elif kind == XTN:
            self._xtn(comps, hits)
        elif kind == BIRTH:
            s, v = comps[0]
            self._add((s, s + len(v)), DATE_OF_BIRTH, hits, sum(ch.isdigit() for ch in v) >= 4)
        elif kind == ADDRESS:
            self._add((start, start + len(value)), ADDRESS, hits, _HAS_NAME.search(value) is not None)
        else:  # ID:<kind> — a CX (number ^ check ^ scheme ^ authority ^ type) or a plain ST
            s, v = comps[0]
            code = comps[4][1].split("&")[0] if len(comps) > 4 else ""
            ok = len(v.strip()) >= 3 and any(ch.isdigit() for ch in v)
            self._add((s, s + len(v.rstrip())), cx_kind(code, kind[3:]), hits, ok)

    def _xml_field(self, doc: Doc, m: re.Match[str], hits: list[Hit]) -> None:
        """A field in HL7 v2's XML encoding: its leaf components by data type, or its text."""
        kind = HL7_FIELDS[m.group("seg")].get(int(m.group("f")))
        if kind is None:
            return
        body, base = m.group("body"), m.start("body")
        leaves = [(base + x.start("v"), x.group("t"), int(x.group("c")), x.group("v")) for x in _XML_LEAF.finditer(body)]
        if not leaves:  # a plain value (<PID.7>19450222</PID.7>)
            if "<" not in body:
                self._field(doc, kind, base, body, hits)
            return
        if kind.startswith("ID:"):
            code = next((v for _, t, c, v in leaves if t == "CX" and c == 5), "")
            for start, t, c, v in leaves:
                if c == 1 and t in ("CX", "ST", "DLN"):
                    self._add((start, start + len(v)), cx_kind(code, kind[3:]), hits, any(ch.isdigit() for ch in v))
            return
        table = _XML_LEAVES.get(kind, {})
        for start, t, c, v in leaves:
            entity = table.get((t, c))
            if entity == KEEP or entity is None:
                continue
            ok = "@" in v if entity == EMAIL else _HAS_ALNUM.search(v) is not None
            self._add((start, start + len(v)), entity, hits, ok)

    def _vcard(self, text: str, hits: list[Hit]) -> None:
        """A contact card (RFC 6350) from BEGIN:VCARD to END:VCARD: its person properties."""
        upper = text.upper()
        start = upper.find("BEGIN:VCARD")
        while start != -1:
            end = upper.find("END:VCARD", start)
            end = len(text) if end == -1 else end
            for m in _VCARD_LINE.finditer(text, start, end):
                value = m.group("v").rstrip()
                prop = m.group("p").upper()
                kind = _VCARD_KIND[prop]
                s = m.start("v") + (len(value) - len(value.lstrip()))
                value = value.strip()
                if prop == "RELATED" and ":" in value:  # a URI (urn:uuid:…, http:…) names no one
                    continue
                if kind in (PHONE, ADDRESS) and value[:4].lower() in ("tel:", "geo:"):
                    s, value = s + 4, value[4:]
                if kind in (PERSON, ADDRESS) and ";" in value and prop != "GEO":  # N, ADR: parts parted by ;
                    span = _span(_split(s, value, ";"))
                    self._add(span, kind, hits, _HAS_ALNUM.search(value) is not None)
                else:
                    self._add((s, s + len(value)), kind, hits, _HAS_ALNUM.search(value) is not None)
            start = upper.find("BEGIN:VCARD", end)

    def _name(self, kind: str, comps: list[Part], hits: list[Hit]) -> None:
        """XPN: family ^ given ^ second names; XCN: ID ^ family ^ given ^ second; NDL: the same as
        XCN in the first component's subcomponents. A lone component with no digit is a name."""
        if kind == NDL:
            s, v = comps[0]
            comps = _split(s, v, "&")
        if len(comps) == 1:
            s, v = comps[0]
            self._add((s, s + len(v)), PERSON, hits, bool(_HAS_NAME.search(v)) and not any(c.isdigit() for c in v))
            return
        names = comps[:3] if kind == XPN else comps[1:4]
        span = _span(names)
        self._add(span, PERSON, hits, any(_HAS_NAME.search(v) for _, v in names))

    def _xtn(self, comps: list[Part], hits: list[Hit]) -> None:
        """XTN: number ^ use ^ equipment ^ e-mail ^ country ^ area ^ local ^ extension … ^ unformatted."""
        s, v = comps[0]
        self._add((s, s + len(v)), PHONE, hits, sum(ch.isdigit() for ch in v) >= 5)
        if len(comps) > 3:
            s, v = comps[3]
            self._add((s, s + len(v)), EMAIL, hits, "@" in v)
        parts = comps[4:8]
        self._add(_span(parts), PHONE, hits, sum(ch.isdigit() for _, v in parts for ch in v) >= 5)
        if len(comps) > 11:
            s, v = comps[11]
            self._add((s, s + len(v)), PHONE, hits, sum(ch.isdigit() for ch in v) >= 5)

    def _add(self, span: tuple[int, int] | None, entity: str, hits: list[Hit], ok: bool = True) -> None:
        if ok and span is not None and span[1] > span[0]:
            hits.append(Hit(span[0], span[1], entity, 0.9, self.name, True))

    def _field_ref(self, doc: Doc, m: re.Match[str], hits: list[Hit]) -> None:
        """``PID-5: 衣^春翠``: the value after a reference to a field the table knows."""
        kind = HL7_FIELDS[m.group("seg")].get(int(m.group("f")))
        if kind is None or kind == KEEP:
            return
        start, value = m.start("v"), m.group("v")
        if m.group("c") is None:
            self._field(doc, kind, start, value, hits)
            return
        entity = {XPN: PERSON, XCN: PERSON, NDL: PERSON, XAD: ADDRESS, XTN: PHONE, BIRTH: DATE_OF_BIRTH}.get(kind)
        self._add((start, start + len(value)), entity or kind[3:] or ID_NUMBER, hits,
                  _HAS_ALNUM.search(value) is not None)

    # --- DICOM -----------------------------------------------------------------------------
    def _dicom(self, text: str, hits: list[Hit]) -> None:
        """A patient's or a physician's data element by its tag or keyword (interchange.DICOM_TAGS)."""
        if "(" in text and "," in text:
            for m in _DICOM_TAG.finditer(text):
                kind = DICOM_TAGS.get(m.group("t").replace(" ", "").upper())
                group = "b" if m.group("b") is not None else "v"
                if kind is not None:
                    self._add((m.start(group), m.end(group)), kind, hits, _HAS_ALNUM.search(m.group(group)) is not None)
        if "Patient" in text or "Physician" in text or "Operators" in text:
            for m in _DICOM_KEYWORD.finditer(text):
                self._add(m.span("v"), DICOM_KEYWORDS[m.group("k")], hits, _HAS_ALNUM.search(m.group("v")) is not None)

    # --- MRZ -------------------------------------------------------------------------------
    def _mrz(self, doc: Doc, start: int, line: str, hits: list[Hit]) -> None:
        if "<" not in line:
            return
        body = line[5:] if len(line) >= 34 and line[0] in "PVIAC" and not any(c.isdigit() for c in line) else line
        name = _MRZ_NAME.match(body) if not any(c.isdigit() for c in body) else None
        if name is not None:
            at = start + len(line) - len(body)
            self._add((at + name.start(), at + name.end()), PERSON, hits)
            return
        m = _MRZ_TD3_2.match(line) or _MRZ_TD1_2.match(line)
        if m is not None or _MRZ_TD1_1.match(line):
            doc.cache.setdefault("fielded", []).append((start, start + len(line)))  # type: ignore[union-attr]
        if m is not None and "doc" in m.groupdict():
            s, e = m.span("doc")
            self._add((start + s, start + e), ID_NUMBER, hits, any(c.isdigit() for c in m.group("doc")))
        if m is None:
            m = _MRZ_TD1_1.match(line)
            if m is None:
                return
            s, e = m.span("doc")
            self._add((start + s, start + e), ID_NUMBER, hits, any(c.isdigit() for c in m.group("doc")))
        else:
            self._add((start + m.start("dob"), start + m.end("dob")), DATE_OF_BIRTH, hits)
            doc.decoys.append((start + m.start("exp"), start + m.end("exp")))
        opt = m.group("opt") or ""
        if sum(c.isdigit() for c in opt) >= 3:
            s = start + m.start("opt")
            self._add((s, s + len(opt.rstrip("<"))), ID_NUMBER, hits)

    # --- coordinates, IBAN, display names ----------------------------------------------------
    def _coordinates(self, text: str, hits: list[Hit]) -> None:
        """A pair of coordinates, or one after its name, tried where a number has three decimals."""
        done = -1
        for d in _DECIMALS.finditer(text):
            if d.start() < done:
                continue  # the second number of a pair found already
            start = d.start() - 1
            while start > 0 and text[start - 1].isdigit() and d.start() - start < 3:
                start -= 1
            start -= start > 0 and text[start - 1] == "-"
            pair = self._pair(text, start)
            if pair is not None:
                hits.append(pair)
                done = pair.end
                continue
            value = _COORD_VALUE.match(text, start)
            if value is not None and _COORD_NAME_BEFORE.search(text, max(0, start - 14), start):
                hits.append(self.hit(value, entity=ADDRESS, score=0.85, labelled=True))

    def _pair(self, text: str, start: int) -> Hit | None:
        """Coordinates whose first number starts at ``start`` (a hemisphere letter may stand before)."""
        for at in (start - 2, start - 1, start):
            m = _COORD.match(text, at) if at >= 0 else None
            if m is None:
                continue
            a, b = abs(float(m.group("a"))), abs(float(m.group("b")))
            if min(a, b) > 90 or max(a, b) > 180:
                return None
            hemisphere = any(m.group(g) for g in ("h1", "h2", "h3", "h4"))
            cue = _COORD_CUE.search(text, max(0, m.start() - 16), m.start()) is not None
            precise = min(len(m.group("ad")), len(m.group("bd"))) >= 4 and max(a, b) >= 10
            return self.hit(m, entity=ADDRESS, score=0.85, labelled=True) if hemisphere or cue or precise else None
        return None

    def _iban(self, text: str, m: re.Match[str], hits: list[Hit]) -> None:
        country = m.group("cc")
        if country not in _IBAN_COUNTRIES:
            return
        need = IBAN_LENGTHS[country]
        chars: list[str] = []
        pos = m.start()
        while pos < len(text) and len(chars) < need:
            ch = text[pos]
            if ch.isascii() and ch.isalnum():
                chars.append(ch.upper())
            elif ch != " " or text[pos - 1] == " ":
                break
            pos += 1
        if len(chars) == need and iban_valid("".join(chars)):
            hits.append(self.hit(m.start(), pos, entity=BANK_CARD, score=0.9, labelled=True))

    def _nick(self, m: re.Match[str], hits: list[Hit]) -> None:
        if m.group("bed") is None and m.group("r") is None:
            return
        name = m.group("n")
        if not 2 <= len(name) <= 4 or name in _NOT_NICK_NAMES:
            return
        both = m.group("bed") is not None and m.group("r") is not None  # the layout alone says so
        if both or name[0] in self._single or name[:2] in self._compound:
            hits.append(self.hit(m.start("n"), m.end("n"), entity=PERSON, score=0.85, labelled=True))

