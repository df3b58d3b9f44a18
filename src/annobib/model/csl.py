"""The CSL crosswalk: every CSL 1.0.2 variable and the record field that holds it, both ways.

``sources/csljson.py`` (CSL-JSON in) and ``exporters/csljson.py`` (out, and the formatted
output that goes through citeproc-js) both use this table, so a variable is read and written
the same way. Pure functions on plain data; no I/O.

A CSL value that the typed field cannot give back exactly (a DOI written as a URL, a name
with an extension, a date with a literal or a season in words) is kept as written in the
record's ``verbatim.csl``; :func:`apply_verbatim` writes it back while the typed field still
means the same (see docs/formats/csljson.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annobib.model.person import INITIALS_RE, Person

if TYPE_CHECKING:
    from annobib.model.record import Work
    from annobib.model.values import PartialDate

#: CSL variable -> (record field, kind). Kinds: text, number, title (MultiText), names, date,
#: and the few with their own form (doi, url, lang, isbn, issn, keywords).
VARIABLES: dict[str, tuple[str, str]] = {
    "title": ("title", "title"),
    "title-short": ("title_short", "text"),
    "volume-title": ("volume_title", "title"),
    "volume-title-short": ("volume_title_short", "text"),
    "part-title": ("part_title", "text"),
    "reviewed-title": ("reviewed_title", "text"),
    "reviewed-genre": ("reviewed_genre", "text"),
    "container-title": ("container_title", "title"),
    "container-title-short": ("container_title_short", "text"),
    "collection-title": ("collection_title", "title"),
    "collection-title-short": ("collection_title_short", "text"),
    "collection-number": ("collection_number", "number"),
    "language": ("language", "lang"),
    "volume": ("volume", "number"),
    "issue": ("issue", "number"),
    "page": ("pages", "number"),
    "page-first": ("page_first", "number"),
    "number-of-pages": ("page_count", "number"),
    "number-of-volumes": ("number_of_volumes", "number"),
    "number": ("number", "number"),
    "chapter-number": ("chapter_number", "number"),
    "part-number": ("part_number", "number"),
    "supplement-number": ("supplement_number", "number"),
    "printing-number": ("printing_number", "number"),
    "section": ("section", "number"),
    "edition": ("edition", "number"),
    "version": ("version", "number"),
    "publisher": ("publisher", "text"),
    "publisher-place": ("publisher_place", "text"),
    "original-publisher": ("original_publisher", "text"),
    "original-publisher-place": ("original_publisher_place", "text"),
    "genre": ("genre", "text"),
    "status": ("status", "text"),
    "authority": ("authority", "text"),
    "jurisdiction": ("jurisdiction", "text"),
    "division": ("division", "text"),
    "medium": ("medium", "text"),
    "dimensions": ("dimensions", "text"),
    "scale": ("scale", "text"),
    "source": ("source", "text"),
    "references": ("references", "text"),
    "event-title": ("event_title", "text"),
    "event-place": ("event_place", "text"),
    "archive": ("archive", "text"),
    "archive_collection": ("archive_collection", "text"),
    "archive_location": ("archive_location", "text"),
    "archive-place": ("archive_place", "text"),
    "call-number": ("call_number", "text"),
    "citation-label": ("citation_label", "text"),
    "DOI": ("doi", "doi"),
    "URL": ("url", "url"),
    "ISBN": ("isbn", "isbn"),
    "ISSN": ("issn", "issn"),
    "PMID": ("pmid", "text"),
    "PMCID": ("pmcid", "text"),
    "abstract": ("abstract", "text"),
    "note": ("note", "text"),
    "keyword": ("keywords", "keywords"),
    "issued": ("issued", "date"),
    "accessed": ("accessed", "date"),
    "original-date": ("original_date", "date"),
    "event-date": ("event_date", "date"),
    "submitted": ("submitted", "date"),
    "available-date": ("available_date", "date"),
}
for _role in (
    "author", "editor", "translator", "chair", "collection-editor", "compiler", "composer",
    "container-author", "contributor", "curator", "director", "editorial-director",
    "editor-translator", "executive-producer", "guest", "host", "illustrator", "interviewer",
    "narrator", "organizer", "original-author", "performer", "producer", "recipient",
    "reviewed-author", "script-writer", "series-creator",
):
    VARIABLES[_role] = (_role.replace("-", "_"), "names")

#: other spellings of a variable: CSL 1.0.1's ``event``; CSL-JSON's (Zotero's) short titles
ALIASES: dict[str, str] = {
    "event": "event-title",
    "journalAbbreviation": "container-title-short",
    "shortTitle": "title-short",
}

#: record field -> its CSL variable
FIELD_VARIABLE: dict[str, str] = {f: var for var, (f, _) in VARIABLES.items()}

_SEASON_NAME = {1: "spring", 2: "summer", 3: "autumn", 4: "winter"}
_SEASON_NUMBER = {v: k for k, v in _SEASON_NAME.items()}
_CSL_SEASON_MONTH = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}

#: CSL name parts held by a Person field of the same name (kebab-case)
NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
NAME_FLAGS = ("comma-suffix", "static-ordering")


# --- model -> CSL -------------------------------------------------------------------------------


def csl_year(year: int) -> int:
    """EDTF's astronomical year (0 = 1 BC) as CSL counts (-1 = 1 BC, no year 0)."""
    return year if year > 0 else year - 1


