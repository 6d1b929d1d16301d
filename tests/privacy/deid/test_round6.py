"""Round 6 of issue #15: identifiers whose only clue is the layout they sit in.

Written here from what HIS exports, interface logs, narrow PDF tables and paper forms look like,
with made-up values: a value under a key that names an identifier (pinyin initials such as
``sfzh``, ``zyh``, ``ybkh``, ``csrq``; English keys in any case; Chinese keys in JSON) is that
identifier, as after a label in prose, and a look-alike's key (``fph``, ``ph``, ``orderId``) keeps
its value; a HIS log-in in a person's field is a name; a name cut by a line break is still a name;
date digits one per box; the mother's health-book number; Macau's BIR; a certificate's own number.
Values are compared after folding widths, spaces and dashes, as the benchmark does.
"""

from __future__ import annotations

import pytest

from privacy.deid.fields import fold_key, key_kind
from privacy.deid.normalise import fold, normalise
from privacy.deid.recognizers.labelled_name_recognizer import is_login

CASES = [
    # --- values under a key: JSON, key=value, key: value, XML ---
    ('日志：{"xm":"韦振邦","sfzh":"44030419880712331X","mzh":"20931775","lxdh":"13650917742"}',
     ["韦振邦", "44030419880712331X", "20931775", "13650917742"], []),
    ("导出行：XM=甘慧琳|SFZH=350102197711053025|JZKH=880152663|CSRQ=1977-11-05",
     ["甘慧琳", "350102197711053025", "880152663", "1977-11-05"], []),
    ("BRXM=龚一鸣;ZYHM=A5520931;YBKH=K70316628;XB=1;NL=47", ["龚一鸣", "A5520931", "K70316628"], ["XB=1", "NL=47"]),
    ("patient_id: 5f3c9e2a-77b1-4c0e-9d2a-1b8e6c4f0a93  床号：12床", ["5f3c9e2a-77b1-4c0e-9d2a-1b8e6c4f0a93"], ["12床"]),
    ("PatientID=88120377 BirthDate=1950/7/3 0:00:00", ["88120377", "1950/7/3 0:00:00"], []),
    ("<xm>沈晓岚</xm><zyh>3309127</zyh><csrq>1961-02-14</csrq>", ["沈晓岚", "3309127", "1961-02-14"], []),
    ('{"姓名":"田雨桐","身份证号":"210102199303154428","住院号":"771045"}', ["田雨桐", "210102199303154428", "771045"], []),
    ("SBKH:730955218  社保卡 730 955 218", ["730955218"], []),
    ("shenfenzheng=110105197602283315&shouji=13917702245&dianhua=02164418820",
     ["110105197602283315", "13917702245", "02164418820"], []),
    ('PAT_NAME="聂文清" HOSP_NO="Z0099213" 姓名="聂文清"', ["聂文清", "Z0099213"], []),
    ("pt_id: 00813772  birth_dt: 1949-10-02T00:00:00.000", ["00813772", "1949-10-02T00:00:00.000"], []),
    ("日志 {'xm': '储文韬', 'zjhm': '320102198812054411', 'fph': '55120931'}",
     ["储文韬", "320102198812054411"], ["55120931"]),
    ("小程序用户 3d9b2f6c-1e4a-4c7d-a0b2-9f8e7d6c5b4a 发起咨询", ["3d9b2f6c-1e4a-4c7d-a0b2-9f8e7d6c5b4a"], ["发起咨询"]),
    ("订单号：5b1e7a3c-2d4f-4e6a-8b9c-0a1b2c3d4e5f", [], ["5b1e7a3c-2d4f-4e6a-8b9c-0a1b2c3d4e5f"]),
    # look-alike keys keep their values; a value under a name key must be a name
    ('{"fph":"31290011","ph":"C240817","ddh":"DD20240915003","xm":"血常规"}',
     [], ["31290011", "C240817", "DD20240915003", "血常规"]),
    ("orderId=5520918833;batchNo=2309117;invoiceNo=04412093", [], ["5520918833", "2309117", "04412093"]),
    ("BP=132/84 HR=76 SpO2=97% T=36.8", [], ["132/84", "HR=76", "97%", "36.8"]),
    ("时间 08:30 记录 https://his.example.org/view?id=3", [], ["08:30"]),
    # --- log-ins in a person's field ---
    ("审核医师：tangwj  报告医师：qiaoyf03", ["tangwj", "qiaoyf03"], []),
    ("双人核对：LUOHM / 石婉清  输血医师：Zhengxl", ["LUOHM", "石婉清", "Zhengxl"], []),
    ("操作员：ouyangmq02\n备注：无", ["ouyangmq02"], ["备注"]),
    ("审核：Normal  结论：Regular rhythm", [], ["Normal", "Regular"]),
    # --- a name cut by a line break ---
    ("主刀医师：葛\n文韬  助手：陶\r\n嘉怡\n麻醉方式：全麻", ["葛\n文韬", "陶\r\n嘉怡"], ["全麻"]),
    ("姓名|性别|年龄|门诊号\n褚\n思远|男|62岁|30077125\n项目|结果", ["褚\n思远", "30077125"], ["62岁"]),
    ('{"xm":"欧阳\n明哲","zyh":"662017"}', ["欧阳\n明哲", "662017"], []),
    ("入院记录  患者韦\n海鹏，男，61岁", ["韦\n海鹏"], ["61岁"]),
    # not names: words cut by a line break stay
    ("诊断：高血压\n糖尿病\n主诉：胸闷\n气短3天", [], ["高血压", "糖尿病", "胸闷", "气短"]),
    # --- a title before the name in a person's field ---
    ("记录：主管护师郁青禾\n核对：副主任护师甄雪梅 / 张慧", ["郁青禾", "甄雪梅", "张慧"], ["主管护师"]),
    ("孕妇：方晴  产妇：简宁", ["方晴", "简宁"], []),
    # --- dates of birth one digit per box ---
    ("出生日期：1 9 5 8 年 0 6 月 2 3 日", ["1 9 5 8 年 0 6 月 2 3 日"], []),
    ("出生年月日：1 9 6 7 0 4 1 9  证件类型：身份证", ["1 9 6 7 0 4 1 9"], ["证件类型"]),
    ("生日：1 9 7 1 - 1 1 - 0 8", ["1 9 7 1 - 1 1 - 0 8"], []),
    ("血压 1 2 0 8 0 mmHg", [], ["1 2 0 8 0"]),
    # a date in boxes with no birth label is a date, not a date of birth
    ("就诊日期 2 0 2 4 年 0 3 月 1 5 日", [], ["2 0 2 4 年 0 3 月 1 5 日"]),
    # --- record numbers and documents ---
    ("产科建档  孕册号：沪31010923340117  建册号 31011299021843", ["31010923340117", "31011299021843"], []),
    ("母子健康手册号：31011524410096", ["31011524410096"], []),
    ("BIR: 5/204188/3  澳门居民身份证：1/337105/7", ["5/204188/3", "1/337105/7"], []),
    ("澳门居民，证件 7/561092/4，现居上海", ["7/561092/4"], []),
    ("稀释比例 1/2/4，滴度 1/320/5", [], ["1/2/4"]),
    ("医保卡号：3 6612 0948  社保卡：7 2405 1183", ["3 6612 0948", "7 2405 1183"], []),
    ("疾病诊断证明书  证明编号 2024-118305  诊断书编号 ZM202411306", [], ["2024-118305", "ZM202411306"]),
]


