"""A name in a name field: what follows ``姓名：``, ``联系人：``, ``经办人：``, ``Patient:`` is a name,
whoever the person is.

The statistical name recogniser (:mod:`~privacy.deid.recognizers.cn_person_name_recognizer`)
opens names at surnames. Many people have none: Tibetan and Mongolian names (扎西多吉, 其其格),
Japanese names (渡边由美), transliterated names (亚历山大·伊万诺夫), names in Latin letters
(``TSE, CHI HO``, ``Aleksandr Ivanov``) — and some Han names are ordinary words (章程, 田野). As
with numbers, the label decides: after a person-role label (or any short label ending in 人 or
者: 受检者, 陪诊人) and a colon, the token up to the next
space, punctuation or line end is a name (two to four characters, a dotted name, or two to four
capitalised Latin words), a title after it (主任, 住院医师) is dropped, and a list (``参加人员：A、
B副主任医师、C``) gives one name per item. A token just before a relative's role in brackets
(``其其格（儿媳）``) is a name too. Field values that are not names (本人, 不详, 同上, 男) are left.
"""

from __future__ import annotations

import re

from privacy.deid.entities import PERSON
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation
from privacy.deid.recognizers.cn_person_name_recognizer import CUES, NOT_GIVEN_FIRST, RELATIONS, TITLES

