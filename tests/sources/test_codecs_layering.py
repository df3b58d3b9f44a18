"""Readers never import writers: what both sides of a format share lives in ``annobib.codecs``
(issue #12/#16), and ``codecs`` imports neither side."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "annobib"


def imported(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("sources", ("annobib.exporters",)),
        ("codecs", ("annobib.sources", "annobib.exporters", "annobib.cli", "annobib.checks")),
    ],
)
def test_no_import_against_the_pipeline(package: str, forbidden: tuple[str, ...]) -> None:
    files = sorted((SRC / package).rglob("*.py"))
    assert files
    bad = [
        f"{p.relative_to(SRC)}: {m}"
        for p in files
        for m in sorted(imported(p))
        if m.startswith(forbidden)
    ]
    assert bad == []
