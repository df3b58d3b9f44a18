"""BibLaTeX export for biber (and, through ``dialect="bibtex"``, classic BibTeX).

Written through bibtexparser v2's writer. The entry type and every field follow biblatex's
default data model (``blx-dm.def``), so ``biber --validate-datamodel`` has nothing to say except
for data the record really lacks (an undated web page, an authorless newspaper item); annobib
warns about those itself. Anything the chosen entry type cannot hold is a warning naming the
record and the field, never a silent loss. See ``docs/formats/biblatex.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from annobib import chars
from annobib.codecs import bibfields, bibnames, bibstrings, langs, tex, texdecode
from annobib.codecs.bibfields import Dialect
from annobib.exporters.base import (
    ExportOptions,
    ExportResult,
    other_formats_verbatim,
    selected_works,
    wider_fields,
)
from annobib.findings import Finding, Location, Severity
from annobib.model import crosswalk
from annobib.model.library import Library
from annobib.model.person import Person
from annobib.model.record import Work
from annobib.model.values import MultiText, PartialDate, check_lang, normalise_doi

LOST = "A402"  # a field the format (or the chosen entry type) cannot hold
TYPE_FALLBACK = "A403"  # exported under another entry type than the crosswalk's
MISSING = "A404"  # a field the entry type requires is absent in the record
NO_LATEX = "A405"  # --ascii: a character without a LaTeX form, kept as is
KEY_RENAMED = "A406"  # --ascii: a key that is not ASCII, written under an ASCII key
NOT_INTEGER = "A407"  # a value or field outside biber's data model, written as the record has it

# Mandatory fields (besides a date, which every type wants): what biber warns about.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journaltitle"),
    "book": ("author", "title"),
    "inbook": ("author", "title", "booktitle"),
    "incollection": ("author", "editor", "title", "booktitle"),
    "inproceedings": ("author", "title", "booktitle"),
    "online": ("title",),
    "report": ("author", "title", "type", "institution"),
    "thesis": ("author", "title", "type", "institution"),
    "misc": ("title",),
    "dataset": ("title",),
    "set": ("entryset",),
}

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(slots=True)
class _Entry:
    """One entry being built: ordered fields of already-TeX-ready text."""

    work: Work
    dialect: Dialect
    ascii: bool
    location: Location | None
    entry_type: str = "misc"
    key: str = ""  # the key written: the record's, unless the target cannot hold it
    fields: dict[str, str] = field(default_factory=dict)
    raw: set[str] = field(default_factory=set)  # fields written without enclosing (month)
    findings: list[Finding] = field(default_factory=list)
    # verbatim.biblatex with each field kept as an @string expression expanded (its text)
    kept: dict[str, object] = field(default_factory=dict)
    # field -> (expression as written, its text), for fields naming macros the export defines
    expressions: dict[str, tuple[str, str]] = field(default_factory=dict)

    # --- reporting ----------------------------------------------------------------------------

    def warn(self, code: str, fieldname: str, message: str, severity: Severity = Severity.WARNING
             ) -> None:
        self.findings.append(
            Finding(code, severity, message, self.location, key=self.work.key, field=fieldname)
        )

    def lost(self, fieldname: str, why: str) -> None:
        self.warn(LOST, fieldname, f"not exported to {self.fmt}: {why}")

    @property
    def fmt(self) -> str:
        return "BibLaTeX" if self.dialect == "biblatex" else "BibTeX"

    def _missing(self, missing: list[str], fieldname: str) -> None:
        if missing:
            chars = " ".join(f"U+{ord(c):04X}" for c in missing)
            self.warn(NO_LATEX, fieldname, f"no LaTeX form for {chars}: kept as is")

    # --- writing ------------------------------------------------------------------------------

    def allowed(self, bibfield: str) -> bool:
        if self.dialect == "bibtex":
            return True
        return bibfields.accepts(self.entry_type, bibfield)

    def put(self, bibfield: str, text: str, model_field: str, *, how: str = "value") -> bool:
        """Write ``text`` to ``bibfield`` if the entry type allows it, else warn it is lost."""
        if not text:
            return False
        if not self.allowed(bibfield):
            if not self.kept_elsewhere(text):
                self.lost(model_field, f"@{self.entry_type} has no '{bibfield}' field")
            return False
        written = self.as_written(bibfield, text)
        if written is not None:
            # the source's TeX, byte for byte: the record still says what it decodes to
            self.fields[bibfield] = written
            return True
        row = bibfields.BY_MODEL.get(model_field)
        for alias in row.read if row is not None else ():
            # kept under the source's own name for the field (journal, organization)
            written = self.as_written(alias, text) if alias != bibfield else None
            if written is not None:
                self.fields[alias] = written
                return True
        if how == "title" or (how == "value" and bibfield in bibfields.TITLE_FIELDS):
            out, missing = tex.protect_title(text, ascii=self.ascii)
        elif how == "verbatim":
            out, missing = _verbatim(text), []
        elif how == "tex":
            out, missing = text, []
        else:
            out, missing = tex.value(text, ascii=self.ascii)
        self._missing(missing, model_field)
        if "\n" in text and how != "verbatim" and tex.has_line_break(text):
            self.warn(LOST, model_field, f"a line break inside a paragraph is written as a space "
                      f"(no {self.fmt} reader keeps one; paragraph breaks are kept)",
                      Severity.INFO)
        if bibfield in self.fields:
            self.fields[bibfield] += ", " + out
        else:
            self.fields[bibfield] = out
        return True

    def kept_elsewhere(self, text: str) -> bool:
        """True when the source's own field for ``text`` (a @collection's booktitle) is kept
        as written and goes back from there."""
        return any(
            isinstance(raw, str) and self.as_written(name, text) == raw
            for name, raw in self.kept.items() if name != bibfields.ENTRY_TYPE)

    def as_written(self, bibfield: str, text: str) -> str | None:
        """The field's TeX as the source wrote it (``verbatim.biblatex``), when it decodes to
        ``text``: macros annobib cannot decode and the source's case protection go back
        unchanged. None when there is none, or the record's text was changed since."""
        raw = self.kept.get(bibfield)
        if not isinstance(raw, str) or bibfield in self.fields or self.ascii:
            return None
        if chars.ODD.search(raw) or not tex.balanced(raw):
            return None  # control characters, lone surrogates, stray braces: escaped

        try:
            decoded = texdecode.decode(raw)[0]
        except texdecode.TooDeep:
            decoded = texdecode.normalise_space(raw)
        return raw if decoded == text else None

    def put_names(self, bibfield: str, people: list[Person], role: str) -> None:
        if not people:
            return
        if not self.allowed(bibfield):
            if bibfield not in self.kept:  # else written back as the source had it
                self.lost(role, f"@{self.entry_type} has no '{bibfield}' field")
            return
        raw = self.kept.get(bibfield)
        if isinstance(raw, str) and not self.ascii and _names_as_written(raw, people):
            # the source's TeX ({McKay}, D{\'\i}az) while it names the record's persons
            self.fields[bibfield] = raw
            for i, p in enumerate(people):
                self._unsaid(p, role, i)
            return
        names = []
        for i, p in enumerate(people):
            names.append(self._name(p, role, i))
            self._unsaid(p, role, i)
        self.fields[bibfield] = " and ".join(names)

    def _unsaid(self, p: Person, role: str, i: int) -> None:
        """What no BibLaTeX/BibTeX name holds, in whatever form it is written."""
        for label in p.details():
            self.lost(f"{role}[{i}].{label}", f"{self.fmt} names have no {label}")
        if (p.initials and p.given) or p.comma_suffix or p.static_ordering:
            for part, why in bibnames.unsaid(p):
                self.lost(f"{role}[{i}].{part}", f"{self.fmt} names {why}")

    def _name(self, p: Person, role: str, i: int) -> str:
        where = f"{role}[{i}]"
        return bibnames.write_name(
            p, extended=self.dialect == "biblatex", ascii=self.ascii,
            missing=lambda chars: self._missing(chars, where),
            lost=lambda part, why: self.lost(f"{where}.{part}", why))


