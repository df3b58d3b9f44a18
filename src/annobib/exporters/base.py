"""What every exporter takes and gives. One module per format; see ``FORMATS``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annobib.findings import Finding
from annobib.model.library import Library
from annobib.model.record import Work

if TYPE_CHECKING:
    from annobib.styles import Formatter


@dataclass(slots=True)
class ExportOptions:
    """Options an exporter may read; each ignores those that do not apply to its format."""

    ascii: bool = False
    style: str | None = None
    locale: str | None = None
    annotated: bool = False
    notes: bool = False
    keys: list[str] | None = None
    # export the keys in the order given (citation order, export --cited-in), not library order
    in_key_order: bool = False
    # Formatted exports: warm engines to use (and leave open) instead of a one-off set; the CLI
    # passes one it started early with Formatter.prepare.
    formatter: Formatter | None = None


@dataclass(slots=True)
class ExportResult:
    """The exported text and what was lost or doubtful on the way (warnings name record+field)."""

    text: str
    findings: list[Finding] = field(default_factory=list)


#: the record fields every exporter has written (or reported) since before the model took in
#: all of CSL 1.0.2 and biblatex; ``wider_fields`` names the others a record has
_FIELDS_BEFORE_WIDENING = frozenset((
    "key", "type", "title", "author", "editor", "translator", "container_title",
    "container_title_short", "collection_title", "language", "issued", "accessed", "volume",
    "issue", "pages", "page_count", "edition", "publisher", "publisher_place", "genre", "doi",
    "url", "isbn", "issn", "abstract", "license", "rights", "keywords", "note", "annotation",
    "annobib_ignore",
))


def wider_fields(work: Work, handled: frozenset[str] = frozenset()) -> list[str]:
    """The kebab-case names of ``work``'s fields that an exporter handling the older fields
    and ``handled`` does not write: it reports them as lost, never drops them silently."""
    out = []
    for name in work.model_fields_set:
        if name in _FIELDS_BEFORE_WIDENING or name in handled:
            continue
        value = getattr(work, name)
        if value is None or value == [] or value == "" or value == {}:
            continue
        if name == "verbatim" and not (set(value) - {"csl"}):
            continue  # what is kept for CSL is CSL-JSON's alone
        out.append(name.replace("_", "-"))
    return sorted(out)


def selected_works(library: Library, options: ExportOptions) -> list[Work]:
    """The works to export, in library order, optionally restricted to ``options.keys``."""
    works = library.works()
    if options.keys is None:
        return works
    if options.in_key_order:
        by_key = {w.key: w for w in works}
        return [by_key[k] for k in dict.fromkeys(options.keys) if k in by_key]
    wanted = set(options.keys)
    return [w for w in works if w.key in wanted]


def other_formats_verbatim(work: Work, own: str) -> list[tuple[str, str]]:
    """(field, format) of what the record keeps as written for formats other than ``own``
    (``verbatim``): each is reported as not exported (A402, info), as any field the target
    cannot hold."""
    if not work.verbatim:
        return []
    # biblatex's "@FIELD" (a field given as @string macros) is FIELD; "@string NAME" (a macro
    # the record's fields use) is part of that field, not one of its own (codecs/bibstrings.py)
    return [(f"verbatim.{fmt}.{name.removeprefix('@')}", fmt)
            for fmt, fields in work.verbatim.items()
            if fmt != own for name in fields if not name.startswith("@string ")]
