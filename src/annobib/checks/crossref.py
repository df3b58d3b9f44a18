"""Check works against Crossref: verify what has a DOI, suggest DOIs for what has none.

Field by field against the Crossref record (``title``, ``original-title``, ``subtitle`` and
``short-title`` variants against every variant we hold; authors by family name and initials,
across scripts; year, print and online; container title, full and abbreviated; volume, issue,
pages; type through the crosswalk; publisher). Every difference is a :class:`Finding` with
the record key, the field, our value, Crossref's and the YAML location.

The status of each work is one of :class:`Status`. A work whose lookup failed is
``unchecked``: never ``not-found``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from annobib.codes import matching
from annobib.findings import Finding, Location, Severity
from annobib.model import Document, Library, Work
from annobib.model.crosswalk import from_crossref
from annobib.model.library import LoadedDocument
from annobib.services.base import (
    Found,
    Lookup,
    MetadataService,
    NotFound,
    OtherAgency,
    Unavailable,
)
from annobib.textmatch import (
    first_page,
    fold,
    has_cyrillic,
    initials_of,
    name_key,
    normalise_pages,
    similarity,
    strip_markup,
)

if TYPE_CHECKING:
    from annobib.checks.matching import Candidate, Match


class Status(StrEnum):
    VERIFIED = "verified"
    DIFFERS = "differs"
    NOT_FOUND = "not-found"
    OTHER_AGENCY = "other-agency"
    RETRACTED_CORRECTED = "retracted-corrected"
    UNCHECKED = "unchecked"
    NO_DOI = "no-doi"


# Stable finding codes of the check (A3xx), as registered in annobib.codes; docs/ci.md lists them.
CODES: dict[str, str] = {c.code: c.title for c in matching("A3")}

# Findings that come with an "unchecked" work: --on-unreachable alone decides about them.
UNCHECKED_CODES = frozenset({"A330", "A331", "A332", "A333"})

TITLE_SAME = 0.95
TITLE_CLOSE = 0.80

_RETRACTIONS = {"retraction", "withdrawal", "removal", "partial_retraction"}
_CORRECTIONS = {
    "correction",
    "erratum",
    "corrigendum",
    "addendum",
    "clarification",
    "expression_of_concern",
    "new_version",
    "new_edition",
}


@dataclass(slots=True)
class WorkResult:
    key: str
    doi: str | None
    status: Status
    location: Location | None
    findings: list[Finding] = field(default_factory=list)
    matched_title: str | None = None  # "ours:text ~ crossref:original-title[0]"
    reason: str | None = None  # why unchecked / which agency
    match: Match | None = None  # --suggest-dois: the matcher's verdict for a work without DOI
    suggestion: Candidate | None = None  # the accepted candidate of a "matched" verdict
    candidates: list[Candidate] = field(default_factory=list)  # those listed otherwise

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "doi": self.doi,
            "status": self.status.value,
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "matched-title": self.matched_title,
            "reason": self.reason,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.match is not None:
            out["match"] = self.match.to_json()
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion.to_json()
        if self.candidates:
            out["candidates"] = [c.to_json() for c in self.candidates]
        return out


@dataclass(slots=True)
class CheckResult:
    works: list[WorkResult]
    findings: list[Finding]  # document-level findings (reference lists)
    service: str
    unavailable_reason: str | None = None
    stats: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for w in self.works:
            out[w.status.value] += 1
        return out

    def all_findings(self) -> list[Finding]:
        out = [f for w in self.works for f in w.findings]
        return out + self.findings


# --- Crossref record accessors ---------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [strip_markup(v) for v in value if isinstance(v, str) and v.strip()]
    return []


def crossref_titles(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Every title variant Crossref holds, as ``(name, text)``: ``title[0]``, ``title[1]``,
    ``original-title[0]``, ``short-title[0]``, plus each ``title + subtitle`` pair."""
    out: list[tuple[str, str]] = []
    titles = _strings(record.get("title"))
    subtitles = _strings(record.get("subtitle"))
    for i, t in enumerate(titles):
        out.append((f"title[{i}]", t))
    for i, t in enumerate(_strings(record.get("original-title"))):
        out.append((f"original-title[{i}]", t))
    for i, t in enumerate(_strings(record.get("short-title"))):
        out.append((f"short-title[{i}]", t))
    for i, t in enumerate(titles):
        for j, s in enumerate(subtitles):
            out.append((f"title[{i}]+subtitle[{j}]", f"{t}: {s}"))
    for j, s in enumerate(subtitles):
        out.append((f"subtitle[{j}]", s))
    return out


