"""The BibTeX/BibLaTeX field crosswalk: one table for the reader and the writer.

Each row names a model field, the ``.bib`` fields read into it (in precedence order: the
first one present wins, every later one is reported as not imported) and the field the export
writes it to, per dialect and entry type. ``sources/bibtex/fields.py`` reads through
:data:`ROWS`, ``exporters/biblatex.py`` writes through :func:`target`; a field that one side
knows the other knows too. Field mapping in prose: ``docs/formats/biblatex.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from annobib.codecs import biblatex_dm

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
          "online": "journaltitle", "misc": "howpublished",
          "dataset": "journaltitle", "*": "journaltitle"},
         {"article": "journal", **dict.fromkeys(_IN, "booktitle"), "book": "series",
          "*": "howpublished"},
         what="a container-title", read_by_type={"misc": ("howpublished",)}),
    _row("container-title-short", "shortjournal", "shortjournal", ""),
    _row("collection-title", "series", "series"),
    _row("accessed", "urldate", "urldate", kind="special"),
    _row("volume", "volume", "volume"),
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
    # biblatex fields with a typed home of their own (issue #12)
    _row("subtitle", "subtitle", "subtitle"),
    _row("title-short", "shorttitle", "shorttitle"),
    _row("version", "version", "version"),
    _row("status", "pubstate", "pubstate"),
    _row("chapter-number", "chapter", "chapter"),
    _row("part-number", "part", "part"),
    _row("number-of-volumes", "volumes", "volumes"),
    _row("event-title", "eventtitle", "eventtitle"),
    _row("event-place", "venue", "venue"),
    _row("original-publisher", "origpublisher", "origpublisher"),
    _row("original-publisher-place", "origlocation", "origlocation"),
    _row("citation-label", "label", "label"),
    _row("eprint-type", "eprinttype", "eprinttype"),
    _row("eprint-class", "eprintclass", "eprintclass"),
    _row("eprint", "eprint", "eprint", kind="verbatim"),
    _row("doi", "doi", "doi", kind="verbatim"),
    _row("url", "url", "url", kind="special"),
    _row("isbn", "isbn", "isbn", kind="special"),
    _row("issn", "issn", "issn", kind="special"),
    # hyphenation: biblatex's old name for langid, read when langid is absent
    _row("language", "langid hyphenation language", "langid", "language", kind="special"),
    _row("keywords", "keywords", "keywords", kind="special"),
    _row("note", "note addendum", "note", kind="special"),
    _row("annotation", "annotation annote", "annotation", "annote", kind="special",
         what="an annotation"),
)

BY_MODEL: Mapping[str, Row] = MappingProxyType({r.model: r for r in ROWS})

# biblatex's `number` is an issue for periodicals, a series number for books and their parts,
# and the work's own number (a report's, a patent's, a standard's) for every other type
ISSUE_TYPES = frozenset({"article", "periodical", "suppperiodical"})
SERIES_TYPES = frozenset({
    "book", "mvbook", "inbook", "bookinbook", "suppbook", "collection", "mvcollection",
    "incollection", "suppcollection", "proceedings", "mvproceedings", "inproceedings",
    "reference", "mvreference", "inreference", "manual", "booklet",
})


def number_field(entry_type: str) -> str:
    """The model field biblatex's ``number`` is for an entry of this type."""
    if entry_type in ISSUE_TYPES:
        return "issue"
    if entry_type in SERIES_TYPES:
        return "collection-number"
    return "number"


# name lists of biblatex with a model field (besides author, editor, translator)
NAME_FIELDS: Mapping[str, str] = MappingProxyType({
    "author": "author", "editor": "editor", "translator": "translator",
    "bookauthor": "container-author", "annotator": "annotator",
    "commentator": "commentator", "holder": "holder",
})
# biblatex date fields -> model dates ("date" and year/month/day are read on their own)
DATE_FIELDS: Mapping[str, str] = MappingProxyType({
    "origdate": "original-date", "eventdate": "event-date",
})
# relations, written back as they were (values: keys as written)
RELATION_FIELDS: Mapping[str, str] = MappingProxyType({
    "crossref": "crossref", "xref": "xref", "xdata": "xdata", "entryset": "entryset",
})
LIST_RELATIONS = frozenset({"xdata", "entryset"})
# the pseudo-field of ``verbatim.biblatex`` that keeps an entry type as written where the
# model's type reads back from several (@inbook and @incollection are both a chapter)
ENTRY_TYPE = "entrytype"
TEXT_ROWS: tuple[Row, ...] = tuple(r for r in ROWS if r.kind in ("text", "verbatim")
                                    and r.model != "doi")
