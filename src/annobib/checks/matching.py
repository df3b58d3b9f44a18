"""Find a printed work in Crossref, with or without a DOI: search, then validate field by field.

In the manner of Crossref's search-based reference matching: the work is searched with
``query.bibliographic`` (the printed string, or its fields with author and year), and a
candidate is accepted only when its fields agree with ours (title across scripts and
translations, first author, year, container, pages). The verdict is one of :class:`Verdict`:

- ``matched``: one candidate agreed; its DOI is suggested with the fields that agreed;
- ``ambiguous``: candidates came close, or two agreed equally; all are listed;
- ``not-in-crossref``: searched and nothing agreed, or a kind of work Crossref does not hold
  (a web page, a treaty); the reason it is plausible is given (a book, a journal that deposits
  nothing). Never "fake", never "not found": absence from Crossref proves nothing;
- ``unchecked``: the search could not be made (an outage): exit 4, never a verdict.

A work with a printed DOI is looked up and judged by :mod:`annobib.checks.crossref`.

Titles and names are compared in every form: the printed one, its transliterations in the
common schemes (GOST 7.79 system B, BGN/PCGN, ISO 9, Library of Congress, "scientific", from
``iuliia``) and the record's original, translated and transliterated titles, so that
``Kuzmina E.M.`` meets ``Кузьмина Е. М.`` and an English title printed with ``(In Russ.)``
meets the Russian record that carries it as its translated title.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import iuliia

from annobib.checks.crossref import (
    Status,
    bibliographic_query,
    crossref_titles,
    crossref_years,
    judge,
    numbers_agree,
)
from annobib.findings import Finding, Location, Severity
from annobib.model import Work, WorkType
from annobib.services.base import Lookup, MetadataService, SearchResult
from annobib.textmatch import fold, has_cyrillic, name_key, similarity, strip_markup

#: the transliteration schemes a printed Cyrillic title or name may have been romanised in
SCHEMES: tuple[tuple[str, Any], ...] = (
    ("gost-7.79-b", iuliia.GOST_779_ALT),
    ("bgn-pcgn", iuliia.BGN_PCGN),
    ("iso-9", iuliia.GOST_779),
    ("lc", iuliia.ALA_LC),
    ("scientific", iuliia.SCIENTIFIC),
)

TITLE_ACCEPT = 0.90  # a candidate's title must be at least this similar
TITLE_CANDIDATE = 0.70  # below this a hit is no candidate at all
AMBIGUOUS_MARGIN = 0.05  # two accepted candidates closer than this: ambiguous

# Printed language markers and bracketed translations: not part of the title's words.
_MARKER = re.compile(
    r"\s*\((?:in|на)\s+(?:russ|rus|eng|engl|ukr|kaz|kyrg|uzb|taj|arm|geo|belarus)\w*\.?\)\s*",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\s*\[[^\[\]]{3,}\]\s*")

# Kinds of work for which Crossref is not where one would find it, with the reason.
NOT_DEPOSITED: dict[WorkType, str] = {}
for _name, _why in (
    ("WEB_PAGE", "a web page: Crossref registers no web pages"),
    ("POST", "a web post: Crossref registers no web pages"),
    ("BLOG_POST", "a blog post: few blogs deposit in Crossref"),
    ("MAGAZINE_ARTICLE", "a magazine item: magazines rarely deposit in Crossref"),
    ("REGULATION", "a regulation: not a deposited work"),
    ("BILL", "a bill: not a deposited work"),
    ("HEARING", "a hearing: not a deposited work"),
    ("ARCHIVAL_COLLECTION", "an archival item: not a deposited work"),
    ("MANUSCRIPT", "a manuscript: not a deposited work"),
    ("NEWSPAPER_ARTICLE", "a newspaper item: newspapers deposit nothing in Crossref"),
    ("TREATY", "a treaty: treaties have no Crossref DOI"),
    ("LEGISLATION", "a statute: laws have no Crossref DOI"),
    ("LEGAL_CASE", "a court decision: decisions have no Crossref DOI"),
    ("INTERVIEW", "an interview: not a deposited work"),
    ("PERSONAL_COMMUNICATION", "a personal communication: not a published work"),
):
    if hasattr(WorkType, _name):
        NOT_DEPOSITED[getattr(WorkType, _name)] = _why


class Verdict(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    NOT_IN_CROSSREF = "not-in-crossref"
    NOT_FOUND = "not-found"  # only for a printed DOI that no agency has registered
    UNCHECKED = "unchecked"


# The findings of a verdict (registered in annobib.codes).
CODE_OF: dict[Verdict, tuple[str, Severity]] = {
    Verdict.MATCHED: ("A360", Severity.INFO),
    Verdict.AMBIGUOUS: ("A361", Severity.WARNING),
    Verdict.NOT_IN_CROSSREF: ("A362", Severity.INFO),
    Verdict.UNCHECKED: ("A363", Severity.WARNING),
    Verdict.NOT_FOUND: ("A364", Severity.ERROR),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    doi: str
    title: str
    title_score: float
    score: float
    agreed: tuple[str, ...]
    disagreed: tuple[str, ...]
    accepted: bool
    title_pair: str  # which forms met: "printed~title[1] (bgn-pcgn)"

    def to_json(self) -> dict[str, Any]:
        return {
            "doi": self.doi,
            "title": self.title,
            "title-similarity": round(self.title_score, 3),
            "score": round(self.score, 3),
            "agreed": list(self.agreed),
            "disagreed": list(self.disagreed),
            "accepted": self.accepted,
            "title-forms": self.title_pair,
        }


@dataclass(slots=True)
class Match:
    verdict: Verdict
    reason: str
    doi: str | None = None  # the printed or suggested DOI
    searched: bool = False
    candidates: list[Candidate] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "reason": self.reason,
            "doi": self.doi,
            "searched": self.searched,
            "candidates": [c.to_json() for c in self.candidates],
        }

    def finding(self, location: Location | None, key: str | None) -> Finding:
        code, severity = CODE_OF[self.verdict]
        message = f"{self.verdict.value}: {self.reason}"
        return Finding(code, severity, message, location, key, "doi", self.to_json())


# --- forms of a title or a name ---------------------------------------------------------------


def clean_title(text: str) -> str:
    """The printed title without language markers (``(In Russ.)``) and bracketed parts."""
    t = _MARKER.sub(" ", strip_markup(text))
    t = _BRACKETED.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip(" .")


@functools.lru_cache(maxsize=1 << 14)
def romanisations(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` and, when it holds Cyrillic, its transliteration in each of :data:`SCHEMES`,
    as ``(scheme, text)``; the printed form first (scheme ``printed``)."""
    out = [("printed", text)]
    if has_cyrillic(text):
        for name, schema in SCHEMES:
            out.append((name, schema.translate(text)))
    return tuple(out)