def crossref_years(record: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in ("issued", "published-print", "published-online", "published", "posted"):
        d = record.get(name)
        if isinstance(d, dict):
            parts = d.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                y = parts[0][0]
                if isinstance(y, int):
                    out[name] = y
    return out


def our_titles(work: Work) -> list[tuple[str, str]]:
    return work.title.variants() if work.title is not None else []


def best_title_match(work: Work, record: dict[str, Any]) -> tuple[float, str, str, str, str]:
    """(score, our variant, our text, their variant, their text) of the closest pair."""
    best = (0.0, "", "", "", "")
    theirs_all = crossref_titles(record)
    for ours_name, ours in our_titles(work):
        for theirs_name, theirs in theirs_all:
            s = similarity(ours, theirs)
            if s > best[0]:
                best = (s, ours_name, ours, theirs_name, theirs)
                if s >= 1.0:
                    return best
    return best


# --- comparison -------------------------------------------------------------------------------


Where = Callable[[str, str | None], Location | None]
"""Where record ``key`` (and its field) is: ``where(key, field)``."""


def library_locator(library: Library) -> Where:
    """A fast :data:`Where` for ``library``: which file holds a key is known without
    positions; line numbers are asked for only when a finding needs them."""
    doc_of: dict[str, LoadedDocument] = {}
    for loaded in library.documents:
        for key in loaded.defined_keys():
            doc_of.setdefault(key, loaded)

    def where(key: str, fieldname: str | None = None) -> Location | None:
        loaded = doc_of.get(key)
        return loaded.locate(key, fieldname) if loaded is not None else None

    return where


class _Cmp:
    def __init__(self, work: Work, record: dict[str, Any], location: Location | None,
                 where: Where | None) -> None:
        self.work = work
        self.record = record
        self.location = location
        self.where = where
        self.findings: list[Finding] = []
        self.compared: set[str] = set()  # "title", "author": what a verdict can rest on
        self.matched: str | None = None

    def loc(self, fieldname: str) -> Location | None:
        if self.where is not None:
            return self.where(self.work.key, fieldname) or self.location
        return self.location

    def add(self, code: str, severity: Severity, fieldname: str, message: str, ours: Any,
            theirs: Any, **extra: Any) -> None:
        data = {"ours": ours, "theirs": theirs, **extra}
        self.findings.append(
            Finding(code, severity, message, self.loc(fieldname), self.work.key, fieldname, data)
        )


def compare(work: Work, record: dict[str, Any], *, location: Location | None = None,
            where: Where | None = None) -> tuple[list[Finding], str | None]:
    """Findings for every field where ``work`` and the Crossref ``record`` disagree, and which
    title variants matched (``None`` when no title could be compared)."""
    c = _compare(work, record, location, where)
    return c.findings, c.matched


def _compare(work: Work, record: dict[str, Any], location: Location | None,
             where: Where | None) -> _Cmp:
    c = _Cmp(work, record, location, where)
    matched = _compare_title(c)
    _compare_authors(c)
    _compare_year(c)
    _compare_container(c)
    for name in ("volume", "issue"):
        _compare_number(c, name)
    _compare_pages(c)
    _compare_type(c)
    _compare_publisher(c)
    theirs_doi = str(record.get("DOI") or "").lower()
    if work.doi and theirs_doi and theirs_doi != work.doi.lower():
        c.add("A311", Severity.WARNING, "doi",
              f"Crossref answers {work.doi} with the record of {theirs_doi} (a DOI alias)",
              work.doi, theirs_doi)
    c.matched = matched
    return c


def _compare_title(c: _Cmp) -> str | None:
    if c.work.title is None or not crossref_titles(c.record):
        return None
    c.compared.add("title")
    score, ours_name, ours, theirs_name, theirs = best_title_match(c.work, c.record)
    matched = f"ours:{ours_name} ~ crossref:{theirs_name} ({score:.2f})"
    if score >= TITLE_SAME:
        return matched
    all_theirs = [t for _, t in crossref_titles(c.record)]
    if score >= TITLE_CLOSE:
        c.add("A301", Severity.WARNING, "title",
              f"title differs slightly from Crossref's {theirs_name} (similarity {score:.2f})",
              ours, theirs, variant=theirs_name, ours_variant=ours_name, similarity=round(score, 3),
              crossref_variants=all_theirs)
    else:
        c.add("A301", Severity.ERROR, "title",
              f"title matches no Crossref title variant (best {score:.2f} against "
              f"{theirs_name}): is the DOI right?",
              c.work.title_text(), theirs, variant=theirs_name, similarity=round(score, 3),
              crossref_variants=all_theirs)
    return matched


def _their_people(record: dict[str, Any]) -> list[dict[str, Any]]:
    authors = record.get("author")
    if isinstance(authors, list):
        return [a for a in authors if isinstance(a, dict)]
    return []


def _person_text(p: dict[str, Any]) -> str:
    if p.get("name"):
        return str(p["name"])
    family = str(p.get("family") or "")
    given = str(p.get("given") or "")
    return f"{family}, {given}" if given else family


def _family_matches(ours_family: str, ours_original: str | None, theirs: dict[str, Any]) -> bool:
    their_names = [str(theirs.get("family") or ""), str(theirs.get("name") or "")]
    our_names = [ours_family] + ([ours_original.split(",")[0]] if ours_original else [])
    for o in our_names:
        for t in their_names:
            if o and t and (name_key(o) == name_key(t) or fold(o) == fold(t)):
                return True
    return False


def _compare_authors(c: _Cmp) -> None:
    ours = c.work.author
    theirs = _their_people(c.record)
    if not ours or not theirs:
        return
    c.compared.add("author")
    for i, (o, t) in enumerate(zip(ours, theirs, strict=False)):
        fieldname = f"author[{i}]"
        if o.literal is not None:
            if t.get("name") and similarity(o.literal, str(t["name"])) >= TITLE_CLOSE:
                continue
            if not t.get("name"):
                c.add("A302", Severity.WARNING, fieldname,
                      f"author {i + 1}: we have the organisation '{o.literal}', Crossref a person",
                      o.display(), _person_text(t))
            else:
                c.add("A302", Severity.WARNING, fieldname,
                      f"author {i + 1}: organisation name differs", o.literal, t["name"])
            continue
        family = o.family or ""
        if not _family_matches(family, o.original_script, t):
            # the same person further down the list means an order problem, not a wrong name
            elsewhere = [j for j, tt in enumerate(theirs)
                         if j != i and _family_matches(family, o.original_script, tt)]
            msg = (f"author {i + 1}: family name '{family}' is Crossref's author "
                   f"{elsewhere[0] + 1}, not {i + 1}" if elsewhere else
                   f"author {i + 1}: family name '{family}' differs from Crossref's "
                   f"'{_person_text(t)}'")
            c.add("A302", Severity.ERROR if not elsewhere else Severity.WARNING, fieldname, msg,
                  o.display(), _person_text(t))
            continue
        first = o.first_names()
        their_given = str(t.get("given") or "")
        if first and their_given:
            oi, ti = initials_of(first), initials_of(their_given)
            if has_cyrillic(oi) != has_cyrillic(ti):
                oi, ti = name_key(oi), name_key(ti)
            if oi and ti and not (oi.startswith(ti) or ti.startswith(oi)):
                c.add("A302", Severity.WARNING, fieldname,
                      f"author {i + 1} ({family}): initials {initials_of(first)} differ from "
                      f"Crossref's {initials_of(their_given)}",
                      o.display(), _person_text(t))
    if len(ours) != len(theirs):
        c.add("A303", Severity.INFO if len(ours) < len(theirs) else Severity.WARNING, "author",
              f"{len(ours)} author(s) here, {len(theirs)} in Crossref",
              len(ours), len(theirs), crossref_authors=[_person_text(t) for t in theirs])


def _compare_year(c: _Cmp) -> None:
    if c.work.issued is None:
        return
    years = crossref_years(c.record)
    if not years:
        return
    ours = c.work.issued.year
    if ours in years.values():
        return
    shown = ", ".join(f"{k} {v}" for k, v in years.items())
    close = any(abs(ours - y) <= 1 for y in years.values())
    c.add("A304", Severity.WARNING if close else Severity.ERROR, "issued",
          f"year {ours} is not Crossref's ({shown})", ours, years)


def _abbrev_matches(short: str, full: str) -> bool:
    """``J. Phys. Chem.`` abbreviates ``Journal of Physical Chemistry``."""
    s_words = fold(short).split()
    f_words = [w for w in fold(full).split() if w not in {"of", "the", "and", "for", "de", "und"}]
    if not s_words or len(s_words) > len(f_words):
        return False
    i = 0
    for w in s_words:
        while i < len(f_words) and not f_words[i].startswith(w):
            i += 1
        if i == len(f_words):
            return False
        i += 1
    return True


def _compare_container(c: _Cmp) -> None:
    ours: list[str] = []
    if c.work.container_title is not None:
        ours.extend(t for _, t in c.work.container_title.variants())
    if c.work.container_title_short:
        ours.append(c.work.container_title_short)
    if not ours:
        return
    theirs_full = _strings(c.record.get("container-title"))
    theirs_short = _strings(c.record.get("short-container-title"))
    theirs = theirs_full + theirs_short
    if not theirs:
        return
    for o in ours:
        for t in theirs:
            if similarity(o, t) >= 0.9 or _abbrev_matches(o, t) or _abbrev_matches(t, o):
                return
    c.add("A305", Severity.WARNING, "container-title",
          f"container title '{ours[0]}' matches none of Crossref's ({'; '.join(theirs)})",
          ours[0], theirs)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _compare_number(c: _Cmp, name: str) -> None:
    ours = getattr(c.work, name)
    theirs = c.record.get(name)
    if not ours or not isinstance(theirs, str) or not theirs.strip():
        return
    if fold(ours) == fold(theirs):
        return
    # "1 (19)": an issue with a running number; agree when either number matches
    if set(_numbers(ours)) & set(_numbers(theirs)) and (
        _numbers(ours)[:1] == _numbers(theirs)[:1] or len(_numbers(ours)) > 1
    ):
        return
    c.add("A306" if name == "volume" else "A307", Severity.WARNING, name,
          f"{name} '{ours}' differs from Crossref's '{theirs}'", ours, theirs)


def _compare_pages(c: _Cmp) -> None:
    ours = c.work.pages
    if not ours:
        return
    page = c.record.get("page")
    article_number = c.record.get("article-number")
    if isinstance(page, str) and page.strip():
        if normalise_pages(ours) == normalise_pages(page):
            return
        same_start = first_page(ours) == first_page(page)
        c.add("A308", Severity.WARNING if same_start else Severity.ERROR, "pages",
              f"pages '{ours}' differ from Crossref's '{page}'", ours, page)
    elif (isinstance(article_number, str) and article_number.strip()
          and fold(ours) != fold(article_number)):
        c.add("A308", Severity.INFO, "pages",
              f"Crossref gives no pages but article number '{article_number}'",
              ours, article_number)


def _compare_type(c: _Cmp) -> None:
    theirs = c.record.get("type")
    if not isinstance(theirs, str):
        return
    mapped = from_crossref(theirs)
    if mapped is None or mapped == c.work.type:
        return
    c.add("A309", Severity.WARNING, "type",
          f"type '{c.work.type.value}' but Crossref says '{theirs}' ({mapped.value})",
          c.work.type.value, theirs)


def _compare_publisher(c: _Cmp) -> None:
    ours = c.work.publisher
    theirs = c.record.get("publisher")
    if not ours or not isinstance(theirs, str) or not theirs.strip():
        return
    if similarity(ours, theirs) >= 0.8 or fold(ours) in fold(theirs) or fold(theirs) in fold(ours):
        return
    c.add("A310", Severity.INFO, "publisher",
          f"publisher '{ours}' differs from Crossref's '{theirs}'", ours, theirs)


def update_findings(work: Work, record: dict[str, Any], location: Location | None) -> (
    tuple[list[Finding], bool]
):
    """Retractions, corrections and new versions (``updated-by``), and notices (``update-to``).
    Returns the findings and whether the status is retracted-corrected."""
    out: list[Finding] = []
    flagged = False
    for upd in record.get("updated-by") or []:
        if not isinstance(upd, dict):
            continue
        kind = str(upd.get("type") or "").lower()
        notice = str(upd.get("DOI") or "")
        label = str(upd.get("label") or kind)
        if kind in _RETRACTIONS:
            flagged = True
            out.append(Finding("A322", Severity.ERROR,
                               f"Crossref records a {label} of this work ({notice})",
                               location, work.key, "doi", {"type": kind, "notice": notice}))
        elif kind in _CORRECTIONS or kind:
            flagged = True
            out.append(Finding("A323", Severity.WARNING,
                               f"Crossref records a {label} for this work ({notice})",
                               location, work.key, "doi", {"type": kind, "notice": notice}))
    for upd in record.get("update-to") or []:
        if not isinstance(upd, dict):
            continue
        kind = str(upd.get("type") or "").lower()
        target = str(upd.get("DOI") or "")
        out.append(Finding("A324", Severity.WARNING,
                           f"this DOI is a {kind or 'update'} notice for {target}; cite the "
                           "work itself unless the notice is meant",
                           location, work.key, "doi", {"type": kind, "updates": target}))
        flagged = True
    return out, flagged


# --- running the check ------------------------------------------------------------------------


def _status_from_findings(findings: Sequence[Finding]) -> Status:
    if any(f.severity.rank >= Severity.WARNING.rank for f in findings):
        return Status.DIFFERS
    return Status.VERIFIED


def judge(work: Work, lookup: Lookup, location: Location | None,
          where: Where | None = None) -> WorkResult:
    """One work's result from its lookup. ``location`` may be file-only; ``where`` gives
    lines when a finding needs them."""
    if where is not None and not isinstance(lookup, Found):
        location = where(work.key, None) or location
    res = WorkResult(work.key, work.doi, Status.UNCHECKED, location)
    if isinstance(lookup, Unavailable):
        res.reason = lookup.reason
        res.findings.append(Finding(lookup.code, Severity.WARNING,
                                    f"not checked: {lookup.reason}", location, work.key, "doi",
                                    {"doi": work.doi}))
        return res
    if isinstance(lookup, NotFound):
        res.status = Status.NOT_FOUND
        res.reason = "Crossref answered 404 and no registration agency knows the DOI"
        res.findings.append(Finding("A320", Severity.ERROR,
                                    f"DOI {work.doi} is not registered (Crossref: 404; agency "
                                    "lookup: none)", location, work.key, "doi",
                                    {"doi": work.doi}))
        return res
    if isinstance(lookup, OtherAgency):
        res.status = Status.OTHER_AGENCY
        res.reason = f"registered with {lookup.agency_label}"
        res.findings.append(Finding("A321", Severity.INFO,
                                    f"DOI {work.doi} is registered with {lookup.agency_label}, "
                                    "not Crossref: not compared", location, work.key, "doi",
                                    {"doi": work.doi, "agency": lookup.agency_id}))
        return res
    assert isinstance(lookup, Found)
    cmp = _compare(work, lookup.record, location, where)
    findings, matched = cmp.findings, cmp.matched
    upd: list[Finding] = []
    flagged = False
    if lookup.record.get("updated-by") or lookup.record.get("update-to"):
        if where is not None:
            location = where(work.key, "doi") or location
        upd, flagged = update_findings(work, lookup.record, location)
    if findings and where is not None:
        res.location = where(work.key, None) or location
    res.findings = findings + upd
    res.matched_title = matched
    res.status = Status.RETRACTED_CORRECTED if flagged else _status_from_findings(res.findings)
    if res.status is Status.VERIFIED and not cmp.compared:
        # "verified" rests on the title or the authors; nothing else identifies a work
        res.status = Status.UNCHECKED
        res.reason = ("nothing to verify against: "
                      + ("Crossref's record has neither a title nor authors"
                         if not crossref_titles(lookup.record) and not _their_people(lookup.record)
                         else "our record and Crossref's share neither a title nor authors"))
        res.location = where(work.key, None) or location if where is not None else location
        res.findings.append(Finding("A331", Severity.WARNING, f"not verified: {res.reason}",
                                    res.location, work.key, "doi", {"doi": work.doi}))
    return res


def bibliographic_query(work: Work, source: str | None = None) -> str:
    """The string sent as ``query.bibliographic``: the printed reference when we have it
    (Crossref's advice), else title, authors, container, year, volume and pages."""
    if source:
        return re.sub(r"^\s*\[?\d+[.\])]\s*", "", source).strip()
    parts: list[str] = []
    for p in work.author[:3]:
        parts.append(p.display())
    if work.title is not None:
        parts.append(work.title.text)
    if work.container_title is not None:
        parts.append(work.container_title.text)
    if work.issued is not None:
        parts.append(str(work.issued.year))
    for v in (work.volume, work.issue, work.pages):
        if v:
            parts.append(v)
    return ". ".join(parts)


def numbers_agree(work: Work, record: dict[str, Any]) -> list[tuple[str, bool]]:
    """Volume, issue and first page, where both sides have them: ``(field, agrees)``."""
    out: list[tuple[str, bool]] = []
    for name in ("volume", "issue"):
        ours_v = getattr(work, name)
        theirs_v = record.get(name)
        if ours_v and isinstance(theirs_v, str) and theirs_v:
            out.append((name, fold(ours_v) == fold(theirs_v)))
    page = record.get("page")
    if work.pages and isinstance(page, str) and page:
        out.append(("pages", first_page(work.pages) == first_page(page)))
    return out


def _sources_by_key(library: Library) -> dict[str, str]:
    out: dict[str, str] = {}
    for loaded in library.documents:
        for ref in loaded.document.references:
            out.setdefault(ref.target_key, ref.source)
    return out


def check_library(
    library: Library,
    service: MetadataService,
    *,
    suggest_dois: bool = False,
    progress: Callable[[int], None] | None = None,
    keys: Iterable[str] | None = None,
) -> CheckResult:
    """Check every work of ``library`` (or those in ``keys``) against ``service``."""
    works = library.works()
    where = library_locator(library)
    file_of: dict[str, str] = {}
    for loaded in library.documents:
        for k in loaded.defined_keys():
            file_of.setdefault(k, loaded.path)
    if keys is not None:
        wanted = set(keys)
        works = [w for w in works if w.key in wanted]
    # the matcher imports this module's comparison: imported here, not at the top
    from annobib.checks.matching import Verdict, find

    with_doi = [w for w in works if w.doi]
    lookups = service.lookup([w.doi for w in with_doi if w.doi], progress=progress)
    sources = _sources_by_key(library) if suggest_dois else {}
    results: list[WorkResult] = []
    for work in works:
        location = Location(file_of[work.key]) if work.key in file_of else None
        if work.doi:
            results.append(judge(work, lookups[work.doi.lower()], location, where))
            continue
        if suggest_dois:
            location = where(work.key, None) or location
        res = WorkResult(work.key, None, Status.NO_DOI, location)
        if suggest_dois:
            # the one matcher, the same verdict and evidence as `annobib review`
            res.match = find(work, service, sources.get(work.key))
            res.findings.append(res.match.finding(location, work.key))
            if res.match.verdict is Verdict.MATCHED:
                res.suggestion = next(c for c in res.match.candidates
                                      if c.doi == res.match.doi)
            else:
                res.candidates = list(res.match.candidates)
            if res.match.verdict is Verdict.UNCHECKED:
                # the search was asked for and could not be made: that is "unchecked",
                # never a quiet "no DOI"
                res.status = Status.UNCHECKED
                res.reason = res.match.reason
        results.append(res)
    doc_findings: list[Finding] = []
    for loaded in library.documents:
        art = loaded.document.article
        if art is None or not art.doi:
            continue
        lookup = lookups.get(art.doi)
        if isinstance(lookup, Found):
            doc_findings.extend(compare_reference_list(loaded, library, lookup.record))
    return CheckResult(results, doc_findings, service.name, service.down,
                       service.stats.to_json())


# --- the article's own reference list against its deposit ------------------------------------


def _deposit_text(ref: dict[str, Any]) -> str:
    if isinstance(ref.get("unstructured"), str):
        return strip_markup(ref["unstructured"])
    parts = [str(ref[k]) for k in ("author", "article-title", "volume-title", "journal-title",
                                   "series-title", "year", "volume", "first-page") if ref.get(k)]
    return ". ".join(parts)


def _match_score(source: str, our_doi: str | None, ref: dict[str, Any]) -> float:
    their_doi = str(ref.get("DOI") or "").lower()
    if our_doi and their_doi:
        return 1.0 if our_doi == their_doi else 0.0
    text = re.sub(r"^\s*\[?\d+[.\])]\s*", "", source)
    their = _deposit_text(ref)
    if not their:
        return 0.0
    score = similarity(text, their)
    # structured deposits: title and first author inside our printed line count for more
    title = str(ref.get("article-title") or ref.get("volume-title") or "")
    author = str(ref.get("author") or "")
    ft = fold(text, latin=True)
    if title and fold(title, latin=True) in ft:
        score = max(score, 0.8 + (0.2 if author and name_key(author) and
                                  fold(author, latin=True).split()[0] in ft else 0.0))
    return score


def _lis_positions(seq: Sequence[int]) -> set[int]:
    """Indices of one longest increasing subsequence of ``seq``."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, v in enumerate(seq):
        j = bisect.bisect_left(tails, v)
        if j == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[j] = v
            tails_idx[j] = i
        prev[i] = tails_idx[j - 1] if j > 0 else -1
    out: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def compare_reference_list(loaded: LoadedDocument, library: Library,
                           record: dict[str, Any]) -> list[Finding]:
    """Our numbered reference list against the publisher's ``reference`` deposit."""
    deposit = [r for r in record.get("reference") or [] if isinstance(r, dict)]
    doc = loaded.document
    art = doc.article
    if not deposit or art is None or not doc.references:
        return []
    location = library.origin(art.key, "references") or library.origin(art.key)
    by_key = library.by_key()
    out: list[Finding] = []
    if len(deposit) != len(doc.references):
        out.append(Finding("A350", Severity.WARNING,
                           f"{len(doc.references)} references here, {len(deposit)} in the "
                           "publisher's Crossref deposit", location, art.key, "references",
                           {"ours": len(doc.references), "theirs": len(deposit)}))
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []  # (our index, deposit index)
    for i, ref in enumerate(doc.references):
        target = by_key.get(ref.target_key)
        our_doi = target.doi if target is not None else None
        best_j, best = -1, 0.0
        for j, dep in enumerate(deposit):
            if j in used:
                continue
            s = _match_score(ref.source, our_doi, dep)
            if s > best:
                best_j, best = j, s
        if best_j >= 0 and best >= 0.6:
            used.add(best_j)
            pairs.append((i, best_j))
            dep = deposit[best_j]
            their_doi = str(dep.get("DOI") or "").lower()
            if their_doi and not our_doi:
                out.append(Finding("A354", Severity.INFO,
                                   f"reference {ref.n}: the deposit gives DOI {their_doi}",
                                   library.origin(ref.target_key) or location, ref.target_key,
                                   "doi", {"n": ref.n, "theirs": their_doi}))
        else:
            out.append(Finding("A352", Severity.WARNING,
                               f"reference {ref.n} is not in the publisher's deposit",
                               location, art.key, f"references[{i}]",
                               {"n": ref.n, "ours": ref.source}))
    for j, dep in enumerate(deposit):
        if j not in used:
            out.append(Finding("A351", Severity.WARNING,
                               f"deposited reference {j + 1} ({dep.get('key', '')}) is missing "
                               "here", location, art.key, "references",
                               {"position": j + 1, "theirs": _deposit_text(dep)}))
    order = [j for _, j in pairs]
    keep = _lis_positions(order)
    for k, (i, j) in enumerate(pairs):
        if k not in keep:
            out.append(Finding("A353", Severity.WARNING,
                               f"reference {doc.references[i].n} is at position {j + 1} in the "
                               "deposit: order differs", location, art.key, f"references[{i}]",
                               {"n": doc.references[i].n, "deposit-position": j + 1}))
    return out


# --- adding works by DOI ----------------------------------------------------------------------


@dataclass(slots=True)
class ImportResult:
    document: Document
    findings: list[Finding] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)


