"""Name lists of a BibTeX entry: ``Last, First and {Org} and others``, split by BibTeX's rules,
and the names shared between the records of one import."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from annobib.codecs.bibnames import NEEDS_DECODE as _NEEDS_DECODE
from annobib.codecs.bibnames import name_parts as _name_parts
from annobib.codecs.bibnames import split_names as _split_names
from annobib.codecs.bibstrings import one_group
from annobib.model.person import Person
from annobib.sources.bibtex.values import field_text
from annobib.sources.interchange import RecordBuilder, person_data


class SharedPersons:
    """Names repeat (co-authors across a library: 74,000 distinct of 386,000 in the 20k-entry
    benchmark corpus). For ``annobib import``, whose records are written out as YAML at once
    and never handed on, a name's validated Person and its YAML form are made once and shared;
    a name whose reading reported anything is not kept, so each record still gets its own
    findings. ``forms`` is keyed by the id of a Person held here (alive as long as its form)."""

    MAX = 200_000

    def __init__(self) -> None:
        self.by_name: dict[str, Person] = {}
        self.forms: dict[int, Any] = {}

    def add(self, name: str, person: Person) -> None:
        if len(self.by_name) >= self.MAX:
            self.by_name.clear()
            self.forms.clear()
        self.by_name[name] = person
        self.forms[id(person)] = person.model_dump(mode="json", by_alias=True,
                                                   exclude_defaults=True)


SHARED = SharedPersons()


def names(
    b: RecordBuilder, name: str, raw: str, shared: SharedPersons | None = None
) -> list[dict[str, Any] | Person]:
    people: list[dict[str, Any] | Person] = []
    for one in _split_names(raw):
        one = one.strip()
        if shared is not None:
            known = shared.by_name.get(one)
            if known is not None:
                people.append(known)
                continue
        reported = len(b.findings)
        p = _person(b, name, one)
        if p is None:
            continue
        if shared is not None and len(b.findings) == reported:
            try:
                person = Person.model_validate(p)
            except ValidationError:  # the record's validation reports it
                pass
            else:
                shared.add(one, person)
                people.append(person)
                continue
        people.append(p)
    return people


_EXTENDED = re.compile(r"^\s*(?:family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)
_EXT_PART = re.compile(r"\s*([A-Za-z-]+)\s*=\s*")


def _split_commas(s: str) -> list[str]:
    """``s`` split at commas outside braces."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(s):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(s[start:i])
            start = i + 1
    out.append(s[start:])
    return out


def _extended(b: RecordBuilder, name: str, one: str) -> dict[str, Any] | None:
    """biblatex's extended name format: ``family=Goethe, given=Johann Wolfgang``, with
    ``prefix`` (a particle: non-dropping with ``useprefix=true``, else dropping), ``suffix``
    and a per-name ``useprefix`` (held as ``use-prefix`` unless a non-dropping particle
    says it)."""
    parts: dict[str, str] = {}
    for piece in _split_commas(one):
        m = _EXT_PART.match(piece)
        if m is None:
            b.not_held(name, one, "a part of an extended name without 'key=value'")
            return None
        value = piece[m.end():].strip()
        if value.startswith("{") and value.endswith("}") and one_group(value):
            value = value[1:-1]
        parts[m.group(1).lower()] = value
    out: dict[str, Any] = {}
    use = parts.pop("useprefix", None)
    if use is not None:
        out["use-prefix"] = use.strip().lower() == "true"
    for key, model in (("family", "family"), ("given", "given"), ("suffix", "suffix")):
        if key in parts:
            out[model] = field_text(b, name, parts.pop(key), keep=False)
    if "prefix" in parts:
        particle = "non-dropping-particle" if out.get("use-prefix") else "dropping-particle"
        out[particle] = field_text(b, name, parts.pop("prefix"), keep=False)
        if particle == "non-dropping-particle":
            # the kind of particle says it (and is written back as useprefix=true): a CSL
            # name's non-dropping particle comes back from BibLaTeX as it went
            del out["use-prefix"]
    for key, value in parts.items():
        b.not_held(f"{name}.{key}", value, "a part of an extended name the model has no field for")
    return out or None


def _person(b: RecordBuilder, name: str, one: str) -> dict[str, Any] | None:
    """One name of a name list, as model data (None: reported as not held)."""
    if one.lower() == "others":
        b.not_held(name, "others", "'and others' (a truncated name list) has no place (the list "
                   "goes back to BibLaTeX/BibTeX as written)")
        return None
    if one.startswith("{") and one.endswith("}") and one_group(one):
        return {"literal": field_text(b, name, one[1:-1], keep=False)}
    if "=" in one and _EXTENDED.match(one):
        return _extended(b, name, one)
    parts = _name_parts(one)
    if parts is None:
        b.not_held(name, one, "a name BibTeX's rules cannot split")
        return None
    von, family, jr, given = parts
    if _NEEDS_DECODE.search(family):
        family = field_text(b, name, family, keep=False)
    if given and _NEEDS_DECODE.search(given):
        given = field_text(b, name, given, keep=False)
    person = person_data(family or None, given or None)
    if person is not None and (von or jr):
        # BibTeX's "von" part: a particle, dropped in sorting unless the name or entry says
        # useprefix (biblatex's default); its "Jr" part: a suffix
        if von:
            person["dropping-particle"] = field_text(b, name, von, keep=False)
        if jr:
            person["suffix"] = field_text(b, name, jr, keep=False)
    return person