def title_similarity(ours: Iterable[tuple[str, str]],
                     theirs: Iterable[tuple[str, str]]) -> tuple[float, str]:
    """Best similarity of any of our title forms against any of theirs, and which met.

    Both sides are ``(name, text)`` pairs (our printed, original, translated and
    transliterated titles; the record's ``title[i]``, ``original-title`` ...). A Cyrillic text
    is also compared in each transliteration scheme, a marker like ``(In Russ.)`` is dropped.
    """
    best, how = 0.0, ""
    theirs_forms = [(n, s, t) for n, text in theirs
                    for s, t in romanisations(clean_title(text)) if t]
    for oname, otext in ours:
        for oscheme, o in romanisations(clean_title(otext)):
            if not o:
                continue
            for tname, tscheme, t in theirs_forms:
                if oscheme != "printed" and tscheme != "printed":
                    continue  # one side stays as printed
                s = similarity(o, t)
                if s > best:
                    scheme = oscheme if oscheme != "printed" else tscheme
                    best, how = s, f"{oname}~{tname} ({scheme})"
                    if s >= 1.0:
                        return best, how
    return best, how


@functools.lru_cache(maxsize=1 << 14)
def name_keys(name: str) -> frozenset[str]:
    """Comparison keys of a family name in every script and scheme."""
    return frozenset(k for _, t in romanisations(name) if (k := name_key(t)))


def same_family(a: str, b: str) -> bool:
    """``Kuzmina`` and ``Кузьмина``, ``Kuz'mina``, ``Kuzʹmina`` are one family name."""
    if not a or not b:
        return False
    return bool(name_keys(a) & name_keys(b)) or fold(a) == fold(b)


