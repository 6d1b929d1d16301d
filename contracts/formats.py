"""Formats of Chinese medical-insurance identifiers and codes: one definition for all of medshare.

The simulator generates with these, the contract validator checks with them, the Presidio
recognisers find identifiers in free text with them and the generaliser reads regions from them.
Regexes carry no ``^``/``$`` so recognisers can embed them; use :func:`fullmatch` helpers to check
a whole value.
"""

from __future__ import annotations

import re
from datetime import date
from operator import mul

# --- resident identity card number (居民身份证号码), GB 11643-1999 -----------------------------
_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB11643_CHECK = "10X98765432"
RESIDENT_ID = r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"

#: Shanghai county-level region codes (行政区划代码) and district names
SHANGHAI_DISTRICTS: dict[str, str] = {
    "310101": "黄浦区",
    "310104": "徐汇区",
    "310105": "长宁区",
    "310106": "静安区",
    "310107": "普陀区",
    "310109": "虹口区",
    "310110": "杨浦区",
    "310112": "闵行区",
    "310113": "宝山区",
    "310114": "嘉定区",
    "310115": "浦东新区",
    "310116": "金山区",
    "310117": "松江区",
    "310118": "青浦区",
    "310120": "奉贤区",
    "310151": "崇明区",
}


#: the weighted sum of 17 ASCII zeros ("0" is byte 48), subtracted from a sum over the bytes
_GB11643_ZERO = 48 * sum(_GB11643_WEIGHTS)


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits.

    ASCII digits are weighted straight from their bytes (one ``map`` in C, about 5x faster than
    ``int()`` per digit: every resident ID on the stream is checked); other Unicode digits, which
    ``str.isdigit`` also accepts, take the slow path with the same result.
    """
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    if first17.isascii():
        total = sum(map(mul, first17.encode("ascii"), _GB11643_WEIGHTS)) - _GB11643_ZERO
    else:
        total = sum(int(d) * w for d, w in zip(first17, _GB11643_WEIGHTS, strict=True))
    return _GB11643_CHECK[total % 11]


def is_valid_resident_id(value: str) -> bool:
    """Shape, a real calendar birth date, and the GB 11643 check digit."""
    if not isinstance(value, str) or not re.fullmatch(RESIDENT_ID, value):
        return False
    try:
        resident_id_birth_date(value)
    except ValueError:
        return False
    return resident_id_check_char(value[:17]) == value[17].upper()


def resident_id_birth_date(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def resident_id_gender(value: str) -> str:
    """``M`` or ``F`` from the sequence digit (odd: male)."""
    return "M" if int(value[16]) % 2 == 1 else "F"


def resident_id_region(value: str) -> str:
    return value[:6]


# --- phones ---------------------------------------------------------------------------------
MOBILE = r"1[3-9]\d{9}"
#: Shanghai landline, with or without the 021 area code
LANDLINE = r"(?:021-?)?[2-9]\d{7}"


def is_mobile(value: str) -> bool:
    return isinstance(value, str) and re.fullmatch(MOBILE, value) is not None


# --- cards and platform numbers -------------------------------------------------------------
#: 医保个人编号 (platform person number) as the simulated platform issues it
PERSON_NO = r"3100\d{12}"
#: 社会保障卡卡号 (social-security card number)
CARD_NO = r"[A-Z]\d{8}"
#: bank card: 16-19 digits with a Luhn check
BANK_CARD = r"[3-6]\d{15,18}"


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the Luhn check digit that makes it valid."""
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")


# --- codes ----------------------------------------------------------------------------------
#: ICD-10 (with the 医保版 extension digits): A00, E11.9, I10.x00
ICD10 = r"[A-Z]\d{2}(?:\.[0-9A-Za-z]{1,4})?"
#: 定点医药机构编码: H + 6-digit region + 5 digits
INSTITUTION_CODE = r"H\d{11}"
#: 国家医保药品编码: X (western) or Z (Chinese patent medicine) + 22 characters
DRUG_CODE = r"[XZ][A-Z0-9]{22}"
#: 国家医保医用耗材编码: C + 19 digits
DEVICE_CODE = r"C\d{19}"
#: 医疗服务项目编码
SERVICE_CODE = r"\d{9}"
DATE = r"\d{4}-\d{2}-\d{2}"


def fullmatch(pattern: str, value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


# --- added for the contract validator (issue 4): times and field-level ciphertexts -------------
#: ISO 8601 date-time with seconds and an explicit offset: ``2026-03-05T10:21:07+08:00``
DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})"
#: a field-level ciphertext as ``privacy/crypto.py`` defines it:
#: ``mse1.<key_id>.<version>.<wrapped: 80 bytes>.<nonce: 12 bytes>.<ciphertext+tag: >= 32 bytes>``,
#: the last three base64url without padding
ENVELOPE = r"mse1\.[a-z0-9][a-z0-9_-]{0,31}\.[1-9][0-9]{0,8}\.[A-Za-z0-9_-]{107}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43,}"


