"""The registry of finding codes: the one place where a code is given its meaning.

Scripts and CI jobs are told that codes are stable, so each code means one thing for good.
Registering a code is one line in :data:`REGISTRY` below::

    _("A419", "warning", "what it means, in one line", "sources/interchange"),

The fields: the code; its usual severity (``"warning/error"`` when the emitter decides per
case, the first being the usual one); a one-line title (SARIF ``shortDescription``, the table in
``docs/cli.md``, ``annobib explain``); the modules that may emit or test it (path prefixes below
``src/annobib/``, without ``.py``); and optionally a docs page that says more. Its anchor is
its row in the table of ``docs/cli.md`` (``cli.md#a402``).

``tests/test_codes.py`` fails on a code literal in the source that is not registered here, on a
code registered twice, and on a code used in a module its line does not name (a second meaning
for a code already taken: take a new one). The table in ``docs/cli.md`` is generated from this
registry (``python -m annobib.codes --write-docs``), and a test keeps them equal.

Blocks: ``A1xx`` loading YAML, ``A2xx`` offline lint, ``A3xx`` Crossref, ``A40x`` export to the
interchange formats, ``A41x`` import from files, ``A42x`` import from Crossref, ``A43x`` import
of printed reference lists (text), ``A5xx``
formatted output. A code that was renumbered keeps its old meaning in ``CHANGELOG.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annobib.findings import Severity

DOCS_BASE = "https://github.com/annobib/annobib/blob/main/docs/"


@dataclass(frozen=True, slots=True)
class Code:
    """One registered finding code."""

    code: str
    severities: tuple[Severity, ...]
    title: str
    where: tuple[str, ...]
    more: str | None = None

    @property
    def severity(self) -> Severity:
        """The usual severity (the first of :attr:`severities`)."""
        return self.severities[0]

    @property
    def anchor(self) -> str:
        """``cli.md#code``: its row in the table of codes (relative to ``docs/``)."""
        return f"cli.md#{self.code.lower()}"

    @property
    def help_uri(self) -> str:
        return DOCS_BASE + self.anchor

    @property
    def severity_text(self) -> str:
        return "/".join(s.value for s in self.severities)


def _(code: str, severity: str, title: str, where: str, more: str | None = None) -> Code:
    return Code(code, tuple(Severity(s) for s in severity.split("/")), title,
                tuple(where.split()), more)


