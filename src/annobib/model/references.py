"""Reference lists: numbered references (author-date/numeric journals) and footnotes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from annobib.model.record import RecordKey, Work
from annobib.model.values import Kebab


class LocatorLabel(StrEnum):
    """CSL's locator labels (the ones a humanities footnote uses)."""

    PAGE = "page"
    CHAPTER = "chapter"
    SECTION = "section"
    PARAGRAPH = "paragraph"
    VOLUME = "volume"
    ISSUE = "issue"
    FOLIO = "folio"
    LINE = "line"
    NOTE = "note"
    FIGURE = "figure"
    ARTICLE = "article"


class Locator(Kebab):
    """A pinpoint inside the cited work: ``{label: page, value: "160"}`` or ``"p. 160"``."""

    label: LocatorLabel = LocatorLabel.PAGE
    value: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"value": str(data)}
        if isinstance(data, str):
            return {"value": data}
        return data


class Cite(Kebab):
    """One citation inside a footnote or reference entry.

    The cited work is either given inline (``work``) or by key (``ref``) when it is cited
    more than once or lives elsewhere. ``signal`` is the introducing phrase as printed
    (``See:``, ``For more detail, see:``); ``locator`` the cited page(s).
    """

    signal: str | None = None
    work: Work | None = None
    ref: RecordKey | None = None
    locator: Locator | None = None
    prefix: str | None = None
    suffix: str | None = None
    # in a mixed footnote: the words of its `text` right after which this cite was printed
    # (they must occur once in the text); without it the cite stands at the end of the note
    after: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_target(self) -> Cite:
        if (self.work is None) == (self.ref is None):
            raise ValueError("a cite needs exactly one of 'work' (inline) or 'ref' (a record key)")
        return self

    @property
    def target_key(self) -> str:
        return self.work.key if self.work is not None else str(self.ref)


class Reference(Kebab):
    """An entry of a numbered reference list.

    ``source`` is the entry exactly as printed, its number included. ``work`` is the cited work
    (inline) or ``ref`` its key.
    """

    n: int = Field(ge=1)
    source: str = Field(min_length=1)
    work: Work | None = None
    ref: RecordKey | None = None
    locator: Locator | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Reference:
        if (self.work is None) == (self.ref is None):
            raise ValueError("a reference needs exactly one of 'work' (inline) or 'ref' (a key)")
        return self

    @property
    def target_key(self) -> str:
        return self.work.key if self.work is not None else str(self.ref)


class FootnoteKind(StrEnum):
    CITATION = "citation"
    COMMENTARY = "commentary"
    MIXED = "mixed"


class Footnote(Kebab):
    """A footnote: commentary text, citations, or both, in the order printed.

    ``source`` is the note exactly as printed. ``text`` is the author's own commentary (absent
    for a pure citation). ``cites`` are the works cited, in order. In a mixed note a cite's
    ``after`` gives the words of ``text`` it followed in print; without it the cite closes the
    note.
    """

    n: int = Field(ge=1)
    kind: FootnoteKind
    source: str = Field(min_length=1)
    text: str | None = None
    cites: list[Cite] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_matches(self) -> Footnote:
        if self.kind is FootnoteKind.COMMENTARY and self.cites:
            raise ValueError("a commentary footnote cites nothing; use kind 'mixed'")
        if self.kind is not FootnoteKind.COMMENTARY and not self.cites:
            raise ValueError(f"a '{self.kind.value}' footnote needs at least one cite")
        if self.kind is FootnoteKind.COMMENTARY and not self.text:
            raise ValueError("a commentary footnote needs its 'text'")
        last = -1
        for i, cite in enumerate(self.cites):
            if cite.after is None:
                continue
            if self.kind is not FootnoteKind.MIXED or not self.text:
                raise ValueError(f"cites[{i}].after: only a mixed note's cites stand in its text")
            count = self.text.count(cite.after)
            if count != 1:
                where = "is not in" if count == 0 else f"occurs {count} times in"
                raise ValueError(
                    f"cites[{i}].after: {cite.after!r} {where} the note's text"
                    + ("; give more of the words before the cite" if count else "")
                )
            end = self.text.index(cite.after) + len(cite.after)
            if end < last:
                raise ValueError(f"cites[{i}].after: the cites are out of printed order")
            last = end
        return self

    def cite_positions(self) -> list[int | None]:
        """Where each cite stood in ``text`` (offset just after its ``after`` words), or None
        for a cite at the end of the note."""
        out: list[int | None] = []
        for cite in self.cites:
            if cite.after is None or not self.text:
                out.append(None)
            else:
                out.append(self.text.index(cite.after) + len(cite.after))
        return out