# --- validation -------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [strip_markup(v) for v in value if isinstance(v, str) and v.strip()]
    return []


def _container_agrees(work: Work, record: dict[str, Any]) -> bool | None:
    theirs = _strings(record.get("container-title")) + _strings(
        record.get("short-container-title"))
    if work.container_title is None or not theirs:
        return None
    ours = work.container_title.variants()
    score, _ = title_similarity(ours, [("c", t) for t in theirs])
    if score >= 0.85:
        return True
    # an abbreviation: every word of ours starts a word of theirs, in order
    for _, o in ours:
        ow = fold(o, latin=True).split()
        for t in theirs:
            tw = fold(t, latin=True).split()
            if ow and len(ow) <= len(tw) and all(
                    x.startswith(y) or y.startswith(x) for x, y in zip(tw, ow, strict=False)):
                return True
    return False


def validate(work: Work, record: dict[str, Any]) -> Candidate | None:
    """One Crossref record against ``work``: which fields agree; None without DOI or title."""
    doi = str(record.get("DOI") or "").lower()
    if not doi or work.title is None:
        return None
    theirs_titles = crossref_titles(record)
    if not theirs_titles:
        return None
    tscore, how = title_similarity(work.title.variants(), theirs_titles)
    agreed: list[str] = []
    disagreed: list[str] = []
    weights: list[tuple[float, float]] = [(3.0, tscore)]
    (agreed if tscore >= TITLE_ACCEPT else disagreed).append("title")
    people = [a for a in record.get("author") or record.get("editor") or []
              if isinstance(a, dict)]
    if work.author and people:
        o, t = work.author[0], people[0]
        if o.literal is not None:
            ok = bool(t.get("name")) and similarity(o.literal, str(t["name"])) >= 0.8
        else:
            ours = [o.family or ""] + ([o.original_script.split(",")[0]]
                                       if o.original_script else [])
            theirs = [str(t.get("family") or t.get("name") or "")]
            ok = any(same_family(a, b) for a in ours for b in theirs)
        weights.append((1.5, 1.0 if ok else 0.0))
        (agreed if ok else disagreed).append("author")
    years = crossref_years(record)
    if work.issued is not None and years:
        ok = work.issued.year in years.values()
        weights.append((1.0, 1.0 if ok else 0.0))
        (agreed if ok else disagreed).append("year")
    container = _container_agrees(work, record)
    if container is not None:
        weights.append((1.0, 1.0 if container else 0.0))
        (agreed if container else disagreed).append("container-title")
    for name, ok in numbers_agree(work, record):
        weights.append((0.5, 1.0 if ok else 0.0))
        (agreed if ok else disagreed).append(name)
    score = sum(w * s for w, s in weights) / sum(w for w, _ in weights)
    # Accepted: the title agrees, and so does at least one more of the identifying fields
    # (first author, year, container, pages); the author may not clash, nor may both the year
    # and the container (one wrong year alone is a typical printing error).
    identifying = {"author", "year", "container-title", "pages"} & set(agreed)
    accepted = (
        tscore >= TITLE_ACCEPT
        and bool(identifying)
        and "author" not in disagreed
        and not {"year", "container-title"} <= set(disagreed)
        and score >= 0.75
    )
    theirs_text = _strings(record.get("title"))
    return Candidate(doi, theirs_text[0] if theirs_text else "", tscore, score,
                     tuple(agreed), tuple(disagreed), accepted, how)


def candidates(work: Work, result: SearchResult) -> list[Candidate]:
    """Every hit of ``result`` validated against ``work``, best first, one per DOI."""
    seen: dict[str, Candidate] = {}
    for hit in result.hits:
        c = validate(work, hit.record)
        if c is not None and c.title_score >= TITLE_CANDIDATE and (
                c.doi not in seen or c.score > seen[c.doi].score):
            seen[c.doi] = c
    return sorted(seen.values(), key=lambda c: (c.accepted, c.score), reverse=True)