def _names_as_written(raw: str, people: list[Person]) -> bool:
    """True when the name list ``raw`` (as the source wrote it) says what ``people`` say."""
    if chars.ODD.search(raw) or not tex.balanced(raw):
        return False
    said = bibnames.names_text(raw)
    if said is None or len(said) != len(people):
        return False
    for (literal, family, given, particle, suffix), p in zip(said, people, strict=True):
        if literal is not None or p.literal is not None:
            if literal != p.literal:
                return False
            continue
        if family is None and given is not None:  # a lone given name is held as the family
            family, given = given, None
        # a list as written has no non-dropping particle: its "von" part reads as dropping
        if (family, given, particle, suffix) != (
                p.family, p.first_names(), p.dropping_particle, p.suffix) or (
                p.use_prefix is not None or p.non_dropping_particle is not None):
            return False
    return True


def _verbatim(text: str) -> str:
    """A URL or DOI as written in a verbatim field: braces must stay balanced for the parser,
    and a control character (which URL and DOI syntax allow here) is percent-encoded."""
    if chars.CONTROL.search(text):
        text = chars.CONTROL.sub(lambda m: quote(m.group(), safe=""), text)
    if tex.balanced(text):
        return text
    return text.replace("{", "%7B").replace("}", "%7D")


def _doi_as_written(e: _Entry) -> str:
    """The DOI as the source wrote it (a resolver URL, ``verbatim.biblatex.doi``) while it is
    still the record's DOI; else the record's DOI."""
    work = e.work
    assert work.doi is not None
    raw = e.kept.get("doi")
    if isinstance(raw, str):
        try:
            if normalise_doi(raw) == work.doi:
                return raw
        except ValueError:
            pass
    return work.doi


def _url_as_written(e: _Entry, url: str) -> str:
    """The ``url`` field as the source wrote it (several URLs, the first the record's) while
    its first URL is still the record's; else the record's URL."""
    raw = e.kept.get("url")
    if isinstance(raw, str) and not chars.ODD.search(raw) and tex.balanced(raw):
        urls = bibfields.split_urls(raw)
        if urls and urls[0] == url:
            return raw
    return url


