"""Annotations: the "annotated" in annotated bibliography, kept apart from ``note``."""

from __future__ import annotations

from pydantic import Field

from annobib.model.values import Kebab, LangTag, PartialDate


class Annotation(Kebab):
    """A reader's annotation of a work.

    ``summary`` says what the work contains, ``evaluation`` judges it, ``relevance`` says why it
    matters to the annotator's project. ``tags`` are free keywords of the annotator's own (the
    work's own keywords live on the record). ``lang`` is the language the annotation is
    written in (a formatted page marks it where it differs from the page's).
    """

    summary: str | None = None
    evaluation: str | None = None
    relevance: str | None = None
    tags: list[str] = Field(default_factory=list)
    annotator: str | None = None
    date: PartialDate | None = None
    lang: LangTag | None = None

    def is_empty(self) -> bool:
        return not (self.summary or self.evaluation or self.relevance or self.tags)