def model_year(year: int) -> int:
    """A CSL year (-44 = 44 BC) as EDTF counts (-43)."""
    return year if year > 0 else year + 1


def date_to_csl(d: PartialDate) -> dict[str, Any]:
    start = d.parts()
    start[0] = csl_year(start[0])
    out: dict[str, Any] = {}
    if d.end is not None:
        end = d.end.parts()
        end[0] = csl_year(end[0])
        if d.season is not None or d.end.season is not None:
            # a season range as CSL-JSON writes it: month 21-24 in date-parts
            if d.season is not None:
                start.append(_SEASON_NUMBER[d.season] + 20)
            if d.end.season is not None:
                end.append(_SEASON_NUMBER[d.end.season] + 20)
        out["date-parts"] = [start, end]
    else:
        out["date-parts"] = [start]
        if d.season is not None:
            out["season"] = _SEASON_NUMBER[d.season]
    if d.approximate or d.uncertain:
        out["circa"] = True
    if (d.open_start is not None or d.open_end is not None or d.unspecified or d.time
            or d.uncertain):  # circa says "approximate" only: "?" and "%" need the EDTF
        out["raw"] = d.iso()  # what date-parts cannot say, in EDTF (citeproc-js reads it)
    return out


def name_to_csl(p: Person) -> dict[str, Any]:
    if p.literal is not None:
        return {"literal": p.literal}
    out: dict[str, Any] = {}
    if p.family is not None:
        out["family"] = p.family
    first = p.first_names()
    if first:
        out["given"] = first
    if p.dropping_particle:
        out["dropping-particle"] = p.dropping_particle
    if p.non_dropping_particle:
        out["non-dropping-particle"] = p.non_dropping_particle
    if p.suffix:
        out["suffix"] = p.suffix
    if p.comma_suffix:
        out["comma-suffix"] = True
    if p.static_ordering:
        out["static-ordering"] = True
    extra = (p.verbatim or {}).get("csl")
    if extra:
        out.update(extra)
    return out


def value_to_csl(kind: str, value: Any) -> Any:
    """The CSL-JSON form of one record field's value (``None``: not written)."""
    if value is None or (type(value) in (str, list) and not value):
        return None
    if kind == "title":
        return value.text
    if kind == "names":
        return [name_to_csl(p) for p in value]
    if kind == "date":
        return date_to_csl(value)
    if kind in ("isbn", "issn"):
        return " ".join(value)
    if kind == "keywords":
        return ", ".join(value)
    return value


# --- CSL -> model -------------------------------------------------------------------------------


class Doubt(ValueError):
    """A CSL value the record cannot hold as a typed field: it is kept verbatim and reported."""


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Doubt("not a text")
    s = str(value)
    if not s.strip():
        raise Doubt("empty")
    return s


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value)


def _int(x: Any) -> int:
    if isinstance(x, bool):
        raise Doubt("date parts are not numbers")
    if isinstance(x, int):
        return x
    if isinstance(x, str) and re.fullmatch(r"\s*-?\d+\s*", x):
        return int(x)
    raise Doubt("date parts are not numbers")


