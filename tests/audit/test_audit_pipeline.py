"""The disclosure log end to end on the real broker: simulate -> consent-sync -> router -> audit sink.

One run (module fixture): every audit event is in the log once (also after a full redelivery),
malformed audit events are quarantined and never logged, ``medshare audit person`` returns exactly
the disclosures of a consenting simulated person, ``audit verify`` passes on the log and fails on
copies with one entry edited, one removed and two swapped; the log holds no plaintext identifier.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
import typer
from audit_helpers import record_event, sql, swap_entries
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "streams"))
from pipeline_helpers import INSURERS, disclosure_id, read_topic, reset_pipeline, run_until_idle, values  # noqa: E402

from contracts.formats import resident_id_check_char  # noqa: E402
from medshare import topics as t  # noqa: E402

pytestmark = pytest.mark.integration

SIM = {"persons": 250, "days": 30, "seed": 7, "malformed_rate": 0.0, "start_date": date(2026, 3, 1)}
LEAKY_ID = "31010419800101001" + resident_id_check_char("31010419800101001")


def _bad_events() -> list[tuple[str, bytes]]:
    leaky = record_event(999_001)
    leaky["note"] = f"身份证 {LEAKY_ID}"
    return [
        ("bad-json", b"{not json"),
        ("no-person", json.dumps({**record_event(999_002), "person_ref": None}).encode()),
        ("leaky", json.dumps(leaky, ensure_ascii=False).encode()),
    ]


def _produce_bad(cfg) -> None:
    from medshare import kafka as mk

    producer = mk.producer("pipeline", cfg=cfg)
    try:
        for eid, value in _bad_events():
            producer.send(t.AUDIT, value=value, key=b"bad", headers=[("ms-event-id", f"bad-{eid}".encode())])
        producer.flush()
    finally:
        producer.close()


@pytest.fixture(scope="module")
def run(kafka_broker, tmp_path_factory):
    from medshare import kafka as mk
    from medshare.simulate import SimConfig, Simulation, run_simulation
    from streams import audit_sink
    from streams.registry import factory

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, jsonl_dir=tmp_path_factory.mktemp("jsonl"))
    counters = {name: run_until_idle(factory(name)(cfg), cfg) for name in ("consent-sync", "router")}
    _produce_bad(cfg)
    counters["audit-sink"] = run_until_idle(audit_sink.build(cfg), cfg)
    # a full redelivery: forget the sink's offsets and run it again over the whole topic
    admin = mk.admin(cfg=cfg)
    try:
        admin.delete_groups(["medshare-audit-sink"])
    finally:
        admin.close()
    counters["audit-sink-again"] = run_until_idle(audit_sink.build(cfg), cfg)
    return {"cfg": cfg, "counters": counters, "events": list(Simulation(sim_cfg).events())}


@pytest.fixture
def cli():
    from medshare.cli import audit as audit_cli

    app = typer.Typer()
    audit_cli.register(app)
    app.command("noop")(lambda: None)
    return app


BAD_IDS = {record_event(999_001)["audit_id"], record_event(999_002)["audit_id"]}


def _audits(cfg) -> list[dict]:
    """The router's audit events (without the bad ones this test injects)."""
    return [a for a in (_loads(m.value) for m in read_topic(cfg, t.AUDIT)) if a and a.get("audit_id") not in BAD_IDS]


