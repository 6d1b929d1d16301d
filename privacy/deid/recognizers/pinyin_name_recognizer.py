"""Person names written in Latin letters: pinyin (``Zhang Wei``, ``LIU Jianguo``, ``Chen Xiao-hong``)
and any name after an English honorific (``Dr. Smith``, ``Mr. Wang``).

English-mixed notes (discharge summaries for foreign insurers, ward rounds written in English)
write Chinese names in Hanyu Pinyin, surname first or last, capitalised or in capitals, and staff
as ``Dr. Wang``. A Chinese name in pinyin is one surname syllable (or a compound surname) and a
given name of one to three syllables, so the shape is checkable: every token must split into
syllables of Mandarin's inventory (:data:`SYLLABLES`, the ~410 syllables of the Hanyu Pinyin
table, ISO 7098:2015 / GB/T 16159-2012), and the surname must be one of :data:`SURNAME_PINYIN`
(the common surnames' readings and their Wade-Giles / Cantonese spellings: Wong, Chan, Cheung,
Hsu, Tsai…). Where a name stands decides how much shape is needed:

* after an honorific (``Dr``, ``Mr``, ``Mrs``, ``Ms``, ``Miss``, ``Prof``, ``Nurse``…): the next one
  or two capitalised words, pinyin or not (``Dr. Wang``, ``Dr. Smith``);
* after a cue (``Pt:``, ``Patient``, ``Name:``, ``Signed``, ``Attending:``, a relative's role,
  or a Chinese cue such as ``患者``): a pinyin name, surname first or last;
* anywhere else: surname + a given name of two syllables or more (``Chen Xiaohong``), a surname in
  capitals (``ZHANG Wei``), or a name followed by a sex or an age (``Li Na, F, 36y``) — never
  before ``Hospital``, ``Road``, ``District``… (``Zhongshan Hospital``, ``Hong Kong`` is left).
"""

from __future__ import annotations

import re
from functools import lru_cache

from privacy.deid.entities import PERSON
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation

