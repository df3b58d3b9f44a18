"""A field nested ~1,000 braces deep (issue #13 item 8, BibTeX part) is a located finding, never
a RecursionError that aborts the import: every good record around it is still written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app


def entries(n: int) -> str:
    # cdl.bib's shape (BibDesk: capitalised fields, tab indent, braces), n entries
    return "".join(
        f"@article{{cdl{i},\n\tAuthor = {{Doe{i}, J and Roe, R}},\n\tJournal = {{J}},\n"
        f"\tTitle = {{Paper {i}}},\n\tYear = {{{1990 + i % 30}}}}}\n\n"
        for i in range(n)
    )


@pytest.mark.parametrize(
    "deep",
    [
        "{" * 1000 + "x" + "}" * 1000,  # plain groups: decoded at any depth
        "\\'{" * 1000 + "e" + "}" * 1000,  # macro arguments: too deep to decode
        "\\enquote{" * 1000 + "q" + "}" * 1000,
    ],
)
def test_deep_field_is_a_finding_and_the_rest_is_imported(deep: str, tmp_path: Path) -> None:
    text = entries(1500) + f"@misc{{deep,\n\tTitle = {{{deep}}},\n\tYear = 2001}}\n\n" + entries(
        1500).replace("cdl", "more")
    src = tmp_path / "cdl-sized.bib"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "lib.yaml"
    r = CliRunner().invoke(app, ["import", str(src), "-o", str(out)])
    assert r.exit_code in (0, 1), r.output
    assert "Traceback" not in r.output and "RecursionError" not in r.output
    written = out.read_text(encoding="utf-8")
    assert written.count("- key: ") == 3001
    assert "- key: cdl1499\n" in written and "- key: more0\n" in written
    assert "- key: deep\n" in written
    if deep.startswith("{"):
        assert "title: x\n" in written
    else:
        assert "A411" in r.output and "deep" in r.output and "title" in r.output
        assert "too deeply" in r.output
