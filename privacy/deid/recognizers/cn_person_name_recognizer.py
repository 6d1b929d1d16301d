"""Chinese person names, scored by a statistical name model and the words around them.

Every position where a surname can start (a single or compound surname of
:mod:`privacy.deid.name_model`) gives candidates of one or two given characters. Each candidate
gets a score, the sum of:

* how name-like its characters are: the surname's and given characters' log-ratios from jieba's
  HMM name states against their frequency in ordinary text (王 +5.7, 伟 +2.9, 血 −2.5);
* how it sits in its sentence: a cue before it (``患者``, ``家属``, ``其子``, ``医师``…), a title
  or a gender after it (``先生``, ``主任``, ``，男``), a verb people do after their name (``签字``,
  ``诉``, ``陪同``), punctuation or a list separator on either side — or, against it, a common
  word it is (``周身``, ``高血压``) or cuts through (``提高…``, ``…明显``);

and a candidate at or above :data:`THRESHOLD` is a name; overlapping candidates keep the best.
A surname directly before a title (``王主任``, ``李医生``, ``张护士长``) is a name by itself, as is
``老王`` / ``小李``. The record's own names are found apart from this (:mod:`privacy.deid.known`).
"""

from __future__ import annotations

import re

from privacy.deid.entities import PERSON
from privacy.deid.name_model import SURNAMES, NameModel, load_model
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation
from privacy.deid.surnames import all_compound, all_single

