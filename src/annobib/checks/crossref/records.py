"""Reading a Crossref work record: its titles, years and contributors, as compared."""

from __future__ import annotations

from typing import Any

from annobib.model import Work
from annobib.textmatch import (
    strip_markup,
)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [strip_markup(v) for v in value if isinstance(v, str) and v.strip()]
    return []


def crossref_titles(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Every title variant Crossref holds, as ``(name, text)``: ``title[0]``, ``title[1]``,
    ``original-title[0]``, ``short-title[0]``, plus each ``title + subtitle`` pair."""
    out: list[tuple[str, str]] = []
    titles = strings(record.get("title"))
    subtitles = strings(record.get("subtitle"))
    for i, t in enumerate(titles):
        out.append((f"title[{i}]", t))
    for i, t in enumerate(strings(record.get("original-title"))):
        out.append((f"original-title[{i}]", t))
    for i, t in enumerate(strings(record.get("short-title"))):
        out.append((f"short-title[{i}]", t))
    for i, t in enumerate(titles):
        for j, s in enumerate(subtitles):
            out.append((f"title[{i}]+subtitle[{j}]", f"{t}: {s}"))
    for j, s in enumerate(subtitles):
        out.append((f"subtitle[{j}]", s))
    return out


def crossref_years(record: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in ("issued", "published-print", "published-online", "published", "posted"):
        d = record.get(name)
        if isinstance(d, dict):
            parts = d.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                y = parts[0][0]
                if isinstance(y, int):
                    out[name] = y
    return out


def our_titles(work: Work) -> list[tuple[str, str]]:
    return work.title.variants() if work.title is not None else []


def their_people(record: dict[str, Any]) -> list[dict[str, Any]]:
    authors = record.get("author")
    if isinstance(authors, list):
        return [a for a in authors if isinstance(a, dict)]
    return []


def person_text(p: dict[str, Any]) -> str:
    if p.get("name"):
        return str(p["name"])
    family = str(p.get("family") or "")
    given = str(p.get("given") or "")
    return f"{family}, {given}" if given else family
