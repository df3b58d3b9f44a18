"""The one type table: annobib ``WorkType`` <-> CSL <-> BibTeX <-> BibLaTeX <-> RIS <-> Crossref.

Every exporter and reader asks this module, so a type is mapped the same way everywhere.
Export direction (``csl_type(t)`` ...) always gives an answer; ``None`` only where the format has
no type of that kind at all (Crossref has no newspaper, web page, treaty or statute type).
Import direction (``from_csl(s)`` ...) returns ``None`` for a type the table does not know: the
caller then uses ``WorkType.MISC`` and reports the original type, never silently.

Where a format lacks a type (BibTeX has no web page, treaty or dataset; RIS no treaty) the row
says so in ``lossy``: exporters warn, naming the record and ``type``.

BibLaTeX notes (biblatex manual, sec. 2.1; biber's default data model ``blx-dm.def``):
- magazine and newspaper articles are ``@article`` with ``entrysubtype = {magazine|newspaper}``;
- ``@jurisdiction``, ``@legislation``, ``@legal`` are "unsupported" types (no driver in the
  standard styles, no data-model constraints), so treaties and legislation are ``@misc`` with a
  ``type`` field saying what they are;
- ``@thesis`` and ``@report`` carry their kind in ``type`` (the record's ``genre``); an entry
  that must fall back to ``@misc`` (a mandatory field is missing) keeps its annobib type in
  ``entrysubtype`` (``entrysubtype = {web-page}``), which ``from_bibtex`` reads back.
"""

from __future__ import annotations

from dataclasses import dataclass

from annobib.model.person import Person
from annobib.model.record import WorkType


@dataclass(frozen=True, slots=True)
class TypeRow:
    """One work type in every format. ``None`` = the format has no such type."""

    work: WorkType
    csl: str
    bibtex: str
    biblatex: str
    biblatex_subtype: str | None  # ``entrysubtype`` (magazine, newspaper)
    biblatex_kind: str | None  # the ``type`` field (phdthesis, techreport, treaty, ...)
    ris: str
    crossref: str | None
    lossy: frozenset[str] = frozenset()  # formats that cannot say what this type is


_ROWS: tuple[TypeRow, ...] = (
    TypeRow(WorkType.JOURNAL_ARTICLE, "article-journal", "article", "article", None, None,
            "JOUR", "journal-article"),
    TypeRow(WorkType.MAGAZINE_ARTICLE, "article-magazine", "article", "article", "magazine", None,
            "MGZN", None, frozenset({"bibtex", "crossref"})),
    TypeRow(WorkType.NEWSPAPER_ARTICLE, "article-newspaper", "article", "article", "newspaper",
            None, "NEWS", None, frozenset({"bibtex", "crossref"})),
    TypeRow(WorkType.BOOK, "book", "book", "book", None, None, "BOOK", "book"),
    TypeRow(WorkType.CHAPTER, "chapter", "incollection", "incollection", None, None,
            "CHAP", "book-chapter"),
    TypeRow(WorkType.CONFERENCE_PAPER, "paper-conference", "inproceedings", "inproceedings",
            None, None, "CPAPER", "proceedings-article"),
    TypeRow(WorkType.WEB_PAGE, "webpage", "misc", "online", None, None, "ELEC", None,
            frozenset({"bibtex", "crossref"})),
    TypeRow(WorkType.REPORT, "report", "techreport", "report", None, None,
            "RPRT", "report"),
    TypeRow(WorkType.THESIS, "thesis", "phdthesis", "thesis", None, None,
            "THES", "dissertation"),
    TypeRow(WorkType.TREATY, "treaty", "misc", "misc", "treaty", "treaty", "GEN", None,
            frozenset({"bibtex", "ris", "crossref"})),
    TypeRow(WorkType.LEGISLATION, "legislation", "misc", "misc", "legislation", "legislation",
            "STAT", None, frozenset({"bibtex", "crossref"})),
    TypeRow(WorkType.DATASET, "dataset", "misc", "dataset", None, None, "DATA", "dataset",
            frozenset({"bibtex"})),
    TypeRow(WorkType.MISC, "document", "misc", "misc", None, None, "GEN", "other"),
)

ROWS: dict[WorkType, TypeRow] = {r.work: r for r in _ROWS}


def row(t: WorkType) -> TypeRow:
    return ROWS[WorkType(t)]


# --- export direction -------------------------------------------------------------------------


def csl_type(t: WorkType) -> str:
    return row(t).csl


def bibtex_type(t: WorkType) -> str:
    return row(t).bibtex


def biblatex_type(t: WorkType) -> str:
    return row(t).biblatex


def biblatex_subtype(t: WorkType) -> str | None:
    return row(t).biblatex_subtype


def biblatex_kind(t: WorkType) -> str | None:
    return row(t).biblatex_kind


def ris_type(t: WorkType) -> str:
    return row(t).ris


def crossref_type(t: WorkType) -> str | None:
    return row(t).crossref


def is_lossy(t: WorkType, fmt: str) -> bool:
    """True when ``fmt`` (``bibtex``, ``ris``, ``crossref``...) cannot say what type ``t`` is."""
    return fmt in row(t).lossy


# --- import direction -------------------------------------------------------------------------

_FROM_CSL: dict[str, WorkType] = {r.csl: r.work for r in _ROWS}
_FROM_CSL.update(
    {
        "article": WorkType.MISC,  # CSL 1.0.1's generic "article" (preprints, working papers)
        "post": WorkType.WEB_PAGE,
        "post-weblog": WorkType.WEB_PAGE,
        "bill": WorkType.LEGISLATION,
        "regulation": WorkType.LEGISLATION,
        "manuscript": WorkType.MISC,
    }
)

