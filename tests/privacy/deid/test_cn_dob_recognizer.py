"""CnDateOfBirthRecognizer: dates of birth in every common written form, next to their labels."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected_positions"),
    [
        ("出生日期：1985-03-12", [(5, 15)]),
        ("DOB: 1931-03-03，", [(5, 15)]),
        ("dob 12/03/1985", [(4, 14)]),
        ("出生：1956/2/1  社保卡号", [(3, 11)]),
        ("出生日期：1980.02.29", [(5, 15)]),
        ("出生：19360708 病案号", [(3, 11)]),
        ("生日：1956年03月15日", [(3, 14)]),
        ("生于一九八二年三月二十七日 ID", [(2, 13)]),
        ("出生年月：1969年3月", [(5, 12)]),
        ("出生于 1985/3/12", [(4, 13)]),
        # a birth word after the date
        ("性别：男  1953.09.11出生  户籍", [(6, 16)]),
        ("20030112生  手机", [(0, 8)]),
        ("85年3月12日生", [(0, 8)]),
        # dates that are not births: visits, reports, 生化 and 生活
        ("入院日期：2022年12月12日", []),
        ("2024-03-15复诊，生化检查2024年3月", []),
        ("2023年1月生活可自理", []),
        ("年龄：58岁", []),
        # a year of birth alone is not a date of birth (round 5: it is what generalisation keeps)
        ("患者1985年出生", []),
        ("生于1937年，退休", []),
    ],
)
def test_date_of_birth(find, text, expected_positions):
    assert find(text, "DATE_OF_BIRTH") == expected_positions