# --- the entry type --------------------------------------------------------------------------


def _entry_type(e: _Entry) -> tuple[str, str | None, str | None, str | None]:
    """(biblatex type, entrysubtype, type-field value, why it differs from the crosswalk)."""
    work = e.work
    t = work.type
    row = crosswalk.row(t)
    base = row.biblatex
    subtype = row.biblatex_subtype
    kind = work.genre or row.biblatex_kind
    # The type is kept even when the record lacks a field the type makes mandatory (a journal
    # article whose source names no journal): as @misc it would lose its volume and issue
    # (reetz1999). What biber will say is missing, annobib reports itself (A404).
    if base == "incollection" and not work.editor and not (work.crossref or work.xdata):
        # an editor inherited through crossref/xdata makes it an @incollection as written
        return "inbook", None, None, None
    if base in ("report", "thesis"):
        # a @phdthesis or @techreport as written without a `type`: the one biber gives it
        written = _written_type(e)
        aliased = bibfields.BIBER_TYPES.get(written or "")
        return base, None, work.genre or (aliased[1] if aliased else None), None
    return base, subtype, kind, None


def _written_type(e: _Entry) -> str | None:
    """The entry type as the source wrote it, while it reads back as the record's type."""
    written = e.kept.get(bibfields.ENTRY_TYPE)
    if isinstance(written, str) and crosswalk.from_bibtex(written) is e.work.type:
        return written
    return None


def _bibtex_type(e: _Entry) -> str:
    work = e.work
    t = crosswalk.bibtex_type(work.type)
    written = _written_type(e)
    if t == "phdthesis" and not work.genre and written == "mastersthesis":
        return written
    if t == "phdthesis" and work.genre and re.search(r"master|magist", work.genre, re.I):
        return "mastersthesis"
    if t == "incollection" and work.container_title is None:
        return "misc"
    return t


# --- fields ----------------------------------------------------------------------------------


def _date_biblatex(d: PartialDate) -> str:
    """biblatex reads EDTF levels 0 and 1: the model's own form, seasons (21-24), ranges and
    qualifiers included."""
    return d.iso()


def _title_fields(e: _Entry, title: MultiText, work: Work) -> None:
    e.put("title", title.text, "title", how="title")
    if title.lang:
        same = bool(work.language) and langs.primary(title.lang) == langs.primary(
            work.language or ""
        )
        e.warn(
            LOST,
            "title.lang",
            f"not exported to {e.fmt}: it has no language per title"
            + (" (the work's language field says the same)" if same else ""),
            Severity.INFO if same else Severity.WARNING,
        )
    if title.printed:
        e.lost("title.printed", f"{e.fmt} has one title field (the printed form is a variant)")
    if title.original is not None:
        e.put("origtitle", title.original.text, "title.original", how="title")
        if title.original.lang:
            name = langs.babel_name(title.original.lang)
            if name and e.allowed("origlanguage"):
                e.put("origlanguage", name, "title.original.lang")
            else:
                e.lost("title.original.lang", "no origlanguage for this entry type/language")
    if title.translated is not None and work.title_addon:
        e.lost("title.translated", f"{e.fmt} has one titleaddon, taken by the title-addon")
    elif title.translated is not None:
        e.put("titleaddon", "[" + title.translated.text + "]", "title.translated")
        if title.translated.lang:
            e.lost("title.translated.lang", f"{e.fmt} has no language for a title add-on")
    if title.transliterated is not None:
        e.lost("title.transliterated", f"{e.fmt} has no field for a transliterated title")
    if (
        title.lang
        and work.language
        and title.original is None
        and langs.primary(title.lang) != langs.primary(work.language)
    ):
        # A title in another language than the work: a translated title. Scopus/RSCI lists
        # mark such works "(In Russ.)"; biblatex styles print it from addendum, classic
        # styles print no addendum, so BibTeX gets the remark in `note`.
        remark = "(" + langs.in_language_remark(work.language) + ")"
        e.put("addendum" if e.dialect == "biblatex" else "note", remark, "language")


def _other_text(e: _Entry, text: MultiText | None, bibfield: str, model_field: str) -> None:
    if text is None:
        return
    if e.put(bibfield, text.text, model_field):
        for name, _ in text.variants()[1:]:
            e.lost(f"{model_field}.{name}", f"{e.fmt} holds one form of the {model_field}")
        if (
            text.lang
            and e.dialect == "biblatex"
            and langs.primary(text.lang) != langs.primary(e.work.language or text.lang)
        ):
            e.lost(f"{model_field}.lang", "BibLaTeX has no language for this field")


def _target(e: _Entry, model_field: str) -> str:
    """The field ``model_field`` goes to in this entry (the shared crosswalk's choice)."""
    return bibfields.target(model_field, e.dialect, e.entry_type)