#: words that introduce a name right after them (a colon may follow)
CUES = (
    "患者 病人 患儿 病员 姓名 名字 家属 亲属 家人 其子 其女 其夫 其妻 其母 其父 之子 之女 长子 次子 长女 次女 丈夫 妻子 爱人 老伴 "
    "儿子 女儿 母亲 父亲 配偶 孙子 孙女 外孙 外孙女 儿媳 女婿 哥哥 姐姐 弟弟 妹妹 兄长 侄子 侄女 外甥 外甥女 朋友 同事 邻居 "
    "祖父 祖母 外公 外婆 爷爷 奶奶 叔叔 阿姨 舅舅 姑姑 嫂子 姐夫 妹夫 儿媳妇 "
    "联系人 陪同 陪同人 陪护 陪护人 监护人 委托人 代理人 签字人 授权人 医师 医生 护士 护师 护士长 "
    "记录者 记录人 记录 书写者 签名 审核者 审核人 审核 报告人 报告者 主刀 术者 助手 一助 二助 麻醉师 麻醉医师 检查者 操作者 "
    "经办人 领药人 介绍人 转诊人 随访人 随访者 接听人 被保险人 投保人 受益人 申请人 收款人 持卡人 户名 参保人 就诊人 "
    "主治医师 住院医师 主任医师 副主任医师 主管医师 责任护士 值班医生 值班医师 接诊医生 接诊医师 管床医生 送检医师 "
    "经治医师 上级医师 会诊医师 申请医师 谈话医师 记录医师 药师 技师 主诊 主治 床位医生 医生签名 医师签名 签字 护士签名 "
    "主持人 参加人员 参会人员 出席人员 交班 接班 沟通对象 谈话对象 告知对象 "
    "护工 护理员 保姆 病友 室友 邻床 工友 好友 老乡 家长 陪诊 同住 我是 我叫 请问是 请问您是 您是 "
    "Pt Patient patient Name name Contact contact Attending Dr Dr. Doctor Nurse RN Signed Consultant Surgeon Referrer"
).split()
TITLES = (
    "先生 女士 小姐 同志 老师 阿姨 师傅 主任 医生 医师 护士 护师 教授 院长 大夫 老人 患者 科长 "
    "护士长 主治 主管 经理 老先生 老太太 老太 大爷 大妈 奶奶 爷爷 阿婆 阿公 伯伯 叔叔 药师 技师 博士 "
    "住院医师 主治医师 主任医师 副主任医师 副主任 副教授 主管护师 实习医生 进修医生 规培医生 医士 护工 "
    "住院医生 住院总 主管医师 规培生 规培医师 进修医师 实习医师 研究生 工程师 副院长 科主任 营养师 康复师 治疗师 "
    "检验师 技士 社工 太太 夫人 宝宝 小朋友 同学 律师 本人"
).split()
#: titles after which a bare surname is a name (王主任, 李医生)
SURNAME_TITLES = (
    "主任 医生 医师 护士长 护士 护师 教授 院长 大夫 老师 先生 女士 小姐 阿姨 师傅 科长 主治 药师 技师 "
    "老先生 老太太 老太 大爷 大妈 阿婆 博士 副主任 工 "
    "住院医师 住院医生 住院总 主治医师 主任医师 副主任医师 主管护师 主管医师 主管 规培医生 规培生 规培 进修医生 "
    "实习医生 副院长 书记 处长 科主任 护理长 营养师 康复师 治疗师 检验师 技士 工程师 社工 研究生 律师 "
    "总 老 姐 哥 太太 夫人 宝宝 小朋友 同学 老板 "
    # how nurses, neighbours and relatives call an older person: the surname and a kin word (寿姨, 巢伯)
    "姨 伯 嫂 婶 叔 舅 姑"
).split()
#: titles too common in other words for a bare surname before them to be a name without a cue
#: or punctuation before it (施工, 员工; 老 in 养老)
WEAK_TITLES = frozenset("工 总 老 姐 哥 同学 老板 宝宝 小朋友 书记 处长 夫人 太太 姨 伯 嫂 婶 叔 舅 姑".split())
#: a one-character kin title is no title when it opens a word (姑息, 伯爵), unless that word is kin
#: too (王姨妈, 李叔叔)
_KIN_TITLES = frozenset("姨 伯 嫂 婶 叔 舅 姑 姐 哥".split())
_KIN_WORDS = frozenset("姨妈 姨父 姨夫 伯伯 伯母 伯父 嫂子 婶婶 婶子 叔叔 舅舅 舅妈 姑姑 姑妈 姑父 姐姐 哥哥".split())
RELATIONS = (
    "丈夫 妻子 爱人 儿子 女儿 母亲 父亲 孙子 孙女 外孙 外孙女 儿媳 女婿 哥哥 姐姐 弟弟 妹妹 侄子 侄女 外甥 外甥女 "
    "祖父 祖母 外公 外婆 爷爷 奶奶 叔叔 阿姨 舅舅 姑姑 配偶 朋友 同事 本人 患者本人 家属 父 母 子 女 夫 妻"
).split()
VERBS = (
    "签字 签名 表示 同意 拒绝 要求 代诉 来电 陪同 陪护 知情 接听 沟通 确认 告知 诉 述 称 自诉 主诉 "
    "因 于 今日 今 昨日 入院 出院 就诊 来院 前来 反映 咨询 询问 回答 描述 说 讲 提供 携 代 办理 领取 "
    "已 现 系 为 是 在 年 岁 男 女 神志 目前 诊断 晚上 明天 下午 上午 夜间 昨晚 昨夜 今晨 今早 白天 平素 查房 总结 指出 认为 建议 交代 "
    "无明显 出现 患有 既往 入住 住院 行 拟 术后 病情 精神 一般 "
    "协助 帮助 帮忙 负责 照顾 照料 联系 打电话 来 去 回 带 送 给 看 问 也 又 还 都 和 跟 每天 经常"
).split()
#: characters that never start a given name (function words, kinship and clinical words)
NOT_GIVEN_FIRST = frozenset(
    "的了是在因于诉述称今昨自入出到与及等为现已曾无被由将把对从说表签陪送均也都又再还就即需"
    "能不未没系拒请告着过携代处办领患女男性年岁主既近反多突伴否诊术住每仍持后同意要去回共病症"
    "情况经某氏你我他她它们这那哪个本该此各诸医护院科室床号姓名先女"
)
NOT_GIVEN_SECOND = NOT_GIVEN_FIRST | frozenset("一二三四五六七八九十阿师教注查接随体提另属病症征菌瘤炎癌痛汤膏丸散")
#: a name is done when one of these follows (punctuation, a space, a digit, the end)
_PUNCT = set(" \t\n\r,.;:!?()[]{}<>\"'，。、；：！？（）【】《》“”‘’…/|-—0123456789")
_LIST_SEP = set("、,，和及与/")
#: surnames that are also words linking a name to what precedes it
_LINKING = frozenset("和与及同跟向对给由为")
THRESHOLD = 3.0
#: characters popular in the given names of people born since the 1990s (奕航, 梓萱, 若汐, 芊芊),
#: which the model's 1998 newspaper corpus scores low or not at all: their score is raised to 1.5
MODERN_GIVEN = frozenset("奕萱汐航骁珂艺睿熙涵芊若沐梓彦昕玥歆妤煊琦瑜晞朵翊烨铄骞弈祎霏馨蕾媛婧瑶钰宸睿锐恺灏晟珺玮璇")

