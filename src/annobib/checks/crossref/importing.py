"""Adding works by DOI (``annobib import --doi``): Crossref's records as one document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annobib.findings import Finding, Location, Severity
from annobib.model import Document, Work
from annobib.services.base import (
    Found,
    MetadataService,
    OtherAgency,
    Unavailable,
)


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
