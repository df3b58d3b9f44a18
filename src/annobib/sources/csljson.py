"""CSL-JSON → annobib records: the inverse of ``exporters/csljson.py``.

Reads plain CSL-JSON (Zotero, Manubot, pandoc, citation.js) and annobib's own export, whose
``custom`` object carries what CSL has no variable for (title variants, name details, licence,
structured annotation). A CSL variable the model has no place for is a warning naming it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from annobib import chars
from annobib.findings import Finding, Location, Severity
from annobib.model import crosswalk, csl
from annobib.model.record import Work, WorkType
from annobib.sources.interchange import (
    BAD_VALUE,
    KEY_CHANGED,
    NOT_HELD,
    UNKNOWN_TYPE,
    UNPARSABLE,
    KeyRegistry,
    ReadResult,
    RecordBuilder,
    identifiers,
    str_value,
)

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


def _claim_key(item: dict[str, Any], index: int, loc: Location, keys: KeyRegistry,
               result: ReadResult) -> str | None:
    """The record key of ``item``: its id as claimed, a new one for an item without one, or
    None when the id is a repeat (reported by the registry)."""
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
        return key
    content = json.dumps(item, sort_keys=True, ensure_ascii=False, default=repr)
    return keys.claim_content(raw_id, content, loc, result.findings, raw_text=_raw(item),
                              what="item", field="id")


def _read_type(fields: dict[str, Any], b: RecordBuilder, kept: dict[str, Any]) -> None:
    raw_type = fields.pop("type", None)
    ctype = str_value(raw_type) or ""
    t = crosswalk.from_csl(ctype)
    if t is None:
        t = WorkType.MISC
        if raw_type is not None:
            kept["type"] = raw_type
        b.report(
            UNKNOWN_TYPE,
            Severity.WARNING,
            "type",
            (f"CSL type '{ctype}' is not known" if raw_type is not None else "the item has no type")
            + ": imported as misc (CSL's document); the type is kept as written for CSL",
        )
    b.set("type", t.value)


@dataclass
class _Reading:
    """One item's record as it is read: the builder, what is kept as written (verbatim.csl),
    which CSL key each record field was read from, what ``custom`` holds still."""

    b: RecordBuilder
    kept: dict[str, Any]
    origin: dict[str, str]
    custom: dict[str, Any]
    original: str | None  # an original-title beside a title: read with the title


def _read_field(r: _Reading, name: str, raw: Any) -> None:
    """One CSL variable (or an extension, kept as written) into the record."""
    b, kept, custom = r.b, r.kept, r.custom
    var = csl.variable_of(name)
    spec = csl.VARIABLES.get(var)
    if spec is None:
        if name == "annote" and isinstance(raw, str) and raw.strip():
            annotation = custom.pop("annotation", None)
            b.set("annotation", annotation if isinstance(annotation, dict)
                  else {"summary": raw.strip()})
            r.origin["annotation"] = name
        else:
            kept[name] = raw  # no field of its own (a CSL extension): as written
            b.report(NOT_HELD, Severity.INFO, name,
                     "not a CSL 1.0.2 variable: kept as written, for CSL-JSON only "
                     "(verbatim.csl)", value=raw)
        return
    field, kind = spec
    if field in b.data:
        kept[name] = raw  # a second spelling of a variable already read
        return
    if kind in ("isbn", "issn"):
        text = " ; ".join(map(str, raw)) if isinstance(raw, list) else str(raw)
        found = identifiers(text, kind)
        if not found:
            kept[name] = raw
            b.report(BAD_VALUE, Severity.WARNING, name,
                     f"no {name} in the value: kept as written (verbatim.csl)", value=raw)
            return
        value: Any = found
    else:
        try:
            value = csl.value_from_csl(kind, raw)
        except csl.Doubt as exc:
            kept[name] = raw
            if raw not in ("", [], None):
                b.report(BAD_VALUE, Severity.WARNING, name,
                         f"kept as written (verbatim.csl): {exc}", value=raw)
            return
    if kind == "date":
        _report_bc(b, name, value, raw)
        _report_circa(b, name, raw)
    elif kind == "names":
        value = _with_details(value, custom.pop(f"{var}-details", None))
    elif kind == "title":
        value = _multitext(value, custom.pop(var, None) if var in ("title", "container-title")
                           else None, b, var, r.original if var == "title" else None)
    b.data[field] = value
    r.origin[field] = name


def _read_custom(r: _Reading) -> None:
    """What ``custom`` holds that the record has a field for; the rest is kept as written."""
    b, custom = r.b, r.custom
    if "annotation" not in b.data and isinstance(custom.get("annotation"), dict):
        b.set("annotation", custom.pop("annotation"))
    for name in ("license", "rights"):
        if isinstance(custom.get(name), str):
            b.set(name, custom.pop(name))
    for name in csl.CUSTOM_FIELDS:
        if name in custom and csl.custom_value_holds(name, custom[name]):
            b.set(name, custom.pop(name))
    custom.pop("reference-count", None)  # derived from the article's list; not a record field
    if custom:
        r.kept["custom"] = custom


def _keep_rejected(r: _Reading, result: ReadResult, first_finding: int, key: str,
                   source: dict[str, Any]) -> None:
    """A value the model rejects (a language tag that is not BCP 47, a date it cannot hold) is
    kept as written for CSL, and its finding says so."""
    for i in range(first_finding, len(result.findings)):
        f = result.findings[i]
        read_from = r.origin.get(f.field or "")
        if f.code == BAD_VALUE and f.key == key and read_from is not None:
            r.kept[read_from] = source[read_from]
            result.findings[i] = dataclasses.replace(
                f, field=read_from,
                message=f.message.replace("not imported:", "kept as written (verbatim.csl):", 1),
            )


def _keep_unfaithful(work: Work, source: dict[str, Any], kept: dict[str, Any]) -> Work:
    """``work`` with what its export would not give back exactly kept as written too."""
    written = csl.typed_item(work)
    written.pop("id", None)
    if isinstance(source.get("custom"), dict):
        # an article's reference count is derived from its lists, not held (as before)
        source["custom"] = _without_repeated_initials(
            {k: v for k, v in source["custom"].items() if k != "reference-count"}, source)
        if not source["custom"]:
            del source["custom"]
    for name, raw in source.items():
        if name not in kept and csl.normal(written.get(name)) != csl.normal(raw):
            kept[name] = raw
    omit = [name for name in written if name not in source]
    if omit:
        kept["@omit"] = omit
    if kept:
        work = work.model_copy(update={"verbatim": {**(work.verbatim or {}), "csl": kept}})
    return work


def _read_item(
    item: dict[str, Any],
    index: int,
    loc: Location,
    keys: KeyRegistry,
    result: ReadResult,
    refused: list[tuple[str, str]],
) -> None:
    key = _claim_key(item, index, loc, keys, result)
    if key is None:
        return
    b = RecordBuilder(key, loc.file or "<input>", loc.line, result.findings)
    for name, why in refused:
        b.report(BAD_VALUE, Severity.WARNING, name, f"not imported: {why}")
    fields = dict(item)
    fields.pop("id", None)
    source = dict(fields)  # what the item says, to compare the record's export with
    kept: dict[str, Any] = {}  # verbatim.csl: values kept as written

    custom = fields.pop("custom", None)
    if custom is not None and not isinstance(custom, dict):
        kept["custom"] = custom
    custom = dict(custom) if isinstance(custom, dict) else {}

    _read_type(fields, b, kept)

    original = fields.get("original-title")
    if "title" in fields and isinstance(original, str) and original.strip():
        fields.pop("original-title")
    else:
        original = None
    r = _Reading(b, kept, {}, custom, original)
    for name, raw in fields.items():
        _read_field(r, name, raw)
    _read_custom(r)

    first_finding = len(result.findings)
    work = b.build()
    if work is None:
        return
    _keep_rejected(r, result, first_finding, key, source)
    result.works.append(_keep_unfaithful(work, source, kept))


def _without_repeated_initials(custom: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """``custom`` without the ``<role>-details`` initials that only repeat a name's ``given``
    (older annobib exports wrote them; the initials are read from ``given`` as well)."""
    out = dict(custom)
    for key, details in custom.items():
        names = item.get(key[: -len("-details")]) if key.endswith("-details") else None
        if not isinstance(details, list) or not isinstance(names, list):
            continue
        kept = []
        for i, d in enumerate(details):
            n = names[i] if i < len(names) else None
            if (isinstance(d, dict) and isinstance(n, dict) and "given" in n
                    and d.get("initials") == n["given"]):
                d = {k: v for k, v in d.items() if k != "initials"}
            kept.append(d)
        if any(kept):
            out[key] = kept
        else:
            del out[key]
    return out


def _report_bc(b: RecordBuilder, name: str, value: Any, raw: Any) -> None:
    """A year before 1 is held as EDTF counts it (CSL's -44, 44 BC, is EDTF's -0043): said."""
    if not isinstance(value, dict):
        return
    years = [value.get("year"), (value.get("end") or {}).get("year")]
    bc = [y for y in years if isinstance(y, int) and y <= 0]
    if bc:
        b.report(BAD_VALUE, Severity.INFO, name,
                 f"a year before 1 (BC): held as EDTF year {bc[0]:05d} (year 0 is 1 BC), "
                 f"written back to CSL as {csl.csl_year(bc[0])}", value=raw)


# circa values that say yes or no (empty: no), as citeproc-js reads them too; any other is
# read by its truth value, and said
_CIRCA_CLEAR = (True, False, 1, 0, "1", "true", "", None)


def _report_circa(b: RecordBuilder, name: str, raw: Any) -> None:
    """A ``circa`` that is not plainly true or false ("false", "0", "maybe", a list) is read
    by its truth value: the date is kept, the value as written (verbatim.csl), and said."""
    if not isinstance(raw, dict) or "circa" not in raw:
        return
    circa = raw["circa"]
    if any(circa is c or (type(circa) is type(c) and circa == c) for c in _CIRCA_CLEAR):
        return
    read = "approximate" if circa else "not approximate"
    b.report(BAD_VALUE, Severity.WARNING, name,
             f"circa {json.dumps(circa, ensure_ascii=False)} is neither true nor false: the "
             f"date is read as {read} and the value kept as written (verbatim.csl)", value=raw)


def _with_details(names: list[dict[str, Any]], details: Any) -> list[dict[str, Any]]:
    """Names with what annobib's own export wrote of them under ``custom.<role>-details``."""
    if not isinstance(details, list):
        return names
    for person, d in zip(names, details, strict=False):
        if not isinstance(d, dict) or not d:
            continue
        initials = d.get("initials")
        if isinstance(initials, str):
            if "given" not in person and "initials" not in person:
                person["initials"] = initials
            elif person.get("given") == initials:
                person["initials"] = person.pop("given")
            else:
                person["initials"] = initials
        for k, model in crosswalk.CSL_PERSON_DETAILS.items():
            if k in d:
                person[model] = d[k]
    return names


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