_HAN = "\u4e00-\u9fff"
#: labels of the name a person is called by besides the registered one: the value is a name
#: even when it is an ordinary word (元宝, 豆豆, 壮壮)
MILK_LABELS = ("小名", "乳名", "昵称", "爱称", "别名", "曾用名", "绰号", "外号", "小名叫", "英文名字", "Nickname", "nickname")
#: person-role labels (the name recogniser's cues) and English ones, each before a colon
_ENGLISH = (
    "Patient Name Full name Contact Emergency contact Interpreter Translator Physician Attending Resident Nurse "
    "Doctor Dr Surgeon Consultant Signed Signature Guardian Relative Insured Applicant Policyholder Beneficiary "
    "Next of kin Witness Recorded by Reviewed by Referred by Payee Account name Chinese name English name"
)
_LABELS = sorted(
    {c for c in CUES if not c.isascii() or c[0].isupper()}
    | set(_ENGLISH.split())
    | {
        "Full name",
        "Emergency contact",
        "Next of kin",
        "Recorded by",
        "Reviewed by",
        "Referred by",
        "Account name",
        "Chinese name",
        "English name",
        "中文名",
        "英文名",
        "中文姓名",
        "英文姓名",
        "拼音名",
        "患者姓名",
        "病人姓名",
        "家属姓名",
        "联系人姓名",
        "紧急联系人",
        "开户名",
        "账户名",
        "开户人",
        "领款人",
        "受托人",
        "法定代理人",
        "患者/授权委托人签名",
        "授权委托人",
        "授权委托人签名",
        "患者签名",
        "家属签名",
        "医师签名",
        "主持人",
        "审核医师",
        "报告医师",
        "护理人员",
        "翻译",
        "口译",
        "麻醉",
        "巡回",
        "器械护士",
        "洗手护士",
        "术者",
        "复核",
        "核对",
        "核对人",
        "发药",
        "配药",
        "执行人",
        "操作人",
        "经手人",
        "录入",
        "录入人",
        # round 4: a title as a field label (科主任：时光  主治医师：…) on case front pages
        "科主任",
        "主任",
        "护士长",
        "院长",
        "主管护师",
        "质控医师",
        "质控护士",
        "编码员",
        "实习医师",
        "进修医师",
        "研究生",
        # round 6: the person a record is about, named by what she or he is there for
        "孕妇",
        "产妇",
        "孕产妇",
        "患儿",
        "受种者",
        "受血者",
        "供血者",
        "献血者",
        "被监护人",
        "服务对象",
        "护理对象",
        # round 6: the staff a HIS print-out names by log-in or name
        "操作员",
        "录入员",
        "收费员",
        "审核员",
        "核对员",
        "经办员",
        "发药员",
        "登记员",
        # session 9: people named on paperwork by what they did (经办：, 参会：A、B, 遗传咨询：, 实名登记：)
        # and the addressee of what is mailed (病历邮寄：王芳收 138…)
        "经办",
        "参会",
        "参会人员",
        "出席",
        "出席人员",
        "在场人员",
        "遗传咨询",
        "遗传咨询师",
        "咨询师",
        "实名登记",
        "登记人",
        "调查员",
        "病历邮寄",
        "报告邮寄",
        "检查报告快递",
        "报告快递",
        "邮寄给",
        "寄给",
        "收件人",
        "Investigator",
        "Claimant",
        "Assessor",
        "Adjuster",
        "受伤职工",
        "申诉人",
        # round 4: the names a child or a person is called by (小名：豆豆, 乳名 元宝, 昵称)
        *MILK_LABELS,
    }
)
_LABEL_RE = re.compile(rf"(?P<l>{alternation(_LABELS)})(?:[ ]?[:=][ \t_]{{0,6}}|(?<=[名人])[ ](?=[{_HAN}]))")
#: any other short label ending in 人 or 者 (受检者：, 陪诊人：): found from its colon
_ROLE_END = re.compile(r"[人者](?P<sep>[ ]?[:=][ \t_]{0,6})")
#: the commonest elements of Tibetan names (each two characters; a name is two of them or more:
#: 扎西多吉, 次仁卓玛, 格桑央金) and of Mongolian names (其其格, 乌云其木格, 巴特尔): people with no
#: surname, whose names the surname model cannot open. Public name lists; two elements in a row
#: are a name (one alone is a name in a name field or before a relative's role, by the rules above)
_TIBETAN = (
    "扎西 多吉 次仁 卓玛 央金 拉姆 格桑 达瓦 尼玛 旦增 丹增 索朗 平措 普布 巴桑 边巴 顿珠 德吉 洛桑 强巴 白玛 措姆 "
    "曲珍 仁增 益西 贡布 拉巴 米玛 晋美 桑珠 多布杰 群培 次旦 罗布 欧珠 琼达 索南 嘎玛 才让 卓嘎 泽仁 扎巴 "
    "阿旺 贡嘎 土登 曲吉 德庆 旺堆 旺姆 加措 嘉措 桑吉 梅朵 吉美 次珠 普琼 边珍 拉珍 达娃 卓玛"
).split()
_MONGOLIAN = (
    "巴特尔 其其格 斯琴 图雅 乌云 萨仁 塔娜 苏日娜 额尔敦 巴图 朝鲁 宝力德 孟和 阿拉坦 格日勒 乌兰 那仁 哈斯 "
    "敖登 其木格 高娃 满都拉 吉日嘎拉 布仁 特木尔 呼和 阿古拉 娜仁 乌力吉 那日苏 包音 宝音 额日很 毕力格 "
    "巴雅尔 达来 通拉嘎 萨日娜 阿拉腾 图门 扎那 查干 赛音 乌日娜 格根 其劳"
).split()
_MINORITY = re.compile(rf"(?:{alternation(_TIBETAN + _MONGOLIAN)}){{2,3}}")
_MINORITY_TITLED = re.compile(
    rf"(?:{alternation(_TIBETAN + _MONGOLIAN)})(?=主任|医生|医师|护士|护师|大夫|老师|教授|院长|主治|药师|技师)"
)
_MINORITY_FIRST = frozenset(w[0] for w in _TIBETAN + _MONGOLIAN)
#: where an element can start: its first two characters (a cheap two-class test; the element
#: alternation itself is ~100 branches tried one by one at every character of the first class,
#: which cost a third of this recogniser's time when run over the whole note)
_MINORITY_AT = re.compile(
    "(?=[" + "".join(sorted({w[0] for w in _TIBETAN + _MONGOLIAN})) + "]["
    + "".join(sorted({w[1] for w in _TIBETAN + _MONGOLIAN})) + "])"
)
_ROLE_HEAD = re.compile(rf"(?<![{_HAN}])[{_HAN}]{{1,3}}$")
#: one item: a dotted name, a Han token, or capitalised Latin words (SMITH, John; Chen Chih-Hao)
_ITEM = re.compile(
    # a Han surname with a Latin given name, either way round (濮Eric, Eric晏, Kevin 裘)
    rf"(?P<mix>[{_HAN}]{{1,2}}[A-Z][a-z]{{1,12}}(?![A-Za-z])|[A-Z][a-z]{{1,12}}[ ]?[{_HAN}](?![{_HAN}A-Za-z]))"
    rf"|(?P<dot>[{_HAN}]{{1,8}}(?:[·.\-][{_HAN}]{{1,10}}){{1,3}})(?![{_HAN}·])"
    rf"|(?P<han>[{_HAN}]{{2,9}})(?![{_HAN}·])"
    r"|(?P<lat>[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'\-]+(?:,?[ ][A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'\-]+){1,3})(?![A-Za-zÀ-ÖØ-öø-ÿ])"
)
_TITLE_END = re.compile(rf"(?:{alternation(TITLES)})$")
_TITLE_START = re.compile(alternation(TITLES))
_RELATION = re.compile(rf"[ ]?[(（](?:{alternation(RELATIONS)})[)）]")
#: a relative's role in brackets (normalisation made the brackets ASCII); the token right before it
#: is a name: 其其格（儿媳）, 额尔敦 (侄子) — found from the bracket back, which is quicker
_RELATION_BRACKET = re.compile(rf"\((?:{alternation(RELATIONS)})\)")
#: a name in Latin letters, or mixed with a Han surname, before a relative's role: Vivian LAN (外婆),
#: Andy Zhi（儿子）, Amy管 (外甥女), 包Kevin (侄子)
_LATIN_BEFORE = re.compile(
    rf"(?<![A-Za-z])(?:[{_HAN}]?[A-Z][a-z]{{1,12}}|[A-Z][a-z]{{1,12}}(?:[ ][A-Z][A-Za-z]{{1,12}}|[ ]?[{_HAN}])|"
    rf"[A-Z]{{2,10}},?[ ][A-Z][A-Za-z]{{1,12}})[ ]?$"
)
_NAME_BEFORE = re.compile(rf"(?:[{_HAN}]{{1,8}}·)*[{_HAN}]{{2,4}}[ ]?$")
#: field values that are not names
_NOT_NAMES = frozenset(
    "本人 患者 患者本人 病人 家属 亲属 不详 未知 同上 暂无 没有 拒填 拒绝 未填 空 男 女 男性 女性 先生 女士 无 略 见上 "
    "签字 已签 签名 待定 其他 自己 本院 我院 外院 医生 医师 护士 主任 家人 子女 配偶 丈夫 妻子 儿子 女儿 母亲 父亲".split()
)
_DISEASE_ENDS = tuple("征 病 症 炎 瘤 癌 术 试验 反射".split())
_PLACE_ENDS = tuple("科 室 院 部 组 站 所 处 局 区 中心 门诊 病房 病区 公司 医院".split())
_LABEL_AFTER = re.compile(r"[ ]?[:=]")
_LIST_SEP = re.compile(r"[ ]{0,2}[、,，;；/][ ]{0,2}")
#: a HIS log-in in a person's field (审核医师：yuexy, 麻醉医师：pangyh07, 双人核对：… / ZAICQ): the
#: surname in pinyin and the given name's initials or syllables, digits after; any case
_LOGIN = re.compile(r"[A-Za-z](?<![A-Za-z0-9_@.].)[A-Za-z]{3,13}[0-9]{0,3}(?![A-Za-z0-9_@.\-])")
#: log-ins that are words, not people
_NOT_LOGINS = frozenset(
    "test admin system auto user guest demo temp root null none yes pending unknown sinus regular normal manual "
    "online signed".split()
)
#: compound surnames in pinyin (ouyangmf, simaxh)
_COMPOUND_PINYIN = (
    "ouyang sima shangguan zhuge dongfang huangfu situ murong gongsun linghu xiahou yuwen zhangsun duanmu dugu "
    "taishu gongyang nangong ximen zhongli huyan xianyu yuchi zhangliang lvqiu"
).split()
_ENGLISH_NOT_NAMES = frozenset(
    "Male Female Unknown None Self Same Patient Yes No Mr Mrs Ms Dr Contact Tel Phone Email Mobile Relative Family "
    "Spouse Son Daughter Wife Husband Mother Father Name Pt Emergency Guardian".split()
)