# One line per code, in code order. `where`: space-separated module prefixes below src/annobib/.
_LINES: tuple[Code, ...] = (
    # A1xx: reading the YAML files
    _("A100", "error", "file unreadable (missing, not UTF-8, too large)", "sources/yaml tasks/importing"),
    _("A101", "error", "YAML syntax error", "sources/located"),
    _("A102", "error", "duplicate mapping key (the first value is kept)", "sources/located"),
    _("A103", "error", "a mapping key that is not a plain string", "sources/located"),
    _("A104", "error", "anchor or alias (refused: no alias expansion)", "sources/located"),
    _("A105", "error", "YAML tag (refused: no object construction)", "sources/located"),
    _("A106", "error", "more than one YAML document in a file", "sources/located"),
    _("A107", "error", "empty file, or top level not a mapping", "sources/yaml"),
    _("A108", "error", "missing or unsupported `annobib:` format version", "sources/yaml"),
    _("A109", "error", "unknown field (with a \"did you mean\" hint)", "sources/yaml"),
    _("A110", "error", "wrong value: type, DOI, URL, date, language tag, missing required field", "sources/yaml"),
    _("A111", "warning/error", "a control character in a value (kept; left out of .bib output, escaped on the terminal), or a lone surrogate (not loaded)", "sources/yaml"),
    # A2xx: offline lint
    _("A201", "error", "the same record key defined twice (across or within files)", "checks/lint"),
    _("A202", "error", "`ref:` points to no record", "checks/lint"),
    _("A203", "error", "references or footnotes not numbered 1..N in order", "checks/lint"),
    _("A204", "error", "access date in the future", "checks/lint"),
    _("A205", "warning", "access date without a URL", "checks/lint"),
    _("A206", "warning", "accessed before it was issued", "checks/lint"),
    _("A207", "warning", "issued more than a year from now", "checks/lint"),
    # A3xx: Crossref (docs/ci.md explains each)
    _("A301", "warning/error", "title differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A302", "warning/error", "author differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A303", "warning/info", "number of authors differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A304", "warning/error", "year differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A305", "warning", "container title differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A306", "warning", "volume differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A307", "warning", "issue differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A308", "warning/error/info", "pages differ from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A309", "warning", "type differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A310", "info", "publisher differs from Crossref", "checks/crossref", "ci.md#finding-codes"),
    _("A311", "warning", "DOI is an alias of another DOI", "checks/crossref", "ci.md#finding-codes"),
    _("A320", "error", "DOI not found in Crossref or any registration agency", "checks/crossref", "ci.md#finding-codes"),
    _("A321", "warning", "DOI registered with another agency", "checks/crossref", "ci.md#finding-codes"),
    _("A322", "error", "work is retracted or withdrawn", "checks/crossref", "ci.md#finding-codes"),
    _("A323", "warning", "work has a correction or a new version", "checks/crossref", "ci.md#finding-codes"),
    _("A324", "warning", "record is itself an update notice", "checks/crossref", "ci.md#finding-codes"),
    _("A330", "warning", "not checked: Crossref unavailable", "checks/crossref cli/check services", "ci.md#finding-codes"),
    _("A331", "warning", "not verified: neither title nor authors could be compared", "checks/crossref cli/check", "ci.md#what-a-verdict-requires"),
    _("A332", "warning", "not checked: Crossref's answer is malformed or too large", "checks/crossref cli/check services", "ci.md#when-the-service-misbehaves"),
    _("A333", "warning", "not checked: another DOI's record, or a redirect to another host", "checks/crossref cli/check services", "ci.md#when-the-service-misbehaves"),
    _("A334", "warning", "not checked: the DOI is not in the local snapshot (never 'not found')", "checks/crossref cli/check services/snapshot", "snapshot.md#checking-against-it"),
    _("A340", "info", "DOI suggested by search and validation (no longer emitted: see A360)", "checks/crossref", "ci.md#finding-codes"),
    _("A341", "info", "possible DOI below the acceptance threshold (no longer emitted: see A361)", "checks/crossref", "ci.md#finding-codes"),
    _("A342", "info", "no DOI and no search made", "checks/crossref", "ci.md#finding-codes"),
    _("A360", "info", "found in Crossref: printed DOI confirmed, or one search candidate agreed field by field (DOI suggested)", "checks/crossref tasks/", "matching.md"),
    _("A361", "warning", "ambiguous: several Crossref candidates, none (or more than one) agreed: candidates listed", "checks/crossref tasks/", "matching.md"),
    _("A362", "info", "not in Crossref: not searched (a kind Crossref does not hold) or searched without an agreeing candidate; the plausible reason given", "checks/crossref tasks/", "matching.md"),
    _("A363", "warning", "unchecked: the Crossref search or lookup could not be made", "checks/crossref tasks/", "matching.md"),
    _("A364", "error", "a printed DOI that no registration agency knows", "checks/crossref tasks/", "matching.md"),
    _("A350", "warning", "reference list length differs from the publisher's deposit", "checks/crossref", "ci.md#finding-codes"),
    _("A351", "warning", "deposited reference missing from our list", "checks/crossref", "ci.md#finding-codes"),
    _("A352", "warning", "our reference not in the publisher's deposit", "checks/crossref", "ci.md#finding-codes"),
    _("A353", "warning", "reference order differs from the deposit", "checks/crossref", "ci.md#finding-codes"),
    _("A354", "info", "deposit gives a DOI for a reference", "checks/crossref", "ci.md#finding-codes"),
    # A40x: export to CSL-JSON, BibLaTeX, BibTeX, RIS
    _("A401", "info", "CSL-JSON: a record without a title", "exporters/csljson"),
    _("A402", "warning/info", "a field the format (or entry type) cannot hold", "exporters/biblatex exporters/bibtex exporters/ris exporters/csljson"),
    _("A403", "info", "written under a looser entry type", "exporters/biblatex exporters/bibtex"),
    _("A404", "warning", "a field the entry type requires is absent (nothing is invented)", "exporters/biblatex exporters/bibtex"),
    _("A405", "warning", "--ascii: a character without a LaTeX form, kept as is", "exporters/biblatex exporters/bibtex"),
    _("A406", "warning", "--ascii: a non-ASCII key written as an ASCII key (old and new named)", "exporters/biblatex exporters/bibtex"),
    _("A407", "info", "BibLaTeX: a value or field outside biber's data model (a Roman volume, a field of the source's own), written as the record has it", "exporters/biblatex exporters/bibtex"),
    # A41x: import from BibTeX/BibLaTeX, CSL-JSON, RIS files
    _("A411", "error/warning", "a block or record that could not be parsed (raw text kept in the finding)", "sources/"),
    _("A412", "warning/error", "a key seen before: a different entry imported under a new key", "sources/"),
    _("A413", "warning", "a field given twice in one entry: the first value is kept", "sources/"),
    _("A414", "warning", "an unknown entry type: imported as misc", "sources/"),
    _("A415", "warning", "a field the model has no place for", "sources/"),
    _("A416", "warning", "a value the model rejects: that field is not imported", "sources/"),
    _("A417", "warning", "the key used differs from the input's (invalid or missing key)", "sources/"),
    _("A418", "warning", "a TeX macro the decoder does not know: kept as written", "sources/"),
    _("A419", "warning", "a control character in a value: kept; left out of .bib output, escaped on the terminal", "sources/interchange"),
    # A43x: import of printed reference lists and footnotes (--from text)
    _("A430", "warning", "a parsed field the model is unsure of (confidence below the threshold): check it", "sources/text", "text-parser.md"),
    # A42x: import --doi from Crossref
    _("A421", "info", "a part of the Crossref record that was not imported", "sources/crossref"),
    _("A422", "error", "--doi: not a valid DOI", "checks/crossref"),
    _("A423", "warning", "--doi: Crossref answers with the record of another DOI (an alias): its DOI is imported", "sources/crossref"),
    # A5xx: formatted output (CSL styles)
    _("A502", "error", "the style printed no entry for this record", "exporters/formatted tasks/review"),
    _("A503", "warning", "--notes: no selected document has footnotes", "exporters/formatted"),
    # A6xx: the manuscript (annobib cited, export --cited-in)
    _("A601", "error", "a key the document cites is not in the library", "checks/citations"),
    _("A602", "info", "a work in the library the document does not cite", "checks/citations"),
    _("A603", "warning", "cite: a token read as a shorter key and a locator whose first part is close to a longer key", "tasks/cite"),
)