def build_entry(
    work: Work, *, dialect: Dialect, ascii: bool = False, location: Location | None = None,
    strings: Mapping[str, tuple[str, str]] | None = None,
) -> _Entry:
    """The entry of ``work``; ``strings`` are the ``@string`` macros the export defines (lower
    name -> (name, value as written)): a field the source gave as an expression naming them is
    written as that expression while its text is unchanged (else as its text).

    By stage, in the order the fields are written: key and entry type, names, titles and
    containers, dates, volume and pages, publisher, identifiers, language, text, the fields of
    the wider model and what the source kept as written, then the checks."""
    e = _Entry(work, dialect, ascii, location, key=work.key)
    _kept(e, strings)
    if ascii and not work.key.isascii():
        e.key = ascii_key(work.key)
        e.warn(KEY_RENAMED, "key", f"key '{work.key}' is not ASCII (--ascii): written as "
               f"'{e.key}'; \\cite{{{work.key}}} will not find it")
    kind = _type_stage(e)
    e.put_names("author", work.author, "author")
    e.put_names("editor", work.editor, "editor")
    e.put_names("translator", work.translator, "translator")
    _titles_stage(e)
    _dates_stage(e)
    _volume_pages_stage(e)
    _publisher_stage(e, kind)
    _identifiers_stage(e)
    _language_stage(e)
    _text_stage(e)
    _annotation(e)
    _biblatex_fields(e)
    for name in wider_fields(work, _WRITTEN_BY_BIBLATEX_FIELDS):
        e.lost(name, f"{e.fmt} has no field for it")
    if e.expressions:
        _write_expressions(e)
    _check_required(e)
    return e


def _type_stage(e: _Entry) -> str | None:
    """The entry type (and entrysubtype); returns what goes to the ``type`` field."""
    work = e.work
    if e.dialect == "biblatex":
        btype, subtype, kind, why = _entry_type(e)
        written = _written_type(e)
        if written is not None and written not in bibfields.BIBER_TYPES:
            btype = written  # the source's entry type, which reads back as this record's type
        e.entry_type = btype
        if btype in bibfields.NO_FIELDS_OF_THEIR_OWN:
            e.warn(NOT_INTEGER, "type", f"@{btype} has no fields of its own in biber's data "
                   "model: written with @misc's (biblatex's styles print it as @misc; biber "
                   "--validate-datamodel reports them)", Severity.INFO)
        if why:
            e.warn(TYPE_FALLBACK, "type", f"exported as @misc: {why}", Severity.INFO)
        if subtype:
            e.fields["entrysubtype"] = subtype
        return kind
    e.entry_type = _bibtex_type(e)
    if crosswalk.is_lossy(work.type, "bibtex"):
        e.lost("type", f"BibTeX has no '{work.type.value}' type: written as @{e.entry_type}")
    elif e.entry_type == "misc" and crosswalk.bibtex_type(work.type) == "incollection":
        e.warn(TYPE_FALLBACK, "type", "exported as @misc: no container-title (booktitle "
               "is mandatory for @incollection)", Severity.INFO)
    return work.genre


def _titles_stage(e: _Entry) -> None:
    work = e.work
    if work.title is not None:
        _title_fields(e, work.title, work)
    _other_text(e, work.container_title, _target(e, "container-title"), "container-title")
    if work.container_title_short:
        short = _target(e, "container-title-short")
        if short:
            e.put(short, work.container_title_short, "container-title-short")
        else:
            e.lost("container-title-short", f"{e.fmt} has no short journal title field")
    if work.collection_title is not None:
        _other_text(e, work.collection_title, _target(e, "collection-title"), "collection-title")


def _dates_stage(e: _Entry) -> None:
    work = e.work
    if work.issued is not None:
        if e.dialect == "biblatex":
            e.fields["date"] = _date_biblatex(work.issued)
        else:
            e.fields["year"] = f"{work.issued.year:04d}"
            if work.issued.month is not None:
                e.fields["month"] = _MONTHS[work.issued.month - 1]
                e.raw.add("month")
            if work.issued.day is not None:
                e.lost("issued.day", "BibTeX dates have a year and a month only")
            if work.issued.season is not None:
                e.lost("issued.season", "BibTeX dates have a year and a month only")
    if work.accessed is not None:
        e.fields["urldate"] = _date_biblatex(work.accessed)


def _volume_pages_stage(e: _Entry) -> None:
    work = e.work
    e.put(_target(e, "volume"), work.volume or "", "volume")
    if e.dialect == "biblatex" and work.volume and not work.volume.isdigit():
        e.warn(NOT_INTEGER, "volume", f"volume '{work.volume}' is not an integer, the datatype of "
               "biber's data model: written as the record has it (biblatex prints it; "
               "biber --validate-datamodel reports it)", Severity.INFO)
    if work.pages:
        # the source's TeX while it still says the record's pages ({a%}), else the pages
        # escaped (as_written compares the text, not the TeX); a type without pages (@misc)
        # writes the source's field back from what it kept (_write_kept)
        target = _target(e, "pages")
        kept = e.as_written(target, work.pages) if e.allowed(target) else None
        pages = kept or tex.escape(work.pages)
        if e.ascii:
            # a range's en dash is TeX's "--" (the escape keeps a literal "--" as "-{}-")
            pages, missing = tex.to_ascii(pages.replace("–", "--"))
            e._missing(missing, "pages")
        e.put(_target(e, "pages"), pages, "pages", how="tex")
    e.put(_target(e, "page-count"), work.page_count or "", "page-count")
    e.put(_target(e, "edition"), work.edition or "", "edition")


