"""A manuscript against the library: keys cited but missing (errors, located in the document)
and works in the library the document does not cite (info)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from annobib.findings import Finding, Location, Severity
from annobib.model.library import Library
from annobib.sources.citations import Citation

MISSING = "A601"
NOT_CITED = "A602"


@dataclass(slots=True)
class Cited:
    """What the documents cite, in citation order (each key once), and the findings."""

    keys: list[str] = field(default_factory=list)
    everything: bool = False  # \nocite{*}
    findings: list[Finding] = field(default_factory=list)


def compare(citations: Sequence[Citation], library: Library, *,
            not_cited: bool = True) -> Cited:
    known = library.by_key()
    out = Cited()
    seen: dict[str, None] = {}
    for c in citations:
        if c.key == "*":
            out.everything = True
            continue
        if c.key not in known:
            close = difflib.get_close_matches(c.key, list(known), n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.findings.append(Finding(MISSING, Severity.ERROR,
                                        f"cited but not in the library{hint}",
                                        Location(c.file, c.line, c.col), key=c.key))
            continue
        seen.setdefault(c.key, None)
    out.keys = list(seen)
    if out.everything:
        out.keys.extend(k for k in (w.key for w in library.works()) if k not in seen)
    elif not_cited:
        for w in library.works():
            if w.key not in seen:
                out.findings.append(Finding(NOT_CITED, Severity.INFO,
                                            "in the library but not cited",
                                            library.origin(w.key), key=w.key))
    return out