_CUE_RE = re.compile(alternation(CUES) + r"(?P<sep>[ ]?(?:[:=]|为|是|叫)?[ ]?)")
_COLON_RE = re.compile(r"[:：][ ]{0,2}")
_CHAT_SPEAKER = re.compile(r"[0-9]\][ ]?(?=[\u4e00-\u9fff]{2,4}[:：])")
_TITLE_AT = re.compile(alternation(TITLES))
_SURNAME_TITLE_AT = re.compile(alternation(SURNAME_TITLES))
_RELATION_AT = re.compile(r"[ ]?[(（]" + alternation(RELATIONS) + r"[)）]")
_VERB_AT = re.compile(alternation(VERBS))
#: what never follows a name directly: a dose, within two characters (柴胡6g, 刘寄|奴15g), a disease,
#: drug or germ ending, an eponym's (帕金森病, 李斯特菌, 蒙脱石散, 霍奇金淋巴瘤), a place or
#: institution ending (徐汇区, 光华医院)
_NOT_NAME_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,2}[ ]?[0-9.]+ ?(?:g|mg|ml|mL|μg|ug|IU|U|克|片|粒|袋|支|丸|贴)(?![A-Za-z])|"
    r"[病症菌瘤炎癌散片丸剂液膏素酸钠钾钙胺唑酮醇酯苷碱粉霜栓囊汤饮征]|胶囊|颗粒|注射|综合|淋巴|试验|反射|定律|"
    r"细胞|手术|术式|氏|[-·][\u4e00-\u9fff]{1,6}?(?:综合征|病|症|征|试验|反射|定律|手术|术)|"
    r"[\u4e00-\u9fff]{0,3}(?:片|胶囊|颗粒|注射液|口服液|软膏|乳膏|丸|栓|糖浆|混悬液|喷雾剂|滴眼液|滴剂)|"
    r"[区县市省镇乡村路街弄巷]|医院|中心|大学|学院|公司|集团|门诊|卫生|诊所|社区"
)
#: pieces of drug names (INN stems as Chinese writes them): a candidate holding or touching one is a drug
_DRUG_PART = re.compile(
    "培南|沙班|他汀|洛尔|地平|普利|沙坦|格列|西林|霉素|环素|沙星|硝唑|拉唑|替尼|单抗|利铂|他滨|司特|"
    "巴曲|缬沙|甲状|胰岛|肝素|吗啡|卡因|洛芬|昔康|替丁|匹林|氯吡|格雷|奥美|地塞|泼尼|甲泼|头孢|阿莫|"
    "布洛|对乙|氨基|二甲|双胍|曲松|唑仑|西泮|帕米|米松|奥沙|普勒|多普"
)
#: a relative's role after 的 (我是王芳的女儿): the person before it is named
_OF_RELATION = r"的(?:" + alternation([r for r in RELATIONS if len(r) >= 2] + ["外婆", "外公", "女婿", "儿媳"]) + ")"
_GENDER_AT = re.compile(r"[ ,，、]{0,2}(?:[男女](?:[,，、 性]|$|[0-9])|[0-9]{1,3}[ ]?(?:岁|y|Y)|[MF](?![A-Za-z]))")
#: everything the right context tells, in one match (alternatives in priority order)
_RIGHT = re.compile(
    "(?P<no>" + _NOT_NAME_AFTER.pattern + ")|(?P<strong>" + _TITLE_AT.pattern + "|" + _RELATION_AT.pattern + "|" + _OF_RELATION + "|"
    + _GENDER_AT.pattern + ")|(?P<verb>" + _VERB_AT.pattern + ")"
)


