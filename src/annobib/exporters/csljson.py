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

from annobib.exporters.base import ExportOptions, ExportResult, selected_works
from annobib.findings import Finding, Severity
from annobib.model.crosswalk import CSL_PERSON_DETAILS, csl_type, is_lossy
from annobib.model.library import Library
from annobib.model.person import Person
from annobib.model.record import Work
from annobib.model.values import MultiText, PartialDate

_SEASON = {"spring": 1, "summer": 2, "autumn": 3, "winter": 4}


def csl_date(d: PartialDate) -> dict[str, Any]:
    out: dict[str, Any] = {"date-parts": [d.parts()]}
    if d.season is not None:
        out["season"] = _SEASON[d.season]
    return out


def csl_name(p: Person) -> dict[str, str]:
    if p.literal is not None:
        return {"literal": p.literal}
    out = {"family": str(p.family)}
    first = p.first_names()
    if first:
        out["given"] = first
    return out


def _text_custom(text: MultiText) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if text.lang:
        out["lang"] = text.lang
    if text.printed:
        out["printed"] = text.printed
    for name in ("original", "translated", "transliterated"):
        v = getattr(text, name)
        if v is not None:
            out[name] = {"text": v.text, **({"lang": v.lang} if v.lang else {})}
    return out


def work_to_csl(work: Work, *, reference_count: int | None = None) -> dict[str, Any]:
    """One CSL-JSON item for ``work``."""
    item: dict[str, Any] = {"id": work.key, "type": csl_type(work.type)}
    custom: dict[str, Any] = {}
    if work.title is not None:
        item["title"] = work.title.text
        if work.title.original is not None:
            item["original-title"] = work.title.original.text
        extra = _text_custom(work.title)
        if extra:
            custom["title"] = extra
    for role in ("author", "editor", "translator"):
        people: list[Person] = getattr(work, role)
        if people:
            item[role] = [csl_name(p) for p in people]
            details = [_person_custom(p) for p in people]
            if any(details):
                custom[f"{role}-details"] = details
    if work.container_title is not None:
        item["container-title"] = work.container_title.text
        extra = _text_custom(work.container_title)
        if extra:
            custom["container-title"] = extra
    if work.container_title_short:
        item["container-title-short"] = work.container_title_short
    if work.collection_title is not None:
        item["collection-title"] = work.collection_title.text
    if work.language:
        item["language"] = work.language
    if work.issued is not None:
        item["issued"] = csl_date(work.issued)
    if work.accessed is not None:
        item["accessed"] = csl_date(work.accessed)
    simple = (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
        ("page_count", "number-of-pages"),
        ("edition", "edition"),
        ("publisher", "publisher"),
        ("publisher_place", "publisher-place"),
        ("genre", "genre"),
        ("doi", "DOI"),
        ("url", "URL"),
        ("abstract", "abstract"),
        ("note", "note"),
    )
    for attr, var in simple:
        value = getattr(work, attr)
        if value:
            item[var] = value
    if work.isbn:
        item["ISBN"] = " ".join(work.isbn)
    if work.issn:
        item["ISSN"] = " ".join(work.issn)
    if work.keywords:
        item["keyword"] = ", ".join(work.keywords)
    if work.license:
        custom["license"] = work.license
    if work.rights:
        custom["rights"] = work.rights
    if work.annotation is not None and not work.annotation.is_empty():
        parts = [work.annotation.summary, work.annotation.evaluation, work.annotation.relevance]
        text = "\n\n".join(p for p in parts if p)
        if text:
            item["annote"] = text
        custom["annotation"] = work.annotation.model_dump(
            mode="json", by_alias=True, exclude_defaults=True
        )
    if reference_count is not None:
        custom["reference-count"] = reference_count
    if custom:
        item["custom"] = custom
    return item


def _person_custom(p: Person) -> dict[str, str]:
    out: dict[str, str] = {"initials": p.initials} if p.initials else {}
    csl_key = {label: key for key, label in CSL_PERSON_DETAILS.items()}
    for label, value in p.details().items():
        out[csl_key[label]] = value
    return out


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
    from annobib import workers

    with workers.gc_paused():
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
