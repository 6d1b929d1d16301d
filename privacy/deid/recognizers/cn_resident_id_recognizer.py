"""居民身份证号码 (resident identity card number): GB 11643 18-digit and the pre-1999 15-digit form.

Found by shape anywhere, no label needed: the 18-digit form must have a real birth date and the
GB 11643 check character (an order number or barcode of 18 digits passes that by chance about
once in a few hundred times); the 15-digit form (issued before 1999, GB 11643-1989: 6-digit region,
YYMMDD, 3-digit sequence, no check digit) must start with a province code and hold a real date.
A masked ID (``310104********4211``) is left: it identifies no one. After an ID label any number is the
ID whatever its shape (:mod:`~privacy.deid.recognizers.cn_labelled_number_recognizer`).
"""

from __future__ import annotations

import re
from datetime import date

from contracts.formats import is_valid_resident_id
from privacy.deid.entities import RESIDENT_ID
from privacy.deid.recognizers.base import AFTER_FIRST_NO_ALNUM, NO_ALNUM_AFTER, Doc, Hit, Recognizer

#: the province-level codes of GB/T 2260 (first two digits of a region code)
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_ID18 = re.compile(rf"[1-9]{AFTER_FIRST_NO_ALNUM}[0-9]{{5}}(?:18|19|20)[0-9]{{2}}[01][0-9][0-3][0-9][0-9]{{3}}[0-9Xx]{NO_ALNUM_AFTER}")
_ID15 = re.compile(rf"[1-9]{AFTER_FIRST_NO_ALNUM}[0-9]{{5}}[0-9]{{2}}[01][0-9][0-3][0-9][0-9]{{3}}{NO_ALNUM_AFTER}")


#: a Taiwan identity card number (身分證字號): a letter for the place of registration, 1/2 for
#: the sex (8/9 on the 2021 resident certificate), seven digits and a check digit
_TW_ID = re.compile(rf"[A-Z]{AFTER_FIRST_NO_ALNUM}[1289][0-9]{{8}}{NO_ALNUM_AFTER}")
#: a Hong Kong identity card number: one or two letters, six digits, the check digit (0-9 or A) in brackets
_HK_ID = re.compile(rf"[A-Z]{AFTER_FIRST_NO_ALNUM}[A-Z]?[0-9]{{6}}[ ]?\(?[0-9A]\)?(?![0-9A-Za-z])")
#: the 2004-edition foreign permanent resident ID card (外国人永久居留证, 15 characters: the holder's
#: nationality as ISO 3166-1 alpha-3, then 12 digits opening with the issuing province's code),
#: still valid beside the 2023 card (18 digits, which the GB 11643 pattern reads)
_FOREIGN_PR = re.compile(rf"[A-Z]{AFTER_FIRST_NO_ALNUM}[A-Z]{{2}}[0-9]{{12}}{NO_ALNUM_AFTER}")
#: a Macau resident identity card (BIR) as it is printed: the first digit (1, 5 or 7: where and
#: when it was issued), six digits and the check digit, set off by slashes (1/234567/8) or the
#: check digit in brackets (1234567(8)); the slashed form is read without a label
_MACAU_ID = re.compile(rf"[1578]{AFTER_FIRST_NO_ALNUM}/[0-9]{{6}}/[0-9](?![0-9A-Za-z/])")
#: ISO 3166-1 alpha-3 country codes
ISO_ALPHA3 = frozenset(
    "AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BMU BTN BOL "
    "BES BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR CCK COL COM COG COD COK CRI "
    "CIV HRV CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FLK FRO FJI FIN FRA GUF PYF ATF GAB "
    "GMB GEO DEU GHA GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY HTI HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL "
    "IMN ISR ITA JAM JPN JEY JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS "
    "MDV MLI MLT MHL MTQ MRT MUS MYT MEX FSM MDA MCO MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA "
    "NIU NFK MKD MNP NOR OMN PAK PLW PSE PAN PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA "
    "MAF SPM VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE "
    "SYR TWN TJK TZA THA TLS TGO TKL TON TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT VEN VNM VGB "
    "VIR WLF ESH YEM ZMB ZWE XKX".split()
)
_TW_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def valid_taiwan(value: str) -> bool:
    """The check digit of a Taiwan identity number (letter → two digits, weights 1 9 8 7 … 1)."""
    code = _TW_LETTERS.get(value[0])
    if code is None or len(value) != 10 or not value[1:].isdigit():
        return False
    digits = [code // 10, code % 10, *map(int, value[1:])]
    weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def valid_hongkong(value: str) -> bool:
    """The check digit of a Hong Kong identity card number (weights 9 … 2 with a space as 36, MOD 11)."""
    core = "".join(ch for ch in value if ch.isalnum())
    letters, rest = (core[:2], core[2:]) if core[1].isalpha() else (" " + core[0], core[1:])
    if len(rest) != 7 or not rest[:6].isdigit():
        return False
    values = [36 if ch == " " else ord(ch) - 55 for ch in letters] + [int(ch) for ch in rest[:6]]
    check = (11 - sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True)) % 11) % 11
    return rest[6] == ("A" if check == 10 else str(check))


def valid_15(value: str) -> bool:
    """A 15-digit ID: a province code and a real YYMMDD (19YY) birth date."""
    if len(value) != 15 or not value.isdigit() or value[:2] not in PROVINCE_CODES:
        return False
    try:
        date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return False
    return True


class CnResidentIdRecognizer(Recognizer):
    """18-digit IDs with a valid check character, 15-digit IDs with a valid province and date."""

    name = "CnResidentIdRecognizer"
    entities = (RESIDENT_ID,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        # a valid check character and birth date is proof enough even after a look-alike label
        # (条码, 流水号): one number in a few hundred passes both by chance
        hits = [self.hit(m, score=0.95, labelled=True) for m in _ID18.finditer(text) if is_valid_resident_id(m.group())]
        hits += [self.hit(m, score=0.75) for m in _ID15.finditer(text) if valid_15(m.group())]
        hits += [self.hit(m, score=0.75) for m in _TW_ID.finditer(text) if valid_taiwan(m.group())]
        hits += [self.hit(m, score=0.75) for m in _HK_ID.finditer(text) if "(" in m.group() and valid_hongkong(m.group())]
        hits += [self.hit(m, score=0.75) for m in _FOREIGN_PR.finditer(text)
                 if m.group()[:3] in ISO_ALPHA3 and m.group()[3:5] in PROVINCE_CODES]
        if "/" in text:
            hits += [self.hit(m, score=0.7) for m in _MACAU_ID.finditer(text) if text[max(0, m.start() - 1)] != "/"]
        return hits
