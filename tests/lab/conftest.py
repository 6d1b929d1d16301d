"""A small lab, built once per session: v2 platform records -> de-identifier -> LabDB -> dbt build.

No broker is needed for the lab itself. The records are synthetic platform.settlements.v2
settlements and 2208 revocations (tests/lab/v2_records.py). A few hand-made lab rows are added, so
the tests always see what a short run may lack: a revocation in the month after its settlement, a
revocation whose settlement never reached the lab, and a 多卡聚集 pattern (five cards at one
institution in the same hour, twice in a week).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

MULTI_CARD_INSTITUTION = "H31011500999"


def _extra_rows(base: dict) -> dict[str, list[dict]]:
    now = datetime.now(UTC).isoformat()
    settlements, revocations = [], []
    # a revocation in February of a January settlement (netted out of January)
    revocations.append({"revoked_setl_id": base["setl_id"], "person_key": base["person_key"],
                        "revoked_hour": "2026-02-02T10:00:00+08:00", "revoked_month": "2026-02", "loaded_at": now})
    # a revocation whose settlement is not in the lab (nothing to net out)
    revocations.append({"revoked_setl_id": "310099999999999999", "person_key": base["person_key"],
                        "revoked_hour": "2026-02-10T09:00:00+08:00", "revoked_month": "2026-02", "loaded_at": now})
    # 多卡聚集: five cards at one institution in the same hour, on two days of one week
    for day, hour in (("2026-01-13", "10"), ("2026-01-15", "15")):
        for n in range(5):
            settlements.append({**base, "setl_id": f"39{day.replace('-', '')}{n:02d}{hour}000000",
                                "person_key": f"{n:x}" * 32, "setl_hour": f"{day}T{hour}:00:00+08:00",
                                "setl_month": "2026-01", "fixmedins_code": MULTI_CARD_INSTITUTION,
                                "med_type": "11", "length_of_stay": 0, "loaded_at": now})
    return {"lab_settlements_v2": settlements, "lab_revocations_v2": revocations}


@pytest.fixture(scope="session")
def sim_lab(tmp_path_factory):
    """(settings, lab database path, dbt run, build seconds) of a built lab."""
    import json

    import duckdb

    from medshare.config import reload_settings
    from medshare.lab import dbt
    from medshare.lab.simlab import build_lab_from_records
    from streams.labdb import LabDB
    from tests.lab.v2_records import records

    cfg = reload_settings()
    path = tmp_path_factory.mktemp("lab") / "lab.duckdb"
    cfg = cfg.model_copy(update={"lab_url": str(path)})
    build_lab_from_records(str(path), records(persons=600, days=40, seed=11, start=date(2026, 1, 1)), cfg=cfg)
    db = LabDB(url=str(path), cfg=cfg)
    con = duckdb.connect(str(path))
    try:
        con.execute("""select * from lab_settlements_v2 s where setl_month = '2026-01' and med_type = '11'
                       and not exists (select 1 from lab_revocations_v2 r where r.revoked_setl_id = s.setl_id)
                       order by setl_id limit 1""")
        names = [d[0] for d in con.description]
        base = dict(zip(names, con.fetchone(), strict=True))
    finally:
        con.close()
    for k in ("diseinfo", "feedetail"):
        base[k] = json.loads(base[k])
    for k, v in list(base.items()):
        if hasattr(v, "as_tuple"):  # Decimal
            base[k] = float(v)
    base["setl_hour"] = base["setl_hour"].isoformat()
    db.write(_extra_rows(base))
    started = time.perf_counter()
    run = dbt.build(cfg=cfg)
    seconds = time.perf_counter() - started
    return cfg, path, run, seconds