def _publisher_stage(e: _Entry, kind: str | None) -> None:
    work = e.work
    if work.publisher:
        e.put(_target(e, "publisher"), work.publisher, "publisher")
    if work.publisher_place:
        e.put(_target(e, "publisher-place"), work.publisher_place, "publisher-place")
    if kind:
        e.put("type", kind, "genre")
    elif work.genre:
        e.lost("genre", f"@{e.entry_type} has no 'type' field")


def _identifiers_stage(e: _Entry) -> None:
    work = e.work
    if work.doi:
        e.put("doi", _doi_as_written(e) if e.dialect == "biblatex" else work.doi, "doi",
              how="verbatim")
    if work.url:
        e.put("url", _url_as_written(e, work.url), "url", how="verbatim")
    _first_only(e, "isbn", work.isbn)
    _first_only(e, "issn", work.issn)


def _language_stage(e: _Entry) -> None:
    """biblatex and pandoc read langid (babel names); classic BibTeX tools ``language``."""
    language = e.work.language
    if not language:
        return
    name = langs.babel_name(language)
    printed = e.kept.get("language")
    if (isinstance(printed, str) and "langid" not in e.kept
            and _names_language(printed, language)):
        e.fields["language"] = printed  # the source's `language` (Russian), not a langid
    elif e.dialect == "biblatex":
        spelled = e.kept.get("langid")
        if isinstance(spelled, str) and langs.from_babel(spelled) == language:
            e.fields["langid"] = spelled  # the source's name for it (german, not ngerman)
        elif name:
            e.fields["langid"] = name
        else:
            e.lost("language", f"biblatex has no language '{language}'")
    else:
        e.put("language", name or language, "language")


def _text_stage(e: _Entry) -> None:
    work = e.work
    e.put(_target(e, "abstract"), work.abstract or "", "abstract")
    if work.keywords:
        if any("," in k for k in work.keywords):
            e.lost("keywords", "a keyword contains a comma (keywords are comma-separated)")
        e.put("keywords", ", ".join(work.keywords), "keywords")
    if work.note:
        if langs.remark_language(work.note):
            e.put("addendum", work.note, "note")
        else:
            e.put("note", work.note, "note")
    if work.license:
        e.lost("license", f"{e.fmt} has no licence field")
    if work.rights:
        e.lost("rights", f"{e.fmt} has no field for a copyright statement")


def _names_language(raw: str, language: str) -> bool:
    """True when the source's ``language`` field ``raw`` names ``language`` (a BCP 47 tag)."""
    spelled = texdecode.normalise_space(raw)
    return langs.from_babel(spelled) == language or spelled == language


class MacroTable(dict[str, tuple[str, str]]):
    """The ``@string`` macros an export writes (lower name -> (name, value as written)), and
    what it worked out per set of definitions a record keeps (tugboat's records share three)."""

    def __init__(self) -> None:
        super().__init__()
        self.known: dict[tuple[tuple[str, object], ...],
                         tuple[dict[str, bibstrings.Macro], bool, dict[str, str]]] = {}


def _kept(e: _Entry, strings: Mapping[str, tuple[str, str]] | None) -> None:
    """``e.kept``: the record's ``verbatim.biblatex``, a field kept as an ``@string``
    expression replaced by its text in place; ``e.expressions``: those the export may write as
    written (the record's macros are the ones ``strings`` defines; never with ``--ascii``)."""
    raw_kept = (e.work.verbatim or {}).get("biblatex")
    if not raw_kept:
        return
    found: list[tuple[str, object]] = []
    expressions = False
    for name, value in raw_kept.items():
        if name and name[0] == "@":
            if name.startswith(bibstrings.DEFINITION):
                found.append((name, value))
            else:
                expressions = True
    if not expressions:
        e.kept = raw_kept
        return
    key = tuple(found)
    known = strings.known if isinstance(strings, MacroTable) else {}
    if key not in known:
        defs = bibstrings.definitions(dict(key))
        known[key] = defs, strings is not None and all(
            lower in strings and strings[lower][1] == m.raw for lower, m in defs.items()), {}
    defs, usable, texts = known[key]
    usable = usable and not e.ascii
    kept: dict[str, object] = {}
    for name, value in raw_kept.items():
        if not name or name[0] != "@":
            kept[name] = value
        elif name.startswith(bibstrings.DEFINITION):
            continue
        elif isinstance(value, str):
            field_name = name[len(bibstrings.EXPRESSION):]
            text = texts.get(value)
            if text is None:
                text = texts[value] = bibstrings.evaluate(value, defs, None)
            if usable:
                e.expressions[field_name] = (value, text)
            if field_name not in raw_kept:
                kept[field_name] = text
        else:
            kept[name] = value
    e.kept = kept


