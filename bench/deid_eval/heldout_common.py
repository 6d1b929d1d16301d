"""Helpers that the later held-out splits (heldout3.py … heldout6.py) share.

Nothing here names a form, a style or a decoy of any split: the helpers give a patient an identity,
put a label before a resident ID or a date of birth from a split's own label table, build the local
part of an e-mail address, collect the name pools of earlier splits and register a split with
``independent.py``. They were written once for heldout3 and copied into heldout4; the copies are
now here, and heldout3 and heldout4 produce byte-identical output through them. The pool filter
and the person picker that heldout4 and heldout5 (and heldout3, for the picker) had written
out each came here with heldout6; every earlier split's output is unchanged (tested by sha256).
"""

from __future__ import annotations

from datetime import date, timedelta
from types import ModuleType

from bench.deid_eval import independent as ind
from bench.deid_eval.independent import _digits, _Person, _Pools, gb11643_check

#: the kinds of the later splits: dev's nine and heldout2's ``other_contact``
KINDS = ind.IDENTIFIER_KINDS + ("other_contact",)
#: the baseline ("earlier") forms per kind: dev's, and heldout2's for other_contact (dev has none)
BASELINE_FORMS: dict[str, tuple[str, ...]] = {
    **ind._SHARED_FORMS,
    "other_contact": ind.HELDOUT2_ONLY["other_contact"],
}

#: dev's labels of a resident ID and of a date of birth (the later splits use them for dev's forms)
RID_LABELS_DEV = ("身份证号：", "身份证：", "公民身份号码 ", "证件号码：", "身份证号码:", "ID:")
DOB_LABELS_DEV = ("出生日期：", "生于", "出生于", "DOB: ", "生日：", "出生：", "_出生", "_生")
DOB_LABELS_CN_NUMERALS = ("出生日期：", "生于", "_出生")


def give_identity(c, p: _Person, child: bool) -> int:
    """Give the patient ``p`` an age, a date of birth, an area code and a sequence number whose
    check character is ``X`` one time in five; returns the age."""
    rng = c.rng
    if child:
        age = rng.randrange(0, 15)
    else:
        age = rng.choices((rng.randrange(18, 45), rng.randrange(45, 96)), weights=(25, 75))[0]
    p.dob = date(c.visit.year - age - 1, 1, 1) + timedelta(days=rng.randrange(0, 365))
    p.area = rng.choice(ind._SH_AREA_CODES) if rng.random() < 0.7 else rng.choice(ind._OTHER_AREA_CODES)
    want_x = rng.random() < 0.2
    seq = ""
    for _ in range(400):
        seq = _digits(rng, 2) + rng.choice("13579" if p.sex == "男" else "02468")
        if (gb11643_check(p.area + p.dob.strftime("%Y%m%d") + seq) == "X") == want_x:
            break
    p.seq = seq
    return age


def landline(c, person: _Person) -> str:
    """The person's 8-digit Shanghai landline (the same number dev's landline forms write)."""
    if "land" not in person.cache:
        person.cache["land"] = c.pick("2345656") + _digits(c.rng, 7)
    return person.cache["land"]


def labelled_rid(c, labels_by_form: dict[str, tuple[str, ...]]) -> list:
    """The patient's resident ID (or document) after a label: the split's label for its own forms,
    dev's for dev's."""
    v = c.rid(True)
    return [c.pick(labels_by_form.get(v.form, RID_LABELS_DEV)), v]


def labelled_dob(c, labels_by_form: dict[str, tuple[str, ...]]) -> list:
    """The patient's date of birth with a label before it, or after it when the label starts with
    ``_`` (``1956年3月7日生``); dev's labels for dev's forms."""
    v = c.dob(True)
    labels = labels_by_form.get(v.form)
    if labels is None:
        labels = DOB_LABELS_CN_NUMERALS if v.form == "cn_numerals" else DOB_LABELS_DEV
    style = c.pick(labels)
    return [v, style[1:]] if style.startswith("_") else [style, v]


def email_local(c, a: str, b: str) -> str:
    """The local part of a personal mailbox made of two pinyin syllables."""
    rng = c.rng
    return c.pick(
        (f"{a}{b}{rng.randrange(60, 99)}", f"{a}.{b}", f"{a}{b}{rng.randrange(1960, 2005)}", f"{a}_{b}")
    )


def known_pool_names(splits: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """Every surname character and given name of the name pools of ``splits``."""
    sur: set[str] = set()
    given: set[str] = set()
    for split in splits:
        p = ind._pools(split)
        sur |= set(p.surnames) | set(p.rare) | {ch for cmp in p.compound for ch in cmp}
        sur |= {s for s, _g in p.word_like}
        given |= set(p.given_m) | set(p.given_f) | {g for _s, g in p.word_like}
    return sur, given


def filtered_pools(
    earlier: tuple[str, ...],
    surnames: list[str],
    given_m: list[str],
    given_f: list[str],
    rare: tuple[str, ...],
    compound: tuple[str, ...],
    word_like: tuple[tuple[str, str], ...],
) -> _Pools:
    """A split's own name pools, less any surname or given name that a split in ``earlier`` has."""
    sur, given = known_pool_names(earlier)
    return _Pools(
        surnames=[s for s in surnames if s not in sur],
        given_m=[g for g in given_m if g not in given],
        given_f=[g for g in given_f if g not in given],
        rare=rare,
        compound=compound,
        word_like=word_like,
    )


def pick_person(c, sex: str | None, cuts: tuple[float, float, float]) -> _Person:
    """A person from the note's pools: a rare surname below ``cuts[0]``, a compound surname below
    ``cuts[1]``, a word-like name below ``cuts[2]``, an ordinary name above (one draw decides)."""
    rng, pl = c.rng, c.pools
    sex = sex or rng.choice("男女")
    r = rng.random()
    given_pool = pl.given_m if sex == "男" else pl.given_f
    if r < cuts[0]:
        return _Person(rng.choice(pl.rare), rng.choice(given_pool), sex, "rare_surname")
    if r < cuts[1]:
        return _Person(rng.choice(pl.compound), rng.choice(given_pool), sex, "compound_surname")
    if r < cuts[2]:
        s, g = rng.choice(pl.word_like)
        return _Person(s, g, sex, "word_like_name")
    return _Person(rng.choice(pl.surnames), rng.choice(given_pool), sex, "ordinary")


def register(
    split: str, module: ModuleType, only: dict[str, tuple[str, ...]], decoy_kinds: tuple[str, ...]
) -> None:
    """Make ``split`` known to independent.py: its forms (the baseline's, then its own), styles,
    kinds and decoy kinds, and ``module`` as the split's hooks."""
    ind.FORMS[split] = {k: BASELINE_FORMS[k] + only[k] for k in KINDS}
    ind.STYLES[split] = ind._SHARED_STYLES + only["style"]
    ind.SPLIT_KINDS[split] = KINDS
    ind.SPLIT_DECOY_KINDS[split] = ind.DECOY_KINDS + decoy_kinds
    ind._HOOKS[split] = module
