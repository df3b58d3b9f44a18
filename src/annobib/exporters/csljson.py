"""CSL-JSON: the input format of every CSL processor (citeproc-js, pandoc, Zotero's import).

One item per work, ``id`` = record key. Fields without a CSL variable (licence, original-script
names, affiliations, translated/transliterated titles, an article's reference count) go under
``custom``, which the official schema allows, never into ``note`` (annotated styles print it).
Numbers stay strings (``"1 (19)"`` is an issue) as pandoc and citation.js need.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from annobib.exporters.base import (
    ExportOptions,
    ExportResult,
    other_formats_verbatim,
    selected_works,
)
from annobib.findings import Finding, Severity
from annobib.model import csl
from annobib.model.crosswalk import is_lossy
from annobib.model.library import Library
from annobib.model.person import Person
from annobib.model.record import Work
from annobib.model.values import PartialDate


def csl_date(d: PartialDate) -> dict[str, Any]:
    return csl.date_to_csl(d)


def csl_name(p: Person) -> dict[str, Any]:
    return csl.name_to_csl(p)


def work_to_csl(work: Work, *, reference_count: int | None = None) -> dict[str, Any]:
    """One CSL-JSON item for ``work`` (the crosswalk of ``model/csl.py``, with what the record
    keeps verbatim for CSL written back)."""
    item = csl.work_item(work)
    if reference_count is not None:
        custom = item.get("custom")
        item["custom"] = {**(custom if isinstance(custom, dict) else {}),
                          "reference-count": reference_count}
    return item


def _reference_counts(library: Library) -> dict[str, int]:
    """Each article's own reference count (numbered references plus footnotes)."""
    counts: dict[str, int] = {}
    for loaded in library.documents:
        doc = loaded.document
        if doc.article is not None:
            n = len(doc.references) + len(doc.footnotes)
            if n:
                counts[doc.article.key] = n
    return counts


def library_to_csl(library: Library, options: ExportOptions | None = None) -> list[dict[str, Any]]:
    options = options or ExportOptions()
    counts = _reference_counts(library)
    return [
        work_to_csl(w, reference_count=counts.get(w.key)) for w in selected_works(library, options)
    ]


def export(library: Library, options: ExportOptions) -> ExportResult:
    """The items, one per line; for a large library on two cores (see
    :func:`annobib.workers.map_chunks`), with the same text and findings."""
    from annobib import runtime, workers

    with runtime.gc_paused():
        counts = _reference_counts(library)
        works = selected_works(library, options)
        encode = _encoder()

        def chunk(
            part: Sequence[Work],
        ) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
            lines: list[str] = []
            untitled: list[str] = []
            lossy: list[tuple[str, str, str]] = []
            for w in part:
                item = work_to_csl(w, reference_count=counts.get(w.key))
                lines.append(encode(item))
                if "title" not in item and "container-title" not in item:
                    untitled.append(str(item["id"]))
                if is_lossy(w.type, "csl"):
                    lossy.append((str(item["id"]), w.type.value, str(item["type"])))
            return lines, untitled, lossy

        done = workers.map_chunks(works, chunk)
    lines = [line for part, _, _ in done for line in part]
    findings = [
        Finding(
            "A401",
            Severity.INFO,
            "no title: CSL styles will print what else the record has",
            library.origin(key),
            key=key,
            field="title",
        )
        for _, untitled, _ in done
        for key in untitled
    ]
    findings += [
        Finding(
            "A402",
            Severity.INFO,
            f"type {ours} exported as the CSL type {theirs}, which reads back as another type",
            library.origin(key),
            key=key,
            field="type",
        )
        for _, _, lossy in done
        for key, ours, theirs in lossy
    ]
    findings += [
        Finding("A402", Severity.INFO, f"not exported to CSL-JSON: kept as written for {fmt} "
                "and written back only there", library.origin(w.key), key=w.key, field=name)
        for w in works if w.verbatim
        for name, fmt in other_formats_verbatim(w, "csl")
    ]
    return ExportResult(_array(lines), findings)


def _encoder() -> Callable[[Any], str]:
    # json.dumps(indent=...) falls back to the pure-Python encoder (about 6 s for 20k items);
    # encoding item by item keeps the C encoder and still gives a diffable, line-per-record file
    return json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _array(lines: list[str]) -> str:
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


@cache
def _schema() -> dict[str, Any]:
    from importlib.resources import files

    loaded: dict[str, Any] = json.loads(
        files("annobib.schemas").joinpath("csl-data.json").read_text(encoding="utf-8")
    )
    return loaded


def schema_errors(items: list[dict[str, Any]]) -> list[str]:
    """Validate ``items`` against the vendored official CSL-JSON schema (needs ``jsonschema``)."""
    import jsonschema

    validator = jsonschema.Draft7Validator(_schema())
    return [
        f"{'/'.join(str(p) for p in err.absolute_path)}: {err.message}"
        for err in validator.iter_errors(items)
    ]