def _loads(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _disclosed(cfg) -> set[tuple[str, str, str]]:
    """(insurer, source, record id) of every record on the insurer topics."""
    out = set()
    for code in INSURERS:
        for m in read_topic(cfg, t.insurer_claims(code)):
            rec = json.loads(m.value)
            source = dict((k, v.decode()) for k, v in m.headers)["ms-source"]
            out.add((code, source, disclosure_id(source, rec)))
    return out


def test_every_audit_event_is_logged_once_and_the_chain_verifies(run):
    from privacy.audit import AuditStore

    cfg = run["cfg"]
    audits = _audits(cfg)
    assert audits, "the run should disclose something"
    with AuditStore.open(cfg) as store:
        entries = store.entries()
        result = store.verify()
    assert Counter(e.audit_id for e in entries) == Counter(a["audit_id"] for a in audits)
    assert {(e.insurer, e.event["source"], e.record_id) for e in entries} == _disclosed(cfg)
    assert result.ok and result.entries == len(audits) and result.checkpoint["seq"] == len(audits)
    c = run["counters"]
    assert c["audit-sink"]["extra"]["audit.appended"] == len(audits)
    assert c["audit-sink-again"]["extra"].get("audit.appended", 0) == 0
    assert c["audit-sink-again"]["extra"]["audit.duplicates"] == len(audits), "redelivered, not re-appended"


def test_malformed_audit_events_are_quarantined_not_logged(run):
    from privacy.audit import AuditStore

    cfg = run["cfg"]
    q = [r for r in values(read_topic(cfg, t.QUARANTINE)) if r["quarantined_by"] == "audit-sink"]
    got = Counter(r["source_event_id"] for r in q)
    # each bad event quarantined once per delivery (the second run redelivers them too)
    assert got == {f"bad-{eid}": 2 for eid, _ in _bad_events()}
    rules = {r["source_event_id"]: r["rules"] for r in q}
    assert "leak-guard" in rules["bad-leaky"]
    with AuditStore.open(cfg) as store:
        assert not [e for e in store.entries() if e.audit_id in BAD_IDS]
    raw = (cfg.state_dir / "audit.sqlite").read_bytes()
    assert LEAKY_ID.encode() not in raw


def _person_index(events):
    """person_no -> resident_id, and record id -> person_no, from the simulated events."""
    resident, owner = {}, {}
    for e in events:
        if e.malformed is not None:
            continue
        r = e.record
        if e.topic == t.PLATFORM_SETTLEMENTS:
            if "revoke" in r:
                owner[(t.PLATFORM_SETTLEMENTS, r["revoke"]["setl_id"] + "-R")] = r["revoke"]["psn_no"]
                continue
            resident[r["psn_no"]] = r["certno"]
            owner[(t.PLATFORM_SETTLEMENTS, r["setl_id"])] = r["psn_no"]
        elif e.topic == t.PLATFORM_EMR_NOTES:
            owner[(t.PLATFORM_EMR_NOTES, r["note_id"])] = r["person_no"]
    return resident, owner


def test_audit_person_returns_exactly_that_persons_disclosures(run, cli):
    cfg = run["cfg"]
    resident, owner = _person_index(run["events"])
    per_person: dict[str, set] = defaultdict(set)
    for code, source, rid in _disclosed(cfg):
        per_person[owner[(source, rid)]].add((code, source, rid))
    # the person with the most disclosures, preferably to both insurers and of notes as well
    person = max(per_person, key=lambda p: (len({c for c, _, _ in per_person[p]}),
                                            any(s == t.PLATFORM_EMR_NOTES for _, s, _ in per_person[p]),
                                            len(per_person[p])))
    runner = CliRunner()
    res = runner.invoke(cli, ["audit", "person", resident[person], "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    got = [(e["insurer"], e["event"]["source"], e["record_id"]) for e in out["entries"]]
    assert len(got) == len(set(got)) and len(got) >= 2
    assert set(got) == per_person[person]
    assert all(e["consent_id"] and e["agreement_version"].startswith("sha256:") for e in out["entries"])
    assert resident[person] not in res.stdout and person not in res.stdout
    res = runner.invoke(cli, ["audit", "person", "--person-no", person, "--json"])
    assert {(e["insurer"], e["event"]["source"], e["record_id"]) for e in json.loads(res.stdout)["entries"]} \
        == per_person[person]
    # and for every disclosed person, by the API: exactly theirs
    from privacy.audit import AuditStore, person_refs

    with AuditStore.open(cfg) as store:
        for p, expected in per_person.items():
            rref, pref = person_refs(resident.get(p), p, cfg=cfg)
            assert {(e.insurer, e.event["source"], e.record_id) for e in store.by_person(person_ref=pref)} \
                == expected
            assert {(e.insurer, e.event["source"], e.record_id) for e in store.by_person(resident_ref=rref)} \
                <= expected


def test_audit_insurer_and_consent_queries_match_the_topics(run, cli):
    cfg = run["cfg"]
    runner = CliRunner()
    disclosed = _disclosed(cfg)
    for code in INSURERS:
        out = json.loads(runner.invoke(cli, ["audit", "insurer", code, "--json"]).stdout)
        assert {(code, e["event"]["source"], e["record_id"]) for e in out["entries"]} == \
            {d for d in disclosed if d[0] == code}
    audits = _audits(cfg)
    consent = Counter(a["consent_id"] for a in audits).most_common(1)[0]
    out = json.loads(runner.invoke(cli, ["audit", "consent", consent[0], "--json"]).stdout)
    assert out["count"] == consent[1]


def test_no_plaintext_identifier_in_the_log(run):
    cfg = run["cfg"]
    raw = (cfg.state_dir / "audit.sqlite").read_bytes().decode("utf-8", errors="replace")
    leaks = []
    for e in run["events"]:
        if e.topic == t.PLATFORM_SETTLEMENTS and e.malformed is None and "revoke" not in e.record:
            for f in ("certno", "psn_no", "psn_name", "brdy"):
                if e.record[f] in raw:
                    leaks.append(f)
    assert not leaks, Counter(leaks)


def test_verify_passes_and_fails_on_tampered_copies(run, cli, tmp_path):
    cfg = run["cfg"]
    runner = CliRunner()
    res = runner.invoke(cli, ["audit", "verify", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["ok"]
    original = cfg.state_dir / "audit.sqlite"

    def tampered(name, change) -> dict:
        copy = tmp_path / f"{name}.sqlite"
        shutil.copy(original, copy)
        change(copy)
        res = runner.invoke(cli, ["audit", "verify", "--db", f"sqlite:///{copy}", "--json"])
        assert res.exit_code != 0, name
        return json.loads(res.stdout)["first_problem"]

    def edit(path):
        row = json.loads(_one(path, "select event from audit_log where seq = 5"))
        row["fields"] = {"settlement_id": "plain"}
        sql(path, ("update audit_log set event = ? where seq = 5", (json.dumps(row),)))

    p = tampered("edited", edit)
    assert (p["seq"], p["kind"]) == (5, "altered")
    p = tampered("removed", lambda path: sql(path, ("delete from audit_log where seq = 7", ())))
    assert (p["seq"], p["kind"]) == (8, "removed") and "#7 missing" in p["message"]
    p = tampered("swapped", lambda path: swap_entries(path, 3, 9))
    assert (p["seq"], p["kind"]) == (3, "chain-break")
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0, "the log itself is untouched"


def _one(path, query):
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute(query).fetchone()[0]
    finally:
        con.close()


# --- signed tree heads on the governance topic ----------------------------------------------------------


def _published_heads(cfg) -> list[dict]:
    return [json.loads(m.value) for m in read_topic(cfg, t.AUDIT_TREE_HEADS)]


def test_the_sink_signs_and_publishes_tree_heads(run, cli):
    import base64

    from privacy import audit_tree
    from privacy.audit import AuditStore
    from privacy.merkle import TreeHead

    cfg = run["cfg"]
    published = _published_heads(cfg)
    assert published and all(h["kind"] == "tree-head" for h in published)
    key = audit_tree.public_key(cfg)
    heads = [TreeHead.from_json(h, source="topic") for h in published]
    for th in heads:
        th.verify(key)
    with AuditStore.open(cfg) as store:
        n, stored = store.count(), store.tree_heads()
        assert store.unpublished_tree_heads() == [], "every head was acknowledged by the broker"
        for th in heads:
            assert store.root_hash(th.tree_size) == th.root_hash
    assert {(th.tree_size, th.timestamp) for th in heads} == {(th.tree_size, th.timestamp) for th in stored}
    assert max(th.tree_size for th in heads) == n, "the sink signs the whole log when it stops"
    c = run["counters"]
    assert c["audit-sink"]["extra"]["audit.tree_heads_published"] == len(heads)
    assert c["audit-sink-again"]["extra"].get("audit.tree_heads", 0) == 0, "nothing new: nothing signed"
    sth = json.loads(CliRunner().invoke(cli, ["audit", "sth", "--json"]).stdout)
    assert sth == {k: v for k, v in published[-1].items() if k != "kind"}
    assert base64.b64decode(sth["public_key"]) == key
    res = CliRunner().invoke(cli, ["audit", "verify", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)["tree"]
    assert out["topic"]["read"] and out["topic"]["tree_heads"] == len(heads) and out["signed_size"] == n


@pytest.mark.parametrize("cut", [0, 3], ids=["edited", "edited-and-cut"])
def test_verify_with_the_topic_catches_a_store_rewritten_with_its_checkpoint(run, cli, cut):
    """Entry #5 edited (and the last ``cut`` entries deleted); chain, head row, tree and checkpoint
    recomputed; the tree heads kept in the store deleted. Only the published copies still know."""
    from audit_helpers import reseal

    cfg = run["cfg"]
    store_file, cp_file = cfg.state_dir / "audit.sqlite", cfg.state_dir / "audit.head.json"
    runner = CliRunner()
    saved = {p: p.read_bytes() for p in (store_file, cp_file, *store_file.parent.glob("audit.sqlite-*"))}
    try:
        row = json.loads(_one(store_file, "select event from audit_log where seq = 5"))
        row["fields"] = {"settlement_id": "plain"}
        sql(store_file, ("update audit_log set event = ?, fields = ? where seq = 5",
                         (json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                          json.dumps(row["fields"], sort_keys=True))),
            ("delete from audit_log where seq > (select max(seq) - ? from audit_log)", (cut,)))
        reseal(store_file, cp_file)
        alone = runner.invoke(cli, ["audit", "verify", "--no-topic", "--json"])
        assert alone.exit_code == 0, "the store and its checkpoint alone no longer show it (documented)"
        left = json.loads(alone.stdout)["entries"]
        res = runner.invoke(cli, ["audit", "verify", "--json"])  # the home's store: the topic is read
        assert res.exit_code != 0, res.output
        out = json.loads(res.stdout)
        assert out["tree"]["topic"]["read"] and out["tree"]["from"]["store"] == 0
        sizes = {h["tree_size"] for h in _published_heads(cfg)}
        # a head larger than what is left shows the cut; one within it shows the edit at #5
        expected = {"truncated" if size > left else "tree-head-mismatch" for size in sizes}
        # and entry #5 differs from the event published on governance.audit.v1
        expected.add("altered")
        assert {p["kind"] for p in out["problems"]} == expected, (sizes, left, out["problems"])
        assert any(p["kind"] == "altered" and p["seq"] == 5 and "governance.audit.v1" in p["message"]
                   for p in out["problems"])
    finally:
        for p in store_file.parent.glob("audit.sqlite-*"):
            if p not in saved:
                p.unlink()  # a WAL left by the tampering must not be replayed onto the restored file
        for p, data in saved.items():
            p.write_bytes(data)
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0, "restored"
