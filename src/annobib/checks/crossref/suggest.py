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

A work with a printed DOI is looked up and judged by :mod:`annobib.checks.crossref.judge`.

Titles and names are compared in every form: the printed one, its transliterations in the
common schemes (GOST 7.79 system B, BGN/PCGN, ISO 9, Library of Congress, "scientific", from
``iuliia``) and the record's original, translated and transliterated titles, so that
``Kuzmina E.M.`` meets ``Кузьмина Е. М.`` and an English title printed with ``(In Russ.)``
meets the Russian record that carries it as its translated title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from annobib.checks.crossref.compare import numbers_agree, same_person, year_agrees
from annobib.checks.crossref.forms import LANGUAGE_MARKER, same_family, title_similarity
from annobib.checks.crossref.judge import judge
from annobib.checks.crossref.records import crossref_titles, strings
from annobib.checks.crossref.results import Candidate, Match, Status, Verdict
from annobib.model import Person, Work, WorkType
from annobib.services.base import Lookup, MetadataService, SearchResult
from annobib.textmatch import fold, has_cyrillic

TITLE_ACCEPT = 0.90  # a candidate's title must be at least this similar
TITLE_CANDIDATE = 0.70  # below this a hit is no candidate at all
AMBIGUOUS_MARGIN = 0.05  # two accepted candidates closer than this: ambiguous

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


def _container_agrees(work: Work, record: dict[str, Any]) -> bool | None:
    theirs = strings(record.get("container-title")) + strings(
        record.get("short-container-title"))
    if work.container_title is None or not theirs:
        return None
    ours = work.container_title.variants()
    # the parser may have taken the title's last words into the container ("in Istanbul
    # Fish Market. PeerJ"): the container's last sentence counts too
    tails = [(f"{n}-tail", o.rsplit(". ", 1)[1]) for n, o in ours if ". " in o.strip(". ")]
    score, _ = title_similarity(ours + tails, [("c", t) for t in theirs])
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


def _first_author_agrees(ours: Person, theirs: dict[str, Any]) -> bool:
    """The first author: :func:`~.compare.same_person`, or one of the two misreadings a printed
    name commonly suffers in parsing: its parts swapped (``J.-P., LI`` read for ``LI, J.-P.``,
    a "family name" of initials alone; or ``Vaishali, Patel`` for ``Patel, Vaishali``, both
    parts meeting crosswise), and an organisation read as a person (``Additives, EFSA Panel on
    Food``: every one of at least three words in the organisation's name)."""
    if same_person(ours, theirs):
        return True
    if ours.literal is not None:
        return False
    family, first = ours.family or "", ours.first_names() or ""
    their_family, their_given = str(theirs.get("family") or ""), str(theirs.get("given") or "")
    if first and same_family(first, their_family):
        letters = re.findall(r"[^\W\d_]+", family)
        if "." in family and letters and all(len(run) == 1 for run in letters):
            return True  # initials read as the family name
        if same_family(family, their_given):
            return True  # both parts, crosswise
    org = str(theirs.get("name") or "")
    words = fold(f"{first} {family}", latin=True).split()
    return bool(org) and len(words) >= 3 and set(words) <= set(fold(org, latin=True).split())


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
        ok = _first_author_agrees(work.author[0], people[0])
        weights.append((1.5, 1.0 if ok else 0.0))
        (agreed if ok else disagreed).append("author")
    year = year_agrees(work, record)
    if year is not None:
        weights.append((1.0, 1.0 if year else 0.0))
        (agreed if year else disagreed).append("year")
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
    theirs_text = strings(record.get("title"))
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
    return LANGUAGE_MARKER.sub(" ", bibliographic_query(work, source)).strip()


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
