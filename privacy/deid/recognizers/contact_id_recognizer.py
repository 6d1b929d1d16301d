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

#: label, an optional 号/账号/ID, a colon or spaces (or 为/是), then the handle
_CONTACT = re.compile(
    rf"(?P<l>{alternation(CONTACT_LABELS)})(?:号码|号|账号|帐号|ID|Id|id|No\.?)?\)?[ \t]{{0,3}}(?:为|是)?[ \t]{{0,2}}[:=]?[ \t]{{0,3}}"
    r"(?P<v>[A-Za-z0-9@][A-Za-z0-9_\-.@]{3,38}[A-Za-z0-9])(?![A-Za-z0-9_\-@])"
)
#: the cheap test first: a note without any of these characters has no contact label
_FIRST = frozenset(w[0] for w in CONTACT_LABELS)
_SOCIAL_FIRST = frozenset(w[0] for w in SOCIAL_LABELS)
_HANDLE_HAN = r"A-Za-z0-9_\-.·\u4e00-\u9fff"
#: a nickname platform's label, then an @handle, or a colon (为/是) and a handle, Chinese allowed
_SOCIAL = re.compile(
    rf"(?P<l>{alternation(SOCIAL_LABELS)})(?:号码|号|账号|帐号|ID|Id|id|昵称|名称|名)?(?:\([ ]?(?:账号|帐号|ID|id|昵称)?)?\)?"
    rf"(?:[ \t]{{0,3}}(?:为|是)?[ \t]{{0,2}}[:=]?[ \t]{{0,3}}(?P<at>@)|[ \t]{{0,3}}(?:为|是|[:=])[ \t]{{0,3}}@?)"
    rf"(?P<v>[{_HANDLE_HAN}]{{2,30}})"
)
#: values after a social label that are no handle
_NOT_HANDLES = re.compile(r"无|不详|未知|暂无|已注销|已删除|同上|拒绝|未提供|没有|未填|未留|不提供|私信|匿名")


class ContactIdRecognizer(Recognizer):
    """The handle after a QQ / WeChat / other messaging label."""

    name = "ContactIdRecognizer"
    entities = (CONTACT_ID,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if _FIRST.isdisjoint(text):
            return []
        hits = []
        for m in _CONTACT.finditer(text):
            start = m.start()
            if (
                start > 0
                and text[start].isascii()
                and text[start - 1].isascii()
                and text[start - 1].isalnum()
            ):
                continue  # an ASCII label inside a word
            value = m.group("v")
            if not any(ch.isdigit() for ch in value) and len(value) < 6:
                continue  # a word, not a handle (微信 ok, QQ no)
            if value.isdigit() and len(value) < 5:
                continue  # QQ numbers have five digits or more
            hits.append(self.hit(m.start("v"), m.end("v"), score=0.85, labelled=True))
        if not _SOCIAL_FIRST.isdisjoint(text):
            hits += self._social(text)
        return hits

    def _social(self, text: str) -> list[Hit]:
        """A handle on a nickname platform, Chinese allowed (微博账号 @爱吃鱼的大橙子)."""
        hits = []
        for m in _SOCIAL.finditer(text):
            value = m.group("v").rstrip(".·-")
            if m.group("at") is None and text[m.start("v") - 1] != "@" and _NOT_HANDLES.match(value):
                continue
            if m.start() > 0 and text[m.start()].isascii() and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum():
                continue  # an ASCII label inside a word
            start = m.start("v") - (text[m.start("v") - 1] == "@")
            hits.append(self.hit(start, m.start("v") + len(value), score=0.85, labelled=True))
        return hits
