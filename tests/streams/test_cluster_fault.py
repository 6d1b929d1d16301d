"""A three-broker cluster loses a broker mid-stream and loses nothing.

On a local three-node KRaft cluster (``medshare broker start --nodes 3``: TLS, SCRAM, ACLs, every
topic replication factor 3 and ``min.insync.replicas`` 2), with the state in Postgres:

1. **Reference run**, no fault: one instance of each processor works through a simulated backlog
   until idle.
2. **Fault run**, the same backlog: the router and the claims processor run as two instances each
   in their consumer group (the second started after the first has committed batches, so
   partitions move to it), beside the de-identifier and the lab sink. While they work, the broker
   leading the most partitions is killed with SIGKILL; the processors must keep going without it;
   then it is restarted.

Afterwards every output of the fault run equals the reference — the insurers' topics read with
``read_committed`` and decrypted with the insurers' own keys, the audit topic (ids and content),
the lab tables, the claim ledger and accumulators, the quarantine — so nothing was lost and
nothing duplicated; every processor exited 0 on SIGTERM and never before; and no partition stays
under-replicated.

Ports: ``MEDSHARE_TEST_CLUSTER_PORT`` (default 29400) and the five above it; Postgres from
``MEDSHARE_TEST_POSTGRES_URL`` (``make test`` starts one) or ``scripts/test-postgres.sh`` on port
``MEDSHARE_TEST_CLUSTER_PORT + 15``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pipeline_helpers import INSURERS, read_topic, reset_pipeline

from medshare import topics as t
from medshare.platform_records import CST

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.cluster, pytest.mark.timeout(2400)]

ROOT = Path(__file__).resolve().parents[2]
MEDSHARE = str(Path(sys.executable).with_name("medshare"))
SIM = {"persons": 700, "days": 70, "seed": 41, "malformed_rate": 0.01, "start_date": date(2026, 3, 1)}
BATCH = "10"
#: processors in the order a batch run needs them (consents first: the router and claims ask them)
PIPELINE = ("consent-sync", "router", "claims", "deidentify", "lab-sink")
#: values that say when something happened, not what: they differ between any two runs
VOLATILE = {"disclosed_at", "loaded_at", "applied_at", "updated_at", "computed_at"}


# --- services ----------------------------------------------------------------------------------
def _cluster_port() -> int:
    return int(os.environ.get("MEDSHARE_TEST_CLUSTER_PORT", "29400"))


@pytest.fixture(scope="module")
def postgres_url():
    url = os.environ.get("MEDSHARE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    script = ROOT / "scripts" / "test-postgres.sh"
    env = {**os.environ, "MEDSHARE_TEST_PG_PORT": str(_cluster_port() + 15)}
    url = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True, env=env,
                         check=True).stdout.strip()
    if not url:
        pytest.skip("no PostgreSQL server binaries (scripts/test-postgres.sh found none)")
    try:
        yield url
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, check=False)


def _fresh_database(base_url: str, name: str) -> str:
    import psycopg2

    conn = psycopg2.connect(base_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def cluster():
    """A fresh three-node cluster in its own home; stopped at the end."""
    from medshare import broker
    from medshare.config import Settings

    home = Path(os.environ["MEDSHARE_HOME"]).with_name(Path(os.environ["MEDSHARE_HOME"]).name + "-cluster")
    port = _cluster_port()
    cfg = Settings(home=home, kafka_port=port, kafka_controller_port=port + 1, partitions=3)
    if not broker.status(cfg).running:
        shutil.rmtree(home, ignore_errors=True)
    broker.start(cfg, nodes=3, quiet=True, timeout=300)
    yield cfg
    if not os.environ.get("MEDSHARE_KEEP_BROKER"):
        broker.stop(cfg)


def _env(cfg, state_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MEDSHARE_KAFKA_NODES"}
    env.update({"MEDSHARE_HOME": str(cfg.home), "MEDSHARE_KAFKA_PORT": str(cfg.kafka_port),
                "MEDSHARE_KAFKA_CONTROLLER_PORT": str(cfg.kafka_controller_port),
                "MEDSHARE_PARTITIONS": str(cfg.partitions), "MEDSHARE_STATE_URL": state_url})
    return env


# --- one run ----------------------------------------------------------------------------------
def _reset(cfg) -> None:
    """Delete every topic and consumer group, wipe the home's state but its keys, recreate topics.

    The pipeline's own keys (pseudonyms, quarantine) and the insurers' keys stay, so two runs give
    byte-comparable pseudonyms and both runs' insurer outputs open with the same private keys.
    """
    reset_pipeline(cfg, wipe=("state", "lab", "sim"), timeout_s=90)


def _publish(cfg, state_url: str) -> list[Any]:
    """The platform publishes the whole simulated backlog; consent-sync stores the consents."""
    from medshare.simulate import SimConfig, Simulation, run_simulation

    sim = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim, cfg=cfg.model_copy(update={"state_url": state_url}), batch=False)
    _until_idle("consent-sync", _env(cfg, state_url))
    return list(Simulation(sim).events())


def _until_idle(name: str, env: dict[str, str]) -> None:
    proc = subprocess.run([MEDSHARE, "run", name, "--until-idle", "--batch-size", "50"],
                          capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, f"{name}: {proc.stderr[-3000:]}"


def _statuses(cfg) -> dict[str, dict[str, Any]]:
    out = {}
    for path in (cfg.state_dir / "processors").glob("*.json"):
        try:
            out[path.stem] = json.loads(path.read_text())
        except (OSError, ValueError):
            pass
    return out


def _wait(cond, timeout: float, what: str, procs: dict[str, subprocess.Popen] | None = None,
          every: float = 0.5, cfg: Any = None) -> None:
    """Wait for ``cond``; fail at once if a processor exits meanwhile (with its log's tail). On a
    timeout each processor writes its threads' stacks to its log (SIGUSR1) and the failure shows
    the statuses (``cfg``): where a stuck instance waits."""
    deadline = time.monotonic() + timeout
    while not cond():
        for name, p in (procs or {}).items():
            assert p.poll() is None, f"{name} exited with {p.returncode} while {what}: {_log_tail(p)}"
        if time.monotonic() >= deadline:
            for p in (procs or {}).values():  # each writes its threads' stacks to its log (SIGUSR1)
                p.send_signal(signal.SIGUSR1)
            time.sleep(1)
            keep = ("state", "consumed", "lag", "buffered", "blocked", "assignment")
            where = {i: {k: v.get(k) for k in keep} for i, v in _statuses(cfg).items()} if cfg else {}
            raise AssertionError(f"timed out after {timeout:.0f}s while {what}; stacks in the processor logs; "
                                 f"statuses {where}")
        time.sleep(every)


def _log_tail(p: subprocess.Popen) -> str:
    try:
        return p.log_path.read_text(errors="replace")[-3000:]  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return ""


def _drained(cfg, instances: list[str], since: dict[str, float]) -> bool:
    """Every instance idle with no lag, freshly reported (the status file is rewritten every 0.5 s)."""
    st = _statuses(cfg)
    now = time.time()
    for inst in instances:
        s = st.get(inst)
        if not s or s["state"] != "idle" or s["lag"] != 0 or s.get("buffered") or now - s["updated_at"] > 3:
            since.pop("t", None)
            return False
    since.setdefault("t", now)
    return now - since["t"] >= 8  # all idle together for 8 s: nothing upstream is still coming


def _leader_load(cfg) -> Counter:
    """Per broker, the records held by the partitions it leads (the busiest partitions' leader has most)."""
    from kafka import TopicPartition

    from medshare import kafka as mk

    client = mk.admin(cfg=cfg)
    try:
        described = client.describe_topics([n for n in client.list_topics() if not n.startswith("__")])
    finally:
        client.close()
    leader = {TopicPartition(d["name"], p["partition_index"]): p["leader_id"]
              for d in described for p in d["partitions"]}
    c = mk.consumer("admin", None, cfg=cfg)
    try:
        ends = c.end_offsets(list(leader))
    finally:
        c.close()
    load = Counter({b: 0 for b in set(leader.values())})
    for tp, b in leader.items():
        load[b] += ends[tp]
    return load


# --- outputs ----------------------------------------------------------------------------------
def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _canon(value: Any) -> str:
    return json.dumps(_strip(value), sort_keys=True, ensure_ascii=False, default=str)


def _outputs(cfg, state_url: str) -> dict[str, Any]:
    """Everything the pipeline produced, in a form two runs can be compared in."""
    from sqlalchemy import create_engine, text

    from medshare.envelope import header_map
    from medshare.insurer_client import record_id_field
    from privacy.sdk import InsurerDecryptor
    from streams.labdb import TABLES, LabDB

    # a 2208 revocation carries no time of its own: it happened when the platform published it
    # (medshare.platform_records.event_time), so what derives from it carries that run's publish
    # time. Compared as "the publish time of its 2208 in this run", never dropped.
    published = {}
    for m in read_topic(cfg, t.PLATFORM_SETTLEMENTS):
        try:
            rec = json.loads(m.value)
        except ValueError:  # the simulator's malformed records (quarantined)
            continue
        if isinstance(rec, dict) and isinstance(rec.get("revoke"), dict):
            published[rec["revoke"].get("setl_id")] = datetime.fromtimestamp(m.timestamp / 1000, CST).isoformat()

    def pin(rec: dict[str, Any], setl_id: str | None) -> dict[str, Any]:
        if setl_id in published and rec.get("event_time") == published[setl_id]:
            return {**rec, "event_time": f"<publish time of the 2208 of {setl_id}>"}
        return rec

    out: dict[str, Any] = {}
    for code in INSURERS:
        dec = InsurerDecryptor.from_dir(cfg.insurers_dir / code)
        topic = t.insurer_claims(code)
        msgs = Counter()
        for m in read_topic(cfg, topic):
            rec = json.loads(m.value)
            h = header_map(m.headers)
            rec = dec.decrypt_record(rec, topic, record_id_field=record_id_field(rec, h.get("ms-source")))
            rec = pin(rec, rec.get("reverses"))
            msgs[_canon({"key": m.key.decode(), "source": h.get("ms-source"), "event": h.get("ms-event-id"),
                         "record": rec})] += 1
        out[topic] = msgs
    audits = [pin(a, a.get("reverses") or (a["record_id"][:-2] if str(a.get("record_id", "")).endswith("-R")
                                             else None))
              for a in map(json.loads, (m.value for m in read_topic(cfg, t.AUDIT)))]
    out["audit_ids"] = Counter(a["audit_id"] for a in audits)
    out["audit"] = Counter(_canon(a) for a in audits)
    # a quarantine record's id is random and its payload sealed (random nonces): compare who
    # quarantined which input, where and why; offsets only on the platform's topics (a processor's
    # transactional output topics number their records differently from run to run)
    quarantined = Counter()
    for m in read_topic(cfg, t.QUARANTINE):
        q = json.loads(m.value)
        keep = ["quarantined_by", "contract_id", "source_topic", "source_event_id", "source_key_hash", "rules",
                "violations", "payload_bytes"]
        if str(q.get("source_topic", "")).startswith("platform."):
            keep += ["source_partition", "source_offset"]
        quarantined[_canon({k: q.get(k) for k in keep})] += 1
    out["quarantine"] = quarantined
    db = LabDB(cfg=cfg)
    for name, table in TABLES.items():
        cols = [c for c in table.column_names if c not in VOLATILE]
        out[name] = Counter(_canon(dict(zip(cols, map(str, r), strict=True)))
                            for r in db.query(f"select {', '.join(cols)} from {name}"))
    engine = create_engine(state_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    try:
        with engine.connect() as conn:
            for table, skip in (("claim_ledger", {"applied_at", "result", "audit"}),
                                ("claim_accumulators", {"updated_at"})):
                rows = conn.execute(text(f"select * from {table}")).mappings().all()
                out[table] = Counter(_canon({k: str(v) for k, v in r.items() if k not in skip}) for r in rows)
    finally:
        engine.dispose()
    return out


def _compare(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    problems = []
    for name in ref:
        lost, extra = ref[name] - got[name], got[name] - ref[name]
        if lost or extra:
            problems.append(f"{name}: {sum(lost.values())} missing, {sum(extra.values())} extra or duplicated; "
                            f"e.g. missing {list(lost)[:1]}, extra {list(extra)[:1]}")
    return problems


# --- the runs ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reference(cluster, postgres_url):
    cfg = cluster
    url = _fresh_database(postgres_url, "medshare_cluster_ref")
    _reset(cfg)
    events = _publish(cfg, url)
    env = _env(cfg, url)
    for name in PIPELINE[1:]:
        _until_idle(name, env)
    return {"events": events, "outputs": _outputs(cfg, url)}


def _start(name: str, instance: str, env: dict[str, str], logs: Path) -> subprocess.Popen:
    path = logs / f"{name}-{instance}.log"
    with open(path, "wb") as log:
        p = subprocess.Popen([MEDSHARE, "run", name, "--batch-size", BATCH, "--instance", instance],
                             stdout=subprocess.DEVNULL, stderr=log, env=env)
    p.log_path = path  # type: ignore[attr-defined]
    return p


def _start_delayed(name: str, instance: str, env: dict[str, str], logs: Path) -> subprocess.Popen:
    """An instance built now that joins its group once ``<logs>/go`` exists (delayed_processor.py)."""
    path = logs / f"{name}-{instance}.log"
    with open(path, "wb") as log:
        p = subprocess.Popen([sys.executable, str(Path(__file__).with_name("delayed_processor.py")),
                              str(logs / f"ready-{name}-{instance}"), str(logs / "go"), name, instance, BATCH],
                             stdout=subprocess.DEVNULL, stderr=log, env=env)
    p.log_path = path  # type: ignore[attr-defined]
    return p


@pytest.fixture(scope="module")
def fault_run(cluster, postgres_url, reference, tmp_path_factory):
    from medshare import broker

    cfg = cluster
    url = _fresh_database(postgres_url, "medshare_cluster_fault")
    _reset(cfg)
    _publish(cfg, url)
    env = _env(cfg, url)
    logs = tmp_path_factory.mktemp("processor-logs")
    facts: dict[str, Any] = {"logs": logs}
    # the second instances are built first but join their groups only when told (start-up takes
    # tens of seconds here: longer than the claims processor needs for the whole backlog)
    procs = {f"{n}-b": _start_delayed(n, "b", env, logs) for n in ("router", "claims")}
    try:
        st = _statuses

        def batches(inst: str) -> int:
            return st(cfg).get(inst, {}).get("batches", 0)

        _wait(lambda: all((logs / f"ready-{n}-b").exists() for n in ("router", "claims")), 300,
              "the second instances are built", procs)
        procs.update({f"{n}-{i}": _start(n, i, env, logs) for n, i in (("router", "a"), ("claims", "a"),
                                                                          ("deidentify", "0"), ("lab-sink", "0"))})
        _wait(lambda: batches("router-a") >= 3 and batches("claims-a") >= 3, 300, "the first instances start", procs)
        facts["before_second"] = {i: {"consumed": st(cfg)[i]["consumed"], "assignment": st(cfg)[i]["assignment"]}
                                  for i in ("router-a", "claims-a")}
        # the second instances join: the groups rebalance and partitions move to them
        (logs / "go").touch()
        _wait(lambda: batches("router-b") >= 2 and batches("claims-b") >= 2, 300,
              "the second instances take partitions", procs)

        def split() -> bool:
            """Both instances report their share (a status file is rewritten between batches)."""
            now = st(cfg)
            facts["after_second"] = {i: now[i]["assignment"] for i in ("router-a", "router-b", "claims-a", "claims-b")}
            return all(set(now[f"{n}-a"]["assignment"]).isdisjoint(now[f"{n}-b"]["assignment"])
                       for n in ("router", "claims"))

        _wait(split, 60, "both instances report their partitions", procs)

        # SIGKILL the leader of the busiest partitions, mid-stream
        leaders = _leader_load(cfg)
        victim = max(sorted(leaders), key=lambda b: leaders[b])
        now = st(cfg)
        facts["at_kill"] = {i: now[i]["consumed"] for i in ("router-a", "router-b", "claims-a", "claims-b")}
        facts["victim"], facts["leaders"] = victim, dict(leaders)
        broker.kill_node(victim, signal.SIGKILL, cfg)
        t_kill = time.monotonic()

        def consumed() -> int:
            return sum(s["consumed"] for i, s in st(cfg).items() if i.split("-")[0] in ("router", "claims"))

        at_kill = consumed()
        # the processors carry on without it
        _wait(lambda: consumed() >= at_kill + 200, 240, "processing with a broker down", procs)
        facts["carried_on_s"] = round(time.monotonic() - t_kill, 1)
        facts["consumed_while_down"] = consumed() - at_kill
        facts["health_while_down"] = broker.cluster_health(cfg)
        broker.start(cfg, quiet=True, timeout=300)
        facts["down_s"] = round(time.monotonic() - t_kill, 1)

        since: dict[str, float] = {}
        _wait(lambda: _drained(cfg, list(procs), since), 900, "draining the backlog", procs, every=1, cfg=cfg)
        _wait(lambda: not broker.cluster_health(cfg)[2], 300, "the restarted broker catches up", every=2)
        facts["final_health"] = broker.cluster_health(cfg)
        facts["statuses"] = st(cfg)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        facts["exit"] = {}
        for name, p in procs.items():
            try:
                facts["exit"][name] = p.wait(timeout=120)
            except subprocess.TimeoutExpired:  # never leave an instance behind in the group
                p.kill()
                facts["exit"][name] = f"killed: no exit within 120 s of SIGTERM ({p.wait()})"
    facts["outputs"] = _outputs(cfg, url)
    print(json.dumps({k: v for k, v in facts.items() if k not in ("outputs", "logs", "statuses")}, default=str))
    return facts


# --- assertions -------------------------------------------------------------------------------
def test_the_cluster_replicates_every_topic(cluster):
    from medshare import kafka as mk

    client = mk.admin(cfg=cluster)
    try:
        described = client.describe_topics([n for n in client.list_topics() if not n.startswith("__")])
    finally:
        client.close()
    assert described
    for d in described:
        assert {len(p["replica_nodes"]) for p in d["partitions"]} == {3}, d["name"]
    from medshare.acls import topic_configs

    assert topic_configs(t.TopicSpec(t.AUDIT, 1), cluster)["min.insync.replicas"] == "2"


def test_reference_run_produced_every_kind_of_output(reference):
    out = reference["outputs"]
    for name in (t.insurer_claims("hhb"), t.insurer_claims("shenlife"), "audit_ids", "lab_settlements_v2",
                 "lab_emr_notes", "claim_ledger", "quarantine"):
        assert sum(out[name].values()) > 0, name
    assert max(out["audit_ids"].values()) == 1


def test_the_broker_was_killed_mid_stream_and_the_processors_carried_on(fault_run, reference):
    f = fault_run
    assert f["leaders"][f["victim"]] == max(f["leaders"].values()) > 0
    inputs = sum(1 for e in reference["events"] if e.topic in (t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES))
    assert sum(f["at_kill"][i] for i in ("router-a", "router-b")) < inputs, "the router had finished already"
    assert f["consumed_while_down"] >= 200
    controller, brokers, _, offline = f["health_while_down"]
    assert f["victim"] not in brokers and not offline, "a partition went offline with one broker down"
    assert set(f["final_health"][1]) == {1, 2, 3}


def test_partitions_moved_between_the_instances(fault_run):
    """Instance a held every input partition until b joined; then they shared them, and both worked."""
    st, before, after = fault_run["statuses"], fault_run["before_second"], fault_run["after_second"]
    for name in ("router", "claims"):
        held = set(before[f"{name}-a"]["assignment"])
        assert before[f"{name}-a"]["consumed"] > 0 and held
        assert {p.rsplit(":", 1)[1] for p in held} == {"0", "1", "2"}
        a, b = set(after[f"{name}-a"]), set(after[f"{name}-b"])
        assert a and b and not a & b and a | b == held, (a, b)
        assert st[f"{name}-b"]["consumed"] > 0 and st[f"{name}-a"]["consumed"] > before[f"{name}-a"]["consumed"]


def test_every_processor_exited_cleanly_on_sigterm(fault_run):
    assert fault_run["exit"] == {name: 0 for name in fault_run["exit"]}, \
        {n: (fault_run["logs"] / f"{n}.log").read_text(errors="replace")[-2000:]
         for n, rc in fault_run["exit"].items() if rc}


def test_outputs_equal_the_run_without_a_fault(fault_run, reference, tmp_path_factory):
    problems = _compare(reference["outputs"], fault_run["outputs"])
    if problems:  # both runs' outputs beside the logs, for a diff
        out = tmp_path_factory.getbasetemp()
        for run, data in (("reference", reference["outputs"]), ("fault", fault_run["outputs"])):
            (out / f"outputs-{run}.json").write_text(json.dumps({k: sorted(v.elements()) for k, v in data.items()},
                                                                ensure_ascii=False, indent=1))
    assert problems == []
    assert max(fault_run["outputs"]["audit_ids"].values()) == 1


def test_no_partition_stays_under_replicated(fault_run):
    _, brokers, under, offline = fault_run["final_health"]
    assert brokers == [1, 2, 3] and under == [] and offline == []
