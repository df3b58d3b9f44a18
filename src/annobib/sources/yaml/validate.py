"""Validation: one document's text -> a :class:`LoadedDocument` and its findings.

Each record is validated on its own, so one bad record never hides the others: a broken
reference is reported and the rest of the file still loads.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from annobib import chars
from annobib.findings import Finding, Location, Severity
from annobib.model.library import Document, LoadedDocument
from annobib.model.record import Work
from annobib.model.references import Footnote, Reference
from annobib.sources.located import (
    Located,
    NeedsLocating,
    OddValues,
    Pos,
    RecordMarks,
    read_located,
    read_plain,
)
from annobib.sources.located import Path as NodePath
from annobib.sources.yaml.errors import key_of, map_errors, owned, subject
from annobib.sources.yaml.positions import Marked, indexer

_TOP_LISTS: dict[str, type[BaseModel]] = {
    "references": Reference,
    "footnotes": Footnote,
    "works": Work,
}


def parse_document(
    text: str, filename: str, *, positions: bool = False
) -> tuple[LoadedDocument | None, list[Finding]]:
    """Read and validate one document. With ``positions`` the reader notes where records and
    fields are written as it goes (findings will name lines); otherwise they are worked out
    when a finding first asks."""
    located: Located | None = None
    marks: RecordMarks | None = [] if positions else None
    odd: OddValues | None = [] if _MAY_HOLD_ODD.search(text) else None
    try:
        data = read_plain(text, marks, odd)  # the fast path
    except NeedsLocating:
        located = read_located(text, filename)
        data = located.data
        odd = None
    article_key = key_of(data.get("article")) if isinstance(data, dict) else None
    findings = [owned(f, data, article_key) for f in located.findings] if located else []

    def loc() -> Located:
        nonlocal located
        if located is None:
            located = read_located(text, filename)
        return located

    if data is None:
        if located is None or located.complete:
            findings.append(
                Finding("A107", Severity.ERROR, "the file is empty", Location(filename, 1, 1))
            )
        return None, findings
    if not isinstance(data, dict):
        findings.append(
            Finding(
                "A107",
                Severity.ERROR,
                "the top level must be a mapping (annobib: 1, article:, references:, ...)",
                Location(filename, 1, 1),
            )
        )
        return None, findings

    if odd is not None:
        findings.extend(_odd_values(data, _odd_found(odd), filename, article_key))
    elif located is not None and _MAY_HOLD_ODD.search(text):
        findings.extend(_odd_values(data, _odd_walk(data, located), filename, article_key))

    doc_fields: dict[str, Any] = {}
    for name, value in data.items():
        if name in _TOP_LISTS:
            continue
        doc_fields[name] = value
    version = doc_fields.get("annobib")
    if version is None:
        findings.append(
            Finding(
                "A108",
                Severity.ERROR,
                "missing 'annobib: 1' (the format version) at the top of the file",
                Location(filename, 1, 1),
            )
        )
        doc_fields["annobib"] = 1
    elif version != "1":
        pos = loc().where(("annobib",))
        findings.append(
            Finding(
                "A108",
                Severity.ERROR,
                f"unsupported format version {version!r}; this annobib reads version 1",
                Location(filename, *(pos or (1, 1))),
                field="annobib",
            )
        )
        return None, findings
    else:
        doc_fields["annobib"] = 1

    # the document's own fields (article, cited-as): validate without the lists
    try:
        doc = Document.model_validate(doc_fields)
    except ValidationError as exc:
        findings.extend(map_errors(exc, (), loc(), filename, data, article_key))
        # keep what is valid: retry without the article if it is the culprit
        keep = {k: v for k, v in doc_fields.items() if k in ("annobib",)}
        try:
            doc = Document.model_validate(keep)
        except ValidationError:  # pragma: no cover - annobib alone always validates
            return None, findings

    for list_name, model in _TOP_LISTS.items():
        items = data.get(list_name)
        if items is None:
            continue
        base: NodePath = (list_name,)
        if not isinstance(items, list):
            pos = loc().where(base) or (1, 1)
            findings.append(
                Finding(
                    "A110",
                    Severity.ERROR,
                    f"'{list_name}' must be a list",
                    Location(filename, *pos),
                    key=article_key,
                    field=list_name,
                )
            )
            continue
        good: list[Any] = []
        cut_short = located.open_paths if located is not None else set()
        for i, item in enumerate(items):
            if (*base, i) in cut_short:
                continue  # cut short by the syntax error already reported
            try:
                good.append(model.model_validate(item))
            except ValidationError as exc:
                findings.extend(map_errors(exc, (*base, i), loc(), filename, data, article_key))
        getattr(doc, list_name).extend(good)

    if located is None and marks is not None:
        return LoadedDocument(filename, doc, indexer=Marked(marks, filename)), findings
    return LoadedDocument(filename, doc, indexer=indexer(text, filename, located)), findings


# YAML refuses control characters written raw (a located A101), but a double-quoted string
# can make them with an escape ("\0", "\e", "\x1b", "\u009b"); the pure-Python parser also
# makes lone surrogates of "\ud800". Only a file with such an escape is searched for them.
_MAY_HOLD_ODD = re.compile(
    r"\\[0abvfeN]"
    r"|\\x(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    r"|\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F])"
    r"|\\U0000(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F])"
    "|\x85"
)



def _odd_found(odd: OddValues) -> list[tuple[NodePath, Pos, str]]:
    """What :func:`read_plain` noted, in the order :func:`_odd_walk` gives."""
    return sorted(odd, key=lambda pv: _path_order(pv[0]))


def _odd_walk(data: Any, located: Located) -> list[tuple[NodePath, Pos, str]]:
    """Each value of ``data`` holding a control character or a lone surrogate, with the
    position ``located`` has for it, ordered by path."""
    found: list[tuple[NodePath, str]] = []
    stack: list[tuple[NodePath, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            if chars.ODD.search(node):
                found.append((path, node))
        elif isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node))
    found.sort(key=lambda pv: _path_order(pv[0]))
    return [(path, located.where(path) or (1, 1), value) for path, value in found]


def _path_order(path: NodePath) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in path]


def _odd_values(
    data: Any, found: list[tuple[NodePath, Pos, str]], filename: str, article_key: str | None
) -> list[Finding]:
    """A111 for each value ``found`` (see :func:`_odd_found`) holding control characters
    (kept) or a lone surrogate (removed: no UTF-8 writer could write it)."""
    out: list[Finding] = []
    for path, pos, value in found:
        owner, fieldpath = subject(data, path, article_key)
        why = chars.lone_surrogates(value)
        message = (
            f"not loaded: {why}" if why else f"control character {chars.names(value)} in the "
            "value: kept; .bib output leaves it out and the terminal shows it escaped"
        )
        out.append(
            Finding("A111", Severity.ERROR if why else Severity.WARNING, message,
                    Location(filename, *pos), key=owner, field=fieldpath or None)
        )
    for path, _, value in reversed(found):  # from the end: the indexes of a list stay right
        if chars.SURROGATE.search(value) and path:
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
    return out
