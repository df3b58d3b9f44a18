"""Persons and organisations, as printed."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import Field, model_serializer, model_validator

from annobib.model.values import Kebab, LangTag, Verbatim

INITIALS_RE = re.compile(r"^(?:[^\W\d_][^\W\d_]?\.\s?-?)+$")


class Person(Kebab):
    """One author or editor.

    A person has a ``family`` name and ``given`` names and/or ``initials`` as printed
    (``Tomberg, I. R.``); when a source prints both (``Igor R.`` and ``I. R.``) both are kept,
    and ``given`` is the one used for output. An organisation has only a ``literal`` name.
    ``original-script`` holds the name in another script (``Томберг, И. Р.``);
    ``affiliation``, ``degree``, ``country``, ``address``, ``orcid`` and ``email`` describe an
    article's own authors.

    The parts of a name are held apart, never folded into ``family``: ``dropping-particle``
    (``d'``, ``de`` in "Jean de La Fontaine" when sorted under L), ``non-dropping-particle``
    (``van`` in "van Gogh", kept with the family name), ``suffix`` (``Jr.``, ``III``), with
    ``comma-suffix`` when it is printed after a comma ("Jr., John" / "John Smith, Jr.") and
    ``static-ordering`` for a name always printed family first (CSL). biblatex's ``prefix``
    (the "von" part) is a ``non-dropping-particle`` when the name's own ``use-prefix`` is true
    and a ``dropping-particle`` otherwise; ``use-prefix`` keeps the per-name option as
    written. ``verbatim`` keeps what a format says of a name that has no field here (CSL
    extensions such as citeproc-js's ``multi``), per format, exactly as written.

    Short form in YAML: ``"Family, Given"`` or ``"Family, I. R."``; ``"{Organisation}"`` braces
    mark a literal (organisation) name, as in BibTeX. A name with any other part is a mapping.
    """

    family: str | None = None
    given: str | None = None
    initials: str | None = None
    literal: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None
    comma_suffix: bool = False
    static_ordering: bool = False
    use_prefix: bool | None = None
    original_script: str | None = None
    original_lang: LangTag | None = None
    affiliation: str | None = None
    degree: str | None = None
    country: str | None = None
    address: str | None = None
    orcid: str | None = Field(
        default=None, pattern=r"^(https?://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$"
    )
    email: str | None = None
    verbatim: Verbatim | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_and_check(cls, data: Any) -> Any:
        # One Python validator instead of a before and an after one: persons are the most
        # numerous objects in a library, and each Python call per object costs.
        if isinstance(data, str):
            data = parse_name(data)
        if isinstance(data, dict):
            if data.get("literal") is not None:
                if data.get("family") or data.get("given") or data.get("initials"):
                    raise ValueError("a literal (organisation) name has no family/given/initials")
            elif not data.get("family") and not data.get("given"):
                raise ValueError(
                    "a person needs a family name (or a given name alone), or a literal name "
                    "for an organisation"
                )
        return data

    @model_serializer(mode="wrap")
    def _ser(self, handler: Any) -> Any:
        # the short string form when the name alone is given and reads back the same; written
        # out as plain tests because this runs for every person of a library (386,000 in the
        # 20k-entry benchmark corpus)
        if (
            self.original_script is None
            and self.original_lang is None
            and self.affiliation is None
            and self.degree is None
            and self.country is None
            and self.address is None
            and self.orcid is None
            and self.email is None
            and self.dropping_particle is None
            and self.non_dropping_particle is None
            and self.suffix is None
            and not self.comma_suffix
            and not self.static_ordering
            and self.use_prefix is None
            and self.verbatim is None
        ):
            short = self.short()
            if short is not None:
                # whether the short form reads back as this name depends on the name alone,
                # and names repeat (co-authors): decided once per name
                name = (self.family, self.given, self.initials, self.literal)
                same = _READS_BACK.get(name)
                if same is None:
                    same = parse_name(short) == self._name_dict()
                    if len(_READS_BACK) >= 200_000:
                        _READS_BACK.clear()
                    _READS_BACK[name] = same
                if same:
                    return short
        return handler(self)

    def _name_dict(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name in ("family", "given", "initials", "literal"):
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        return out

    def short(self) -> str | None:
        if self.literal is not None:
            return "{" + self.literal + "}"
        if self.family is None:
            return None
        first = self.given or self.initials
        return f"{self.family}, {first}" if first else self.family

    #: fields that describe a person beyond the name, in output order (kebab-case labels)
    DETAIL_FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("original_script", "original-script"),
        ("original_lang", "original-lang"),
        ("affiliation", "affiliation"),
        ("degree", "degree"),
        ("country", "country"),
        ("address", "address"),
        ("orcid", "orcid"),
        ("email", "email"),
    )

    def details(self) -> dict[str, str]:
        """The non-name fields that are set, by kebab-case label, in ``DETAIL_FIELDS`` order."""
        out: dict[str, str] = {}
        if not self.model_fields_set & _DETAIL_ATTRS:
            return out  # the common case, cheaply: a name and nothing else
        for attr, label in self.DETAIL_FIELDS:
            value = getattr(self, attr)
            if value:
                out[label] = value
        return out

    @property
    def is_organisation(self) -> bool:
        return self.literal is not None

    def first_names(self) -> str | None:
        return self.given or self.initials

    def display(self) -> str:
        if self.literal is not None:
            return self.literal
        first = self.first_names()
        if self.family is None:
            return first or ""
        return f"{self.family}, {first}" if first else self.family


_DETAIL_ATTRS = frozenset(attr for attr, _ in Person.DETAIL_FIELDS)
_READS_BACK: dict[tuple[str | None, str | None, str | None, str | None], bool] = {}


def parse_name(text: str) -> dict[str, str]:
    """``"Tomberg, I. R."`` → family + initials; ``"{UN}"`` → literal; ``"Plato"`` → family."""
    s = text.strip()
    if s.startswith("{") and s.endswith("}") and len(s) > 2:
        return {"literal": s[1:-1]}
    if "," in s:
        family, _, first = s.partition(",")
        family, first = family.strip(), first.strip()
        out = {"family": family}
        if first:
            out["initials" if INITIALS_RE.match(first) else "given"] = first
        return out
    return {"family": s}
