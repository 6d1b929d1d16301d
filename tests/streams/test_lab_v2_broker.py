"""Interface output through the real broker into the lab: ``medshare platform ingest`` publishes the
public-example settlements and a 2208 revocation, the de-identifier and the lab sink run until idle,
and the lab holds each settlement once, the revocation as a revocation row, and no identifier.
A lab record with a full-width resident ID, published straight to lab.settlements.v2, is refused by
the lab sink's guard and quarantined, never written."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime

import pytest

from medshare import topics as t

pytestmark = pytest.mark.integration

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _run_until_idle(name: str, cfg) -> None:
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    Runner(factory(name)(cfg), RunOptions(until_idle=True, idle_s=3.0), cfg).run()


def test_interface_output_reaches_the_lab_de_identified(kafka_broker, tmp_path):
    from medshare.envelope import Outgoing
    from medshare.ingest import ingest
    from medshare.kafka import producer
    from streams.labdb import LabDB
    from tests.platform import interface_examples as ex

    run = uuid.uuid4().hex[:8]
    lines = copy.deepcopy(ex.lines())
    for x in lines:  # fresh ids: records of earlier runs on the topics do not count
        if "revoke" in x:
            x["revoke"]["setl_id"] = f"{run}{x['revoke']['setl_id'][-6:]}"
        else:
            x["setlinfo"]["setl_id"] = f"{run}{x['setlinfo']['setl_id'][-6:]}"
    path = tmp_path / f"interface-{run}.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    cfg = kafka_broker.model_copy(update={"lab_url": str(tmp_path / "lab.duckdb")})
    result = ingest(path, cfg=cfg)
    assert result.published == 6

    # a lab record that slipped a full-width resident ID into a field: the sink must refuse it
    from medshare.ingest import to_record
    from privacy.deid.memory import PersonMemory
    from streams.deidentify import Deidentifier

    forged = Deidentifier(cfg, memory=PersonMemory(b"f" * 32)).platform_record(to_record(lines[1])[1],
                                                                                 datetime.now(UTC))
    forged = {**forged, "setl_id": f"{run}999999", "district": ex.LI["certno"].translate(FULL_WIDTH)}
    p = producer("pipeline", cfg=cfg)
    try:
        out = Outgoing.record(t.LAB_SETTLEMENTS_V2, forged, key=forged["person_key"], producer="test",
                              event_id=f"forged-{run}")
        p.send(out.topic, key=out.key, value=out.value, headers=out.headers)
        p.flush()
    finally:
        p.close()

    _run_until_idle("deidentify", cfg)
    _run_until_idle("lab-sink", cfg)

    db = LabDB(cfg=cfg)
    rows = db.query("select setl_id, person_key, med_type, main_diag_code, hifob_pay, district, feedetail "
                    "from lab_settlements_v2 where setl_id like ?", (f"{run}%",))
    assert sorted(r[0] for r in rows) == sorted(x["setlinfo"]["setl_id"] for x in lines if "setlinfo" in x)
    by_id = {r[0]: r for r in rows}
    inpatient = by_id[f"{run}123458"]
    assert inpatient[2] == "21" and inpatient[3] == "C34.900x001" and float(inpatient[4]) == 1200.0
    revoked = db.query("select revoked_setl_id, person_key from lab_revocations_v2 where revoked_setl_id like ?",
                       (f"{run}%",))
    assert revoked == [(f"{run}123456", by_id[f"{run}123456"][1])]
    # no identifier of the example persons anywhere in what the lab holds
    text = json.dumps([[str(c) for c in r] for r in rows], ensure_ascii=False)
    for person in (ex.ZHANG, ex.LI, ex.WANG):
        for field in ("psn_no", "psn_name", "certno", "brdy"):
            assert person[field] not in text, field
    # the forged record went to quarantine, named by the guard's rule and path, without the value
    from tests.streams.pipeline_helpers import read_topic

    quarantined = [json.loads(m.value) for m in read_topic(cfg, t.QUARANTINE)]
    mine = [q for q in quarantined if q.get("source_event_id") == f"forged-{run}"]
    assert len(mine) == 1
    assert mine[0]["source_topic"] == t.LAB_SETTLEMENTS_V2 and mine[0]["rules"] == ["leak-guard"]
    assert "district:resident_id" in json.dumps(mine[0]["violations"], ensure_ascii=False)
    assert ex.LI["certno"] not in json.dumps(mine[0], ensure_ascii=False)
    assert ex.LI["certno"].translate(FULL_WIDTH) not in json.dumps(mine[0], ensure_ascii=False)
    assert db.query("select count(*) from lab_settlements_v2 where setl_id = ?", (f"{run}999999",)) == [(0,)]
