"""Session 10 of issue #15: what registers, slips and forms lay out (heldout9's misses, as shapes).

Values are made up here (none copied from a benchmark corpus): V-net short numbers (集团短号, 亲情号,
单位短号), a home hospital bed's number (家床), record numbers and dates of birth read back by OCR
with a stray space, a Korean alien registration number, a US account after its routing number,
Telegram usernames, names beside a staff member's job number, run together with sex and age, a
child called by the surname and 宝宝, a relative named before a contact; and the look-alikes the
same paperwork prints (a China UnionPay POS slip's numbers, a venue code, a 医保电子凭证 ecToken,
SWIFT / ABA codes, a pet's name, a town before a facility, the staff member's job number).
Values are compared after folding widths, spaces and dashes, as the benchmark does.
"""

from __future__ import annotations

import pytest

from privacy.deid.normalise import fold
from privacy.deid.recognizers.paperwork_recognizer import _aba_valid, _dob_digits, _kr_date


def _redacts(deidentifier, text: str, gone: tuple[str, ...], kept: tuple[str, ...]) -> None:
    """Every value of ``gone`` is no longer in the redacted ``text``; every value of ``kept`` still is."""
    out = fold(deidentifier.redact(text).text)
    for value in gone:
        assert fold(value) not in out, (value, out)
    for value in kept:
        assert fold(value) in out, (value, out)


IDENTIFIERS = [
    # V-net short numbers after their labels, after 电话 when too short for a landline, after a relative
    ("家属：章立群（女儿）集团短号 681204\n", ("681204", "章立群"), ()),
    ("紧急联系人：邵雪梅（妻子）亲情号：5206\n", ("5206", "邵雪梅"), ()),
    ("联系人：单晓阳（儿子）单位短号 70315\n", ("70315",), ()),
    ("沟通对象：阮明轩（女婿），电话63018，已告知。", ("63018",), ()),
    ("联系人：邵雪梅（妻子） 61733\n主诉：头晕。", ("61733",), ("头晕",)),
    # a home hospital bed's number, labelled or by the 家床 inside it
    ("家庭病床 查床记录\n家庭病床号：家床2023-077  患者：韦安澜", ("家床2023-077", "韦安澜"), ("家庭病床",)),
    ("建床号 2023家床0456\n", ("2023家床0456",), ()),
    ("转家庭病床（家床2021-318），每周查床一次。", ("家床2021-318",), ("每周查床一次",)),
    # record numbers with a stray OCR space
    ("姓名：计春明 性别：男 住院号 3 07121 床号：12床", ("3 07121",), ("12床",)),
    ("病案号：45 0712  年龄：66岁", ("45 0712",), ("66岁",)),
    # dates of birth with a stray OCR space inside a digit run
    ("出生日期：1 962/05/04\n", ("1 962/05/04",), ()),
    ("出生：1962.0 5.04  住址：略", ("1962.0 5.04",), ()),
    ("DOB: 19 58-11-23, 病案号 00091234", ("19 58-11-23",), ()),
    # a Korean alien registration number, labelled or on a line that names Korea
    ("韩国外国人登录证 850612-5123457\n", ("850612-5123457",), ()),
    ("儿子在韩国务工，登录证 010203-7654321", ("010203-7654321",), ()),
    # a US account number after its routing number; the routing number is the bank's
    ("汇款：Routing No. 021000021  Acct# 7730019284", ("7730019284",), ("021000021",)),
    ("Beneficiary: ABA 026009593  Account #: 558120374", ("558120374",), ("026009593",)),
    # Telegram
    ("女儿在境外，Telegram t.me/lin_yue88\n", ("t.me/lin_yue88",), ()),
    ("家属联系：TG：@zhou_kai90\n", ("zhou_kai90",), ()),
    ("家属联系：TG：kaiwen_z\n", ("kaiwen_z",), ()),
    # names beside a job number (kept), run together with sex and age (kept), 宝宝, relatives
    ("操作员：0457邵雪梅\n", ("邵雪梅",), ("0457",)),
    ("收银员：戚慕白[B0921]\n", ("戚慕白",), ("B0921",)),
    ("采样人员：N2210计春明\n", ("计春明",), ()),
    ("顾客：鲁晴岚女47岁  会员手机 13917650284", ("鲁晴岚", "13917650284"), ("47岁",)),
    ("1. 栾若溪男 9岁  身份证号：略", ("栾若溪",), ("9岁",)),
    ("陪同：钮宝宝（孙）\n", ("钮",), ()),
    ("2. 东方囡囡（孙女）女3岁", ("东方",), ("3岁",)),
    ("侄女韦安澜 集团短号 620915\n", ("韦安澜", "620915"), ()),
    ("女儿在加拿大，庞若溪 手机 +1 416 555 0199\n", ("庞若溪",), ()),
    ("暴露：被邻居家犬咬伤，犬主汤明远 13917650284。", ("汤明远", "13917650284"), ()),
    ("暴露：被流浪犬咬伤，同行犬主朱文杰 62418。暴露分级 II级", ("朱文杰", "62418"), ("II级",)),
    ("主治医师：和平  住院医师：邵雪梅\n", ("和平", "邵雪梅"), ()),
    ("经办人：永康\n", ("永康",), ()),
    ("顾客：安康  会员手机 139 1765 0284", ("安康", "139 1765 0284"), ()),
    ("家属乐天（儿子）陪护，电话6205，已告知。", ("乐天", "6205"), ("已告知",)),
    ("预约名单：包德九男 81岁\n", ("包德九",), ("81岁",)),
    ("外甥在境外，屈一均 Telegram t.me/qu_yijun", ("屈一均", "t.me/qu_yijun"), ()),
    # a look-alike label inside a longer identifier label is that identifier's (医保凭证号, not 凭证号)
    ("医保凭证号：SH2093817465\n电子凭证号 E48213095", ("SH2093817465", "E48213095"), ()),
]


