"""E-mail addresses in Chinese text, however the at-sign and the dots are written.

People write an address so that a harvester (or a form's validator) does not read it, or as an
input method leaves it: spaces around the at-sign (``minzhu66 @ 126.com``), the sign as a word
(``zhang.wei(at)163.com``, ``zhangwei [at] qq [dot] com``, ``zhangwei AT 163 DOT com``,
``zhangwei艾特163.com``, ``zhangwei圈a163点com``, ``zhang#163.com``), the small or full-width sign
(``﹫``, ``＠``; normalisation folds the full-width one), a dot as ``。``, ``点`` or ``(dot)``.
The address is found from its at-sign, then read left (the local part) and right (the domain and
a top-level domain): a common ending is required wherever the sign or a dot is a word.

After an e-mail label the value is the address even with no at-sign at all (``QQ邮箱：1234567``,
``邮箱：zhangwei1985``: the provider is the label's).
"""

from __future__ import annotations

import re

from privacy.deid.entities import EMAIL
from privacy.deid.recognizers.base import Doc, Hit, Recognizer

#: the at-sign, written or spelt: @ (﹫), (at) [at] {at} <at>, " at ", #, 艾特, 圈a
_AT = re.compile(r"[@﹫#]|[(\[{<][ ]?(?:at|AT|艾特)[ ]?[)\]}>]|艾特|圈[aA]")
#: the at-sign as a word between spaces (zhangwei AT 163 DOT com): searched only where " at " is,
#: a pattern starting at every "a" of an English note cost more than the rest
_AT_WORD = re.compile(r"(?<=[A-Za-z0-9] )(?:at|AT)(?= )")
#: the local part, ending where the at-sign (and up to two spaces) begins
_LOCAL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}[ ]{0,2}$")
_DOT = r"(?:[ ]{0,2}(?:\.|。|点|[(\[{<][ ]?(?:dot|DOT)[ ]?[)\]}>])[ ]{0,2}|[ ](?:dot|DOT)[ ])"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
#: the domain after a plain at-sign and plain dots: any top-level domain
_DOMAIN = re.compile(rf"[ ]{{0,2}}{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}(?![A-Za-z0-9\-])")
#: the domain where a sign or a dot is a word: the common endings only
_COMMON_TLD = r"(?:com|cn|net|org|edu|gov|hk|tw|mo|io|me|info|biz|co|us|uk|jp|kr|sg|de|fr|au|ca)"
_SPELT_DOMAIN = re.compile(rf"[ ]{{0,2}}{_LABEL}(?:{_DOT}{_LABEL})*?{_DOT}{_COMMON_TLD}(?![A-Za-z0-9\-])")
#: a mail provider everyone knows, written without its ending (zhangwei@163, wang_li@qq): the address
_PROVIDER = re.compile(
    r"[ ]{0,2}(?:163|126|139|189|188|qq|QQ|sina|sohu|foxmail|gmail|hotmail|outlook|yahoo|yeah|aliyun|icloud|"
    r"vip\.163|vip\.qq|live|msn)(?![A-Za-z0-9\-.@])"
)
#: the markers worth looking for at all (the cheap test before the search): the sign, or a spelt
#: one (in brackets, or a word between spaces)
_SPELT = (" at ", " AT ", *(b + s + w for b in "([{<" for s in ("", " ") for w in ("at", "AT")))


def _has_sign(text: str) -> bool:
    """True when the note holds an at-sign, written or spelt (few substring scans on most notes)."""
    if "@" in text or "#" in text or "艾特" in text or "圈" in text or "﹫" in text:
        return True
    if "at" not in text and "AT" not in text:
        return False
    return any(spelt in text for spelt in _SPELT)
