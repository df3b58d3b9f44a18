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


_N = None
W = WorkType
# CSL 1.0.2 types and the biblatex types beyond them. A type that biblatex has no entry type
# for is @misc with its annobib type in ``entrysubtype`` (read back by ``from_bibtex``).
_ROWS += (
    TypeRow(W.ARTICLE, "article", "misc", "misc", "article", _N, "GEN", "posted-content"),
    TypeRow(W.BILL, "bill", "misc", "misc", "bill", _N, "BILL", _N),
    TypeRow(W.BROADCAST, "broadcast", "misc", "misc", "broadcast", _N, "ADVS", _N),
    TypeRow(W.CLASSIC, "classic", "book", "book", "classic", _N, "CLSWK", _N),
    TypeRow(W.ARCHIVAL_COLLECTION, "collection", "misc", "misc", "archival-collection", _N,
            "GEN", _N),
    TypeRow(W.ENTRY, "entry", "misc", "inreference", "entry", _N, "GEN", _N),
    TypeRow(W.DICTIONARY_ENTRY, "entry-dictionary", "misc", "inreference", "dictionary-entry",
            _N, "DICT", _N),
    TypeRow(W.ENCYCLOPEDIA_ENTRY, "entry-encyclopedia", "incollection", "inreference", _N, _N,
            "ENCYC", "reference-entry"),
    TypeRow(W.EVENT, "event", "misc", "misc", "event", _N, "GEN", _N),
    TypeRow(W.FIGURE, "figure", "misc", "image", _N, _N, "FIGURE", _N),
    TypeRow(W.GRAPHIC, "graphic", "misc", "artwork", _N, _N, "ART", _N),
    TypeRow(W.HEARING, "hearing", "misc", "misc", "hearing", _N, "HEAR", _N),
    TypeRow(W.INTERVIEW, "interview", "misc", "misc", "interview", _N, "GEN", _N),
    TypeRow(W.LEGAL_CASE, "legal_case", "misc", "jurisdiction", _N, _N, "CASE", _N),
    TypeRow(W.MANUSCRIPT, "manuscript", "unpublished", "unpublished", _N, _N, "MANSCPT", _N),
    TypeRow(W.MAP, "map", "misc", "misc", "map", _N, "MAP", _N),
    TypeRow(W.MOTION_PICTURE, "motion_picture", "misc", "movie", _N, _N, "MPCT", _N),
    TypeRow(W.MUSICAL_SCORE, "musical_score", "misc", "misc", "musical-score", _N, "MUSIC", _N),
    TypeRow(W.PAMPHLET, "pamphlet", "booklet", "booklet", _N, _N, "PAMP", _N),
    TypeRow(W.PATENT, "patent", "misc", "patent", _N, _N, "PAT", _N),
    TypeRow(W.PERFORMANCE, "performance", "misc", "performance", _N, _N, "GEN", _N),
    TypeRow(W.PERIODICAL, "periodical", "misc", "periodical", _N, _N, "JFULL", "journal-issue"),
    TypeRow(W.PERSONAL_COMMUNICATION, "personal_communication", "misc", "letter", _N, _N,
            "PCOMM", _N),
    TypeRow(W.POST, "post", "misc", "online", "post", _N, "ICOMM", _N),
    TypeRow(W.BLOG_POST, "post-weblog", "misc", "online", "blog-post", _N, "BLOG", _N),
    TypeRow(W.REGULATION, "regulation", "misc", "misc", "regulation", _N, "GOVDOC", _N),
    TypeRow(W.REVIEW, "review", "article", "review", _N, _N, "GEN", _N),
    TypeRow(W.BOOK_REVIEW, "review-book", "article", "review", "book-review", _N, "GEN", _N),
    TypeRow(W.SOFTWARE, "software", "misc", "software", _N, _N, "COMP", _N),
    TypeRow(W.SONG, "song", "misc", "audio", _N, _N, "SOUND", _N),
    TypeRow(W.SPEECH, "speech", "misc", "misc", "speech", _N, "GEN", _N),
    TypeRow(W.STANDARD, "standard", "misc", "standard", _N, _N, "STAND", "standard"),
    TypeRow(W.MV_BOOK, "book", "book", "mvbook", _N, _N, "BOOK", "book-set"),
    # @inbook without entrysubtype stays a chapter: the BibLaTeX export writes a chapter
    # without editors as @inbook (TODO h12bib: decide in the BibLaTeX crosswalk)
    TypeRow(W.IN_BOOK, "chapter", "inbook", "inbook", "inbook", _N, "CHAP", "book-part"),
    TypeRow(W.BOOK_IN_BOOK, "chapter", "inbook", "bookinbook", _N, _N, "CHAP", "book-part"),
    TypeRow(W.SUPP_BOOK, "chapter", "inbook", "suppbook", _N, _N, "CHAP", "book-part"),
    TypeRow(W.COLLECTION, "book", "book", "collection", _N, _N, "EDBOOK", "edited-book"),
    TypeRow(W.MV_COLLECTION, "book", "book", "mvcollection", _N, _N, "EDBOOK", "book-set"),
    TypeRow(W.SUPP_COLLECTION, "chapter", "incollection", "suppcollection", _N, _N, "CHAP",
            "book-part"),
    TypeRow(W.MANUAL, "report", "manual", "manual", _N, _N, "GEN", _N),
    TypeRow(W.SUPP_PERIODICAL, "article-journal", "article", "suppperiodical", _N, _N, "JOUR",
            _N),
    TypeRow(W.PROCEEDINGS, "book", "proceedings", "proceedings", _N, _N, "CONF", "proceedings"),
    TypeRow(W.MV_PROCEEDINGS, "book", "proceedings", "mvproceedings", _N, _N, "CONF",
            "proceedings"),
    TypeRow(W.REFERENCE, "book", "book", "reference", _N, _N, "BOOK", "reference-book"),
    TypeRow(W.MV_REFERENCE, "book", "book", "mvreference", _N, _N, "BOOK", "reference-book"),
    TypeRow(W.SET, "document", "misc", "set", _N, _N, "GEN", _N),
    TypeRow(W.XDATA, "document", "misc", "xdata", _N, _N, "GEN", _N),
    TypeRow(W.MUSIC, "song", "misc", "music", _N, _N, "MUSIC", _N),
    TypeRow(W.VIDEO, "motion_picture", "misc", "video", _N, _N, "VIDEO", _N),
    TypeRow(W.COMMENTARY, "book", "book", "commentary", _N, _N, "BOOK", _N),
    TypeRow(W.BIBNOTE, "document", "misc", "bibnote", _N, _N, "GEN", _N),
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

# each CSL type comes back as the one work type that is exported as it (the first row with it)
_FROM_CSL: dict[str, WorkType] = {}
for _r in _ROWS:
    _FROM_CSL.setdefault(_r.csl, _r.work)

_FROM_BIBTEX: dict[str, WorkType] = {
    # classic BibTeX
    "article": WorkType.JOURNAL_ARTICLE,
    "book": WorkType.BOOK,
    "booklet": WorkType.PAMPHLET,
    "inbook": WorkType.CHAPTER,
    "incollection": WorkType.CHAPTER,
    "inproceedings": WorkType.CONFERENCE_PAPER,
    "conference": WorkType.CONFERENCE_PAPER,
    "proceedings": WorkType.PROCEEDINGS,
    "manual": WorkType.MANUAL,
    "techreport": WorkType.REPORT,
    "phdthesis": WorkType.THESIS,
    "mastersthesis": WorkType.THESIS,
    "misc": WorkType.MISC,
    "unpublished": WorkType.MANUSCRIPT,
    # biblatex
    "online": WorkType.WEB_PAGE,
    "electronic": WorkType.WEB_PAGE,
    "www": WorkType.WEB_PAGE,
    "report": WorkType.REPORT,
    "thesis": WorkType.THESIS,
    "dataset": WorkType.DATASET,
    "legislation": WorkType.LEGISLATION,
    "legal": WorkType.LEGISLATION,
}
for _r in _ROWS:  # every biblatex type of the rows above, by its own row
    if _r.biblatex_subtype is None and _r.biblatex_kind is None:
        _FROM_BIBTEX.setdefault(_r.biblatex, _r.work)

_BIBLATEX_SUBTYPES: dict[str, WorkType] = {
    "magazine": WorkType.MAGAZINE_ARTICLE,
    "newspaper": WorkType.NEWSPAPER_ARTICLE,
}

_BIBLATEX_KINDS: dict[str, WorkType] = {
    "treaty": WorkType.TREATY,
    "legislation": WorkType.LEGISLATION,
}

_WORKTYPE_VALUES = frozenset(t.value for t in WorkType)

_FROM_RIS: dict[str, WorkType] = {}
for _r in _ROWS[:13]:  # the first rows' RIS types are theirs; the later rows' below
    if _r.ris != "GEN":
        _FROM_RIS.setdefault(_r.ris, _r.work)
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
for _r in _ROWS:  # RIS types first named by the rows added for CSL 1.0.2 and biblatex
    _FROM_RIS.setdefault(_r.ris, _r.work)
for _code, _t in (("BILL", WorkType.BILL), ("BLOG", WorkType.BLOG_POST),
                  ("JFULL", WorkType.PERIODICAL), ("EDBOOK", WorkType.COLLECTION)):
    _FROM_RIS[_code] = _t

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
    "standard": WorkType.STANDARD,
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
    if sub in _WORKTYPE_VALUES and ROWS[WorkType(sub)].biblatex == s.strip().lower():
        return WorkType(sub)  # a type biblatex says as entry type + entrysubtype
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


def _lossy(r: TypeRow) -> frozenset[str]:
    """The formats whose type for ``r`` reads back as another work type."""
    out = set(r.lossy)
    if from_csl(r.csl) is not r.work:
        out.add("csl")
    if from_bibtex(r.bibtex) is not r.work:
        out.add("bibtex")
    if from_bibtex(r.biblatex, subtype=r.biblatex_subtype, kind=r.biblatex_kind) is not r.work:
        out.add("biblatex")
    if from_ris(r.ris) is not r.work:
        out.add("ris")
    if r.crossref is None or from_crossref(r.crossref) is not r.work:
        out.add("crossref")
    return frozenset(out)


_FIRST = {r.work for r in _ROWS[:13]}  # these keep the lossy sets written for them
for _w, _row in list(ROWS.items()):
    if _w not in _FIRST:
        ROWS[_w] = TypeRow(**{**{f: getattr(_row, f) for f in _row.__slots__},
                              "lossy": _lossy(_row)})

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
