"""The record model: pure pydantic types, no I/O."""

from annobib.model.annotation import Annotation
from annobib.model.library import Document, Library, LoadedDocument
from annobib.model.person import Person
from annobib.model.record import Work, WorkType
from annobib.model.references import Cite, Footnote, FootnoteKind, Locator, Reference
from annobib.model.values import LangText, MultiText, PartialDate

__all__ = [
    "Annotation",
    "Cite",
    "Document",
    "Footnote",
    "FootnoteKind",
    "LangText",
    "Library",
    "LoadedDocument",
    "Locator",
    "MultiText",
    "PartialDate",
    "Person",
    "Reference",
    "Work",
    "WorkType",
]
