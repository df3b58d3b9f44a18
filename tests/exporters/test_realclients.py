"""The exports of data/ (and of a real corpus sample) opened by the tools people use.

biber validates the BibLaTeX data model; pdflatex+biblatex+biber and pdflatex+bibtex (plain)
compile a document citing every entry; pandoc --citeproc renders every entry from CSL-JSON and
from BibLaTeX; rispy reads the RIS back. Needs Debian's pandoc, biber, texlive-latex-base,
texlive-latex-recommended, texlive-bibtex-extra and texlive-lang-cyrillic; each test skips
with the missing tool's name when it is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import rispy

from annobib.exporters import ExportOptions, ExportResult, export
from annobib.exporters import ris as ris_exporter
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.interchange import read_text
from annobib.sources.yaml import load_paths

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SAMPLE = ROOT / "tests" / "fixtures" / "interchange" / "tugboat-excerpt.bib"


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"real client not installed: {', '.join(missing)} (Debian packages: pandoc "
                    "biber texlive-latex-base texlive-latex-recommended texlive-bibtex-extra "
                    "texlive-lang-cyrillic)")


@dataclass
class Exports:
    keys: list[str]
    results: dict[str, ExportResult]
    dir: Path

    def path(self, fmt: str) -> Path:
        return self.dir / {"biblatex": "refs.bib", "bibtex": "refs-bt.bib",
                           "bibtex-ascii": "refs-ascii.bib", "csljson": "refs.json",
                           "ris": "refs.ris"}[fmt]


def _write(library: Library, out: Path) -> Exports:
    out.mkdir(parents=True, exist_ok=True)
    keys = [w.key for w in library.works()]
    results: dict[str, ExportResult] = {}
    ex = Exports(keys, results, out)
    for fmt, to, opts in (
        ("biblatex", "biblatex", ExportOptions()),
        ("bibtex", "bibtex", ExportOptions()),
        ("bibtex-ascii", "bibtex", ExportOptions(ascii=True)),
        ("csljson", "csljson", ExportOptions()),
        ("ris", "ris", ExportOptions()),
    ):
        results[fmt] = export(library, to, opts)
        ex.path(fmt).write_bytes(results[fmt].text.encode("utf-8"))
    return ex


@pytest.fixture(scope="module")
def data_exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    loaded = load_paths(sorted(DATA.glob("*.yaml")))
    assert not [f for f in loaded.findings if f.severity.value == "error"]
    return _write(loaded.library, tmp_path_factory.mktemp("data-exports"))


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    read = read_text(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name, "bibtex")
    library = Library([LoadedDocument("sample.yaml", Document(works=read.works))])
    return _write(library, tmp_path_factory.mktemp("sample-exports"))


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # TeX wraps its log at 79 bytes, splitting UTF-8 sequences: decode leniently
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace",
                          timeout=300, check=False)


def _expected_missing(result: ExportResult) -> set[tuple[str, str]]:
    """(key, biber field) pairs annobib itself reported as missing (A404)."""
    to_biber = {"issued": "date", "container-title": "journaltitle"}  # isbn/issn: same name
    return {(f.key or "", to_biber.get(f.field or "", f.field or ""))
            for f in result.findings if f.code == "A404"}


_BIBER_MISSING = re.compile(
    r"WARN - Datamodel: Entry '([^']+)' \([^)]*\): Missing mandatory field "
    r"(?:'(\w+)'|- one of '(\w+), \w+' must be defined)"
)


_BIBER_CHECKSUM = re.compile(
    r"WARN - (?:ISBN '[^']+' in entry '([^']+)' is invalid"
    r"|Datamodel: Entry '([^']+)' \([^)]*\): Invalid (ISSN|ISBN) in value of field)"
)


_BIBER_NOT_INTEGER = re.compile(
    r"WARN - Datamodel: Entry '([^']+)' \([^)]*\): Invalid value of field '(\w+)' must be "
    r"datatype 'integer'"
)


_BIBER_NOT_IN_MODEL = re.compile(
    r"WARN - Datamodel: Entry '([^']+)' \([^)]*\): Field '([^']+)' invalid in data model"
)


def _check_biber_warnings(output: str, result: ExportResult) -> None:
    expected = _expected_missing(result)
    typed = {(f.key, f.field) for f in result.findings if f.code == "A407"}
    typed |= {(f.key, f"verbatim.biblatex.{name}") for f in result.findings
              if f.code == "A407" and f.field == "verbatim.biblatex"
              for name in re.findall(r"'([^']+)'", f.message.split(": ", 1)[-1])}
    for line in output.splitlines():
        if "ERROR" in line:
            pytest.fail(f"biber error: {line}")
        if not line.startswith("WARN -"):
            continue
        c = _BIBER_CHECKSUM.search(line)
        if c:
            key = c.group(1) or c.group(2)
            field = "issn" if c.group(3) == "ISSN" else "isbn"
            assert (key, field) in expected, f"biber warns, annobib did not: {line}"
            continue
        t = _BIBER_NOT_INTEGER.search(line)
        if t:
            assert (t.group(1), t.group(2)) in typed, f"biber warns, annobib did not: {line}"
            continue
        v = _BIBER_NOT_IN_MODEL.search(line)
        if v:  # a field of the source's own, written back as it was
            assert (v.group(1), f"verbatim.biblatex.{v.group(2)}") in typed, \
                f"biber warns, annobib did not: {line}"
            continue
        m = _BIBER_MISSING.search(line)
        assert m, f"unexpected biber warning: {line}"
        key, field = m.group(1), m.group(2) or m.group(3)
        assert (key, field) in expected, f"biber warns, annobib did not: {line}"


@pytest.mark.realclient
@pytest.mark.parametrize("which", ["data", "sample"])
def test_biber_validates_datamodel(which: str, request: pytest.FixtureRequest) -> None:
    need("biber")
    ex: Exports = request.getfixturevalue(f"{which}_exports")
    out = ex.dir / "validated.bib"
    r = _run(["biber", "--tool", "--validate-datamodel", "--output-file", str(out),
              str(ex.path("biblatex"))], ex.dir)
    assert r.returncode == 0, r.stdout + r.stderr
    _check_biber_warnings(r.stdout + r.stderr, ex.results["biblatex"])


LATEX_HEAD = r"""\documentclass{article}
\usepackage[T2A,T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[russian,english]{babel}
"""


def _latex_log_clean(log: str) -> None:
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert not errors, errors
    undefined = re.findall(r"Citation `[^']+'.*undefined|There were undefined references", log)
    assert not undefined, undefined
    assert "Output written on" in log


@pytest.mark.realclient
def test_pdflatex_biblatex_biber(data_exports: Exports) -> None:
    need("pdflatex", "biber")
    ex = data_exports
    tex = ex.dir / "doc-biber.tex"
    tex.write_text(
        LATEX_HEAD
        + "\\usepackage[backend=biber,autolang=other]{biblatex}\n"
        + f"\\addbibresource{{{ex.path('biblatex').name}}}\n\\begin{{document}}\n"
        + "\\cite{" + ",".join(ex.keys) + "}\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    steps = [["pdflatex", "-interaction=nonstopmode", tex.name], ["biber", tex.stem],
             ["pdflatex", "-interaction=nonstopmode", tex.name],
             ["pdflatex", "-interaction=nonstopmode", tex.name]]
    for cmd in steps:
        r = _run(cmd, ex.dir)
        if cmd[0] == "biber":
            assert r.returncode == 0, r.stdout
            _check_biber_warnings(r.stdout, ex.results["biblatex"])
    log = (ex.dir / "doc-biber.log").read_text(encoding="utf-8", errors="replace")
    _latex_log_clean(log)
    bbl = (ex.dir / "doc-biber.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\entry\{([^}]+)\}", bbl)) == sorted(ex.keys)


@pytest.mark.realclient
@pytest.mark.parametrize("fmt", ["bibtex", "bibtex-ascii"])
def test_pdflatex_bibtex_plain(fmt: str, data_exports: Exports) -> None:
    need("pdflatex", "bibtex")
    ex = data_exports
    stem = f"doc-{fmt}"
    bib = ex.path(fmt)
    (ex.dir / f"{stem}.tex").write_text(
        LATEX_HEAD + "\\begin{document}\n\\cite{" + ",".join(ex.keys) + "}\n"
        + f"\\bibliographystyle{{plain}}\n\\bibliography{{{bib.stem}}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    expected = {f.key for f in ex.results[fmt].findings if f.code == "A404"}
    for cmd in (["pdflatex", "-interaction=nonstopmode", stem], ["bibtex", stem],
                ["pdflatex", "-interaction=nonstopmode", stem],
                ["pdflatex", "-interaction=nonstopmode", stem]):
        r = _run(cmd, ex.dir)
        if cmd[0] == "bibtex":
            assert "error message" not in r.stdout, r.stdout
            for line in r.stdout.splitlines():
                if line.startswith("Warning--"):
                    key = line.rsplit(" in ", 1)[-1].strip()
                    assert key in expected, f"bibtex warns, annobib did not: {line}"
    log = (ex.dir / f"{stem}.log").read_text(encoding="utf-8", errors="replace")
    _latex_log_clean(log)
    bbl = (ex.dir / f"{stem}.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == sorted(ex.keys)
    if fmt == "bibtex-ascii":
        assert bib.read_text(encoding="utf-8").isascii()


@pytest.mark.realclient
@pytest.mark.parametrize("fmt", ["csljson", "biblatex"])
@pytest.mark.parametrize("which", ["data", "sample"])
def test_pandoc_citeproc_renders_every_entry(fmt: str, which: str,
                                             request: pytest.FixtureRequest) -> None:
    need("pandoc")
    ex: Exports = request.getfixturevalue(f"{which}_exports")
    md = ex.dir / "doc.md"
    md.write_text("---\nnocite: '@*'\n---\n\n# References\n", encoding="utf-8")
    r = _run(["pandoc", "--citeproc", "--bibliography", ex.path(fmt).name, md.name,
              "-t", "html"], ex.dir)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == "", r.stderr
    rendered = re.findall(r'id="ref-([^"]+)"', r.stdout)
    assert sorted(rendered) == sorted(ex.keys)


@pytest.mark.parametrize("which", ["data", "sample"])
def test_rispy_reads_every_field_back(which: str, request: pytest.FixtureRequest) -> None:
    ex: Exports = request.getfixturevalue(f"{which}_exports")
    records = rispy.loads(ex.path("ris").read_bytes().decode("utf-8"))
    assert [r["id"] for r in records] == ex.keys
    mapping = rispy.TAG_KEY_MAPPING
    lists = set(rispy.LIST_TYPE_TAGS)
    library = (load_paths(sorted(DATA.glob("*.yaml"))).library if which == "data" else
               Library([LoadedDocument("s.yaml", Document(works=read_text(
                   SAMPLE.read_text(encoding="utf-8"), "s", "bibtex").works))]))
    for work, rec in zip(library.works(), records, strict=True):
        lines, _ = ris_exporter.record(work)
        written: dict[str, list[str]] = {}
        for line in lines[:-1]:
            tag, value = line[:2], line[6:]
            written.setdefault(tag, []).append(value)
        for tag, values in written.items():
            got = rec[mapping[tag]]
            if tag in lists:
                assert got == values, (work.key, tag)
            else:
                assert got == values[0], (work.key, tag)


@pytest.mark.realclient
def test_biber_checksum_warnings_are_annobibs_too(tmp_path: Path) -> None:
    need("biber")
    works = [
        {"key": "badisbn", "type": "book", "title": "T", "author": ["A, B"], "issued": "2001",
         "isbn": ["978-0-19-853453-6"]},
        {"key": "badissn", "type": "journal-article", "title": "T", "author": ["A, B"],
         "container-title": "J", "issued": "2001", "issn": ["0028-0837"]},
        {"key": "good", "type": "book", "title": "T", "author": ["A, B"], "issued": "2001",
         "isbn": ["978-0-19-853453-2"]},
    ]
    library = Library([LoadedDocument("x.yaml", Document.model_validate({"works": works}))])
    result = export(library, "biblatex")
    bib = tmp_path / "c.bib"
    bib.write_text(result.text, encoding="utf-8")
    r = _run(["biber", "--tool", "--validate-datamodel", "--output-file",
              str(tmp_path / "o.bib"), str(bib)], tmp_path)
    assert "badisbn" in r.stdout and "badissn" in r.stdout  # biber does complain ...
    _check_biber_warnings(r.stdout + r.stderr, result)  # ... and annobib said so first
    assert {f.key for f in result.findings if f.code == "A404"} == {"badisbn", "badissn"}


def _bbl_text(bbl: str) -> str:
    """A .bbl entry as plain text: TeX decoded, the style's own macros and braces dropped."""
    from annobib.codecs.texdecode import decode

    text, _unknown = decode(re.sub(r"\\(newblock|em|providecommand|natexlab|url|urlprefix|doi|"
                                   r"path)\b", " ", bbl))
    text = re.sub(r"\\[A-Za-z@]+", " ", text).replace("{", "").replace("}", "")
    return " ".join(text.split())


def _bbl_entries(bbl: str) -> dict[str, str]:
    """Each ``\\bibitem``'s key and its printed text (the optional label of alpha and plainnat,
    which may hold brackets of its own, left out)."""
    parts = re.split(r"\\bibitem(?:\[(?:[^][]|\[[^]]*\])*\])?\{([^}]*)\}", bbl)
    return {parts[i]: _bbl_text(parts[i + 1]) for i in range(1, len(parts), 2)}


@pytest.mark.realclient
@pytest.mark.parametrize("style", ["plain", "alpha", "plainnat"])
def test_bibtex_styles_keep_every_capital_of_every_title(style: str,
                                                          data_exports: Exports) -> None:
    """The BibTeX export of data/ run through bibtex with a style that lower-cases titles
    (``change.case$ "t"``): each work's entry in the .bbl prints its whole title exactly as the
    record has it, every capital included (issue #12: proper nouns and acronyms of title-case
    titles were lower-cased)."""
    need("bibtex")
    ex = data_exports
    bib = ex.path("bibtex")
    stem = f"caps-{style}"
    (ex.dir / f"{stem}.aux").write_text(
        "\\relax\n\\citation{*}\n" + f"\\bibstyle{{{style}}}\n\\bibdata{{{bib.stem}}}\n",
        encoding="utf-8")
    r = _run(["bibtex", stem], ex.dir)
    assert "error message" not in r.stdout, r.stdout
    entries = _bbl_entries((ex.dir / f"{stem}.bbl").read_text(encoding="utf-8"))
    loaded = load_paths(sorted(DATA.glob("*.yaml")))
    assert set(entries) == {w.key for w in loaded.library.works()}
    at_risk = 0  # titles a style would change: a capital after the first letter
    for work in loaded.library.works():
        if work.title is None:
            continue
        title = " ".join(work.title.text.split()).rstrip(".")
        assert title in entries[work.key], (
            f"{work.key} ({style}): printed {entries[work.key]!r}, record's title {title!r}")
        at_risk += title[1:] != title[1:].lower()
    assert at_risk > 30  # data/ has many titles with capitals beyond the first letter
