"""Documents (one YAML file) and the Library (all documents loaded in one run)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from annobib.findings import Location
from annobib.model.record import Work
from annobib.model.references import Cite, Footnote, Reference
from annobib.model.values import Kebab

FORMAT_VERSION = 1


class Document(Kebab):
    """One YAML file: an article with its reference list, and/or standalone works.

    ``article`` is the citing article itself; ``cited-as`` the article's own citation line as
    printed ("For citations:", "How to Cite"). ``references`` (numbered) and ``footnotes`` are
    its reference list, in printed order. ``works`` holds records that are not part of an
    article's list (an imported library, for instance).
    """

    annobib: Literal[1] = 1
    article: Work | None = None
    cited_as: str | None = None
    references: list[Reference] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    works: list[Work] = Field(default_factory=list)

    def cites(self) -> Iterator[Cite]:
        for note in self.footnotes:
            yield from note.cites

    def inline_works(self) -> Iterator[Work]:
        """Every work defined in this file, in document order: article, list, standalone."""
        if self.article is not None:
            yield self.article
        for ref in self.references:
            if ref.work is not None:
                yield ref.work
        for cite in self.cites():
            if cite.work is not None:
                yield cite.work
        yield from self.works

    def cited_keys(self) -> list[str]:
        """Keys of the works the reference list cites, in list order, each once."""
        seen: dict[str, None] = {}
        for ref in self.references:
            seen.setdefault(ref.target_key, None)
        for cite in self.cites():
            seen.setdefault(cite.target_key, None)
        return list(seen)


@dataclass(slots=True)
class SourceIndex:
    """Where things are in a document's file: record definitions, ``ref:`` uses, fields."""

    #: the first definition of each record key
    origins: dict[str, Location] = field(default_factory=dict)
    #: every definition of a record key (duplicates included) and every ``ref:`` use, in order
    definitions: list[tuple[str, Location]] = field(default_factory=list)
    refs: list[tuple[str, Location]] = field(default_factory=list)
    #: where each top-level field of each record is written: (key, field) -> Location
    fields: dict[tuple[str, str], Location] = field(default_factory=dict)


@dataclass(slots=True)
class LoadedDocument:
    """A document with where it came from.

    Positions are computed only when asked for (a finding needs a line): ``indexer`` is given
    by the loader and called at most once, so loading valid files never pays for them.
    """

    path: str
    document: Document
    indexer: Callable[[], SourceIndex] | None = None
    _index: SourceIndex | None = None

    @property
    def index(self) -> SourceIndex:
        if self._index is None:
            self._index = self.indexer() if self.indexer is not None else SourceIndex()
        return self._index

    @property
    def origins(self) -> dict[str, Location]:
        return self.index.origins

    @property
    def definitions(self) -> list[tuple[str, Location]]:
        return self.index.definitions

    @property
    def refs(self) -> list[tuple[str, Location]]:
        return self.index.refs

    @property
    def fields(self) -> dict[tuple[str, str], Location]:
        return self.index.fields

    def defined_keys(self) -> list[str]:
        """Keys of the records this file defines (valid ones), in order; no positions needed."""
        return [w.key for w in self.document.inline_works()]

    def ref_keys(self) -> list[str]:
        doc = self.document
        out = [r.ref for r in doc.references if r.ref is not None]
        out.extend(c.ref for c in doc.cites() if c.ref is not None)
        return out

    def locate(self, key: str, field_name: str | None = None) -> Location:
        """Best position for ``key`` (and its ``field_name``), the file alone if unknown."""
        if field_name is not None:
            found = self.fields.get((key, field_name))
            if found is not None:
                return found
        return self.origins.get(key, Location(self.path))


@dataclass(slots=True)
class Library:
    """Everything loaded in one run: documents in the order given, records by key."""

    documents: list[LoadedDocument] = field(default_factory=list)

    def works(self) -> list[Work]:
        """Every distinct work: per document, the article, then what its list cites in list
        order, then standalone works. Each key once (the first definition)."""
        by_key = self.by_key()
        out: dict[str, Work] = {}
        for loaded in self.documents:
            doc = loaded.document
            if doc.article is not None:
                out.setdefault(doc.article.key, doc.article)
            for key in doc.cited_keys():
                if key in by_key:
                    out.setdefault(key, by_key[key])
            for w in doc.works:
                out.setdefault(w.key, w)
        return list(out.values())

    def by_key(self) -> dict[str, Work]:
        out: dict[str, Work] = {}
        for loaded in self.documents:
            for w in loaded.document.inline_works():
                out.setdefault(w.key, w)
        return out

    def origin(self, key: str, field: str | None = None) -> Location | None:
        """Where record ``key`` (or its ``field``, kebab-case, when written) is in its file."""
        for loaded in self.documents:
            if key in loaded.defined_keys():
                return loaded.locate(key, field)
        return None

    def articles(self) -> list[Work]:
        return [d.document.article for d in self.documents if d.document.article is not None]

    def counts(self) -> dict[str, int]:
        return {
            "files": len(self.documents),
            "articles": len(self.articles()),
            "references": sum(len(d.document.references) for d in self.documents),
            "footnotes": sum(len(d.document.footnotes) for d in self.documents),
            "records": len(self.works()),
        }