def _point(parts: Any) -> dict[str, Any]:
    if not isinstance(parts, list) or not parts or len(parts) > 3:
        raise Doubt("date parts must be [year, month, day]")
    nums = [_int(x) for x in parts]
    if nums[0] == 0:
        raise Doubt("CSL has no year 0")
    out: dict[str, Any] = {"year": model_year(nums[0])}
    if len(nums) > 1:
        if nums[1] in _CSL_SEASON_MONTH and len(nums) == 2:
            out["season"] = _CSL_SEASON_MONTH[nums[1]]
        else:
            out["month"] = nums[1]
        if len(nums) > 2:
            out["day"] = nums[2]
    return out


def date_from_csl(value: Any) -> dict[str, Any] | str:
    """A CSL date object as the plain fields of a PartialDate (or its EDTF string)."""
    if not isinstance(value, dict):
        raise Doubt("not a CSL date object")
    known = {"date-parts", "season", "circa", "raw", "literal"}
    if set(value) - known:
        raise Doubt(f"date keys {sorted(set(value) - known)}")
    if "literal" in value:
        raise Doubt("a literal date (text, not a date)")
    parts = value.get("date-parts")
    if parts is None:
        raw = value.get("raw")
        if isinstance(raw, str) and raw.strip():
            return raw.strip()  # validated as EDTF by the model; else kept verbatim
        raise Doubt("a date without date-parts")
    if not isinstance(parts, list) or not parts or len(parts) > 2:
        raise Doubt("date-parts must hold one or two dates")
    out = _point(parts[0])
    if len(parts) == 2:
        end = _point(parts[1])
        if end != out:
            out["end"] = end
    season = value.get("season")
    if season is not None:
        try:
            number = _int(season)
        except Doubt:
            raise Doubt("a season in words") from None
        if number not in _SEASON_NAME or "month" in out or "season" in out:
            raise Doubt("season is not 1-4 for a year")
        out["season"] = _SEASON_NAME[number]
    if value.get("circa"):
        out["approximate"] = True
    raw = value.get("raw")
    if not isinstance(raw, str) or raw.strip() != raw:
        return out
    try:  # the EDTF annobib wrote beside the date-parts (an open end, "?"): it says more
        exact = _adapter("date").validate_python(raw)
    except ValueError:
        return out
    return raw if date_to_csl(exact) == value else out


def name_from_csl(n: Any) -> dict[str, Any]:
    if not isinstance(n, dict):
        raise Doubt("not a CSL name object")
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for k, v in n.items():
        if k == "literal" or k in NAME_PARTS:
            if isinstance(v, str) and v:
                out[k] = v
            else:
                extra[k] = v
        elif k in NAME_FLAGS and v is True:
            out[k] = True
        else:
            extra[k] = v
    given = out.get("given")
    if given is not None and "family" in out and INITIALS_RE.match(given):
        out["initials"] = out.pop("given")  # "R.", "J. M.": initials as printed
    if extra:
        # as the model's verbatim map holds them: a value that is not a string as its JSON
        out["verbatim"] = {"csl": {
            k: v if isinstance(v, str) else {"json": json.dumps(v, ensure_ascii=False)}
            for k, v in extra.items()
        }}
    return out


_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")


def value_from_csl(kind: str, value: Any) -> Any:
    """The plain model value for a CSL value of ``kind``; :class:`Doubt` when it has none."""
    if kind in ("text", "title", "lang", "url", "doi"):
        return _text(value)
    if kind == "number":
        return _number(value)
    if kind == "names":
        if not isinstance(value, list):
            raise Doubt("not a list of names")
        return [name_from_csl(n) for n in value]
    if kind == "date":
        return date_from_csl(value)
    if kind == "keywords":
        text = _text(value)
        return [k for k in _KEYWORD_SPLIT.split(text) if k]
    raise Doubt(f"no reader for {kind}")  # isbn/issn: the reader finds identifiers itself


# --- comparing what was read with what is written ----------------------------------------------


