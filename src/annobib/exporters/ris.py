"""RIS export for Zotero, EndNote and Mendeley.

One tag per line (``TY  - JOUR``), CRLF line ends as the RIS specification says, Unicode kept
(UTF-8). Zotero reads the language from ``LA`` (not BibLaTeX's ``langid``), the access date
from ``Y2`` (citation.js a web page's from ``M1``, also written) and turns every ``N1`` into a
note, so annotations travel as ``N1`` notes. A book's or thesis's page count is its ``SP``.
A value is one line (a note is one ``N1`` a paragraph): a line break inside a value becomes a
space (and a warning), so no value can start a tag of its own. See ``docs/formats/ris.md``.
"""

from __future__ import annotations

import re

from annobib.codecs.ristags import ACCESS_DATE_M1_TYPES, PAGE_COUNT_TYPES
from annobib.exporters.base import ExportOptions, ExportResult, selected_works, wider_fields
from annobib.findings import Finding, Location, Severity
from annobib.model import crosswalk
from annobib.model.library import Library
from annobib.model.person import Person
from annobib.model.record import Work
from annobib.model.values import MultiText, PartialDate

LOST = "A402"
EOL = "\r\n"
_LINEBREAK = re.compile(r"\s*[\r\n]+\s*")
# a range is split at its one dash only when it has no spaces and no other dash: "1--5",
# "210 - 225" or "TY  - a" is one SP, which reads back as written (split, "TY-a")
_RANGE = re.compile(r"^([^\s\-–—]+)[-–—]([^\s\-–—]+)$")


def ris_date(d: PartialDate) -> str:
    """``YYYY/MM/DD/other`` as the RIS specification writes dates; absent parts left empty."""
    month = f"{d.month:02d}" if d.month is not None else ""
    day = f"{d.day:02d}" if d.day is not None else ""
    other = d.season or ""
    return f"{d.year:04d}/{month}/{day}/{other}".rstrip("/")


def split_pages(pages: str) -> tuple[str, str | None]:
    m = _RANGE.match(pages)
    if m:
        return m.group(1), m.group(2)
    return pages.strip(), None


def ris_name(p: Person) -> str:
    if p.literal is not None:
        return p.literal
    first = p.first_names()
    # "Family," keeps a lone family name a person: without a comma RIS readers (Zotero) take
    # the name as an organisation's
    return f"{p.family}, {first}" if first else f"{p.family},"


class _Record:
    def __init__(self, work: Work, location: Location | None) -> None:
        self.work = work
        self.location = location
        self.lines: list[str] = []
        self.findings: list[Finding] = []

    def lost(self, field: str, why: str) -> None:
        self.findings.append(
            Finding(LOST, Severity.WARNING, f"not exported to RIS: {why}", self.location,
                    key=self.work.key, field=field)
        )

    def tag(self, tag: str, value: str | None, field: str) -> None:
        if not value:
            return
        one = _LINEBREAK.sub(" ", value).strip()
        if one != value.strip():
            self.findings.append(
                Finding(LOST, Severity.INFO, "RIS values are one line: line breaks became spaces",
                        self.location, key=self.work.key, field=field)
            )
        self.lines.append(f"{tag}  - {one}")

    def text(self, tag: str, value: MultiText | None, field: str) -> None:
        if value is None:
            return
        self.tag(tag, value.text, field)
        if value.printed:
            self.lost(f"{field}.printed", "RIS holds one form of a title")
        if value.transliterated is not None:
            self.lost(f"{field}.transliterated", "RIS has no transliterated title")

    def people(self, tag: str, people: list[Person], role: str) -> None:
        for i, p in enumerate(people):
            self.tag(tag, ris_name(p), role)
            for label in p.details():
                self.lost(f"{role}[{i}].{label}", f"RIS names have no {label}")


