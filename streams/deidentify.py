"""The de-identifier: platform records become lab records with no direct identifier.

A settlement of ``platform.settlements.v2`` (the national interface's 2207 with its 2203
diagnoses and 2204 fee lines) keeps what the lab's analyses need, generalised: a keyed pseudonym
of ``psn_no`` (HMAC with the lab project's secret, never a plain hash), ``setl_time`` truncated to
the hour, the age band at settlement instead of ``brdy``, the district instead of ``certno``, a
length of stay instead of the fee lines' times; the fund split, the diagnosis codes with the main
flag and the fee lines' national codes stay. A 2208 revocation becomes a lab revocation row naming
the settlement it revokes, so the marts net it out. ``psn_name``, ``certno``, ``brdy`` and
``psn_no`` never reach the lab (lab.settlements.v2 has no field for them and forbids extra ones).

A note keeps its text with every identifier the de-identifier finds replaced by its type tag
(``privacy.deid``). Every identifier the platform holds for the person — name, certificate number,
person number and birth date from their settlements, which share the partition, and the full
numbers the recognisers vouched for in the person's earlier notes (a labelled phone) — is looked
for too, in any form (full-width, spaced, masked, partial): the processor remembers them as keyed
digests in the state database (``privacy.deid.memory``), so the memory survives restarts and
partition moves and holds no plaintext identifier at rest.

Fail closed: after redaction the residual-risk check (``privacy.deid.residual``) scans the note
again; a note with anything still shaped like an identifier goes to quarantine with the rule and
offsets that failed, never to the lab. The output is also checked against the lab contract before
it leaves; a record that fails goes to quarantine, not to the lab.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from medshare import topics as t
from medshare.config import Settings, settings
from medshare.envelope import Outgoing
from streams.common import ContractCheck, Quarantiner, event_id
from streams.runtime import Counters, Rejected

#: the interface writes times in China Standard Time without an offset (docs/platform-interface.md)
CST = timezone(timedelta(hours=8), "Asia/Shanghai")
#: what the lab keeps of a 2204 fee line: national code, class and level, flags, amounts. Not kept:
#: fee_ocur_time (an exact time), medins_list_codg/name (the institution's own catalogue), rxno,
#: bilg_dr_codg, bilg_dept_* (a doctor or department narrows the person down), the other flags.
FEE_FIELDS = ("feedetl_sn", "med_list_codg", "med_chrgitm_type", "chrgitm_lv", "cnt", "pric",
              "det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt",
              "list_sp_item_flag", "hi_nego_drug_flag")
#: what the lab keeps of a 2203 diagnosis: not diag_name (a free text), dise_dor_no/name (the
#: doctor), diag_dept, diag_time (an exact time), vali_flag
DIAG_FIELDS = ("diag_type", "diag_srt_no", "diag_code", "maindiag_flag")
#: 2207 amounts kept as they are (the fund split, the personal part and how it was paid)
AMOUNT_FIELDS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
                 "hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt",
                 "acct_pay", "acct_mulaid_pay", "psn_cash_pay")
#: 2207's optional funds, kept as one sum (oth_fund_pay)
OPTIONAL_FUNDS = ("cvlserv_pay", "hifes_pay", "hifdm_pay")
#: every field of a platform.settlements.v2 record that is a direct identifier: none reaches the lab
V2_DIRECT_IDENTIFIERS = ("psn_no", "psn_name", "certno", "brdy")
#: the lab record's hour fields (generalised times)
HOUR_FIELDS = ("setl_hour", "revoked_hour")


def interface_time(value: str) -> datetime:
    """``yyyy-MM-dd HH:mm:ss`` as the interface writes it (China Standard Time) -> aware datetime."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


def _fen_sum(values) -> float:
    return round(sum(round(float(v) * 100) for v in values) / 100, 2)


