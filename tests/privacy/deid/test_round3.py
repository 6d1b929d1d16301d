"""Round 3 of issue #15: layouts, kinds and people the second round did not know.

Each case is written from what real notes contain, not copied from a corpus: numbers cut by a line
break or written in form boxes, Arabic and Chinese digits mixed or in groups, Republic-of-China
years, labels and names spaced out by OCR or alignment, instant-messaging accounts, commercial
policy numbers, international phone numbers, Taiwan and Hong Kong identity numbers, names with no
Han surname in a name field (Tibetan, Mongolian, Japanese, Latin), Hong Kong / Taiwan addresses in
an address field — and the look-alikes that must stay (settlement IDs, drug trace codes, a drug's
医保 code). Values are compared after folding widths, spaces and dashes, as the benchmark does.
"""

from __future__ import annotations

import time

import pytest

from privacy.deid.entities import CONTACT_ID, ENTITY_TYPES, PERSON
from privacy.deid.normalise import fold, normalise
from privacy.deid.recognizers.cn_resident_id_recognizer import valid_hongkong, valid_taiwan

CASES = [
    # numbers cut by a line break: joined only when the parts make a mobile, an ID or a card
    ("联系人：王芳（女儿）159\n 5170 5974\n医生回复：", ["15951705974"], []),
    ("身份证号：3101071960\n10177943\n现住址", ["310107196010177943"], []),
    ("白细胞 12\n34 56", [], ["12", "34 56"]),
    # form boxes and digits spaced one by one
    ("证件号码：3|1|0|1|0|4|1|9|9|0|0|3|0|7|4|2|1|1\n", ["310104199003074211"], []),
    (
        "身份证：3 | 1 | 0 | 1 | 0 | 4 | 1 | 9 | 9 | 0 | 0 | 3 | 0 | 7 | 4 | 2 | 1 | 1 就诊",
        ["310104199003074211"],
        [],
    ),
    # Arabic and Chinese digits mixed, Chinese digits in groups
    ("家属电话1381234九八八七", ["1381234九八八七"], []),
    ("电话：幺三八 幺二三四 五六七八", ["幺三八幺二三四五六七八"], []),
    ("手机：一三八-一二三四-五六七八", ["一三八一二三四五六七八"], []),
    # Republic-of-China years
    ("出生日期：民國六十三年一月二十一日", ["民國六十三年一月二十一日"], []),
    ("DOB: 民国36年7月7日", ["民国36年7月7日"], []),
    # Japanese era years (Japanese residents' documents), 两 dictated as a digit
    ("生年月日：昭和60年3月12日", ["昭和60年3月12日"], []),
    ("出生日期：平成元年5月1日", ["平成元年5月1日"], []),
    ("电话幺三八两三四五六七八九", ["幺三八两三四五六七八九"], []),
    # labels spaced out (OCR of a form, alignment)
    ("住 院 号：2863814_1\n诊断：", ["2863814_1"], ["诊断"]),
    ("出 生：71.12.12\n", ["71.12.12"], []),
    ("电  话：64041990\n", ["64041990"], []),
    # names padded with spaces, and the same name elsewhere in the note
    ("姓  名：萧  瑞英  性  别：女\n患者萧瑞英因头晕就诊", ["萧瑞英"], ["头晕"]),
    ("参加人员：凌  彩霞护士长、苗雅芝", ["凌彩霞", "苗雅芝"], ["护士长"]),
    # instant messaging accounts
    ("QQ：242605475\n", ["242605475"], []),
    ("扣扣 508960304", ["508960304"], []),
    ("微信：wxid_ubdni3tku3vn88", ["wxid_ubdni3tku3vn88"], []),
    ("或加vx gu-li92，医生回复", ["gu-li92"], []),
    ("WeChat: Xu_zhang51\n", ["Xu_zhang51"], []),
    ("联系方式（微信）：abc_123x", ["abc_123x"], []),
    (
        "姓名\t电话\tQQ\t微信\n王芳\t13812345678\t242605475\tzhangwei_85\n",
        ["王芳", "242605475", "zhangwei_85"],
        [],
    ),
    ("电话13812345678（微信同号）", ["13812345678"], ["微信同号"]),
    # commercial policy numbers are the person's account
    ("沪惠保保单号：PSH22417446300583  出险日期", ["PSH22417446300583"], ["出险日期"]),
    ("商业保险保单号 583-3010-73791746\n", ["583-3010-73791746"], []),
    # international phones in their own groupings
    ("紧急联系人：黄冠宇（侄子）+852 9188 4547", ["+852 9188 4547"], []),
    ("Tel: +7 912 443-58-95", ["+7 912 443-58-95"], []),
    ("电话：+81 70-8245-2935\n", ["+81 70-8245-2935"], []),
    ("+3床患者", [], ["+3床"]),
    # documents: passports with few digits, Taiwan and Hong Kong identity numbers
    ("护照号码 C2JLTHZ0V\n", ["C2JLTHZ0V"], []),
    ("身分證字號：A123456789", ["A123456789"], []),
    ("持证件 A123456(3) 就诊", ["A123456(3)"], ["就诊"]),
    ("香港身份证：G123456(A)", ["G123456(A)"], []),
    # names with no Han surname, in a name field
    ("就诊人：扎西多吉  35岁  男", ["扎西多吉"], []),
    ("沟通对象：其其格（儿媳），电话已留", ["其其格"], []),
    (
        "主持人：洛桑主任\n参加人员：额尔敦住院医师、侯炳南",
        ["洛桑", "额尔敦", "侯炳南"],
        ["主任", "住院医师"],
    ),
    ("联 系 人：渡边由美  关  系：儿媳", ["渡边由美"], ["儿媳"]),
    ("Patient: TSE, CHI HO  中文名：謝志豪", ["TSE, CHI HO", "謝志豪"], []),
    ("Patient: María García  国籍：西班牙", ["María García"], ["西班牙"]),
    ("紧急联系人：乌云其木格\n", ["乌云其木格"], []),
    ("姓名：其其格 年龄：92岁\n讨论：患者其其格诊断胆囊炎", ["其其格"], ["胆囊炎"]),
    ("讨论：热依拉•吐尔逊诊断尿路感染，BUN 10.8", ["热依拉•吐尔逊"], ["尿路感染"]),
    # Tibetan and Mongolian names in running text (two name elements in a row), staff fields
    ("患者卓玛央金，女，45岁", ["卓玛央金"], []),
    ("患者索南扎西因腹痛入院", ["索南扎西"], ["腹痛"]),
    ("主刀医生：王刚  麻醉：李强  一助：张伟", ["王刚", "李强", "张伟"], []),
    ("医生签名：__王刚__", ["王刚"], []),
    ("住院流水号：2024012345  健康档案编号：310104000012345", ["2024012345", "310104000012345"], []),
    # name-field values that are not names
    ("联系人：本人", [], ["本人"]),
    ("患者：男，45岁", [], ["男"]),
    ("医生：建议复查血常规", [], ["建议复查"]),
    ("医生：小毛目前诊断格林-巴利综合征，", [], ["格林-巴利综合征"]),
    # addresses in an address field, any script, cut after the district
    ("Address: 香港北角英皇道317號14樓\nCC: 下肢麻木", ["香港北角英皇道317號14樓"], ["下肢麻木"]),
    ("现住址：臺北市大安區忠孝東路四段202號4樓\n", ["臺北市大安區忠孝東路四段202號4樓"], []),
    ("现 住 址：静安区\n平型关路700弄32号1504室\n联 系 人：", ["平型关路700弄32号1504室"], []),
    ("居住地 奉贤区 解放东路1212弄11号601室", ["解放东路1212弄11号601室"], []),
    ("地址：同上", [], ["同上"]),
    ("患者家住香港九龍旺角彌敦道688號12樓B室，", ["香港九龍旺角彌敦道688號12樓B室"], []),
    ("现居台北市大安区忠孝东路四段12号5楼", ["台北市大安区忠孝东路四段12号5楼"], []),
    ("患者住在医院3楼病房", [], ["医院3楼病房"]),
    # an e-mail whose dot an input method wrote as 。; a military document number
    ("邮箱：zhangwei@163。com", ["zhangwei@163。com"], []),
    ("军官证号：南字第123456号", ["南字第123456"], []),
    # generic name-field labels ending in 人 / 者; a list stops at the next field's label
    ("受检者：钱多多  检查项目：胸片", ["钱多多"], ["胸片"]),
    ("告知对象：王芳，关系：妻子", ["王芳"], ["关系", "妻子"]),
    # look-alikes that must stay
    ("入组 FM19  结算ID 2024030417134646487157", [], ["2024030417134646487157", "FM19"]),
    ("呋塞米片 追溯码 88226286852670443306", [], ["88226286852670443306"]),
    (
        "阿昔洛韦片（医保编码 XR03ACB047A061194260056，本位码 86914240000123）",
        [],
        ["XR03ACB047A061194260056", "86914240000123"],
    ),
    ("医保编码：310000123456789", ["310000123456789"], []),
]


