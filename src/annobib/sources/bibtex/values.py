"""Values of a BibTeX entry: value expressions (``{...}``, ``"..."``, macros, ``#``), field
text (TeX decoded, unknown macros reported), months and dates."""

from __future__ import annotations

import re

from annobib.codecs.bibfields import TITLE_FIELDS, VERBATIM
from annobib.codecs.tex import balanced, protect_title, value
from annobib.codecs.texdecode import TooDeep, decode_detail, normalise_space
from annobib.findings import Severity
from annobib.model.values import PartialDate
from annobib.sources.interchange import NOT_HELD, TEX_UNKNOWN, UNPARSABLE, RecordBuilder

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


def is_date(raw: str) -> bool:
    """True when the model reads ``raw`` as a date (EDTF levels 0 and 1)."""
    try:
        PartialDate.model_validate(raw)
    except ValueError:
        return False
    return True


def field_text(b: RecordBuilder, name: str, raw: str, *, keep: bool = True) -> str:
    """The text of one field; with ``keep``, TeX that decoding does not repeat exactly is kept
    as written too."""
    if name in VERBATIM:
        return normalise_space(raw)
    try:
        text, unknown, dropped = decode_detail(raw)
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
    if raw.count("{") > _DEEP:
        depth = _depth(raw)
        if depth > _DEEP:
            b.report(UNPARSABLE, Severity.WARNING, name, f"nested {depth} braces deep (more "
                     f"than {_DEEP}): read as its text; check the entry")
    braced = "{" in raw or name in TITLE_FIELDS
    if keep and text and balanced(raw) and (
            unknown or dropped or (braced and _differs(name, raw, text))):
        # the TeX as written, for the BibLaTeX/BibTeX export to write back byte for byte
        # while the record's text is still what it decodes to (codecs/bibfields.py)
        b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[name] = raw
    return text


# a brace group of two or more characters once macros are left out: protection ({IEEE}) or a
# literal "and" in a list ({and}), which decoding does not keep (M{\\"u}nchen's is an accent's)
_MACROS = re.compile(r"\\[A-Za-z]+\s*|\\.")
_GROUP = re.compile(r"\{[^{}]{2,}\}")


_DEEP = 100  # brace depth no real field reaches (the corpora: 6)


def _depth(raw: str) -> int:
    depth = deepest = 0
    for m in _BRACES.finditer(raw):
        depth += 1 if m.group() == "{" else -1
        deepest = max(deepest, depth)
    return deepest


def _differs(name: str, raw: str, text: str) -> bool:
    """True when the export would not write ``text`` back as the source wrote ``raw``: a
    title protected otherwise than the export's rule does (the reader keeps the source's
    braces; docs/file-format.md, "Titles and their casing"), or braces that decoding drops
    and that carry meaning ({IEEE}, a literal {and} in a list)."""
    written = normalise_space(raw)
    if name in TITLE_FIELDS:
        return written != protect_title(text)[0]
    return _GROUP.search(_MACROS.sub("", raw)) is not None and written != value(text)[0]


def date(b: RecordBuilder, fields: dict[str, str]) -> None:
    """``date`` (biblatex: EDTF levels 0 and 1, ranges with ``/``) or year/month/day."""
    if "date" in fields:
        raw = normalise_space(fields["date"])
        if is_date(raw):
            fields.pop("date")
            b.set("issued", raw)
        else:  # kept as written (verbatim) and said
            b.report(NOT_HELD, Severity.WARNING, "date",
                     f"not a date annobib reads (EDTF levels 0 and 1): kept as written "
                     f"(value: {raw!r})")
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
