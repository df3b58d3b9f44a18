"""The fields of one BibTeX/BibLaTeX entry -> model data, through the shared crosswalk
(:mod:`annobib.codecs.bibfields`): the entry type, names, titles, then every row of the table
in its order; what no row takes is reported as not held."""

from __future__ import annotations

import re
from typing import Any

from annobib.codecs import biblatex_dm, langs
from annobib.codecs.bibfields import (
    BIBER_ALIASES,
    BIBER_TYPES,
    BY_MODEL,
    DATE_FIELDS,
    ENTRY_TYPE,
    LIST_RELATIONS,
    NAME_FIELDS,
    RELATION_FIELDS,
    TEXT_ROWS,
    Row,
    accepts,
    datamodel_type,
    number_field,
    split_urls,
    target,
)
from annobib.codecs.bibnames import name_parts, split_names, write_name
from annobib.codecs.bibstrings import one_group
from annobib.codecs.tex import balanced
from annobib.codecs.texdecode import normalise_space
from annobib.findings import Severity
from annobib.model import crosswalk
from annobib.model.person import Person
from annobib.model.record import WorkType
from annobib.model.values import normalise_doi
from annobib.sources.bibtex.names import SharedPersons, names
from annobib.sources.bibtex.values import date, field_text, is_date
from annobib.sources.interchange import (
    NOT_HELD,
    UNKNOWN_TYPE,
    RecordBuilder,
    identifiers,
    is_lang,
)

_OTHERS = re.compile(r"\band\s+others\s*$", re.IGNORECASE)
_VON = re.compile(r"(?:^|\s)(?!and\s)[a-z]")
# fields consumed by the type decision or carrying nothing for the model
_TYPE_FIELDS = frozenset({"entrysubtype"})
# "--" and a lone hyphen in one pages value
_HYPHENATED_RANGE = re.compile(r"(?<!-)-(?!-).*--|--.*(?<!-)-(?!-)")
# the text rows (by place in TEXT_ROWS) that may read each .bib field, for any entry type: an
# entry has a few of the ~25 rows' fields, and a row none of whose fields is there does nothing
def _rows_reading() -> dict[str, tuple[int, ...]]:
    out: dict[str, tuple[int, ...]] = {}
    for i, row in enumerate(TEXT_ROWS):
        by_type = [n for names in row.read_by_type.values() for n in names]
        for name in dict.fromkeys((*row.read, *by_type)):
            out[name] = (*out.get(name, ()), i)
    return out


_ROWS_READING = _rows_reading()


def first_value(b: RecordBuilder, fields: dict[str, str], row: Row, entry_type: str) -> None:
    """The first of ``row``'s fields present wins; every later one is kept as written for
    BibLaTeX/BibTeX (biber reads each) and reported."""
    model = row.model
    dm_type = datamodel_type(entry_type)
    first: tuple[str, str] | None = None
    for name in row.names(entry_type):
        if name in fields:
            raw = fields.pop(name)
            value = field_text(b, name, raw)
            if model in b.data:
                b.not_held(name, value, f"the record already has {row.what} (kept as written "
                           "for the BibLaTeX/BibTeX export only)")
                kept = b.data.setdefault("verbatim", {}).setdefault("biblatex", {})
                kept.setdefault(name, raw)
                if first is not None:
                    # the first one too, so the export writes the record's value under the
                    # source's name for it, not under the later one's (journal, booktitle)
                    kept.setdefault(*first)
                continue
            first = name, raw
            b.set(model, value)
            written_as = target(model, "biblatex", dm_type)
            if dm_type in biblatex_dm.ENTRY_TYPES and (
                    not accepts(dm_type, written_as)
                    or (name != written_as and BIBER_ALIASES.get(name) != written_as)):
                # the export would write it under another name (organization as publisher) or
                # not at all for this type: the source's field goes back as it was
                b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[name] = raw
            elif name == "pages" and _HYPHENATED_RANGE.search(raw):
                # a range of hyphenated pages (M-1--M-14): biber re-splits the decoded en dash
                # range at the wrong hyphen, so the source's text goes back as written
                b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[name] = raw


