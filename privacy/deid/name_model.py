"""A statistical model of Chinese person names, derived from jieba's data (installed, offline).

jieba's part-of-speech HMM (``jieba/posseg/prob_emit.p``, trained on the People's Daily corpus)
holds, for every character, its emission probability in each state — among them the first
(``B-nr``), middle (``M-nr``) and last (``E-nr``) character of a person name. Its dictionary
(``jieba/dict.txt``, 349,046 words with frequencies and tags) gives how common each word and each
character is in ordinary text. From those two:

* ``surname(c)`` — log P(c starts a name) − log P(c in text): how much more often the character
  opens a name than it occurs at all (王 +, 的 −), added to by membership of the surname list;
* ``given(c)`` — the same for the middle and last characters of names (伟, 芳, 建 +; 血, 压 −),
  or, where higher, for the given names of the people the dictionary lists (words tagged ``nr``
  that start with a surname) — each source misses characters common in names today;
* ``word(w)`` — the dictionary frequency of a common word of 2–5 characters, so a candidate that
  is a word (周身, 高血压), lies inside one (李斯 in 李斯特菌) or cuts through one (提高 → 高…) is
  penalised. jieba tags many herbs and eponyms as names (杨梅, 柴胡, 艾灸, 霍奇金): those of two
  or three characters with frequency 10 or more count as words too.

Building it reads both files once (~0.5 s); the result is cached as JSON (no pickle) under the
project's cache folder, keyed by jieba's version and the files' sizes, and loads in ~0.1 s.
"""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("medshare.deid")

MODEL_VERSION = 8
#: words at least this frequent in jieba's dictionary count as common words
COMMON_WORD_FREQ = 3
#: a word jieba tags as a name counts as a common word from this frequency on
NAME_WORD_FREQ = 10
#: characters that open names far more often than anything else (the common single surnames)
SURNAMES = (
    "王李张刘陈杨黄吴赵周徐孙马朱胡林郭何高罗郑梁谢宋唐许邓冯韩曹曾彭萧肖蔡潘田董袁于余叶蒋杜苏魏程"
    "吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎闫薛尹段雷黎史龙陶贺顾毛郝龚邵万"
    "钱严赖覃洪武莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时"
    "穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋"
    "商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼"
    "蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁"
    "芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利呼"
    "居揭干但尉冶元束檀衣信展阴昝智幸奉植衡富尧闭由於钮邴滑荀羿靖汲糜松弓牧訾宓谯郦蒯暴钭隗郗"
    "逄禄仉晏鄂岐邗宦闾蔚竺柴邓鲍付代候占丘"
)
COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 端木 独孤 南宫 西门 "
    "万俟 轩辕 澹台 申屠 太史 闻人 呼延 赫连 钟离 百里 东郭 濮阳 第五 拓跋 公羊 左丘 谷梁 宗政 "
    "司空 仲孙 单于 闾丘 亓官 乐正 壤驷 公良 漆雕 巫马 淳于 梁丘 子车 颛孙 鲜于 羊舌 微生 公冶 "
    "司寇 锺离 段干 夹谷 宰父 谷粱 呼延 东门 西郭 南门 公西"
).split()


@dataclass(frozen=True)
class NameModel:
    surname: dict[str, float]
    given: dict[str, float]
    words: dict[str, int]
    compound: frozenset[str]

    def surname_score(self, ch: str) -> float:
        return self.surname.get(ch, -4.0)

    def given_score(self, ch: str) -> float:
        return self.given.get(ch, -3.0)

    def word_freq(self, word: str) -> int:
        return self.words.get(word, 0)


