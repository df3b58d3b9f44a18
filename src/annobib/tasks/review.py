"""``annobib review``: a printed reference list parsed, each work found, re-formatted.

For the editor: every printed reference with its parsed fields and their confidences, its
verdict (:mod:`annobib.checks.matching`) and suggested DOI, the reference as the chosen style
prints it, and a character-level difference between the printed and the re-formatted line.

Pure of the terminal: the CLI (``cli/review.py``) parses options and renders the result.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annobib import __version__
from annobib.checks.matching import CODE_OF, Match, Verdict, find_all
from annobib.errors import ExitCode
from annobib.findings import Finding, Location, Severity
from annobib.model import Work

if TYPE_CHECKING:
    from annobib.services.base import MetadataService
    from annobib.sources.text.records import TextImport
    from annobib.styles import Formatter

JSON_VERSION = 1
_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+[.)])\s*")


@dataclass(slots=True)
class Reviewed:
    """One printed work and what became of it."""

    label: str  # "3" for reference 3, "note 6, cite 2"
    line: int
    printed: str
    work: Work
    confidence: dict[str, float]
    inferred: dict[str, str]
    match: Match
    formatted: str | None = None
    diff: list[tuple[str, str]] = field(default_factory=list)  # (equal|delete|insert, text)

    def fields(self) -> dict[str, Any]:
        data = self.work.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        data.pop("key", None)
        return data

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "key": self.work.key,
            "line": self.line,
            "printed": self.printed,
            "fields": self.fields(),
            "confidence": {k: round(v, 3) for k, v in self.confidence.items()},
            "inferred": self.inferred,
            "match": self.match.to_json(),
            "formatted": self.formatted,
            "diff": [[op, text] for op, text in self.diff],
        }


@dataclass(slots=True)
class Review:
    file: str
    style: str
    style_title: str
    items: list[Reviewed]
    findings: list[Finding]  # parse findings, then one verdict finding per work
    imported: TextImport

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for it in self.items:
            out[it.match.verdict.value] += 1
        return out

    def unchecked(self) -> bool:
        return any(it.match.verdict is Verdict.UNCHECKED for it in self.items)

    def exit_code(self) -> ExitCode:
        """4 when Crossref could not be asked about some work; 1 for an error (a printed DOI
        nobody registered, an entry not read) or an ambiguous match; else 0."""
        if self.unchecked():
            return ExitCode.UNAVAILABLE
        if any(f.severity is Severity.ERROR for f in self.findings) or any(
                it.match.verdict is Verdict.AMBIGUOUS for it in self.items):
            return ExitCode.FINDINGS
        return ExitCode.OK

    def to_json(self, exit_code: int) -> str:
        payload = {
            "version": JSON_VERSION,
            "tool": {"name": "annobib", "version": __version__, "command": "review"},
            "file": self.file,
            "style": self.style,
            "summary": {"works": len(self.items), "verdicts": self.counts(),
                        "exit_code": exit_code},
            "items": [it.to_json() for it in self.items],
            "findings": [f.to_json() for f in self.findings],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"

    def to_sarif(self, exit_code: int) -> str:
        from annobib.checks.crossref_report import findings_sarif

        return findings_sarif(self.findings, exit_code, {c for c, _ in CODE_OF.values()},
                              not self.unchecked(), {"verdicts": self.counts()})

    def to_github(self) -> str:
        from annobib.checks.crossref_report import to_github

        return to_github(self.findings)

    def to_yaml(self) -> str:
        """The records as an annobib document (what ``import --from text`` writes)."""
        from annobib.sources.text.records import yaml_blocks

        return yaml_blocks(self.imported)


def char_diff(printed: str, formatted: str) -> list[tuple[str, str]]:
    """The printed line against the re-formatted one, character by character (numbers off)."""
    a, b = _NUMBER.sub("", printed), _NUMBER.sub("", formatted)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", a[i1:i2]))
            continue
        if i2 > i1:
            out.append(("delete", a[i1:i2]))
        if j2 > j1:
            out.append(("insert", b[j1:j2]))
    return out


def _pairs(imp: TextImport, result: Any) -> list[tuple[str, Any, Work, str]]:
    """(label, parsed work, model work, printed text) for every record of the import, in
    order: a reference's printed text is its whole entry, number included; a cite's is its
    part of the note.

    :func:`~annobib.sources.text.records.to_model` leaves out what it could not read (and
    reports it), so parsed works and records are paired by the entry they came from."""
    out: list[tuple[str, Any, Work, str]] = []
    for i, pe in enumerate(result.entries, start=1):
        if not result.notes:
            ref = next((r for r in imp.references if r.source == pe.entry.source), None)
            if ref is not None and ref.work is not None:
                out.append((str(ref.n), pe.works[0], ref.work, ref.source))
            continue
        note = next((n for n in imp.footnotes if n.n == i), None)
        if note is None:
            continue
        works = [c.work for c in note.cites if c.work is not None]
        parsed = list(pe.works)
        if len(parsed) != len(works):  # some cite was not read: pair by title
            titles = {str((pw.data.get("title") or {}).get("text", "")): pw for pw in parsed
                      if isinstance(pw.data.get("title"), dict)}
            parsed = [titles.get(w.title.text if w.title else "", parsed[0]) for w in works]
        for j, (pw, w) in enumerate(zip(parsed, works, strict=True), start=1):
            label = f"note {i}" + (f", cite {j}" if len(works) > 1 else "")
            out.append((label, pw, w, pw.source))
    return out


def review_text(text: str, filename: str, service: MetadataService, formatter: Formatter,
                style: str, locale: str | None = None) -> Review:
    """Parse ``text`` (a printed list or footnotes), find each work, re-format it in ``style``."""
    from annobib.exporters.formatted import csl_items
    from annobib.sources.interchange import KeyRegistry
    from annobib.sources.text import read_list
    from annobib.sources.text.records import to_model

    result = read_list(text, filename)
    imp = to_model(result, KeyRegistry(), filename)
    pairs = _pairs(imp, result)
    matches = find_all([(w, pw.source) for _, pw, w, _ in pairs], service)
    st = formatter.style(style)
    works = [w for _, _, w, _ in pairs]
    rendered = formatter.bibliography(csl_items(works), st, locale, "text").by_id() if works \
        else {}
    items: list[Reviewed] = []
    findings = list(imp.findings)
    for (label, pw, work, printed), match in zip(pairs, matches, strict=True):
        formatted = rendered.get(work.key)
        item = Reviewed(label, pw.line, printed, work, dict(pw.confidence),
                        dict(pw.inferred), match, formatted)
        if formatted is not None:
            item.diff = char_diff(printed, formatted)
        else:
            findings.append(Finding("A502", Severity.ERROR,
                                    "the style printed no entry for this record",
                                    Location(filename, pw.line), work.key))
        items.append(item)
        findings.append(match.finding(Location(filename, pw.line), work.key))
    return Review(filename, style, st.title, items, findings, imp)