def _tex_in_names(raw: str) -> bool:
    """True when a name of the list has a backslash, or a brace group that is not the whole
    name (an organisation, ``{UN Office}``, is written back alike from its parts), or the list
    ends ``and others`` (which the model holds no name for)."""
    if "\\" not in raw and "{" not in raw and not _OTHERS.search(raw):
        # a lower-case word in a name: a "von" part (van, de, or a typo), which the export
        # writes as its own form of the name
        return _VON.search(raw) is not None and any(
            (parts := name_parts(one.strip())) is not None and bool(parts[0])
            for one in split_names(raw))
    if not balanced(raw):
        return False
    for one in split_names(raw):
        one = one.strip()
        if "\\" in one or one.lower() == "others":
            return True
        if one.startswith("{") and one.endswith("}") and one_group(one):
            if one[1:-1] != one[1:-1].strip():  # spaces biber keeps inside the braces
                return True
        elif "{" in one:
            return True
    return False


def _written_otherwise(raw: str, people: list[dict[str, Any] | Person]) -> bool:
    """True when the export would not write the name list ``raw`` back as written."""
    try:
        persons = [p if isinstance(p, Person) else Person.model_validate(p) for p in people]
    except ValueError:
        return False  # the record's validation reports it
    return " and ".join(write_name(p) for p in persons) != normalise_space(raw)


def map_entry(
    b: RecordBuilder,
    entry_type: str,
    fields: dict[str, str],
    shared: SharedPersons | None = None,
) -> None:
    _entry_type(b, entry_type, fields)
    dm_type = datamodel_type(entry_type)  # the biblatex type biber reads it as
    for bib, model in NAME_FIELDS.items():
        if bib in fields:
            raw = fields.pop(bib)
            people = names(b, bib, raw, shared)
            b.set(model, people)
            if (dm_type in biblatex_dm.ENTRY_TYPES and not accepts(dm_type, bib)) or (
                    _tex_in_names(raw) and _written_otherwise(raw, people)):
                # not a field of this type in biblatex's data model, or TeX in a name (braces
                # that keep "{La Joie}" or "{McKay}" one word, accents as written): the list
                # goes back as written while it names the record's persons
                b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[bib] = raw
    title = _title(b, fields)
    rows = _ROWS_READING
    for i in sorted({i for name in fields if name in rows for i in rows[name]}):
        first_value(b, fields, TEXT_ROWS[i], entry_type)
    if "number" in fields:
        model = number_field(dm_type)
        raw = fields.pop("number")
        b.set(model, field_text(b, "number", raw))
        if dm_type in biblatex_dm.ENTRY_TYPES and not accepts(dm_type, "number"):
            # a number the export's type has no field for (a @misc's): back as written
            b.data.setdefault("verbatim", {}).setdefault("biblatex", {})["number"] = raw
    date(b, fields)
    for bib, model in (("urldate", "accessed"), *DATE_FIELDS.items()):
        if bib in fields and is_date(normalise_space(fields[bib])):
            b.set(model, normalise_space(fields.pop(bib)))
        elif bib in fields:  # kept as written (verbatim) and said
            b.report(NOT_HELD, Severity.WARNING, bib, "not a date annobib reads (EDTF levels "
                     f"0 and 1): kept as written (value: {fields[bib]!r})")
    for bib, model in RELATION_FIELDS.items():
        if bib in fields:
            raw = normalise_space(fields.pop(bib))
            if bib in LIST_RELATIONS:
                b.set(model, [k.strip() for k in raw.split(",") if k.strip()])
            else:
                b.set(model, raw)
    _identifiers(b, fields)
    lang = _language(b, fields)
    if "keywords" in fields:
        words = field_text(b, "keywords", fields.pop("keywords")).split(",")
        b.set("keywords", [k.strip() for k in words if k.strip()])
    _note(b, fields, lang, title)
    for name in BY_MODEL["annotation"].read:
        if name in fields:
            value = field_text(b, name, fields.pop(name))
            if not value:
                continue  # an empty field, as b.set leaves out any other (no summary '')
            if "annotation" in b.data:
                b.not_held(name, value, "the record already has an annotation")
            else:
                b.set("annotation", {"summary": value})
    if fields.get("key") == b.key:
        fields.pop("key")
    # the rest, as written: written back to BibLaTeX/BibTeX only (docs/formats/biblatex.md)
    kept = {name: value for name, value in fields.items() if name not in _TYPE_FIELDS}
    if kept:
        b.data.setdefault("verbatim", {}).setdefault("biblatex", {}).update(kept)


