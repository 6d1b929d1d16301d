"""The router's per-record shortcuts give exactly what the straightforward code gave."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from privacy.agreements import DROP, load_agreements
from streams.common import _AUDIT_NS, audit_id


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_audit_id_is_uuid5_of_the_joined_parts(parts):
    assert audit_id(*parts) == str(uuid.uuid5(_AUDIT_NS, "|".join(parts)))


def _project_reference(record, fields, treat):  # noqa: C901 - one branch per path shape
    """The projection spelled out from the grant's field list (no plan, no tree)."""
    out: dict = {}
    for path, tr in fields.items():
        if tr.kind == "drop":
            continue
        head, _, rest = path.partition(".")
        if head.endswith("[]"):
            name = head[:-2]
            items = record.get(name)
            if name not in record:
                continue
            if items is None:
                out[name] = None
                continue
            if not isinstance(items, list):
                continue
            kept = [el for el in items if isinstance(el, dict)]
            lst = out.setdefault(name, [{} for _ in kept])
            for el, o in zip(kept, lst, strict=True):
                if rest in el:
                    v = treat(path, el[rest], tr)
                    if v is not DROP:
                        o[rest] = v
        elif rest:
            if head not in record:
                continue
            if record[head] is None:
                out[head] = None
                continue
            if not isinstance(record[head], dict):
                continue
            o = out.setdefault(head, {})
            if rest in record[head]:
                v = treat(path, record[head][rest], tr)
                if v is not DROP:
                    o[rest] = v
        elif path in record:
            v = treat(path, record[path], tr)
            if v is not DROP:
                out[path] = v
    return out


def test_projection_plan_matches_the_field_list():
    from bench.stream import _settlements

    grant = load_agreements().grant("shenlife", "claims")
    records = _settlements(200, 3)
    records.append({"revoke": {"setl_id": "S1", "mdtrt_id": "M1", "psn_no": "3100000000000001", "x": 1},
                    "feedetail": None, "diseinfo": ["not an object", {"diag_code": "A00"}]})

    def treat(path, value, tr):
        return DROP if path == "med_type" else (path, value, tr.kind)

    project = grant.projector()
    for r in records:
        expected = _project_reference(r, grant.fields, treat)
        assert project(r, treat) == expected == grant.project(r, treat=treat)
    # treat_plain=False passes plain leaves as they are
    plain = grant.project(records[0], treat=lambda p, v, tr: "T", treat_plain=False)
    assert plain["setl_id"] == records[0]["setl_id"] and plain["psn_no"] == "T"
