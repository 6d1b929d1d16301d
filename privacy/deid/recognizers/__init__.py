"""One Presidio recogniser per Chinese identifier, each in its own module.

:func:`default_recognizers` is the registry the :class:`~privacy.deid.engine.Deidentifier` loads;
``known_names_recognizer`` is built per record (the settlement's ``name`` field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer

#: module path → class name, in registration order (imported only when the engine is built)
RECOGNIZERS: tuple[tuple[str, str], ...] = (
    ("privacy.deid.recognizers.cn_resident_id_recognizer", "CnResidentIdRecognizer"),
    ("privacy.deid.recognizers.cn_phone_recognizer", "CnPhoneRecognizer"),
    ("privacy.deid.recognizers.cn_bank_card_recognizer", "CnBankCardRecognizer"),
    ("privacy.deid.recognizers.cn_medical_card_recognizer", "CnMedicalCardRecognizer"),
    ("privacy.deid.recognizers.cn_hospital_record_recognizer", "CnHospitalRecordRecognizer"),
    ("privacy.deid.recognizers.email_recognizer", "AsciiEmailRecognizer"),
    ("privacy.deid.recognizers.cn_person_name_recognizer", "CnPersonNameRecognizer"),
    ("privacy.deid.recognizers.cn_address_recognizer", "CnAddressRecognizer"),
    ("privacy.deid.recognizers.cn_institution_recognizer", "CnInstitutionRecognizer"),
)


def default_recognizers() -> list[EntityRecognizer]:
    """A fresh instance of every recogniser in :data:`RECOGNIZERS`."""
    import importlib

    return [getattr(importlib.import_module(mod), cls)() for mod, cls in RECOGNIZERS]
