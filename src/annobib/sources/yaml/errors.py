"""Error mapping: pydantic's errors and the reader's findings -> located findings,
``file:line:col: record-key.field: message``, with a "did you mean" for unknown fields and
values.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from annobib.findings import Finding, Location, Severity
from annobib.sources.located import Located, format_path
from annobib.sources.located import Path as NodePath
from annobib.sources.messages import plain as plain_message


def owned(finding: Finding, data: Any, article_key: str | None) -> Finding:
    """Name the record that a reader finding (duplicate key, tag, alias) falls in."""
    path = finding.data.get("path")
    if not path:
        return finding
    owner, fieldpath = subject(data, tuple(path), article_key)
    return dataclasses.replace(finding, key=owner, field=fieldpath or None, data={})


def key_of(node: Any) -> str | None:
    if isinstance(node, dict):
        key = node.get("key")
        if isinstance(key, str):
            return key
    return None


def subject(data: Any, path: NodePath, article_key: str | None) -> tuple[str | None, str]:
    """The record key that owns ``path`` and the field path inside that record."""
    owner_depth = -1
    owner_key: str | None = None
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict) and "type" in node and isinstance(node.get("key"), str):
            owner_depth, owner_key = depth, node["key"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
            break
    if owner_key is None:
        return article_key, format_path(path)
    return owner_key, format_path(path[owner_depth:])


def _all_field_names() -> list[str]:
    import annobib.model as m

    models = (
        m.Annotation,
        m.Cite,
        m.Document,
        m.Footnote,
        m.LangText,
        m.Locator,
        m.MultiText,
        m.Person,
        m.Reference,
        m.Work,
    )
    return sorted(
        {info.alias or name for model in models for name, info in model.model_fields.items()}
    )


def map_errors(
    exc: ValidationError,
    base: NodePath,
    located: Located,
    filename: str,
    data: Any,
    article_key: str | None,
) -> Iterable[Finding]:
    seen: set[tuple[NodePath, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        path: NodePath = (*base, *loc)
        etype = err["type"]
        msg = plain_message(err)
        if etype == "enum":
            value = str(err.get("input"))
            choices = _enum_choices(exc, loc)
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
            msg = (
                f"unknown value {value!r}"
                + (f" (did you mean '{close[0]}'?)" if close else "")
                + (
                    f"; expected one of: {', '.join(choices)}"
                    if choices and len(choices) <= 20
                    else f"; expected one of the {len(choices)} values listed in "
                    "docs/file-format.md"
                    if choices
                    else ""
                )
            )
            pos = located.where(path)
        elif etype == "extra_forbidden":
            bad = str(loc[-1]) if loc else "?"
            close = difflib.get_close_matches(bad, _all_field_names(), n=1, cutoff=0.6)
            msg = f"unknown field '{bad}'" + (f" (did you mean '{close[0]}'?)" if close else "")
            pos = located.where(path, key=True)
        elif etype == "missing":
            msg = f"missing required field '{loc[-1]}'" if loc else "missing required field"
            pos = located.where(path[:-1])
        else:
            pos = located.where(path)
            value = err.get("input")
            if etype in (
                "string_type",
                "int_type",
                "int_parsing",
                "list_type",
                "dict_type",
                "model_type",
                "model_attributes_type",
            ):
                msg = f"{msg} (got {_describe(value)})"
        key = (path, msg)
        if key in seen:
            continue
        seen.add(key)
        owner, fieldpath = subject(data, path, article_key)
        yield Finding(
            code="A109" if etype == "extra_forbidden" else "A110",
            severity=Severity.ERROR,
            message=msg,
            location=Location(filename, *(pos or (1, 1))),
            key=owner,
            field=fieldpath or None,
        )


def _enum_choices(exc: ValidationError, loc: tuple[Any, ...]) -> list[str]:
    from annobib.model.record import WorkType
    from annobib.model.references import FootnoteKind, LocatorLabel

    last = loc[-1] if loc else ""
    table: dict[str, list[str]] = {
        "type": [t.value for t in WorkType],
        "kind": [k.value for k in FootnoteKind],
        "label": [label.value for label in LocatorLabel],
    }
    return table.get(str(last), [])


def _is_union_tag(part: Any) -> bool:
    # pydantic puts a union member's name into 'loc' ('MultiText', 'str', 'function-after[...]')
    return isinstance(part, str) and (
        part[:1].isupper() or "[" in part or part in ("str", "int", "list", "dict", "none")
    )


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
