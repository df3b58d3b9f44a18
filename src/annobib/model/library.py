"""Documents (one YAML file) and the Library (all documents loaded in one run)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from pydantic import Field

from annobib.findings import Location
from annobib.model.ignore import Ignores
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
    annobib_ignore: Ignores | None = None

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


class Dated(NamedTuple):
    """A record's dates as the date rules read them (:mod:`annobib.checks.lint`)."""

    key: str
    accessed: str | None  # ISO date as written
    accessed_at: tuple[int, int, int] | None  # (year, month, day), for comparing
    issued: str | None  # ISO date as written
    issued_year: int | None
    has_url: bool


@dataclass(slots=True)
class DocumentSummary:
    """What the offline rules and the counts need from a document, as plain values.

    Computed from the validated document, or read back from the cache, so ``annobib validate``
    on unchanged files never builds the models.
    """

    article: str | None
    defined: list[str]  # keys of the valid records, in document order
    ref_keys: list[str]  # every ``ref:`` target
    cited: list[str]  # what the reference list cites, in list order, each once
    standalone: list[str]  # keys under ``works:``
    reference_numbers: list[int]
    footnote_numbers: list[int]
    dates: list[Dated]  # the records with an access or an issue date
    # annobib-ignore: record key (or "" for the whole document) -> {code or prefix: reason}
    ignores: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document) -> DocumentSummary:
        dates: list[Dated] = []
        for w in doc.inline_works():
            if w.accessed is not None or w.issued is not None:
                dates.append(
                    Dated(
                        w.key,
                        w.accessed.iso() if w.accessed else None,
                        w.accessed.sort_tuple() if w.accessed else None,
                        w.issued.iso() if w.issued else None,
                        w.issued.year if w.issued else None,
                        w.url is not None,
                    )
                )
        ignores = {w.key: dict(w.annobib_ignore) for w in doc.inline_works() if w.annobib_ignore}
        if doc.annobib_ignore:
            ignores[""] = dict(doc.annobib_ignore)
        ref_keys = [r.ref for r in doc.references if r.ref is not None]
        ref_keys.extend(c.ref for c in doc.cites() if c.ref is not None)
        return cls(
            article=doc.article.key if doc.article else None,
            defined=[w.key for w in doc.inline_works()],
            ref_keys=ref_keys,
            cited=doc.cited_keys(),
            standalone=[w.key for w in doc.works],
            reference_numbers=[r.n for r in doc.references],
            footnote_numbers=[f.n for f in doc.footnotes],
            dates=dates,
            ignores=ignores,
        )

    def to_plain(self) -> tuple[Any, ...]:
        return (
            self.article,
            self.defined,
            self.ref_keys,
            self.cited,
            self.standalone,
            self.reference_numbers,
            self.footnote_numbers,
            [list(d) for d in self.dates],
            self.ignores,
        )

    @classmethod
    def from_plain(cls, value: Any) -> DocumentSummary:
        article, defined, ref_keys, cited, standalone, refs, notes, dates, ignores = value
        return cls(
            article,
            list(defined),
            list(ref_keys),
            list(cited),
            list(standalone),
            list(refs),
            list(notes),
            [Dated(k, a, tuple(at) if at else None, i, iy, u) for k, a, at, i, iy, u in dates],
            {k: dict(v) for k, v in ignores.items()},
        )


class RecordsNotRead(LookupError):
    """A document's records were asked for, but the load was told not to read them
    (``load(records=False)``, what ``validate`` needs): a model never reads a file itself."""


class LoadedDocument:
    """A document with where it came from.

    Its ``summary`` (what the offline rules and the counts need, as plain values) is always
    there; its ``document`` (the records) whenever the load read them, which a loader does
    explicitly (:func:`annobib.sources.yaml.load_paths`, ``records=True``: every caller but
    ``validate``). Its positions (``index``) are worked out by ``indexer`` the first time a
    finding needs one, from what the loader read and kept in memory (the file's text, marks
    noted while reading it, or the positions the cache held): reading a property never touches
    a file.
    """

    __slots__ = ("_document", "_index", "_summary", "indexer", "path")

    def __init__(
        self,
        path: str,
        document: Document | None = None,
        indexer: Callable[[], SourceIndex] | None = None,
        *,
        summary: DocumentSummary | None = None,
    ) -> None:
        if document is None and summary is None:
            raise ValueError("a LoadedDocument needs a document or its summary")
        self.path = path
        self._document = document
        self.indexer = indexer
        self._index: SourceIndex | None = None
        self._summary = summary

    def attach(self, document: Document) -> None:
        """The records, read by a loader after the summary
        (:func:`annobib.sources.yaml.read_records`)."""
        self._document = document

    @property
    def has_document(self) -> bool:
        return self._document is not None

    def __repr__(self) -> str:
        return f"LoadedDocument({self.path!r})"

    @property
    def document(self) -> Document:
        if self._document is None:
            raise RecordsNotRead(f"{self.path}: its records were not read (load with records=True)")
        return self._document

    @property
    def summary(self) -> DocumentSummary:
        if self._summary is None:
            self._summary = DocumentSummary.of(self.document)
        return self._summary

    @property
    def has_index(self) -> bool:
        """Whether the positions were given or worked out already."""
        return self._index is not None

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
        return self.summary.defined

    def ref_keys(self) -> list[str]:
        return self.summary.ref_keys

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
    # key -> the document defining it, built on first use (with the document count it saw)
    _owners: tuple[int, dict[str, LoadedDocument]] | None = field(
        default=None, repr=False, compare=False
    )

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
        owners = self._owners
        if owners is None or owners[0] != len(self.documents):
            table: dict[str, LoadedDocument] = {}
            for loaded in self.documents:
                for k in loaded.defined_keys():
                    table.setdefault(k, loaded)
            owners = self._owners = (len(self.documents), table)
        owner = owners[1].get(key)
        return owner.locate(key, field) if owner is not None else None

    def articles(self) -> list[Work]:
        return [d.document.article for d in self.documents if d.document.article is not None]

    def counts(self) -> dict[str, int]:
        """Files, articles, references, footnotes and distinct records, from the summaries."""
        summaries = [d.summary for d in self.documents]
        defined = {k for s in summaries for k in s.defined}
        records: set[str] = set()
        for s in summaries:
            if s.article is not None:
                records.add(s.article)
            records.update(k for k in s.cited if k in defined)
            records.update(s.standalone)
        return {
            "files": len(self.documents),
            "articles": sum(1 for s in summaries if s.article is not None),
            "references": sum(len(s.reference_numbers) for s in summaries),
            "footnotes": sum(len(s.footnote_numbers) for s in summaries),
            "records": len(records),
        }
