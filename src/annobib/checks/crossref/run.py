"""Running the check over a library: printed DOIs looked up together and judged, works
without one found with the matcher of ``suggest`` (``--suggest-dois``), reference lists
against deposits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from annobib.checks.crossref.compare import Where
from annobib.checks.crossref.deposit import compare_reference_list
from annobib.checks.crossref.judge import agreed, judge
from annobib.checks.crossref.results import CheckResult, Status, Verdict, WorkResult
from annobib.checks.crossref.suggest import find
from annobib.findings import Finding, Location
from annobib.model import Library, Work
from annobib.model.library import LoadedDocument
from annobib.runtime import gc_paused
from annobib.services.base import (
    Agreement,
    Found,
    MetadataService,
)


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


def _sources_by_key(library: Library) -> dict[str, str]:
    out: dict[str, str] = {}
    for loaded in library.documents:
        for ref in loaded.document.references:
            out.setdefault(ref.target_key, ref.source)
    return out


def verdicts(works: Sequence[Work], agreement: Agreement,
             locations: Sequence[Location | None], where: Where | None = None
             ) -> list[WorkResult]:
    """The result of each of ``works`` (each with a DOI) from the service's ``agreement``:
    verified where its record agreed, else judged from its lookup (``locations[n]``: where
    work ``n`` is, file-only; ``where`` gives lines). The collector is paused meanwhile:
    judging makes no cycles, and each collection would walk every result and record made so
    far (with a million works, half the time)."""
    verified = set(agreement.agreed)
    with gc_paused():
        return [agreed(w, locations[n]) if n in verified
                else judge(w, agreement.lookups[str(w.doi).lower()], locations[n], where)
                for n, w in enumerate(works)]


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
    with_doi = [w for w in works if w.doi]
    # works whose record agrees in every compared field are verified without their record
    # (a snapshot decides it in SQL); every other DOI is looked up
    agreement = service.agreement(with_doi, progress=progress)
    lookups = agreement.lookups
    # an article's record is compared with its reference list: looked up even when it agreed
    asked = {w.doi.strip().lower() for w in with_doi if w.doi}
    articles = [d for d in dict.fromkeys(
        loaded.document.article.doi.strip().lower() for loaded in library.documents
        if loaded.document.article is not None and loaded.document.article.doi)
        if d in asked and d not in lookups]
    if articles:
        lookups = {**lookups, **service.lookup(articles)}
    sources = _sources_by_key(library) if suggest_dois else {}
    locations = [Location(file_of[w.key]) if w.key in file_of else None for w in with_doi]
    of_doi = dict(zip(map(id, with_doi), verdicts(with_doi, agreement, locations, where),
                      strict=True))
    results: list[WorkResult] = []
    for work in works:
        location = Location(file_of[work.key]) if work.key in file_of else None
        if work.doi:
            results.append(of_doi[id(work)])
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
        lookup = lookups.get(art.doi.strip().lower())
        if isinstance(lookup, Found):
            doc_findings.extend(compare_reference_list(loaded, library, lookup.record))
    return CheckResult(results, doc_findings, service.name, service.down,
                       service.stats.to_json(), service.source)