def is_valid_date(value: object) -> bool:
    """``YYYY-MM-DD`` naming a real calendar day."""
    if not fullmatch(DATE, value):
        return False
    try:
        date.fromisoformat(value)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def is_valid_datetime(value: object) -> bool:
    """:data:`DATETIME` naming a real instant (month 13 or hour 25 fail)."""
    from datetime import datetime

    if not fullmatch(DATETIME, value):
        return False
    try:
        datetime.fromisoformat(value)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


# --- the national medical-insurance platform interface (issue 18, docs/platform-interface.md) -----
#: 人员编号 psn_no and the platform's ids (setl_id 结算ID, mdtrt_id 就诊ID): 字符型 30 in the interface
PLATFORM_ID = r"[0-9A-Za-z]{1,30}"
#: ICD-10 医保版 2.0 diagnosis: category, a 3-character subcategory (digits or ``x``) and optionally
#: an ``x`` + 3-digit extension: ``E11.900``, ``C34.900x001``, ``I10.x00x002``
ICD10_CHS = r"[A-Z][0-9]{2}(?:\.[0-9x][0-9x]{0,2}(?:x[0-9]{3})?)?"
#: 医保版 ICD-9-CM-3 operation: 2-digit category, up to 4 more digits, optional ``x`` extension
#: (``36.0600``, ``81.5100x001``)
ICD9CM3_CHS = r"[0-9]{2}(?:\.[0-9]{1,4}(?:x[0-9]{3})?)?"
#: 中医病证 (TCM disease / syndrome) codes: shape only (a letter, then letters, digits and dots)
TCM_DIAG = r"[A-Z][0-9A-Z]{1,5}(?:\.[0-9A-Z]{1,3}){0,4}"
#: 国家医保药品编码, 西药: ``X`` + 22 (``XA01ABD075A002010100483``)
WEST_DRUG_CODE = r"X[A-Z0-9]{22}"
#: 国家医保药品编码, 中成药: ``Z`` + 19..22 (20 characters seen in practice)
TCM_PATENT_CODE = r"Z[A-Z0-9]{19,22}"
#: 中药饮片 (herbal pieces): ``T`` + letters/digits; shape only
HERB_CODE = r"T[A-Z0-9]{6,22}"
#: 医疗服务项目分类与代码: 15 digits (``001216000010100``)
SERVICE_CODE_15 = r"[0-9]{15}"
#: 医保医用耗材编码: ``C`` + 19 digits (20 characters)
CONSUMABLE_CODE = DEVICE_CODE
#: 定点医疗机构 (hospital) ``H`` and 定点零售药店 (pharmacy) ``P`` + 6-digit region + 5 digits
HOSPITAL_CODE = r"H[0-9]{11}"
PHARMACY_CODE = r"P[0-9]{11}"
FIXMEDINS_CODE = r"[HP][0-9]{11}"
#: the interface's date-time: ``yyyy-MM-dd HH:mm:ss``, China Standard Time without an offset
INTERFACE_DATETIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
#: any code ``med_list_codg`` may hold (rule ``code-by-category`` pins which by med_chrgitm_type)
MED_LIST_CODE = f"(?:{WEST_DRUG_CODE}|{TCM_PATENT_CODE}|{HERB_CODE}|{SERVICE_CODE_15}|{CONSUMABLE_CODE})"


#: the same in ASCII digits only (``\\d`` also matches other scripts' digits, which strptime read as
#: numbers: ``٢٠٢٦-03-05 10:21:07`` passed)
_INTERFACE_DATETIME_ASCII = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


#: a real calendar day ``YYYY-MM-DD`` in ASCII digits, as one regex: months of 31 and of 30 days,
#: February to the 28th, and the 29th in leap years (divisible by 4 and not by 100, or by 400); year
#: 0000 does not exist. ``tests/contracts/test_contracts_formats_exact.py`` proves it equal to
#: ``date.fromisoformat`` on the shape.
CALENDAR_DATE = (r"(?:(?!0000)[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
                 r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
                 r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)")
#: exactly the values :func:`is_valid_interface_datetime` accepts, as one regex (for a regex engine
#: in C: the contract fast path hands it to msgspec instead of calling the function per value)
INTERFACE_DATETIME_EXACT = rf"{CALENDAR_DATE} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"


def is_valid_interface_datetime(value: object) -> bool:
    """:data:`INTERFACE_DATETIME` in ASCII digits naming a real date and time.

    ``datetime.fromisoformat`` decides the calendar once the shape is fixed (it reads exactly this
    shape as ``strptime("%Y-%m-%d %H:%M:%S")`` does, 1.6 µs instead of 11.6: a v2 settlement has one date-time
    per fee line, and strptime was 40 % of its contract check).
    """
    from datetime import datetime

    if not isinstance(value, str) or _INTERFACE_DATETIME_ASCII.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