def _write_expressions(e: _Entry) -> None:
    """Each field the source gave as an ``@string`` expression goes back as that expression
    (under whichever name of its row the entry has it) while what is written means its text."""
    for name, (expression, text) in e.expressions.items():
        for f in (name, *bibfields.aliases(name)):
            written = e.fields.get(f)
            if written is None or f in e.raw:
                continue
            if written == text or _decoded(written) == _decoded(text):
                e.fields[f] = expression
                e.raw.add(f)
            break


def _decoded(tex_text: str) -> str:
    try:
        return texdecode.decode(tex_text)[0]
    except texdecode.TooDeep:
        return texdecode.normalise_space(tex_text)


# rows of the crosswalk written by build_entry itself (the others by _biblatex_fields)
_WRITTEN_ABOVE = frozenset({
    "container-title", "container-title-short", "collection-title", "volume", "pages",
    "page-count", "edition", "abstract", "publisher", "publisher-place",
})
_NAME_ROLES_ABOVE = frozenset({"author", "editor", "translator"})
_ROWS_HERE = tuple((row, row.model.replace("-", "_")) for row in bibfields.TEXT_ROWS
                   if row.model not in _WRITTEN_ABOVE)
# the model fields _biblatex_fields writes (or reports) beyond the ones build_entry writes
_WRITTEN_BY_BIBLATEX_FIELDS = frozenset({
    "title_addon", "main_title", "subtitle", "title_short", "version", "status",
    "chapter_number", "part_number", "number_of_volumes", "event_title", "event_place",
    "original_publisher", "original_publisher_place", "citation_label", "eprint", "eprint_type",
    "eprint_class", "number", "collection_number", "container_author", "annotator",
    "commentator", "holder", "original_date", "event_date", "crossref", "xref", "xdata",
    "entryset", "verbatim",
})


def _biblatex_fields(e: _Entry) -> None:
    """The fields issue #12 gave the model, then what the source said that no field holds
    (``verbatim.biblatex``), as written."""
    w = e.work
    if w.title_addon:
        e.put("titleaddon", w.title_addon, "title-addon")
    if w.main_title is not None and "maintitle" not in e.fields:
        _other_text(e, w.main_title, "maintitle", "main-title")
    given = w.model_fields_set
    for row, attr in _ROWS_HERE:
        value = getattr(w, attr) if attr in given else None
        if value:
            e.put(_target(e, row.model), str(value), row.model,
                  how="verbatim" if row.kind == "verbatim" else "value")
    _numbers(e)
    for bib, model in bibfields.NAME_FIELDS.items():
        if model not in _NAME_ROLES_ABOVE and model.replace("-", "_") in given:
            e.put_names(bib, getattr(w, model.replace("-", "_")), model)
    for bib, model in bibfields.DATE_FIELDS.items():
        d = getattr(w, model.replace("-", "_")) if model.replace("-", "_") in given else None
        if d is not None and e.allowed(bib):
            e.fields[bib] = _date_biblatex(d)
        elif d is not None:
            e.lost(model, f"@{e.entry_type} has no '{bib}' field")
    for bib, model in bibfields.RELATION_FIELDS.items():
        value = getattr(w, model)
        if value:
            e.fields[bib] = ",".join(value) if isinstance(value, list) else value
    for name, fmt in other_formats_verbatim(w, "biblatex"):
        e.warn(LOST, name, f"not exported to {e.fmt}: kept as written for {fmt} and written "
               "back only there", Severity.INFO)
    _write_kept(e)


def _numbers(e: _Entry) -> None:
    """biblatex's number: the issue of a periodical, a book's series number, else its own."""
    w = e.work
    number_model = bibfields.number_field(e.entry_type)
    for model in ("issue", "collection-number", "number"):
        value = getattr(w, model.replace("-", "_"))
        if not value:
            continue
        if model == number_model and "number" not in e.fields:
            e.put("number", value, model)
        elif model == "issue" and e.dialect == "biblatex" and "issue" not in e.fields:
            e.put("issue", value, model)
        else:
            e.lost(model, f"@{e.entry_type}'s number is its {number_model}")


def _write_kept(e: _Entry) -> None:
    """What the source said that no field of the model holds, or said otherwise than the
    export would (``verbatim.biblatex``), written back as it was: not a copy of a typed field
    the record changed since, nothing a .bib file cannot hold."""
    outside: list[str] = []
    for name, raw in e.kept.items():
        if name == bibfields.ENTRY_TYPE:
            continue
        where = f"verbatim.biblatex.{name}"
        if name in e.fields:
            if e.fields[name] != raw and not any(
                    e.fields.get(a) == raw for a in bibfields.aliases(name)):
                e.warn(LOST, where, f"'{name}' as the source wrote it is not used: the "
                       "record's text was changed since (written from it)", Severity.INFO)
            continue
        if not isinstance(raw, str):
            e.lost(where, "not a text value")
            continue
        changed = _changed_since(e, name, raw)
        if changed:
            e.warn(LOST, where, f"'{name}' as the source wrote it is not written: the "
                   f"record's {changed} was changed since", Severity.INFO)
            continue
        if not tex.balanced(raw):
            # btparse counts every brace, escaped or not: no .bib value holds a stray one
            e.lost(where, "its braces do not pair up, which no .bib value can hold (biber "
                   "could not read the entry): kept in the record as it was")
            continue
        if chars.ODD.search(raw):
            e.warn(LOST, where, f"{chars.names(raw)} left out of the value: a .bib file holds "
                   "no control character (NUL aborts biber, ESC and BEL stop pdflatex)")
            raw = tex.without_controls(raw)
        e.fields[name] = raw  # as it was written, TeX and all
        if e.dialect == "biblatex" and not e.allowed(name):
            outside.append(name)
    if outside:  # one finding per record: a source's own fields are many (tugboat: 33,000)
        e.warn(NOT_INTEGER, "verbatim.biblatex", f"not fields of @{e.entry_type} in biber's "
               "data model, written as the source had them (biber --validate-datamodel reports "
               "them): " + ", ".join(f"'{n}'" for n in outside), Severity.INFO)