def normal(value: Any) -> Any:
    """A CSL value with numbers as the equivalent strings (the round trip's equality)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)
    if isinstance(value, list):
        return [normal(v) for v in value]
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    return value


def variable_of(key: str) -> str:
    return ALIASES.get(key, key)


def apply_verbatim(
    item: dict[str, Any], work: Work, reads_as: Callable[[str, Any], Any]
) -> dict[str, Any]:
    """``item`` with the record's ``verbatim.csl`` values written back where they still mean
    what the typed fields say. ``reads_as(var, raw)`` is what ``raw`` exports as once read."""
    held = (work.verbatim or {}).get("csl")
    if not held:
        return item
    omit = held.get("@omit")
    omit = set(omit) if isinstance(omit, list) else set()
    out = dict(item)
    for key, raw in held.items():
        if key.startswith("@"):
            continue
        if key == "custom" and isinstance(raw, dict) and isinstance(out.get("custom"), dict):
            out["custom"] = {**out["custom"], **raw}
            continue
        var = variable_of(key)
        if var not in VARIABLES and key != "type":
            out[key] = raw  # no typed field: the value as written
            continue
        typed = item.get(var)
        if typed is None:
            out[key] = raw  # a value the typed field could not hold (reported on import)
            continue
        if normal(reads_as(key, raw)) == normal(typed):
            out[key] = raw
            if key != var and var in omit:
                out.pop(var, None)  # the variable was written under this other name only
    for key in omit:
        if key not in VARIABLES and key in out and key not in held:
            out.pop(key)  # not in the source, and no field of the record asks for it
    return out


# --- a whole record -----------------------------------------------------------------------------

#: the variables written first, in the order annobib has always written them (diffable exports)
_FIRST = (
    "author", "editor", "translator", "container-title", "container-title-short",
    "collection-title", "language", "issued", "accessed", "volume", "issue", "page",
    "number-of-pages", "edition", "publisher", "publisher-place", "genre", "DOI", "URL",
    "abstract", "note", "ISBN", "ISSN", "keyword",
)
_ORDER = (*_FIRST, *(v for v in VARIABLES if v not in _FIRST and v != "title"))
# record field -> (its place in _ORDER, CSL variable, kind)
_PLACE: dict[str, tuple[int, str, str]] = {
    VARIABLES[var][0]: (i, var, VARIABLES[var][1]) for i, var in enumerate(_ORDER)
}


def _text_custom(text: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if text.lang:
        out["lang"] = text.lang
    if text.printed:
        out["printed"] = text.printed
    for name in ("original", "translated", "transliterated"):
        v = getattr(text, name)
        if v is not None:
            out[name] = {"text": v.text, **({"lang": v.lang} if v.lang else {})}
    return out


_DETAIL_KEYS: dict[str, str] = {}


def _person_custom(p: Person) -> dict[str, str]:
    # initials go to custom only beside a given name (alone, they are what "given" says)
    out: dict[str, str] = {"initials": p.initials} if p.initials and p.given else {}
    details = p.details()
    if details:
        if not _DETAIL_KEYS:
            from annobib.model.crosswalk import CSL_PERSON_DETAILS

            _DETAIL_KEYS.update({label: key for key, label in CSL_PERSON_DETAILS.items()})
        for label, value in details.items():
            out[_DETAIL_KEYS[label]] = value
    return out


_CSL_TYPES: dict[Any, str] = {}


def _csl_type(t: Any) -> str:
    found = _CSL_TYPES.get(t)
    if found is None:
        from annobib.model.crosswalk import csl_type

        found = _CSL_TYPES[t] = csl_type(t)
    return found


def typed_item(work: Work) -> dict[str, Any]:
    """The CSL-JSON item that the record's typed fields say (``verbatim`` not applied)."""
    item: dict[str, Any] = {"id": work.key, "type": _csl_type(work.type)}
    custom: dict[str, Any] = {}
    if work.title is not None:
        item["title"] = work.title.text
        if work.title.original is not None:
            item["original-title"] = work.title.original.text
        extra = _text_custom(work.title)
        if extra:
            custom["title"] = extra
    # a field never set holds its default (nothing to write): only the set ones, in order
    place = _PLACE
    todo = sorted(place[f] for f in work.model_fields_set if f in place)
    for _, var, kind in todo:
        value = getattr(work, VARIABLES[var][0])
        if value is None or (type(value) in (str, list) and not value):
            continue
        item[var] = value_to_csl(kind, value)
        if kind == "names":
            details = [_person_custom(p) for p in value]
            if any(details):
                custom[f"{var}-details"] = details
        elif kind == "title" and var == "container-title":
            extra = _text_custom(value)
            if extra:
                custom[var] = extra
    if work.annotation is not None and not work.annotation.is_empty():
        a = work.annotation
        text = "\n\n".join(p for p in (a.summary, a.evaluation, a.relevance) if p)
        if text:
            item["annote"] = text
        custom["annotation"] = a.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if work.license:
        custom["license"] = work.license
    if work.rights:
        custom["rights"] = work.rights
    wider = _CUSTOM_ATTRS.intersection(work.model_fields_set)
    if wider:  # what CSL has no variable for, as the YAML writes it (read back from custom)
        custom.update(work.model_dump(mode="json", by_alias=True, include=set(wider),
                                      exclude_defaults=True))
    if custom:
        item["custom"] = _custom_order(custom)
    return item


