"""Names written partly or wholly in Latin letters, and names reduced to initials.

Round 4. Many Shanghai patients and relatives go by an English given name, written with the Han
surname before or after it or with the surname in pinyin: ``Eric晏``, ``莫Vivian``, ``Andy Tan``,
``Coco NIE``. English given names are a closed class, so a list of the common ones (the given
names popular in English-speaking countries and among Chinese white-collar workers, a few
hundred) decides, not a capital letter alone (which would take ``Hb``, ``Na``, ``CT`` next to a
surname-like character). A listed given name is a name:

* glued to a Han surname (either side, one space allowed): the whole, with the surname;
* followed by a capitalised or all-capitals word (the surname in pinyin or English): both words;
* alone, right after a person cue (``联系人：``, ``家属``, a relative: ``我妻子 Coco``, ``Pt``).

Initials stand for a name on a clinical trial's forms (HHS guidance lists initials among the
identifiers derived from a name): after ``姓名缩写``, ``受试者缩写``, ``Initials`` the two to four
capitals that follow, with or without dots or dashes (``ZJH``, ``Z.J.H.``, ``Y-X-F``).
"""

from __future__ import annotations

import re

from privacy.deid.entities import PERSON
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation

#: common English given names (female and male), as Chinese speakers adopt them
ENGLISH_GIVEN = frozenset(
    """
    Aaron Abby Abel Ada Adam Adrian Aidan Alan Albert Alex Alexander Alexandra Alice Alicia Allen Alvin Amanda
    Amber Amelia Amy Andrew Andy Angela Angel Angelina Angie Ann Anna Anne Annie Anthony April Arthur Ashley
    Athena Audrey Austin Ava Barbara Becky Bella Ben Benjamin Benson Betty Bill Billy Bob Bobby Bonnie Brandon
    Brian Bruce Bryan Calvin Candy Carl Carol Caroline Carrie Catherine Cathy Cecilia Celia Charles Charlie
    Charlotte Chelsea Cherry Chloe Chris Christina Christine Christopher Cindy Claire Clara Coco Colin Connie
    Crystal Cynthia Daisy Daniel Danny David Dennis Derek Diana Diane Dora Doris Dorothy Douglas Dylan Echo
    Eddie Edward Edwin Eileen Elaine Eleanor Elena Eliza Elizabeth Ella Ellen Elsa Emily Emma Eric Erica Esther
    Ethan Eva Evan Evelyn Fiona Flora Florence Frank Freda Frederick Gary Gavin George Gina Gloria Grace Gordon
    Hannah Harry Hazel Heidi Helen Henry Howard Ian Irene Iris Isabel Isabella Ivan Ivy Jack Jackie Jackson
    Jacky Jacqueline Jade Jake James Jamie Jane Janet Jason Jasmine Jay Jean Jeff Jeffrey Jennifer Jenny Jeremy
    Jerry Jessica Jessie Jim Jimmy Joan Joanna Joe Joey John Johnny Jonathan Joseph Josh Joshua Joy Joyce Judy
    Julia Julian Julie June Justin Karen Kate Katherine Kathy Katie Kelly Ken Kenneth Kenny Kevin Kiki Kitty
    Larry Laura Lauren Lawrence Leo Leon Leslie Lily Lina Linda Lisa Louis Louise Lucas Lucy Luke Lulu Luna
    Lydia Lynn Mabel Maggie Mandy Marco Margaret Maria Marie Mark Martin Mary Matthew Max Maxwell May Megan
    Melody Melissa Mia Michael Michelle Mike Miranda Molly Monica Nancy Natalie Nathan Nick Nicole Nina Noah
    Nora Oliver Olivia Oscar Owen Pamela Patrick Patricia Paul Paula Peggy Penny Peter Phoebe Phoenix Polly
    Queenie Rachel Ray Raymond Rebecca Richard Rick Rita Robert Robin Rose Ruby Ryan Sally Sam Samantha Samuel
    Sandy Sara Sarah Scott Selina Serena Sharon Shirley Simon Sophia Sophie Stanley Stella Stephen Steve Steven
    Sue Summer Sunny Susan Sylvia Teresa Terry Tiffany Tim Tina Toby Tom Tommy Tony Tracy Vera Veronica Vicky
    Victor Victoria Vincent Violet Vivian Vivien Wayne Wendy William Willie Winnie Winston Yolanda Yvonne Zoe
    Zoey
    """.split()
)
_GIVEN_RE = re.compile(r"(?:" + alternation(sorted(ENGLISH_GIVEN)) + r")(?![A-Za-z])")
#: a surname in Latin letters after the given name: capitalised or in capitals (Tan, NIE, Ji)
_LATIN_SURNAME = re.compile(r"[ ](?P<s>[A-Z][a-z]{1,9}|[A-Z]{2,8})(?![A-Za-z])")
#: what before a lone English given name makes it a person: a person cue, a relative, a colon
_CUE_BEFORE = re.compile(
    r"(?:联系人|家属|患者|病人|患儿|姓名|签名|医师|医生|护士|代办人|监护人|委托人|陪护|经办|"
    r"丈夫|妻子|爱人|儿子|女儿|母亲|父亲|孙子|孙女|儿媳|女婿|哥哥|姐姐|弟弟|妹妹|侄子|侄女|外甥女?|"
    r"Pt|Patient|Contact|Attending|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Name)[ ]?[:：]?[ ]{0,2}$"
)
#: words that are English given names but also mean something in a note (kept out of the lone case)
_ALSO_WORDS = frozenset("May June April Summer Sunny Echo Max Joy Grace Rose Ruby Lily Will Bill Mark Ray Jade Crystal Angel Amber".split())
#: initials after a label of initials (姓名缩写：ZJH, Initials: Z.J.H., 受试者缩写 Y-X-F)
_INITIALS = re.compile(
    r"(?:姓名缩写|姓名首字母|名字缩写|受试者缩写|受试者姓名缩写|患者缩写|患者姓名缩写|姓名拼音缩写|拼音缩写|缩写|"
    r"[Ii]nitials|INITIALS|Subject [Ii]nitials|Pt [Ii]nitials|Patient [Ii]nitials)"
    r"[ ]?(?:\([^()]{1,8}\))?[ ]?[:=]?[ \t]{0,3}(?P<v>[A-Z](?:[.\-·]?[ ]?[A-Z]){1,4}\.?)(?![A-Za-z])"
)