# fields the export writes with case protection (codecs/tex.py protect_title)
TITLE_FIELDS = frozenset({
    "title", "subtitle", "origtitle", "maintitle", "mainsubtitle", "booktitle",
    "booksubtitle", "shorttitle", "series", "eventtitle", "issuetitle",
})
# fields written verbatim (no TeX decoding when read, no escaping when written)
VERBATIM = frozenset({"doi", "url", "eprint", "file", "pdf", "verba", "verbb", "verbc"})


def target(model: str, dialect: Dialect, entry_type: str) -> str:
    """The ``.bib`` field the export writes model field ``model`` to ("" for none); for a
    container, the first of journaltitle and booktitle that biblatex's data model gives the
    entry type, when the table's choice is not one of them."""
    name = BY_MODEL[model].target(dialect, entry_type) or ""
    if model == "container-title" and dialect == "biblatex" and not accepts(entry_type, name):
        return next((n for n in ("journaltitle", "booktitle") if accepts(entry_type, n)), name)
    return name


# .bib field names biber itself reads as another (its default source map): a value under one
# of these needs no hint of its name to come back as the same field
BIBER_ALIASES: Mapping[str, str] = MappingProxyType({
    "journal": "journaltitle", "address": "location", "school": "institution",
    "annote": "annotation", "hyphenation": "langid", "key": "sortkey",
})


def aliases(bibfield: str) -> tuple[str, ...]:
    """The other names of the row that reads ``bibfield``."""
    for row in ROWS:
        if bibfield in row.read:
            return tuple(n for n in row.read if n != bibfield)
    return ()


# biber's default source map: BibTeX entry types it reads as a biblatex type, with the `type`
# field it gives them when they have none
BIBER_TYPES: Mapping[str, tuple[str, str | None]] = MappingProxyType({
    "conference": ("inproceedings", None), "electronic": ("online", None),
    "www": ("online", None), "mastersthesis": ("thesis", "mathesis"),
    "phdthesis": ("thesis", "phdthesis"), "techreport": ("report", "techreport"),
})


def datamodel_type(entry_type: str) -> str:
    """The biblatex entry type biber reads ``entry_type`` as (``@conference``:
    ``inproceedings``)."""
    aliased = BIBER_TYPES.get(entry_type)
    return aliased[0] if aliased else entry_type


_URL_SEPARATOR = re.compile(r";\s+")


def split_urls(raw: str) -> list[str]:
    """The URLs of a ``url`` field: Beebe's files list several, separated by "; "."""
    return [u for u in _URL_SEPARATOR.split(" ".join(raw.split())) if u]


# biblatex's non-standard types (@video, @movie, @artwork, @standard, ...) have no fields of
# their own in blx-dm.def: "the standard styles treat them as @misc" (biblatex manual 2.1.3),
# so they take @misc's fields (biber --validate-datamodel reports those: A407)
_FIELDS_OF: Mapping[str, frozenset[str]] = MappingProxyType({
    t: biblatex_dm.FIELDS.get(t, biblatex_dm.FIELDS["misc"]) for t in biblatex_dm.ENTRY_TYPES})
NO_FIELDS_OF_THEIR_OWN = frozenset(biblatex_dm.ENTRY_TYPES - set(biblatex_dm.FIELDS))


def accepts(entry_type: str, bibfield: str) -> bool:
    """True when biblatex's data model gives ``entry_type`` the field ``bibfield`` (a type
    with no fields of its own: @misc's)."""
    if bibfield.endswith("date") and bibfield != "date":
        # a date field is declared by its parts (origyear, eventyear, urlyear)
        bibfield = bibfield.removesuffix("date") + "year"
    return bibfield in biblatex_dm.GLOBAL or bibfield in _FIELDS_OF.get(
        entry_type, frozenset())


__all__ = [
    "BIBER_TYPES",
    "BY_MODEL",
    "DATE_FIELDS",
    "ENTRY_TYPE",
    "ISSUE_TYPES",
    "LIST_RELATIONS",
    "NAME_FIELDS",
    "NO_FIELDS_OF_THEIR_OWN",
    "RELATION_FIELDS",
    "ROWS",
    "SERIES_TYPES",
    "TEXT_ROWS",
    "TITLE_FIELDS",
    "VERBATIM",
    "Dialect",
    "Row",
    "accepts",
    "datamodel_type",
    "number_field",
    "split_urls",
    "target",
]
