"""Bank card numbers (银行卡号): 16–19 digits that pass the Luhn check."""

from __future__ import annotations

import re

from contracts.formats import PERSON_NO, fullmatch, luhn_ok
from privacy.deid.entities import BANK_CARD
from privacy.deid.recognizers.base import AFTER_FIRST_NO_ALNUM, NO_ALNUM_AFTER, Doc, Hit, Recognizer

_CARD = re.compile(rf"[1-9]{AFTER_FIRST_NO_ALNUM}[0-9]{{15,18}}{NO_ALNUM_AFTER}")
#: an American Express card: 15 digits from 34 or 37 (printed 4-6-5, joined by normalisation)
_AMEX = re.compile(rf"3{AFTER_FIRST_NO_ALNUM}[47][0-9]{{13}}{NO_ALNUM_AFTER}")
#: a Diners Club card: 14 digits from 300–305, 36, 38 or 39 (printed 4-6-4)
_DINERS = re.compile(rf"3{AFTER_FIRST_NO_ALNUM}(?:0[0-5]|[689][0-9])[0-9]{{11}}{NO_ALNUM_AFTER}")


class CnBankCardRecognizer(Recognizer):
    """A card number of 16–19 digits (American Express: 15 from 34 or 37; Diners Club: 14 from 300–305,
    36, 38, 39) with a valid Luhn digit, anywhere.

    Normalisation has already joined numbers printed in groups of four. Luhn passes one random
    number in ten, so an invoice or order number of that length may be taken for a card: numbers
    after look-alike labels (``发票号``, ``订单号``) are protected by the engine, and the platform's
    16-digit person numbers (``3100…``) are left to the medical-card recogniser.
    """

    name = "CnBankCardRecognizer"
    entities = (BANK_CARD,)

    def find(self, doc: Doc) -> list[Hit]:
        hits = []
        for m in _CARD.finditer(doc.text):
            digits = m.group()
            if luhn_ok(digits) and not fullmatch(PERSON_NO, digits):
                hits.append(self.hit(m, score=0.8 if digits[0] in "3456" else 0.6))
        hits += [self.hit(m, score=0.7) for m in _AMEX.finditer(doc.text) if luhn_ok(m.group())]
        hits += [self.hit(m, score=0.7) for m in _DINERS.finditer(doc.text) if luhn_ok(m.group())]
        return hits