@pytest.mark.parametrize(("text", "gone", "kept"), IDENTIFIERS, ids=[t[:18] for t, _, _ in IDENTIFIERS])
def test_paperwork_identifiers_are_redacted(deidentifier, text, gone, kept):
    _redacts(deidentifier, text, gone, kept)


LOOKALIKES = [
    # a China UnionPay POS slip: the merchant's, terminal's and transaction's numbers stay, the card goes
    ("POS签购单 商户号 898310173920481 终端号 30219877 凭证号 004512 参考号 201938475610\n卡号 6222 0212 3456 7890 128",
     ("6222 0212 3456 7890 128",), ("898310173920481", "30219877", "004512", "201938475610")),
    ("MERCHANT NO. 898310009912345 TERMINAL NO. 11020033 AUTH NO. 730214", (), ("898310009912345", "11020033", "730214")),
    # a venue QR code's number (16 digits: the residual check's length) and a sampling site's town
    ("核酸采样登记  泗泾镇采样点  场所码编号 3101120493851722\n", (), ("3101120493851722", "泗泾镇采样点")),
    ("签约华新镇社区卫生服务中心家庭医生", (), ("华新镇",)),
    ("转诊：奉贤区庄行镇社区卫生服务中心 全科", (), ("奉贤区庄行镇",)),
    # …while a home in a town is still an address
    ("家住奉贤区庄行镇南桥路100弄5号302室", ("南桥路100弄5号302室",), ()),
    # a 医保电子凭证 settlement's ecToken
    ("凭证：医保电子凭证 ecToken 310000ec7h2kq9m4xw8p3z5r1t6y0u2v4b\n",
     (), ("310000ec7h2kq9m4xw8p3z5r1t6y0u2v4b",)),
    ("医保电子凭证结算，ecToken 310000ecq1w2e3r4t5y6u7i8o9p0a1s2d3f4", (), ("310000ecq1w2e3r4t5y6u7i8o9p0a1s2d3f4",)),
    # a bank's SWIFT / BIC and ABA routing numbers
    ("境外汇款银行 SWIFT Code BOFAUS6S\n", (), ("BOFAUS6S",)),
    ("境外汇款：汇款路线号 021000021\n", (), ("021000021",)),
    # a pet's name in a rabies-exposure record
    ("暴露：被家犬咬伤，犬名“豆豆”，已免疫。", (), ("豆豆",)),
    ("家中养猫“布丁”，未免疫", (), ("布丁",)),
    # values that are no names and no numbers of a person
    ("记录：稳定\n医师：同意\n审核：通过\n签名：已阅", (), ("稳定", "同意", "通过", "已阅")),
    ("TG：2.31mmol/L  TG 1.85mmol/L", (), ("2.31mmol/L", "1.85mmol/L")),
    ("咨询电话：12320  病区电话：分机6021", (), ("12320", "6021")),
    ("联系人：邵雪梅（女儿）2019年起同住", (), ("2019年",)),
    ("检查日期：2024.0 5.04", (), ("2024.0 5.04",)),
    ("订单号 850612-5123457", (), ("850612-5123457",)),
    ("患者女52岁，因胸痛入院。", (), ("患者", "52岁")),
    ("胎宝宝发育良好；小宝宝哭闹", (), ("胎宝宝", "小宝宝")),
    # a staff member's job number in brackets after the name is the employee's, not a record number
    ("采样人员：邵雪梅(60417)\n收银员：戚慕白(83025)", ("邵雪梅", "戚慕白"), ("60417", "83025")),
    # …but a patient's number in brackets after the patient's name is still redacted
    ("患者：邵雪梅(805047) 入院", ("邵雪梅", "805047"), ()),
    # another date's label between a date of birth and a date: that date is the other's
    ("1950/02/11出生  植入日期 2024.06.03\n器械：PICC 4Fr", ("1950/02/11",), ("2024.06.03",)),
    ("一九五零年二月十一日出生  手术日期 2023年9月8日", (), ("2023年9月8日",)),
    ("联系电话：2023年起停用", (), ("2023年",)),
    ("女儿王芳 2024年起同住", (), ("2024年",)),
    # words where a name could stand: a pregnant woman's sex and age, an operation's roles, a
    # customer with no name, when a relative will call (a false name would be redacted note-wide)
    ("孕妇女28岁，G2P1，孕38周。", (), ("孕妇",)),
    ("术者：主刀(3201)\n", (), ("主刀",)),
    ("顾客：会员  会员卡号：略", (), ("会员",)),
    ("女儿在外地，明天 电话联系", (), ("明天",)),
]


@pytest.mark.parametrize(("text", "gone", "kept"), LOOKALIKES, ids=[t[:18] for t, _, _ in LOOKALIKES])
def test_paperwork_lookalikes_are_kept(deidentifier, text, gone, kept):
    _redacts(deidentifier, text, gone, kept)


def test_aba_routing_checksum():
    assert _aba_valid("021000021") and _aba_valid("026009593")
    assert not _aba_valid("021000022")


def test_stray_space_date_must_be_a_real_date():
    assert _dob_digits("1 962/05/04") and _dob_digits("1962.0 5.04")
    assert not _dob_digits("1 962/13/04") and not _dob_digits("3 962/05/04")


def test_korean_registration_date_by_sex_digit():
    assert _kr_date("850612-5123457")  # 5: a foreign man born in the 1900s
    assert _kr_date("010203-7654321")  # 7: born from 2000
    assert not _kr_date("851312-5123457")  # month 13