def import_dois(dois: Sequence[str], service: MetadataService, *,
                taken_keys: Iterable[str] = ()) -> ImportResult:
    """Records for ``dois`` from ``service``, as one document of standalone works.

    Evidence is kept by the service's store. A DOI that cannot be fetched, is not found or
    belongs to another agency is reported as a finding and left out.
    """
    from annobib.model.values import normalise_doi
    from annobib.sources.crossref import make_key, work_from_crossref

    normal: list[str] = []
    findings: list[Finding] = []
    cli = Location("<command line>")
    for raw in dois:
        try:
            normal.append(normalise_doi(raw).lower())
        except ValueError as exc:
            findings.append(Finding("A422", Severity.ERROR, str(exc), cli, None, "doi",
                                    {"doi": raw}))
    lookups = service.lookup(normal)
    taken = set(taken_keys)
    works: list[Work] = []
    unavailable: list[str] = []
    for doi in dict.fromkeys(normal):
        lk = lookups[doi]
        if isinstance(lk, Found):
            key = make_key(lk.record, taken)
            taken.add(key)
            work, notes = work_from_crossref(lk.record, key, asked=doi)
            works.append(work)
            findings.extend(notes)
        elif isinstance(lk, Unavailable):
            unavailable.append(doi)
            findings.append(Finding(lk.code, Severity.WARNING, f"{doi} not imported: {lk.reason}",
                                    cli, None, "doi", {"doi": doi}))
        elif isinstance(lk, OtherAgency):
            findings.append(Finding("A321", Severity.WARNING,
                                    f"{doi} is registered with {lk.agency_label}, not Crossref: "
                                    "not imported", cli, None, "doi",
                                    {"doi": doi, "agency": lk.agency_id}))
        else:
            findings.append(Finding("A320", Severity.ERROR, f"{doi} is not registered", cli,
                                    None, "doi", {"doi": doi}))
    return ImportResult(Document(works=works), findings, unavailable)
