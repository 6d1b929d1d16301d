"""Field positions of interchange standards: which field of an HL7 v2 segment, a FHIR resource or
a passport's machine-readable zone holds a person's identifier, and of what kind.

These formats have no labels: what a value is follows from where it stands, as the standard
defines it. The tables here are read from the standards (see docs/deid.md, "Seventh round"):

* **HL7 v2.5** segments (``PID``, ``PD1``, ``NK1``, ``PV1``, ``IN1``, ``IN2``, ``GT1``, ``ORC``,
  ``OBR``, ``OBX``, ``EVN``, ``DG1``, ``MRG``, ``ROL``): field number → data type, and for the
  identifier types (CX, ST) the kind the field holds when the value does not say more. Every XPN
  and XCN field is a person name, every XAD an address, every XTN a phone or e-mail, birth-time TS
  fields a date of birth; a CX's identifier type code (HL7 table 0203) decides its kind before the
  field does. ``MSH`` fields, order and filler numbers (``ORC-2/3``, ``OBR-2/3``), observation
  values and coded fields are not a person's and are recorded as look-alikes.
* **DICOM PS3.6** data elements printed from an image header (``(0010,0010) PN [ZHANG^SAN]``,
  ``PatientBirthDate: 19450222``): the patient module's names, IDs, birth date, address and phones,
  and the physicians' names.
* **ICAO 9303** MRZ: TD3 (passport, 2 × 44), TD2 (2 × 36) and TD1 (card, 3 × 30) layouts — the
  name field, the document number, the date of birth, the optional (personal number) field; the
  date of expiry is the document's and is kept.
"""

from __future__ import annotations

from privacy.deid.entities import (
    ADDRESS,
    BANK_CARD,
    CONTACT_ID,
    DATE_OF_BIRTH,
    EMAIL,
    HOSPITAL_RECORD_NO,
    ID_NUMBER,
    MEDICAL_CARD,
    PERSON,
    PHONE,
    RESIDENT_ID,
)

# --- HL7 v2.5 ------------------------------------------------------------------------------
#: data types of the person-bearing fields; ``ID:<kind>`` is an identifier field (CX, ST, DLN,
#: EI) whose default kind is ``<kind>``; ``KEEP`` a field whose value is recorded as a look-alike
XPN, XCN, XAD, XTN, BIRTH, NDL, KEEP = "XPN", "XCN", "XAD", "XTN", "BIRTH", "NDL", "KEEP"

