"""Offline checks across records and files. Stable codes (A2xx); no network, ever."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from annobib.findings import Finding, Location, Severity
from annobib.model.library import Library, LoadedDocument


def run(
    library: Library, *, today: _dt.date | None = None, failed: frozenset[str] = frozenset()
) -> list[Finding]:
    """All lint findings for ``library``, in file order. ``failed``: keys of records that did
    not load (their definitions still count: a key defined again after a bad record is a
    duplicate, not a silent replacement)."""
    today = today or _dt.date.today()
    out: list[Finding] = []
    out.extend(_duplicate_keys(library, failed))
    out.extend(_dangling_refs(library))
    for loaded in library.documents:
        out.extend(_numbering(loaded))
        out.extend(_date_rules(loaded, today))
    return out


def _duplicate_keys(library: Library, failed: frozenset[str]) -> Iterator[Finding]:
    seen: set[str] = set()
    dups: set[str] = set()
    for loaded in library.documents:
        for key in loaded.defined_keys():
            (dups if key in seen else seen).add(key)
    dups |= failed & seen  # a bad record and a good one of the same key
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
    summary = loaded.summary
    owner = summary.article
    for name, numbers in (
        ("references", summary.reference_numbers),
        ("footnotes", summary.footnote_numbers),
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


def _date_rules(loaded: LoadedDocument, today: _dt.date) -> Iterator[Finding]:
    now = (today.year, today.month, today.day)
    for dated in loaded.summary.dates:
        key, accessed, accessed_at = dated.key, dated.accessed, dated.accessed_at
        issued, issued_year = dated.issued, dated.issued_year
        if accessed is not None and accessed_at is not None:
            if accessed_at > now:
                yield Finding(
                    "A204",
                    Severity.ERROR,
                    f"access date {accessed} is in the future (today is {today.isoformat()})",
                    loaded.locate(key, "accessed"),
                    key=key,
                    field="accessed",
                )
            if not dated.has_url:
                yield Finding(
                    "A205",
                    Severity.WARNING,
                    "an access date without a URL: what was accessed?",
                    loaded.locate(key, "accessed"),
                    key=key,
                    field="accessed",
                )
            if issued_year is not None and accessed_at[0] < issued_year:
                yield Finding(
                    "A206",
                    Severity.WARNING,
                    f"accessed {accessed} before it was issued ({issued})",
                    loaded.locate(key, "accessed"),
                    key=key,
                    field="accessed",
                )
        if issued_year is not None and issued_year > today.year + 1:
            yield Finding(
                "A207",
                Severity.WARNING,
                f"issued {issued}, more than a year from now",
                loaded.locate(key, "issued"),
                key=key,
                field="issued",
            )
