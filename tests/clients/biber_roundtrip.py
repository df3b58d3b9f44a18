"""``import`` then ``export --to biblatex``, compared through ``biber --tool`` (default data
model): the entries and fields biber reads from the export are the ones it reads from the
original, entry by entry (issue #12). Used by ``test_biber_roundtrip.py`` (biblatex-examples.bib,
copied into tests/) and ``benchmarks/biber_roundtrip.py`` (the cdl and tugboat corpora).

The differences allowed are the ones ``docs/formats/biblatex.md`` lists and justifies
(:data:`FOLDS`): TeX spellings that biber keeps as written and annobib reads as the characters
they print. Everything else that differs is reported.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bibtexparser.entrypoint import parse_string

from annobib.exporters import export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.bibtex import read_bibtex

# (pattern, replacement) applied to both sides' values before comparing
FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"~"), "\u00a0"),  # a tie is a no-break space
    (re.compile(r"---"), "\u2014"),  # TeX's dash ligatures are the dashes they print
    (re.compile(r"--"), "\u2013"),
    (re.compile(r"\{(\w)\}"), r"\1"),  # braces around one letter biber decoded (Aks{ı}n)
    (re.compile(r"\s+"), " "),
)


def fold(value: str) -> str:
    for pattern, repl in FOLDS:
        value = pattern.sub(repl, value)
    return value.strip()


@dataclass
class Report:
    entries: int = 0
    fields: int = 0  # fields of the original, as biber read them
    missing_entries: list[str] = field(default_factory=list)
    extra_entries: list[str] = field(default_factory=list)
    differences: Counter[str] = field(default_factory=Counter)  # field name -> entries
    examples: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not (self.missing_entries or self.extra_entries or self.differences)

    def lines(self) -> list[str]:
        out = [f"{self.entries} entries, {self.fields} fields; "
               f"{sum(self.differences.values())} field differences"]
        if self.missing_entries:
            out.append(f"missing entries: {', '.join(self.missing_entries[:10])}")
        if self.extra_entries:
            out.append(f"extra entries: {', '.join(self.extra_entries[:10])}")
        for name, n in self.differences.most_common():
            key, a, b = self.examples[name]
            out.append(f"  {n:5d} {name}: e.g. {key}: {a!r:.80} -> {b!r:.80}")
        return out


def _biber(src: Path, out: Path) -> dict[str, tuple[str, dict[str, str]]]:
    r = subprocess.run(["biber", "--tool", "--quiet", "--output-file", out.name, src.name],
                       cwd=src.parent, capture_output=True, text=True, timeout=600, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"biber --tool failed on {src.name}: {r.stdout[-1500:]}{r.stderr}")
    lib = parse_string(out.read_text(encoding="utf-8"))
    return {e.key: (e.entry_type.lower(), {f.key.lower(): str(f.value) for f in e.fields})
            for e in lib.entries}


def roundtrip(text: str, workdir: Path, name: str = "original.bib") -> Report:
    """Import ``text``, export it to BibLaTeX, run biber --tool on both and compare."""
    workdir.mkdir(parents=True, exist_ok=True)
    original = workdir / name
    original.write_text(text, encoding="utf-8")
    works = read_bibtex(text, name).works
    library = Library([LoadedDocument("lib.yaml", Document(works=works))])
    exported = workdir / "exported.bib"
    exported.write_text(export(library, "biblatex").text, encoding="utf-8")
    before = _biber(original, workdir / "original.biber.bib")
    after = _biber(exported, workdir / "exported.biber.bib")
    report = Report(entries=len(before))
    report.missing_entries = sorted(set(before) - set(after))
    report.extra_entries = sorted(set(after) - set(before))
    for key, (btype, bfields) in before.items():
        report.fields += len(bfields)
        if key not in after:
            continue
        atype, afields = after[key]
        if atype != btype:
            report.differences["@type"] += 1
            report.examples.setdefault("@type", (key, btype, atype))
        for f in sorted(set(bfields) | set(afields)):
            a, b = bfields.get(f), afields.get(f)
            if a is not None and b is not None and fold(a) == fold(b):
                continue
            report.differences[f] += 1
            report.examples.setdefault(f, (key, a, b))
    return report
