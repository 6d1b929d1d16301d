"""Regex building blocks the Chinese recognisers share.

Chinese characters are ``\\w`` to Python's regex engines, so ``\\b`` never separates ``号`` from
``110101…``: every recogniser bounds its matches with explicit lookarounds on digits or ASCII
letters instead (ENVIRONMENT.md, "Presidio offline").
"""

from __future__ import annotations

import regex as re

from contracts.formats import SHANGHAI_DISTRICTS

#: one CJK unified ideograph (the basic block covers every character of a Chinese name or address)
CJK = r"\u4e00-\u9fff"

#: a number starts here: no digit just before it
NO_DIGIT_BEFORE = r"(?<![0-9])"
#: a number ends here: no digit just after it
NO_DIGIT_AFTER = r"(?![0-9])"
#: an alphanumeric token starts / ends here (card numbers with a letter prefix, e-mail)
NO_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
NO_ALNUM_AFTER = r"(?![0-9A-Za-z])"
#: a digit group separated by one space or hyphen from a neighbouring digit still belongs to it
NO_DIGIT_GROUP_BEFORE = r"(?<![0-9]|[0-9][ \-])"
NO_DIGIT_GROUP_AFTER = r"(?![0-9]|[ \-][0-9])"

#: flags for our patterns: no IGNORECASE (Presidio's default), so ``[A-Z]`` means upper case
FLAGS = re.DOTALL | re.MULTILINE

#: Shanghai's districts: full names, the new district and the old county form
DISTRICT_NAMES: tuple[str, ...] = tuple(
    sorted({*SHANGHAI_DISTRICTS.values(), "崇明县"}, key=len, reverse=True)
)
DISTRICT = "(?:" + "|".join(DISTRICT_NAMES) + ")"

#: provinces and municipalities, for addresses outside Shanghai (户籍地, 原籍)
PROVINCES = (
    "北京市 天津市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 "
    "河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 "
    "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区"
).split()
PROVINCE = "(?:" + "|".join(PROVINCES) + ")"

CN_DIGIT = "零〇一二三四五六七八九十百"


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A non-capturing alternation of literal words, longest first (so 住院病案号 beats 病案号)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def digits_only(text: str) -> str:
    """The digits (and a trailing ``X``) of a number written with spaces or hyphens."""
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx")
