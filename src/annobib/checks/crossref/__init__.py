"""Check works against Crossref: verify what has a DOI, suggest DOIs for what has none.

Field by field against the Crossref record (``title``, ``original-title``, ``subtitle`` and
``short-title`` variants against every variant we hold; authors by family name and initials,
across scripts; year, print and online; container title, full and abbreviated; volume, issue,
pages; type through the crosswalk; publisher). Every difference is a :class:`Finding` with
the record key, the field, our value, Crossref's and the YAML location.

The status of each work is one of :class:`Status`. A work whose lookup failed is
``unchecked``: never ``not-found``.

One module per stage, each importing only those above it (``tests/test_stages.py``):

- ``results``: the shapes of what the check gives back (:class:`Status`, :class:`WorkResult`,
  :class:`CheckResult`; the matcher's :class:`Verdict`, ``Candidate`` and ``Match``);
- ``records``: reading a Crossref work record (titles, years, contributors);
- ``forms``: titles and names as printed and in the common romanisations of Cyrillic;
- ``compare``: one work against one record, field by field, and its update notices;
- ``judge``: one work with a DOI, its status from its lookup;
- ``suggest``: the matcher (``annobib.checks.matching`` names it): a work found by a
  validated ``query.bibliographic`` search, or by its printed DOI, with a :class:`Verdict`;
- ``deposit``: an article's reference list against the publisher's deposit;
- ``run``: the check of a library (lookups, judging, DOI search, deposits);
- ``importing``: records by DOI for ``annobib import --doi``.

This module only names what callers use; the code is in the stages.
"""

from __future__ import annotations

from annobib.checks.crossref.compare import (
    TITLE_CLOSE,
    TITLE_SAME,
    Where,
    best_title_match,
    compare,
    numbers_agree,
    update_findings,
)
from annobib.checks.crossref.deposit import compare_reference_list
from annobib.checks.crossref.importing import ImportResult, import_dois
from annobib.checks.crossref.judge import judge
from annobib.checks.crossref.records import crossref_titles, crossref_years, our_titles
from annobib.checks.crossref.results import (
    CODES,
    UNCHECKED_CODES,
    CheckResult,
    Status,
    Verdict,
    WorkResult,
)
from annobib.checks.crossref.run import check_library, library_locator
from annobib.checks.crossref.suggest import bibliographic_query

__all__ = [
    "CODES",
    "TITLE_CLOSE",
    "TITLE_SAME",
    "UNCHECKED_CODES",
    "CheckResult",
    "ImportResult",
    "Status",
    "Verdict",
    "Where",
    "WorkResult",
    "best_title_match",
    "bibliographic_query",
    "check_library",
    "compare",
    "compare_reference_list",
    "crossref_titles",
    "crossref_years",
    "import_dois",
    "judge",
    "library_locator",
    "numbers_agree",
    "our_titles",
    "update_findings",
]
