"""A bibliographic record: one work (article, book, web page, treaty, ...)."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, field_validator

from annobib.model.annotation import Annotation
from annobib.model.ignore import Ignores
from annobib.model.person import Person
from annobib.model.values import (
    DOI,
    ISBN,
    ISSN,
    URL,
    Kebab,
    LangTag,
    MultiText,
    PartialDate,
    Verbatim,
)

# A key as BibTeX and biblatex accept it (so a document's \cite{} keeps working): any
# characters but white space, control characters and the ones that end a key or a field in a
# .bib file or in \cite (, { } ( ) " # % ' = \\ ~). `baez/article` and `пункт3` are keys.
KEY_RE = re.compile(r"^[^\s\x00-\x1f\x7f,{}()\"#%'=\\~]+$")
RecordKey = Annotated[str, Field(pattern=KEY_RE.pattern, min_length=1, max_length=120)]


class WorkType(StrEnum):
    """The kind of work. The crosswalk (``model/crosswalk.py``) maps each to CSL, BibTeX,
    BibLaTeX, RIS and Crossref: every CSL 1.0.2 type and every biblatex entry type has one."""

    # CSL 1.0.2 types (the CSL name in the comment where it differs)
    ARTICLE = "article"  # a preprint, working paper or other article not in a periodical
    JOURNAL_ARTICLE = "journal-article"  # article-journal
    MAGAZINE_ARTICLE = "magazine-article"  # article-magazine
    NEWSPAPER_ARTICLE = "newspaper-article"  # article-newspaper
    BILL = "bill"
    BOOK = "book"
    BROADCAST = "broadcast"
    CHAPTER = "chapter"
    CLASSIC = "classic"
    ARCHIVAL_COLLECTION = "archival-collection"  # collection (an archive's, not biblatex's)
    DATASET = "dataset"
    MISC = "misc"  # document
    ENTRY = "entry"
    DICTIONARY_ENTRY = "dictionary-entry"  # entry-dictionary
    ENCYCLOPEDIA_ENTRY = "encyclopedia-entry"  # entry-encyclopedia
    EVENT = "event"
    FIGURE = "figure"
    GRAPHIC = "graphic"
    HEARING = "hearing"
    INTERVIEW = "interview"
    LEGAL_CASE = "legal-case"  # legal_case
    LEGISLATION = "legislation"
    MANUSCRIPT = "manuscript"
    MAP = "map"
    MOTION_PICTURE = "motion-picture"  # motion_picture
    MUSICAL_SCORE = "musical-score"  # musical_score
    PAMPHLET = "pamphlet"
    CONFERENCE_PAPER = "conference-paper"  # paper-conference
    PATENT = "patent"
    PERFORMANCE = "performance"
    PERIODICAL = "periodical"
    PERSONAL_COMMUNICATION = "personal-communication"  # personal_communication
    POST = "post"
    BLOG_POST = "blog-post"  # post-weblog
    REGULATION = "regulation"
    REPORT = "report"
    REVIEW = "review"
    BOOK_REVIEW = "book-review"  # review-book
    SOFTWARE = "software"
    SONG = "song"
    SPEECH = "speech"
    STANDARD = "standard"
    THESIS = "thesis"
    TREATY = "treaty"
    WEB_PAGE = "web-page"  # webpage
    # biblatex entry types with no CSL type of their own (biblatex manual, sec. 2.1)
    MV_BOOK = "mvbook"
    IN_BOOK = "inbook"
    BOOK_IN_BOOK = "bookinbook"
    SUPP_BOOK = "suppbook"
    COLLECTION = "collection"  # biblatex's: a book with an editor and contributions
    MV_COLLECTION = "mvcollection"
    SUPP_COLLECTION = "suppcollection"
    MANUAL = "manual"
    SUPP_PERIODICAL = "suppperiodical"
    PROCEEDINGS = "proceedings"
    MV_PROCEEDINGS = "mvproceedings"
    REFERENCE = "reference"
    MV_REFERENCE = "mvreference"
    SET = "set"
    XDATA = "xdata"
    MUSIC = "music"
    VIDEO = "video"
    COMMENTARY = "commentary"
    BIBNOTE = "bibnote"


#: every name list of a work, in the order the YAML writes them
NAME_ROLES: tuple[str, ...] = (
    "author", "editor", "translator", "chair", "collection_editor", "compiler", "composer",
    "container_author", "contributor", "curator", "director", "editorial_director",
    "editor_translator", "executive_producer", "guest", "host", "illustrator", "interviewer",
    "narrator", "organizer", "original_author", "performer", "producer", "recipient",
    "reviewed_author", "script_writer", "series_creator", "annotator", "commentator", "holder",
)

RelationKey = Annotated[str, Field(min_length=1)]
"""A key another record is known by in its source (``crossref``, ``xref``, ``xdata``, ``@set``
members), as written there."""


class Work(Kebab):
    """One work. Every field holds what the source states, and nothing else.

    Numbers (``volume``, ``issue``, ``pages``) are strings as printed: ``1 (19)`` is an issue.
    ``pages`` is the work's own page range; a cited page is a locator on the cite, never here.

    The fields are the union of what CSL 1.0.2 and the biblatex data model can say with a shared
    meaning (``docs/file-format.md`` lists each with its CSL variable and biblatex field); what
    only one format says, or says in a form these fields cannot repeat exactly, is kept in
    ``verbatim`` under that format's name and written back only to it.
    """

    key: RecordKey
    type: WorkType
    # titles
    title: MultiText | None = None
    title_short: str | None = None  # CSL title-short; biblatex shorttitle
    subtitle: str | None = None  # biblatex subtitle (CSL prints "title: subtitle")
    title_addon: str | None = None  # biblatex titleaddon
    main_title: MultiText | None = None  # biblatex maintitle: the multi-volume work's title
    volume_title: MultiText | None = None  # CSL volume-title
    volume_title_short: str | None = None
    part_title: str | None = None  # CSL part-title
    reviewed_title: str | None = None  # CSL reviewed-title
    reviewed_genre: str | None = None  # CSL reviewed-genre
    # names (CSL name variables; biblatex bookauthor = container-author)
    author: list[Person] = Field(default_factory=list)
    editor: list[Person] = Field(default_factory=list)
    translator: list[Person] = Field(default_factory=list)
    chair: list[Person] = Field(default_factory=list)
    collection_editor: list[Person] = Field(default_factory=list)
    compiler: list[Person] = Field(default_factory=list)
    composer: list[Person] = Field(default_factory=list)
    container_author: list[Person] = Field(default_factory=list)
    contributor: list[Person] = Field(default_factory=list)
    curator: list[Person] = Field(default_factory=list)
    director: list[Person] = Field(default_factory=list)
    editorial_director: list[Person] = Field(default_factory=list)
    editor_translator: list[Person] = Field(default_factory=list)
    executive_producer: list[Person] = Field(default_factory=list)
    guest: list[Person] = Field(default_factory=list)
    host: list[Person] = Field(default_factory=list)
    illustrator: list[Person] = Field(default_factory=list)
    interviewer: list[Person] = Field(default_factory=list)
    narrator: list[Person] = Field(default_factory=list)
    organizer: list[Person] = Field(default_factory=list)
    original_author: list[Person] = Field(default_factory=list)
    performer: list[Person] = Field(default_factory=list)
    producer: list[Person] = Field(default_factory=list)
    recipient: list[Person] = Field(default_factory=list)
    reviewed_author: list[Person] = Field(default_factory=list)
    script_writer: list[Person] = Field(default_factory=list)
    series_creator: list[Person] = Field(default_factory=list)
    # biblatex name lists with no CSL variable
    annotator: list[Person] = Field(default_factory=list)
    commentator: list[Person] = Field(default_factory=list)
    holder: list[Person] = Field(default_factory=list)  # a patent's holder
    # the container and the series
    container_title: MultiText | None = None
    container_title_short: str | None = None
    collection_title: MultiText | None = None
    collection_title_short: str | None = None
    collection_number: str | None = None  # CSL collection-number; biblatex number of a book
    language: LangTag | None = None
    # dates (CSL date variables; biblatex date, urldate, origdate, eventdate)
    issued: PartialDate | None = None
    accessed: PartialDate | None = None
    original_date: PartialDate | None = None
    event_date: PartialDate | None = None
    submitted: PartialDate | None = None
    available_date: PartialDate | None = None
    # numbers, as printed
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    page_first: str | None = None
    page_count: str | None = None  # CSL number-of-pages; biblatex pagetotal
    number_of_volumes: str | None = None  # CSL number-of-volumes; biblatex volumes
    number: str | None = None  # CSL number: a report's, a patent's, a standard's...
    chapter_number: str | None = None  # CSL chapter-number; biblatex chapter
    part_number: str | None = None  # CSL part-number; biblatex part
    supplement_number: str | None = None
    printing_number: str | None = None
    section: str | None = None
    edition: str | None = None
    version: str | None = None
    # publication and status
    publisher: str | None = None
    publisher_place: str | None = None
    original_publisher: str | None = None  # biblatex origpublisher
    original_publisher_place: str | None = None  # biblatex origlocation
    genre: str | None = None
    status: str | None = None  # CSL status; biblatex pubstate
    authority: str | None = None
    jurisdiction: str | None = None
    division: str | None = None
    medium: str | None = None
    dimensions: str | None = None
    scale: str | None = None
    source: str | None = None
    references: str | None = None
    # the event a work belongs to
    event_title: str | None = None  # CSL event-title (CSL 1.0.1's event); biblatex eventtitle
    event_place: str | None = None  # CSL event-place; biblatex venue
    # archives and libraries
    archive: str | None = None
    archive_collection: str | None = None
    archive_location: str | None = None
    archive_place: str | None = None
    call_number: str | None = None
    citation_label: str | None = None  # CSL citation-label; biblatex label
    # identifiers
    doi: DOI | None = None
    url: URL | None = None
    isbn: list[ISBN] = Field(default_factory=list)
    issn: list[ISSN] = Field(default_factory=list)
    pmid: str | None = None
    pmcid: str | None = None
    eprint: str | None = None  # biblatex eprint (an arXiv id, a PubMed id...)
    eprint_type: str | None = None  # biblatex eprinttype (arxiv, pubmed, jstor...)
    eprint_class: str | None = None  # biblatex eprintclass (arXiv's primary class)
    # about the work
    abstract: str | None = None
    license: str | None = None
    # the copyright or rights statement as printed ("Copyright (c) 2004 Author")
    rights: str | None = None
    keywords: list[str] = Field(default_factory=list)
    note: str | None = None
    annotation: Annotation | None = None
    # relations to other records, as written in the source (biblatex inheritance)
    crossref: RelationKey | None = None
    xref: RelationKey | None = None
    xdata: list[RelationKey] = Field(default_factory=list)
    entryset: list[RelationKey] = Field(default_factory=list)  # an @set's members, in order
    # what a format says that these fields cannot hold, per format, as written
    verbatim: Verbatim | None = None
    annobib_ignore: Ignores | None = None

    @field_validator(
        "volume", "issue", "pages", "page_count", "edition", "number", "number_of_volumes",
        "collection_number", "chapter_number", "part_number", "supplement_number",
        "printing_number", "page_first", "section", "version", mode="before",
    )
    @classmethod
    def _numbers_as_text(cls, v: Any) -> Any:
        # YAML writers sometimes leave numbers unquoted; a number is still text as printed.
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        return v

    @field_validator("author", "editor", "translator", "isbn", "issn", "keywords", "xdata",
                     "entryset", *NAME_ROLES[3:], mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def first_author(self) -> Person | None:
        return self.author[0] if self.author else None

    def title_text(self) -> str:
        return self.title.text if self.title else ""
