"""The calculator and the stream processor agree: the same simulated settlements through the
processor's handler (in-process, real stores) and through ``medshare.claims.calculator`` give the
same payable per duty for every settlement, for both products (shenlife after hhb, coordinated).

Settlements start in October 2025, so the diagnoses the processor sees before the 2026 enrolments
are the history the pre-existing decision is judged from; the calculator gets no history of its
own — it keeps the diagnoses of the earlier settlements in its input, as the processor does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest
from claims_helpers import (
    INSURERS,
    PRODUCT_OF,
    Feed,
    crafted,
    engine,
    fee,
    revocation,
    run_batch,
    settlements,
)

from medshare import topics as t


@pytest.fixture
def cfg(tmp_path):
    from medshare.config import Settings

    return Settings(home=tmp_path / "home")


def paying_stories(records: list[dict]) -> list[dict]:
    """Hand-made settlements of two simulated persons that cross the deductibles (the simulated
    population of 120 rarely does in a few months): a cancer history in 2025 and a 特药 and an
    inpatient stay with it in 2026 (pre-existing), a large inpatient 自费 (both products pay,
    coordinated), and its 2208 revocation."""
    a = next(r for r in records if "revoke" not in r)
    b = next(r for r in records if "revoke" not in r and r["person_no"] != a["person_no"])
    bed = lambda days: fee("001202000010000", "特需病房床位费", "01", "03", days, 600.0, True)  # noqa: E731
    drug = fee("XL01EFK071A000003517258", "哌柏西利胶囊", "09", "02", 1, 2288.0, False)
    big = crafted(b, "ST2026031500000902", "2026-03-15", "21", "H31010110021", "K80.200",
                  [bed(50), fee("003310050080000", "腹腔镜胆囊切除术", "06", "01", 1, 2100.0, False)], 2100.0)
    return [
        crafted(a, "ST2025110100000801", "2025-11-01", "11", "H31010410078", "C50.900",
                [fee("002504020350000", "肿瘤标志物检测", "04", "01", 1, 120.0, False)], 40.0),
        crafted(a, "ST2026030500000802", "2026-03-05", "14", "H31010410078", "C50.900x001", [drug], 688.0),
        crafted(a, "ST2026031000000803", "2026-03-10", "21", "H31010410078", "C50.900", [bed(40)], 0.0),
        big, revocation(big),
    ]


def test_calculator_and_processor_agree(cfg):
    from medshare.claims.calculator import calculate
    from medshare.claims.products import load_products
    from streams.claims import ClaimsHandler

    records = settlements(persons=120, days=200, seed=7, start=date(2025, 10, 1))
    records = sorted(records + paying_stories(records), key=lambda r: r["event_time"])
    persons = sorted({r["person_no"] for r in records})
    handler = ClaimsHandler(cfg, engine(cfg, persons))
    feed = Feed()
    results: dict[str, dict[str, dict]] = defaultdict(dict)  # insurer -> settlement -> result
    for i in range(0, len(records), 150):
        msgs = [feed.msg(t.PLATFORM_SETTLEMENTS, r, r["settlement_id"], r["person_no"]) for r in records[i:i + 150]]
        for o in run_batch(handler, msgs):
            if o.topic.startswith("insurer."):
                rec = json.loads(o.value)
                results[o.topic.split(".")[1]][rec["settlement_id"]] = rec
    # every claim decided, published or not (hhb's result grant publishes only what pays)
    ledger = {(e.insurer, e.settlement_id): e for e in handler.engine.store.entries()}
    handler.close()
    assert results["hhb"] and results["shenlife"]

    products = load_products()
    by_person = defaultdict(list)
    for r in records:
        by_person[r["person_no"]].append(r)
    compared = paying = pre_existing = withheld = 0
    for rs in by_person.values():
        hhb_paid = {}
        for code in INSURERS:  # hhb pays first (payer order 10), shenlife after it (20)
            spec = {"enrolment": {"product": PRODUCT_OF[code], "start": "2026-01-01"}, "settlements": rs,
                    "other_payments": {sid: {"hhb-huibao": v} for sid, v in hhb_paid.items()} if code != "hhb"
                    else {}}
            out = calculate(products, spec)
            for row in out["settlements"]:
                entry = ledger.get((code, row["settlement_id"]))
                if entry is None:  # not enrolled yet, or the agreement not in effect (shenlife: from March)
                    continue
                assert entry.total_payable == round(row["total_payable"] * 100), (code, row["settlement_id"])
                got = results[code].get(row["settlement_id"])
                # hhb (result grant) receives a claim that pays and the reversal of one it received
                if code == "hhb" and not (results["hhb"].get(entry.reverses) if entry.reverses
                                          else row["total_payable"]):
                    assert got is None, row["settlement_id"]  # decided, kept, not disclosed
                    withheld += 1
                    continue
                assert got is not None, (code, row["settlement_id"])
                want = {k: v for k, v in got["payable"].items() if v}
                assert {k: v for k, v in row["payable"].items() if v} == want, (code, row["settlement_id"])
                assert row["total_payable"] == got["total_payable"]
                compared += 1
                paying += row["total_payable"] > 0
                pre_existing += bool((row.get("pre_existing") or {}).get("pre_existing"))
                if code == "hhb" and row.get("event_type") == "settlement" and row["total_payable"]:
                    hhb_paid[row["settlement_id"]] = row["total_payable"]
    assert compared == sum(len(v) for v in results.values())
    assert withheld > 100 and compared + withheld == len(ledger)
    assert paying >= 4, paying
    assert pre_existing >= 2, pre_existing
    # the hand-made stories, worked out by hand
    total = {(c, sid): results[c][sid]["total_payable"] for c in INSURERS for sid in results[c]}
    assert total[("hhb", "ST2026030500000802")] == 206.40  # 特药, pre-existing C50 (2025-11-01): 688 x 0.3
    assert total[("shenlife", "ST2026030500000802")] == 0.0  # shenlife excludes the pre-existing condition
    assert total[("hhb", "ST2026031000000803")] == 6000.0  # (24000 - 12000) x 0.5 (pre-existing)
    assert total[("hhb", "ST2026031500000902")] == 12600.0  # (30000 - 12000) x 0.7
    # shenlife computes (32100 - 5000) x 1.0 = 27100, but only 32100 - 12600 = 19500 of the own share is left
    assert total[("shenlife", "ST2026031500000902")] == 19500.0
    assert (total[("hhb", "ST2026031500000902-R")], total[("shenlife", "ST2026031500000902-R")]) == (-12600.0, -19500.0)