#: segment → field number → data type (HL7 v2.5, chapters 2–3, 4, 6, 7, 15)
HL7_FIELDS: dict[str, dict[int, str]] = {
    # patient identification: PID-2 patient ID, -3 identifier list, -4 alternate ID, -5 name,
    # -6 mother's maiden name, -7 date/time of birth, -9 alias, -11 address, -13 home phone,
    # -14 business phone, -18 account number, -19 SSN, -20 driver's licence, -21 mother's
    # identifier, -23 birth place
    "PID": {2: "ID:" + HOSPITAL_RECORD_NO, 3: "ID:" + HOSPITAL_RECORD_NO, 4: "ID:" + HOSPITAL_RECORD_NO,
            5: XPN, 6: XPN, 7: BIRTH, 9: XPN, 11: XAD, 13: XTN, 14: XTN, 18: "ID:" + HOSPITAL_RECORD_NO,
            19: "ID:" + ID_NUMBER, 20: "ID:" + ID_NUMBER, 21: "ID:" + ID_NUMBER, 23: ADDRESS},
    # additional demographics: PD1-4 primary care provider
    "PD1": {4: XCN},
    # next of kin / associated parties: -2 name, -4 address, -5/-6 phones, -12 employee number,
    # -16 date of birth, -30 contact person's name, -31 phone, -32 address, -33 identifiers, -37 SSN
    "NK1": {2: XPN, 4: XAD, 5: XTN, 6: XTN, 12: "ID:" + ID_NUMBER, 16: BIRTH, 30: XPN, 31: XTN, 32: XAD,
            33: "ID:" + ID_NUMBER, 37: "ID:" + ID_NUMBER},
    # patient visit: -7 attending, -8 referring, -9 consulting, -17 admitting doctor, -19 visit
    # number, -50 alternate visit ID, -52 other provider
    "PV1": {7: XCN, 8: XCN, 9: XCN, 17: XCN, 19: "ID:" + HOSPITAL_RECORD_NO, 50: "ID:" + HOSPITAL_RECORD_NO,
            52: XCN},
    # insurance: -6 insurer's contact person, -16 name of insured, -18 insured's date of birth,
    # -19 insured's address, -30 verified by, -36 policy number, -49 insured's ID number
    "IN1": {6: XPN, 16: XPN, 18: BIRTH, 19: XAD, 30: XCN, 36: "ID:" + MEDICAL_CARD, 49: "ID:" + MEDICAL_CARD},
    # insurance additional: -1 insured's employee ID, -2 SSN, -6 Medicare card, -8 Medicaid case,
    # -61 patient member number
    "IN2": {1: "ID:" + ID_NUMBER, 2: "ID:" + ID_NUMBER, 6: "ID:" + MEDICAL_CARD, 8: "ID:" + MEDICAL_CARD,
            61: "ID:" + MEDICAL_CARD},
    # guarantor: -2 number, -3 name, -4 spouse, -5 address, -6/-7 phones, -8 date of birth, -12 SSN,
    # -19 employee ID
    "GT1": {2: "ID:" + ID_NUMBER, 3: XPN, 4: XPN, 5: XAD, 6: XTN, 7: XTN, 8: BIRTH, 12: "ID:" + ID_NUMBER,
            19: "ID:" + ID_NUMBER},
    # common order: -2 placer, -3 filler order number (look-alikes); -10 entered by, -11 verified
    # by, -12 ordering provider, -14 call-back phone, -19 action by
    "ORC": {2: KEEP, 3: KEEP, 10: XCN, 11: XCN, 12: XCN, 14: XTN, 19: XCN},
    # observation request: -2/-3 order numbers; -10 collector, -16 ordering provider, -17 call-back
    # phone, -28 result copies to, -32..-35 interpreters and technicians (NDL)
    "OBR": {2: KEEP, 3: KEEP, 10: XCN, 16: XCN, 17: XTN, 28: XCN, 32: NDL, 33: NDL, 34: NDL, 35: NDL},
    # observation: -3 code, -5 value (kept); -16 responsible observer
    "OBX": {3: KEEP, 5: KEEP, 16: XCN},
    # event: -2 recorded time (kept), -5 operator
    "EVN": {2: KEEP, 5: XCN},
    # diagnosis: -3 code (kept), -16 diagnosing clinician
    "DG1": {3: KEEP, 16: XCN},
    # merge: -1 prior identifier list, -2 prior alternate ID, -3 prior account, -5 prior visit,
    # -7 prior name
    "MRG": {1: "ID:" + HOSPITAL_RECORD_NO, 2: "ID:" + HOSPITAL_RECORD_NO, 3: "ID:" + HOSPITAL_RECORD_NO,
            5: "ID:" + HOSPITAL_RECORD_NO, 7: XPN},
    # role: -4 role person, -11 office address, -12 phone
    "ROL": {4: XCN, 11: XAD, 12: XTN},
}
#: segments read (MSH's fields are all the message's: recorded as look-alikes)
HL7_SEGMENTS = ("MSH", *HL7_FIELDS)

#: HL7 table 0203 (identifier type) → kind; a type not here leaves the field's default
CX_TYPES: dict[str, str] = {
    # national and personal document numbers
    "NN": RESIDENT_ID, "NNCHN": RESIDENT_ID, "NI": RESIDENT_ID, "NH": RESIDENT_ID, "CZ": RESIDENT_ID,
    "SS": ID_NUMBER, "SSN": ID_NUMBER, "PPN": ID_NUMBER, "DL": ID_NUMBER, "DR": ID_NUMBER, "PEN": ID_NUMBER,
    "TAX": ID_NUMBER, "EI": ID_NUMBER, "PRC": ID_NUMBER, "BCT": ID_NUMBER,
    # records of the patient at a provider
    "MR": HOSPITAL_RECORD_NO, "PI": HOSPITAL_RECORD_NO, "PT": HOSPITAL_RECORD_NO, "PN": HOSPITAL_RECORD_NO,
    "PRN": HOSPITAL_RECORD_NO, "VN": HOSPITAL_RECORD_NO, "AN": HOSPITAL_RECORD_NO, "AM": HOSPITAL_RECORD_NO,
    "APRN": HOSPITAL_RECORD_NO, "RRI": HOSPITAL_RECORD_NO,
    # health-insurance membership
    "HC": MEDICAL_CARD, "JHN": MEDICAL_CARD, "MA": MEDICAL_CARD, "MC": MEDICAL_CARD, "MCD": MEDICAL_CARD,
    "MCN": MEDICAL_CARD, "MCR": MEDICAL_CARD, "MB": MEDICAL_CARD, "SN": MEDICAL_CARD, "MI": MEDICAL_CARD,
    "INS": MEDICAL_CARD, "HN": MEDICAL_CARD,
    # money
    "BA": BANK_CARD, "BC": BANK_CARD, "BR": BANK_CARD, "BRN": BANK_CARD,
}


