"""``medshare platform ingest``: interface output in, ``platform.settlements.v2`` out (issue 18).

Lines built from public examples of 2207/2204/2203/2208 (tests/platform/interface_examples.py says
where each shape comes from) pass; corrupted copies are refused naming the field and the rule;
refused lines are sealed into the quarantine; the integration test publishes to the real broker
and reads the records back.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interface_examples import FIXTURE, HOSPITAL, PHARMACY, lines
from typer.testing import CliRunner

from contracts import registry
from medshare.cli.main import app
from medshare.envelope import H_EVENT_ID, H_PRODUCER, H_SCHEMA, header_map
from medshare.ingest import TOPIC, check_line, event_id, ingest, to_line, to_record

runner = CliRunner()


def _write(path: Path, objs: list[Any]) -> Path:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n"
                            for o in objs), encoding="utf-8")
    return path


def _cli(*args: str) -> Any:
    return runner.invoke(app, ["platform", "ingest", *args])


# --- the examples pass ------------------------------------------------------------------------------


def test_the_fixture_file_is_the_documented_examples():
    assert [json.loads(x) for x in FIXTURE.read_text(encoding="utf-8").splitlines()] == lines()


def test_the_examples_pass_a_dry_run():
    result = _cli(str(FIXTURE), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["accepted"], out["quarantined"], out["reasons"]) == (6, 0, {})
    assert (out["settlements"], out["revocations"], out["published"]) == (5, 1, 0)


def test_the_examples_use_the_national_codes_the_issue_names():
    text = FIXTURE.read_text(encoding="utf-8")
    for code in ("C34.900x001", "I10.x00x002", "001216000010100", "XA01ABD075A002010100483",
                 HOSPITAL[0], PHARMACY[0]):
        assert f'"{code}"' in text
    kinds = {x["setlinfo"]["med_type"] for x in lines() if "setlinfo" in x}
    assert kinds == {"11", "13", "14", "21", "41"}  # outpatient, emergency, chronic, inpatient, pharmacy


def test_plain_output_names_counts():
    result = _cli(str(FIXTURE), "--dry-run")
    assert result.exit_code == 0
    assert "6 accepted (5 settlements, 1 revocations; would publish to platform.settlements.v2), 0 quarantined" \
        in result.output


# --- corrupted copies are refused, naming field and rule --------------------------------------------


def _bump(obj: dict, key: str, fen: int) -> None:
    obj[key] = round(obj[key] + fen / 100, 2)


def _bad_check_digit(s: dict) -> None:
    rid = s["setlinfo"]["certno"]
    s["setlinfo"]["certno"] = rid[:17] + ("0" if rid[17] != "0" else "1")


CORRUPTIONS = [
    # (what, which example line, mutation, expected (field, rule) among the violations)
    ("fee lines off by one fen", 0, lambda s: _bump(s["setlinfo"], "medfee_sumamt", 1),
     ("setlinfo.medfee_sumamt", "fee-lines-sum")),
    ("one fee line off by one fen", 2, lambda s: _bump(s["feedetail"][1], "det_item_fee_sumamt", -1),
     ("setlinfo.medfee_sumamt", "fee-lines-sum")),
    ("a fund off by one fen", 2, lambda s: _bump(s["setlinfo"], "hifob_pay", 1),
     ("setlinfo.fund_pay_sumamt", "funds-sum")),
    ("funds plus personal part off by one fen", 1, lambda s: _bump(s["setlinfo"], "psn_part_amt", -1),
     ("setlinfo.medfee_sumamt", "funds-and-personal-part-sum")),
    ("account plus cash off by one fen", 1, lambda s: _bump(s["setlinfo"], "psn_cash_pay", 1),
     ("setlinfo.psn_part_amt", "personal-part-sum")),
    ("missing setl_id", 1, lambda s: s["setlinfo"].pop("setl_id"), ("setlinfo.setl_id", "required")),
    ("bad certno check digit", 2, _bad_check_digit, ("setlinfo.certno", "certno-by-cert-type")),
    ("unknown med_type", 3, lambda s: s["setlinfo"].update(med_type="99"), ("setlinfo.med_type", "enum")),
    ("unknown insutype", 3, lambda s: s["setlinfo"].update(insutype="311"), ("setlinfo.insutype", "enum")),
    ("gend against the ID", 0, lambda s: s["setlinfo"].update(gend="2"), ("setlinfo.gend", "identity-consistent")),
    ("brdy against the ID", 0, lambda s: s["setlinfo"].update(brdy="1956-03-13"),
     ("setlinfo.brdy", "identity-consistent")),
    ("brdy with a time", 0, lambda s: s["setlinfo"].update(brdy="1956-03-12 00:00:00"), ("setlinfo.brdy", "format")),
    ("setl_time with an offset", 0, lambda s: s["setlinfo"].update(setl_time="2026-03-05T10:21:07+08:00"),
     ("setlinfo.setl_time", "format")),
    ("pharmacy purchase at a hospital", 4, lambda s: s["setlinfo"].update(fixmedins_code=HOSPITAL[0]),
     ("setlinfo.fixmedins_code", "institution-by-med-type")),
    ("visit at a pharmacy", 0, lambda s: s["setlinfo"].update(fixmedins_code=PHARMACY[0]),
     ("setlinfo.fixmedins_code", "institution-by-med-type")),
    ("a western drug with a service code", 0, lambda s: s["feedetail"][1].update(med_list_codg="001216000010100"),
     ("feedetail[1].med_list_codg", "fee-code-by-type")),
    ("a 9-digit v1 service code", 0, lambda s: s["feedetail"][0].update(med_list_codg="120100001"),
     ("feedetail[0].med_list_codg", "format")),
    ("own-pay above the line amount", 1, lambda s: _bump(s["feedetail"][2], "fulamt_ownpay_amt", 1),
     ("feedetail[2].det_item_fee_sumamt", "fee-own-pay-within-amount")),
    ("a broken ICD-10 extension", 2, lambda s: s["diseinfo"][0].update(diag_code="C34.900x00"),
     ("diseinfo[0].diag_code", "diagnosis-code-by-type")),
    ("two main diagnoses", 2, lambda s: s["diseinfo"][1].update(maindiag_flag="1"),
     ("diseinfo", "one-main-diagnosis")),
    ("no main diagnosis", 1, lambda s: s["diseinfo"][0].update(maindiag_flag="0"),
     ("diseinfo", "one-main-diagnosis")),
    ("repeated fee line serial", 2, lambda s: s["feedetail"][1].update(feedetl_sn="1"),
     ("feedetail[1].feedetl_sn", "fee-line-sn-unique")),
    ("an amount with three decimals", 0, lambda s: s["setlinfo"].update(acct_pay=5.001),
     ("setlinfo.acct_pay", "range")),
    ("an unknown setlinfo field", 0, lambda s: s["setlinfo"].update(phone="13812345678"),
     ("setlinfo.phone", "extra-field")),
    ("a revocation without psn_no", 5, lambda s: s["revoke"].pop("psn_no"), ("revoke.psn_no", "required")),
    ("a revocation with something else", 5, lambda s: s.update(setlinfo={}), ("setlinfo", "line-shape")),
    ("a settlement line without setlinfo", 0, lambda s: s.pop("setlinfo"), ("setlinfo", "line-shape")),
    ("an array inside setlinfo", 0, lambda s: s["setlinfo"].update(feedetail=[]), ("setlinfo.feedetail", "line-shape")),
]


@pytest.mark.parametrize("what, index, mutate, expected", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_a_corrupted_copy_is_refused_naming_field_and_rule(tmp_path, what, index, mutate, expected):
    line = copy.deepcopy(lines()[index])
    mutate(line)
    result = _cli(str(_write(tmp_path / "bad.jsonl", [line])), "--dry-run", "--json")
    assert result.exit_code == 1, result.output
    out = json.loads(result.output)
    assert out["accepted"] == 0 and out["quarantined"] == 1
    found = [(v["field"], v["rule"]) for v in out["refused"][0]["violations"]]
    assert expected in found, found
    assert f"{expected[0]} [{expected[1]}]" in out["reasons"]


def test_identifiers_never_appear_in_the_reasons(tmp_path):
    bad = copy.deepcopy(lines()[2])
    _bad_check_digit(bad)
    bad["setlinfo"]["psn_name"] = ""
    result = _cli(str(_write(tmp_path / "bad.jsonl", [bad])), "--dry-run", "--json")
    text = result.output
    for secret in (bad["setlinfo"]["certno"], bad["setlinfo"]["psn_no"], lines()[2]["setlinfo"]["psn_name"]):
        assert secret not in text


def test_duplicate_keys_and_broken_lines_are_refused_and_counted(tmp_path):
    good = json.dumps(lines()[0], ensure_ascii=False)
    dup = good.replace('"setlinfo": {', '"setlinfo": {"psn_no": "31000000000000000001", ', 1)
    path = _write(tmp_path / "mixed.jsonl", [good, dup, "{not json", "", "[1, 2]", good])
    result = _cli(str(path), "--dry-run", "--json")
    out = json.loads(result.output)
    assert result.exit_code == 1
    assert (out["accepted"], out["quarantined"]) == (2, 3)  # the blank line is skipped, not counted
    assert out["reasons"] == {"setlinfo.psn_no [duplicate-key]": 1, "(line) [json]": 1, "(line) [line-shape]": 1}
    assert [r["line"] for r in out["refused"]] == [2, 3, 5]


def test_a_missing_file_is_a_plain_error(tmp_path):
    result = _cli(str(tmp_path / "nope.jsonl"), "--dry-run")
    assert result.exit_code != 0


def test_dry_run_connects_to_nothing(tmp_path, monkeypatch):
    import medshare.kafka

    def refuse(*args, **kwargs):
        raise AssertionError("a dry run must not connect")

    monkeypatch.setattr(medshare.kafka, "producer", refuse)
    assert ingest(FIXTURE, dry_run=True).accepted == 6


# --- the record ------------------------------------------------------------------------------------


def test_a_settlement_line_becomes_one_flat_record():
    line = lines()[2]
    kind, record, problems = to_record(line)
    assert kind == "settlement" and problems == []
    assert record["setl_id"] == line["setlinfo"]["setl_id"] and record["feedetail"] == line["feedetail"]
    assert set(record) == set(line["setlinfo"]) | {"setldetail", "feedetail", "diseinfo"}
    contract = registry.load(TOPIC)
    assert contract.part_for(record).schema.name == "settlements"
    assert contract.part_for(to_record(lines()[5])[1]).schema.name == "revocations"


def test_to_line_is_the_inverse_of_to_record():
    """The simulator writes its batch with ``to_line``: the ingest must read back the same record."""
    for line in lines():
        kind, record, _ = to_record(line)
        assert to_line(record) == line
        assert to_record(to_line(record)) == (kind, record, [])
    no_arrays = {k: v for k, v in to_record(lines()[0])[1].items() if k not in ("setldetail", "diseinfo")}
    assert set(to_line(no_arrays)) == {"setlinfo", "feedetail"}


def test_event_ids_are_stable_per_settlement():
    a, b = (to_record(x)[1] for x in lines()[:2])
    assert event_id("settlement", a) == event_id("settlement", copy.deepcopy(a)) != event_id("settlement", b)
    assert event_id("revoke", to_record(lines()[5])[1]) != event_id("settlement", a)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, width=32)
    | st.text(max_size=12) | st.sampled_from(["1", "01", "41", "I10.x00x002", "2026-03-05 10:21:07", HOSPITAL[0]]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, 5), data=st.data())
def test_fast_path_agrees_with_the_explainer_on_v2(index, data):
    """The v2 contract's compiled fast path says yes exactly when the explaining path finds nothing."""
    v = registry.validator(TOPIC)
    rec = to_record(lines()[index])[1]
    for _ in range(data.draw(st.integers(0, 3))):
        target = rec
        arrays = [k for k in ("feedetail", "diseinfo", "setldetail") if isinstance(rec.get(k), list) and rec[k]]
        if arrays and data.draw(st.booleans()):
            items = rec[data.draw(st.sampled_from(arrays))]
            if isinstance(items[0], dict):
                target = items[0]
        keys = sorted(target) or ["x"]
        action = data.draw(st.sampled_from(["set", "delete", "add"]))
        if action == "set":
            target[data.draw(st.sampled_from(keys))] = data.draw(json_values)
        elif action == "delete" and target:
            target.pop(data.draw(st.sampled_from(sorted(target))))
        else:
            target[data.draw(st.text(min_size=1, max_size=8))] = data.draw(json_values)
    assert v._fast(rec) == (not v.explain(rec)), [str(x) for x in v.explain(rec)]