def _entry_type(b: RecordBuilder, entry_type: str, fields: dict[str, str]) -> None:
    subtype = normalise_space(fields.pop("entrysubtype", "")) or None
    kind_raw = fields.get("type")
    kind = normalise_space(kind_raw) if kind_raw else None
    t = crosswalk.from_bibtex(entry_type, subtype=subtype, kind=kind)
    if t is None:
        t = WorkType.MISC
        b.report(
            UNKNOWN_TYPE,
            Severity.WARNING,
            "type",
            f"entry type @{entry_type} is not known: imported as misc",
        )
    elif subtype and t.value != subtype and crosswalk.biblatex_subtype(t) != subtype:
        b.not_held("entrysubtype", subtype)
    b.set("type", t.value)
    inherits = any(f in fields for f in ("editor", "crossref", "xdata"))
    if entry_type == "incollection" and not inherits and crosswalk.from_bibtex(entry_type) is t:
        # the export writes a chapter without an editor as @inbook: an @incollection as
        # written goes back as @incollection
        b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[ENTRY_TYPE] = entry_type
    elif entry_type != crosswalk.row(t).biblatex and crosswalk.from_bibtex(entry_type) is t and (
            entry_type in biblatex_dm.ENTRY_TYPES) and (entry_type != "inbook" or inherits):
        # a biblatex type the model folds into another (@inbook into chapter; the export
        # writes a chapter without an editor of its own as @inbook): the entry type as
        # written goes back while the record's type is still this one
        b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[ENTRY_TYPE] = entry_type
    elif entry_type in BIBER_TYPES and BIBER_TYPES[entry_type][1] and kind_raw is None:
        # @phdthesis, @techreport without a `type`: biber gives them one (phdthesis), the
        # export writes it from the entry type as written
        b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[ENTRY_TYPE] = entry_type
    # the `type` field: a genre, unless it only repeats the annobib type written by the export
    if kind is not None:
        fields.pop("type")
        if kind not in (t.value, crosswalk.biblatex_kind(t)):
            b.set("genre", field_text(b, "type", kind_raw or ""))


def _title(b: RecordBuilder, fields: dict[str, str]) -> str | None:
    if "maintitle" in fields:
        b.set("main-title", field_text(b, "maintitle", fields.pop("maintitle")))
    title = field_text(b, "title", fields.pop("title", "")) if "title" in fields else None
    if not title:
        return title
    mt: dict[str, Any] = {"text": title}
    addon = fields.pop("titleaddon", None)
    if addon is not None:
        addon_text = field_text(b, "titleaddon", addon)
        if addon_text.startswith("[") and addon_text.endswith("]"):
            mt["translated"] = {"text": addon_text[1:-1]}
        else:
            b.set("title-addon", addon_text)
    orig = fields.pop("origtitle", None)
    if orig is not None:
        olang = fields.pop("origlanguage", None)
        ot: dict[str, str] = {"text": field_text(b, "origtitle", orig)}
        if olang:
            tag = langs.from_babel(normalise_space(olang))
            if tag:
                ot["lang"] = tag
            else:
                b.not_held("origlanguage", olang, "a language biblatex/babel does not name")
        mt["original"] = ot
    b.set("title", mt if len(mt) > 1 else title)
    return title


