"""Small value types: partial dates, DOIs, language tags, multilingual text. No I/O."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_serializer,
    model_validator,
)


class Strict(BaseModel):
    """Base for every model type: unknown fields are rejected, values are checked on assignment."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        validate_assignment=True,
        str_strip_whitespace=False,
    )


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Kebab(Strict):
    """A model whose YAML/JSON field names are kebab-case (``container-title``)."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        validate_assignment=True,
        alias_generator=_kebab,
    )


# --- DOI ------------------------------------------------------------------------------------

_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|info:doi/)", flags=re.IGNORECASE
)
_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str) -> str:
    """Strip resolver prefixes; the case is kept as written. DOIs are case-insensitive
    (ISO 26324): compare them with :func:`same_doi`."""
    v = _DOI_PREFIXES.sub("", value.strip())
    if not _DOI_RE.match(v):
        raise ValueError(f"not a DOI: {value!r} (expected 10.NNNN/suffix)")
    return v


def same_doi(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower() == b.lower()


DOI = Annotated[str, AfterValidator(normalise_doi)]

# --- URL ------------------------------------------------------------------------------------

_URL_RE = re.compile(
    r"^(https?|ftp)://[^\s/?#]+\.[^\s/?#]+[^\s]*$|^(https?|ftp)://localhost[^\s]*$"
)


def check_url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError(f"not an absolute http(s) URL without spaces: {value!r}")
    return value


URL = Annotated[str, AfterValidator(check_url)]

# --- language tags --------------------------------------------------------------------------

_BCP47_RE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-[a-zA-Z0-9]{5,8})*$")


def check_lang(value: str) -> str:
    if not _BCP47_RE.match(value):
        raise ValueError(f"not a BCP 47 language tag: {value!r} (e.g. ru, en-GB, ru-Latn)")
    return value


LangTag = Annotated[str, AfterValidator(check_lang)]

# --- ISBN / ISSN ----------------------------------------------------------------------------

_ISSN_RE = re.compile(r"^\d{4}-?\d{3}[\dxX]$")
_ISBN_RE = re.compile(r"^(?:97[89][- ]?)?\d[\d -]{7,15}[\dxX]$")


def check_issn(value: str) -> str:
    if not _ISSN_RE.match(value):
        raise ValueError(f"not an ISSN: {value!r} (expected NNNN-NNNC)")
    return value


def check_isbn(value: str) -> str:
    digits = re.sub(r"[- ]", "", value)
    if not _ISBN_RE.match(value) or len(digits) not in (10, 13):
        raise ValueError(f"not an ISBN-10 or ISBN-13: {value!r}")
    return value


ISSN = Annotated[str, AfterValidator(check_issn)]
ISBN = Annotated[str, AfterValidator(check_isbn)]

# --- dates (EDTF level 0 and 1) ----------------------------------------------------------------

_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_SEASON_CODES = {v: k for k, v in _SEASONS.items()}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_POINT_RE = re.compile(
    r"^(?P<year>Y-?\d{5,}|-?[\dX]{4})"
    r"(?:-(?P<month>[\dX]{2})(?:-(?P<day>[\dX]{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?))?)?)?"
    r"(?P<q>[?~%])?$"
)
_PLAIN_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
Bound = Literal["open", "unknown"]


class PartialDate(Kebab):
    """A date as EDTF (ISO 8601-2) levels 0 and 1 say it, written in YAML as its EDTF string.

    One date known to the year, month or day (``"2022"``, ``"2022-05"``, ``"2022-05-14"``), with
    a time (``"2022-05-14T10:10:10Z"``), or a year and a season (``"1999-21"``: 21 spring,
    22 summer, 23 autumn, 24 winter, as biblatex reads them); ``?`` uncertain, ``~``
    approximate (CSL's ``circa``), ``%`` both; unspecified digits (``"19XX"``, ``"1985-04-XX"``:
    ``year``/``month`` then hold what is specified, ``unspecified`` the written form); years
    before 1 as EDTF writes them (astronomical: ``"-0043"`` is 44 BC, ``"0000"`` 1 BC) and
    beyond 9999 as ``"Y17000"``. An interval is the start with an ``end`` (``"2004-06/2006-08"``),
    or with an open or unknown end (``"1985/.."``, ``"1985/"``); ``"../1985"`` and ``"/1985"``
    are dates whose ``open-start`` is open or unknown.
    """

    year: int
    month: int | None = None
    day: int | None = None
    season: Literal["spring", "summer", "autumn", "winter"] | None = None
    time: str | None = None
    uncertain: bool = False
    approximate: bool = False
    unspecified: str | None = None
    end: PartialDate | None = None
    open_start: Bound | None = None
    open_end: Bound | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"year": data}
        if isinstance(data, str):
            # dates repeat (a year, a month): each distinct one is parsed once; a copy is
            # handed out, the parse of one that is not a date raises again each time
            parsed = _PARSED.get(data)
            if parsed is None:
                parsed = parse_partial_date(data)
                if len(_PARSED) >= _PARSED_MAX:
                    _PARSED.clear()
                _PARSED[data] = parsed
            return dict(parsed)
        return data

    @model_validator(mode="after")
    def _check(self) -> PartialDate:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if self.day is not None and self.month is not None:
            leap = self.year % 4 == 0 and (self.year % 100 != 0 or self.year % 400 == 0)
            limit = _DAYS[self.month - 1] - (1 if self.month == 2 and not leap else 0)
            if not 1 <= self.day <= limit:
                raise ValueError(f"day {self.day} does not exist in {self.year}-{self.month:02d}")
        if self.season is not None and self.month is not None:
            raise ValueError("a date has a month or a season, not both")
        if self.time is not None and self.day is None:
            raise ValueError("a time needs a day")
        if self.end is not None and (
            self.open_end is not None or self.end.end is not None or self.end.open_end
        ):
            raise ValueError("an interval has one end")
        if self.open_start is not None and (self.end is not None or self.open_end is not None):
            raise ValueError("an interval with an open start ends at this date")
        return self

    def _point(self) -> str:
        if self.unspecified is not None:
            out = self.unspecified
        else:
            y = self.year
            out = f"{y:04d}" if 0 <= y <= 9999 else (f"-{-y:04d}" if -9999 <= y < 0 else f"Y{y}")
            if self.season is not None:
                out += f"-{_SEASON_CODES[self.season]}"
            elif self.month is not None:
                out += f"-{self.month:02d}"
                if self.day is not None:
                    out += f"-{self.day:02d}"
                    if self.time is not None:
                        out += "T" + self.time
        if self.uncertain and self.approximate:
            out += "%"
        elif self.uncertain:
            out += "?"
        elif self.approximate:
            out += "~"
        return out

    def iso(self) -> str:
        """The EDTF string (``"2022-05"``, ``"1999-21/1999-22"``, ``"1984~"``, ``"../1985"``)."""
        out = self._point()
        if self.open_start is not None:
            return ("../" if self.open_start == "open" else "/") + out
        if self.end is not None:
            return out + "/" + self.end._point()
        if self.open_end is not None:
            return out + ("/.." if self.open_end == "open" else "/")
        return out

    @property
    def is_simple(self) -> bool:
        """A single date with no qualifier, time, unspecified digit or interval."""
        return (
            self.end is None
            and self.open_start is None
            and self.open_end is None
            and self.time is None
            and self.unspecified is None
            and not self.uncertain
            and not self.approximate
        )

    def parts(self) -> list[int]:
        out = [self.year]
        if self.month is not None:
            out.append(self.month)
            if self.day is not None:
                out.append(self.day)
        return out

    def sort_tuple(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @model_serializer(mode="plain")
    def _ser(self) -> str:
        return self.iso()

    def __str__(self) -> str:
        return self.iso()


def _parse_point(text: str) -> dict[str, Any]:
    m = _POINT_RE.match(text)
    if not m:
        raise ValueError(
            f"not a date: {text!r} (expected EDTF: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-21..24 for a "
            "season, with ?, ~ or %, or an interval A/B)"
        )
    out: dict[str, Any] = {}
    ytext, mtext, dtext = m.group("year"), m.group("month"), m.group("day")
    if "X" in ytext or (mtext and "X" in mtext) or (dtext and "X" in dtext):
        if m.group("time"):
            raise ValueError(f"not a date: {text!r} (a time needs a fully specified day)")
        spec = text[: m.end("day") if dtext else m.end("month") if mtext else m.end("year")]
        out["unspecified"] = spec
        out["year"] = int(ytext.replace("X", "0"))
        if mtext and "X" not in mtext:
            out["month"] = int(mtext)
            if dtext and "X" not in dtext:
                out["day"] = int(dtext)
        elif dtext and "X" not in dtext:
            raise ValueError(f"not a date: {text!r} (a day needs a month)")
    else:
        out["year"] = int(ytext[1:]) if ytext.startswith("Y") else int(ytext)
        if mtext:
            mm = int(mtext)
            if mm in _SEASONS and not dtext:
                out["season"] = _SEASONS[mm]
            else:
                out["month"] = mm
        if dtext:
            out["day"] = int(dtext)
        if m.group("time"):
            out["time"] = m.group("time")
    q = m.group("q")
    if q in ("?", "%"):
        out["uncertain"] = True
    if q in ("~", "%"):
        out["approximate"] = True
    return out


_PARSED: dict[str, dict[str, Any]] = {}
_PARSED_MAX = 100_000


def parse_partial_date(text: str) -> dict[str, Any]:
    """An EDTF level 0/1 date or interval as the fields of :class:`PartialDate`."""
    s = text.strip()
    m = _PLAIN_DATE_RE.match(s)
    if m:  # the common case, quickly
        return _parse_point(s) if m.group(2) else {"year": int(m.group(1))}
    if "/" not in s:
        return _parse_point(s)
    start, _, end = s.partition("/")
    if "/" in end:
        raise ValueError(f"not a date: {text!r} (an interval has one '/')")
    if start in ("", ".."):
        if end in ("", ".."):
            raise ValueError(f"not a date: {text!r} (an interval needs one known end)")
        out = _parse_point(end)
        out["open_start"] = "open" if start == ".." else "unknown"
        return out
    out = _parse_point(start)
    if end in ("", ".."):
        out["open_end"] = "open" if end == ".." else "unknown"
    else:
        out["end"] = _parse_point(end)
    return out


# --- multilingual text ----------------------------------------------------------------------


class LangText(Kebab):
    """A text with the language (BCP 47) it is written in."""

    text: str = Field(min_length=1)
    lang: LangTag | None = None

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @model_serializer(mode="wrap")
    def _ser(self, handler: Any) -> Any:
        if self.lang is None:
            return self.text
        return handler(self)


class MultiText(Kebab):
    """A title-like text as printed, with optional variants in other languages or scripts.

    ``text`` is the form used for output. ``printed`` keeps the source's own form when it differs
    (e.g. set in capitals). ``original`` is the original-language form, ``translated`` a
    translation, ``transliterated`` a romanisation, each with its own language tag.
    """

    text: str = Field(min_length=1)
    lang: LangTag | None = None
    printed: str | None = None
    original: LangText | None = None
    translated: LangText | None = None
    transliterated: LangText | None = None

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @model_serializer(mode="wrap")
    def _ser(self, handler: Any) -> Any:
        if (
            self.lang is None
            and self.printed is None
            and self.original is None
            and self.translated is None
            and self.transliterated is None
        ):
            return self.text
        return handler(self)

    def variants(self) -> list[tuple[str, str]]:
        """Every form held, as ``(variant-name, text)`` pairs, the main text first."""
        out = [("text", self.text)]
        if self.printed:
            out.append(("printed", self.printed))
        for name in ("original", "translated", "transliterated"):
            v: LangText | None = getattr(self, name)
            if v is not None:
                out.append((name, v.text))
        return out


NonEmptyStr = Annotated[str, Field(min_length=1)]


# --- values kept verbatim, per format ---------------------------------------------------------

_FORMAT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def _decode_verbatim(data: Any) -> Any:
    if not isinstance(data, dict):
        raise ValueError("verbatim: a mapping of format name -> {field: value as written}")
    out: dict[str, dict[str, Any]] = {}
    for fmt, fields in data.items():
        if not isinstance(fmt, str) or not _FORMAT_NAME.match(fmt):
            raise ValueError(f"verbatim: {fmt!r} is not a format name (csl, biblatex, ris...)")
        if not isinstance(fields, dict):
            raise ValueError(f"verbatim.{fmt}: a mapping of field -> value as written")
        held: dict[str, Any] = {}
        for name, value in fields.items():
            if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("json"), str):
                try:
                    value = json.loads(value["json"])
                except json.JSONDecodeError as exc:
                    raise ValueError(f"verbatim.{fmt}.{name}.json: not JSON ({exc.msg})") from None
            held[str(name)] = value
        out[fmt] = held
    return out


def _encode_verbatim(data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        fmt: {
            name: value
            if isinstance(value, str)
            else {"json": json.dumps(value, ensure_ascii=False)}
            for name, value in fields.items()
        }
        for fmt, fields in data.items()
    }


Verbatim = Annotated[
    dict[str, dict[str, Any]],
    BeforeValidator(_decode_verbatim),
    PlainSerializer(_encode_verbatim),
]
"""What a format says that has no typed field, or says in a form the typed field cannot repeat,
kept exactly as written, per format: ``{csl: {"citation-number": ...}, biblatex: {titleaddon:
...}}``. Written back only to the same format. In YAML a value that is not a string is written
as ``{json: '<its JSON text>'}`` (YAML readers would retype ``true`` or ``5``)."""
