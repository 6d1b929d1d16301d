"""Session 10 of issue #15: what traffic-claim, ER, 长护险 and consent paperwork writes about an
officer, a signer and a family from Malaysia or Thailand (heldout11's misses, as shapes).

Values are made up here (none copied from a benchmark corpus): an officer named by role, a name
signed for someone else or beside a fingerprint, a MyKad, a Thai citizen ID (check digit), a
Buddhist-era date of birth, a 长护险 assessment number, an ER observation number, local Malaysian
and Thai mobiles, Maybank / KBank accounts and a bilibili UID; and the look-alikes beside them (a
badge number, an officer's action with no name, a wrong check digit, a Gregorian visit date).
Values are compared after folding widths, spaces and dashes, as the benchmark does.
"""

from __future__ import annotations

import pytest

from privacy.deid.normalise import fold
from privacy.deid.recognizers.abroad_recognizer import thai_check_digit


def _redacts(deidentifier, text: str, gone: tuple[str, ...], kept: tuple[str, ...]) -> None:
    """Every value of ``gone`` is no longer in the redacted ``text``; every value of ``kept`` still is."""
    out = fold(deidentifier.redact(text).text)
    for value in gone:
        assert fold(value) not in out, (value, out)
    for value in kept:
        assert fold(value) in out, (value, out)


IDENTIFIERS = [
    # an officer named by role, before a badge number or what the officer does
    ("事故认定：交警仪景行（警号012345）出具", ("仪景行",), ("012345", "出具")),
    ("报警后民警宓若谷协助送医", ("宓若谷",), ("协助送医",)),
    ("联合随访：社区民警笪晓岚（警号123456）", ("笪晓岚",), ("123456",)),
    ("陪同：派出所民警欧阳星澜护送来院", ("欧阳星澜",), ("护送来院",)),
    ("事故认定：交警东郭子明（警号054321）出具", ("东郭子明",), ("054321",)),
    # a name signed for someone else, or beside a fingerprint
    ("知情同意书：仪景行代签（儿子）", ("仪景行",), ("儿子",)),
    ("病危通知书签收：宓若谷代（女儿）", ("宓若谷",), ("女儿",)),
    ("签收：笪晓岚（代签）", ("笪晓岚",), ()),
    ("本人签字：仪晓燕（按手印）", ("仪晓燕",), ("按手印",)),
    ("签名：宓志强（捺指印）", ("宓志强",), ()),
    # a Malaysian MyKad, dashed anywhere or after its label
    ("马来西亚身份证（MyKad）：560307-10-5123", ("560307-10-5123",), ()),
    ("MyKad No. 680211145012", ("680211145012",), ()),
    ("（马来西亚籍）IC号码：720415085541", ("720415085541",), ()),
    # a Thai citizen ID: the check digit holds
    ("泰国公民身份证 3 1012 34567 89 3", ("3 1012 34567 89 3",), ()),
    ("（泰籍）身份证号码：1-1007-00123-45-5", ("1-1007-00123-45-5",), ()),
    ("泰国身份证号：5402000987653", ("5402000987653",), ()),
    # a Buddhist-era date of birth (Gregorian + 543)
    ("出生日期：佛历2499年3月7日", ("佛历2499年3月7日",), ()),
    ("生日：07/03/2499", ("07/03/2499",), ()),
    ("出生日期：07/03/B.E.2499", ("07/03/B.E.2499",), ()),
    # a 长护险 assessment number, an ER observation number
    ("长护险受理号：PG3101012024000123", ("PG3101012024000123",), ()),
    ("评估申请号 PG3101042023123456", ("PG3101042023123456",), ()),
    ("留观号：LG202400123  诊断：支气管炎", ("LG202400123",), ("支气管炎",)),
    ("急诊留观号 LG202312345", ("LG202312345",), ()),
    # local Malaysian and Thai mobiles, written with dashes and no country code
    ("女儿仪晓燕 012-345 6789 到场", ("012-345 6789", "仪晓燕"), ("到场",)),
    ("儿子宓志强 081-234-5678 到场", ("081-234-5678", "宓志强"), ()),
    ("侄子 016-7654321", ("016-7654321",), ()),
    # Maybank / KBank accounts after the bank's name
    ("Maybank A/C 1140 1234 5678", ("1140 1234 5678",), ()),
    ("马来亚银行 Maybank 514012345678", ("514012345678",), ()),
    ("KBank A/C 123-4-56789-0", ("123-4-56789-0",), ()),
    # a bilibili UID
    ("B站UID：123456789", ("123456789",), ()),
    ("哔哩哔哩UID 98765432", ("98765432",), ()),
]


@pytest.mark.parametrize(("text", "gone", "kept"), IDENTIFIERS)
def test_round11_identifiers_are_redacted(deidentifier, text, gone, kept):
    _redacts(deidentifier, text, gone, kept)


LOOK_ALIKES = [
    # an officer's action with no name
    ("报警后民警到场处理，交警协助送医", ("到场处理", "协助送医")),
    ("民警接警后到场，交警现场勘查后离开", ("接警后到场", "现场勘查")),
    ("家属代签（儿子）", ("家属代签",)),
    # a grouped 13-digit number whose Thai check digit fails, with no label
    ("批次 3-1012-34567-89-4", ("3-1012-34567-89-4",)),
    # a Gregorian visit date after a birth label's neighbour is not a Buddhist-era date
    ("就诊日期：07/03/2024", ("07/03/2024",)),
    # a dashed number that is no MyKad (month 13)
    ("编号 561307-10-5123", ("561307-10-5123",)),
]


@pytest.mark.parametrize(("text", "kept"), LOOK_ALIKES)
def test_round11_look_alikes_are_kept(deidentifier, text, kept):
    _redacts(deidentifier, text, (), kept)


def test_thai_check_digit():
    # weights 13 … 2 on the first twelve digits, (11 - sum mod 11) mod 10
    assert thai_check_digit("310123456789") == "3"
    assert thai_check_digit("110070012345") == "5"
    assert thai_check_digit("540200098765") == "3"
