"""Evidence you can commit: every Crossref answer a verdict rests on, one JSON file each.

Layout of an evidence directory (default ``data/.crossref/`` next to the data)::

    works/<percent-encoded DOI>.json     one file per DOI
    queries/<sha256 of the query>.json   one file per bibliographic search

A DOI file is ``{"annobib-evidence": 1, "doi": ..., "verdict": ..., "exchanges": [...]}``;
each exchange holds the request URL, the time (UTC), the HTTP status, the sha256 of the
response body bytes as received and the body itself (parsed JSON, or text). A DOI answered
by a batched list query keeps the one item that belongs to it (``"part": "item"``).

Only *answers* are stored: a record (200), "no such DOI" (404) and agency answers. Errors
(429, 5xx, timeouts, broken bodies) are never written, so a cached file can never turn an
outage into a verdict. Writes are atomic (temporary file + ``os.replace``); a run stopped at
any moment leaves every ``*.json`` file whole.

:func:`lookup_from_exchanges` derives the verdict from stored exchanges; the online client uses
the same function, so ``--offline`` gives exactly the verdicts a network run gave.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from annobib.services.answers import (
    MAX_ANSWER_BYTES,
    documented_alias,
    is_crossref_not_found,
    is_json_type,
    lone_surrogate_in,
    media_type,
    record_problem,
)
from annobib.services.base import (
    Agreement,
    Exchange,
    Found,
    Lookup,
    NotFound,
    OtherAgency,
    Progress,
    Search,
    SearchHit,
    SearchResult,
    SearchUnavailable,
    ServiceStats,
    Unavailable,
    lookups_only,
)

if TYPE_CHECKING:
    from annobib.model import Work

FORMAT = 1
_MAX_NAME = 180
_MAX_FILE = 2 * MAX_ANSWER_BYTES + 2**20  # a work file holds one capped answer, plus an agency's


def doi_filename(doi: str) -> str:
    """A portable file name for a DOI: percent-encoded, lower-case, length-capped."""
    name = quote(doi.lower(), safe="")
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(doi.lower().encode("utf-8")).hexdigest()[:16]
        name = f"{name[:120]}~{digest}"
    return name + ".json"


def search_key(query: str, rows: int) -> str:
    """What identifies a stored search: the query text and the number of rows asked for."""
    return f"query.bibliographic={query}&rows={rows}"


def query_filename(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()[:32] + ".json"


def atomic_write_text(path: Path, text: str, *, mkdir: bool = True, sync: bool = True) -> None:
    """Write ``text`` to ``path`` atomically (see :mod:`annobib.atomic`).

    ``sync=False`` skips fsync: the rename is still atomic for any process crash or
    interrupt, only an OS crash could lose the newest files (evidence is re-fetchable).
    """
    from annobib.atomic import write_atomic

    if not mkdir and not path.parent.is_dir():
        raise FileNotFoundError(f"no directory {path.parent}")
    write_atomic(path, text, sync=sync)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _dumps(data: dict[str, Any]) -> str:
    """The file text: one line per top-level field and per exchange, each body on one line.

    Written by hand around the C JSON encoder (an indented dump of 1,000 full records takes
    seconds in the pure-Python encoder); still valid JSON, and a diff names the exchange
    whose body changed and its new sha256.
    """
    lines = ["{"]
    items = list(data.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if k == "exchanges" and isinstance(v, list):
            lines.append(f"  {_compact(k)}: [")
            for j, ex in enumerate(v):
                sep = "," if j < len(v) - 1 else ""
                lines.append(f"    {_compact(ex)}{sep}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {_compact(k)}: {_compact(v)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def work_record(exchange: Exchange) -> dict[str, Any] | None:
    """The work message an exchange carries, or None."""
    body = exchange.body
    if not isinstance(body, dict):
        return None
    if exchange.part == "item":
        return body
    message = body.get("message")
    return message if isinstance(message, dict) else None


def lookup_from_exchanges(doi: str, exchanges: Sequence[Exchange]) -> Lookup:
    """The verdict for ``doi`` from the answers stored for it. Pure; no I/O.

    The rules of :mod:`annobib.services.answers` apply: a record must be well formed and be
    this DOI's (or a documented alias's); "not found" must be Crossref's own 404.
    """
    evidence = tuple(exchanges)
    work_answers = [e for e in evidence if e.kind in ("work", "list")]
    if not work_answers:
        return Unavailable(doi, "no Crossref answer stored for this DOI")
    last = work_answers[-1]
    if last.status == 200:
        if last.content_type is not None and not is_json_type(last.content_type):
            return Unavailable(doi, f"Crossref's answer is labelled "
                               f"{media_type(last.content_type)}, not JSON")
        record = work_record(last)
        problem = record_problem(record) if record is not None else "it holds no work record"
        if record is None or problem is not None:
            return Unavailable(doi, f"Crossref's record for this DOI is malformed: {problem}",
                               "A332")
        theirs = str(record["DOI"]).lower()
        if theirs != doi.lower() and not (
            last.kind == "work" and documented_alias(doi, theirs, last.url, last.redirected_from)
        ):
            return Unavailable(doi, f"the answer for {doi} is the record of another DOI, "
                               f"{theirs}, and the API documents no alias between them", "A333")
        return Found(doi, record, evidence)
    if last.status != 404:
        return Unavailable(doi, f"stored Crossref answer has HTTP status {last.status}")
    if not is_crossref_not_found(last.body, last.content_type):
        return Unavailable(doi, NOT_CROSSREFS_404)
    agency = [e for e in evidence if e.kind == "agency"]
    if not agency:
        return Unavailable(doi, "Crossref has no record and the agency was not asked")
    ans = agency[-1]
    if ans.status == 404 and is_crossref_not_found(ans.body, ans.content_type):
        return NotFound(doi, evidence)
    if ans.status == 200 and isinstance(ans.body, dict) and (
        ans.content_type is None or is_json_type(ans.content_type)
    ):
        message = ans.body.get("message")
        ag = message.get("agency") if isinstance(message, dict) else None
        if isinstance(ag, dict) and ag.get("id"):
            agency_id = str(ag["id"]).lower()
            if agency_id == "crossref":
                return NotFound(doi, evidence)
            return OtherAgency(doi, agency_id, str(ag.get("label") or agency_id), evidence)
    return Unavailable(doi, f"stored agency answer is not usable (HTTP {ans.status})")


NOT_CROSSREFS_404 = (
    "a 404 that is not Crossref's not-found answer (an error page of a proxy, or a wrong "
    "--api-url path?)"
)


def verdict_name(lookup: Lookup) -> str:
    if isinstance(lookup, Found):
        return "found"
    if isinstance(lookup, NotFound):
        return "not-found"
    if isinstance(lookup, OtherAgency):
        return "other-agency"
    return "unavailable"


def search_from_exchanges(query: str, exchanges: Sequence[Exchange]) -> Search:
    answers = [e for e in exchanges if e.kind == "search" and e.status == 200]
    if not answers:
        return SearchUnavailable(query, "no search answer stored")
    body = answers[-1].body
    message = body.get("message") if isinstance(body, dict) else None
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        return SearchUnavailable(query, "stored search answer holds no items")
    hits = tuple(
        SearchHit(float(score), it) for it in items
        if isinstance(it, dict) and record_problem(it) is None
        and isinstance(score := it.get("score") or 0.0, int | float)
    )
    return SearchResult(query, hits, tuple(exchanges))


class EvidenceStore:
    """Reads and writes evidence files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.problems: list[str] = []
        self._made: set[Path] = set()

    def _write(self, path: Path, text: str) -> None:
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        atomic_write_text(path, text, mkdir=False, sync=False)

    def work_path(self, doi: str) -> Path:
        return self.root / "works" / doi_filename(doi)

    def query_path(self, query: str) -> Path:
        return self.root / "queries" / query_filename(query)

    def _read(self, path: Path) -> dict[str, Any] | None:
        from annobib.errors import InputError
        from annobib.reading import MissingInput, read_input

        try:  # bounded, and never a FIFO or device planted in the evidence directory
            raw = read_input(path)
        except MissingInput:
            return None
        except InputError as exc:
            self.problems.append(f"{path}: cannot read evidence: {exc}")
            return None
        if len(raw) > _MAX_FILE:
            self.problems.append(f"{path}: evidence larger than {_MAX_FILE // 2**20} MiB; ignored")
            return None
        if lone_surrogate_in(raw):
            self.problems.append(f"{path}: evidence holds a lone surrogate (not Unicode "
                                 "text); ignored")
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except RecursionError:
            self.problems.append(f"{path}: evidence is nested too deep to read; ignored")
            return None
        except ValueError as exc:
            self.problems.append(f"{path}: evidence is not valid JSON ({exc}); ignored")
            return None
        if not isinstance(data, dict) or data.get("annobib-evidence") != FORMAT:
            self.problems.append(f"{path}: not an annobib evidence file; ignored")
            return None
        return data

    def load_work(self, doi: str) -> list[Exchange] | None:
        data = self._read(self.work_path(doi))
        if data is None:
            return None
        if str(data.get("doi", "")).lower() != doi.lower():
            self.problems.append(f"{self.work_path(doi)}: evidence is for another DOI; ignored")
            return None
        try:
            return [Exchange.from_json(x) for x in data.get("exchanges", [])]
        except (KeyError, TypeError, ValueError) as exc:
            self.problems.append(f"{self.work_path(doi)}: malformed exchange ({exc}); ignored")
            return None

    def save_work(self, doi: str, exchanges: Sequence[Exchange], verdict: str) -> Path:
        path = self.work_path(doi)
        data = {
            "annobib-evidence": FORMAT,
            "doi": doi.lower(),
            "verdict": verdict,
            "exchanges": [e.to_json() for e in exchanges],
        }
        self._write(path, _dumps(data))
        return path

    def load_query(self, query: str) -> list[Exchange] | None:
        data = self._read(self.query_path(query))
        if data is None or data.get("query") != query:
            return None
        try:
            return [Exchange.from_json(x) for x in data.get("exchanges", [])]
        except (KeyError, TypeError, ValueError):
            return None

    def save_query(self, query: str, exchanges: Sequence[Exchange]) -> Path:
        path = self.query_path(query)
        data = {
            "annobib-evidence": FORMAT,
            "query": query,
            "exchanges": [e.to_json() for e in exchanges],
        }
        self._write(path, _dumps(data))
        return path

    def dois(self) -> list[str]:
        """DOIs with a stored file (as recorded inside each file)."""
        out: list[str] = []
        folder = self.root / "works"
        if not folder.is_dir():
            return out
        for p in sorted(folder.glob("*.json")):
            data = self._read(p)
            if data is not None and isinstance(data.get("doi"), str):
                out.append(data["doi"])
        return out


