"""Values under a key in structured fragments: HIS export rows, JSON, key=value, XML elements.

``HIS导出：XM=王建华;SFZH=…;ZYH=61710726``, ``接口数据：{"xm":"…","ybkh":"681418110"}``,
``patientId: 7a01…``, ``<csrq>1965-12-27</csrq>`` — the key labels its value as a label does in
prose, so the value under a key that names an identifier (:mod:`privacy.deid.fields`: pinyin
initials such as ``zyh``, ``sfzh``, ``ybkh``, ``csrq``; English keys in any case and joining;
Chinese keys in a JSON row) is that identifier, and the value under a look-alike's key
(``fph``, ``ph``, ``orderId``) is recorded as a look-alike. What a value must look like depends on
its kind: a name is two to four characters opening with a surname (``"xm"`` is also HIS's
项目, whose values are tests), an address four characters or more, a date of birth four digits or
more (with the time an export appends: ``1970/4/17 0:00:00``), a number three digits or more.
"""

from __future__ import annotations

import re

from privacy.deid.entities import ADDRESS, CONTACT_ID, DATE_OF_BIRTH, EMAIL, PERSON
from privacy.deid.fields import key_kind
from privacy.deid.recognizers.base import Doc, Hit, Recognizer
from privacy.deid.recognizers.cn_labelled_number_recognizer import _accept

#: "key": "value" or "key": 123 (a JSON object, quotes ASCII after normalisation), or a Python dict
#: printed into a log ('xm': '王芳')
_JSON = re.compile(
    r"(?P<q>[\"'])(?P<k>[^\"'\n:{},]{1,24})(?P=q)[ ]?:[ ]?"
    r"(?:[\"'](?P<v>[^\"'\n]{0,80})[\"']|(?P<n>[0-9A-Za-z][0-9A-Za-z\-./]*))"
)
#: KEY=value, key: value, KEY="value" (an ASCII key; a Chinese label before a colon is the labelled
#: recognisers'): found from the separator after a letter (keys end in one: zyh, SFZH, patientId),
#: the key read back from there
_KV_SEP = re.compile(r"[A-Za-z][ ]?[=:]")
#: the characters of an ASCII key (read back from its separator)
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")
_KV_VALUE = re.compile(r"[ ]?[\"']?([^\s;|&,\"'<>{}\[\]]{1,64})")
#: a Chinese key before ``=`` with its value quoted (姓名="王芳"; unquoted values are the labelled
#: recognisers')
_CN_KV = re.compile(r"(?P<k>[\u4e00-\u9fff]{2,8})[ ]?=[ ]?[\"'](?P<v>[^\"'\n]{1,64})[\"']")
#: <key>value</key>
_XML = re.compile(r"<(?P<k>[A-Za-z][A-Za-z0-9_]{0,24})>(?P<v>[^<\n]{1,80})</(?P=k)>")
#: the time an export appends to a date (T00:00:00, 0:00:00, 00:00:00.000)
_TIME = re.compile(r"(?:T|[ ]{1,2})[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?")
_HAN = re.compile(r"[\u4e00-\u9fff]")


class StructuredFieldRecognizer(Recognizer):
    """The value under a key that names an identifier; look-alike keys' values recorded."""

    name = "StructuredFieldRecognizer"
    entities = ("RESIDENT_ID", "PHONE", "BANK_CARD", "MEDICAL_CARD", "HOSPITAL_RECORD_NO", "ID_NUMBER",
                "PERSON", "CONTACT_ID", "DATE_OF_BIRTH", "ADDRESS")

    def __init__(self) -> None:
        from privacy.deid.surnames import all_compound, all_single

        self._single, self._compound = all_single(), all_compound()

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        if '"' in text or "'" in text:
            for m in _JSON.finditer(text):
                group = "v" if m.group("v") is not None else "n"
                self._value(doc, m.group("k").strip(), m.start(group), m.end(group), hits)
        if "=" in text or ":" in text:
            for m in _KV_SEP.finditer(text):
                self._key_value(doc, m.start() + 1, m.end(), hits)
        if "=" in text and ('"' in text or "'" in text):
            for m in _CN_KV.finditer(text):
                self._value(doc, m.group("k"), m.start("v"), m.end("v"), hits)
        if "</" in text:
            for m in _XML.finditer(text):
                self._value(doc, m.group("k"), m.start("v"), m.end("v"), hits)
        return hits

    def _key_value(self, doc: Doc, key_end: int, sep_end: int, hits: list[Hit]) -> None:
        """KEY=value or key: value around the separator ending at ``sep_end``."""
        text = doc.text
        start = key_end - 1
        while start > 0 and key_end - start <= 25 and text[start - 1] in _KEY_CHARS:
            start -= 1
        if key_end - start > 25 or not text[start].isalpha():
            return  # a longer token, or none that opens with a letter
        value = _KV_VALUE.match(text, sep_end)
        if value is None or (text[sep_end - 1] == ":" and value.group(1).startswith("//")):
            return  # nothing after it, or a URL
        self._value(doc, text[start:key_end], value.start(1), value.end(1), hits)

    def _value(self, doc: Doc, key: str, start: int, end: int, hits: list[Hit]) -> None:
        known, kind = key_kind(key)
        if not known:
            return
        value = doc.text[start:end].strip()
        if not value:
            return
        if kind is None:
            doc.decoys.append((start, end))
            return
        if not self._fits(value, kind):
            return
        if kind == DATE_OF_BIRTH:
            time = _TIME.match(doc.text, end)
            if time is not None:
                end = time.end()
        hits.append(Hit(start, end, kind, 0.9, self.name, True))

    def _fits(self, value: str, kind: str) -> bool:
        """Whether ``value`` can be a ``kind`` (see the module docstring)."""
        if kind == DATE_OF_BIRTH:
            return sum(ch.isdigit() for ch in value) >= 4
        if kind == PERSON:
            return self._name(value)
        if kind == ADDRESS:
            return len(_HAN.findall(value)) >= 4
        if kind == EMAIL:
            return False  # the e-mail recogniser reads it, whatever its key
        if kind == CONTACT_ID:  # a handle, not a word (wx: hello)
            return len(value) >= 5 and any(ch.isdigit() or ch in "_-" for ch in value)
        return _accept(value, kind)

    def _name(self, value: str) -> bool:
        """A name under a name key: two to four characters opening with a surname, or a Latin name
        or log-in (Zhang Wei, pangyh07)."""
        if value.isascii():
            return 2 <= len(value) <= 30 and any(ch.isalpha() for ch in value) and "@" not in value
        if not 2 <= len(value) <= 4 or len(_HAN.findall(value)) != len(value):
            return False
        return value[0] in self._single or value[:2] in self._compound
