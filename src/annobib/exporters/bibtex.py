"""Classic BibTeX export (``bibtex`` + ``.bst`` styles such as ``plain``).

The same builder as BibLaTeX with BibTeX's field names (``journal``, ``address``, ``school``,
``year``/``month`` macros, ``annote``). Fields classic styles do not print (``doi``, ``url``,
``urldate``, ``language``, ``abstract``) are still written: styles ignore unknown fields and
other tools (natbib styles, JabRef, Zotero) read them. See ``docs/formats/bibtex.md``.
"""

from __future__ import annotations

from annobib.exporters.base import ExportOptions, ExportResult
from annobib.exporters.biblatex import export_with
from annobib.model.library import Library


def export(library: Library, options: ExportOptions) -> ExportResult:
    return export_with(library, options, "bibtex")
