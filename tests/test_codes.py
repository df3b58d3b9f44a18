"""The registry of finding codes (annobib.codes) is the one place a code gets its meaning.

The source is scanned for code literals: a code used but not registered, or used in a module its
registry line does not name (a second meaning for a taken code), fails here with what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annobib import codes

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "annobib"
CODE_LITERAL = re.compile(r"""["'](A\d{3})["']""")


def _uses() -> dict[str, set[str]]:
    """code -> the modules (paths below src/annobib/, without .py) whose text names it."""
    out: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).with_suffix("").as_posix()
        if module == "codes":
            continue
        for code in CODE_LITERAL.findall(path.read_text(encoding="utf-8")):
            out.setdefault(code, set()).add(module)
    return out


def test_the_scan_sees_the_codes_of_the_source() -> None:
    uses = _uses()
    # a code known to be emitted by the YAML reader and one of the export
    assert "sources/located" in uses["A101"]
    assert "exporters/biblatex" in uses["A402"]


def test_every_code_in_the_source_is_registered() -> None:
    missing = {code: sorted(mods) for code, mods in _uses().items() if code not in codes.REGISTRY}
    assert not missing, (
        f"finding codes used but not registered: {missing}; add one line per code to "
        "src/annobib/codes.py (grep the tree first: a code means one thing for good)"
    )


def test_a_code_is_used_only_where_its_line_says() -> None:
    reused = {}
    for code, modules in _uses().items():
        entry = codes.REGISTRY.get(code)
        if entry is None:
            continue
        strangers = [m for m in modules if not any(m.startswith(w) for w in entry.where)]
        if strangers:
            reused[code] = (entry.title, entry.where, sorted(strangers))
    assert not reused, (
        f"codes used outside the modules registered for them: {reused}. If the meaning is "
        "another one, take a new code; if it is the same, add the module to the code's line."
    )


def test_a_code_registered_twice_is_refused() -> None:
    line = codes.REGISTRY["A402"]
    with pytest.raises(ValueError, match="A402 registered twice"):
        codes._index([line, codes.Code("A402", line.severities, "another meaning", ("cli/",))])


def test_codes_are_well_formed_and_titled() -> None:
    for code, entry in codes.REGISTRY.items():
        assert re.fullmatch(r"A\d{3}", code)
        assert entry.title and "\n" not in entry.title
        assert entry.where, code
        assert entry.anchor == f"cli.md#{code.lower()}"


def test_the_codes_of_the_old_collisions_now_mean_one_thing() -> None:
    # A401/A402 once also meant "left out of the Crossref record" / "invalid DOI" (CHANGELOG.md)
    uses = _uses()
    assert uses["A401"] == {"exporters/csljson"}
    assert not any(m.startswith("checks/crossref") for m in uses["A402"])
    assert "sources/crossref" not in uses["A401"]
    assert uses["A421"] == {"sources/crossref"} and uses["A422"] == {"checks/crossref/importing"}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for old, new in (("A401", "A421"), ("A402", "A422")):
        assert re.search(rf"{old}\b.*{new}", changelog), (old, new)


def test_docs_table_is_the_registry() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert codes.with_table(doc) == doc, (
        "docs/cli.md's table of codes differs from src/annobib/codes.py: run "
        "`python -m annobib.codes --write-docs`"
    )
    for code in codes.REGISTRY:
        assert f'<a id="{code.lower()}"></a>{code} |' in doc
