"""Library → text. One module per format, each with ``export(library, options) -> ExportResult``.

Modules are imported only when their format is asked for, so ``annobib --help`` stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from annobib.exporters.base import ExportOptions, ExportResult
from annobib.model.library import Library

# format name -> module implementing it
FORMATS: dict[str, str] = {
    "csljson": "annobib.exporters.csljson",
}

ExportFn = Callable[[Library, ExportOptions], ExportResult]


def get_exporter(name: str) -> ExportFn:
    module = importlib.import_module(FORMATS[name])
    return cast(ExportFn, module.export)


def export(library: Library, to: str, options: ExportOptions | None = None) -> ExportResult:
    return get_exporter(to)(library, options or ExportOptions())


__all__ = ["FORMATS", "ExportOptions", "ExportResult", "export", "get_exporter"]