#: after a name field's label and colon, initials stand for the name (姓名：ZJH, 受试者：Z.J.H.)
_FIELD_INITIALS = re.compile(
    r"(?:姓名|受试者|患者姓名|受试者姓名|Name|Subject)[ ]?[:：=][ \t]{0,3}(?P<v>[A-Z](?:[.\-]?[A-Z]){1,3}\.?)(?=[ \t\n,，;；)]|$)"
)
#: after a person cue, any capitalised Latin given name with a Han surname (患者Kobe陈, 家属 钱Ashlyn),
#: listed or not; the Han character must be a surname
_CUED_MIXED = re.compile(
    r"(?:姓名|患者|病人|患儿|家属|联系人|监护人|委托人|代办人|陪护|签名|受试者|丈夫|妻子|爱人|儿子|女儿|母亲|父亲|儿媳|"
    r"女婿|侄子|侄女|外甥女?|孙子|孙女|Pt|Patient|Contact)[ ]?[:：]?[ ]{0,2}"
    r"(?P<v>[A-Z][a-z]{1,12}[ ]?(?P<s1>[\u4e00-\u9fff])|(?P<s2>[\u4e00-\u9fff])[ ]?[A-Z][a-z]{1,12}(?![A-Za-z]))"
)


#: a person's title right after a given name (Linda护士, Kevin医生, Amy 老师)
_TITLE_AFTER = re.compile(
    r"[ ]?(?:护士长|护士|护师|医生|医师|主任|主治|大夫|老师|教授|院长|药师|技师|阿姨|师傅|先生|女士|小姐|同学|宝宝)"
)


