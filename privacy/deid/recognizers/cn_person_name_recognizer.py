"""Chinese person names: a surname list, given-name rules and the words that introduce a name.

A blank spaCy pipeline has no NER, and a surname followed by one or two characters is most of
Chinese text (``高血压`` is 高 + 血压), so a name is only a candidate where notes put names: after
a cue (``患者``, ``姓名：``, ``其子``, ``家属``, ``联系人``, ``医师``…), before a title (``先生``,
``女士``, ``主任``…) or before ``，男`` / ``，女`` in a demographic line. ``analyze`` then decides how
long the given name is (one or two characters) from what follows it: punctuation, a word that
never ends a name (``因``, ``于``, ``诉``…), or a jieba word boundary. Surnames that are also
everyday words (``曾`` "once", ``周`` in ``周身``, ``常`` "often") must not form a dictionary word
with the next character, and a deny-list removes clinical phrases that look like names.

The record's own names (the settlement's ``name`` field) are the surest signal of all:
:func:`known_names_recognizer` builds an ad-hoc :class:`KnownNamesRecognizer` per record that finds
them wherever they appear, whatever surrounds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import LocalRecognizer, Pattern, PatternRecognizer, RecognizerResult

from privacy.deid._common import CJK, FLAGS, alternation
from privacy.deid.entities import LANGUAGE, PERSON

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 端木 独孤 南宫 西门 "
    "万俟 轩辕 澹台 申屠 太史 闻人 呼延 赫连 钟离 百里 东郭 濮阳 第五 拓跋 公羊 左丘 谷梁 宗政 "
    "歐陽 司空 仲孙 单于 闾丘 亓官 乐正 壤驷 公良 漆雕 巫马"
).split()

#: common single-character surnames (the ~400 of the 百家姓 that cover nearly everyone)
SURNAMES = (
    "王李张刘陈杨黄吴赵周徐孙马朱胡林郭何高罗郑梁谢宋唐许邓冯韩曹曾彭萧肖蔡潘田董袁于余叶蒋杜苏魏程"
    "吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎闫薛尹段雷黎史龙陶贺顾毛郝龚邵万"
    "钱严赖覃洪武莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时"
    "穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋"
    "商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼"
    "蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁"
    "芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利呼"
    "居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由於钮巫邴嵇滑荀羿储靖汲邵糜松井段富巫乌焦巴弓牧"
)

#: surnames that are also everyday words in clinical text (曾 once, 周身, 常 often, 于 at, 全身…):
#: with these, the candidate must not be a common jieba word and its end must be unmistakable
AMBIGUOUS_SURNAMES = frozenset("于曾常周安全时明平和来由向方万关温康程马高白金石文齐史江谷苏夏甘原查")

#: characters that never start a given name (function words, kinship and clinical words)
NOT_GIVEN_FIRST = frozenset(
    "的了是在因于诉述称今昨自入出到与及等为现已曾无被由将把对从说表签陪送均也都亦又再还就即需"
    "能不未没系拒请告着过携代处办领患女男性年岁主既近反多突伴否诊术住每仍持后同意要去回共病症"
    "情况经某氏你我他她它们这那哪个本该此其各诸医护院科室床号姓名"
)
#: characters that end a given name only when punctuation follows (郑雅和。 but 张伟和李娜)
SOFT_SECOND = frozenset("和有会先来之家致")
#: characters that never end a two-character given name; a name may stop right before them
NOT_GIVEN_SECOND = (
    NOT_GIVEN_FIRST | frozenset("一二三四五六七八九十小老阿师教注查接随体致提另家属")
) - SOFT_SECOND
_ENDS_BEFORE = NOT_GIVEN_SECOND | SOFT_SECOND

#: words that introduce a name right after them (``姓名：``, ``其子``, ``主治医师``…)
CUES = (
    "患者 病人 患儿 病员 姓名 家属 亲属 家人 其子 其女 其夫 其妻 其母 其父 之子 之女 长子 次子 长女 次女 丈夫 妻子 爱人 老伴 "
    "儿子 女儿 母亲 父亲 配偶 孙子 孙女 外孙 外孙女 儿媳 女婿 哥哥 姐姐 弟弟 妹妹 联系人 陪同 陪同人 陪护 陪护人 监护人 委托人 代理人 签字人 授权人 医师 "
    "医生 护士 护师 记录者 记录人 书写者 签名 审核者 审核人 报告人 报告者 主刀 术者 助手 麻醉师 检查者 操作者 经办人 领药人 介绍人 转诊人 "
    "随访人 随访者 接听人 被保险人 投保人 受益人 申请人 收款人 持卡人 户名"
).split()
#: titles that end a name (``王建国先生``, ``陈小红女士``, ``李明主任``)
TITLES = "先生 女士 小姐 同志 老师 阿姨 师傅 主任 医生 医师 护士 护师 教授 院长 大夫 老人 患者".split()
#: surname + first given character that are clinical or everyday words, not names
DENY_PREFIXES = frozenset(
    (
        "于门 于急 于我 于本 于外 于当 于家 于上 于下 于近 于夜 于晚 于早 于次 于半 于同 于病 于发 于一 "
        "高血 高热 高龄 高危 高烧 高压 高度 高脂 高尿 高钾 高钠 高钙 高糖 高渗 高敏 高频 高级 高位 "
        "常规 常感 常有 常伴 常见 常用 周身 周围 周边 周期 周余 方案 方可 方法 方便 方面 文化 石膏 "
        "白细 白蛋 白天 白色 白带 白内 白斑 白苔 金黄 金属 黄疸 黄色 黄染 黄体 黄芪 黄连 黄痰 黄苔 "
        "万古 万一 安静 安全 安眠 安返 安置 安排 安睡 向外 向内 向上 向下 向其 向家 向患 向医 向护 向主 齐全 关节 关注 关于 "
        "关系 关心 时有 时感 时伴 时常 时间 明显 明确 明日 明天 明晨 平素 平时 平卧 平稳 平均 全身 "
        "全天 全程 全部 全麻 全科 陈述 马上 杜冷 母亲 孙子 孙女 江湾 康复 程度 温度 甘油 甘露 谷丙 "
        "谷草 苏醒 夏季 曾经 曾行 曾有 曾因 曾在 曾出 曾住 曾做 曾服 曾用 曾多 曾就 曾患 曾查 曾予 "
        "曾给 曾接 曾至 曾去 曾口 曾静 曾输 曾使 曾反 曾间 曾数 曾外 曾门 曾急 龙胆 "
        "石斛 金银 钱币 毛发 毛细 毛囊 包块 包括 包扎 单纯 单位 单侧 成人 成形 成功 管路 管道 管理 "
        "蒙脱 沙丁 华法 柴胡 连续 连翘 车前 桑葚 阿莫 阿司 阿托 阿奇 阿卡 阿替 伊曲 卡托 查房 查体 查看 "
        "查血 查尿 查找 查阅"
    ).split()
)

#: whole three-character phrases that look like names (kept apart from DENY_PREFIXES so that
#: 曾一军 stays a name while 曾一度 is not)
DENY_WORDS = frozenset("曾一度 曾一次 曾两次 曾三次 曾二次 曾一过 万一有 高一些 金一般".split())

_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + SURNAMES + "])"
_GIVEN1 = "[" + CJK + "]"
_SEP = r"\s{0,2}(?:[:：]|为|是|叫)?\s{0,2}"
_TITLE = alternation(TITLES)
#: what people in a note do right after their name is written (王建国签字同意, 与李娜沟通)
VERBS = "签字 签名 表示 同意 拒绝 要求 代诉 来电 陪同 陪护 知情 接听 沟通 确认 告知".split()
_VERB = alternation(VERBS)
_LINK_WORD = alternation("与 和 经 向 由 请 告知 通知 联系 嘱".split())
#: words that link a name to what precedes it and are also surnames (和, 向, 于…)
_LINKING = frozenset("和向由于同与及对给跟为请")
#: a footer line names the hospital or department, then the doctor: ``上海市第六人民医院 王建国``
_SIGNATURE_AFTER = "医院|中心|门诊部|卫生院|服务站|诊所|科|病区"
_STRONG_BOUNDARY = re.compile(rf"[^{CJK}]|$|{_TITLE}|[男女](?:[^{CJK}]|性|$)")
_SURNAME_RE = re.compile(_SURNAME)


class CnPersonNameRecognizer(PatternRecognizer):
    """A Chinese name introduced by a cue word, followed by a title, or opening a demographic line.

    ``PATTERNS`` give the longest candidate (surname and up to two given characters). Besides
    cues and titles: a name at the start of a clause before what people do in notes (``王建国签字
    同意``, ``与李娜沟通``), and the signature at the end of a footer line after the hospital or
    department name.
    :meth:`analyze` settles the length and the score of each: 0.85 when punctuation, a title or a
    non-name character follows, 0.7 at a jieba word boundary (0.6 for an ambiguous surname), 0.5
    when nothing confirms the end (never for an ambiguous surname).
    """

    PATTERNS = [
        Pattern("after_cue", rf"(?<={alternation(CUES)}{_SEP}){_SURNAME}{_GIVEN1}{{1,2}}", 0.7),
        Pattern("before_title", rf"{_SURNAME}{_GIVEN1}{{1,2}}(?={_TITLE})", 0.85),
        Pattern(
            "before_verb",
            rf"(?<=^|[\s，,。；;：:、（(]|{_LINK_WORD}){_SURNAME}{_GIVEN1}{{1,2}}(?={_VERB})",
            0.7,
        ),
        Pattern(
            "signature",
            rf"(?<=(?:{_SIGNATURE_AFTER})[ \t\u3000]{{1,4}}){_SURNAME}{_GIVEN1}{{1,2}}(?=[ \t\u3000]*(?:\n|$))",
            0.85,
        ),
        Pattern(
            "demographic_line",
            rf"(?<=^|[\s，,。；;：:、（(【\[]){_SURNAME}{_GIVEN1}{{1,2}}(?=\s{{0,2}}[，,、\s]\s{{0,2}}[男女](?:[，,、\s性]|\d|$))",
            0.85,
        ),
        # a name opening a line, with the record number in brackets: 蔡燕（住院号123456），女
        Pattern(
            "before_record_no",
            rf"(?<=^|[\s，,。；;：:、（(【\[]){_SURNAME}{_GIVEN1}{{1,2}}"
            rf"(?=\s{{0,2}}[（(]\s{{0,2}}(?:住院号|门诊号|病案号|病历号|ID|id))",
            0.85,
        ),
    ]
    CONTEXT = [*CUES, *TITLES]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity=PERSON,
            name="CnPersonNameRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            # self-anchored patterns (a label or cue lookbehind, a suffix, a checksum) set the score
            # themselves: CONTEXT documents the words, the enhancer would only spend time (~25 %)
            context=None,
            global_regex_flags=FLAGS,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Pattern candidates, each trimmed to its most likely length, plus names listed after them.

        Candidates are matched *overlapped*: in ``患者母亲徐萱婷`` the first candidate after the cue
        ``患者`` is ``母亲徐`` (母 is a surname); once it is rejected, ``徐萱婷`` after ``母亲`` must
        still be found, which a plain ``finditer`` would have skipped.
        """
        boundaries = _token_boundaries(text, nlp_artifacts)
        results: list[RecognizerResult] = []
        for pattern in self.patterns:
            if pattern.compiled_regex is None or pattern.compiled_with_flags != self.global_regex_flags:
                pattern.compiled_regex = re.compile(pattern.regex, flags=self.global_regex_flags)
                pattern.compiled_with_flags = self.global_regex_flags
            for match in pattern.compiled_regex.finditer(text, overlapped=True):
                refined = self._refine(text, match.start(), match.end(), pattern, boundaries)
                if refined is None:
                    continue
                start, end, score = refined
                result = self._result(start, end, score, pattern)
                results.append(result)
                results.extend(self._listed_after(text, result, boundaries))
        return _best_non_overlapping(results)

    def _result(self, start: int, end: int, score: float, pattern: Pattern) -> RecognizerResult:
        explanation = self.build_regex_explanation(
            self.name, pattern.name, pattern.regex, score, True, self.global_regex_flags
        )
        return RecognizerResult(
            PERSON,
            start,
            end,
            score,
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )

    # --- deciding a candidate ------------------------------------------------------------------
    def _refine(
        self, text: str, start: int, end: int, pattern: Pattern, boundaries: frozenset[int]
    ) -> tuple[int, int, float] | None:
        """``(start, end, score)`` of the name the candidate holds, or None when it is not a name."""
        if pattern.name != "after_cue":
            # the lookaround fixed the end (a title, ", 男" or the end of a footer line follows); before
            # a title the start may have taken a preceding word: 和王芳女士 is 和 + 王芳
            if (
                pattern.name in ("before_title", "before_verb")
                and end - start == 3
                and text[start] in _LINKING
                and _surname_at(text, start + 1)
            ):
                start += 1
            if not self._plausible(text, start, end) or not self.validate_result(text[start:end]):
                return None
            return start, end, pattern.score
        surname = _surname_at(text, start)
        if surname is None:
            return None
        given_start = start + len(surname)
        ambiguous = surname in AMBIGUOUS_SURNAMES
        fallback: tuple[int, int, float] | None = None
        for given_len in range(min(2, end - given_start), 0, -1):
            name_end = given_start + given_len
            if not self._plausible(text, start, name_end) or not self.validate_result(text[start:name_end]):
                continue
            following = text[name_end:]
            strong = _STRONG_BOUNDARY.match(following) is not None
            if given_len == 2 and text[name_end - 1] in SOFT_SECOND and not strong:
                continue
            if strong or following[:1] in _ENDS_BEFORE:
                return start, name_end, 0.85
            if name_end in boundaries:
                # a jieba word ends here; for 周/曾/常… the dictionary check above already ruled
                # out the common words (周身, 曾经), but the evidence is weaker
                return start, name_end, 0.6 if ambiguous else 0.7
            if fallback is None and not ambiguous:
                fallback = (start, name_end, 0.5)
        return fallback

    @staticmethod
    def _plausible(text: str, start: int, end: int) -> bool:
        """Surname, then one or two given characters that can stand in a name."""
        surname = _surname_at(text, start)
        if surname is None:
            return False
        given = text[start + len(surname) : end]
        if not 1 <= len(given) <= 2 or given[0] in NOT_GIVEN_FIRST:
            return False
        if any(text.startswith(title, start + len(surname)) for title in TITLES):
            return False  # 王先生, 李老师: a surname and a title
        return len(given) == 1 or given[1] not in NOT_GIVEN_SECOND

    def validate_result(self, pattern_text: str) -> bool | None:
        """False for clinical phrases that look like names (``高血压``, ``周身``, ``曾行``)."""
        surname = _surname_at(pattern_text, 0)
        if surname is None:
            return False
        given = pattern_text[len(surname) :]
        if not given or (len(surname) == 1 and pattern_text[:2] in DENY_PREFIXES):
            return False
        if pattern_text in DENY_WORDS:
            return False
        if surname in AMBIGUOUS_SURNAMES and _common_word(pattern_text):
            return False
        return True

    def _listed_after(
        self, text: str, first: RecognizerResult, boundaries: frozenset[int]
    ) -> list[RecognizerResult]:
        """Names listed after a found one: ``家属王建国、李秀英``, ``其子张伟和其女张丽``."""
        found: list[RecognizerResult] = []
        end = first.end
        while end < len(text) and text[end] in "、和及与":
            start = end + 1
            match = re.match(rf"{_SURNAME}{_GIVEN1}{{1,2}}", text[start:])
            if not match:
                break
            refined = self._refine(text, start, start + match.end(), self.patterns[0], boundaries)
            if refined is None:
                break
            _, end, score = refined
            found.append(
                RecognizerResult(
                    PERSON,
                    start,
                    end,
                    score,
                    analysis_explanation=first.analysis_explanation,
                    recognition_metadata=dict(first.recognition_metadata or {}),
                )
            )
        return found


