"""The BibTeX/BibLaTeX field crosswalk: one table for the reader and the writer.

Each row names a model field, the ``.bib`` fields read into it (in precedence order: the
first one present wins, every later one is reported as not imported) and the field the export
writes it to, per dialect and entry type. ``sources/bibtex/fields.py`` reads through
:data:`ROWS`, ``exporters/biblatex.py`` writes through :func:`target`; a field that one side
knows the other knows too. Field mapping in prose: ``docs/formats/biblatex.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Dialect = Literal["biblatex", "bibtex"]
# how the reader turns the raw value into model data
Kind = Literal["text", "verbatim", "special"]

@dataclass(frozen=True, slots=True)
class Row:
    model: str  # the model field (its YAML / CSL name)
    read: tuple[str, ...]  # .bib fields read into it, first present wins
    biblatex: Mapping[str, str]  # entry type -> field written ("*": every other type)
    bibtex: Mapping[str, str]
    kind: Kind
    what: str  # how a second value is named in "the record already has ..."
    # .bib fields read into it only for these entry types (howpublished of @misc)
    read_by_type: Mapping[str, tuple[str, ...]]

    def names(self, entry_type: str) -> tuple[str, ...]:
        extra = self.read_by_type.get(entry_type)
        return self.read + extra if extra else self.read

    def target(self, dialect: Dialect, entry_type: str) -> str | None:
        table = self.biblatex if dialect == "biblatex" else self.bibtex
        return table.get(entry_type, table.get("*"))


def _row(model: str, read: str, biblatex: str | dict[str, str], bibtex: str | dict[str, str] |
         None = None, *, kind: Kind = "text", what: str = "",
         read_by_type: dict[str, tuple[str, ...]] | None = None) -> Row:
    def table(spec: str | dict[str, str]) -> Mapping[str, str]:
        return MappingProxyType({"*": spec} if isinstance(spec, str) else dict(spec))

    return Row(model, tuple(read.split()), table(biblatex),
               table(biblatex if bibtex is None else bibtex), kind, what or model,
               MappingProxyType(read_by_type or {}))


_IN = ("inbook", "incollection", "inproceedings")

ROWS: tuple[Row, ...] = (
    _row("container-title", "journaltitle journal booktitle",
         {"article": "journaltitle", **dict.fromkeys(_IN, "booktitle"),
          "online": "journaltitle", "misc": "howpublished", "book": "maintitle",
          "dataset": "journaltitle", "*": "journaltitle"},
         {"article": "journal", **dict.fromkeys(_IN, "booktitle"), "book": "series",
          "*": "howpublished"},
         what="a container-title", read_by_type={"misc": ("howpublished",)}),
    _row("container-title-short", "shortjournal", "shortjournal", ""),
    _row("collection-title", "series", "series"),
    _row("accessed", "urldate", "urldate", kind="special"),
    _row("volume", "volume", "volume"),
    _row("issue", "number issue", "number", what="an issue ('number' gives it)"),
    _row("pages", "pages", "pages"),
    _row("page-count", "pagetotal numpages", "pagetotal"),
    _row("edition", "edition", "edition"),
    _row("abstract", "abstract", "abstract"),
    _row("publisher", "publisher institution school organization",
         {"report": "institution", "thesis": "institution", "online": "organization",
          "misc": "organization", "*": "publisher"},
         {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school",
          "*": "publisher"},
         what="a publisher"),
    _row("publisher-place", "location address", "location", "address",
         what="a publisher-place"),
    _row("doi", "doi", "doi", kind="verbatim"),
    _row("url", "url", "url", kind="special"),
    _row("isbn", "isbn", "isbn", kind="special"),
    _row("issn", "issn", "issn", kind="special"),
    _row("language", "langid language", "langid", "language", kind="special"),
    _row("keywords", "keywords", "keywords", kind="special"),
    _row("note", "note addendum", "note", kind="special"),
    _row("annotation", "annotation annote", "annotation", "annote", kind="special",
         what="an annotation"),
)

BY_MODEL: Mapping[str, Row] = MappingProxyType({r.model: r for r in ROWS})
TEXT_ROWS: tuple[Row, ...] = tuple(r for r in ROWS if r.kind == "text")
# fields written verbatim (no TeX decoding when read, no escaping when written)
VERBATIM = frozenset({"doi", "url", "eprint", "file", "pdf", "verba", "verbb", "verbc"})


def target(model: str, dialect: Dialect, entry_type: str) -> str:
    """The ``.bib`` field the export writes model field ``model`` to ("" for none)."""
    return BY_MODEL[model].target(dialect, entry_type) or ""


__all__ = ["BY_MODEL", "ROWS", "TEXT_ROWS", "VERBATIM", "Dialect", "Row", "target"]
