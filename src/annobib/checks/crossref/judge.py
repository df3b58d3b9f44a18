"""One work with a DOI: its status from the answer to its lookup."""

from __future__ import annotations

from collections.abc import Sequence

from annobib.checks.crossref.compare import Where, comparison, update_findings
from annobib.checks.crossref.records import crossref_titles, their_people
from annobib.checks.crossref.results import Status, WorkResult
from annobib.findings import Finding, Location, Severity
from annobib.model import Work
from annobib.services.base import (
    Found,
    Lookup,
    NotFound,
    OtherAgency,
    Unavailable,
)


def _status_from_findings(findings: Sequence[Finding]) -> Status:
    if any(f.severity.rank >= Severity.WARNING.rank for f in findings):
        return Status.DIFFERS
    return Status.VERIFIED


#: What :func:`judge` says of a work whose record agrees with it in every compared field (its
#: title matched on ``title[0]``): the ``matched_title`` of :func:`agreed`.
AGREED_TITLE = "ours:text ~ crossref:title[0] (1.00)"


def agreed(work: Work, location: Location | None) -> WorkResult:
    """The result :func:`judge` gives a work whose record agrees with it in every compared
    field (a service's :meth:`~annobib.services.base.MetadataService.agreement` said so):
    verified, no finding, the title matched on ``title[0]``."""
    return WorkResult(work.key, work.doi, Status.VERIFIED, location, matched_title=AGREED_TITLE)


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
    cmp = comparison(work, lookup.record, location, where)
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
                         if not crossref_titles(lookup.record) and not their_people(lookup.record)
                         else "our record and Crossref's share neither a title nor authors"))
        res.location = where(work.key, None) or location if where is not None else location
        res.findings.append(Finding("A331", Severity.WARNING, f"not verified: {res.reason}",
                                    res.location, work.key, "doi", {"doi": work.doi}))
    return res