#: a form's separate surname and given-name fields (姓：戢  名：蕉叶; 姓 要 名 蘅芜, as normalised)
_GLOSS = r"(?:[ ]?\([A-Za-z][A-Za-z ]{0,18}\))?"
_SPLIT_NAME = re.compile(
    rf"(?<![{_HAN}])姓{_GLOSS}[ ]?[:=]?[ ]?(?P<s>[{_HAN}]{{1,2}})[ ]{{0,3}}名{_GLOSS}[ ]?[:=]?[ ]?(?P<g>[{_HAN}]{{1,3}})(?![{_HAN}])"
)
#: a name, then its surname spelt out by a word that holds it: 楚慕贤(清楚的楚), 司寇蓼汀(司马的司，寇…)
_SURNAME_SPELT = re.compile(rf"(?P<n>[{_HAN}]{{2,6}})\((?P<x>[{_HAN}]{{1,4}}的(?P<c>[{_HAN}]{{1,2}}))[),，]")
#: a character described by its parts (撖梨云（提手旁加个敢）, 盍梦白（去字头皿字底）): the description
#: spells the surname as well as the name does
_SURNAME_DRAWN = re.compile(rf"(?P<n>[{_HAN}]{{2,6}})\((?P<x>[{_HAN}]{{0,4}}(?:旁|字头|字底|字旁|偏旁|部首|加个|加一个)[{_HAN}]{{0,6}})\)")


