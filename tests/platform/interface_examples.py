"""Settlement lines in the national platform interface's shape, built from public examples.

The *shape* of each line (node names, field names, types, which fields are numbers) is taken from
public implementations of the interface, not invented here:

* ``setlinfo`` + ``setldetail``: the 2207 门诊结算 output as newtouch-cloud/openhis models it,
  ``WinServiceAPI/YiBaoInterface/Models/Output/Output_2207.cs`` (``setlinfo2207``, 40 fields, amounts
  ``数值型 16,2``, ``setl_time`` ``yyyy-MM-dd HH:mm:ss``) and the ``setldetail`` fields listed there;
* ``feedetail``: the 2204 门诊费用明细信息上传 input in liutao2019/IBORN_HIS_ALL,
  ``MEDICAL/顺德医保/佛山新医保接口/API.GZSI/Models/Request/RequestGzsiModel2204.cs`` (``feedetl_sn``,
  ``med_list_codg``, ``medins_list_codg``, ``fee_ocur_time``, ``cnt``, ``pric``, ``bilg_dr_codg`` ...)
  merged with the 2204 output's split per line in newtouch-cloud/openhis,
  ``WinServiceAPI/YiBaoInterface/Models/Output/Output_2204.cs`` (``fulamt_ownpay_amt``, ``overlmt_amt``,
  ``preselfpay_amt``, ``inscp_scp_amt``, ``chrgitm_lv``, ``med_chrgitm_type``, ``list_sp_item_flag``,
  ``hi_nego_drug_flag``);
* ``diseinfo``: the 2203 就诊信息上传 input in liutao2019/IBORN_HIS_ALL,
  ``MEDICAL/顺德医保/佛山新医保接口/API.GZSI/Models/Request/RequestGzsiModel2203.cs``
  (``diag_type``, ``diag_srt_no``, ``diag_code``, ``diag_name``, ``maindiag_flag`` 1-是 0-否);
* ``revoke``: the 2208 门诊结算撤销 input, ``.../Request/RequestGzsiModel2208.cs`` in the same repository
  (``setl_id``, ``mdtrt_id``, ``psn_no``).

The codes are the ones the issue names as real: ICD-10 医保版 2.0 ``C34.900x001`` (lung cancer),
``I10.x00x002`` (hypertension), national drug code ``XA01ABD075A002010100483``, 15-digit service
code ``001216000010100``, institutions ``H31011500123`` and ``P31010400155``. Every person and value
is synthetic; amounts are computed in whole fen so every consistency rule holds exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.formats import resident_id_check_char

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "interface_examples.jsonl"

HOSPITAL = ("H31011500123", "上海市浦东新区示例医院（虚构）")
PHARMACY = ("P31010400155", "上海市徐汇区示例大药房（虚构）")
WEST_DRUG = "XA01ABD075A002010100483"
PATENT_DRUG = "ZA04CAK0241010101445"
SERVICE = "001216000010100"
SERVICE_2 = "001102000010000"
CONSUMABLE = "C0101010600000001234"


def certno(region: str, birth: str, seq: str) -> str:
    first17 = f"{region}{birth}{seq}"
    return first17 + resident_id_check_char(first17)


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def fee(sn: str, code: str, local: str, kind: str, level: str, cnt: float, pric_fen: int, time: str,
        own: str = "none", nego: str = "0", special: str = "0") -> dict[str, Any]:
    """One 2204 line; ``own``: ``full`` (丙类, all own-pay), ``pre10`` (乙类, 10 % 先行自付) or ``none``."""
    amount = round(cnt * pric_fen)
    full = amount if own == "full" else 0
    pre = round(amount * 0.1) if own == "pre10" else 0
    return {
        "feedetl_sn": sn, "med_list_codg": code, "medins_list_codg": local, "fee_ocur_time": time,
        "cnt": cnt, "pric": _yuan(pric_fen), "det_item_fee_sumamt": _yuan(amount),
        "med_chrgitm_type": kind, "chrgitm_lv": level,
        "fulamt_ownpay_amt": _yuan(full), "overlmt_amt": 0.0, "preselfpay_amt": _yuan(pre),
        "inscp_scp_amt": _yuan(amount - full - pre),
        "list_sp_item_flag": special, "hi_nego_drug_flag": nego, "bilg_dr_codg": "D310115000123",
    }


def settlement(setl_id: str, mdtrt_id: str, person: dict[str, Any], med_type: str, insutype: str,
               institution: tuple[str, str], setl_time: str, feedetail: list[dict[str, Any]],
               diseinfo: list[dict[str, Any]], pool_ratio: float, big_ill_fen: int = 0,
               large_amount_fen: int = 0, aid_fen: int = 0, acct_limit_fen: int = 0) -> dict[str, Any]:
    """A 2207 output line whose amounts follow from its fee lines, to the fen."""
    to_fen = [(round(f["det_item_fee_sumamt"] * 100), round(f["fulamt_ownpay_amt"] * 100),
               round(f["preselfpay_amt"] * 100), round(f["inscp_scp_amt"] * 100)) for f in feedetail]
    total = sum(t[0] for t in to_fen)
    full = sum(t[1] for t in to_fen)
    pre = sum(t[2] for t in to_fen)
    inscp = sum(t[3] for t in to_fen)
    pool = round(inscp * pool_ratio)
    funds = pool + big_ill_fen + large_amount_fen + aid_fen
    personal = total - funds
    acct = min(acct_limit_fen, personal)
    setlinfo = {
        "mdtrt_id": mdtrt_id, "setl_id": setl_id, **person,
        "insutype": insutype, "psn_type": "11" if insutype == "310" else "1601", "cvlserv_flag": "0",
        "setl_time": setl_time, "mdtrt_cert_type": "02", "med_type": med_type,
        "fixmedins_code": institution[0], "fixmedins_name": institution[1],
        "medfee_sumamt": _yuan(total), "fulamt_ownpay_amt": _yuan(full), "overlmt_selfpay": 0.0,
        "preselfpay_amt": _yuan(pre), "inscp_scp_amt": _yuan(inscp), "act_pay_dedc": 0.0,
        "hifp_pay": _yuan(pool), "pool_prop_selfpay": pool_ratio, "cvlserv_pay": 0.0, "hifes_pay": 0.0,
        "hifmi_pay": _yuan(big_ill_fen), "hifob_pay": _yuan(large_amount_fen), "maf_pay": _yuan(aid_fen),
        "oth_pay": 0.0, "fund_pay_sumamt": _yuan(funds), "psn_part_amt": _yuan(personal),
        "acct_pay": _yuan(acct), "psn_cash_pay": _yuan(personal - acct), "hosp_part_amt": 0.0,
        "acct_mulaid_pay": 0.0, "medins_setl_id": f"M{setl_id}", "clr_optins": "310115",
        "clr_way": "1", "clr_type": "41" if med_type == "41" else ("21" if med_type.startswith("2") else "11"),
    }
    setldetail = [{"fund_pay_type": "310100" if insutype == "310" else "390100",
                   "inscp_scp_amt": _yuan(inscp), "crt_payb_lmt_amt": _yuan(inscp), "fund_payamt": _yuan(pool),
                   "fund_pay_type_name": "基本医疗保险统筹基金"}] if pool else []
    return {"setlinfo": setlinfo, "setldetail": setldetail, "feedetail": feedetail, "diseinfo": diseinfo}


def diag(no: int, code: str, name: str, main: bool, kind: str = "1") -> dict[str, Any]:
    return {"diag_type": kind, "diag_srt_no": no, "diag_code": code, "diag_name": name,
            "maindiag_flag": "1" if main else "0"}


def person(name: str, region: str, birth: str, seq: str, age: int, psn_no: str) -> dict[str, Any]:
    rid = certno(region, birth, seq)
    return {"psn_no": psn_no, "psn_name": name, "psn_cert_type": "01", "certno": rid,
            "gend": "1" if int(rid[16]) % 2 else "2", "naty": "01",
            "brdy": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", "age": float(age)}


ZHANG = person("张伟", "310115", "19560312", "135", 69, "31000011500000000123")
LI = person("李娜", "310104", "19880704", "046", 37, "31000010400000004567")
WANG = person("王芳", "310112", "19700122", "024", 56, "31000011200000008910")


def lines() -> list[dict[str, Any]]:
    """Five settlements (hospital outpatient, emergency, inpatient, chronic outpatient, pharmacy) and one 2208."""
    outpatient = settlement(
        "310000000000123456", "310000000000654321", ZHANG, "11", "310", HOSPITAL, "2026-03-05 10:21:07",
        [fee("1", SERVICE, "ZC001", "02", "01", 1, 2500, "2026-03-05 09:40:00"),
         fee("2", WEST_DRUG, "YP0457", "09", "02", 2, 3150, "2026-03-05 10:05:12", own="pre10")],
        [diag(1, "I10.x00x002", "高血压病1级", True)],
        pool_ratio=0.85, acct_limit_fen=500)
    emergency = settlement(
        "310000000000123457", "310000000000654322", LI, "13", "310", HOSPITAL, "2026-03-06 02:14:55",
        [fee("1", SERVICE_2, "JZ001", "02", "01", 1, 5000, "2026-03-06 01:52:00"),
         fee("2", CONSUMABLE, "CL0021", "08", "02", 3, 1280, "2026-03-06 02:01:33", own="pre10"),
         fee("3", WEST_DRUG, "YP0457", "09", "03", 1, 3150, "2026-03-06 02:05:10", own="full")],
        [diag(1, "J18.900", "肺炎", True), diag(2, "R50.900x001", "发热", False)],
        pool_ratio=0.7, acct_limit_fen=10000)
    inpatient = settlement(
        "310000000000123458", "310000000000654323", ZHANG, "21", "310", HOSPITAL, "2026-03-20 16:02:41",
        [fee("1", "001102000010000", "CW01", "01", "01", 9, 4000, "2026-03-19 08:00:00"),
         fee("2", SERVICE, "SS0913", "06", "01", 1, 865000, "2026-03-12 10:30:00"),
         fee("3", CONSUMABLE, "CL0188", "08", "02", 2, 239900, "2026-03-12 10:31:00", own="pre10"),
         fee("4", WEST_DRUG, "YP0457", "09", "02", 14, 3150, "2026-03-18 09:00:00", own="pre10", nego="1"),
         fee("5", PATENT_DRUG, "ZY0031", "11", "03", 2, 6880, "2026-03-18 09:00:00", own="full")],
        [diag(1, "C34.900x001", "肺恶性肿瘤", True), diag(2, "I10.x00x002", "高血压病1级", False)],
        pool_ratio=0.9, big_ill_fen=0, large_amount_fen=120000, acct_limit_fen=0)
    chronic = settlement(
        "310000000000123459", "310000000000654324", WANG, "14", "390", HOSPITAL, "2026-03-21 11:45:10",
        [fee("1", SERVICE, "ZC001", "02", "01", 1, 2500, "2026-03-21 11:02:00"),
         fee("2", WEST_DRUG, "YP0457", "09", "01", 4, 3150, "2026-03-21 11:30:00")],
        [diag(1, "E11.900", "2型糖尿病", True), diag(2, "I10.x00x002", "高血压病1级", False)],
        pool_ratio=0.7, aid_fen=1000)
    pharmacy = settlement(
        "310000000000123460", "310000000000654325", LI, "41", "310", PHARMACY, "2026-03-22 18:20:03",
        [fee("1", WEST_DRUG, "P-YP88", "09", "02", 1, 3150, "2026-03-22 18:19:40"),
         fee("2", PATENT_DRUG, "P-ZY12", "11", "01", 1, 2480, "2026-03-22 18:19:41")],
        [], pool_ratio=0.0, acct_limit_fen=100000)
    revoke = {"revoke": {"setl_id": outpatient["setlinfo"]["setl_id"],
                         "mdtrt_id": outpatient["setlinfo"]["mdtrt_id"], "psn_no": ZHANG["psn_no"]}}
    return [outpatient, emergency, inpatient, chronic, pharmacy, revoke]


def write(path: Path = FIXTURE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines()), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