_FROM_BIBTEX: dict[str, WorkType] = {
    # classic BibTeX
    "article": WorkType.JOURNAL_ARTICLE,
    "book": WorkType.BOOK,
    "booklet": WorkType.BOOK,
    "inbook": WorkType.CHAPTER,
    "incollection": WorkType.CHAPTER,
    "inproceedings": WorkType.CONFERENCE_PAPER,
    "conference": WorkType.CONFERENCE_PAPER,
    "proceedings": WorkType.BOOK,
    "manual": WorkType.REPORT,
    "techreport": WorkType.REPORT,
    "phdthesis": WorkType.THESIS,
    "mastersthesis": WorkType.THESIS,
    "misc": WorkType.MISC,
    "unpublished": WorkType.MISC,
    # biblatex
    "online": WorkType.WEB_PAGE,
    "electronic": WorkType.WEB_PAGE,
    "www": WorkType.WEB_PAGE,
    "report": WorkType.REPORT,
    "thesis": WorkType.THESIS,
    "dataset": WorkType.DATASET,
    "collection": WorkType.BOOK,
    "mvbook": WorkType.BOOK,
    "mvcollection": WorkType.BOOK,
    "mvproceedings": WorkType.BOOK,
    "bookinbook": WorkType.CHAPTER,
    "inreference": WorkType.CHAPTER,
    "legislation": WorkType.LEGISLATION,
    "legal": WorkType.LEGISLATION,
}

_BIBLATEX_SUBTYPES: dict[str, WorkType] = {
    "magazine": WorkType.MAGAZINE_ARTICLE,
    "newspaper": WorkType.NEWSPAPER_ARTICLE,
}

_BIBLATEX_KINDS: dict[str, WorkType] = {
    "treaty": WorkType.TREATY,
    "legislation": WorkType.LEGISLATION,
}

_WORKTYPE_VALUES = frozenset(t.value for t in WorkType)

_FROM_RIS: dict[str, WorkType] = {r.ris: r.work for r in _ROWS if r.ris != "GEN"}
_FROM_RIS.update(
    {
        "GEN": WorkType.MISC,
        "EJOUR": WorkType.JOURNAL_ARTICLE,
        "JFULL": WorkType.JOURNAL_ARTICLE,
        "ABST": WorkType.JOURNAL_ARTICLE,
        "INPR": WorkType.JOURNAL_ARTICLE,
        "EBOOK": WorkType.BOOK,
        "EDBOOK": WorkType.BOOK,
        "ECHAP": WorkType.CHAPTER,
        "CONF": WorkType.CONFERENCE_PAPER,
        "WEB": WorkType.WEB_PAGE,
        "BLOG": WorkType.WEB_PAGE,
        "LEGAL": WorkType.LEGISLATION,
        "BILL": WorkType.LEGISLATION,
        "DBASE": WorkType.DATASET,
    }
)

_FROM_CROSSREF: dict[str, WorkType] = {
    "journal-article": WorkType.JOURNAL_ARTICLE,
    "book": WorkType.BOOK,
    "monograph": WorkType.BOOK,
    "edited-book": WorkType.BOOK,
    "reference-book": WorkType.BOOK,
    "book-set": WorkType.BOOK,
    "proceedings": WorkType.BOOK,
    "book-chapter": WorkType.CHAPTER,
    "book-section": WorkType.CHAPTER,
    "book-part": WorkType.CHAPTER,
    "reference-entry": WorkType.CHAPTER,
    "proceedings-article": WorkType.CONFERENCE_PAPER,
    "report": WorkType.REPORT,
    "report-component": WorkType.REPORT,
    "dissertation": WorkType.THESIS,
    "dataset": WorkType.DATASET,
    "other": WorkType.MISC,
    "posted-content": WorkType.MISC,
    "standard": WorkType.MISC,
    "component": WorkType.MISC,
    "peer-review": WorkType.MISC,
}


def from_csl(s: str) -> WorkType | None:
    return _FROM_CSL.get(s.strip().lower())


def from_bibtex(s: str, *, subtype: str | None = None, kind: str | None = None) -> WorkType | None:
    """BibTeX/BibLaTeX entry type (+ optional ``entrysubtype`` and ``type`` fields) → WorkType."""
    t = _FROM_BIBTEX.get(s.strip().lower())
    sub = subtype.strip().lower() if subtype else None
    if t is WorkType.JOURNAL_ARTICLE and sub:
        return _BIBLATEX_SUBTYPES.get(sub, t)
    if t is WorkType.MISC:
        if sub in _WORKTYPE_VALUES:
            return WorkType(sub)
        if kind:
            return _BIBLATEX_KINDS.get(kind.strip().lower(), t)
    return t


def from_ris(s: str) -> WorkType | None:
    return _FROM_RIS.get(s.strip().upper())


def from_crossref(s: str) -> WorkType | None:
    return _FROM_CROSSREF.get(s.strip().lower())


#: CSL-JSON ``custom.<role>-details`` key -> the Person field's kebab-case name. CSL has no
#: variables for these; the exporter writes them and the reader takes them back from here.
CSL_PERSON_DETAILS: dict[str, str] = {
    ("ORCID" if label == "orcid" else label): label for _, label in Person.DETAIL_FIELDS
}

__all__ = [
    "CSL_PERSON_DETAILS",
    "ROWS",
    "TypeRow",
    "biblatex_kind",
    "biblatex_subtype",
    "biblatex_type",
    "bibtex_type",
    "crossref_type",
    "csl_type",
    "from_bibtex",
    "from_crossref",
    "from_csl",
    "from_ris",
    "is_lossy",
    "ris_type",
    "row",
]
