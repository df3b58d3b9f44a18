"""Which findings a run reports and what exit code they make: the same for the command line
and a Python caller (:mod:`annobib.api`).

``--select``/``--ignore`` (or the configuration's ``select``/``ignore``) and the files'
``annobib-ignore`` tables silence findings with a reason; the findings left, against
``--fail-on``, decide the exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from annobib.errors import ExitCode, UsageError
from annobib.findings import CodeFilter, Finding, Severity, Suppressions

if TYPE_CHECKING:
    from annobib.config import Config
    from annobib.model import Library


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def configuration() -> Config:
    """The configuration in force (:func:`annobib.config.load`); one that cannot be used is a
    :class:`~annobib.errors.UsageError` (exit 2)."""
    from annobib.config import ConfigError, load

    try:
        return load()
    except ConfigError as exc:
        raise UsageError(f"configuration: {exc}") from None


@dataclass(frozen=True, slots=True)
class Policy:
    """Which codes are reported, and the severity that makes the exit code 1."""

    codes: CodeFilter
    fail_on: FailOn


def policy(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    fail_on: FailOn | str | None = None,
    default_fail_on: FailOn = FailOn.error,
) -> Policy:
    """The policy of a run: what is given wins, then the configuration in force
    (:func:`configuration`), then ``default_fail_on``."""
    config = configuration()
    if fail_on is None and config.source("fail-on") != "default":
        fail_on = config.get("fail-on")
    return Policy(
        # the caller's --select/--ignore replace the configuration's
        codes=CodeFilter.of(select if select is not None else config.get("select"),
                            ignore if ignore is not None else config.get("ignore")),
        fail_on=FailOn(fail_on) if fail_on is not None else default_fail_on,
    )


@dataclass(slots=True)
class Triaged:
    """Findings split into those reported and those silenced (with why)."""

    active: list[Finding]
    ignored: list[tuple[Finding, str]]

    def all_with_reasons(self) -> list[tuple[Finding, str | None]]:
        return [*((f, None) for f in self.active), *self.ignored]


def suppressions_of(library: Library | None) -> Suppressions:
    """The ``annobib-ignore`` tables of the loaded documents."""
    out = Suppressions()
    if library is None:
        return out
    for loaded in library.documents:
        ignores = loaded.summary.ignores
        if not ignores:
            continue
        whole = ignores.get("")
        if whole:
            out.by_file[loaded.path] = whole
        for key, table in ignores.items():
            if key:
                out.by_key.setdefault(key, []).append(table)
        if whole:
            for key in loaded.summary.defined:
                out.by_key.setdefault(key, []).append(whole)
    return out


def triage(
    findings: Sequence[Finding], codes: CodeFilter, library: Library | None = None
) -> Triaged:
    """Apply the selected ``codes`` and the files' ``annobib-ignore``."""
    suppressed = suppressions_of(library)
    if not codes and not suppressed:
        return Triaged(list(findings), [])
    allowed: dict[str, bool] = {}
    active: list[Finding] = []
    ignored: list[tuple[Finding, str]] = []
    for f in findings:
        ok = allowed.get(f.code)
        if ok is None:
            ok = allowed[f.code] = codes.allows(f.code)
        if not ok:
            ignored.append((f, f"not selected (--select/--ignore): {f.code}"))
            continue
        why = suppressed.reason(f) if suppressed else None
        if why is not None:
            ignored.append((f, why))
        else:
            active.append(f)
    return Triaged(active, ignored)


def exit_code_for(findings: Sequence[Finding], fail_on: FailOn, unreadable: bool) -> ExitCode:
    """3 for unreadable input; 1 for a finding at or above ``fail_on``; else 0."""
    if unreadable:
        return ExitCode.UNREADABLE
    if fail_on is FailOn.never:
        return ExitCode.OK
    threshold = Severity(fail_on.value)
    if any(f.severity.rank >= threshold.rank for f in findings):
        return ExitCode.FINDINGS
    return ExitCode.OK
