"""CSL-JSON → annobib records: the inverse of ``exporters/csljson.py``.

Reads plain CSL-JSON (Zotero, Manubot, pandoc, citation.js) and annobib's own export, whose
``custom`` object carries what CSL has no variable for (title variants, name details, licence,
structured annotation). A CSL variable the model has no place for is a warning naming it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from annobib import chars
from annobib.findings import Finding, Location, Severity
from annobib.model import crosswalk
from annobib.model.record import WorkType
from annobib.sources.interchange import (
    BAD_VALUE,
    KEY_CHANGED,
    UNKNOWN_TYPE,
    UNPARSABLE,
    KeyRegistry,
    ReadResult,
    RecordBuilder,
    identifiers,
    person_data,
    str_value,
)

_SEASONS = {1: "21", 2: "22", 3: "23", 4: "24"}
_SIMPLE = {
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
    "number-of-pages": "page-count",
    "edition": "edition",
    "publisher": "publisher",
    "publisher-place": "publisher-place",
    "genre": "genre",
    "DOI": "doi",
    "URL": "url",
    "abstract": "abstract",
    "note": "note",
    "container-title-short": "container-title-short",
    "journalAbbreviation": "container-title-short",
    "language": "language",
}


#: deeper than this (counting the top-level array) is no CSL-JSON: the value is not imported
MAX_DEPTH = 100
#: an integer with more digits than this is no bibliographic number (Python refuses 4,300)
MAX_DIGITS = 100


class _Refused:
    """A JSON value parsed but not imported (NaN, Infinity, 1e999, a 5,000-digit integer)."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.why}>"


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a finite JSON number")


def _float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused(f"{text} is not a finite JSON number")


def _int(text: str) -> int | _Refused:
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        return _Refused(f"a number of {digits} digits")
    return int(text)


# what a subtree nested deeper than MAX_DEPTH is replaced by before parsing (see _scan)
_TOO_DEEP = f"\x00annobib: nested more than {MAX_DEPTH} deep\x00"


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)