class EvidenceService:
    """A :class:`~annobib.services.base.MetadataService` that never touches the network.

    Every verdict comes from the evidence directory; a DOI without evidence is
    :class:`Unavailable` (unchecked), never "not found".
    """

    name = "crossref-evidence"

    def __init__(self, store: EvidenceStore) -> None:
        self.store = store
        self.stats = ServiceStats()

    @property
    def down(self) -> str | None:
        """Never: the evidence directory is always there to read (a missing file is one DOI
        unchecked, not the service down)."""
        return None

    @property
    def problems(self) -> Sequence[str]:
        return self.store.problems

    @property
    def source(self) -> dict[str, Any] | None:
        """The evidence directory every answer is read from."""
        return {"kind": "evidence", "path": str(self.store.root)}

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        """None agreed: every stored record is compared by the check."""
        return lookups_only(self, works, progress)

    def lookup(self, dois: Iterable[str], progress: Progress | None = None) -> dict[str, Lookup]:
        out: dict[str, Lookup] = {}
        for doi in dict.fromkeys(d.lower() for d in dois):
            exchanges = self.store.load_work(doi)
            if exchanges is None:
                out[doi] = Unavailable(
                    doi, f"--offline: no evidence for this DOI in {self.store.root}"
                )
            else:
                self.stats.from_evidence += 1
                out[doi] = lookup_from_exchanges(doi, exchanges)
            if progress is not None:
                progress(1)
        return out

    def search(self, query: str, rows: int = 5) -> Search:
        key = search_key(query, rows)
        exchanges = self.store.load_query(key)
        if exchanges is None:
            return SearchUnavailable(key, f"--offline: no stored search in {self.store.root}")
        self.stats.from_evidence += 1
        return search_from_exchanges(key, exchanges)

    def close(self) -> None:
        return None
