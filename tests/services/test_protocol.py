"""The MetadataService protocol is complete: a check and the CLI ask a service only what the
protocol declares (availability, problems), so a new service needs nothing else.

The toy service here answers every DOI ``Unavailable`` and is down: it is what a service
written from ``docs/architecture.md`` looks like, and mypy checks it against the protocol.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from pathlib import Path

from annobib.api import load
from annobib.checks.crossref import Status, check_library
from annobib.model import Work
from annobib.services.base import (
    Agreement,
    Lookup,
    MetadataService,
    Progress,
    Search,
    SearchUnavailable,
    ServiceStats,
    Unavailable,
    lookups_only,
)
from annobib.services.crossref import CrossrefService
from annobib.services.evidence import EvidenceService, EvidenceStore

SRC = Path(__file__).resolve().parents[2] / "src" / "annobib"


class ToyService:
    name = "toy"

    def __init__(self) -> None:
        self.stats = ServiceStats()
        self.down: str | None = "toy registry closed for the test"
        self.problems: list[str] = ["toy: one stored answer could not be read"]
        self.source: dict[str, str] | None = {"kind": "toy"}

    def lookup(self, dois: Iterable[str], progress: Progress | None = None) -> dict[str, Lookup]:
        return {d: Unavailable(d, "closed") for d in dois}

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        return lookups_only(self, works, progress)

    def search(self, query: str, rows: int = 5) -> Search:
        return SearchUnavailable(query, "closed")

    def close(self) -> None:
        return None


def test_check_reports_the_protocols_availability(tmp_path: Path) -> None:
    path = tmp_path / "lib.yaml"
    path.write_text("works:\n- key: a\n  type: article\n  title: A title\n  doi: 10.1000/x1\n",
                    encoding="utf-8")
    service: MetadataService = ToyService()
    result = check_library(load([path], lint=False).library, service)
    assert result.unavailable_reason == "toy registry closed for the test"
    assert [w.status for w in result.works] == [Status.UNCHECKED]
    assert result.source == {"kind": "toy"}


def test_shipped_services_answer_the_whole_protocol(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / ".crossref")
    store.problems.append("x.json: cannot read evidence")
    services: list[MetadataService] = [EvidenceService(store), CrossrefService(store=store),
                                       CrossrefService()]
    try:
        assert [s.down for s in services] == [None, None, None]
        problems: list[Sequence[str]] = [s.problems for s in services]
        assert [list(p) for p in problems] == [["x.json: cannot read evidence"]] * 2 + [[]]
        assert [s.source for s in services] == [
            {"kind": "evidence", "path": str(tmp_path / ".crossref")}, None, None]
    finally:
        for s in services:
            s.close()


def test_no_caller_reaches_past_the_protocol() -> None:
    """No ``getattr(service, ...)`` outside services/: what a caller needs is in the protocol."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "services" in path.relative_to(SRC).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr" and node.args
                    and "service" in ast.unparse(node.args[0])):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
