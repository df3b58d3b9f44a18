"""Library → text. One module per format, each with ``export(library, options) -> ExportResult``.

Every format is one :class:`Format` in :data:`FORMATS`: its name, where its function lives,
and what it needs of the run around it (source positions, a load shared with a forked
worker, its own line ends, a CSL style engine). The command line reads those attributes and
names no format, so a new format is its own module plus one :func:`register` line here
(``docs/architecture.md``, "Adding an export format").

Modules are imported only when their format is asked for, and this package imports nothing
heavy itself (the model is imported by the exporter), so ``annobib --help`` stays fast and
``annobib export`` can start the style engine before the model is imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from annobib.exporters.base import ExportOptions, ExportResult
    from annobib.model.library import Library

ExportFn = Callable[["Library", "ExportOptions"], "ExportResult"]


@dataclass(frozen=True, slots=True)
class Format:
    """One export format and what it needs; the attributes are all the CLI knows of it.

    ``target`` is ``"module"`` (its ``export`` function) or ``"module:function"``.
    ``positions``: the loader keeps each field's source position, because the exporter names
    what a record loses at its place. ``shares_load``: the exporter runs beside a forked
    worker, which may store a cold load's records in the cache meanwhile
    (:func:`annobib.runtime.later`). ``newline``: how a written file's line ends are
    translated (``None`` the platform's, ``""`` untouched: the text carries its own).
    ``styled``: output formatted in a CSL style, so the style engine is started early.
    """

    name: str
    target: str
    positions: bool = False
    shares_load: bool = False
    newline: str | None = None
    styled: bool = False

    def exporter(self) -> ExportFn:
        module_name, _, function = self.target.partition(":")
        return cast(ExportFn, getattr(importlib.import_module(module_name), function or "export"))


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to :data:`FORMATS` (a later registration of the same name replaces it)."""
    FORMATS[fmt.name] = fmt
    return fmt


register(Format("csljson", "annobib.exporters.csljson", shares_load=True))
register(Format("bibtex", "annobib.exporters.bibtex", positions=True, shares_load=True))
register(Format("biblatex", "annobib.exporters.biblatex", positions=True, shares_load=True))
register(Format("ris", "annobib.exporters.ris", positions=True, newline=""))  # CRLF, per RIS
# formatted output in a CSL style (one module, one function per format)
register(Format("text", "annobib.exporters.formatted:export_text", styled=True))
register(Format("html", "annobib.exporters.formatted:export_html", styled=True))
register(Format("markdown", "annobib.exporters.formatted:export_markdown", styled=True))
register(Format("rtf", "annobib.exporters.formatted:export_rtf", styled=True))


def get_exporter(name: str) -> ExportFn:
    return FORMATS[name].exporter()


def export(library: Library, to: str, options: ExportOptions | None = None) -> ExportResult:
    from annobib.exporters.base import ExportOptions

    return get_exporter(to)(library, options or ExportOptions())


def __getattr__(name: str) -> Any:
    # ExportOptions and ExportResult are re-exported lazily: importing the registry must not
    # import the model
    if name in ("ExportOptions", "ExportResult"):
        from annobib.exporters import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FORMATS", "ExportOptions", "ExportResult", "Format", "export", "get_exporter",
           "register"]