#: a transliterated or minority name: parts joined by a middle dot (阿依古丽·买买提, 约翰·史密斯);
#: normalisation wrote every middle-dot variant (•・‧∙) as ``·``
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[ ]?[·.][ ]?[\u4e00-\u9fff]{1,10})+")
#: where a dotted name's last part ends when the sentence runs on: a verb of two characters or
#: more, 诉, or a title (吐尔逊诊断…, 阿不都拉诉心悸, 艾海提主任)
_DOT_NAME_END = re.compile(alternation([v for v in VERBS if len(v) >= 2] + ["诉", *TITLES]))
#: first characters of the titles after which a bare surname is a name (a cheap test before the regex)
_TITLE_FIRST = frozenset(t[0] for t in SURNAME_TITLES)
#: characters before a surname that do not make it mid-sentence (_left_context scores them 0.5 or more)
_SOFT_BEFORE = frozenset("老小阿与和及由请经向给被让叫找把同跟对")
_DOT_BETWEEN = re.compile(r"[\u4e00-\u9fff][ ]?[·.][ ]?[\u4e00-\u9fff]")
#: a surname no list has, known by the title after it (淦医生, 枝主任): the strong titles, then the one
#: character before the title, which opens a clause (after a colon, a space, a comma or a line
#: start, or one of _SOFT_BEFORE: 多亏淦主治) and is no function word or role (该医生, 请医生, 男医生)
_TITLE_AFTER_ONE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?:副主任医师|主任医师|主治医师|护士长|科主任|副主任|主任|医生|医师|护士|护师|教授|院长|大夫|"
    r"老师|主治|药师|技师|博士|先生|女士|律师)"
)
_NOT_SURNAME_BEFORE_TITLE = frozenset(
    "该本此每各其原前新老小大主副值管住床实规进带医接首全某贵我你他她您男女责诸两几名位众护转会科院总助见"
    "请让找问经向被由告及和与给对跟同叫称把将令使为是有无当做作任上下级专门班诊治药技教护师生长员家庭社术籍"
)
#: phone labels that follow a name directly (丈夫淦雁宾电话…)
_PHONE_AFTER = ("电话", "手机", "联系电话", "Tel", "tel")
#: what may stand before that character: a clause's start, or a word that ends before a name
_OPENS_BEFORE_TITLE = frozenset(" \t\n:：,，、;；。(（[【\"'“‘/|") | _SOFT_BEFORE | frozenset("亏谢")
#: what after a rare surname and one or two characters makes it a name without a cue before it
_STRONG_AT = re.compile(_TITLE_AT.pattern + "|" + _RELATION_AT.pattern + "|" + _GENDER_AT.pattern)
#: a married woman's name: two surnames and 氏 (张王氏)
_MARRIED = re.compile(r"[\u4e00-\u9fff]{2}氏(?!族|杆菌|菌|病|症|征|综合|试验|反射|法|染色|涂片|手术|线|结节|小体|点|孔)")
_CUE_SET = frozenset(c for c in CUES if len(c) == 2)
#: a nickname: 老 / 小 before a surname, 阿 before a surname or a given-name character (老王, 小李, 阿芳)
_NICK = re.compile(r"[老小阿][\u4e00-\u9fff]")