#: where an e-mail label is: its 邮 or its mail (the label's start is found back from there)
_MAIL_ANCHOR = re.compile(r"邮[箱件]|[Mm]ail|MAIL")
#: an e-mail label and the value after it, with or without an at-sign
_LABELLED = re.compile(
    r"(?:电子邮箱|电子邮件|邮箱地址|邮件地址|邮箱|E-mail|e-mail|Email|email|EMAIL|E-MAIL|Mail|mail)(?:地址)?"
    r"[ ]?[:=]?[ ]{0,3}(?P<v>[A-Za-z0-9][A-Za-z0-9._%+\-]{3,63})(?![A-Za-z0-9._%+\-@﹫#])"
)
#: a line break inside an address, where a narrow form or a mail client wrapped it: after the
#: at-sign (``hao_mei@⏎sina.com``) or before it
_WRAP_AFTER = re.compile(r"[ ]{0,2}\r?\n[ \t]{0,4}")
_WRAP_BEFORE = re.compile(r"[A-Za-z0-9][ ]{0,2}\r?\n[ \t]{0,4}$")
_NOT_ADDRESSES = frozenset("none None NONE null NULL unknown Unknown N/A".split())


class AsciiEmailRecognizer(Recognizer):
    """An e-mail address in any of the writings above.

    Presidio's ``EmailRecognizer`` starts its pattern with ``\\b`` and ``\\w``, which in Chinese
    text swallow the characters before the address (``邮箱zhang@163.com`` would be one match), and
    it validates the domain with tldextract, which tries the network. Here the local part and the
    domain are ASCII classes, so the match stops at the first Chinese character.
    """

    name = "AsciiEmailRecognizer"
    entities = (EMAIL,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if not _has_sign(text):
            return self._labelled(text, []) if "mail" in text or "邮" in text else []
        hits: list[Hit] = []
        signs = list(_AT.finditer(text))
        if " at " in text or " AT " in text:
            signs = sorted([*signs, *_AT_WORD.finditer(text)], key=lambda m: m.start())
        for at in signs:
            plain = at.group() in "@﹫"
            local_end = at.start()
            if plain and local_end > 0 and text[local_end - 1] in "\n\t ":
                wrap = _WRAP_BEFORE.search(text, max(0, local_end - 8), local_end)
                local_end = wrap.start() + 1 if wrap is not None else local_end
            local = _LOCAL.search(text, max(0, local_end - 66), local_end)
            if local is None:
                continue
            after = at.end()
            if plain and after < len(text) and text[after] in "\r\n ":
                wrap = _WRAP_AFTER.match(text, after)
                after = wrap.end() if wrap is not None and "\n" in wrap.group() else after
            domain = (
                (_DOMAIN.match(text, after) if plain else None)
                or _SPELT_DOMAIN.match(text, after)
                or (_PROVIDER.match(text, after) if plain else None)
            )
            if domain is None:
                continue
            hits.append(self.hit(local.start(), domain.end(), score=0.85 if plain else 0.8))
        if "mail" in text or "邮" in text:
            hits += self._labelled(text, hits)
        return hits

    def _labelled(self, text: str, found: list[Hit]) -> list[Hit]:
        """The value after an e-mail label that has no at-sign (QQ邮箱：1234567)."""
        hits = []
        for anchor in _MAIL_ANCHOR.finditer(text):
            start = anchor.start()
            if text[max(0, start - 2) : start] == "电子":
                start -= 2
            elif text[max(0, start - 2) : start] in ("E-", "e-"):
                start -= 2
            elif start > 0 and text[start - 1] in "Ee":
                start -= 1
            m = _LABELLED.match(text, start)
            if m is None:
                continue
            value = m.group("v")
            if value in _NOT_ADDRESSES or any(h.start <= m.start("v") < h.end for h in found):
                continue
            if m.start() > 0 and text[m.start()].isascii() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
                continue  # Gmail, Hotmail: part of a word
            if len(value) >= 5 and (any(ch.isdigit() for ch in value) or len(value) >= 6):
                hits.append(self.hit(*m.span("v"), score=0.75, labelled=True))
        return hits
