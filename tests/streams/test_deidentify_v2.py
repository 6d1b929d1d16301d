"""The de-identifier on platform.settlements.v2 and the lab sink's guard (no broker).

Records are the interface-shaped examples of tests/platform/interface_examples.py, made into topic
records by the ingest's own shaping (``medshare.ingest.to_record``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from contracts import registry
from medshare import topics as t
from medshare.ingest import to_record
from streams.deidentify import Deidentifier, DeidentifyHandler, identifier_echoes
from streams.lab_sink import LabSinkHandler, lab_leaks
from streams.runtime import Rejected
from tests.platform import interface_examples as ex

PUBLISHED = datetime(2026, 3, 23, 1, 30, 12, tzinfo=UTC)


def _records() -> list[dict]:
    out = []
    for line in ex.lines():
        _, record, errors = to_record(line)
        assert not errors
        out.append(record)
    return out


@pytest.fixture()
def deid(cfg):
    from privacy.deid.memory import PersonMemory

    return Deidentifier(cfg, memory=PersonMemory(b"m" * 32))


@pytest.fixture()
def cfg(tmp_path, monkeypatch):
    from medshare.config import reload_settings

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path / "home"))
    yield reload_settings()
    monkeypatch.undo()
    reload_settings()


def _lab(deid, record):
    return deid.platform_record(record, PUBLISHED)


def test_every_example_becomes_a_valid_lab_record_without_identifiers(deid):
    validator = registry.load(t.LAB_SETTLEMENTS_V2).validator()
    for record in _records():
        lab = _lab(deid, record)
        value, violations = validator.validate_bytes(json.dumps(lab, ensure_ascii=False).encode())
        assert not violations, violations
        text = json.dumps(lab, ensure_ascii=False)
        src = record.get("revoke") or record
        for field in ("psn_no", "psn_name", "certno", "brdy"):
            if src.get(field):
                assert str(src[field]) not in text, field
        assert lab_leaks(t.LAB_SETTLEMENTS_V2, lab) == []
        assert identifier_echoes(record, lab) == []


def test_settlement_keeps_fund_split_diagnoses_and_fee_codes(deid):
    inpatient = _records()[2]
    lab = _lab(deid, inpatient)
    assert lab["setl_id"] == "310000000000123458"
    assert lab["main_diag_code"] == "C34.900x001"
    assert lab["diseinfo"] == [
        {"diag_type": "1", "diag_srt_no": 1, "diag_code": "C34.900x001", "maindiag_flag": "1"},
        {"diag_type": "1", "diag_srt_no": 2, "diag_code": "I10.x00x002", "maindiag_flag": "0"},
    ]
    for k in ("hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "acct_pay", "psn_cash_pay",
              "medfee_sumamt", "fund_pay_sumamt", "psn_part_amt"):
        assert lab[k] == inpatient[k], k
    assert lab["hifob_pay"] == 1200.0
    nego = [f for f in lab["feedetail"] if f["hi_nego_drug_flag"] == "1"]
    assert [f["med_list_codg"] for f in nego] == [ex.WEST_DRUG]
    assert {f["chrgitm_lv"] for f in lab["feedetail"]} == {"01", "02", "03"}
    assert all("fee_ocur_time" not in f and "bilg_dr_codg" not in f for f in lab["feedetail"])
    # generalised: hour, band at the settlement (Zhang turned 70 on 2026-03-12), district, stay
    assert lab["setl_hour"] == "2026-03-20T16:00:00+08:00" and lab["setl_month"] == "2026-03"
    assert lab["age_band"] == "70-74" and lab["district"] == "浦东新区"
    assert lab["length_of_stay"] == 8  # first fee line 2026-03-12, settled 2026-03-20
    assert "age" not in lab and "naty" not in lab and "fixmedins_name" not in lab


def test_same_person_same_key_across_settlements_and_revocation(deid):
    rec = _records()
    outpatient, inpatient, revoke = _lab(deid, rec[0]), _lab(deid, rec[2]), _lab(deid, rec[5])
    assert outpatient["person_key"] == inpatient["person_key"] == revoke["person_key"]
    assert revoke == {"revoked_setl_id": rec[0]["setl_id"], "person_key": outpatient["person_key"],
                      "revoked_hour": "2026-03-23T09:00:00+08:00", "revoked_month": "2026-03"}


def test_pharmacy_purchase_has_no_main_diagnosis(deid):
    pharmacy = _lab(deid, _records()[4])
    assert pharmacy["main_diag_code"] is None and pharmacy["diseinfo"] == []
    assert pharmacy["fixmedins_code"].startswith("P") and pharmacy["med_type"] == "41"


def test_a_newborn_settling_on_its_birthday_is_not_an_echo(deid):
    record = {**_records()[1], "brdy": "2026-03-06", "age": 0.0, "psn_cert_type": "99", "certno": "CS2026030600123"}
    lab = _lab(deid, record)
    assert lab["setl_hour"].startswith("2026-03-06") and lab["age_band"] == "0-4"
    assert identifier_echoes(record, lab) == [] and lab_leaks(t.LAB_SETTLEMENTS_V2, lab) == []
    # anywhere else the date of birth is an echo
    assert identifier_echoes(record, {**lab, "district": "2026-03-06"}) == ["district"]


def test_non_resident_id_has_no_district(deid):
    record = {**_records()[1], "psn_cert_type": "08", "certno": "E12345678"}
    assert _lab(deid, record)["district"] is None


def test_optional_funds_are_kept_as_one_sum(deid):
    record = {**_records()[0], "cvlserv_pay": 1.1, "hifes_pay": 2.2}
    record.pop("hifdm_pay", None)
    assert _lab(deid, record)["oth_fund_pay"] == 3.3


def test_settlement_remembers_name_and_certno_for_notes(deid):
    zhang = _records()[0]
    _lab(deid, zhang)
    known = deid.memory.known(zhang["psn_no"])
    text = f"患者{zhang['psn_name']}，身份证{zhang['certno']}，医保号{zhang['psn_no']}"
    redacted = deid._text_deid().redact(text, known=known, on_residual="report").text
    for v in (zhang["psn_name"], zhang["certno"], zhang["psn_no"]):
        assert v not in redacted


class _Msg(SimpleNamespace):
    pass


def _msg(topic: str, record: dict, offset: int = 0) -> _Msg:
    from medshare.envelope import Outgoing

    out = Outgoing.record(topic, record, key="k", producer="test")
    return _Msg(topic=topic, value=out.value, headers=out.headers, partition=0, offset=offset,
                timestamp=int(PUBLISHED.timestamp() * 1000), key=b"k")


def test_handler_publishes_v2_lab_records_keyed_by_person(cfg, monkeypatch):
    from privacy.deid.memory import PersonMemory

    handler = DeidentifyHandler.__new__(DeidentifyHandler)
    handler.deid = Deidentifier(cfg, memory=PersonMemory(b"m" * 32))
    from streams.common import ContractCheck

    handler.check_in = ContractCheck(handler.inputs)
    handler.check_out = ContractCheck(tuple(handler.outputs.values()))
    assert handler.inputs == (t.PLATFORM_SETTLEMENTS_V2, t.PLATFORM_EMR_NOTES)
    for record in _records():
        (out,) = handler.handle(_msg(t.PLATFORM_SETTLEMENTS_V2, record), None)
        assert out.topic == t.LAB_SETTLEMENTS_V2
        lab = json.loads(out.value)
        assert out.key in (lab["person_key"], lab["person_key"].encode())


def test_handler_refuses_output_that_echoes_an_identifier(cfg, monkeypatch):
    from privacy.deid.memory import PersonMemory
    from streams.common import ContractCheck

    handler = DeidentifyHandler.__new__(DeidentifyHandler)
    handler.deid = Deidentifier(cfg, memory=PersonMemory(b"m" * 32))
    handler.check_in = ContractCheck(handler.inputs)
    handler.check_out = ContractCheck(tuple(handler.outputs.values()))
    record = _records()[0]
    real = handler.deid.settlement
    # a bug that put the person number where the settlement id goes
    monkeypatch.setattr(handler.deid, "settlement", lambda r: {**real(r), "setl_id": r["psn_no"]})
    with pytest.raises(Rejected) as e:
        handler.handle(_msg(t.PLATFORM_SETTLEMENTS_V2, record), None)
    assert e.value.rule == "identifier-echo" and "setl_id" in str(e.value)
    assert record["psn_no"] not in str(e.value)


# --- the lab sink's guard -------------------------------------------------------------------------

def _lab_record(deid) -> dict:
    return _lab(deid, _records()[1])


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.mark.parametrize("mutate, kind", [
    (lambda r: r.update(district=ex.LI["certno"]), "district:resident_id"),
    (lambda r: r.update(district=ex.LI["certno"].translate(FULL_WIDTH)), "district:resident_id"),
    (lambda r: r.update(district=" ".join([ex.LI["certno"][:6], ex.LI["certno"][6:14], ex.LI["certno"][14:]])),
     "district:resident_id"),
    (lambda r: r.update(district="1988-07-04"), "district:date"),
    (lambda r: r.update(district="１９８８年７月４日"), "district:date"),
    (lambda r: r["feedetail"][0].update(feedetl_sn="1988/7/4"), "feedetail[0].feedetl_sn:date"),
    (lambda r: r.update(certno=ex.LI["certno"]), "certno:identifier-field"),
    (lambda r: r.update(psn_no=ex.LI["psn_no"]), "psn_no:identifier-field"),
    (lambda r: r.update(psn_name=ex.LI["psn_name"]), "psn_name:identifier-field"),
    (lambda r: r.update(brdy="1988-07-04"), "brdy:identifier-field"),
    (lambda r: r["diseinfo"][0].update(dise_dor_name="某医生"), "diseinfo[0].dise_dor_name:identifier-field"),
    (lambda r: r.update(district="13812345678"), "district:mobile"),
])
def test_lab_guard_finds_v2_identifiers(deid, mutate, kind):
    record = _lab_record(deid)
    assert lab_leaks(t.LAB_SETTLEMENTS_V2, record) == []
    mutate(record)
    assert kind in lab_leaks(t.LAB_SETTLEMENTS_V2, record)


def test_lab_guard_allows_the_hour_fields(deid):
    record = _lab_record(deid)
    assert record["setl_hour"].startswith("2026-03-06")
    assert lab_leaks(t.LAB_SETTLEMENTS_V2, record) == []


def test_lab_sink_refuses_a_record_with_a_full_width_certno(deid, cfg, tmp_path):
    from streams.labdb import LabDB

    db = LabDB(str(tmp_path / "lab.duckdb"), cfg=cfg)
    sink = LabSinkHandler.__new__(LabSinkHandler)
    sink.db = db
    from streams.common import ContractCheck

    sink.check = ContractCheck(sink.inputs)
    sink._rows = {}
    good = _lab_record(deid)
    bad = {**_lab_record(deid), "setl_id": "310000000000999999",
           "district": ex.LI["certno"].translate(FULL_WIDTH)}
    revocation = _lab(deid, _records()[5])
    sink.handle(_msg(t.LAB_SETTLEMENTS_V2, good, 1), None)
    sink.handle(_msg(t.LAB_SETTLEMENTS_V2, revocation, 2), None)
    with pytest.raises(Rejected) as e:
        sink.handle(_msg(t.LAB_SETTLEMENTS_V2, bad, 3), None)
    assert e.value.rule == "leak-guard" and "district:resident_id" in str(e.value)
    assert ex.LI["certno"] not in str(e.value)
    sink.before_commit()
    assert db.query("select setl_id from lab_settlements_v2") == [(good["setl_id"],)]
    assert db.query("select revoked_setl_id from lab_revocations_v2") == [(revocation["revoked_setl_id"],)]