def _index(lines: Iterable[Code]) -> dict[str, Code]:
    out: dict[str, Code] = {}
    for c in lines:
        if c.code in out:
            raise ValueError(f"finding code {c.code} registered twice")
        out[c.code] = c
    return out


REGISTRY: dict[str, Code] = _index(_LINES)


def get(code: str) -> Code | None:
    return REGISTRY.get(code.upper())


def matching(prefix: str) -> list[Code]:
    """Codes equal to or starting with ``prefix`` (``A4``, ``A40``, ``A402``)."""
    p = prefix.upper()
    return [c for c in REGISTRY.values() if c.code.startswith(p)]


def markdown_table() -> str:
    """The table of ``docs/cli.md`` (between its ``codes`` markers)."""
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    for c in REGISTRY.values():
        title = c.title.replace("|", "\\|")
        more = f" ([more]({c.more}))" if c.more else ""
        rows.append(f"| <a id=\"{c.code.lower()}\"></a>{c.code} | {c.severity_text} | "
                    f"{title}{more} |")
    return "\n".join(rows) + "\n"


START = "<!-- codes:start (generated from src/annobib/codes.py: python -m annobib.codes --write-docs) -->"
END = "<!-- codes:end -->"


def with_table(doc: str) -> str:
    """``doc`` with the text between the markers replaced by :func:`markdown_table`."""
    head, sep, rest = doc.partition(START)
    if not sep:
        raise ValueError("docs/cli.md has no codes:start marker")
    _old, sep, tail = rest.partition(END)
    if not sep:
        raise ValueError("docs/cli.md has no codes:end marker")
    return f"{head}{START}\n{markdown_table()}{END}{tail}"


def main(argv: list[str]) -> int:  # pragma: no cover - a maintainer's tool
    if argv == ["--write-docs"]:
        path = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
        path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stdout.write(markdown_table())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
