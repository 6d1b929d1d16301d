"""E-mail addresses in Chinese text, without Presidio's tldextract lookup."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from privacy.deid._common import FLAGS
from privacy.deid.entities import LANGUAGE


class AsciiEmailRecognizer(PatternRecognizer):
    """An ASCII e-mail address.

    Presidio's ``EmailRecognizer`` starts its pattern with ``\\b`` and ``\\w``, which in Chinese
    text swallow the characters before the address (``邮箱zhang@163.com`` would be one match), and
    it validates the domain with tldextract, which tries the network. Here the local part and the
    domain are ASCII classes, so the match stops at the first Chinese character.
    """

    PATTERNS = [
        Pattern(
            "email",
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
            r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*"
            r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])",
            0.85,
        ),
    ]
    CONTEXT = ["邮箱", "电子邮件", "邮件", "email", "e-mail"]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity="EMAIL",
            name="AsciiEmailRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            # self-anchored patterns (a label or cue lookbehind, a suffix, a checksum) set the score
            # themselves: CONTEXT documents the words, the enhancer would only spend time (~25 %)
            context=None,
            global_regex_flags=FLAGS,
        )
