"""The de-identifier: platform records become lab records with no direct identifier.

A settlement keeps what the lab's analyses need, generalised: a keyed pseudonym of the person
(HMAC with the lab project's secret, never a plain hash), the settlement time truncated to the
hour, age band and district instead of birth date and ID, length of stay instead of dates. A note
keeps its text with every identifier the de-identifier finds replaced by its type tag
(``privacy.deid``). Every identifier the platform holds for the person — name, resident ID, phone,
card and person numbers, address, from their settlements, which share the partition — is looked
for too, in any form (full-width, spaced, masked, partial): the processor remembers them as keyed
digests in the state database (``privacy.deid.memory``), so the memory survives restarts and
partition moves and holds no plaintext identifier at rest.

Fail closed: after redaction the residual-risk check (``privacy.deid.residual``) scans the note
again; a note with anything still shaped like an identifier goes to quarantine with the rule and
offsets that failed, never to the lab. The output is also checked against the lab contract before
it leaves; a record that fails goes to quarantine, not to the lab.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from medshare import topics as t
from medshare.config import Settings, settings
from medshare.envelope import Outgoing
from streams.common import ContractCheck, Quarantiner, event_id
from streams.runtime import Counters, Rejected

ITEM_FIELDS = ("item_code", "category", "catalogue_class", "special_drug", "quantity", "amount", "self_expense")


class Deidentifier:
    """Platform record -> lab record (no Kafka; tests call it directly)."""

    def __init__(self, cfg: Settings | None = None, memory=None) -> None:
        from privacy.deid.memory import PersonMemory
        from privacy.pseudonym import Pseudonymiser

        self.cfg = cfg or settings()
        self.pseudo = Pseudonymiser.for_project("lab", cfg=self.cfg)
        #: the identifiers each person's settlements named, as keyed digests (state database)
        self.memory = memory or PersonMemory.open(self.cfg)
        self._deid = None

    def _text_deid(self):
        if self._deid is None:
            from privacy.deid import get_deidentifier

            self._deid = get_deidentifier()
        return self._deid

    def remember(self, r: dict[str, Any]) -> None:
        """Remember the person's identifiers this settlement names (for their notes)."""
        self.memory.remember_settlement(r)

    def settlement(self, r: dict[str, Any]) -> dict[str, Any]:
        from privacy import generalise

        self.remember(r)
        at = datetime.fromisoformat(r["event_time"])
        admission = date.fromisoformat(r["admission_date"])
        discharge = date.fromisoformat(r["discharge_date"])
        return {
            "settlement_id": r["settlement_id"],
            "event_type": r["event_type"],
            "refund_of": r.get("refund_of"),
            "person_key": self.pseudo.pseudonym(r["person_no"], domain="person"),
            "event_hour": generalise.apply("hour", r["event_time"]),
            "event_month": generalise.apply("month", r["event_time"]),
            "gender": generalise.apply("gender", r["gender"]),
            "age_band": generalise.apply("age_band", r["birth_date"], at=at),
            "district": generalise.apply("district", r["resident_id"]),
            "insurance_type": r["insurance_type"],
            "visit_type": r["visit_type"],
            "institution_code": r["institution_code"],
            "admission_month": generalise.apply("month", r["admission_date"]),
            "length_of_stay": (discharge - admission).days,
            "diagnosis_code": r["diagnosis_code"],
            "items": [{k: item.get(k) for k in ITEM_FIELDS} for item in r.get("items") or []],
            **{k: r[k] for k in ("total_amount", "fund_paid", "account_paid", "self_pay", "self_expense")},
        }

    def note(self, r: dict[str, Any]) -> dict[str, Any]:
        from privacy import generalise

        result = self._text_deid().redact(r["text"], known=self.memory.known(r["person_no"]), on_residual="report")
        if not result.clean:
            message = (
                f"note {r['note_id']}: after redaction the text still holds what looks like an identifier "
                f"({'; '.join(str(x) for x in result.residual[:5])}); not published to the lab"
            )
            raise Rejected("residual-identifier", message,
                           [{"field": "text", "rule": "residual-identifier", "message": message, "value": None}])
        return {
            "note_id": r["note_id"],
            "settlement_id": r["settlement_id"],
            "person_key": self.pseudo.pseudonym(r["person_no"], domain="person"),
            "event_month": generalise.apply("month", r["event_time"]),
            "institution_code": r["institution_code"],
            "note_type": r["note_type"],
            "text_redacted": result.text,
            "entities": dict(result.counts_by_type),
        }


class DeidentifyHandler:
    name = "deidentify"
    #: settlements before the notes published after them (the notes are redacted by the person's name)
    align_inputs = True
    #: at equal publish times: the settlement before the note
    align_order = (t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES)
    inputs = (t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES)
    outputs = {t.PLATFORM_SETTLEMENTS: t.LAB_SETTLEMENTS, t.PLATFORM_EMR_NOTES: t.LAB_EMR_NOTES}

    def __init__(self, cfg: Settings) -> None:
        self.deid = Deidentifier(cfg)
        self.check_in = ContractCheck(self.inputs)
        self.check_out = ContractCheck(tuple(self.outputs.values()))
        self.quarantine = Quarantiner(self.name, cfg)

    def begin_batch(self) -> None:
        self.deid.memory.discard()  # what an aborted batch learned is learned again on its replay

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        record = self.check_in(msg)
        if msg.topic == t.PLATFORM_SETTLEMENTS:
            lab = self.deid.settlement(record)
        else:
            lab = self.deid.note(record)
        out_topic = self.outputs[msg.topic]
        out = Outgoing.record(out_topic, lab, key=lab["person_key"], producer=self.name,
                              event_id=event_id(msg))
        # the output must satisfy the lab contract before it leaves (no identifier, right shape)
        self.check_out.check_bytes(out_topic, out.value, what=f"lab output fails {out_topic}: ")
        return [out]

    def before_commit(self) -> None:
        self.deid.memory.flush()  # durable before the offsets that taught it are committed

    def close(self) -> None:
        self.deid.memory.close()


def build(cfg: Settings) -> DeidentifyHandler:
    return DeidentifyHandler(cfg)
