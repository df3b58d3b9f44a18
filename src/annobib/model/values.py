"""Small value types: partial dates, DOIs, language tags, multilingual text. No I/O."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
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
    """Strip resolver prefixes and lower-case: DOIs are case-insensitive (ISO 26324)."""
    v = _DOI_PREFIXES.sub("", value.strip())
    if not _DOI_RE.match(v):
        raise ValueError(f"not a DOI: {value!r} (expected 10.NNNN/suffix)")
    return v.lower()


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

# --- partial dates --------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class PartialDate(Strict):
    """A date known to the year, month or day; or a year and a season (EDTF ``1999-23``).

    Written in YAML as ``"2022"``, ``"2022-05"``, ``"2022-05-14"`` or ``"1999-23"``
    (EDTF level 1 seasons, as biblatex reads them: 21 spring, 22 summer, 23 autumn, 24 winter).
    """

    year: int
    month: int | None = None
    day: int | None = None
    season: Literal["spring", "summer", "autumn", "winter"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"year": data}
        if isinstance(data, str):
            return parse_partial_date(data)
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
        return self

    def iso(self) -> str:
        if self.season is not None:
            code = {v: k for k, v in _SEASONS.items()}[self.season]
            return f"{self.year:04d}-{code}"
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

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


def parse_partial_date(text: str) -> dict[str, Any]:
    m = _DATE_RE.match(text.strip())
    if not m:
        raise ValueError(
            f"not a date: {text!r} (expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-21..24 for a season)"
        )
    year = int(m.group(1))
    out: dict[str, Any] = {"year": year}
    if m.group(2):
        mm = int(m.group(2))
        if mm in _SEASONS and not m.group(3):
            out["season"] = _SEASONS[mm]
            return out
        out["month"] = mm
    if m.group(3):
        out["day"] = int(m.group(3))
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