def _absent_reason(work: Work) -> str:
    texts = [t for _, t in work.title.variants()] if work.title is not None else []
    russian = (work.language or "").startswith("ru") or any(has_cyrillic(t) for t in texts)
    if work.type is WorkType.BOOK:
        why = "a book: many books, Russian ones above all, have no Crossref DOI"
    elif work.type is WorkType.CHAPTER:
        why = "a chapter of a book: few book publishers deposit chapters"
    elif work.type is WorkType.THESIS:
        why = "a thesis: few universities deposit theses in Crossref"
    elif russian:
        why = ("a Russian-language work: many Russian journals deposit nothing in Crossref "
               "or register DOIs elsewhere")
    else:
        why = "its journal or publisher may not deposit in Crossref"
    return f"searched, no candidate agreed on title and another field; plausible: {why}"


def decide(work: Work, result: SearchResult) -> Match:
    """The verdict for ``work`` from a search answer (pure: no I/O)."""
    cands = candidates(work, result)
    accepted = [c for c in cands if c.accepted]
    if len(accepted) == 1 or (
            len(accepted) > 1 and accepted[0].score - accepted[1].score >= AMBIGUOUS_MARGIN):
        best = accepted[0]
        return Match(Verdict.MATCHED,
                     f"DOI {best.doi} (title similarity {best.title_score:.2f}; agreed: "
                     f"{', '.join(best.agreed)})", best.doi, True, cands[:5])
    if accepted:
        return Match(Verdict.AMBIGUOUS,
                     f"{len(accepted)} candidates agree equally well: "
                     + ", ".join(c.doi for c in accepted[:5]), None, True, accepted[:5])
    close = [c for c in cands if c.score >= 0.6]
    if close:
        return Match(Verdict.AMBIGUOUS,
                     "candidates came close but none agreed on enough fields: "
                     + ", ".join(c.doi for c in close[:5]), None, True, close[:5])
    return Match(Verdict.NOT_IN_CROSSREF, _absent_reason(work), None, True, cands[:3])


def search_query(work: Work, source: str | None) -> str:
    """What to send as ``query.bibliographic``: the printed string without its number (with
    the author and year it carries), else the fields; language markers are left out."""
    return _MARKER.sub(" ", bibliographic_query(work, source)).strip()


def judge_printed(work: Work, lookup: Lookup) -> Match:
    """The verdict for a work with a printed DOI, from its lookup."""
    assert work.doi is not None
    res = judge(work, lookup, None, None)
    if res.status in (Status.VERIFIED, Status.DIFFERS, Status.RETRACTED_CORRECTED):
        return Match(Verdict.MATCHED, f"printed DOI {work.doi} is Crossref's "
                     f"({res.status.value}; {res.matched_title or 'title not compared'})",
                     work.doi, False)
    if res.status is Status.NOT_FOUND:
        return Match(Verdict.NOT_FOUND, f"printed DOI {work.doi} is not registered "
                     "with any agency", work.doi, False)
    if res.status is Status.OTHER_AGENCY:
        return Match(Verdict.NOT_IN_CROSSREF, f"printed DOI {work.doi}: {res.reason}",
                     work.doi, False)
    return Match(Verdict.UNCHECKED, res.reason or "Crossref could not be asked", work.doi, False)


def find(work: Work, service: MetadataService, source: str | None = None,
         rows: int = 5, lookup: Lookup | None = None) -> Match:
    """Find ``work`` in Crossref: its printed DOI looked up (or ``lookup``, its answer), else a
    validated search."""
    if work.doi:
        if lookup is None:
            lookup = service.lookup([work.doi])[work.doi.lower()]
        return judge_printed(work, lookup)
    why = NOT_DEPOSITED.get(work.type)
    if why is not None:
        return Match(Verdict.NOT_IN_CROSSREF, f"not searched: {why}")
    if work.title is None:
        return Match(Verdict.NOT_IN_CROSSREF,
                     "not searched: no title was read, so no candidate could be validated")
    answer = service.search(search_query(work, source), rows=rows)
    if not isinstance(answer, SearchResult):
        reason = getattr(answer, "reason", "no answer")
        return Match(Verdict.UNCHECKED, f"the search could not be made: {reason}")
    return decide(work, answer)


def find_all(works: Sequence[tuple[Work, str | None]], service: MetadataService) -> list[Match]:
    """:func:`find` for each ``(work, printed string)``; printed DOIs are looked up together."""
    dois = [w.doi for w, _ in works if w.doi]
    lookups = service.lookup(dois) if dois else {}
    return [find(w, service, s, lookup=lookups.get(w.doi.lower()) if w.doi else None)
            for w, s in works]