# --- publishing (fake producers) and quarantine ----------------------------------------------------------


class _Future:
    def add_errback(self, fn: Any) -> None:
        pass


class FakeProducer:
    def __init__(self, principal: str) -> None:
        self.principal = principal
        self.sent: list[dict[str, Any]] = []

    def partitions_for(self, topic: str) -> set[int]:
        return {0}

    def send(self, topic: str, value: bytes, key: bytes | None, headers: list) -> _Future:
        self.sent.append({"topic": topic, "value": value, "key": key, "headers": headers})
        return _Future()

    def flush(self, timeout: float | None = None) -> None:
        pass

    def close(self, timeout: float | None = None) -> None:
        pass


def test_accepted_lines_go_out_as_platform_and_refused_ones_to_quarantine(tmp_path, monkeypatch):
    import medshare.kafka
    from contracts.quarantine import QuarantineWriter
    from medshare.config import Settings

    made: dict[str, FakeProducer] = {}
    monkeypatch.setattr(medshare.kafka, "producer",
                        lambda principal, cfg=None, **kw: made.setdefault(principal, FakeProducer(principal)))
    cfg = Settings(home=tmp_path / "home")
    bad = copy.deepcopy(lines()[1])
    bad["setlinfo"]["med_type"] = "99"
    path = _write(tmp_path / "in.jsonl", [*lines(), bad])
    result = ingest(path, cfg=cfg)
    assert (result.accepted, result.quarantined, result.published, result.quarantine_records) == (6, 1, 6, 1)

    assert set(made) == {"platform", "pipeline"}
    sent = made["platform"].sent
    assert [m["topic"] for m in sent] == [TOPIC] * 6
    for m, line in zip(sent, lines(), strict=True):
        record = json.loads(m["value"])
        assert record == to_record(line)[1]
        psn_no = line["revoke"]["psn_no"] if "revoke" in line else line["setlinfo"]["psn_no"]
        assert m["key"] == psn_no.encode()
        h = header_map(m["headers"])
        assert h[H_SCHEMA] == TOPIC and h[H_PRODUCER] == "platform-ingest"
        assert h[H_EVENT_ID] == event_id("revoke" if "revoke" in line else "settlement", record)

    [q_msg] = made["pipeline"].sent
    assert q_msg["topic"] == "pipeline.quarantine.v1"
    q = json.loads(q_msg["value"])
    assert registry.validator("pipeline.quarantine.v1").validate(q) == []
    assert q["contract_id"] == TOPIC and q["source_topic"] == TOPIC and q["rules"] == ["enum"]
    assert q["violations"][0]["field"] == "setlinfo.med_type"
    assert bad["setlinfo"]["certno"] not in q_msg["value"].decode()
    opened = QuarantineWriter(cfg=cfg).open(q)
    assert json.loads(opened.value) == to_record(bad)[1]  # the record, sealed: replayable once fixed