# .bib field -> the crosswalk row that reads it into a typed field (first present wins)
_ROW_OF: dict[str, bibfields.Row] = {
    name: row for row in bibfields.TEXT_ROWS for name in row.read}


def _changed_since(e: _Entry, name: str, raw: str) -> str | None:
    """The typed field that the kept field ``name`` is the source's copy of, when the record
    no longer says what ``raw`` says (an edited publisher beside the source's
    ``organization``, an edited language beside its ``language``); None when it still does,
    or ``name`` is no copy (a second value for one field, a field of its own)."""
    w = e.work
    if name == "number":  # read as the issue, the series number or the work's own number
        said = {w.issue, w.collection_number, w.number}
        return None if _decoded(raw) in said or _empty(raw) else "number"
    if name == "language":
        # a copy when the source named the record's language there (no langid beside it);
        # a printed list of languages ("langlatin and langgerman") is a field of its own
        if "langid" in e.kept or "hyphenation" in e.kept or not _a_language(raw):
            return None
        return None if w.language and _names_language(raw, w.language) else "language"
    row = _ROW_OF.get(name)
    if row is None or name not in row.names(e.entry_type):
        return None
    first = next(n for n in row.names(e.entry_type) if n in e.kept)
    if first != name:
        return None  # a second value: the source's own, written back beside the record's
    value = getattr(w, row.model.replace("-", "_"))
    text = value.text if isinstance(value, MultiText) else value
    if text is None:
        return None if _empty(raw) else row.model
    if not isinstance(text, str) or text in (_decoded(raw), texdecode.normalise_space(raw)):
        return None
    return row.model


def _empty(raw: str) -> bool:
    return not _decoded(raw).strip()


def _a_language(raw: str) -> bool:
    spelled = texdecode.normalise_space(raw)
    if langs.from_babel(spelled) is not None:
        return True
    try:
        check_lang(spelled)
    except ValueError:
        return False
    return True


def ascii_key(key: str) -> str:
    """An ASCII key for ``key``, the same in every run and for every chunk of an export: its
    letters without accents where they have an ASCII base, and a digest of the whole key so two
    keys that fold alike stay apart (``пункт3`` -> ``k3-5f0c…``)."""
    folded = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^\x21-\x7e]+|[,{}()\"#%'=\\~]+", "", folded)
    digest = hashlib.blake2b(key.encode(), digest_size=4).hexdigest()
    return f"{folded or 'k'}-{digest}" if folded[:1].isalpha() else f"k{folded}-{digest}"


def _first_only(e: _Entry, name: str, values: list[str]) -> None:
    if not values:
        return
    if e.put(name, values[0], name):
        for i in range(1, len(values)):
            e.lost(f"{name}[{i}]", f"{e.fmt} holds one {name.upper()}")
        if e.dialect == "biblatex" and not checksum_ok(name, values[0]):
            e.warn(MISSING, name, f"{name.upper()} {values[0]} fails its check digit: biber "
                   "will report it (written as the record has it)")


def checksum_ok(kind: str, value: str) -> bool:
    """ISBN-10/13 or ISSN check digit, as biber's data-model validation computes it."""
    digits = value.replace("-", "").replace(" ", "").upper()
    if kind == "issn":
        if len(digits) != 8 or not digits[:7].isdigit():
            return False
        total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        return digits[7] == ("X" if check == 10 else str(check))
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        return digits[9] == ("X" if check == 10 else str(check))
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        return int(digits[12]) == (10 - total % 10) % 10
    return False


def _annotation(e: _Entry) -> None:
    a = e.work.annotation
    if a is None or a.is_empty():
        return
    parts = [p for p in (a.summary, a.evaluation, a.relevance) if p]
    target = _target(e, "annotation")
    if parts:
        e.put(target, "\n\n".join(parts), "annotation")
        if len(parts) > 1:
            e.warn(LOST, "annotation", f"summary, evaluation and relevance joined into one "
                   f"'{target}' field (paragraphs)", Severity.INFO)
    for attr in ("tags", "annotator", "date"):
        if getattr(a, attr):
            e.lost(f"annotation.{attr}", f"{e.fmt} has no field for the annotation's {attr}")


