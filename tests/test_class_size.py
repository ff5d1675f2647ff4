"""No class of the package grows to 400 lines (issue 13): a class that long holds more than one job."""
from __future__ import annotations

import ast
from pathlib import Path

import paradex_ccxt

MAX_CLASS_LINES = 400
PACKAGE = Path(paradex_ccxt.__file__).parent


def class_lengths() -> dict[str, int]:
    lengths = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                lengths[f"{path.relative_to(PACKAGE)}:{node.name}"] = node.end_lineno - node.lineno + 1
    return lengths


def test_every_class_of_the_package_is_shorter_than_400_lines():
    lengths = class_lengths()
    assert "sandbox/engine.py:Engine" in lengths  # the walk found the package's classes
    assert {name: n for name, n in lengths.items() if n >= MAX_CLASS_LINES} == {}
