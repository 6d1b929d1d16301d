"""CnAddressRecognizer: Shanghai district/town/road/lane/number/room, other provinces."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        ("家住上海市徐汇区漕溪北路88弄3号1202室。", 1, [(2, 22)]),
        ("住址：浦东新区张江镇祖冲之路1200号；", 1, [(3, 19)]),
        ("闵行区七宝镇新龙村5组32号", 1, [(0, 14)]),
        ("宝山区友谊路街道宝林三村12号楼301室", 1, [(0, 20)]),
        ("现住上海崇明区万科城市花园29栋3单元284室，", 1, [(2, 23)]),
        ("长宁区祖冲之路798号锦绣江南小区34号906室", 1, [(0, 24)]),
        ("嘉定区金科路330弄22号506。", 1, [(0, 16)]),
        ("现住址浦东新区古美西路小区6栋5单元330室", 1, [(3, 22)]),
        ("住址：漕溪北路88弄3号", 1, [(3, 12)]),
        ("籍贯：安徽省六安市霍邱县城关镇红星村3组", 1, [(3, 20)]),
        # not addresses: a district alone (the lab keeps it), hospitals, departments
        ("家住浦东新区，退休", 0, []),
        ("徐汇区中心医院心内科", 0, []),
        ("转上海市第六人民医院", 0, []),
        ("出院后回家路上跌倒", 0, []),
    ],
)
def test_address(find, text, expected_len, expected_positions):
    spans = find(text, "ADDRESS")
    assert len(spans) == expected_len
    assert spans == expected_positions
