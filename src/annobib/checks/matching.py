"""Find a printed work in Crossref, with or without a DOI: search, then validate field by field.

The one matcher of ``annobib review`` and ``annobib check --suggest-dois``, named here for
their callers. Its code is the ``suggest`` stage of the Crossref check
(:mod:`annobib.checks.crossref.suggest`; the verdicts and candidates in ``results``, the
forms of titles and names across scripts in ``forms``). docs/matching.md says how a candidate
is accepted.
"""

from __future__ import annotations

from annobib.checks.crossref.forms import (
    SCHEMES,
    clean_title,
    name_keys,
    romanisations,
    same_family,
    title_similarity,
)
from annobib.checks.crossref.results import CODE_OF, Candidate, Match, Verdict
from annobib.checks.crossref.suggest import (
    AMBIGUOUS_MARGIN,
    NOT_DEPOSITED,
    TITLE_ACCEPT,
    TITLE_CANDIDATE,
    candidates,
    decide,
    find,
    find_all,
    judge_printed,
    search_query,
    validate,
)

__all__ = [
    "AMBIGUOUS_MARGIN",
    "CODE_OF",
    "NOT_DEPOSITED",
    "SCHEMES",
    "TITLE_ACCEPT",
    "TITLE_CANDIDATE",
    "Candidate",
    "Match",
    "Verdict",
    "candidates",
    "clean_title",
    "decide",
    "find",
    "find_all",
    "judge_printed",
    "name_keys",
    "romanisations",
    "same_family",
    "search_query",
    "title_similarity",
    "validate",
]
