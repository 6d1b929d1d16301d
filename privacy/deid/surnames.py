"""Chinese surnames: the common ones, every one of the 百家姓, and rarer ones still in use.

Where a name can start decides what the name recogniser can find: a surname outside its list is
a name it never sees. Three sources, all public:

* :data:`privacy.deid.name_model.SURNAMES` — the ~480 common single surnames (they open names
  with the model's full surname score);
* :data:`BAIJIAXING` — the 百家姓 (*Hundred Family Surnames*, Northern Song, public domain) in its
  received text: 444 single and 60 compound surnames, in Simplified characters (鬱 → 郁,
  後 → 后), e.g. https://zh.wikisource.org/wiki/百家姓;
* :data:`IN_USE` — single surnames in use today that the 百家姓 does not list (付, 代, 肖, 闫, 覃,
  庹, 禚, 笪…), from the lists of modern surnames by population, e.g. Bao, H.-W.-S. (2021),
  *ChineseNames: Chinese Name Database 1930-2008*, https://CRAN.R-project.org/package=ChineseNames
  (1,806 surnames from the National Citizen Identity Information Center; its data is not copied
  here, only surnames, which are facts, were checked against it: the inventory holds 529 of the
  531 surnames it counts at 23 or more per million people — not 小 and 娜, given-name characters
  the register records as surnames — and the rarer ones it could recognise as Han surnames).

Rare surnames are often ordinary characters (生, 要, 自, 过, 山, 水): the recogniser lets a surname
outside the common list open a name only where the context says a name is there (a cue, a
colon, a line or cell start, a list, a title or a gender after it).
"""

from __future__ import annotations

from functools import lru_cache

BAIJIAXING = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双"
    "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
    "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公"
    "仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福"
)
BAIJIAXING_COMPOUND = (
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 "
    "公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 子车 颛孙 端木 巫马 公西 漆雕 "
    "乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 商牟 "
    "伯赏 南宫 第五"
).split()
#: single surnames in use that the 百家姓 does not list (by population, most common first)
IN_USE = (
    "付代肖覃占候邝冼谌仝练庹蹇矫雒揭禚琚茆菅眭郄綦亓麦刀才字扎布保拉户渠虎巨青铁税木未黑多藏贝宛尼侍过化畅买"
    "续加宝历么德格招仵资自伦要英台央先生冒随粱依顿延员果玄扬回西洛圣纳凡达丘豆朴区粟植衣尧闭由奉腾习但展信檀"
    "呼衡富昌操旷鄂庾剧隽贠禤冮茍郇晏阚盘麻阿戚逯钮靖轩种泮斯岩戢竹寻崇弋忻郅励闪苌"
)
#: compound surnames in use today besides the 百家姓's (and two-character surnames of two clans)
COMPOUND_IN_USE = "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 令狐 长孙 独孤 西门 锺离 谷粱 东门 西郭 范姜 张简 张廖".split()


@lru_cache(maxsize=1)
def all_single() -> frozenset[str]:
    """Every single-character surname of the three sources."""
    from privacy.deid.name_model import SURNAMES

    return frozenset(SURNAMES) | frozenset(BAIJIAXING) | frozenset(IN_USE)


@lru_cache(maxsize=1)
def all_compound() -> frozenset[str]:
    from privacy.deid.name_model import COMPOUND_SURNAMES

    return frozenset(COMPOUND_SURNAMES) | frozenset(BAIJIAXING_COMPOUND) | frozenset(COMPOUND_IN_USE)
