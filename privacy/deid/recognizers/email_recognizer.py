"""E-mail addresses in Chinese text, without Presidio's tldextract lookup."""

from __future__ import annotations

import re

from privacy.deid.entities import EMAIL
from privacy.deid.recognizers.base import Doc, Hit, Recognizer

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

#: an address written to dodge harvesters: zhang.wei(at)163.com, zhangwei [at] qq [dot] com, zhang#163.com
_OBFUSCATED = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}[ ]?(?:[(\[{<][ ]?(?:at|AT)[ ]?[)\]}>]|[ ](?:at|AT)[ ]|#)[ ]?"
    r"[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:[ ]?(?:\.|[(\[{<][ ]?(?:dot|DOT)[ ]?[)\]}>]|[ ](?:dot|DOT)[ ])[ ]?[A-Za-z0-9\-]{1,63})*"
    r"[ ]?(?:\.|[(\[{<][ ]?(?:dot|DOT)[ ]?[)\]}>]|[ ](?:dot|DOT)[ ])[ ]?(?:com|cn|net|org|edu|gov|hk|tw|io|me|info|biz|co|us|uk)"
    r"(?![A-Za-z0-9\-])"
)


#: an address whose dots an input method wrote as 。 (zhangwei@163。com): only before a common ending
_CJK_DOT = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9\-]{1,63}(?:[.。][A-Za-z0-9\-]{1,63})*"
    r"。(?:com|cn|net|org|edu|gov|hk|tw)(?![A-Za-z0-9\-])"
)


class AsciiEmailRecognizer(Recognizer):
    """An ASCII e-mail address (full-width ``＠`` and letters are folded by normalisation).

    Presidio's ``EmailRecognizer`` starts its pattern with ``\\b`` and ``\\w``, which in Chinese
    text swallow the characters before the address (``邮箱zhang@163.com`` would be one match), and
    it validates the domain with tldextract, which tries the network. Here the local part and the
    domain are ASCII classes, so the match stops at the first Chinese character.
    """

    name = "AsciiEmailRecognizer"
    entities = (EMAIL,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits = [self.hit(m) for m in _EMAIL.finditer(text)] if "@" in text else []
        if "@" in text and "。" in text:
            hits += [self.hit(m) for m in _CJK_DOT.finditer(text)]
        if "at" in text or "AT" in text or "#" in text:
            hits += [self.hit(m, score=0.8) for m in _OBFUSCATED.finditer(text)]
        return hits