def _check_required(e: _Entry) -> None:
    if e.dialect != "biblatex":
        _check_required_bibtex(e)
        return
    for name in _REQUIRED.get(e.entry_type, _REQUIRED["misc"]):
        if name not in e.fields:
            e.warn(MISSING, _MODEL_NAME.get(name, name),
                   f"@{e.entry_type} requires '{name}' and the record has none: biber will "
                   "report it (nothing is invented)")
    if e.entry_type == "online" and "url" not in e.fields and "doi" not in e.fields:
        e.warn(MISSING, "url", "@online requires 'url' (or a doi) and the record has none: "
               "biber will report it (nothing is invented)")
    if "date" not in e.fields:
        e.warn(MISSING, "issued", f"@{e.entry_type} requires a date and the record has none: "
               "biber will report it (nothing is invented)")


# What the standard .bst styles (plain, unsrt, alpha) warn about when it is empty.
_REQUIRED_BIBTEX: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "misc": (),
}


def _check_required_bibtex(e: _Entry) -> None:
    for spec in _REQUIRED_BIBTEX.get(e.entry_type, ()):
        names = spec.split("|")
        if not any(n in e.fields for n in names):
            e.warn(MISSING, _MODEL_NAME.get(names[0], names[0]),
                   f"@{e.entry_type} wants '{spec.replace('|', ' or ')}' and the record has "
                   "none: bibtex styles will warn (nothing is invented)")
    if e.entry_type == "article" and "number" in e.fields and "volume" not in e.fields:
        e.warn(MISSING, "volume", "an issue number without a volume: bibtex's standard "
               "styles will warn (nothing is invented)")
    if "author" not in e.fields and "editor" not in e.fields:
        # the standard styles sort and label by `key` when there is no name
        e.fields["key"] = e.key


_MODEL_NAME = {
    "journal": "container-title",
    "school": "publisher",
    "year": "issued",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "institution": "publisher",
    "type": "genre",
}


# --- writing --------------------------------------------------------------------------------


def render(entries: list[_Entry]) -> str:
    """Write the entries with bibtexparser v2's writer.

    Values are TeX-ready and enclosed here in braces (month macros stay bare), so the writer
    needs no enclosing middleware: its unparse stack is empty and nothing is deep-copied.
    """
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library as BibLibrary
    from bibtexparser.model import Block, Entry, Field
    from bibtexparser.writer import BibtexFormat

    blocks: list[Block] = []
    for e in entries:
        raw = e.raw
        fields = [Field(k, v if k in raw else "{" + v + "}") for k, v in e.fields.items()]
        blocks.append(Entry(e.entry_type, e.key, fields))
    lib = BibLibrary(blocks)
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.block_separator = "\n"
    text: str = write_string(lib, unparse_stack=[], bibtex_format=fmt)
    return text.strip("\n") + "\n" if text.strip() else ""


def export_with(library: Library, options: ExportOptions, dialect: Dialect) -> ExportResult:
    """Build and write every selected work; on two cores for large libraries (see
    :func:`annobib.workers.map_chunks`), with the same text and findings in the same order."""
    from annobib import runtime, workers

    with runtime.gc_paused():
        works = selected_works(library, options)
        origins: dict[str, Location | None] = {}

        def locate() -> None:
            # positions of the records (cold: read from the YAML text), while the worker
            # starts on the entries
            for w in works:
                if w.key not in origins:
                    origins[w.key] = library.origin(w.key)

        strings = macros(works)

        def chunk(part: Sequence[Work]) -> tuple[str, list[Finding]]:
            entries = [build_entry(w, dialect=dialect, ascii=options.ascii, strings=strings)
                       for w in part]
            return render(entries), [f for e in entries for f in e.findings]

        done = workers.map_chunks(works, chunk, first=locate)
        text = "\n".join(t for t, _ in done if t)
        if strings and not options.ascii:
            text = "".join(f"@string{{{name} = {raw}}}\n" for name, raw in strings.values()
                           ) + "\n" + text
        # every finding of an entry names its record: give it the record's position
        findings = [
            dataclasses.replace(f, location=origins[f.key]) if f.key in origins else f
            for _, part in done
            for f in part
        ]
    return ExportResult(text, findings)


def macros(works: Sequence[Work]) -> MacroTable:
    """The ``@string`` macros the records keep (lower name -> (name, value as written)), the
    first definition of a name winning; a record that defines one otherwise writes its
    expressions as text."""
    out = MacroTable()
    prefix = bibstrings.DEFINITION
    for w in works:
        kept = w.verbatim.get("biblatex") if w.verbatim else None
        if not kept:
            continue
        for key, raw in kept.items():
            if key and key[0] == "@" and key.startswith(prefix) and isinstance(raw, str):
                name = key[len(prefix):]
                out.setdefault(name.lower(), (name, raw))
    return out


def export(library: Library, options: ExportOptions) -> ExportResult:
    return export_with(library, options, "biblatex")


__all__ = [
    "KEY_RENAMED", "LOST", "MISSING", "NO_LATEX", "TYPE_FALLBACK", "ascii_key", "build_entry",
    "export", "render",
]
