"""No package runs text as code: no ``eval``/``exec``/``compile`` call anywhere (issue 16).

The validator's fast path used to be generated source passed to ``eval``; it is now built from
closures (:mod:`contracts.fastpath`). This test walks the syntax tree of every module of every
package, so a new ``eval`` — also spelled ``builtins.eval`` or reached through ``getattr`` with a
literal name — fails it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("medshare", "privacy", "contracts", "streams", "dags", "bench", "transforms")
FORBIDDEN = frozenset({"eval", "exec", "compile", "__import__"})


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def forbidden_calls(source: str) -> list[str]:
    """``name@line`` of every call of a forbidden builtin in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func
        name = None
        if (isinstance(fn, ast.Name) and fn.id == "getattr" and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)):
            name = node.args[1].value
        elif isinstance(fn, ast.Name):
            name = fn.id
        elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name) and fn.value.id == "builtins":
            name = fn.attr
        if name in FORBIDDEN:
            found.append(f"{name}@{node.lineno}")
    return found


def test_the_packages_have_modules():
    assert len(_modules()) > 50  # the walk below really sees the code


@pytest.mark.parametrize("source, expected", [
    ("eval('1')", ["eval@1"]),
    ("x = 1\nexec(code, {})", ["exec@2"]),
    ("import builtins\nbuiltins.eval(s)", ["eval@2"]),
    ("getattr(__builtins__, 'exec')(s)", ["exec@1"]),
    ("compile(s, 'f', 'eval')", ["compile@1"]),
    ("re.compile(r'x')\nstore._exec('select 1')\nmodel.eval()", []),  # methods of other objects are fine
])
def test_the_finder_finds_what_it_should(source, expected):
    assert forbidden_calls(source) == expected


def test_no_package_module_evaluates_text_as_code():
    offenders = {str(p.relative_to(ROOT)): calls for p in _modules()
                 if (calls := forbidden_calls(p.read_text(encoding="utf-8")))}
    assert offenders == {}