def read_csljson(text: str, filename: str, keys: KeyRegistry | None = None) -> ReadResult:
    keys = keys or KeyRegistry()
    result = ReadResult()
    lines, deep, unclosed = _scan(text)
    if deep:
        # cut each too-deep subtree out (keeping its line breaks, so positions hold): the
        # rest of the file parses, and the field that held it is reported
        parts: list[str] = []
        last = 0
        for start, end in deep:
            parts += [text[last:start], json.dumps(_TOO_DEEP), "\n" * text.count("\n", start, end)]
            last = end
        parts.append(text[last:])
        text = "".join(parts)
    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        result.findings.append(
            Finding(
                UNPARSABLE,
                Severity.ERROR,
                f"not JSON: {exc.msg}",
                Location(filename, exc.lineno, exc.colno),
            )
        )
        return result
    except (RecursionError, ValueError) as exc:  # nesting never closed, or a number Python refuses
        why = f"nested more than {MAX_DEPTH} deep" if unclosed else str(exc)
        result.findings.append(
            Finding(UNPARSABLE, Severity.ERROR, f"not read: {why}",
                    Location(filename, unclosed or 1))
        )
        return result
    if isinstance(data, dict) and "items" in data and isinstance(data["items"], list):
        data = data["items"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        result.findings.append(
            Finding(
                UNPARSABLE,
                Severity.ERROR,
                "CSL-JSON must be an array of items",
                Location(filename, 1),
            )
        )
        return result
    for i, item in enumerate(data):
        result.entries_seen += 1
        loc = Location(filename, lines[i] if i < len(lines) else None)
        if not isinstance(item, dict):
            refusal = _refusal(item)
            what = f" ({refusal})" if refusal else ""
            result.findings.append(
                Finding(
                    UNPARSABLE,
                    Severity.ERROR,
                    f"item {i + 1} is not an object{what}: not imported",
                    loc,
                    data={"raw": _raw(item)},
                )
            )
            continue
        item, refused = _screen(item)
        _read_item(item, i, loc, keys, result, refused)
    return result


# a string literal (unterminated at the end of the text too), or a bracket
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def _scan(text: str) -> tuple[list[int], list[tuple[int, int]], int | None]:
    """The line of each top-level item's opening bracket (for finding locations), the spans
    of the subtrees nested deeper than MAX_DEPTH, and the line of one that is never closed."""
    lines: list[int] = []
    deep: list[tuple[int, int]] = []
    depth = 0
    line = 1
    counted = 0
    deep_start = -1
    for m in _TOKEN.finditer(text):
        start = m.start()
        c = text[start]
        if c == '"':
            continue
        if c in "[{":
            if depth == 1:
                line += text.count("\n", counted, start)
                counted = start
                lines.append(line)
            depth += 1
            if depth == MAX_DEPTH + 1 and deep_start < 0:
                deep_start = start
        else:
            if depth == MAX_DEPTH + 1 and deep_start >= 0:
                deep.append((deep_start, m.end()))
                deep_start = -1
            depth -= 1
    unclosed = None
    if deep_start >= 0:
        unclosed = text.count("\n", 0, deep_start) + 1
    return lines, deep, unclosed


def _refusal(value: Any) -> str | None:
    """Why ``value`` (or something inside it) is not imported, or None."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if v == _TOO_DEEP:
                return f"nested more than {MAX_DEPTH} deep"
            why = chars.lone_surrogates(v)
            if why:
                return why
        elif isinstance(v, _Refused):
            return v.why
        elif isinstance(v, dict):
            for k, item in v.items():
                if chars.SURROGATE.search(k):
                    return f"a lone surrogate in the name {chars.visible(k)!r}"
                stack.append(item)
        elif isinstance(v, list):
            stack.extend(v)
    return None


def _screen(item: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """``item`` without the fields that cannot be imported, and (field, why) for each."""
    clean: dict[str, Any] = {}
    refused: list[tuple[str, str]] = []
    for name, value in item.items():
        why = _refusal(name) or (None if isinstance(value, dict) else _refusal(value))
        if why is None and isinstance(value, dict):
            sub: dict[str, Any] = {}
            for k, v in value.items():
                sub_why = _refusal(k) or _refusal(v)
                if sub_why is None:
                    sub[k] = v
                else:
                    refused.append((f"{name}.{chars.visible(k)}", sub_why))
            clean[name] = sub
        elif why is None:
            clean[name] = value
        else:
            refused.append((chars.visible(name), why))
    return clean, refused


def _raw(value: Any) -> str:
    """A value as JSON for a finding's ``raw`` (escaped where it could not be written)."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    if chars.SURROGATE.search(text):
        text = json.dumps(value, default=repr)
    return text[:2000]


def _read_item(
    item: dict[str, Any],
    index: int,
    loc: Location,
    keys: KeyRegistry,
    result: ReadResult,
    refused: list[tuple[str, str]],
) -> None:
    raw_id = str_value(item.get("id"))
    if raw_id is None:
        key = keys.new(_key_base(item, index), loc)
        result.findings.append(
            Finding(
                KEY_CHANGED,
                Severity.WARNING,
                f"item has no id: imported as '{key}'",
                loc,
                key=key,
                field="key",
            )
        )
    else:
        claimed = keys.claim(raw_id, loc, result.findings)
        if claimed is None:
            result.findings.append(
                Finding(
                    "A412",
                    Severity.ERROR,
                    f"duplicate id '{raw_id}': this item is not imported",
                    loc,
                    key=raw_id,
                    field="id",
                    data={"raw": _raw(item)},
                )
            )
            return
        key = claimed
    b = RecordBuilder(key, loc.file or "<input>", loc.line, result.findings)
    for name, why in refused:
        b.report(BAD_VALUE, Severity.WARNING, name, f"not imported: {why}")
    fields = dict(item)
    fields.pop("id", None)
    custom = fields.pop("custom", None)
    if not isinstance(custom, dict):
        if custom is not None:
            b.not_held("custom", custom)
        custom = {}
    custom = dict(custom)

    ctype = str_value(fields.pop("type", None)) or ""
    t = crosswalk.from_csl(ctype)
    if t is None:
        t = WorkType.MISC
        b.report(
            UNKNOWN_TYPE,
            Severity.WARNING,
            "type",
            f"CSL type '{ctype}' is not known: imported as misc",
        )
    b.set("type", t.value)

    title = str_value(fields.pop("title", None))
    if title is not None:
        b.set(
            "title",
            _multitext(
                title,
                custom.pop("title", None),
                b,
                "title",
                original=str_value(fields.pop("original-title", None)),
            ),
        )
    elif "original-title" in fields:
        b.not_held("original-title", fields.pop("original-title"), "a record without a title")
    container = str_value(fields.pop("container-title", None))
    if container is not None:
        b.set(
            "container-title",
            _multitext(container, custom.pop("container-title", None), b, "container-title"),
        )
    coll = str_value(fields.pop("collection-title", None))
    b.set("collection-title", coll)

    for role in ("author", "editor", "translator"):
        if role in fields:
            details = custom.pop(f"{role}-details", None)
            b.set(role, _names(fields.pop(role), details, b, role))

    for var in ("issued", "accessed"):
        if var in fields:
            b.set(var, _date(fields.pop(var), b, var))

    for var, model in _SIMPLE.items():
        if var in fields:
            value = str_value(fields.pop(var))
            if value is None:
                continue
            if model in b.data:
                b.not_held(var, value, f"the record already has {model}")
            else:
                b.set(model, value)
    for var, model in (("ISBN", "isbn"), ("ISSN", "issn")):
        if var in fields:
            value = fields.pop(var)
            text = " ; ".join(map(str, value)) if isinstance(value, list) else str(value)
            found = identifiers(text, model)
            if not found:
                b.not_held(var, value, f"no {var} in the value")
            b.set(model, found)
    if "keyword" in fields:
        value = str_value(fields.pop("keyword")) or ""
        b.set("keywords", [k.strip() for k in re.split(r"[,;]", value) if k.strip()])
    annote = str_value(fields.pop("annote", None))
    annotation = custom.pop("annotation", None)
    if isinstance(annotation, dict):
        b.set("annotation", annotation)
    elif annote is not None:
        b.set("annotation", {"summary": annote})
    license_ = custom.pop("license", None)
    if isinstance(license_, str):
        b.set("license", license_)
    rights = custom.pop("rights", None)
    if isinstance(rights, str):
        b.set("rights", rights)
    custom.pop("reference-count", None)  # derived from the article's list; not a record field
    for name, value in fields.items():
        b.not_held(name, value)
    for name, value in custom.items():
        b.not_held(f"custom.{name}", value)
    work = b.build()
    if work is not None:
        result.works.append(work)


def _key_base(item: dict[str, Any], index: int) -> str:
    authors = item.get("author")
    family = None
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        family = authors[0].get("family") or authors[0].get("literal")
    year = None
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
    if family:
        base = re.sub(r"\W+", "", str(family).lower()) or "item"
        return f"{base}{year or ''}"
    return f"item{index + 1}"


def _multitext(
    text: str, extra: Any, b: RecordBuilder, name: str, original: str | None = None
) -> Any:
    out: dict[str, Any] = {"text": text}
    if isinstance(extra, dict):
        for k in ("lang", "printed", "original", "translated", "transliterated"):
            if k in extra:
                out[k] = extra[k]
        for k in extra:
            if k not in out:
                b.not_held(f"custom.{name}.{k}", extra[k])
    elif extra is not None:
        b.not_held(f"custom.{name}", extra)
    if original is not None and "original" not in out:
        out["original"] = {"text": original}
    return out if len(out) > 1 else text


def _names(value: Any, details: Any, b: RecordBuilder, role: str) -> list[Any]:
    if not isinstance(value, list):
        b.report(BAD_VALUE, Severity.WARNING, role, f"'{role}' is not a list of names", value=value)
        return []
    out: list[Any] = []
    for i, n in enumerate(value):
        if not isinstance(n, dict):
            b.not_held(f"{role}[{i}]", n, "not a CSL name object")
            continue
        n = dict(n)
        literal = str_value(n.pop("literal", None))
        family = str_value(n.pop("family", None))
        given = str_value(n.pop("given", None))
        for particle in ("non-dropping-particle", "dropping-particle"):
            p = str_value(n.pop(particle, None))
            if p and family:
                family = f"{p} {family}"
        suffix = str_value(n.pop("suffix", None))
        if suffix and family:
            family = f"{family} {suffix}"
        for k, v in n.items():
            b.not_held(f"{role}[{i}].{k}", v)
        if literal is None and family is None and given is not None:
            literal = given if " " in given else None
            family = None if literal else given
            given = None
        person = person_data(family, given, literal)
        if person is None:
            continue
        d = details[i] if isinstance(details, list) and i < len(details) else None
        if isinstance(d, dict) and d:
            if "initials" in d and "given" not in person and "initials" not in person:
                person["initials"] = d["initials"]
            elif "initials" in d and person.get("given") and person.get("given") == d["initials"]:
                person["initials"] = person.pop("given")
            for k, model in crosswalk.CSL_PERSON_DETAILS.items():
                if k in d:
                    person[model] = d[k]
        out.append(person)
    return out


def _date(value: Any, b: RecordBuilder, var: str) -> str | None:
    if not isinstance(value, dict):
        b.not_held(var, value, "not a CSL date object")
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        if len(parts) > 1:
            b.not_held(var, value, "a date range (the model holds one date)")
        p = parts[0]
        try:
            nums = [int(x) for x in p[:3]]
        except (TypeError, ValueError):
            b.not_held(var, value, "date parts are not numbers")
            return None
        iso = f"{nums[0]:04d}"
        if len(nums) > 1:
            iso += f"-{nums[1]:02d}"
            if len(nums) > 2:
                iso += f"-{nums[2]:02d}"
        season = value.get("season")
        if season is not None and len(nums) == 1:
            try:
                iso += "-" + _SEASONS[int(season)]
            except (KeyError, TypeError, ValueError):
                b.not_held(f"{var}.season", season)
        for k in value:
            if k not in ("date-parts", "season"):
                b.not_held(f"{var}.{k}", value[k])
        return iso
    raw = value.get("raw") or value.get("literal")
    if isinstance(raw, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", raw.strip()):
        return raw.strip()
    b.not_held(var, value, "a date without date-parts")
    return None