@pytest.mark.parametrize(("text", "gone", "kept"), CASES, ids=[c[0][:24] for c in CASES])
def test_round6_forms(deidentifier, text, gone, kept):
    out = fold(deidentifier.redact(text).text)
    for value in gone:
        assert fold(value) not in out, f"{value!r} left in {deidentifier.redact(text).text!r}"
    for value in kept:
        assert fold(value) in out, f"{value!r} lost from {deidentifier.redact(text).text!r}"


@pytest.mark.parametrize(
    ("key", "kind"),
    [("SFZH", "RESIDENT_ID"), ("zyh", "HOSPITAL_RECORD_NO"), ("patientId", "HOSPITAL_RECORD_NO"),
     ("PATIENT-ID", "HOSPITAL_RECORD_NO"), ("ybkh", "MEDICAL_CARD"), ("csrq", "DATE_OF_BIRTH"),
     ("lxdh", "PHONE"), ("xm", "PERSON"), ("fph", None), ("ph", None), ("order_id", None), ("身份证号", "RESIDENT_ID"),
     ("发票号", None)],
)
def test_field_keys(key, kind):
    assert key_kind(key) == (True, kind)


def test_unknown_keys_name_nothing():
    assert key_kind("xb") == (False, None)
    assert key_kind("BP") == (False, None)
    assert fold_key("Patient_ID") == "patientid"