def record(work: Work, location: Location | None = None) -> tuple[list[str], list[Finding]]:
    """The RIS lines (without line ends) of one work and what could not be written."""
    r = _Record(work, location)
    r.tag("TY", crosswalk.ris_type(work.type), "type")
    if crosswalk.is_lossy(work.type, "ris"):
        r.lost("type", f"RIS has no '{work.type.value}' type: written as "
               f"{crosswalk.ris_type(work.type)}")
    r.tag("ID", work.key, "key")
    r.people("AU", work.author, "author")
    r.people("A2", work.editor, "editor")
    r.people("A4", work.translator, "translator")
    if work.title is not None:
        r.text("TI", work.title, "title")
        if work.title.translated is not None:
            r.tag("TT", work.title.translated.text, "title.translated")
        if work.title.original is not None:
            r.tag("OP", work.title.original.text, "title.original")
    r.text("T2", work.container_title, "container-title")
    r.tag("J2", work.container_title_short, "container-title-short")
    r.text("T3", work.collection_title, "collection-title")
    if work.issued is not None:
        r.tag("PY", f"{work.issued.year:04d}", "issued")
        if work.issued.month is not None or work.issued.season is not None:
            r.tag("DA", ris_date(work.issued), "issued")
    r.tag("VL", work.volume, "volume")
    r.tag("IS", work.issue, "issue")
    ty = crosswalk.ris_type(work.type)
    if work.pages:
        sp, ep = split_pages(work.pages)
        r.tag("SP", sp, "pages")
        r.tag("EP", ep, "pages")
        if ep is not None and f"{sp}-{ep}" != work.pages:
            r.findings.append(
                Finding(LOST, Severity.INFO, f"RIS pages are a start (SP) and an end (EP): "
                        f"{work.pages!r} reads back as {sp + '-' + ep!r}", r.location,
                        key=work.key, field="pages")
            )
    elif work.page_count and ty in PAGE_COUNT_TYPES:
        r.tag("SP", work.page_count, "page-count")
    r.tag("ET", work.edition, "edition")
    r.tag("PB", work.publisher, "publisher")
    r.tag("CY", work.publisher_place, "publisher-place")
    r.tag("M3", work.genre, "genre")
    if work.page_count and (work.pages or ty not in PAGE_COUNT_TYPES):
        r.lost("page-count", f"RIS has a page count only as the SP of {'/'.join(PAGE_COUNT_TYPES)}"
               + (" without a page range" if work.pages else ""))
    r.tag("DO", work.doi, "doi")
    r.tag("UR", work.url, "url")
    sn = [*work.isbn, *work.issn]
    if sn:
        r.tag("SN", "; ".join(sn), "isbn" if work.isbn else "issn")
    if work.accessed is not None:
        r.tag("Y2", ris_date(work.accessed), "accessed")
        if ty in ACCESS_DATE_M1_TYPES:
            r.tag("M1", ris_date(work.accessed), "accessed")
    r.tag("LA", work.language, "language")
    r.tag("AB", work.abstract, "abstract")
    for kw in work.keywords:
        r.tag("KW", kw, "keywords")
    # one N1 a paragraph: a reader (ours, Zotero) takes each N1 as a note of its own, and ours
    # joins them with a blank line, so a note of paragraphs comes back as it was
    paragraphs = work.note.split("\n\n") if work.note else []
    for paragraph in paragraphs:
        r.tag("N1", paragraph, "note")
    if any(not p.strip() for p in paragraphs):
        r.findings.append(
            Finding(LOST, Severity.INFO, "RIS values are one line: an empty paragraph of the "
                    "note was left out", r.location, key=work.key, field="note")
        )
    a = work.annotation
    if a is not None:
        r.tag("N1", a.summary, "annotation.summary")
        r.tag("N1", a.evaluation, "annotation.evaluation")
        r.tag("N1", a.relevance, "annotation.relevance")
        for attr in ("tags", "annotator", "date"):
            if getattr(a, attr):
                r.lost(f"annotation.{attr}", f"RIS has no field for the annotation's {attr}")
    if work.license:
        r.lost("license", "RIS has no licence tag")
    if work.rights:
        r.lost("rights", "RIS has no tag for a copyright statement")
    for name in wider_fields(work):  # TODO h12bib: the RIS tags of the wider model
        r.lost(name, "not written to RIS yet")
    r.lines.append("ER  - ")
    return r.lines, r.findings


def export(library: Library, options: ExportOptions) -> ExportResult:
    out: list[str] = []
    findings: list[Finding] = []
    for w in selected_works(library, options):
        lines, found = record(w, library.origin(w.key))
        out.append(EOL.join(lines) + EOL)
        findings.extend(found)
    return ExportResult(EOL.join(out), findings)