def _jieba_files() -> tuple[Path, Path]:
    """jieba's dictionary and HMM emission table (found without importing jieba)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    base = Path(spec.origin).parent
    return base / "dict.txt", base / "posseg" / "prob_emit.py"


def build_model() -> dict[str, object]:
    """The tables, computed from jieba's dictionary and HMM emissions (≈0.5–1 s)."""
    from jieba.posseg import prob_emit

    dict_path, _ = _jieba_files()
    words: dict[str, int] = {}
    char_count: dict[str, float] = {}
    name_given: dict[str, int] = {}
    total = 0.0
    with dict_path.open(encoding="utf-8") as handle:
        for line in handle:
            word, freq_s, tag = line.split(" ")
            freq = int(freq_s)
            for ch in word:
                char_count[ch] = char_count.get(ch, 0.0) + freq
            total += freq * len(word)
            if tag.startswith("nr") and len(word) in (2, 3) and word[0] in SURNAMES:
                for ch in word[1:]:  # the given names of the dictionary's listed people
                    name_given[ch] = name_given.get(ch, 0) + 1
            if freq >= COMMON_WORD_FREQ and 2 <= len(word) <= 5:
                # jieba tags many herbs and eponyms as names (杨梅, 柴胡, 艾灸, 霍奇金, 多普勒): a
                # "name" of two or three characters that common is a word; rarer ones are people
                if not tag.startswith("nr") or len(word) >= 4 or freq >= NAME_WORD_FREQ:
                    words[word] = freq
    emit = prob_emit.P
    begin = emit[("B", "nr")]
    middle = emit[("M", "nr")]
    end = emit[("E", "nr")]
    single = emit[("S", "nr")]

    def background(ch: str) -> float:
        return math.log((char_count.get(ch, 0.0) + 1.0) / (total + 1.0))

    surname: dict[str, float] = {}
    for ch in set(begin) | set(SURNAMES):
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        lp = max(begin.get(ch, -20.0), single.get(ch, -20.0))
        score = lp - background(ch)
        if ch in SURNAMES:
            score = max(score, 0.0) + 1.5
        surname[ch] = round(score, 3)
    given: dict[str, float] = {}
    listed_total = sum(name_given.values()) or 1
    for ch in set(middle) | set(end) | set(name_given):
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        lp = math.log(math.exp(middle.get(ch, -30.0)) + math.exp(end.get(ch, -30.0)) + 1e-12) - math.log(2)
        hmm = lp - background(ch)
        count = name_given.get(ch, 0)
        # a character seen in fewer than three listed names says nothing (rare characters would
        # otherwise score high only for being rare in text: 灸, 寄)
        listed = math.log(count / listed_total) - background(ch) if count >= 3 else -30.0
        # either source may miss a character common in names today (娟 in the HMM, 奕 in the list)
        given[ch] = round(max(hmm, listed), 3)
    buckets: dict[str, list[str]] = {}
    for word, freq in words.items():
        buckets.setdefault(str(int(math.log2(freq))), []).append(word)
    # words by frequency bucket (log2), one space-separated string each: loads ~5x faster than a map
    return {
        "version": MODEL_VERSION,
        "surname": surname,
        "given": given,
        "words": {b: " ".join(ws) for b, ws in buckets.items()},
    }


def _cache_path() -> Path | None:
    try:
        from importlib.metadata import version

        from medshare.config import settings

        dict_path, emit_path = _jieba_files()
        stamp = f"{version('jieba')}-{dict_path.stat().st_size}-{emit_path.stat().st_size}-v{MODEL_VERSION}"
        return settings().cache / f"deid-name-model-{stamp}.json"
    except Exception:  # noqa: BLE001 - no cache folder: build every time
        return None


@lru_cache(maxsize=1)
def load_model() -> NameModel:
    """The name model, from the JSON cache when it is there, else built (and cached)."""
    path = _cache_path()
    data = None
    if path is not None and path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
    if data is None or data.get("version") != MODEL_VERSION:
        data = build_model()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                tmp.replace(path)
            except OSError as exc:
                log.info("name model not cached: %s", exc)
    words: dict[str, int] = {}
    for bucket, listed in data["words"].items():  # type: ignore[union-attr]
        # one frequency per bucket: dict.fromkeys fills it at C speed (a comprehension over the
        # 263,000 words was a fifth of the start-up)
        words.update(dict.fromkeys(listed.split(" "), 2 ** int(bucket)))
    return NameModel(
        surname=data["surname"],  # type: ignore[arg-type]
        given=data["given"],  # type: ignore[arg-type]
        words=words,
        compound=frozenset(COMPOUND_SURNAMES),
    )