@pytest.mark.parametrize("token", ["tangwj", "qiaoyf03", "LUOHM", "Zhengxl", "ouyangmq02", "huangfujq"])
def test_logins(token):
    assert is_login(token)


@pytest.mark.parametrize("token", ["Normal", "test", "ICU", "CT", "Regular", "pending", "mmHg", "HbA1c"])
def test_not_logins(token):
    assert not is_login(token)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("姓名：葛\n文韬  性别", "姓名:葛文韬  性别"),
        ("XM=陶\r\n嘉怡;ZYH=1", "XM=陶嘉怡;ZYH=1"),
        ("1 9 5 8 年 0 6 月 2 3 日", "1958年06月23日"),
        ("出生：1 9 6 7 0 4 1 9", "出生:19670419"),
        # left as they are
        ("诊断：高血压\n糖尿病", "诊断:高血压\n糖尿病"),
        ("1 2 3 4 5 6 7 8", "1 2 3 4 5 6 7 8"),
    ],
)
def test_normalised(text, normalised):
    assert normalise(text).text == normalised


def test_wrapped_name_maps_back_to_the_original(deidentifier):
    text = "巡回护士：葛\r\n文韬\n备注：无"
    spans = [s for s in deidentifier.analyze(text) if s.entity_type == "PERSON"]
    assert [text[s.start : s.end] for s in spans] == ["葛\r\n文韬"]


TABLE_CASES = [
    # a column header that names an identifier labels the values under it: CSV, spaces, pinyin headers
    ("姓名,性别,身份证号,住院号\n卢向东,男,110105197602283315,6620914\n", ["卢向东", "110105197602283315", "6620914"], ["男"]),
    ("姓名    性别  门诊号      卡号\n卢向东  男    20031177    802210093\n", ["卢向东", "20031177", "802210093"], []),
    ("XM|SFZH|ZYH|LXDH\n甘慧琳|350102197711053025|5520917|13917702245\n",
     ["甘慧琳", "350102197711053025", "5520917", "13917702245"], []),
    # columns that name look-alikes or results keep theirs
    ("项目  结果  单位\nWBC  6.2  10^9/L\nHb  128  g/L\n", [], ["6.2", "128", "g/L"]),
    ("发票号,批号,金额\n04412093,C240817,356.20\n", [], ["04412093", "C240817", "356.20"]),
    ('"姓名","证件号码","联系电话"\n"顾明远","330106197108243314","13588120934"\n',
     ["顾明远", "330106197108243314", "13588120934"], []),
    ("患者诉头痛，无发热，无呕吐\n血压120/80，心率80，体温36.5", [], ["120/80", "36.5", "头痛"]),
    # a labelled number is that identifier wherever else the note writes it
    ("医保卡号：610374229  复印件另附 610374229 一份", ["610374229"], ["复印件另附"]),
]


@pytest.mark.parametrize(("text", "gone", "kept"), TABLE_CASES, ids=[c[0][:24] for c in TABLE_CASES])
def test_round6_tables(deidentifier, text, gone, kept):
    out = fold(deidentifier.redact(text).text)
    for value in gone:
        assert fold(value) not in out, f"{value!r} left in {deidentifier.redact(text).text!r}"
    for value in kept:
        assert fold(value) in out, f"{value!r} lost from {deidentifier.redact(text).text!r}"
