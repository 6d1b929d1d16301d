"""The entity types the de-identifier finds; ``<TYPE>`` is what replaces each of them."""

from __future__ import annotations

RESIDENT_ID = "RESIDENT_ID"
PHONE = "PHONE"
BANK_CARD = "BANK_CARD"
MEDICAL_CARD = "MEDICAL_CARD"
HOSPITAL_RECORD_NO = "HOSPITAL_RECORD_NO"
EMAIL = "EMAIL"
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
    EMAIL,
    PERSON,
    ADDRESS,
    INSTITUTION,
)

#: the language code the analyzer runs under (a blank Chinese spaCy pipeline, see nlp_engine.py)
LANGUAGE = "zh"
