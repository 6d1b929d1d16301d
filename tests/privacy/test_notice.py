"""Notices (告知书): rendering, ids, which consents the registry accepts, what a widened agreement still covers."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from privacy.agreements import SHANGHAI, load_agreements, parse_agreement
from privacy.consent import ConsentEvent, ConsentRegistry, ConsentStore
from privacy.notice import NoticeBook, render_notice, within

V1 = """\
insurer: acme
insurer_name: Acme (fictional)
recipient: {legal_name: Acme Insurance Co. Ltd (fictional), contact: 400-000-0000, dpo_contact: dpo@acme.example}
agreement_id: T-1
version: 1
effective_from: 2026-01-01
effective_to: 2026-07-01
grants:
  - purpose: claims
    mode: detail
    basis: consent
    source: platform.settlements.v2
    output: insurer.acme.claims.v1
    consent_categories: [settlement]
    method: claims adjudication
    retention: P1Y
    pia_id: PIA-1
    fields:
      settlement_id: plain
      person_no: encrypt
      birth_date: generalise:age_band
      total_amount: plain
"""


def v2(*changes: tuple[str, str]) -> str:
    text = V1.replace("version: 1", "version: 2").replace("effective_from: 2026-01-01\neffective_to: 2026-07-01",
                                                          "effective_from: 2026-07-01")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return text


def book(*texts: str) -> NoticeBook:
    return NoticeBook([parse_agreement(t, f"acme-{i}.yaml") for i, t in enumerate(texts)])


def grant_event(notice_id, when="2026-03-01T10:00:00+08:00", **kw):
    return ConsentEvent.parse({"event_id": kw.pop("event_id", "E1"), "consent_id": kw.pop("consent_id", "C1"),
                               "action": "grant", "person_no": "P1", "insurer_code": "acme", "purpose": "claims",
                               "data_categories": ["settlement"], "valid_from": when,
                               "valid_to": "2027-01-01T00:00:00+08:00", "event_time": when,
                               **({"notice_id": notice_id} if notice_id else {}), **kw})


def test_notice_names_what_pipl_requires_and_its_id_is_the_hash_of_its_text():
    n = render_notice(parse_agreement(V1, "acme.yaml"), "claims")
    assert n.notice_id == "sha256:" + hashlib.sha256(n.text.encode("utf-8")).hexdigest()
    for needed in ("Acme Insurance Co. Ltd (fictional)", "400-000-0000", "dpo@acme.example", "claims adjudication",
                   "医保结算数据", "1年", "birth_date：概化后提供（年龄段）", "person_no：加密提供", "第二十三条", "撤回"):
        assert needed in n.text, needed
    # a different retention is a different text, so a different id
    other = render_notice(parse_agreement(V1.replace("P1Y", "P2Y"), "acme.yaml"), "claims")
    assert other.notice_id != n.notice_id


def test_shipped_agreements_have_a_notice_per_purpose():
    b = NoticeBook.load(load_agreements())
    assert {(n.insurer, n.purpose) for n in b} >= {("hhb", "claims"), ("shenlife", "claims")}


def test_registry_refuses_grants_without_a_matching_notice():
    b = book(V1)
    n = b.current("acme", "claims", datetime(2026, 3, 1, tzinfo=SHANGHAI))
    reg = ConsentRegistry(ConsentStore.memory(), notices=b)
    res = reg.apply_many([grant_event(None, event_id="E0", consent_id="C0"),
                          grant_event("sha256:" + "0" * 64, event_id="E9", consent_id="C9"),
                          grant_event(n.notice_id)])
    assert res.applied == 1
    reasons = dict(res.rejected)
    assert "must name the notice" in reasons["E0"]
    assert "unknown notice sha256:000" in reasons["E9"] and n.notice_id in reasons["E9"]
    at = datetime(2026, 3, 2, tzinfo=SHANGHAI)
    assert reg.check("P1", "acme", "claims", at).allowed
    assert reg.notice_of("C1") == n.notice_id


def test_a_superseded_notice_is_refused_for_a_consent_given_after_the_new_agreement():
    b = book(V1, v2())
    old = b.current("acme", "claims", datetime(2026, 3, 1, tzinfo=SHANGHAI))
    new = b.current("acme", "claims", datetime(2026, 8, 1, tzinfo=SHANGHAI))
    assert old.notice_id != new.notice_id
    assert b.problem(grant_event(old.notice_id)) is None
    why = b.problem(grant_event(old.notice_id, when="2026-08-01T10:00:00+08:00"))
    assert "not of the one in force" in why and "T-1 v2" in why
    assert b.problem(grant_event(new.notice_id, when="2026-08-01T10:00:00+08:00")) is None
    # revocations need no notice
    assert b.problem(ConsentEvent.parse({"event_id": "R", "consent_id": "C1", "action": "revoke", "person_no": "P1",
                                         "insurer_code": "acme", "purpose": "claims",
                                         "event_time": "2026-08-01T10:00:00+08:00"})) is None


@pytest.mark.parametrize(("change", "covered", "wider"), [
    ((), {"settlement_id", "person_no", "birth_date", "total_amount"}, ()),
    ((("      total_amount: plain", "      total_amount: plain\n      gender: plain"),),
     {"settlement_id", "person_no", "birth_date", "total_amount"}, ("gender: new field",)),
    ((("birth_date: generalise:age_band", "birth_date: encrypt"),),
     {"settlement_id", "person_no", "total_amount"}, ("birth_date: encrypt is weaker than generalise:age_band",)),
    ((("total_amount: plain", "total_amount: generalise:amount_band"),),
     {"settlement_id", "person_no", "birth_date", "total_amount"}, ()),
    ((("retention: P1Y", "retention: P2Y"),), None, ("retention P2Y is longer than the notice's 365 days",)),
    ((("consent_categories: [settlement]", "consent_categories: [settlement, emr]"),), None,
     ("new data category emr",)),
])
def test_what_an_old_notice_still_covers_of_a_changed_agreement(change, covered, wider):
    b = book(V1, v2(*change))
    old = b.current("acme", "claims", datetime(2026, 3, 1, tzinfo=SHANGHAI))
    grant = parse_agreement(v2(*change), "acme.yaml").grant("claims")
    cov = b.coverage(old.notice_id, grant)
    assert cov.fields == (frozenset(covered) if covered is not None else None)
    assert cov.wider == wider


def test_within_orders_treatments_conservatively():
    assert within("drop", "plain") and within("encrypt", "plain") and within("generalise:age_band", "encrypt")
    assert not within("plain", "encrypt") and not within("encrypt", "pseudonymise")
    assert not within("generalise:birth_year", "generalise:age_band") and not within("plain", "redact")


def test_a_result_mode_notice_says_only_the_claim_result_leaves():
    result = V1.replace("mode: detail", "mode: result")
    text = render_notice(parse_agreement(result, "acme.yaml"), "claims").text
    assert "只有理赔结果离开平台" in text and "平台内用于计算的项目（不提供给接收方）" in text
    assert "提供的项目及处理" not in text  # v1 listed the fields the rules read as if they were sent
    detail = render_notice(parse_agreement(V1, "acme.yaml"), "claims").text
    assert "明细提供" in detail and "提供的项目及处理" in detail and "person_no：加密提供" in detail
    hhb = next(n for n in NoticeBook.load() if n.insurer == "hhb" and n.purpose == "claims"
               and n.template_version == 2)
    assert "只有理赔结果离开平台" in hhb.text


def test_a_consent_on_an_earlier_wording_of_the_agreement_in_force_is_accepted():
    a = parse_agreement(V1, "acme.yaml")
    b = book(V1)
    old, new = render_notice(a, "claims", 1), render_notice(a, "claims", 2)
    assert old.notice_id != new.notice_id
    assert b.current("acme", "claims", datetime(2026, 3, 1, tzinfo=SHANGHAI)).notice_id == new.notice_id
    for n in (old, new):
        assert b.problem(grant_event(n.notice_id)) is None
    assert b.coverage(old.notice_id, a.grants[0]).complete