SYLLABLES = frozenset(
    """a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen
    ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong
    cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dian diao die ding diu dong dou du duan dui dun
    duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai
    guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia
    jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai
    kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu
    luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang
    nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve o ou pa pai pan pang pao pei
    pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran
    rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang
    shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta
    tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu
    xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu
    yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou
    zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo""".split()
)
#: surnames as pinyin (the ~300 common surnames' readings), compound surnames, and the Wade-Giles
#: and Cantonese spellings seen on passports from Hong Kong, Macao, Taiwan and abroad
SURNAME_PINYIN = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun zhu ma hu guo he gao luo lin zheng liang xie song tang
    han feng deng cao peng zeng xiao tian dong yuan yu pan jiang du cai ye cheng wei su lv lu ding ren shen yao cui
    zhong tan fan jin shi liao jia xia fu fang zou bai xiong meng qin qiu yin xue yan hou duan lei long tao gu hao
    mao shao gong wan qian dai kong xiang chang mo kang wen niu lai hong ge xing an qi qiao yi pang ni nie zhuang
    zuo jiao lan guan gan zhu bao shang bi shu ning qu mei tong ruan ji miao shan pei ling huo sheng zhan ran xin ke
    tu chai weng you hua pu teng rao ai mou mu si che dou chu lou jing lian fei dang leng bu mi xi zong cen bian mai
    gui sha zang quan min ou ying sang sui luan diao jian rong kou lang cong ming zha zhen she chi ao ju hui kuang
    le nan ban lao pi man hai kan xian qiang suo ba zu di zhan yue
    ouyang sima shangguan zhuge dongfang huangfu situ murong gongsun linghu xiahou yuwen zhangsun duanmu
    moqi wenren helian yuchi gongyang tantai gongye zongzheng puyang chunyu chanyu taishu shentu zhongsun xuanyuan
    zhongli xianyu lvqiu sikong qiguan sikou ziju zhuansun wuma gongxi qidiao yuezheng rangsi gongliang tuoba jiagu
    zaifu guliang duangan baili dongguo nanmen huyan guihai yangshe weisheng liangqiu zuoqiu dongmen ximen nangong
    diwu
    wong chan lee cheung chang ng lau leung ho chow tse yeung lam kwok tsang chiu hsu hsieh tsai kuo fong kwan
    mak poon yip tam choi chung lo law yuen hsia chien chou chao tsao kao teng tung hung wu yau""".split()
)
#: honorifics: the next capitalised word(s) are a name, pinyin or not
HONORIFICS = "Dr Dr. Doctor Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Prof Prof. Professor Nurse Sister Dear Madam".split()
#: cues after which a pinyin name is expected (session 9: the parties of a claim form and of
#: paperwork that leaves the hospital: Insured, Claimant, Policyholder, Investigator…)
CUES = (
    "Pt Pt. pt Patient patient PATIENT Name name NAME Signed signed Signature Attending attending Consultant "
    "Surgeon Resident Intern Physician physician Nurse nurse RN Contact contact Guardian Mother mother Father "
    "father Wife wife Husband husband Son son Daughter daughter Brother brother Sister sister Spouse spouse "
    "Relative relative Proxy Referrer Reviewed Checked Recorded Seen Author Informant Caregiver Cc cc by By "
    "Insured insured Policyholder Claimant Beneficiary Applicant Investigator Assessor Adjuster Member Subscriber "
    "Dependant Dependent Holder Payee Witness Interpreter Translator Donor Recipient Addressee Attn Deceased"
).split()
_AFTER = re.compile(
    r"[ ,;]*(?:Hospital|hospital|Road|Rd|Lu|Street|St\b|District|Qu\b|Town|Village|County|City|Province|University|"
    r"Institute|Medical|Clinic|Center|Centre|Insurance|Bank|Company|Co\b|Group|Pharma|Health|Community|Station|"
    r"Park|Bridge|Lake|River|Mountain|Airport|Port|Avenue|Ave|Building|Tower|Plaza|Mall)"
)
_STRONG_AFTER = re.compile(r"[ ]?(?:,|，|\()?[ ]?(?:[MF](?![A-Za-z])|male|female|Male|Female|男|女|[0-9]{1,3}[ ]?(?:y|yo|Y|岁|years?))")
_TOKEN = re.compile(r"[A-Z][a-z]+(?:['\-][A-Za-z][a-z]*)*|[A-Z]{2,}")
_WORD_CHAR = re.compile(r"[A-Za-z]")
#: (no lookbehind at the start of a pattern: it stops Python's engine skipping ahead to where a
#: match can start; the character before a match is checked in :meth:`PinyinNameRecognizer.find`)
_HON_RE = re.compile(alternation(HONORIFICS) + r"(?![A-Za-z])[ ]?(?:[:.]?[ ]?)(?P<ini>(?:[A-Z]\.[ ]?){0,2})")
_CUE_RE = re.compile(alternation(CUES) + r"(?![A-Za-z])(?:[ ]?(?:by|[:=\-]))?[ ]?:?[ ]?")
#: Chinese cues straight before a Latin name (患者Li Na)
_CN_CUE_RE = re.compile(r"(?:患者|病人|姓名|家属|医师|医生|护士|联系人|签名|签字|主治|记录|Pt|\()[ ]?[:=]?[ ]?(?=[A-Z])")
#: capitalised English words that are never a name after an honorific
_NOT_NAMES = frozenset(
    "The A An On In At Of And Or For To From With Without Office Visit Note Notes Order Orders Plan Team Rounds "
    "Consult Consultation Report Signature Date Time Patient Name No None Unknown Signed Attending".split()
)


@lru_cache(maxsize=4096)
def syllables(token: str) -> int:
    """How many pinyin syllables ``token`` splits into (0 when it does not split)."""
    word = token.lower().replace("'", "").replace("-", "").replace("ü", "v")
    n = len(word)
    best = [0] + [-1] * n
    for end in range(1, n + 1):
        for size in range(1, 7):
            start = end - size
            if start < 0:
                break
            if best[start] >= 0 and word[start:end] in SYLLABLES:
                count = best[start] + 1
                if best[end] < 0 or count < best[end]:
                    best[end] = count
    return max(best[n], 0)


def _is_surname(token: str) -> bool:
    return token.lower() in SURNAME_PINYIN


class PinyinNameRecognizer(Recognizer):
    """Names in pinyin or after an English honorific (see the module docstring)."""

    name = "PinyinNameRecognizer"
    entities = (PERSON,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if not _WORD_CHAR.search(text):
            return []
        hits: list[Hit] = []
        cue_ends: dict[int, str] = {}
        starts: dict[int, int] = {}
        for m in _HON_RE.finditer(text):
            if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
                continue  # inside a word
            cue_ends[m.end()] = "honorific"
            starts[m.end()] = m.start("ini")  # initials before the name (Dr. W. Zhang) go with it
        for m in _CUE_RE.finditer(text):
            if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
                continue
            cue_ends.setdefault(m.end(), "cue")
        for m in _CN_CUE_RE.finditer(text):
            cue_ends.setdefault(m.end(), "cue")
        tokens = list(_TOKEN.finditer(text))
        surname_at = [_is_surname(t.group()) for t in tokens]
        taken_until = -1
        for k, tok in enumerate(tokens):
            if tok.start() < taken_until:
                continue
            if tok.start() not in cue_ends and not surname_at[k] and not (k + 1 < len(tokens) and surname_at[k + 1]):
                continue  # no cue and no surname in it: not a name (the cheap test first)
            nxt = tokens[k + 1] if k + 1 < len(tokens) and _joined(text, tok.end(), tokens[k + 1].start()) else None
            span = self._name_at(text, tok, nxt, cue_ends.get(tok.start()))
            if span is not None:
                hits.append(Hit(starts.get(span[0], span[0]), span[1], PERSON, 0.85, self.name))
                taken_until = span[1]
        return hits

    @staticmethod
    def _name_at(text: str, tok: re.Match[str], nxt: re.Match[str] | None, cue: str | None) -> tuple[int, int] | None:
        first = tok.group()
        second = nxt.group() if nxt is not None else None
        end2 = nxt.end() if nxt is not None else tok.end()
        if cue == "honorific":
            if first in _NOT_NAMES:
                return None
            if second is not None and second not in _NOT_NAMES and (syllables(second) or not _AFTER.match(text, tok.end())):
                if not _AFTER.match(text, end2):
                    return tok.start(), end2
            return None if _AFTER.match(text, tok.end()) else (tok.start(), tok.end())
        if _AFTER.match(text, end2) or (second is None and _AFTER.match(text, tok.end())):
            return None
        s1 = syllables(first)
        s2 = syllables(second) if second is not None else 0
        if cue == "cue":
            if second is not None and s1 and s2 and s1 + s2 <= 5 and (
                _is_surname(first) or _is_surname(second)
                # a surname no list has: the cue, two pinyin words and a given name of two syllables or
                # a surname in capitals (Insured Dexin Yu, Hanzhi NIAN) say it
                or s1 + s2 >= 3 or (first.isupper() or second.isupper()) and len(first) > 1 and len(second) > 1
            ):
                return tok.start(), end2
            if _is_surname(first) and s1 == 1 and (second is None or not s2):
                return tok.start(), tok.end()
            return None
        # no cue: the shape and what follows must say so
        if second is None or not s1 or not s2 or s1 + s2 > 5:
            return None
        if _is_surname(first):
            strong = first.isupper() and len(first) > 1 or s2 >= 2 or _STRONG_AFTER.match(text, end2)
        elif _is_surname(second):
            strong = second.isupper() and len(second) > 1 and not first.isupper() or _STRONG_AFTER.match(text, end2)
        else:
            return None
        return (tok.start(), end2) if strong else None


def _joined(text: str, end: int, start: int) -> bool:
    """Two tokens of one name: one space (or a comma-less gap of spaces) between them."""
    return 0 < start - end <= 2 and text[end:start].strip(" ") == ""