def _identifiers(b: RecordBuilder, fields: dict[str, str]) -> None:
    if "doi" in fields:
        doi = normalise_space(fields.pop("doi"))
        b.set("doi", doi)
        try:
            bare = normalise_doi(doi)
        except ValueError:
            bare = doi  # reported when the record is built
        if bare != doi:
            # a DOI written as a resolver URL (https://doi.org/10...): the record holds the
            # DOI, the BibLaTeX export writes it back as the source wrote it
            b.data.setdefault("verbatim", {}).setdefault("biblatex", {})["doi"] = doi
    if "url" in fields:
        # Beebe's files list several URLs in one field, separated by "; "
        raw = fields.pop("url")
        urls = split_urls(raw)
        if urls:
            b.set("url", urls[0])
            for extra in urls[1:]:
                b.not_held("url", extra, "a second URL (the model holds one; the field goes "
                           "back to BibLaTeX/BibTeX as written)")
            if len(urls) > 1:
                b.data.setdefault("verbatim", {}).setdefault("biblatex", {})["url"] = raw
    for name in ("isbn", "issn"):
        if name in fields:
            raw_ids = normalise_space(fields.pop(name))
            found = identifiers(raw_ids, name)
            if not found:
                b.not_held(name, raw_ids, f"no {name.upper()} in the value")
            b.set(name, found)


def _language(b: RecordBuilder, fields: dict[str, str]) -> str | None:
    """langid (babel) or language (a babel name or a BCP 47 tag)."""
    lang = lang_raw = None
    for name in BY_MODEL["language"].read:
        if name in fields:
            raw = normalise_space(fields[name])
            tag = langs.from_babel(raw) or (raw if is_lang(raw) else None)
            if name == "language" and (tag is None or lang is not None):
                # biblatex's printed list of languages ("langlatin and langgerman", or beside
                # a langid): kept as written (verbatim), and the langid beside it too (the
                # export writes a `language` naming the record's language instead of a langid
                # only when the source had no langid)
                if lang is not None and lang_raw is not None:
                    b.data.setdefault("verbatim", {}).setdefault("biblatex", {}).setdefault(
                        "langid", lang_raw)
                continue
            fields.pop(name)
            if tag is None:
                b.not_held(name, raw, "not a language biblatex/babel or BCP 47 names")
            elif lang is None:
                lang, lang_raw = tag, raw
                if name == "language":
                    # biblatex prints `language` and hyphenates by `langid`: the source's
                    # field goes back as it was, not as a langid
                    b.data.setdefault("verbatim", {}).setdefault("biblatex", {})[name] = raw
                elif langs.babel_name(tag) != raw:
                    # the source's spelling (german, hyphenation), written back as it was
                    b.data.setdefault("verbatim", {}).setdefault("biblatex", {})["langid"] = raw
            elif tag != lang:
                b.not_held(name, raw, f"the record's language is already '{lang}'")
    b.set("language", lang)
    return lang


def _note(b: RecordBuilder, fields: dict[str, str], lang: str | None, title: str | None) -> None:
    texts = [
        (name, field_text(b, name, fields.pop(name)))
        for name in BY_MODEL["note"].read
        if name in fields
    ]
    for name, value in texts:
        remark_lang = langs.remark_language(value)
        if (
            remark_lang
            and lang
            and langs.primary(remark_lang) == langs.primary(lang)
            and (isinstance(b.data.get("title"), dict) or title)
        ):
            continue  # "(In Russ.)": implied by the language and written back by the export
        if "note" in b.data:
            b.not_held(name, value, "the record already has a note")
        else:
            b.set("note", value)
