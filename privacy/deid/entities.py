"""The entity types the de-identifier finds; ``<TYPE>`` is what replaces each of them."""

from __future__ import annotations

RESIDENT_ID = "RESIDENT_ID"
PHONE = "PHONE"
BANK_CARD = "BANK_CARD"
MEDICAL_CARD = "MEDICAL_CARD"
HOSPITAL_RECORD_NO = "HOSPITAL_RECORD_NO"
#: a number after an identifier label that names no kind we know (``电子凭证号``), or one the
#: residual check still found after redaction
ID_NUMBER = "ID_NUMBER"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
EMAIL = "EMAIL"
#: an instant-messaging or social account after its label (QQ号, 微信, WeChat, VX…): reaches the
#: person as surely as a phone number
CONTACT_ID = "CONTACT_ID"
PERSON = "PERSON"
ADDRESS = "ADDRESS"
INSTITUTION = "INSTITUTION"

#: every type, in the order reports list them (direct identifiers first)
ENTITY_TYPES: tuple[str, ...] = (
    RESIDENT_ID,
    PHONE,
    BANK_CARD,
    MEDICAL_CARD,
    HOSPITAL_RECORD_NO,
    ID_NUMBER,
    DATE_OF_BIRTH,
    EMAIL,
    CONTACT_ID,
    PERSON,
    ADDRESS,
    INSTITUTION,
)

#: what a de-identifier finds unless told otherwise: every direct identifier. INSTITUTION is not
#: one (the lab keeps institution_code, and hospital names are what notes are about); a
#: de-identifier built with ``entities=[..., INSTITUTION]`` redacts hospital names as well
DEFAULT_ENTITIES: tuple[str, ...] = tuple(t for t in ENTITY_TYPES if t != INSTITUTION)

#: the language code the analyzer runs under (a blank Chinese spaCy pipeline, see nlp_engine.py)
LANGUAGE = "zh"
