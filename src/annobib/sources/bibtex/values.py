"""Values of a BibTeX entry: value expressions (``{...}``, ``"..."``, macros, ``#``), field
text (TeX decoded, unknown macros reported), months and dates."""

from __future__ import annotations

import re

from annobib.codecs.bibfields import VERBATIM
from annobib.codecs.texdecode import TooDeep, decode, normalise_space
from annobib.findings import Severity
from annobib.sources.interchange import TEX_UNKNOWN, UNPARSABLE, RecordBuilder

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_BRACES = re.compile(r"[{}]")


def evaluate(raw: str, strings: dict[str, str], undefined: list[str] | None) -> str:
    """A BibTeX value expression → its text: ``{...}``, ``"..."``, numbers, macros, ``#``."""
    s = raw.strip()
    if not s:
        return s
    first, last = s[0], s[-1]
    if first == "{" and last == "}":
        inner = s[1:-1]
        if ("{" not in inner and "}" not in inner) or one_group(s):
            return inner
    elif first == '"' and last == '"' and s.count('"') == 2:
        return s[1:-1]
    elif s.isdigit():
        return s
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace() or c == "#":
            i += 1
            continue
        if c == "{":
            depth, j = 0, i
            while j < n:
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append(s[i + 1 : j])
            i = j + 1
        elif c == '"':
            depth, j = 0, i + 1
            while j < n and not (s[j] == '"' and depth == 0):
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                j += 1
            out.append(s[i + 1 : j])
            i = j + 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] != "#":
                j += 1
            word = s[i:j]
            if word.isdigit():
                out.append(word)
            elif word.lower() in strings:
                out.append(strings[word.lower()])
            else:
                if undefined is not None and word.lower() not in MONTHS:
                    undefined.append(word)
                out.append(word)
            i = j
    return "".join(out)


def field_text(b: RecordBuilder, name: str, raw: str) -> str:
    if name in VERBATIM:
        return normalise_space(raw)
    try:
        text, unknown = decode(raw)
    except TooDeep as exc:
        b.report(UNPARSABLE, Severity.WARNING, name, f"{exc}: kept as written")
        return normalise_space(raw)
    if unknown:
        b.report(
            TEX_UNKNOWN,
            Severity.WARNING,
            name,
            "TeX macro(s) kept as written: " + ", ".join("\\" + u for u in unknown),
        )
    return text


def one_group(s: str) -> bool:
    """True when the brace opening ``s`` is the one closing it."""
    depth = 0
    last = len(s) - 1
    for m in _BRACES.finditer(s):
        if m.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0 and m.start() != last:
                return False
    return depth == 0


def date(b: RecordBuilder, fields: dict[str, str]) -> None:
    if "date" in fields:
        raw = normalise_space(fields.pop("date"))
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", raw)
        if m:
            b.set("issued", raw)
        else:
            b.not_held("date", raw, "a date range or uncertain date (the model holds one date)")
        for extra in ("year", "month", "day"):
            if extra in fields:
                b.not_held(extra, fields.pop(extra), "'date' is given and takes precedence")
        return
    year = normalise_space(fields.pop("year", ""))
    month = normalise_space(fields.pop("month", ""))
    day = normalise_space(fields.pop("day", ""))
    if not year:
        if month:
            b.not_held("month", month, "a month without a year")
        return
    if not re.fullmatch(r"\d{4}", year):
        b.not_held("year", year, "not a four-digit year")
        return
    iso = year
    if month:
        mm = _month(month)
        if mm is None:
            b.not_held("month", month, "not a month")
        else:
            iso += f"-{mm:02d}"
            if day:
                if re.fullmatch(r"\d{1,2}", day):
                    iso += f"-{int(day):02d}"
                else:
                    b.not_held("day", day, "not a day of the month")
    elif day:
        b.not_held("day", day, "a day without a month")
    b.set("issued", iso)


def _month(raw: str) -> int | None:
    s = raw.strip().strip("{}").strip().lower().rstrip(".")
    if s.isdigit() and 1 <= int(s) <= 12:
        return int(s)
    return MONTHS.get(s[:3]) if s[:3] in MONTHS and (len(s) == 3 or s.isalpha()) else None
