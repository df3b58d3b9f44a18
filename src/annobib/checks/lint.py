"""Offline checks across records and files. Stable codes (A2xx); no network, ever."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from annobib.findings import Finding, Location, Severity
from annobib.model.library import Library, LoadedDocument
from annobib.model.record import Work


def run(library: Library, *, today: _dt.date | None = None) -> list[Finding]:
    """All lint findings for ``library``, in file order."""
    today = today or _dt.date.today()
    out: list[Finding] = []
    out.extend(_duplicate_keys(library))
    out.extend(_dangling_refs(library))
    for loaded in library.documents:
        out.extend(_numbering(loaded))
        for work in loaded.document.inline_works():
            out.extend(_work_rules(work, loaded, today))
    return out


def _duplicate_keys(library: Library) -> Iterator[Finding]:
    seen: set[str] = set()
    dups: set[str] = set()
    for loaded in library.documents:
        for key in loaded.defined_keys():
            (dups if key in seen else seen).add(key)
    if not dups:
        return  # the common case: no positions needed
    first: dict[str, Location] = {}
    for loaded in library.documents:
        for key, loc in loaded.definitions:
            if key not in dups:
                continue
            if key in first:
                prev = first[key]
                yield Finding(
                    "A201",
                    Severity.ERROR,
                    f"duplicate record key '{key}' (first defined at {prev}); "
                    "cite it with 'ref: " + key + "' instead of defining it again",
                    loc,
                    key=key,
                    field="key",
                )
            else:
                first[key] = loc


def _dangling_refs(library: Library) -> Iterator[Finding]:
    known = {key for loaded in library.documents for key in loaded.defined_keys()}
    if all(key in known for loaded in library.documents for key in loaded.ref_keys()):
        return  # the common case: no positions needed
    # a record that failed validation is reported already; a ref to it is not dangling
    known |= {key for loaded in library.documents for key, _ in loaded.definitions}
    for loaded in library.documents:
        for key, loc in loaded.refs:
            if key not in known:
                yield Finding(
                    "A202",
                    Severity.ERROR,
                    f"'ref: {key}' points to no record in the files loaded",
                    loc,
                    field="ref",
                )


def _numbering(loaded: LoadedDocument) -> Iterator[Finding]:
    doc = loaded.document
    owner = doc.article.key if doc.article else None
    for name, numbers in (
        ("references", [r.n for r in doc.references]),
        ("footnotes", [f.n for f in doc.footnotes]),
    ):
        if numbers and numbers != list(range(1, len(numbers) + 1)):
            yield Finding(
                "A203",
                Severity.WARNING,
                f"{name} are not numbered 1..{len(numbers)} in order (found {_runs(numbers)})",
                loaded.locate(owner, name) if owner else Location(loaded.path),
                key=owner,
                field=name,
            )


def _runs(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:12])
    return shown + (", ..." if len(numbers) > 12 else "")


def _work_rules(work: Work, loaded: LoadedDocument, today: _dt.date) -> Iterator[Finding]:
    def at(name: str) -> Location:
        return loaded.locate(work.key, name)

    if work.accessed is not None:
        acc = work.accessed.sort_tuple()
        if acc > (today.year, today.month, today.day):
            yield Finding(
                "A204",
                Severity.ERROR,
                f"access date {work.accessed} is in the future (today is {today.isoformat()})",
                at("accessed"),
                key=work.key,
                field="accessed",
            )
        if work.url is None:
            yield Finding(
                "A205",
                Severity.WARNING,
                "an access date without a URL: what was accessed?",
                at("accessed"),
                key=work.key,
                field="accessed",
            )
        if work.issued is not None and work.accessed.year < work.issued.year:
            yield Finding(
                "A206",
                Severity.WARNING,
                f"accessed {work.accessed} before it was issued ({work.issued})",
                at("accessed"),
                key=work.key,
                field="accessed",
            )
    if work.issued is not None and work.issued.year > today.year + 1:
        yield Finding(
            "A207",
            Severity.WARNING,
            f"issued {work.issued}, more than a year from now",
            at("issued"),
            key=work.key,
            field="issued",
        )