#: record fields CSL has no variable for (biblatex's own, issue 12), written to ``custom`` under
#: their YAML names and read back from there, as ``license`` and ``rights`` are
CUSTOM_FIELDS: tuple[str, ...] = (
    "subtitle", "title-addon", "main-title", "eprint", "eprint-type", "eprint-class",
    "annotator", "commentator", "holder", "crossref", "xref", "xdata", "entryset",
)
_CUSTOM_ATTRS = frozenset(n.replace("-", "_") for n in CUSTOM_FIELDS)


def custom_value_holds(name: str, value: Any) -> bool:
    """True when ``custom[name]`` is a value the record field ``name`` takes as it is."""
    from pydantic import TypeAdapter, ValidationError

    if name not in _ADAPTERS:
        from annobib.model.record import Work

        field: Any = Work.model_fields[name.replace("-", "_")].annotation
        _ADAPTERS[name] = TypeAdapter(field)
    try:
        _ADAPTERS[name].validate_python(value)
    except ValidationError:
        return False
    return value is not None


def _custom_order(custom: dict[str, Any]) -> dict[str, Any]:
    # the order annobib has always written: title, names' details, container, licence, rights,
    # annotation (diffable exports)
    order = ["title", *(k for k in custom if k.endswith("-details")), "container-title",
             "license", "rights", "annotation"]
    out = {k: custom[k] for k in order if k in custom}
    out.update((k, v) for k, v in custom.items() if k not in out)
    return out


class _Unreadable:
    """What a verbatim value reads as when it reads as nothing: equal to no exported value."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


_ADAPTERS: dict[str, Any] = {}


def _adapter(kind: str) -> Any:
    from pydantic import TypeAdapter

    if kind not in _ADAPTERS:
        from annobib.model.person import Person
        from annobib.model.values import DOI, URL, LangTag, PartialDate

        types: dict[str, Any] = {
            "names": list[Person], "date": PartialDate, "doi": DOI, "url": URL, "lang": LangTag,
        }
        _ADAPTERS[kind] = TypeAdapter(types[kind])
    return _ADAPTERS[kind]


_ID_TOKEN = {
    "isbn": re.compile(r"(?:97[89][- ]?)?\d[\d -]{7,15}[\dXx]"),
    "issn": re.compile(r"\b\d{4}-?\d{3}[\dXx]\b"),
}


def reads_as(key: str, raw: Any) -> Any:
    """What the CSL value ``raw`` of ``key`` is exported as once read into a record."""
    from annobib.model import crosswalk
    from annobib.model.record import WorkType

    try:
        if key == "type":
            # a type CSL does not know is imported as misc: it reads as misc's CSL type
            t = crosswalk.from_csl(raw) if isinstance(raw, str) else None
            return crosswalk.csl_type(t or WorkType.MISC)
        kind = VARIABLES[variable_of(key)][1]
        if kind in ("isbn", "issn"):
            text = " ".join(map(str, raw)) if isinstance(raw, list) else str(raw)
            return " ".join(m.group() for m in _ID_TOKEN[kind].finditer(text))
        value = value_from_csl(kind, raw)
        if kind in ("names", "date", "doi", "url", "lang"):
            value = _adapter(kind).validate_python(value)
        elif kind == "title":
            return value
        return value_to_csl(kind, value)
    except (ValueError, TypeError, KeyError):  # pydantic's ValidationError is a ValueError
        return _Unreadable()


def work_item(work: Work) -> dict[str, Any]:
    """The record's CSL-JSON item: its typed fields, with ``verbatim.csl`` written back where
    it still means what they say."""
    return apply_verbatim(typed_item(work), work, reads_as)