#: labels that ask for a person's name itself (not a role's): their value is a name even when it
#: is also a word
_NAME_LABELS = frozenset(
    "姓名 患者姓名 病人姓名 家属姓名 联系人姓名 中文姓名 英文姓名 中文名 英文名 拼音名 Name Full name "
    "Patient Name Chinese name English name 受伤职工 申诉人 被保险人 投保人 申请人".split()
    + ["Full name", "Patient Name", "Chinese name", "English name"]
)


class LabelledNameRecognizer(Recognizer):
    """Names after person-role labels, and before a relative's role in brackets."""

    name = "LabelledNameRecognizer"
    entities = (PERSON,)

    def __init__(self) -> None:
        from privacy.deid.name_model import SURNAMES, load_model

        self._model = load_model()
        from privacy.deid.surnames import all_compound, all_single

        self._surnames = frozenset(SURNAMES)
        self._all_surnames = all_single() | all_compound()

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        if "姓" in text and "名" in text:  # a form that asks the surname and the given name apart
            for m in _SPLIT_NAME.finditer(text):
                hits.append(self.hit(*m.span("s"), score=0.8, labelled=True))
                hits.append(self.hit(*m.span("g"), score=0.8, labelled=True))
        if "(" in text and ("的" in text or "旁" in text or "字" in text or "加" in text):
            # a surname spelt out for the listener: 楚慕贤(清楚的楚), 撖梨云(提手旁加个敢)
            for m in _SURNAME_SPELT.finditer(text):
                name, spelt = m.group("n"), m.group("c")
                for start in range(len(name) - 1):  # the name ends at the bracket; its surname is spelt
                    if name[start:].startswith(spelt) and 2 <= len(name) - start <= 4:
                        hits.append(self.hit(m.start("n") + start, m.end("n"), score=0.8, labelled=True))
                        hits.append(self.hit(*m.span("x"), score=0.8, labelled=True))  # 清楚的楚 spells it
                        break
            for m in _SURNAME_DRAWN.finditer(text):
                hits.append(self.hit(*m.span("x"), score=0.8, labelled=True))
        if ":" in text or "=" in text:
            self._fields(text, hits)
        if not _MINORITY_FIRST.isdisjoint(text):
            self._minority(text, hits)
        if "(" in text:
            self._before_relations(text, hits)
        return hits

    def _minority(self, text: str, hits: list[Hit]) -> None:
        """Two Tibetan or Mongolian name elements in a row (卓玛央金), or one before a title (那日苏主任):
        the same matches as ``_MINORITY.finditer`` and ``_MINORITY_TITLED.finditer``, tried only where
        an element's first two characters stand."""
        starts = [m.start() for m in _MINORITY_AT.finditer(text)]
        end = 0
        for pos in starts:
            if pos < end:
                continue
            m = _MINORITY.match(text, pos)
            if m is not None:
                hits.append(self.hit(m.start(), m.end(), score=0.75))
                end = m.end()
        end = 0
        for pos in starts:
            if pos < end:
                continue
            m = _MINORITY_TITLED.match(text, pos)
            if m is not None:
                end = m.end()
                if pos == 0 or not "\u4e00" <= text[pos - 1] <= "\u9fff":  # one element before a title: 那日苏主任
                    hits.append(self.hit(m.start(), m.end(), score=0.75))

    def _fields(self, text: str, hits: list[Hit]) -> None:
        """The values of name fields: after a person-role label, or a short label ending in 人 or 者."""
        starts = set()
        for m in _LABEL_RE.finditer(text):
            if m.start() > 0 and text[m.start()].isascii() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
                continue
            starts.add(m.end())
            self._field(text, m.end(), hits, m.group("l") in MILK_LABELS, m.group("l") in _NAME_LABELS)
        for m in _ROLE_END.finditer(text):
            if m.end() not in starts and _ROLE_HEAD.search(text, max(0, m.start() - 3), m.start()):
                self._field(text, m.end(), hits)

    def _before_relations(self, text: str, hits: list[Hit]) -> None:
        """The token right before a relative's role in brackets: 其其格（儿媳）, Vivian LAN (外婆)."""
        for m in _RELATION_BRACKET.finditer(text):
            before = _NAME_BEFORE.search(text, max(0, m.start() - 24), m.start())
            if before is None:
                latin = _LATIN_BEFORE.search(text, max(0, m.start() - 30), m.start())
                if latin is not None and not set(latin.group().replace(",", " ").split()) & _ENGLISH_NOT_NAMES:
                    hits.append(self.hit(latin.start(), latin.end() - latin.group().endswith(" "), score=0.75))
                continue
            start, end = before.start(), before.end() - (text[before.end() - 1] == " ")
            if start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff":
                continue  # inside a longer run: the name recogniser reads it
            if self._plausible(text[start:end]):
                hits.append(self.hit(start, end, score=0.75))

    def _field(self, text: str, pos: int, hits: list[Hit], milk: bool = False, named: bool = False) -> None:
        """The names of a field's value at ``pos``: one, or a list (A、B副主任医师、C)."""
        start = pos
        for _ in range(12):
            login = _LOGIN.match(text, pos)
            if login is not None and is_login(login.group()):
                hits.append(self.hit(login.start(), login.end(), score=0.8, labelled=True))
                sep = _LIST_SEP.match(text, login.end())
                if sep is None:
                    return
                pos = sep.end()
                continue
            item = _ITEM.match(text, pos)
            if item is None:
                return
            if pos > start and _LABEL_AFTER.match(text, item.end()):
                return  # 王芳，关系：妻子 — the next field's label, not a name in a list
            span = self._name_in(item, named)
            if span is None and milk and item.group("han") is not None and 2 <= len(item.group()) <= 4 \
                    and item.group() not in _NOT_NAMES:
                span = item.span()  # a child's 小名 is often a word (元宝, 豆豆)
            if span is None:
                return
            hits.append(self.hit(span[0], span[1], score=0.8, labelled=True))
            sep = _LIST_SEP.match(text, item.end())
            if sep is None:
                return
            pos = sep.end()

    def _name_in(self, item: re.Match[str], named: bool = False) -> tuple[int, int] | None:
        """The span of the name in a field value, or None when it is not one."""
        if item.group("mix") is not None:
            han = "".join(ch for ch in item.group() if "\u4e00" <= ch <= "\u9fff")
            latin = "".join(ch for ch in item.group() if ch.isascii() and ch.isalpha())
            if latin in _ENGLISH_NOT_NAMES or not (han in self._surnames or han in self._all_surnames):
                return None
            return item.span()
        if item.group("lat") is not None:
            words = item.group("lat").replace(",", " ").split()
            if any(w in _ENGLISH_NOT_NAMES for w in words):
                return None
            return item.span()
        value = item.group()
        start, end = item.span()
        if item.group("han") is not None:
            lead = _TITLE_START.match(value)
            while lead is not None and lead.end() and len(value) - lead.end() >= 2:
                start += lead.end()  # a title before the name (记录：副主任护师慎德华: 副主任, 护师)
                value = value[lead.end() :]
                lead = _TITLE_START.match(value)
        title = _TITLE_END.search(value)
        if title is not None and title.start() > 0:
            end -= len(title.group())
            value = value[: title.start()]
        elif item.group("han") is not None and value.endswith("收") and 3 <= len(value) <= 5:
            end -= 1  # an addressee: 王芳收
            value = value[:-1]
        if item.group("dot") is not None:
            parts = re.split(r"[·.\-]", value)
            if len(value) < 3 or max(len(p) for p in parts) > 6 or value.endswith(_DISEASE_ENDS):
                return None  # 小毛目前诊断格林-巴利综合征: a sentence, not a dotted name
            if len(parts[0]) >= 2 and not self._plausible(parts[0]):
                return None
            return start, end
        if not 2 <= len(value) <= 5 or not self._plausible(value, named):
            return None
        return start, end

    def _plausible(self, value: str, named: bool = False) -> bool:
        """Whether a field's value may be a name; after a label that asks for a name (姓名：) a word
        is one too (宝贵, 淡泊: fail closed), after a role's label (记录：) it is not (建议复查)."""
        if value in _NOT_NAMES or "·" in value:
            return "·" in value
        if value.endswith(_PLACE_ENDS):
            return False  # a department or a place (超声科, 护理部), not a person
        first = value[0]
        if first in NOT_GIVEN_FIRST and first not in self._all_surnames and not (named and len(value) == 4):
            # (after 姓名： four characters are a compound surname and a given name — 即墨, 乐正 … open
            # with a word's character — not a word: session 10)
            return False
        if not named and first not in self._surnames and self._model.word_freq(value[:2]) >= 1000:
            return False  # begins with a word (建议复查, 神志清楚, 上级), not a name
        return True