def _best_non_overlapping(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Of overlapping candidates keep the higher score, then the longer."""
    kept: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if all(r.end <= k.start or k.end <= r.start for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)


def _surname_at(text: str, start: int) -> str | None:
    match = _SURNAME_RE.match(text, start)
    return match.group(0) if match else None


def _token_boundaries(text: str, nlp_artifacts: NlpArtifacts | None) -> frozenset[int]:
    """Offsets where a jieba word starts or the text ends."""
    if nlp_artifacts is None or not nlp_artifacts.tokens_indices:
        return frozenset({len(text)})
    return frozenset({*nlp_artifacts.tokens_indices, len(text)})


@lru_cache(maxsize=8192)
def _common_word(word: str) -> bool:
    """True when jieba's dictionary lists ``word`` as a common word (frequency ≥ 20) that is not
    tagged as a person name (jieba lists 高桂英 and 马超 as names, 周身 and 曾经 as words)."""
    frequencies, tags = _jieba_dictionary()
    return frequencies.get(word, 0) >= 20 and not tags.get(word, "").startswith("nr")


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies and part-of-speech tags, loaded once and quietly."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


class KnownNamesRecognizer(LocalRecognizer):
    """The record's own names, found wherever they appear (score 1.0), by plain substring search.

    Presidio's ``deny_list`` bounds words with ``\\W``, which never matches between Chinese
    characters; and a regex compiled per note would cost more than the search itself.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        super().__init__(
            supported_entities=[PERSON], name="KnownNamesRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for name in self.names:  # longest first
            start = text.find(name)
            while start != -1:
                end = start + len(name)
                if all(end <= r.start or r.end <= start for r in results):
                    results.append(
                        RecognizerResult(
                            PERSON,
                            start,
                            end,
                            1.0,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            },
                        )
                    )
                start = text.find(name, start + 1)
        return sorted(results, key=lambda r: r.start)


def known_names_recognizer(names: Iterable[str]) -> KnownNamesRecognizer | None:
    """An ad-hoc recogniser for ``names`` (blank and one-character names ignored), or None."""
    cleaned = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    return KnownNamesRecognizer(tuple(cleaned)) if cleaned else None