def identifier_echoes(source: dict[str, Any], lab: Any) -> list[str]:
    """Paths of the lab record's strings that contain one of the source's direct identifiers.

    The last check on the de-identifier's own output (fail closed): ``psn_no``, ``psn_name``,
    ``certno`` and ``brdy`` of the platform record (of the revoked settlement's ``psn_no`` for a
    revocation) must not appear, in any string, in what goes to the lab.
    """
    src = source.get("revoke") or source
    values = [str(src[k]) for k in V2_DIRECT_IDENTIFIERS if src.get(k)]
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if path in HOUR_FIELDS:
            # the settlement's own date: a newborn settles on its date of birth (the contract pins
            # these fields to an ISO hour, so nothing else can sit there)
            return
        if isinstance(value, str):
            found.extend(path for v in values if v in value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")

    walk(lab, "")
    return found


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
        """Remember the person's identifiers this settlement names (for their notes).

        A v2 settlement names the person by ``psn_no``, ``psn_name``, ``certno`` and ``brdy`` (no
        phone, address or card: docs/platform-interface.md); notes are keyed by the same number.
        """
        self.memory.remember_settlement(r)

    def settlement(self, r: dict[str, Any]) -> dict[str, Any]:
        """A platform.settlements.v2 settlement -> a lab.settlements.v2 settlement.

        Kept: the fund split, the personal part and how it was paid, the diagnoses' codes with the
        main flag, the fee lines' national codes, class, level, flags and amounts. Pseudonymised:
        ``psn_no`` (keyed HMAC, the lab project's key). Generalised: ``setl_time`` to the hour,
        ``brdy`` to the 5-year age band at ``setl_time``, a resident-ID ``certno`` to its district,
        the fee lines' times to one length of stay. Dropped: ``psn_name``, ``certno``, ``brdy``,
        ``age``, ``naty``, names of institutions and diagnoses, doctors, and the rest of 2207.
        """
        from privacy import generalise

        self.remember(r)
        at = interface_time(r["setl_time"])
        first_fee = min((interface_time(f["fee_ocur_time"]) for f in r["feedetail"]), default=at)
        diseinfo = [{k: d[k] for k in DIAG_FIELDS} for d in r.get("diseinfo") or []]
        main = [d["diag_code"] for d in diseinfo if d["maindiag_flag"] == "1"]
        return {
            "setl_id": r["setl_id"],
            "person_key": self.pseudo.pseudonym(r["psn_no"], domain="person"),
            "setl_hour": generalise.apply("hour", at.isoformat()),
            "setl_month": generalise.apply("month", at.isoformat()),
            "gend": r["gend"],
            "age_band": generalise.apply("age_band", r["brdy"], at=at.date()),
            "district": (generalise.apply("district", r["certno"]) if r.get("psn_cert_type") == "01" else None),
            "insutype": r["insutype"],
            "psn_type": r["psn_type"],
            "med_type": r["med_type"],
            "fixmedins_code": r["fixmedins_code"],
            "length_of_stay": max((at.date() - first_fee.date()).days, 0),
            "main_diag_code": main[0] if main else None,
            "diseinfo": diseinfo,
            "feedetail": [{k: f[k] for k in FEE_FIELDS} for f in r["feedetail"]],
            **{k: r[k] for k in AMOUNT_FIELDS},
            "oth_fund_pay": _fen_sum(r.get(k) or 0 for k in OPTIONAL_FUNDS),
            "hosp_part_amt": r.get("hosp_part_amt") or 0.0,
        }

    def revocation(self, r: dict[str, Any], published: datetime) -> dict[str, Any]:
        """A 2208 revocation -> the lab's revocation row (the marts net the settlement out).

        ``published`` is when the platform published it (the message's timestamp): the 2208 input
        carries no time of its own. ``mdtrt_id`` is not kept (the settlement id names the visit).
        """
        from privacy import generalise

        rv = r["revoke"]
        local = published.astimezone(CST).isoformat()
        return {
            "revoked_setl_id": rv["setl_id"],
            "person_key": self.pseudo.pseudonym(rv["psn_no"], domain="person"),
            "revoked_hour": generalise.apply("hour", local),
            "revoked_month": generalise.apply("month", local),
        }

    def platform_record(self, r: dict[str, Any], published: datetime) -> dict[str, Any]:
        """Either kind of platform.settlements.v2 record -> its lab record."""
        return self.revocation(r, published) if "revoke" in r else self.settlement(r)

    def note(self, r: dict[str, Any]) -> dict[str, Any]:
        from privacy import generalise
        from privacy.deid.memory import redact_with_memory

        result = redact_with_memory(self._text_deid(), self.memory, r["person_no"], r["text"], on_residual="report")
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
    align_order = (t.PLATFORM_SETTLEMENTS_V2, t.PLATFORM_EMR_NOTES)
    #: platform.settlements.v1 is no longer read: nothing produces it since the platform speaks the
    #: national interface (its old lab rows stay in lab_settlements; docs/lab.md)
    inputs = (t.PLATFORM_SETTLEMENTS_V2, t.PLATFORM_EMR_NOTES)
    outputs = {t.PLATFORM_SETTLEMENTS_V2: t.LAB_SETTLEMENTS_V2, t.PLATFORM_EMR_NOTES: t.LAB_EMR_NOTES}

    def __init__(self, cfg: Settings) -> None:
        self.deid = Deidentifier(cfg)
        self.check_in = ContractCheck(self.inputs)
        self.check_out = ContractCheck(tuple(self.outputs.values()))
        self.quarantine = Quarantiner(self.name, cfg)

    def begin_batch(self) -> None:
        self.deid.memory.discard()  # what an aborted batch learned is learned again on its replay

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        record = self.check_in(msg)
        if msg.topic == t.PLATFORM_SETTLEMENTS_V2:
            lab = self.deid.platform_record(record, datetime.fromtimestamp(int(msg.timestamp) / 1000, UTC))
            echoes = identifier_echoes(record, lab)
            if echoes:
                message = (f"settlement {(record.get('revoke') or record).get('setl_id')}: the lab record repeats a "
                           f"direct identifier in {', '.join(echoes)} (rule identifier-echo); not published to the lab")
                raise Rejected("identifier-echo", message,
                               [{"field": p, "rule": "identifier-echo", "message": message, "value": None}
                                for p in echoes])
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
