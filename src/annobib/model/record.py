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
)

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.\-]*$")
RecordKey = Annotated[str, Field(pattern=KEY_RE.pattern, min_length=1, max_length=120)]


class WorkType(StrEnum):
    """The kind of work. The crosswalk (``model/crosswalk.py``) maps each to CSL, BibTeX, RIS."""

    JOURNAL_ARTICLE = "journal-article"
    MAGAZINE_ARTICLE = "magazine-article"
    NEWSPAPER_ARTICLE = "newspaper-article"
    BOOK = "book"
    CHAPTER = "chapter"
    CONFERENCE_PAPER = "conference-paper"
    WEB_PAGE = "web-page"
    REPORT = "report"
    THESIS = "thesis"
    TREATY = "treaty"
    LEGISLATION = "legislation"
    DATASET = "dataset"
    MISC = "misc"


class Work(Kebab):
    """One work. Every field holds what the source states, and nothing else.

    Numbers (``volume``, ``issue``, ``pages``) are strings as printed: ``1 (19)`` is an issue.
    ``pages`` is the work's own page range; a cited page is a locator on the cite, never here.
    """

    key: RecordKey
    type: WorkType
    title: MultiText | None = None
    author: list[Person] = Field(default_factory=list)
    editor: list[Person] = Field(default_factory=list)
    translator: list[Person] = Field(default_factory=list)
    container_title: MultiText | None = None
    container_title_short: str | None = None
    collection_title: MultiText | None = None
    language: LangTag | None = None
    issued: PartialDate | None = None
    accessed: PartialDate | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    page_count: str | None = None
    edition: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    genre: str | None = None
    doi: DOI | None = None
    url: URL | None = None
    isbn: list[ISBN] = Field(default_factory=list)
    issn: list[ISSN] = Field(default_factory=list)
    abstract: str | None = None
    license: str | None = None
    # the copyright or rights statement as printed ("Copyright (c) 2004 Author")
    rights: str | None = None
    keywords: list[str] = Field(default_factory=list)
    note: str | None = None
    annotation: Annotation | None = None
    annobib_ignore: Ignores | None = None

    @field_validator("volume", "issue", "pages", "page_count", "edition", mode="before")
    @classmethod
    def _numbers_as_text(cls, v: Any) -> Any:
        # YAML writers sometimes leave numbers unquoted; a number is still text as printed.
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        return v

    @field_validator("author", "editor", "translator", "isbn", "issn", "keywords", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def first_author(self) -> Person | None:
        return self.author[0] if self.author else None

    def title_text(self) -> str:
        return self.title.text if self.title else ""
