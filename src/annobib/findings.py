"""The one vocabulary for problems, from loading to CLI output.

Every layer (sources, checks, exporters) reports what it noticed as a :class:`Finding`.
The CLI renders findings and turns them into an exit code; nothing else prints.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is. Ordered: ``ERROR > WARNING > INFO``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a file and, when known, a 1-based line and column."""

    file: str | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem or observation.

    ``code`` is a stable identifier (``A1xx`` loading, ``A2xx`` lint, ``A3xx`` Crossref,
    ``A4xx`` export/import) that scripts may rely on; ``message`` is for people.
    ``key`` names the record and ``field`` the field (dotted path inside the record).
    ``data`` carries machine-readable extras such as ``ours``/``theirs`` values.
    """

    code: str
    severity: Severity
    message: str
    location: Location | None = None
    key: str | None = None
    field: str | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def subject(self) -> str:
        """``key.field``, ``key``, ``field`` or ``""``: what the finding is about."""
        if self.key and self.field:
            return f"{self.key}.{self.field}"
        return self.key or self.field or ""

    def __str__(self) -> str:
        where = str(self.location) if self.location else "<input>"
        subject = self.subject
        tail = f" [{self.severity.value} {self.code}]"
        if subject:
            return f"{where}: {subject}: {self.message}{tail}"
        return f"{where}: {self.message}{tail}"

    def to_json(self) -> dict[str, Any]:
        loc = self.location or Location()
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": loc.file,
            "line": loc.line,
            "col": loc.col,
            "key": self.key,
            "field": self.field,
        }
        if self.data:
            out["data"] = self.data
        return out


def _prefixes(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(p.strip().upper() for p in value.split(",") if p.strip())
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CodeFilter:
    """``--select``/``--ignore`` by code or prefix, as ruff does.

    A code is reported when the longest prefix naming it is in ``select`` rather than in
    ``ignore`` (equally long: ignored). A code no prefix names is reported unless ``select``
    was given (``ALL`` selects every code). ``A4 --ignore A402``: all of A4xx but A402;
    ``--ignore A4 --select A402``: of A4xx only A402.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> CodeFilter:
        return cls(_prefixes(select), _prefixes(ignore))

    def allows(self, code: str) -> bool:
        code = code.upper()

        def longest(prefixes: tuple[str, ...]) -> int:
            return max(
                (0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or
                 code.startswith(p)),
                default=-1,
            )

        chosen, dropped = longest(self.select), longest(self.ignore)
        if chosen < 0 and dropped < 0:
            return not self.select
        return chosen > dropped

    def __bool__(self) -> bool:
        return bool(self.select or self.ignore)


@dataclass(slots=True)
class Suppressions:
    """``annobib-ignore`` as loaded: per file (the whole document) and per record key."""

    by_file: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    by_key: dict[str, list[dict[str, str]]] = dataclasses.field(default_factory=dict)

    def reason(self, finding: Finding) -> str | None:
        """Why ``finding`` is silenced (``CODE: reason``), or None."""
        tables: list[dict[str, str]] = []
        if finding.key is not None:
            tables.extend(self.by_key.get(finding.key, ()))
        if finding.location is not None and finding.location.file is not None:
            table = self.by_file.get(finding.location.file)
            if table is not None:
                tables.append(table)
        code = finding.code.upper()
        for table in tables:
            for prefix, why in table.items():
                if code.startswith(prefix.upper()):
                    return f"annobib-ignore {prefix}: {why}"
        return None

    def __bool__(self) -> bool:
        return bool(self.by_file or self.by_key)
