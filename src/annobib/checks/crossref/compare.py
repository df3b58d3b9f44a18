"""Field by field: one of our works against one Crossref record.

Titles (``title``, ``original-title``, ``subtitle`` and ``short-title`` variants against every
variant we hold); authors by family name and initials, across scripts; year, print and online;
container title, full and abbreviated; volume, issue, pages; type through the crosswalk;
publisher; and the record's retractions, corrections and notices. Every difference is a
:class:`~annobib.findings.Finding` with the record key, the field, our value, Crossref's and the
YAML location.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from annobib.checks.crossref.forms import same_family
from annobib.checks.crossref.records import (
    crossref_titles,
    crossref_years,
    our_titles,
    person_text,
    strings,
    their_people,
)
from annobib.findings import Finding, Location, Severity
from annobib.model import Person, Work
from annobib.model.crosswalk import from_crossref
from annobib.textmatch import (
    first_page,
    fold,
    has_cyrillic,
    initials_of,
    name_key,
    normalise_pages,
    similarity,
)

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


Where = Callable[[str, str | None], Location | None]
"""Where record ``key`` (and its field) is: ``where(key, field)``."""


class Comparison:
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
    c = comparison(work, record, location, where)
    return c.findings, c.matched


def comparison(work: Work, record: dict[str, Any], location: Location | None,
             where: Where | None) -> Comparison:
    c = Comparison(work, record, location, where)
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


def _compare_title(c: Comparison) -> str | None:
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


def same_person(ours: Person, theirs: dict[str, Any]) -> bool:
    """One of our people is this Crossref contributor: an organisation by its name (similar
    at least :data:`TITLE_CLOSE`), a person by the family name, as printed or in its original
    script, in any of the common romanisations (:func:`~.forms.same_family`). The one rule of
    the comparison and of the matcher's first author."""
    if ours.literal is not None:
        return bool(theirs.get("name")) and similarity(
            ours.literal, str(theirs["name"])) >= TITLE_CLOSE
    our_names = [ours.family or ""] + (
        [ours.original_script.split(",")[0]] if ours.original_script else [])
    their_names = [str(theirs.get("family") or ""), str(theirs.get("name") or "")]
    return any(same_family(o, t) for o in our_names for t in their_names)


def year_agrees(work: Work, record: dict[str, Any]) -> bool | None:
    """Our year is one of Crossref's (issued, print, online, posted); None when a side has
    none."""
    years = crossref_years(record)
    if work.issued is None or not years:
        return None
    return work.issued.year in years.values()


def _compare_authors(c: Comparison) -> None:
    ours = c.work.author
    theirs = their_people(c.record)
    if not ours or not theirs:
        return
    c.compared.add("author")
    for i, (o, t) in enumerate(zip(ours, theirs, strict=False)):
        fieldname = f"author[{i}]"
        if o.literal is not None:
            if same_person(o, t):
                continue
            if not t.get("name"):
                c.add("A302", Severity.WARNING, fieldname,
                      f"author {i + 1}: we have the organisation '{o.literal}', Crossref a person",
                      o.display(), person_text(t))
            else:
                c.add("A302", Severity.WARNING, fieldname,
                      f"author {i + 1}: organisation name differs", o.literal, t["name"])
            continue
        family = o.family or ""
        if not same_person(o, t):
            # the same person further down the list means an order problem, not a wrong name
            elsewhere = [j for j, tt in enumerate(theirs) if j != i and same_person(o, tt)]
            msg = (f"author {i + 1}: family name '{family}' is Crossref's author "
                   f"{elsewhere[0] + 1}, not {i + 1}" if elsewhere else
                   f"author {i + 1}: family name '{family}' differs from Crossref's "
                   f"'{person_text(t)}'")
            c.add("A302", Severity.ERROR if not elsewhere else Severity.WARNING, fieldname, msg,
                  o.display(), person_text(t))
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
                      o.display(), person_text(t))
    if len(ours) != len(theirs):
        c.add("A303", Severity.INFO if len(ours) < len(theirs) else Severity.WARNING, "author",
              f"{len(ours)} author(s) here, {len(theirs)} in Crossref",
              len(ours), len(theirs), crossref_authors=[person_text(t) for t in theirs])


def _compare_year(c: Comparison) -> None:
    if c.work.issued is None or year_agrees(c.work, c.record) is not False:
        return
    years = crossref_years(c.record)
    ours = c.work.issued.year
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


def _compare_container(c: Comparison) -> None:
    ours: list[str] = []
    if c.work.container_title is not None:
        ours.extend(t for _, t in c.work.container_title.variants())
    if c.work.container_title_short:
        ours.append(c.work.container_title_short)
    if not ours:
        return
    theirs_full = strings(c.record.get("container-title"))
    theirs_short = strings(c.record.get("short-container-title"))
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


def _compare_number(c: Comparison, name: str) -> None:
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


def _compare_pages(c: Comparison) -> None:
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


def _compare_type(c: Comparison) -> None:
    theirs = c.record.get("type")
    if not isinstance(theirs, str):
        return
    mapped = from_crossref(theirs)
    if mapped is None or mapped == c.work.type:
        return
    c.add("A309", Severity.WARNING, "type",
          f"type '{c.work.type.value}' but Crossref says '{theirs}' ({mapped.value})",
          c.work.type.value, theirs)


def _compare_publisher(c: Comparison) -> None:
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
