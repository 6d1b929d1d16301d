"""Instant-messaging and social accounts after their label: ``QQ：242605475``, ``微信号 wxid_…``,
``加vx zhang-wei85``, ``WeChat: Xu_zhang51``.

A QQ number or a WeChat ID reaches the person as surely as a phone number, and neither has one
shape (QQ: 5–11 digits; WeChat: 6–20 letters, digits, ``_`` and ``-``, or the person's mobile), so
the label decides: the ASCII handle right after a contact label (:data:`~privacy.deid.labels.
CONTACT_LABELS`) is the account. ``微信同号`` (the WeChat account is the phone number) has no handle
after it and is left to the phone recogniser.

On the platforms where an account is named by a nickname (微博, 小红书, 抖音, B站, 知乎…:
:data:`~privacy.deid.labels.SOCIAL_LABELS`) the handle may be Chinese, with an ``@`` before it
(``微博账号 @爱吃鱼的大橙子``, ``新浪微博：@guyan_大橙子``) or after a colon (``小红书：努力的阿强``);
it runs to the next space or punctuation. ``在微博上发布`` (no colon, no ``@``) names no account.
"""

from __future__ import annotations

import re

from privacy.deid.entities import CONTACT_ID
from privacy.deid.labels import CONTACT_LABELS, SOCIAL_LABELS
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation

#: every contact and social label, in one alternation (one scan of the note finds them all)
_LABEL = re.compile(alternation(sorted({*CONTACT_LABELS, *SOCIAL_LABELS})))
_SOCIAL_SET = frozenset(SOCIAL_LABELS)
_CONTACT_SET = frozenset(CONTACT_LABELS)
#: after a contact label: an optional 号/账号/ID, a colon or spaces (or 为/是), then the handle
_CONTACT_TAIL = re.compile(
    r"(?:[ ]?(?:号码|号|账号|帐号|ID|Id|id|No\.?))?\)?[ \t]{0,3}(?:为|是)?[ \t]{0,2}[:=]?[ \t]{0,3}"
    # (a Skype name since the Microsoft-account merge: live:<name> or live:.cid.<16 hex digits>)
    r"(?P<v>live:\.?[A-Za-z0-9][A-Za-z0-9_\-.]{1,38}[A-Za-z0-9]|[A-Za-z0-9@][A-Za-z0-9_\-.@]{3,38}[A-Za-z0-9])(?![A-Za-z0-9_\-@])"
)
_HANDLE_HAN = r"A-Za-z0-9_\-.·\u4e00-\u9fff"
#: after a nickname platform's label: an @handle, or a colon (为/是) and a handle, Chinese allowed
_SOCIAL_TAIL = re.compile(
    r"(?:号码|号|账号|帐号|ID|Id|id|昵称|名称|名)?(?:\([ ]?(?:账号|帐号|ID|id|昵称)?)?\)?"
    r"(?:[ \t]{0,3}(?:为|是)?[ \t]{0,2}[:=]?[ \t]{0,3}(?P<at>@)|[ \t]{0,3}(?:为|是|[:=])[ \t]{0,3}@?)"
    rf"(?P<v>[{_HANDLE_HAN}]{{2,30}})"
)
#: the cheap test first: a note without any of these characters has no contact label
_FIRST = frozenset(w[0] for w in (*CONTACT_LABELS, *SOCIAL_LABELS))
#: values after a social label that are no handle
_NOT_HANDLES = re.compile(r"无|不详|未知|暂无|已注销|已删除|同上|拒绝|未提供|没有|未填|未留|不提供|私信|匿名")


class ContactIdRecognizer(Recognizer):
    """The handle after a QQ / WeChat / other messaging or social label."""

    name = "ContactIdRecognizer"
    entities = (CONTACT_ID,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if _FIRST.isdisjoint(text):
            return []
        hits: list[Hit] = []
        for m in _LABEL.finditer(text):
            start = m.start()
            if start > 0 and text[start].isascii() and text[start - 1].isascii() and text[start - 1].isalnum():
                continue  # an ASCII label inside a word
            if hits and start < hits[-1].end:
                continue  # inside the handle just found
            label = m.group()
            hit = self._social(text, label, m.end()) if label in _SOCIAL_SET else None
            if hit is None and label in _CONTACT_SET:
                hit = self._handle(text, m.end())
            if hit is not None:
                hits.append(hit)
        return hits

    def _handle(self, text: str, pos: int) -> Hit | None:
        """An ASCII handle (a QQ number, a WeChat ID) after a contact label."""
        m = _CONTACT_TAIL.match(text, pos)
        if m is None:
            return None
        value = m.group("v")
        if not any(ch.isdigit() for ch in value) and len(value) < 6:
            return None  # a word, not a handle (微信 ok, QQ no)
        if value.isdigit() and len(value) < 5:
            return None  # QQ numbers have five digits or more
        return self.hit(m.start("v"), m.end("v"), score=0.85, labelled=True)

    def _social(self, text: str, label: str, pos: int) -> Hit | None:
        """A handle on a nickname platform, Chinese allowed (微博账号 @爱吃鱼的大橙子)."""
        m = _SOCIAL_TAIL.match(text, pos)
        if m is None:
            return None
        value = m.group("v").rstrip(".·-")
        if m.group("at") is None and text[m.start("v") - 1] != "@" and _NOT_HANDLES.match(value):
            return None
        start = m.start("v") - (text[m.start("v") - 1] == "@")
        return self.hit(start, m.start("v") + len(value), score=0.85, labelled=True)
