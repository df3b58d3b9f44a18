"""What a metadata service answers, as values.

"Could not check" is a value (:class:`Unavailable`), never an exception and never a
:class:`NotFound`: a service outage must not read as "this reference does not exist".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from annobib.model import Work


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP exchange a verdict rests on, as stored in the evidence directory.

    ``sha256`` is the hash of the response body bytes exactly as received. ``body`` is the
    parsed JSON (or the text, when the body is not JSON). When ``part`` is ``"item"`` the
    exchange was a list query and ``body`` is the one item of its ``items`` that belongs to
    this DOI; ``sha256`` still hashes the whole list response.
    """

    kind: str  # "work", "list", "agency" or "search"
    url: str
    time: str
    status: int
    sha256: str
    body: Any
    part: str | None = None
    redirected_from: str | None = None
    content_type: str | None = None  # as received; None in evidence from before it was kept

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "url": self.url,
            "time": self.time,
            "status": self.status,
            "sha256": self.sha256,
        }
        if self.part is not None:
            out["part"] = self.part
        if self.redirected_from is not None:
            out["redirected-from"] = self.redirected_from
        if self.content_type is not None:
            out["content-type"] = self.content_type
        out["body"] = self.body
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Exchange:
        return cls(
            kind=str(data["kind"]),
            url=str(data["url"]),
            time=str(data["time"]),
            status=int(data["status"]),
            sha256=str(data["sha256"]),
            body=data.get("body"),
            part=_opt_str(data.get("part")),
            redirected_from=_opt_str(data.get("redirected-from")),
            content_type=_opt_str(data.get("content-type")),
        )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Found:
    """The service holds a record for ``doi``. ``record`` is the work message as deposited.

    ``record["DOI"]`` may differ from ``doi`` when the service answered with an alias (301).
    """

    doi: str
    record: dict[str, Any]
    evidence: tuple[Exchange, ...] = ()


@dataclass(frozen=True, slots=True)
class NotFound:
    """The service answered, and it has no record for ``doi`` (HTTP 404), nor does any agency."""

    doi: str
    evidence: tuple[Exchange, ...] = ()


@dataclass(frozen=True, slots=True)
class OtherAgency:
    """``doi`` exists but is registered with another agency (DataCite, mEDRA, JaLC, ...)."""

    doi: str
    agency_id: str
    agency_label: str
    evidence: tuple[Exchange, ...] = ()


@dataclass(frozen=True, slots=True)
class Unavailable:
    """The service could not be asked or did not answer usefully: the work is unchecked.

    ``code`` says which kind (the finding code a check reports): ``A330`` no usable answer
    (outage, timeout, an answer that is not Crossref's), ``A332`` an answer whose record is
    malformed or too large, ``A333`` the record of another DOI, or a redirect off the API host.
    """

    doi: str
    reason: str
    code: str = "A330"


Lookup = Found | NotFound | OtherAgency | Unavailable


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One candidate of a bibliographic search, with the service's raw relevance score."""

    score: float
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    evidence: tuple[Exchange, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchUnavailable:
    query: str
    reason: str


Search = SearchResult | SearchUnavailable


@dataclass(slots=True)
class ServiceStats:
    """What a run cost: requests sent, by kind, and how the service pushed back."""

    requests: int = 0
    single: int = 0
    lists: int = 0
    agency: int = 0
    searches: int = 0
    throttled: int = 0  # 429 answers
    server_errors: int = 0  # 5xx answers
    transport_errors: int = 0  # timeouts, refused or dropped connections, bad bodies
    retries: int = 0
    from_evidence: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "single": self.single,
            "lists": self.lists,
            "agency": self.agency,
            "searches": self.searches,
            "throttled": self.throttled,
            "server_errors": self.server_errors,
            "transport_errors": self.transport_errors,
            "retries": self.retries,
            "from_evidence": self.from_evidence,
        }


Progress = Callable[[int], None]
"""Called with the number of DOIs settled since the last call."""


@dataclass(slots=True)
class Agreement:
    """The answer to :meth:`MetadataService.agreement` for a sequence of works.

    ``agreed``: the positions of the works whose record agrees with them in every field the
    check compares (the check would report nothing and call them verified, their title
    matched on ``title[0]``); decided without handing their records over. ``lookups``: the
    answer for the DOI (normalised, lower-case) of every other work that has one.
    """

    agreed: list[int]
    lookups: dict[str, Lookup]


def lookups_only(service: MetadataService, works: Sequence[Work],
                 progress: Progress | None = None) -> Agreement:
    """:meth:`MetadataService.agreement` for a service that cannot tell agreement apart: none
    agreed, every work with a DOI looked up."""
    return Agreement([], service.lookup([w.doi for w in works if w.doi], progress=progress))


class MetadataService(Protocol):
    """A source of DOI metadata: everything a check asks of one, and nothing else.

    Two questions (:meth:`lookup`, :meth:`search`) and a shortcut for the first
    (:meth:`agreement`), two states a caller reports (:attr:`down`, :attr:`problems`), what
    the answers come from (:attr:`source`), what the run cost (:attr:`stats`) and
    :meth:`close`.
    Callers never reach past this protocol (no ``getattr`` on a service): a new service
    (a snapshot, another registry) answers all of it, see ``docs/architecture.md``.
    """

    name: str
    stats: ServiceStats

    @property
    def down(self) -> str | None:
        """Why the service is considered down for the rest of the run, or ``None`` (up).

        Availability is a state, not an answer: each DOI asked while down is still answered
        :class:`Unavailable`; this says why, once, for the run's summary.
        """
        ...

    @property
    def problems(self) -> Sequence[str]:
        """What the service met that the user should see and that is no verdict (an evidence
        file that could not be read, ...), in the order met; empty when nothing was."""
        ...

    @property
    def source(self) -> dict[str, Any] | None:
        """What the answers come from when it is not Crossref's API at the time of the run,
        for the report (JSON, ``summary.source``): a snapshot's ``{"kind": "snapshot",
        "path", "date", "records", "engine"}`` (``date``: of Crossref's data the verdicts
        rest on), stored evidence's ``{"kind": "evidence", "path"}``; ``None`` for the API."""
        ...

    def lookup(self, dois: Iterable[str], progress: Progress | None = None) -> dict[str, Lookup]:
        """Answer every DOI given (normalised, lower-case); never raise for a network problem."""
        ...

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        """Which of ``works`` agree with their record in every compared field, and the
        lookups of the others' DOIs (see :class:`Agreement`). A service that cannot tell
        without handing every record over answers :func:`lookups_only`: none agreed."""
        ...

    def search(self, query: str, rows: int = 5) -> Search:
        """Bibliographic search for a work without a DOI."""
        ...

    def close(self) -> None: ...
