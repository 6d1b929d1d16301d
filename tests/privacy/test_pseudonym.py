"""Keyed pseudonyms: stable per project key, unlinkable across keys, projects and domains."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshare.config import Settings
from privacy.pseudonym import Pseudonymiser

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))
PERSON = "3100123456789012"


def test_shape_and_stability():
    p = Pseudonymiser(KEY_A, "lab")
    first = p.pseudonym(PERSON)
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert Pseudonymiser(KEY_A, "lab").pseudonym(PERSON) == first


def test_known_answer():
    """The documented construction, rebuilt with hmac alone."""

    def lp(s: str) -> bytes:
        return len(s.encode()).to_bytes(4, "big") + s.encode()

    sub = hmac.new(KEY_A, b"medshare pseudonym v1" + lp("lab"), hashlib.sha256).digest()
    expected = hmac.new(sub, lp("person") + lp(PERSON), hashlib.sha256).digest()[:16].hex()
    assert Pseudonymiser(KEY_A, "lab").pseudonym(PERSON) == expected
    assert expected == "854b7118dc2b92c05f142312dee4a282"


def test_not_a_plain_hash():
    got = Pseudonymiser(KEY_A, "lab").pseudonym(PERSON)
    assert got not in {hashlib.sha256(PERSON.encode()).hexdigest()[:32], hashlib.md5(PERSON.encode()).hexdigest()}


@given(st.text(min_size=1, max_size=40))
def test_differs_across_keys_projects_and_domains(value):
    a = Pseudonymiser(KEY_A, "lab")
    outs = {
        a.pseudonym(value),
        Pseudonymiser(KEY_B, "lab").pseudonym(value),
        Pseudonymiser(KEY_A, "lab2").pseudonym(value),
        a.pseudonym(value, domain="card"),
    }
    assert len(outs) == 4


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_distinct_values_distinct_pseudonyms(x, y):
    p = Pseudonymiser(KEY_A, "lab")
    assert (p.pseudonym(x) == p.pseudonym(y)) == (x == y)


def test_length_prefixes_prevent_domain_value_ambiguity():
    p = Pseudonymiser(KEY_A, "lab")
    assert p.pseudonym("ab", domain="x") != p.pseudonym("b", domain="xa")


@pytest.mark.parametrize("key", [b"", b"short", "a string key" * 3, None])
def test_weak_or_wrong_keys_refused(key):
    with pytest.raises(ValueError, match="project key"):
        Pseudonymiser(key, "lab")  # type: ignore[arg-type]


def test_bad_arguments_refused():
    p = Pseudonymiser(KEY_A, "lab")
    with pytest.raises(ValueError):
        Pseudonymiser(KEY_A, "")
    with pytest.raises(ValueError):
        p.pseudonym("")
    with pytest.raises(ValueError):
        p.pseudonym(123)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        p.pseudonym("x", domain="Person!")


def test_repr_hides_the_key():
    assert repr(Pseudonymiser(KEY_A, "lab")) == "Pseudonymiser(project='lab')"


def test_for_project_uses_the_pipeline_secret(tmp_path):
    cfg = Settings(home=tmp_path)
    a = Pseudonymiser.for_project("lab", cfg)
    assert a.pseudonym(PERSON) == Pseudonymiser.for_project("lab", cfg).pseudonym(PERSON)
    assert (cfg.pipeline_dir / "pseudonym-lab.key").exists()
    other_home = Pseudonymiser.for_project("lab", Settings(home=tmp_path / "other"))
    assert other_home.pseudonym(PERSON) != a.pseudonym(PERSON)


def test_remembered_pseudonyms_equal_computed_ones_and_the_memo_is_bounded(monkeypatch):
    """The memo is a cache only: a remembered answer is the HMAC's, per domain, and it never grows
    past its limit."""
    p = Pseudonymiser(KEY_A, "lab")
    monkeypatch.setattr(Pseudonymiser, "MEMO_LIMIT", 3)
    fresh = Pseudonymiser(KEY_A, "lab")
    values = [f"31001234567890{i:02d}" for i in range(10)]
    for _ in range(2):
        for v in values:
            for domain in ("person", "partition-key"):
                assert p.pseudonym(v, domain=domain) == fresh.pseudonym(v, domain=domain)
                assert len(p._memo) <= 3
    assert p.pseudonym(PERSON, "person") != p.pseudonym(PERSON, "card")


@pytest.mark.parametrize("bad", ["", None, 42, ["3100"], b"3100"])
def test_bad_values_are_refused_before_and_after_a_remembered_one(bad):
    p = Pseudonymiser(KEY_A, "lab")
    p.pseudonym(PERSON)
    with pytest.raises(ValueError):
        p.pseudonym(bad)