def cx_kind(type_code: str, default: str) -> str:
    """The kind of a CX identifier with identifier type ``type_code`` in a field whose default is
    ``default`` (a national-number prefix ``NN…`` is the nation's person number)."""
    code = type_code.strip().upper()
    if code in CX_TYPES:
        return CX_TYPES[code]
    if code.startswith("NN") and len(code) == 5:
        return RESIDENT_ID
    return default


# --- ICAO 9303 MRZ -------------------------------------------------------------------------
_MRZ_WEIGHTS = (7, 3, 1)


def mrz_check_digit(field: str) -> int:
    """ICAO 9303 part 3 check digit: digits as such, A–Z as 10–35, ``<`` as 0, weights 7, 3, 1."""
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            value = ord(ch) - 48
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:
            value = 0
        total += value * _MRZ_WEIGHTS[i % 3]
    return total % 10


# --- ISO 13616 IBAN ------------------------------------------------------------------------
#: IBAN length per country (SWIFT's IBAN registry, the ISO 13616 registration authority)
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def iban_valid(iban: str) -> bool:
    """ISO 13616 / ISO 7064 MOD 97-10: the country's length, and the number (country and check
    digits moved to the end, letters as 10–35) leaves 1 modulo 97."""
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


__all__ = [
    "ADDRESS", "BANK_CARD", "CONTACT_ID", "CX_TYPES", "DATE_OF_BIRTH", "EMAIL", "HL7_FIELDS", "HL7_SEGMENTS",
    "DICOM_KEYWORDS", "DICOM_TAGS", "IBAN_LENGTHS", "PERSON", "PHONE", "cx_kind", "iban_valid", "mrz_check_digit",
]


# --- DICOM PS3.6 ---------------------------------------------------------------------------
#: data element tag (group,element) and keyword → kind, for the patient and the people of a study
#: (PS3.6 data dictionary, group 0010 "Patient" and the physician names of group 0008); accession
#: numbers and UIDs are the study's and are left
DICOM_TAGS: dict[str, str] = {
    "0010,0010": PERSON,  # Patient's Name (PN: family^given)
    "0010,0020": HOSPITAL_RECORD_NO,  # Patient ID
    "0010,0030": DATE_OF_BIRTH,  # Patient's Birth Date
    "0010,0032": DATE_OF_BIRTH,  # Patient's Birth Time
    "0010,1000": HOSPITAL_RECORD_NO,  # Other Patient IDs
    "0010,1001": PERSON,  # Other Patient Names
    "0010,1005": PERSON,  # Patient's Birth Name
    "0010,1040": ADDRESS,  # Patient's Address
    "0010,1060": PERSON,  # Patient's Mother's Birth Name
    "0010,2154": PHONE,  # Patient's Telephone Numbers
    "0010,2155": PHONE,  # Patient's Telecom Information (LT: phones, e-mail, the newer element)
    "0008,0090": PERSON,  # Referring Physician's Name
    "0008,1050": PERSON,  # Performing Physician's Name
    "0008,1060": PERSON,  # Name of Physician(s) Reading Study
    "0008,1070": PERSON,  # Operators' Name
    "0032,1032": PERSON,  # Requesting Physician
}
DICOM_KEYWORDS: dict[str, str] = {
    "PatientName": PERSON, "PatientID": HOSPITAL_RECORD_NO, "PatientBirthDate": DATE_OF_BIRTH,
    "PatientBirthTime": DATE_OF_BIRTH, "OtherPatientIDs": HOSPITAL_RECORD_NO, "OtherPatientNames": PERSON,
    "PatientBirthName": PERSON, "PatientAddress": ADDRESS, "PatientMotherBirthName": PERSON,
    "PatientTelephoneNumbers": PHONE, "PatientTelecomInformation": PHONE,
    "ReferringPhysicianName": PERSON, "PerformingPhysicianName": PERSON,
    "NameOfPhysiciansReadingStudy": PERSON, "OperatorsName": PERSON, "RequestingPhysician": PERSON,
}