def test_check_line_keeps_the_line_paths():
    v = registry.validator(TOPIC)
    line = copy.deepcopy(lines()[0])
    line["feedetail"][0]["chrgitm_lv"] = "04"
    res = check_line(json.dumps(line).encode(), 7, v)
    assert res.line == 7 and [(x.field, x.rule) for x in res.violations] == [("feedetail[0].chrgitm_lv", "enum")]


# --- the real broker -------------------------------------------------------------------------------------


@pytest.mark.integration
def test_ingest_publishes_to_the_broker_and_the_records_come_back(kafka_broker, tmp_path):
    from medshare.kafka import consumer

    run = uuid.uuid4().hex[:8]
    good = copy.deepcopy(lines())
    for x in good:  # fresh ids, so records of earlier runs on the topic do not count
        if "revoke" in x:
            x["revoke"]["setl_id"] = f"{run}R"
        else:
            x["setlinfo"]["setl_id"] = f"{run}{x['setlinfo']['setl_id'][-6:]}"
    bad = copy.deepcopy(good[0])
    bad["setlinfo"]["medfee_sumamt"] = round(bad["setlinfo"]["medfee_sumamt"] + 0.01, 2)
    path = _write(tmp_path / f"interface-{run}.jsonl", [*good, bad])

    result = ingest(path, cfg=kafka_broker)
    assert (result.published, result.quarantine_records) == (6, 1)

    expected = {event_id(*to_record(x)[:2]): to_record(x)[1] for x in good}
    seen: dict[str, Any] = {}
    quarantined: list[dict] = []
    c = consumer("pipeline", f"medshare-ingesttest-{run}", [TOPIC, "pipeline.quarantine.v1"], cfg=kafka_broker,
                 consumer_timeout_ms=2000)
    try:
        deadline = time.monotonic() + 90
        while (len(seen) < len(expected) or not quarantined) and time.monotonic() < deadline:
            for msg in c:
                h = header_map(msg.headers)
                if msg.topic == TOPIC and h.get(H_EVENT_ID) in expected:
                    seen[h[H_EVENT_ID]] = msg
                elif msg.topic == "pipeline.quarantine.v1":
                    q = json.loads(msg.value)
                    if q.get("source_event_id") == f"{path.name}:7":
                        quarantined.append(q)
    finally:
        c.close()
    assert set(seen) == set(expected)
    for eid, msg in seen.items():
        assert json.loads(msg.value) == expected[eid]
        psn_no = expected[eid]["revoke"]["psn_no"] if "revoke" in expected[eid] else expected[eid]["psn_no"]
        assert msg.key == psn_no.encode()
    [q] = quarantined
    assert q["rules"] == ["fee-lines-sum", "funds-and-personal-part-sum"]
    assert q["quarantined_by"] == "platform-ingest"
