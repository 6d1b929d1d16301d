"""The validator's generated fast path runs only code made of its own pieces."""

from __future__ import annotations

import pytest

from contracts.validator import _Namespace


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",          # a string literal and an unknown name
        "lambda o: o.__class__",                     # an attribute the generator never writes
        "lambda o: open",                            # a builtin the generator did not put in the namespace
        "lambda o: o[0]",                            # subscripts are never generated
    ],
)
def test_foreign_code_is_refused(source):
    with pytest.raises(ValueError, match="generated validator code"):
        _Namespace().compile(source)


def test_generated_code_runs_without_builtins():
    ns = _Namespace()
    key = ns.add("name", "k")
    fn = ns.compile(f"lambda o: ((v1 := o.get({key})) is not None and _type(v1) is str)")
    assert fn({"name": "x"}) is True and fn({"name": 1}) is False
    assert "__import__" not in fn.__globals__["__builtins__"]
