"""What the check gives back: the status of each work and the run's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from annobib.codes import matching
from annobib.findings import Finding, Location, Severity


class Status(StrEnum):
    VERIFIED = "verified"
    DIFFERS = "differs"
    NOT_FOUND = "not-found"
    OTHER_AGENCY = "other-agency"
    RETRACTED_CORRECTED = "retracted-corrected"
    UNCHECKED = "unchecked"
    NO_DOI = "no-doi"


# Stable finding codes of the check (A3xx), as registered in annobib.codes; docs/ci.md lists them.
CODES: dict[str, str] = {c.code: c.title for c in matching("A3")}

# Findings that come with an "unchecked" work: --on-unreachable alone decides about them
# (A334: the DOI is not in the local snapshot, which is Crossref's data of one date, so it is
# neither "not found" nor a finding about the library; A363: the --suggest-dois search of a
# work without a DOI could not be made).
UNCHECKED_CODES = frozenset({"A330", "A331", "A332", "A333", "A334", "A363"})


class Verdict(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    NOT_IN_CROSSREF = "not-in-crossref"
    NOT_FOUND = "not-found"  # only for a printed DOI that no agency has registered
    UNCHECKED = "unchecked"


# The findings of a verdict (registered in annobib.codes).
CODE_OF: dict[Verdict, tuple[str, Severity]] = {
    Verdict.MATCHED: ("A360", Severity.INFO),
    Verdict.AMBIGUOUS: ("A361", Severity.WARNING),
    Verdict.NOT_IN_CROSSREF: ("A362", Severity.INFO),
    Verdict.UNCHECKED: ("A363", Severity.WARNING),
    Verdict.NOT_FOUND: ("A364", Severity.ERROR),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    doi: str
    title: str
    title_score: float
    score: float
    agreed: tuple[str, ...]
    disagreed: tuple[str, ...]
    accepted: bool
    title_pair: str  # which forms met: "printed~title[1] (bgn-pcgn)"

    def to_json(self) -> dict[str, Any]:
        return {
            "doi": self.doi,
            "title": self.title,
            "title-similarity": round(self.title_score, 3),
            "score": round(self.score, 3),
            "agreed": list(self.agreed),
            "disagreed": list(self.disagreed),
            "accepted": self.accepted,
            "title-forms": self.title_pair,
        }


@dataclass(slots=True)
class Match:
    verdict: Verdict
    reason: str
    doi: str | None = None  # the printed or suggested DOI
    searched: bool = False
    candidates: list[Candidate] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "reason": self.reason,
            "doi": self.doi,
            "searched": self.searched,
            "candidates": [c.to_json() for c in self.candidates],
        }

    def finding(self, location: Location | None, key: str | None) -> Finding:
        code, severity = CODE_OF[self.verdict]
        message = f"{self.verdict.value}: {self.reason}"
        return Finding(code, severity, message, location, key, "doi", self.to_json())


@dataclass(slots=True)
class WorkResult:
    key: str
    doi: str | None
    status: Status
    location: Location | None
    findings: list[Finding] = field(default_factory=list)
    matched_title: str | None = None  # "ours:text ~ crossref:original-title[0]"
    reason: str | None = None  # why unchecked / which agency
    match: Match | None = None  # --suggest-dois: the matcher's verdict for a work without DOI
    suggestion: Candidate | None = None  # the accepted candidate of a "matched" verdict
    candidates: list[Candidate] = field(default_factory=list)  # those listed otherwise

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "doi": self.doi,
            "status": self.status.value,
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "matched-title": self.matched_title,
            "reason": self.reason,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.match is not None:
            out["match"] = self.match.to_json()
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion.to_json()
        if self.candidates:
            out["candidates"] = [c.to_json() for c in self.candidates]
        return out


@dataclass(slots=True)
class CheckResult:
    works: list[WorkResult]
    findings: list[Finding]  # document-level findings (reference lists)
    service: str
    unavailable_reason: str | None = None
    stats: dict[str, int] = field(default_factory=dict)
    # what answered when it is not the live API (the service's ``source``): a snapshot's path,
    # the date of its data and its records, or the evidence directory
    source: dict[str, Any] | None = None

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for w in self.works:
            out[w.status.value] += 1
        return out

    def all_findings(self) -> list[Finding]:
        out = [f for w in self.works for f in w.findings]
        return out + self.findings