class CnPersonNameRecognizer(Recognizer):
    """Names by a statistical name model and their context (see the module docstring)."""

    name = "CnPersonNameRecognizer"
    entities = (PERSON,)

    def __init__(self, model: NameModel | None = None, threshold: float = THRESHOLD) -> None:
        self.model = model or load_model()
        self.threshold = threshold
        # the surname list, and characters that open names far more often than they occur otherwise
        # (rare surnames: 訾, 逄, 郇…; transliterations such as 帕 or 斯 score lower and stay out)
        self._surnames = set(SURNAMES) | {ch for ch, s in self.model.surname.items() if s >= 4.0}
        #: the rest of the surname inventory (百家姓 and surnames in use, :mod:`privacy.deid.surnames`):
        #: often ordinary characters (生, 自, 过), so they open a name only where the context says so
        self._rare = all_single() - self._surnames
        self._compound = self.model.compound | all_compound()
        #: given-name character scores, clipped to [-2.5, 3] (one character never decides alone)
        self._given = {ch: max(-2.5, min(3.0, v)) for ch, v in self.model.given.items()}
        for ch in MODERN_GIVEN:  # given-name characters of people born since the 1990s (the corpus is older)
            self._given[ch] = max(self._given.get(ch, -2.5), 1.5)
        #: where a name can start: a surname character, or the first of a compound surname
        self._starts = re.compile(
            "[" + "".join(sorted(self._surnames | self._rare | {c[0] for c in self._compound})) + "]"
        )

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        candidates = self._candidates(text)
        doc.cache["name_candidates"] = candidates  # (score, start, end): the learned model reads them
        # identifier labels (银行卡, 医保卡…) are never names
        taken: list[tuple[int, int]] = list(doc.cache.get("labels", ()))  # type: ignore[call-overload]
        hits: list[Hit] = []
        names: set[str] = set()
        for score, start, end in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if score < self.threshold:
                break
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            hits.append(Hit(start, end, PERSON, min(0.99, 0.5 + score / 20), self.name))
            if end - start >= 2:
                names.add(text[start:end])
        # a name found once is a name wherever else the note writes it (患者郑超… 郑超目前…)
        for name in sorted(names, key=lambda n: (-len(n), n)):  # longest first; no hash-seed order
            pos = text.find(name)
            while pos != -1:
                end = pos + len(name)
                if not any(pos < e and s < end for s, e in taken):
                    taken.append((pos, end))
                    hits.append(Hit(pos, end, PERSON, 0.9, self.name))
                pos = text.find(name, pos + 1)
        return hits

    def _candidates(self, text: str) -> list[tuple[float, int, int]]:
        """(score, start, end) of every name candidate: at each surname, nicknames, 张王氏, dotted names."""
        candidates: list[tuple[float, int, int]] = []
        compound = self._compound
        cues = self._cues(text)
        words = self.model.words
        n = len(text)
        for match in self._starts.finditer(text):
            i = match.start()
            slen = 2 if text[i : i + 2] in compound else 1
            nxt = text[i + slen] if i + slen < n else ""
            if not ("\u4e00" <= nxt <= "\u9fff" or nxt == " "):
                continue  # nothing after the surname that a given name or a title could be
            if i and i not in cues and "\u4e00" <= text[i - 1] <= "\u9fff" and text[i - 1] not in _SOFT_BEFORE:
                if text[i - 1 : i + 1] in words:
                    continue  # the second character of a word (医师, 性别, 主任): _score_at would say so
            candidates.extend(self._score_at(text, i, slen, cues))
        candidates.extend(self._title_after_one(text))
        if cues:
            candidates.extend(self._unlisted_after_cue(text))
        if "老" in text or "小" in text or "阿" in text:
            candidates.extend(self._nicknames(text, cues))
        if "氏" in text:
            candidates.extend(self._married(text))
        if ("·" in text or "." in text) and _DOT_BETWEEN.search(text):
            candidates.extend(self._dotted(text, cues))
        return candidates

    def _unlisted_after_cue(self, text: str) -> list[tuple[float, int, int]]:
        """A name whose surname no list has, right after a person cue (丈夫淦雁宾电话…, 家属旺沁雪（女儿）):
        two or three characters, neither they nor their first two a word, then what follows a name
        for sure (a verb, a title, a relative's role, a sex or an age, a phone label) — not a colon's
        value (诊断：肺腺癌), not a verb after the cue (患者诉…)."""
        out: list[tuple[float, int, int]] = []
        n = len(text)
        for cue in _CUE_RE.finditer(text):
            p = cue.end()
            if p >= n - 1 or cue.group("sep").strip():
                continue  # a field's value (患者：…) is the labelled recogniser's
            ch = text[p]
            if not "\u4e00" <= ch <= "\u9fff" or ch in self._surnames or ch in self._rare:
                continue  # not Han, or a surname _score_at reads
            if ch in _NOT_SURNAME_BEFORE_TITLE or ch in NOT_GIVEN_FIRST or _VERB_AT.match(text, p):
                continue
            for length in (3, 2):
                end = p + length
                name = text[p:end]
                if end > n or not all("\u4e00" <= c <= "\u9fff" for c in name):
                    continue
                if self.model.word_freq(name) or self.model.word_freq(name[:2]):
                    break  # a word (目前, 神志): no name starts here
                right = _RIGHT.match(text, end)
                if (right is not None and right.lastgroup in ("strong", "verb")) or text.startswith(_PHONE_AFTER, end):
                    out.append((self.threshold + 0.25, p, end))
                    break
        return out

    def _title_after_one(self, text: str) -> list[tuple[float, int, int]]:
        """A one-character surname no list has before a strong title (``_TITLE_AFTER_ONE``)."""
        out: list[tuple[float, int, int]] = []
        for m in _TITLE_AFTER_ONE.finditer(text):
            i = m.start() - 1
            ch = text[i]
            if ch in _NOT_SURNAME_BEFORE_TITLE or ch in self._surnames:
                continue  # a role or a function word; a common surname is scored by _score_at
            if i > 0 and text[i - 1] not in _OPENS_BEFORE_TITLE:
                continue
            if self.model.word_freq(text[i : m.start() + 1]) or self.model.word_freq(text[i - 1 : i + 1]):
                continue  # the character and the title's first make a word
            out.append((self.threshold + 0.25, i, m.start()))
        return out

    def _cues(self, text: str) -> dict[int, float]:
        """Where a cue or a label's colon ends (a name may start there), and how strongly."""
        cues: dict[int, float] = {m.end(): 2.5 for m in _COLON_RE.finditer(text)}
        if "]" in text:  # a chat transcript's speaker after the time stamp ([03月10日 20:43] 莫某：…)
            for m in _CHAT_SPEAKER.finditer(text):
                cues[m.end()] = 4.0
        for m in _CUE_RE.finditer(text):
            if m.start() > 0 and text[m.start()].isascii() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
                continue  # an English cue inside a word
            if m.start() > 0 and text[m.start() - 1] in self._surnames and _SURNAME_TITLE_AT.fullmatch(m.group().rstrip(" :=为是叫")):
                continue  # 江护士长查房: the title of the name before it, not a cue for what follows
            cues[m.end()] = 5.0 if m.group("sep").strip(" ") in (":", "=") else 4.0
        return cues

    def _score_at(
        self, text: str, i: int, slen: int, cues: dict[int, float] | None = None
    ) -> list[tuple[float, int, int]]:
        m = self.model
        n = len(text)
        out: list[tuple[float, int, int]] = []
        surname = text[i : i + slen]
        rare = slen == 1 and surname in self._rare
        s_score = (max(1.0, m.surname_score(surname)) if rare else m.surname_score(surname)) if slen == 1 else 4.0
        j = i + slen
        if surname in _LINKING and j < n and text[j] in self._surnames:
            return out  # 和王芳女士: 和 links, 王芳 is the name
        left = self._left_context(text, i, cues)
        if left < 0 and m.word_freq(text[i - 1 : i + 1]):
            return out  # mid-sentence, and the surname ends a word with the character before (提高, 每周)
        if rare and left < 1.0 and not (i > 0 and text[i - 1] in "老小"):
            if not (_STRONG_AT.match(text, i + 2) or _STRONG_AT.match(text, i + 3)):
                return out  # a rare surname with no cue before it needs a title, a role or a sex after it
        title_at_j = _SURNAME_TITLE_AT.match(text, j) if j < n and text[j] in _TITLE_FIRST else None
        if title_at_j is not None or (j < n and text[j] == " "):
            out += self._surname_title(text, i, slen, s_score, left, rare)
            if left >= 1.0 and j + 1 < n and text[j] == " ":
                out += self._spaced(text, i, slen, s_score, left)
        if rare and m.word_freq(text[i : i + 2]):
            return out  # a rare surname is an ordinary character: with the next one it is a word (家属, 过敏)
        return out + self._with_given(text, i, slen, s_score, left, rare, title_at_j)

    def _with_given(
        self, text: str, i: int, slen: int, s_score: float, left: float, rare: bool, title_at_j: re.Match[str] | None
    ) -> list[tuple[float, int, int]]:
        """The surname with one or two given characters, scored (see the module docstring)."""
        out: list[tuple[float, int, int]] = []
        n = len(text)
        j = i + slen
        given_scores = self._given
        half_s = min(s_score, 6.0) * 0.5
        threshold = self.threshold
        chars = 0.0
        for glen in (1, 2):
            end = j + glen
            if end > n:
                break
            last = text[end - 1]
            if not "\u4e00" <= last <= "\u9fff":
                break
            chars += given_scores.get(last, -2.5)
            if glen == 1:
                if last in NOT_GIVEN_FIRST:
                    break  # no given name starts with it, of one character or two
                if title_at_j is not None and not _TITLE_AT.match(text, end):
                    continue  # 王主任 is 王 + 主任, not 王主
            elif last in NOT_GIVEN_SECOND:
                continue
            base = half_s + chars + left - (1.0 if glen == 1 else 0.0)
            if base + 3.0 < threshold:
                continue  # not even the strongest right context (a title) would make it a name
            right = self._right_context(text, end)
            if rare and (right <= -5.0 or (right < 3.0 and left < (4.0 if glen == 1 else 1.0))):
                continue  # a rare surname needs a cue, punctuation or a title/gender to open a name
            score = base + right
            if score < threshold:
                continue  # what follows only lowers the score
            score -= self._penalties(text, i, slen, end, left, right, score)
            out.append((score, i, end))
        return out

    def _surname_title(
        self, text: str, i: int, slen: int, s_score: float, left: float, rare: bool
    ) -> list[tuple[float, int, int]]:
        """A bare surname before a title: 王主任, 李医生, 欧阳主任, 韩 主任, 林主治, 倪住院医师."""
        m = self.model
        surname = text[i : i + slen]
        j = i + slen
        gap = 1 if j < len(text) and text[j] == " " else 0
        title = _SURNAME_TITLE_AT.match(text, j + gap)
        if title is None or (gap and left < 1.0):
            return []
        weak = title.group() in WEAK_TITLES
        if title.group() in _KIN_TITLES:
            word = text[title.start() : title.start() + 2]
            if len(word) == 2 and word not in _KIN_WORDS and m.word_freq(word):
                return []  # 行姑息治疗: 姑息 is the word, not a title
        after_lx = i > 0 and text[i - 1] in "老小"
        if not (left >= 1.0 or after_lx or (not weak and not rare and surname not in _LINKING)):
            return []
        if m.word_freq(text[i : j + 2]) >= 50 or (weak and m.word_freq(surname + title.group())):
            return []
        base = 2.0 + min(max(s_score, 1.0), 4.0) * 0.5
        return [(base + max(left, 0.0) - (1.0 if weak and not after_lx else 0.0), i, j)]

    def _spaced(self, text: str, i: int, slen: int, s_score: float, left: float) -> list[tuple[float, int, int]]:
        """A surname, one space, then the given name (患者 张 伟): only where the context is clear."""
        out: list[tuple[float, int, int]] = []
        j = i + slen
        if not "\u4e00" <= text[j + 1] <= "\u9fff":
            return out
        for glen in (1, 2):
            end = j + 1 + glen
            given = text[j + 1 : end]
            if end > len(text) or not "\u4e00" <= given[-1] <= "\u9fff" or given[0] in NOT_GIVEN_FIRST:
                break
            chars = sum(self._given.get(ch, -2.5) for ch in given)
            right = self._right_context(text, end)
            score = min(s_score, 6.0) * 0.5 + chars + left + right - (1.0 if glen == 1 else 0.0) - 0.5
            if score >= self.threshold and not self.model.word_freq(given):
                out.append((score, i, end))
        return out

    def _nicknames(self, text: str, cues: dict[int, float]) -> list[tuple[float, int, int]]:
        """老王, 小李 (老 / 小 + a common surname), 阿芳 (阿 + a surname or a given-name character)."""
        m = self.model
        out: list[tuple[float, int, int]] = []
        for match in _NICK.finditer(text):
            i = match.start()
            x = text[i + 1]
            pair = text[i : i + 2]
            if text[i] == "阿":
                if x not in self._surnames and self._given.get(x, -3.0) < 1.0:
                    continue
                if m.word_freq(pair) >= 60:
                    continue  # 阿姨, 阿婆
            elif x not in SURNAMES:
                # a rare surname (老缑, 小佴) only with a colon, a line or a clause before it and no word
                if x not in self._rare or m.word_freq(pair) or self._left_context(text, i, cues) < 1.0 \
                        or self._right_context(text, i + 2) < 1.5:
                    continue
            elif m.word_freq(pair) >= 500:
                continue  # 小时, 老师, 小于
            if i > 0 and text[i - 1] in "老小阿":
                continue
            left = self._left_context(text, i, cues)
            if left < 1.0 and i > 0 and m.word_freq(text[i - 1 : i + 1]):
                continue  # 养老, 缩小
            right = self._right_context(text, i + 2)
            if right < 1.0 and (text[i] == "阿" or left < 1.0):
                continue
            score = 2.0 + max(left, 0.0) + right
            if i + 2 < len(text) and m.word_freq(text[i + 1 : i + 3]) and right < 1.0:
                continue  # 小柴胡: 柴胡 is the word
            if self._inside_word(text, i, i + 2) or _DRUG_PART.search(text, i, min(len(text), i + 4)):
                continue  # 阿司匹林, 阿莫西林
            out.append((score, i, i + 2))
        return out

    def _married(self, text: str) -> list[tuple[float, int, int]]:
        """A married woman registered by her husband's surname and her own, then 氏 (张王氏, 岑关氏):
        two surnames before 氏, not an eponym's (布氏杆菌, 格林氏综合征)."""
        out: list[tuple[float, int, int]] = []
        for match in _MARRIED.finditer(text):
            i = match.start()
            known = self._surnames
            if (text[i] in known or text[i] in self._rare) and (text[i + 1] in known or text[i + 1] in self._rare) \
                    and not _NOT_NAME_AFTER.match(text, i + 3):
                if i == 0 or not "\u4e00" <= text[i - 1] <= "\u9fff" or self._left_context(text, i) >= 0.5 \
                        or text[i - 1] in "是叫" or text[i - 2 : i] in _CUE_SET:
                    out.append((6.0, i, i + 3))
        return out

    def _dotted(self, text: str, cues: dict[int, float]) -> list[tuple[float, int, int]]:
        """Names whose parts a middle dot joins: 阿依古丽·买买提, 约翰·史密斯 (not 格林-巴利综合征)."""
        out: list[tuple[float, int, int]] = []
        for match in _DOTTED.finditer(text):
            value = match.group()
            if "·" not in value and not (". " not in value and "." in value and cues.get(match.start(), 0) >= 4.0):
                continue  # a full stop joins sentences: only a cue makes 艾力.买买提 a name
            parts = [p.strip(" ") for p in re.split(r"[·.]", value)]
            if any(len(p) < 1 for p in parts) or sum(len(p) for p in parts) < 3:
                continue
            start, end = match.span()
            # a cue or punctuation before may have been swallowed: start the name after the cue
            for cue_end in sorted(cues):
                if start < cue_end < start + len(parts[0]):
                    start = cue_end
            # the last part runs on into the sentence (热依拉·吐尔逊诊断尿路感染): end it at a verb
            last_start = end - len(value.rsplit("·" if "·" in value else ".", 1)[-1].lstrip(" "))
            for k in range(last_start + 2, end):
                if _DOT_NAME_END.match(text, k):
                    end = k
                    break
            if self._right_context(text, end) <= -5.0 or _NOT_NAME_AFTER.match(text, end):
                continue  # 格林·巴利综合征
            if all(self.model.word_freq(p) >= 50 and len(p) >= 2 for p in parts):
                continue  # words in a list joined by a dot (心·肺)
            out.append((6.0, start, end))
        return out

    def _penalties(
        self, text: str, i: int, slen: int, end: int, left: float, right: float, score: float = float("inf")
    ) -> float:
        """What the words around a candidate take off its score (never negative)."""
        m = self.model
        n = len(text)
        given = text[i + slen : end]
        penalty = 0.0
        # a word (万里, 齐心) is a name only where the context says so clearly
        # (a word directly before a person's title is a name: 武功住院医师, 高峰主任)
        soften = (0.5 if left >= 4.0 else 1.0) * (0.35 if right >= 3.0 and _TITLE_AT.match(text, end) else 0.6 if right >= 2.0 else 1.0)
        wf = m.word_freq(text[i:end])
        if wf:
            penalty += min(6.0, 1.0 + wf**0.5 / 4) * soften
        if len(given) == 2:
            gf = m.word_freq(given)
            if gf > 200:
                penalty += min(3.0, gf**0.5 / 30)
            # surname and first given character make a word (银行卡, 杨梅舌, 高血压)
            pf = m.word_freq(text[i : i + slen + 1])
            if pf:
                penalty += min(5.0, 1.0 + pf**0.5 / 10) * soften
                if pf >= 1000 and sum(self._given.get(ch, -2.5) for ch in given) < 0.0:
                    penalty += 6.0  # a common word and a character no name uses (费用约, 安全带)
        if i > 0 and left < 1.0:
            cross_left = m.word_freq(text[i - 1 : i + 1])
            if cross_left:
                penalty += min(4.0, cross_left**0.5 / 10)
        if end < n and right < 1.5:
            # the last given character makes a word with the next (曾行阑|尾: 阑尾)
            cross_right = m.word_freq(text[end - 1 : end + 1])
            if cross_right:
                penalty += min(5.0, 1.5 + cross_right**0.5 / 5)
        if score - penalty < self.threshold:
            return penalty  # already below the threshold: the costlier tests below cannot raise it
        # inside a longer dictionary word (李斯特菌, 霍奇金淋巴瘤) or a drug name (美罗培南)
        if self._inside_word(text, i, end):
            penalty += 5.0 * soften
        if _DRUG_PART.search(text, max(0, i - 1), min(n, end + 2)):
            penalty += 5.0
        return penalty

    def _inside_word(self, text: str, start: int, end: int) -> bool:
        """True when a dictionary word of 3–5 characters covers the candidate and more."""
        words = self.model.words
        for a in range(max(0, start - 3), start + 1):
            for b in range(max(end, a + 3), min(len(text), a + 5) + 1):
                if (a < start or b > end) and text[a:b] in words:
                    return True
        return False

    @staticmethod
    def _left_context(text: str, i: int, cues: dict[int, float] | None = None) -> float:
        if i == 0 or text[i - 1] == "\n":
            return 2.0
        prev = text[i - 1]
        if cues is None:
            cues = {m.end(): 2.5 for m in _COLON_RE.finditer(text, max(0, i - 4), i)}
            for m in _CUE_RE.finditer(text, max(0, i - 16), i):
                cues[m.end()] = 5.0 if m.group("sep").strip(" ") in (":", "=") else 4.0
        if i in cues:
            return cues[i]
        if prev in _LIST_SEP:
            return 2.0
        if prev in "\t|":
            return 2.0
        if prev in _PUNCT:
            return 1.0
        if prev in "老小阿":
            return 0.5
        if prev in "与和由请经向给被让叫找把同跟对":
            return 0.5
        return -2.0

    @staticmethod
    def _right_context(text: str, end: int) -> float:
        if end >= len(text):
            return 1.5
        m = _RIGHT.match(text, end)
        if m is not None:
            if m.lastgroup == "no":
                return -5.0
            if m.lastgroup == "strong":
                return 3.0
        nxt = text[end]
        if nxt in _LIST_SEP or nxt in "\n\t|":
            return 2.0
        if nxt in _PUNCT:
            return 1.5
        if m is not None:  # a verb
            return 1.0
        return -1.0