class EnglishNameRecognizer(Recognizer):
    """English given names with a Han or Latin surname; initials after a label of initials."""

    name = "EnglishNameRecognizer"
    entities = (PERSON,)

    def __init__(self) -> None:
        from privacy.deid.name_model import SURNAMES
        from privacy.deid.surnames import all_single

        self._surnames = frozenset(SURNAMES) | all_single()

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        if "缩写" in text or "nitials" in text or "INITIALS" in text:
            hits += [self.hit(*m.span("v"), score=0.85, labelled=True) for m in _INITIALS.finditer(text)]
        if "姓名" in text or "受试者" in text or "Name" in text or "Subject" in text:
            hits += [self.hit(*m.span("v"), score=0.8, labelled=True) for m in _FIELD_INITIALS.finditer(text)]
        for m in _CUED_MIXED.finditer(text):
            latin = "".join(ch for ch in m.group("v") if ch.isascii() and ch.isalpha())
            if len(latin) < 3 and latin not in ENGLISH_GIVEN:
                continue  # Hb, Na, Cr: a lab's abbreviation, not a name
            if (m.group("s1") or m.group("s2")) in self._surnames:
                hits.append(self.hit(*m.span("v"), score=0.8))
        for m in _GIVEN_RE.finditer(text):
            start, end = m.span()
            if start and text[start - 1].isascii() and text[start - 1].isalpha():
                continue  # inside a word
            n = len(text)
            # a Han surname glued before it (莫Vivian, 濮 Eric)
            before = start - 1 if start and text[start - 1] != " " else start - 2
            if before >= 0 and text[before] in self._surnames and (before == 0 or not _is_han(text[before - 1]) or _soft(text, before)):
                hits.append(self.hit(before, end, score=0.8))
                continue
            # a Han surname glued after it (Eric晏, Amy 储)
            after = end if end < n and text[end] != " " else end + 1
            if after < n and text[after] in self._surnames:
                hits.append(self.hit(start, after + 1, score=0.8))
                continue
            latin = _LATIN_SURNAME.match(text, end)
            if latin is not None and latin.group("s") not in _NOT_SURNAMES:
                hits.append(self.hit(start, latin.end(), score=0.75))
                continue
            if _TITLE_AFTER.match(text, end) and m.group() not in _ALSO_WORDS:
                hits.append(self.hit(start, end, score=0.75))  # Linda护士, Tony 主任
                continue
            if m.group() not in _ALSO_WORDS and _CUE_BEFORE.search(text, max(0, start - 8), start):
                hits.append(self.hit(start, end, score=0.7))
        return hits


#: capitalised words after a given name that are not its surname (Eric Hospital, Grace Road)
_NOT_SURNAMES = frozenset(
    "Hospital Road Rd Street St District Lane Avenue Clinic Center Centre Building Room Tel Phone Email ID DOB "
    "The And For With From Is Was Has Had Will Can To In On At Of By CT MRI ICU ECG BP HR".split()
)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _soft(text: str, i: int) -> bool:
    """The Han character before a surname ends a cue or a relative's word (我丈夫 储Frank, 家属骆Joyce)."""
    return text[max(0, i - 2) : i] in _SOFT_PAIRS or text[i - 1] in "属人名是叫"


_SOFT_PAIRS = frozenset(
    "丈夫 妻子 爱人 儿子 女儿 母亲 父亲 孙子 孙女 儿媳 女婿 哥哥 姐姐 弟弟 妹妹 侄子 侄女 外甥 甥女 家属 患者 病人 患儿 "
    "老伴 朋友 同事 我是".split()
)
