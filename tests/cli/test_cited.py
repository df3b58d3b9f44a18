"""``annobib cited`` and ``export --cited-in`` on a LaTeX, a Markdown and a Typst document; a
LaTeX document cited with the ``--cited-in`` export compiles with biber, no citation undefined."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.sources.citations import read

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
runner = CliRunner()

LATEX = r"""\documentclass{article}
\usepackage[backend=biber]{biblatex}
\addbibresource{cited.bib}
\begin{document}
As \textcite{tomberg2022} shows, and \parencite[160]{miasnikov1997}.
% \cite{commented2020} is a comment
Two at once \cite{kazpravda-2003-09-23, tomberg2022} and
\cites[see][12]{reetz1999}{miasnikov1997}, \autocite*{kamennov2019}.
\printbibliography
\end{document}
"""
MARKDOWN = """---
title: A paper
---
As @tomberg2022 shows [see @miasnikov1997, p. 160; -@kazpravda-2003-09-23].
Write to someone@example.org about `@notacite` and @{reetz1999}.

```
@alsonot
```

A missing one [@tomberg2023].
"""
TYPST = """= A paper <intro>
As @tomberg2022 shows, see @intro and #cite(<miasnikov1997>, supplement: [p. 160]).
// @commented2020
#cite(label("kazpravda-2003-09-23"))
@tomberg2023
"""


def keys(text: str, fmt: str) -> list[tuple[str, int, int]]:
    return [(c.key, c.line, c.col) for c in read(text, "doc", fmt)]


def located(text: str, *cited: str) -> list[tuple[str, int, int]]:
    """Each key at its next occurrence in ``text`` after the previous one (line, column)."""
    out, at = [], 0
    for key in cited:
        at = text.index(key, at)
        line = text.count("\n", 0, at) + 1
        out.append((key, line, at - (text.rfind("\n", 0, at) + 1) + 1))
        at += len(key)
    return out


def test_latex_cite_family_and_biblatex_commands() -> None:
    assert keys(LATEX, "latex") == located(
        LATEX, "tomberg2022", "miasnikov1997", "kazpravda-2003-09-23", "tomberg2022",
        "reetz1999", "miasnikov1997", "kamennov2019")


def test_aux_files_of_bibtex_and_biblatex() -> None:
    aux = "\\relax\n\\citation{a1,b2}\n\\abx@aux@cite{0}{c3}\n\\abx@aux@segm{0}{0}{c3}\n"
    assert [k for k, _, _ in keys(aux, "aux")] == ["a1", "b2", "c3"]


def test_markdown_pandoc_citations() -> None:
    assert keys(MARKDOWN, "markdown") == located(
        MARKDOWN, "tomberg2022", "miasnikov1997", "kazpravda-2003-09-23", "reetz1999",
        "tomberg2023")


def test_typst_references_and_cite_calls_but_not_its_own_labels() -> None:
    assert keys(TYPST, "typst") == located(
        TYPST, "tomberg2022", "miasnikov1997", "kazpravda-2003-09-23", "tomberg2023")


@pytest.mark.parametrize(("name", "text"), [("paper.tex", LATEX), ("paper.md", MARKDOWN),
                                            ("paper.typ", TYPST)])
def test_cited_lists_keys_in_order_and_locates_the_missing(tmp_path: Path, name: str,
                                                           text: str) -> None:
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["cited", str(doc), "--in", str(DATA), "-v"])
    expected = [k for k, _, _ in keys(text, name.rsplit(".", 1)[1].replace("tex", "latex")
                                     .replace("md", "markdown").replace("typ", "typst"))]
    known = [k for k in dict.fromkeys(expected) if k != "tomberg2023"]
    assert result.stdout.split() == known
    if "tomberg2023" in expected:
        assert result.exit_code == 1
        line = next(i for i, t in enumerate(text.splitlines(), 1) if "tomberg2023" in t)
        col = text.splitlines()[line - 1].index("tomberg2023") + 1
        assert (f"{doc}:{line}:{col}: tomberg2023: cited but not in the library "
                "(did you mean 'tomberg2022'?) [error A601]") in result.stderr
    else:
        assert result.exit_code == 0, result.stderr
    # works the document does not cite are info
    assert "mukimdzhanova2004: in the library but not cited [info A602]" in result.stderr


@pytest.mark.parametrize(("name", "text"), [("paper.md", MARKDOWN), ("paper.typ", TYPST)])
def test_export_cited_in_exports_what_is_cited_in_citation_order(
    tmp_path: Path, name: str, text: str
) -> None:
    doc = tmp_path / name
    doc.write_text(text.replace("tomberg2023", "tomberg2022"), encoding="utf-8")
    result = runner.invoke(app, ["export", str(DATA), "--cited-in", str(doc)])
    assert result.exit_code == 0, result.stderr
    ids = [item["id"] for item in json.loads(result.stdout)]
    cited = runner.invoke(app, ["cited", str(doc), "--in", str(DATA)]).stdout.split()
    assert ids == cited and len(ids) >= 3


def test_export_cited_in_with_a_missing_key_fails_and_writes_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "paper.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    out = tmp_path / "lib.bib"
    result = runner.invoke(app, ["export", str(DATA), "--cited-in", str(doc), "--to",
                                 "biblatex", "-o", str(out)])
    assert result.exit_code == 1
    assert f"{doc}:11:17: tomberg2023: cited but not in the library" in result.stderr
    assert not out.exists()


def test_a_document_of_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    doc = tmp_path / "paper.docx"
    doc.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["cited", str(doc), "--in", str(DATA)])
    assert result.exit_code == 2 and "cannot tell the kind of document" in result.stderr


@pytest.mark.realclient
def test_latex_cited_with_the_cited_in_export_compiles_with_biber(tmp_path: Path) -> None:
    missing = [t for t in ("pdflatex", "biber") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"real client not installed: {', '.join(missing)} (Debian: biber, "
                    "texlive-latex-base, texlive-latex-recommended, texlive-bibtex-extra)")
    tex = tmp_path / "paper.tex"
    tex.write_text(LATEX, encoding="utf-8")
    result = runner.invoke(app, ["export", str(DATA), "--cited-in", str(tex), "--to",
                                 "biblatex", "-o", str(tmp_path / "cited.bib")])
    assert result.exit_code == 0, result.stderr
    bib = (tmp_path / "cited.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@\w+\{([^,]+),", bib, re.M) == [
        "tomberg2022", "miasnikov1997", "kazpravda-2003-09-23", "reetz1999", "kamennov2019"]
    for cmd in (["pdflatex", "-interaction=nonstopmode", "paper.tex"], ["biber", "paper"],
                ["pdflatex", "-interaction=nonstopmode", "paper.tex"],
                ["pdflatex", "-interaction=nonstopmode", "paper.tex"]):
        r = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                           check=False)
        if cmd[0] == "biber":
            assert r.returncode == 0, r.stdout
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert "Output written on" in log
    assert not re.search(r"Citation `[^']+'.*undefined|There were undefined references", log)
    # and the .aux that LaTeX wrote names the same keys
    aux = runner.invoke(app, ["cited", str(tmp_path / "paper.aux"), "--in", str(DATA)])
    assert aux.exit_code == 0, aux.stderr
    assert set(aux.stdout.split()) == {"tomberg2022", "miasnikov1997", "kazpravda-2003-09-23",
                                       "reetz1999", "kamennov2019"}
