"""Library → text. One module per format, each with ``export(library, options) -> ExportResult``.

Modules are imported only when their format is asked for, so ``annobib --help`` stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from annobib.exporters.base import ExportOptions, ExportResult
from annobib.model.library import Library

# format name -> module implementing it ("module:function" when one module serves several)
FORMATS: dict[str, str] = {
    "csljson": "annobib.exporters.csljson",
    "bibtex": "annobib.exporters.bibtex",
    "biblatex": "annobib.exporters.biblatex",
    "ris": "annobib.exporters.ris",
    # formatted output in a CSL style (one module, one function per format)
    "text": "annobib.exporters.formatted:export_text",
    "html": "annobib.exporters.formatted:export_html",
    "markdown": "annobib.exporters.formatted:export_markdown",
    "rtf": "annobib.exporters.formatted:export_rtf",
}

ExportFn = Callable[[Library, ExportOptions], ExportResult]


def get_exporter(name: str) -> ExportFn:
    module_name, _, function = FORMATS[name].partition(":")
    module = importlib.import_module(module_name)
    return cast(ExportFn, getattr(module, function or "export"))


def export(library: Library, to: str, options: ExportOptions | None = None) -> ExportResult:
    return get_exporter(to)(library, options or ExportOptions())


__all__ = ["FORMATS", "ExportOptions", "ExportResult", "export", "get_exporter"]
