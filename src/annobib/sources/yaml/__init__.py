"""annobib YAML files -> Library, reporting every problem with file, line and column.

One module per stage, each importing only those above it (``tests/test_stages.py``):

- ``write``: a document -> canonical YAML text, written atomically;
- ``errors``: pydantic's errors and the reader's findings -> ``file:line:col: key.field:``
  findings;
- ``positions``: where records, fields and ``ref:`` are written (:class:`SourceIndex`), and
  their plain form in the cache;
- ``validate``: one document's text -> a :class:`LoadedDocument`, record by record, so one bad
  record never hides the others;
- ``read``: files (or the cache) -> a :class:`LoadResult`.

This module only names what callers use; the code is in the stages.
"""

from __future__ import annotations

from annobib.sources.yaml.read import (
    YAML_SUFFIXES,
    LoadResult,
    cached_data,
    expand_paths,
    load_file,
    load_paths,
    read_records,
    store_positions,
)
from annobib.sources.yaml.validate import parse_document
from annobib.sources.yaml.write import document_data, dump_document, write_document

__all__ = [
    "YAML_SUFFIXES",
    "LoadResult",
    "cached_data",
    "document_data",
    "dump_document",
    "expand_paths",
    "load_file",
    "load_paths",
    "parse_document",
    "read_records",
    "store_positions",
    "write_document",
]
