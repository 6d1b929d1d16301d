"""A person's identifiers in a FHIR R4 resource pasted into a note, by the element that holds them.

FHIR JSON (``{"resourceType":"Patient","identifier":[{"system":"urn:oid:…","value":"ZY2025710149"}],
"name":[{"text":"展望"}],…}``) or XML (``<family value="…"/>``) carries no label a reader of prose
would see; what a value is follows from its element, as the specification defines it:

* in a person resource (``Patient``, ``Practitioner``, ``RelatedPerson``, ``Person``) and in a
  Patient's ``contact``: ``identifier[].value`` (its kind from ``type.coding.code``, HL7 table
  0203, then from words in ``system``; a record number when neither says), ``name`` (HumanName:
  ``text``, ``family``, ``given``), ``telecom`` (ContactPoint: a phone, an e-mail or another
  handle by ``system``), ``birthDate``, ``address`` (``text``, ``line``) and the resource's ``id``;
* ``Encounter.identifier`` (a visit number), ``Coverage.identifier`` and ``subscriberId``;
* a Reference to a person (``{"reference":"Patient/…","display":"王芳"}``): its ``display``.

The same person elements in an HL7 CDA R2 document (XML): ``<family>`` and ``<given>`` (a person's
name parts), ``<name>`` directly under a person element (``patient``, ``assignedPerson``,
``guardianPerson``, ``associatedPerson``, ``relatedPerson``), ``<birthTime value="…">``,
``<streetAddressLine>`` and the street-level address parts (``houseNumber``, ``streetName``,
``township``, ``unitID``, ``additionalLocator``, ``buildingNumberSuffix``; ``county``, ``city`` and
``state`` are left), ``<telecom value="tel:…">`` / ``mailto:``, and the ``<id extension="…">`` of a
``patientRole`` (comments between them allowed; a document's or an author's own id is left).
China's shared-document specification (WS/T 500, CDA R2 with ``2.16.156.10011.1.N`` identifier
roots) names the kind of an id by its root wherever it stands: ``.2`` 健康档案标识号, ``.11`` 门(急)诊号,
``.12`` 住院号, ``.13`` 病案号 (record numbers), ``.3`` 患者身份证件号码, ``.19`` 居民健康卡号; the roots of
a document (``.1``), staff (``.4``), organisations (``.5``), specimens, prescriptions, wards, beds,
requests, reports and consent forms are not a person's and are left.

Everything else (codes, ``meta``, observation values, other resources' identifiers) is left. A
resource cut short (JSON that does not parse) is read by its element names alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from privacy.deid.entities import (
    ADDRESS,
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
from privacy.deid.interchange import cx_kind
from privacy.deid.recognizers.base import Doc, Hit, Recognizer

_PERSONS = frozenset({"Patient", "Practitioner", "RelatedPerson", "Person"})
_TELECOM = {"phone": PHONE, "sms": PHONE, "fax": PHONE, "pager": PHONE, "email": EMAIL}
#: words in an identifier's system URI or type text → kind (checked in order)
_SYSTEM_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("passport", "护照"), ID_NUMBER),
    (("idcard", "id-card", "resident", "citizen", "national", "身份证", "sfz"), RESIDENT_ID),
    (("insur", "coverage", "医保", "社保", "medicare", "ybk", "sbk"), MEDICAL_CARD),
)
_RESOURCE_TYPE = re.compile(r"\"resourceType\"")
#: a cut-short resource: element → kind of the string (or first string of the list) after it
_ELEMENT = re.compile(r"\"(?P<k>family|given|birthDate|line)\"[ ]?:[ ]?\[?[ ]?\"(?P<v>[^\"\n]{1,80})\"")
_VALUE_IN = re.compile(r"\"(?P<k>identifier|telecom)\"[ ]?:[ ]?\[(?P<body>[^\]]{0,600})")
_VALUE = re.compile(r"\"value\"[ ]?:[ ]?\"(?P<v>[^\"\n]{1,80})\"")
#: FHIR XML: <family value="…"/>, and <value value="…"/> inside <identifier> / <telecom>
_XML_ELEMENT = re.compile(r"<(?P<k>family|given|birthDate|line)[ ]value=\"(?P<v>[^\"\n]{1,80})\"")
_XML_VALUE_IN = re.compile(r"<(?P<k>identifier|telecom)>(?P<body>.{0,600}?)</(?P=k)>", re.S)
_XML_VALUE = re.compile(r"<value[ ]value=\"(?P<v>[^\"\n]{1,80})\"")
#: CDA R2: name parts, a person's <name>, birth time, street lines, telecom URLs, patientRole ids
_CDA_TEXT = re.compile(
    r"<(?P<k>family|given|streetAddressLine|houseNumber|streetName|township|unitID|additionalLocator|buildingNumberSuffix)"
    r"(?:[ ][^>]{0,80})?>(?P<v>[^<\n]{1,80})</(?P=k)>"
)
#: what may stand between a person element and its <name>: comments and the person's own ids
_CDA_BETWEEN = r"(?:\s{0,20}(?:<!--[^>]{0,120}-->|<id[ ][^>]{0,200}/>))*"
_CDA_PERSON_NAME = re.compile(
    r"<(?:patient|assignedPerson|guardianPerson|associatedPerson|relatedPerson|informationRecipient)(?:[ ][^>]{0,80})?>"
    + _CDA_BETWEEN + r"\s{0,20}<name(?:[ ][^>]{0,80})?>(?P<v>[^<\n]{1,40})</name>"
)
_CDA_VALUE = re.compile(r"<(?P<k>birthTime|telecom)[^>]{0,80}?[ ]value=\"(?:(?P<s>tel|mailto|fax):)?(?P<v>[^\"\n]{1,80})\"")
_CDA_ROLE_IDS = re.compile(r"<patientRole(?:[ ][^>]{0,80})?>(?P<ids>" + _CDA_BETWEEN + r")")
_CDA_EXTENSION = re.compile(r"extension=\"(?P<v>[^\"\n]{1,80})\"")
_CDA_KIND = {"family": PERSON, "given": PERSON}
#: WS/T 500 identifier roots (2.16.156.10011.1.N) that name a person's identifier, N → kind
_CDA_ID_TAG = re.compile(r"<id[ ][^>]{0,200}/>")
_WST500_ROOT = re.compile(r"root=\"2\.16\.156\.10011\.1\.[0-9]")
_WST500_ID = re.compile(r"<id[ ][^>]{0,200}?root=\"2\.16\.156\.10011\.1\.(?P<n>[0-9]{1,2})\"[^>]{0,200}>")
_WST500_KIND = {2: HOSPITAL_RECORD_NO, 3: ID_NUMBER, 11: HOSPITAL_RECORD_NO, 12: HOSPITAL_RECORD_NO,
                13: HOSPITAL_RECORD_NO, 19: MEDICAL_CARD}
_ELEMENT_KIND = {"family": PERSON, "given": PERSON, "birthDate": DATE_OF_BIRTH, "line": ADDRESS}


def _parse(decoder: json.JSONDecoder, text: str, at: int) -> tuple[Any, int, int] | None:
    """The resource whose ``"resourceType"`` key stands at ``at``: JSON parsed from the nearest
    ``{`` before it that parses (the key need not come first), or None."""
    brace = text.rfind("{", max(0, at - 400), at)
    for _ in range(3):
        if brace == -1:
            return None
        try:
            resource, end = decoder.raw_decode(text, brace)
        except ValueError:
            brace = text.rfind("{", max(0, at - 400), brace)
            continue
        if isinstance(resource, dict) and "resourceType" in resource:
            return resource, brace, end
        brace = text.rfind("{", max(0, at - 400), brace)
    return None


def _strings(value: Any) -> list[str]:
    """A string, or the strings of a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _items(value: Any) -> list[dict[str, Any]]:
    """An element that may repeat: its objects."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def identifier_kind(identifier: dict[str, Any], default: str) -> str:
    """The kind of a FHIR Identifier: its type code (HL7 table 0203), else words in its system or
    type text, else ``default``."""
    kind_type = identifier.get("type")
    codes = [c.get("code") for c in _items(kind_type.get("coding")) if isinstance(c.get("code"), str)] \
        if isinstance(kind_type, dict) else []
    for code in codes:
        kind = cx_kind(code, "")
        if kind:
            return kind
    words = " ".join(_strings(identifier.get("system")))
    if isinstance(kind_type, dict):
        words += " " + " ".join(_strings(kind_type.get("text")))
    words = words.lower()
    for keys, kind in _SYSTEM_WORDS:
        if any(k in words for k in keys):
            return kind
    return default


class _Walk:
    """(kind, string) of every person-bearing element of a parsed resource (module docstring)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def node(self, node: Any, person: bool = False) -> None:
        if isinstance(node, list):
            for item in node:
                self.node(item, person)
            return
        if not isinstance(node, dict):
            return
        rtype = node.get("resourceType")
        if isinstance(rtype, str):
            person = rtype in _PERSONS
            self._other(rtype, node)
        reference = node.get("reference")
        if isinstance(reference, str) and reference.split("/")[0] in _PERSONS:
            self._add(PERSON, node.get("display"))
        for key, value in node.items():
            if person and self._person_element(key, value):
                continue
            self.node(value, person and key == "contact")

    def _person_element(self, key: str, value: Any) -> bool:
        """Read ``key`` of a person resource; False when it holds none of a person's elements."""
        if key == "identifier":
            for ident in _items(value):
                self._add(identifier_kind(ident, HOSPITAL_RECORD_NO), ident.get("value"))
        elif key == "name" and not isinstance(value, str):
            for name in _items(value):
                for part in ("text", "family", "given"):
                    self._add(PERSON, name.get(part))
        elif key == "telecom":
            for point in _items(value):
                system = point.get("system")
                self._add(_TELECOM.get(system, CONTACT_ID) if isinstance(system, str) else PHONE, point.get("value"))
        elif key == "birthDate":
            self._add(DATE_OF_BIRTH, value)
        elif key == "address" and not isinstance(value, str):
            for address in _items(value):
                self._add(ADDRESS, address.get("text"))
                self._add(ADDRESS, address.get("line"))
        elif key == "id":
            if isinstance(value, str) and any(ch.isdigit() for ch in value):
                self._add(HOSPITAL_RECORD_NO, value)
        else:
            return False
        return True

    def _other(self, rtype: str, node: dict[str, Any]) -> None:
        """A visit's number, an insurance coverage's member numbers."""
        if rtype == "Encounter":
            for ident in _items(node.get("identifier")):
                self._add(identifier_kind(ident, HOSPITAL_RECORD_NO), ident.get("value"))
        elif rtype == "Coverage":
            for ident in _items(node.get("identifier")):
                self._add(identifier_kind(ident, MEDICAL_CARD), ident.get("value"))
            self._add(MEDICAL_CARD, node.get("subscriberId"))

    def _add(self, kind: str, value: Any) -> None:
        for v in _strings(value):
            if v.strip():
                self.found.append((kind, v))


class FhirRecognizer(Recognizer):
    """A person's identifiers in FHIR JSON or XML, by element (module docstring)."""

    name = "FhirRecognizer"
    entities = (PERSON, ADDRESS, PHONE, EMAIL, DATE_OF_BIRTH, RESIDENT_ID, HOSPITAL_RECORD_NO, MEDICAL_CARD,
                ID_NUMBER, CONTACT_ID)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        if '"resourceType"' in text:
            decoder = json.JSONDecoder()
            pos = 0
            for m in _RESOURCE_TYPE.finditer(text):
                if m.start() < pos:
                    continue  # inside a resource read already
                parsed = _parse(decoder, text, m.start())
                if parsed is None:
                    self._elements(text, text.rfind("{", 0, m.start()) + 1, hits)
                    pos = m.end()
                    continue
                resource, start, end = parsed
                walk = _Walk()
                walk.node(resource)
                self._locate(text, start, end, walk.found, hits)
                pos = end
        if 'value="' in text:
            self._xml(text, hits)
        if "</" in text or "/>" in text:
            self._cda(text, hits)
        return hits

    def _cda(self, text: str, hits: list[Hit]) -> None:
        """HL7 CDA R2 person elements (module docstring)."""
        for m in _CDA_TEXT.finditer(text):
            hits.append(self.hit(m.start("v"), m.end("v"), entity=_CDA_KIND.get(m.group("k"), ADDRESS), score=0.9,
                                 labelled=True))
        for m in _CDA_PERSON_NAME.finditer(text):
            hits.append(self.hit(m.start("v"), m.end("v"), entity=PERSON, score=0.9, labelled=True))
        for m in _CDA_VALUE.finditer(text):
            scheme = m.group("s")
            entity = DATE_OF_BIRTH if m.group("k") == "birthTime" else EMAIL if scheme == "mailto" else PHONE
            hits.append(self.hit(m.start("v"), m.end("v"), entity=entity, score=0.9, labelled=True))
        for m in _CDA_ROLE_IDS.finditer(text):
            for tag in _CDA_ID_TAG.finditer(text, m.start("ids"), m.end("ids")):
                root = _WST500_ROOT.search(tag.group())
                v = _CDA_EXTENSION.search(tag.group())
                if v is not None and root is None:  # a WS/T 500 root says its kind below
                    hits.append(self.hit(tag.start() + v.start("v"), tag.start() + v.end("v"),
                                         entity=HOSPITAL_RECORD_NO, score=0.9, labelled=True))
        if "2.16.156.10011.1." in text:
            for m in _WST500_ID.finditer(text):
                kind = _WST500_KIND.get(int(m.group("n")))
                v = _CDA_EXTENSION.search(m.group())
                if kind is not None and v is not None:
                    hits.append(self.hit(m.start() + v.start("v"), m.start() + v.end("v"), entity=kind, score=0.9,
                                         labelled=True))

    def _locate(self, text: str, start: int, end: int, found: list[tuple[str, str]], hits: list[Hit]) -> None:
        """Every place in ``text[start:end]`` where a found string stands as a JSON string."""
        for kind, value in found:
            quoted = json.dumps(value, ensure_ascii=False)
            at = text.find(quoted, start, end)
            while at != -1:
                hits.append(self.hit(at + 1, at + len(quoted) - 1, entity=kind, score=0.9, labelled=True))
                at = text.find(quoted, at + len(quoted), end)

    def _elements(self, text: str, start: int, hits: list[Hit]) -> None:
        """A resource that does not parse (cut short): person elements by name."""
        for m in _ELEMENT.finditer(text, start):
            hits.append(self.hit(m.start("v"), m.end("v"), entity=_ELEMENT_KIND[m.group("k")], score=0.9,
                                 labelled=True))
        for m in _VALUE_IN.finditer(text, start):
            entity = HOSPITAL_RECORD_NO if m.group("k") == "identifier" else PHONE
            base = m.start("body")
            for v in _VALUE.finditer(m.group("body")):
                hits.append(self.hit(base + v.start("v"), base + v.end("v"), entity=entity, score=0.9, labelled=True))

    def _xml(self, text: str, hits: list[Hit]) -> None:
        for m in _XML_ELEMENT.finditer(text):
            hits.append(self.hit(m.start("v"), m.end("v"), entity=_ELEMENT_KIND[m.group("k")], score=0.9,
                                 labelled=True))
        for m in _XML_VALUE_IN.finditer(text):
            entity = HOSPITAL_RECORD_NO if m.group("k") == "identifier" else PHONE
            base = m.start("body")
            for v in _XML_VALUE.finditer(m.group("body")):
                hits.append(self.hit(base + v.start("v"), base + v.end("v"), entity=entity, score=0.9, labelled=True))