@pytest.mark.parametrize(("text", "must_go", "must_stay"), CASES, ids=[c[0][:24] for c in CASES])
def test_round3_forms(deidentifier, text, must_go, must_stay):
    redacted = deidentifier.redact(text).text
    out = fold(redacted)
    assert [v for v in must_go if fold(v) in out] == [], redacted
    assert [v for v in must_stay if fold(v) not in out] == [], redacted


def test_contact_ids_are_their_own_type(deidentifier):
    spans = deidentifier.analyze("QQ：242605475，微信：wxid_abc123xyz")
    assert [s.entity_type for s in spans] == [CONTACT_ID, CONTACT_ID]
    assert CONTACT_ID in ENTITY_TYPES
    assert "<CONTACT_ID>" in deidentifier.redact("QQ号 8605311099").text


def test_short_or_wordy_handles_after_contact_labels_are_left(deidentifier):
    assert deidentifier.analyze("QQ：1234", entities=[CONTACT_ID]) == []
    assert deidentifier.analyze("微信：同手机号", entities=[CONTACT_ID]) == []
    assert deidentifier.analyze("wx: hello", entities=[CONTACT_ID]) == []


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("住 院 号：1", "住院号:1"),
        ("联 系 人：任　重  关  系：女婿", "联系人:任重  关系:女婿"),
        ("姓名：章 程 床号：5", "姓名:章程 床号:5"),
        ("查体 神清 精神 可", "查体 神清 精神 可"),
        ("DOB: 民國六十三年一月二十一日", "DOB: 1974年1月21日"),
        ("电话幺八幺14768862", "电话18114768862"),
        ("3|1|0|1|0|4|1|9|9|0|0|3|0|7|4|2|1|1", "310104199003074211"),
        ("电话15951\n 705974\n", "电话15951705974\n"),
        ("白细胞 12\n34", "白细胞 12\n34"),
    ],
)
def test_normalised_copy(text, canonical):
    assert normalise(text).text == canonical


def test_spans_map_back_to_the_original_characters(deidentifier):
    text = "姓  名：萧  瑞英\n电话：159\n 5170 5974，出生：民國六十三年一月二十一日"
    spans = {s.entity_type: text[s.start : s.end] for s in deidentifier.analyze(text)}
    assert spans[PERSON] == "萧  瑞英"
    assert spans["PHONE"] == "159\n 5170 5974"
    assert spans["DATE_OF_BIRTH"] == "民國六十三年一月二十一日"


def test_identity_number_check_digits():
    assert valid_taiwan("A123456789") and not valid_taiwan("A123456788")
    assert valid_hongkong("A123456(3)") and valid_hongkong("G123456(A)")
    assert not valid_hongkong("A123456(4)")


def test_a_long_address_field_is_quick(deidentifier):
    """The address field's value once backtracked on spaces (340 µs a match, exponential in the
    worst case): a long line of single spaces after 住址 must stay fast."""
    text = "住址：" + " ".join("上海市某某路" for _ in range(40)) + "：" + "\n"
    start = time.process_time()
    deidentifier.redact(text)
    assert time.process_time() - start < 0.5
