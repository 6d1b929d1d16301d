"""A small simulated lab, built once per session: simulator -> de-identifier -> LabDB -> dbt build.

No broker is needed for the lab itself. A few hand-made rows are added to what the simulator
gives, so the tests always see what a short run may lack: a refund in the month after its
settlement, a refund whose settlement never reached the lab, and a 多卡聚集 pattern (five cards at
one institution in the same hour, twice in a week).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest


def _extra_rows(base: dict) -> list[dict]:
    now = datetime.now(UTC).isoformat()
    rows = []
    # a refund in February of a January settlement (netted into January)
    rows.append({**base, "settlement_id": "ST2026020299990001", "event_type": "refund",
                 "refund_of": base["settlement_id"], "event_hour": "2026-02-02T10:00:00+08:00",
                 "event_month": "2026-02", "items": [{**i, "amount": -i["amount"], "self_expense": -i["self_expense"],
                                                      "quantity": -i["quantity"]} for i in base["items"]],
                 **{k: -base[k] for k in ("total_amount", "fund_paid", "account_paid", "self_pay", "self_expense")},
                 "loaded_at": now})
    # a refund whose settlement is not in the lab (stands alone, negative)
    rows.append({**base, "settlement_id": "ST2026021099990002", "event_type": "refund",
                 "refund_of": "ST2025123199999999", "event_hour": "2026-02-10T09:00:00+08:00",
                 "event_month": "2026-02", "items": [{**base["items"][0], "amount": -12.5, "self_expense": 0,
                                                      "quantity": -1}],
                 "total_amount": -12.5, "fund_paid": -12.5, "account_paid": 0, "self_pay": 0, "self_expense": 0,
                 "loaded_at": now})
    # 多卡聚集: five cards at one institution in the same hour, on two days of one week
    for day, hour in (("2026-01-13", "10"), ("2026-01-15", "15")):
        for n in range(5):
            rows.append({**base, "settlement_id": f"ST{day.replace('-', '')}9998{n:02d}{hour}",
                         "event_type": "settlement", "refund_of": None, "person_key": f"{n:x}" * 32,
                         "event_hour": f"{day}T{hour}:00:00+08:00", "event_month": "2026-01",
                         "institution_code": "H31011500999", "visit_type": "11", "length_of_stay": 0,
                         "loaded_at": now})
    return rows


@pytest.fixture(scope="session")
def sim_lab(tmp_path_factory):
    """(settings, lab database path, build seconds) of a built simulated lab."""
    from medshare.config import reload_settings
    from medshare.lab import dbt
    from medshare.lab.simlab import build_simulated_lab
    from medshare.simulate import SimConfig
    from streams.labdb import LabDB

    cfg = reload_settings()
    path = tmp_path_factory.mktemp("lab") / "lab.duckdb"
    cfg = cfg.model_copy(update={"lab_url": str(path)})
    build_simulated_lab(str(path), SimConfig(persons=3000, days=40, seed=11, start_date=date(2026, 1, 1),
                                             malformed_rate=0.0), cfg=cfg, notes=30)
    db = LabDB(url=str(path), cfg=cfg)
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute("select * from lab_settlements where event_month = '2026-01' and event_type = 'settlement' "
                    "order by settlement_id limit 1")
        names = [d[0] for d in con.description]
        base = dict(zip(names, con.fetchone(), strict=True))
    finally:
        con.close()
    import json

    base["items"] = json.loads(base["items"])
    for k in ("total_amount", "fund_paid", "account_paid", "self_pay", "self_expense"):
        base[k] = float(base[k])
    base["event_hour"] = base["event_hour"].isoformat()
    db.write({"lab_settlements": _extra_rows(base)})
    started = time.perf_counter()
    run = dbt.build(cfg=cfg)
    seconds = time.perf_counter() - started
    return cfg, path, run, seconds
