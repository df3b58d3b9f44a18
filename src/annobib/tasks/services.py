"""The metadata service a run asks: Crossref's API (answers kept as evidence), or the stored
evidence alone (``--offline``). Built the same way for ``check``, ``review`` and
``import --doi``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annobib.services.base import MetadataService


def default_evidence_dir(paths: list[Path]) -> Path:
    """``.crossref/`` beside the first path (in it, for a directory)."""
    first = paths[0]
    base = first if first.is_dir() else first.parent
    return base / ".crossref"


def crossref_service(*, offline: bool, refresh: bool, evidence: Path, api_url: str | None,
                     mailto: str | None, timeout: float, max_time: float,
                     retries: int = 4) -> MetadataService:
    """The stored evidence under ``evidence`` (``offline``), else Crossref's API keeping every
    answer there; ``mailto`` defaults to the configuration's."""
    from annobib.services.evidence import EvidenceService, EvidenceStore

    store = EvidenceStore(evidence)
    if offline:
        return EvidenceService(store)
    from annobib.services.crossref import CrossrefService, RetryPolicy
    from annobib.tasks.triage import configuration

    return CrossrefService(
        api_url=api_url,
        mailto=mailto or configuration().get("mailto"),  # --mailto, ANNOBIB_MAILTO, the file
        store=store,
        refresh=refresh,
        retry=RetryPolicy(attempts=retries, connect_attempts=min(2, retries), timeout=timeout,
                          max_time=max_time),
    )
