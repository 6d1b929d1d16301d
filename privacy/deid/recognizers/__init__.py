"""One recogniser per Chinese identifier, each in its own module.

:func:`default_recognizers` is the list the :class:`~privacy.deid.engine.Deidentifier` runs, in
order: the labelled-number recogniser first, because it marks the numbers after look-alike labels
that the shape-only recognisers must leave alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from privacy.deid.recognizers.base import Recognizer

#: module path → class name, in the order they run (imported only when the engine is built)
RECOGNIZERS: tuple[tuple[str, str], ...] = (
    ("privacy.deid.recognizers.cn_labelled_number_recognizer", "CnLabelledNumberRecognizer"),
    # session 10: what registers, slips and forms lay out (V-net short numbers, home-bed numbers, names
    # beside job numbers; POS-slip and venue-code look-alikes); early, so its look-alikes are recorded
    ("privacy.deid.recognizers.paperwork_recognizer", "PaperworkRecognizer"),
    # session 10 (heldout10): work-group @-mentions, 王老 / 王导 / 王博 / 王师兄, Singapore NRIC / FIN,
    # herbal-pharmacy houses (look-alikes)
    ("privacy.deid.recognizers.chat_recognizer", "ChatRecognizer"),
    # session 10 (heldout11): officers named by role, proxy / fingerprint signatures, MyKad, Thai IDs,
    # Buddhist-era dates of birth, local Malaysian / Thai mobiles and accounts
    ("privacy.deid.recognizers.abroad_recognizer", "AbroadRecognizer"),
    ("privacy.deid.recognizers.structured_field_recognizer", "StructuredFieldRecognizer"),
    ("privacy.deid.recognizers.interchange_recognizer", "InterchangeRecognizer"),
    ("privacy.deid.recognizers.fhir_recognizer", "FhirRecognizer"),
    ("privacy.deid.recognizers.cn_resident_id_recognizer", "CnResidentIdRecognizer"),
    ("privacy.deid.recognizers.cn_phone_recognizer", "CnPhoneRecognizer"),
    ("privacy.deid.recognizers.cn_bank_card_recognizer", "CnBankCardRecognizer"),
    ("privacy.deid.recognizers.cn_medical_card_recognizer", "CnMedicalCardRecognizer"),
    ("privacy.deid.recognizers.cn_dob_recognizer", "CnDateOfBirthRecognizer"),
    ("privacy.deid.recognizers.email_recognizer", "AsciiEmailRecognizer"),
    ("privacy.deid.recognizers.contact_id_recognizer", "ContactIdRecognizer"),
    ("privacy.deid.recognizers.cn_person_name_recognizer", "CnPersonNameRecognizer"),
    ("privacy.deid.recognizers.pinyin_name_recognizer", "PinyinNameRecognizer"),
    ("privacy.deid.recognizers.english_name_recognizer", "EnglishNameRecognizer"),
    ("privacy.deid.recognizers.labelled_name_recognizer", "LabelledNameRecognizer"),
    ("privacy.deid.recognizers.message_layout_recognizer", "MessageLayoutRecognizer"),
    ("privacy.deid.recognizers.cn_address_recognizer", "CnAddressRecognizer"),
    ("privacy.deid.recognizers.cn_institution_recognizer", "CnInstitutionRecognizer"),
)


def default_recognizers() -> list[Recognizer]:
    """A fresh instance of every recogniser in :data:`RECOGNIZERS`."""
    import importlib

    return [getattr(importlib.import_module(mod), cls)() for mod, cls in RECOGNIZERS]