def is_login(token: str) -> bool:
    """A log-in made of a name: a pinyin syllable (the surname, two for a compound one), then one
    to three initials or one or two syllables (the given name), digits after (yuexy, pangyh07,
    kuangpf, ouyangmf, DOUGQ, Meiyz)."""
    from privacy.deid.recognizers.pinyin_name_recognizer import SYLLABLES

    word = token.lower().rstrip("0123456789")
    if word in _NOT_LOGINS or not 4 <= len(word) <= 14 or not (token.islower() or token.isupper() or token.istitle()):
        return False
    for cut in range(min(6, len(word) - 1), 0, -1):
        if word[:cut] not in SYLLABLES:
            continue
        rest = word[cut:]
        if len(rest) <= 3 or _syllables(rest, 3):
            return True
    return any(word.startswith(c) and len(word) - len(c) <= 3 for c in _COMPOUND_PINYIN)


def _syllables(word: str, most: int) -> bool:
    """True when ``word`` splits into at most ``most`` pinyin syllables."""
    from privacy.deid.recognizers.pinyin_name_recognizer import SYLLABLES

    if not word:
        return True
    if most == 0:
        return False
    return any(word[:cut] in SYLLABLES and _syllables(word[cut:], most - 1) for cut in range(min(6, len(word)), 0, -1))
