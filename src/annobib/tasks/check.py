"""``annobib check`` as a job: the service a run asks (Crossref's API, the stored evidence or a
snapshot), which findings count (``--select``/``--ignore``, ``annobib-ignore``, ``--fail-on``
with its statuses) and the exit code, ``--apply``'s edits and the reports. :func:`annobib.api.
check` puts them together; the command line (``cli/check.py``) parses options into that call
and renders what it returns.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Collection
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from annobib.errors import AnnobibError, ExitCode, UsageError, WriteError

if TYPE_CHECKING:
    from annobib.checks.crossref import CheckResult
    from annobib.findings import Finding
    from annobib.model import Library
    from annobib.services.base import MetadataService
    from annobib.tasks.triage import Triaged


class OnUnreachable(StrEnum):
    passes = "pass"
    warn = "warn"
    fail = "fail"


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"


SEVERITIES = ("error", "warning", "info")
STATUSES = ("differs", "not-found", "other-agency", "retracted-corrected", "no-doi")
DEFAULT_FAIL_ON = "error"


class BadOption(UsageError):
    """An option's value is wrong, or contradicts another (exit 2); ``option`` names it as the
    command line spells it."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


class SnapshotRefused(AnnobibError):
    """The snapshot cannot be used (exit 3: no manifest, an unfinished build) or its engine
    cannot start (exit 2: Spark without Java). The message starts ``snapshot:``."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def parse_fail_on(value: str) -> tuple[set[str], set[str]]:
    """``--fail-on`` as (severities, statuses). ``never`` is both empty."""
    severities: set[str] = set()
    statuses: set[str] = set()
    for token in (t.strip().lower() for t in value.split(",")):
        if not token:
            continue
        if token == "never":
            continue
        if token in SEVERITIES:
            severities.add(token)
        elif token in STATUSES:
            statuses.add(token)
        else:
            raise BadOption(
                f"unknown value '{token}': use never, a severity ({', '.join(SEVERITIES)}) "
                f"or a status ({', '.join(STATUSES)}), comma-separated",
                "--fail-on",
            )
    return severities, statuses


def checked_api_url(api_url: str | None) -> str | None:
    """``api_url`` (or ANNOBIB_CROSSREF_URL) checked before any work: a :class:`BadOption`
    for a URL that is not http(s) or cannot be parsed; credentials are never echoed."""
    from annobib.services.crossref import ENV_API_URL, check_api_url

    value = api_url or os.environ.get(ENV_API_URL)
    if value is None:
        return None
    try:
        return check_api_url(value)
    except ValueError as exc:
        raise BadOption(str(exc), "--api-url") from None


def usage(fail_on: str, *, offline: bool, refresh: bool, api_url: str | None) -> str | None:
    """The options' own errors, found before any work (:class:`BadOption`); returns the
    checked API URL (None offline, or when none is given)."""
    parse_fail_on(fail_on)
    if not offline:
        api_url = checked_api_url(api_url)
    if offline and refresh:
        raise BadOption("--offline and --refresh contradict each other", "--refresh")
    return api_url


def decide_exit(result: CheckResult, fail_on: str, on_unreachable: OnUnreachable,
                unreadable: bool = False, ignored: Collection[Finding] = ()) -> ExitCode:
    """3 unreadable input; 4 unchecked works under ``--on-unreachable fail``; 1 findings
    matching ``--fail-on``; else 0. Unchecked works never count as findings here.

    ``ignored`` (``--select``/``--ignore``, ``annobib-ignore``) never counts: not as a finding,
    and a status named in ``--fail-on`` does not count for a work whose every finding is
    ignored."""
    from annobib.checks.crossref import UNCHECKED_CODES
    from annobib.findings import Severity

    if unreadable:
        return ExitCode.UNREADABLE
    if on_unreachable is OnUnreachable.fail and any(
        w.status.value == "unchecked" for w in result.works
    ):
        return ExitCode.UNAVAILABLE
    severities, statuses = parse_fail_on(fail_on)
    threshold = min((Severity(s).rank for s in severities), default=None)
    silenced = {id(f) for f in ignored}
    for w in result.works:
        if w.status.value in statuses and (
            not w.findings or any(id(f) not in silenced for f in w.findings)
        ):
            return ExitCode.FINDINGS
    for f in result.all_findings():
        if f.code in UNCHECKED_CODES or id(f) in silenced:
            continue
        if threshold is not None and f.severity.rank >= threshold:
            return ExitCode.FINDINGS
    return ExitCode.OK


def snapshot_service(path: Path, engine: str, use_api: bool,
                     api: Callable[[], MetadataService],
                     notify: Callable[[str], None]) -> MetadataService:
    """The snapshot's service (with ``api()`` behind it for ``--api``); what the run should
    say about the snapshot goes to ``notify`` as soon as it is open."""
    from annobib.services.snapshot import (
        ENGINES,
        SnapshotService,
        SnapshotThenAPI,
        SnapshotUnusable,
    )

    if engine not in ENGINES:
        raise BadOption(f"use one of {', '.join(ENGINES)}", "--engine")
    try:
        snap = SnapshotService.open(path, engine)
    except SnapshotUnusable as exc:
        raise SnapshotRefused(f"snapshot: {exc}", ExitCode.UNREADABLE) from None
    except Exception as exc:  # the engine could not start (Spark without Java, ...)
        if type(exc).__name__ != "SparkUnavailable":
            raise
        raise SnapshotRefused(f"snapshot: {exc}", ExitCode.USAGE) from None
    notify(f"snapshot: {snap.snapshot.label}, {snap.snapshot.records:,} records, "
           f"engine {engine}")
    if not snap.snapshot.references:
        notify("snapshot: built without reference lists: an article's references are "
               "not compared with its deposit")
    return SnapshotThenAPI(snap, api()) if use_api else snap


def without_ignored(result: CheckResult, triaged: Triaged) -> CheckResult:
    """``result`` without the findings ``--select``/``--ignore`` or ``annobib-ignore`` silence
    (statuses as they are: a verdict is not a finding)."""
    if not triaged.ignored:
        return result
    silenced = {id(f) for f, _ in triaged.ignored}
    works = [dataclasses.replace(w, findings=[f for f in w.findings if id(f) not in silenced])
             for w in result.works]
    return dataclasses.replace(result, works=works,
                               findings=[f for f in result.findings if id(f) not in silenced])


def mark_ignored_json(text: str, result: CheckResult, triaged: Triaged) -> str:
    """The JSON report with every finding, a silenced one with ``"ignored"``: why (as
    ``validate --format json`` gives it)."""
    if not triaged.ignored:
        return text
    why = {id(f): reason for f, reason in triaged.ignored}
    payload = json.loads(text)
    for row, w in zip(payload["works"], result.works, strict=True):
        for out, f in zip(row["findings"], w.findings, strict=True):
            if id(f) in why:
                out["ignored"] = why[id(f)]
    for out, f in zip(payload["findings"], result.findings, strict=True):
        if id(f) in why:
            out["ignored"] = why[id(f)]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def mark_ignored_sarif(text: str, result: CheckResult, triaged: Triaged) -> str:
    """The SARIF log with every finding, a silenced one suppressed the SARIF way
    (``suppressions``, with the reason as its justification)."""
    if not triaged.ignored:
        return text
    why = {id(f): reason for f, reason in triaged.ignored}
    log = json.loads(text)
    results = log["runs"][0]["results"]
    for out, f in zip(results, result.all_findings(), strict=True):
        if id(f) in why:
            out["suppressions"] = [{"kind": "external", "justification": why[id(f)]}]
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def report(fmt: CheckFormat, result: CheckResult, triaged: Triaged, code: ExitCode,
           on_unreachable: OnUnreachable) -> str | None:
    """The report in ``fmt`` (None for the table, which the command line draws): JSON and
    SARIF carry every finding, a silenced one marked; JUnit and GitHub's only those that
    count."""
    from annobib.checks import crossref_report

    if fmt is CheckFormat.json:
        return mark_ignored_json(crossref_report.to_json(result, int(code)), result, triaged)
    if fmt is CheckFormat.sarif:
        return mark_ignored_sarif(crossref_report.to_sarif(result, int(code)), result, triaged)
    shown = without_ignored(result, triaged)
    if fmt is CheckFormat.junit:
        return crossref_report.to_junit(
            shown, unreachable_is_error=on_unreachable is OnUnreachable.fail)
    if fmt is CheckFormat.github:
        return crossref_report.to_github(shown.all_findings())
    return None


def apply_suggestions(result: CheckResult, library: Library) -> tuple[list[str], bool]:
    """Write the accepted DOI suggestions into their YAML files, one inserted line each:
    what was written or refused, a line each, and False when a file could not be written."""
    from annobib.sources.yamledit import EditRefused, insert_field

    lines: list[str] = []
    written = True
    for w in result.works:
        if w.suggestion is None or not w.suggestion.accepted:
            continue
        loc = library.origin(w.key)
        if loc is None or not loc.file or loc.line is None or loc.col is None:
            lines.append(f"apply: {w.key}: location unknown; not written")
            continue
        try:
            edit = insert_field(Path(loc.file), loc.line, loc.col, w.key, "doi",
                                w.suggestion.doi)
        except EditRefused as exc:
            lines.append(f"apply: {loc.file}:{loc.line}: {w.key}: not written: {exc}")
            continue
        except WriteError as exc:
            lines.append(f"apply: {w.key}: not written: {exc}")
            written = False
            continue
        lines.append(f"apply: {edit.path}:{edit.line}: {w.key}: added {edit.text.strip()}")
    return lines, written
