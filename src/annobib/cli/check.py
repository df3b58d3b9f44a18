"""``annobib check``: verify records against Crossref, suggest DOIs, gate CI honestly."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annobib.cli.common import (
    ApiUrlOpt,
    IgnoreOpt,
    MailtoOpt,
    OfflineOpt,
    PathsArg,
    SelectOpt,
    default_paths,
    stop,
    write_or_stop,
)
from annobib.cli.exitcodes import ExitCode
from annobib.errors import WriteError

if TYPE_CHECKING:
    from collections.abc import Collection

    from annobib.checks.crossref import CheckResult
    from annobib.cli.common import Triaged
    from annobib.findings import Finding
    from annobib.model import Library
    from annobib.services.base import MetadataService


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"


class OnUnreachable(StrEnum):
    passes = "pass"
    warn = "warn"
    fail = "fail"


_SEVERITIES = ("error", "warning", "info")
_STATUSES = ("differs", "not-found", "other-agency", "retracted-corrected", "no-doi")
DEFAULT_FAIL_ON = "error"


def parse_fail_on(value: str) -> tuple[set[str], set[str]]:
    """``--fail-on`` as (severities, statuses). ``never`` is both empty."""
    severities: set[str] = set()
    statuses: set[str] = set()
    for token in (t.strip().lower() for t in value.split(",")):
        if not token:
            continue
        if token == "never":
            continue
        if token in _SEVERITIES:
            severities.add(token)
        elif token in _STATUSES:
            statuses.add(token)
        else:
            raise typer.BadParameter(
                f"unknown value '{token}': use never, a severity ({', '.join(_SEVERITIES)}) "
                f"or a status ({', '.join(_STATUSES)}), comma-separated",
                param_hint="--fail-on",
            )
    return severities, statuses


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


def default_evidence_dir(paths: list[Path]) -> Path:
    from annobib.tasks.services import default_evidence_dir as beside

    return beside(paths)


def checked_api_url(api_url: str | None) -> str | None:
    """``--api-url`` (or ANNOBIB_CROSSREF_URL) checked before any work: a usage error (exit
    2) for a URL that is not http(s) or cannot be parsed; credentials are never echoed."""
    import os

    from annobib.services.crossref import ENV_API_URL, check_api_url

    value = api_url or os.environ.get(ENV_API_URL)
    if value is None:
        return None
    try:
        return check_api_url(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--api-url") from None


def _service(*, offline: bool, refresh: bool, evidence: Path, api_url: str | None,
             mailto: str | None, timeout: float, max_time: float,
             retries: int = 4) -> MetadataService:
    import sys

    from annobib.errors import UsageError
    from annobib.tasks.services import crossref_service

    try:
        return crossref_service(offline=offline, refresh=refresh, evidence=evidence,
                                api_url=api_url, mailto=mailto, timeout=timeout,
                                max_time=max_time, retries=retries)
    except UsageError as exc:  # the configuration (its mailto)
        sys.stderr.write(f"annobib: {exc}\n")
        raise typer.Exit(int(ExitCode.USAGE)) from None


def _snapshot_service(path: Path, engine: str, use_api: bool, console: Any,
                      api: Any) -> MetadataService:
    """The snapshot's service (with the API behind it for ``--api``); usage errors exit."""
    from annobib.services.snapshot import (
        ENGINES,
        SnapshotService,
        SnapshotThenAPI,
        SnapshotUnusable,
    )

    if engine not in ENGINES:
        raise typer.BadParameter(f"use one of {', '.join(ENGINES)}", param_hint="--engine")
    try:
        snap = SnapshotService.open(path, engine)
    except SnapshotUnusable as exc:
        console.print(f"snapshot: {exc}", markup=False, highlight=False)
        raise typer.Exit(int(ExitCode.UNREADABLE)) from None
    except Exception as exc:  # the engine could not start (Spark without Java, ...)
        if type(exc).__name__ != "SparkUnavailable":
            raise
        console.print(f"snapshot: {exc}", markup=False, highlight=False)
        raise typer.Exit(int(ExitCode.USAGE)) from None
    console.print(f"snapshot: {snap.snapshot.label}, {snap.snapshot.records:,} records, "
                  f"engine {engine}", markup=False, highlight=False)
    if not snap.snapshot.references:
        console.print("snapshot: built without reference lists: an article's references are "
                      "not compared with its deposit", markup=False, highlight=False)
    return SnapshotThenAPI(snap, api()) if use_api else snap


def _print_table(result: CheckResult, console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    from annobib import chars
    from annobib.cli import render

    colours = {
        "verified": "green",
        "differs": "yellow",
        "not-found": "bold red",
        "other-agency": "cyan",
        "retracted-corrected": "bold magenta",
        "unchecked": "bold yellow",
        "no-doi": "dim",
    }
    table = Table(title="annobib check", show_lines=False)
    render.key_column(table, (w.key for w in result.works))
    table.add_column("DOI", overflow="fold")
    table.add_column("status")
    table.add_column("notes", overflow="fold")
    for w in result.works:
        notes: list[str] = []
        if w.matched_title and w.status.value == "verified":
            notes.append(w.matched_title)
        notes.extend(f"{f.code} {f.message}" for f in w.findings)
        if w.reason and not w.findings:
            notes.append(w.reason)
        colour = colours.get(w.status.value, "white")
        table.add_row(render.cell(w.key), render.cell(w.doi or "—"),
                      Text(w.status.value, style=colour),
                      Text("\n".join(chars.one_line(n) for n in notes)))
    console.print(table)


def check(
    paths: PathsArg = None,
    output_format: Annotated[
        CheckFormat,
        typer.Option("--format", help="table (people, stderr), json, sarif, junit or github."),
    ] = CheckFormat.table,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding at/above a severity (error, warning, info) or a work "
            "with a status (differs, not-found, other-agency, retracted-corrected, no-doi) is "
            "reported; comma-separated; 'never' to report only.",
        ),
    ] = DEFAULT_FAIL_ON,
    on_unreachable: Annotated[
        OnUnreachable,
        typer.Option("--on-unreachable",
                     help="When Crossref could not be asked about some work: fail (exit 4), "
                     "warn, or pass."),
    ] = OnUnreachable.fail,
    mailto: MailtoOpt = None,
    api_url: ApiUrlOpt = None,
    evidence: Annotated[
        Path | None,
        typer.Option("--evidence", help="Evidence directory (default: .crossref/ beside the "
                     "data).", show_default=False),
    ] = None,
    offline: OfflineOpt = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask Crossref again even where evidence exists.")
    ] = False,
    suggest_dois: Annotated[
        bool,
        typer.Option("--suggest-dois", help="Search Crossref for works without a DOI and "
                     "validate candidates field by field."),
    ] = False,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Write accepted DOI suggestions into the YAML files "
                     "(implies --suggest-dois; one inserted line per record)."),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the report to FILE.")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1,
                            help="Seconds for one answer, from the request to its last byte.")
    ] = 20.0,
    max_time: Annotated[
        float, typer.Option("--max-time", min=0.1,
                            help="Seconds for all Crossref requests of the run.")
    ] = 300.0,
    retries: Annotated[
        int, typer.Option("--retries", min=1, help="Attempts per request (429, 5xx, timeouts).")
    ] = 4,
    snapshot: Annotated[
        Path | None,
        typer.Option("--snapshot", help="Answer from this local snapshot (`annobib snapshot "
                     "build`) instead of the API; DOIs it lacks are unchecked, never 'not "
                     "found'.", show_default=False),
    ] = None,
    use_api: Annotated[
        bool, typer.Option("--api", help="With --snapshot: ask the API for what the snapshot "
                           "lacks.")
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="With --snapshot: duckdb (embedded) or spark "
                          "(PySpark, local or under spark-submit).")
    ] = "duckdb",
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """Check every work with a DOI against Crossref, field by field; report statuses.

    Statuses: verified, differs, not-found, other-agency, retracted-corrected, unchecked
    (Crossref could not be asked: never reported as not found), no-doi. Every Crossref answer
    used is stored under --evidence; --offline re-derives the verdicts from it.
    Exit codes: 0 clean, 1 findings (--fail-on), 2 usage, 3 unreadable input,
    4 Crossref unavailable for at least one work (--on-unreachable fail, the default).
    """
    from annobib.checks import crossref_report as report
    from annobib.cli import render
    from annobib.cli.common import load, reporting, triage

    parse_fail_on(fail_on)  # a usage error before any work is done
    # --select/--ignore (or the configuration's), as validate and export read them
    how = reporting(select=select, ignore=ignore)
    if not offline:
        api_url = checked_api_url(api_url)
    if offline and refresh:
        raise typer.BadParameter("--offline and --refresh contradict each other",
                                 param_hint="--refresh")
    if apply:
        suggest_dois = True
    console = render.stderr_console()
    the_paths = default_paths(paths)
    loaded = load(the_paths, lint=False)
    load_errors = [f for f in loaded.findings if f.severity.value == "error"]
    if loaded.unreadable:
        render.print_findings(load_errors)
        raise typer.Exit(int(ExitCode.UNREADABLE))
    if load_errors:
        render.print_findings(load_errors)
    library = loaded.library
    evidence_dir = evidence or default_evidence_dir(the_paths)
    if snapshot is None:
        from annobib.cli.common import settings

        snapshot = settings().path("snapshot")  # `snapshot = "DIR"` in the configuration
    if snapshot is None and (use_api or engine != "duckdb"):
        raise typer.BadParameter("--api and --engine go with --snapshot", param_hint="--snapshot")
    if snapshot is not None:
        service = _snapshot_service(snapshot, engine, use_api, console, lambda: _service(
            offline=offline, refresh=refresh, evidence=evidence_dir, api_url=api_url,
            mailto=mailto, timeout=timeout, max_time=max_time, retries=retries))
    else:
        service = _service(offline=offline, refresh=refresh, evidence=evidence_dir,
                           api_url=api_url, mailto=mailto, timeout=timeout, max_time=max_time,
                           retries=retries)
    try:
        result = _run(library, service, suggest_dois, console)
    except WriteError as exc:  # evidence could not be stored (read-only directory, full disk)
        stop("check", exc)
    finally:
        service.close()
    for problem in service.problems:
        from rich.markup import escape

        from annobib import chars

        console.print(f"[yellow]evidence:[/yellow] {escape(chars.one_line(str(problem)))}",
                      markup=True, highlight=False)
    triaged = triage(result.all_findings(), how, library)
    code = decide_exit(result, fail_on, on_unreachable, ignored=[f for f, _ in triaged.ignored])
    if apply and not _apply(result, library, console):
        code = ExitCode.UNREADABLE  # a file could not be written; reported above
    shown = _without_ignored(result, triaged)  # what people and CI annotations see
    text: str | None = None
    if output_format is CheckFormat.json:
        text = _mark_ignored_json(report.to_json(result, int(code)), result, triaged)
    elif output_format is CheckFormat.sarif:
        text = _mark_ignored_sarif(report.to_sarif(result, int(code)), result, triaged)
    elif output_format is CheckFormat.junit:
        text = report.to_junit(shown,
                               unreachable_is_error=on_unreachable is OnUnreachable.fail)
    elif output_format is CheckFormat.github:
        text = report.to_github(shown.all_findings())
    else:
        _print_table(shown, console)
        doc_findings = shown.findings
        if doc_findings:
            render.print_findings(doc_findings)
        if triaged.ignored:
            console.print(f"annobib: {len(triaged.ignored)} findings ignored (--select/--ignore, "
                          "annobib-ignore; --format json lists them)",
                          markup=False, highlight=False)
    if text is not None:
        if output is not None:
            write_or_stop("check", output, text)
        else:
            render.write_stdout(text)
    _summary(result, code, on_unreachable, evidence_dir, offline, console)
    raise typer.Exit(int(code))


def _without_ignored(result: CheckResult, triaged: Triaged) -> CheckResult:
    """``result`` without the findings ``--select``/``--ignore`` or ``annobib-ignore`` silence
    (statuses as they are: a verdict is not a finding)."""
    import dataclasses

    if not triaged.ignored:
        return result
    silenced = {id(f) for f, _ in triaged.ignored}
    works = [dataclasses.replace(w, findings=[f for f in w.findings if id(f) not in silenced])
             for w in result.works]
    return dataclasses.replace(result, works=works,
                               findings=[f for f in result.findings if id(f) not in silenced])


def _mark_ignored_json(text: str, result: CheckResult, triaged: Triaged) -> str:
    """The JSON report with every finding, a silenced one with ``"ignored"``: why (as
    ``validate --format json`` gives it)."""
    import json

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


def _mark_ignored_sarif(text: str, result: CheckResult, triaged: Triaged) -> str:
    """The SARIF log with every finding, a silenced one suppressed the SARIF way
    (``suppressions``, with the reason as its justification)."""
    import json

    if not triaged.ignored:
        return text
    why = {id(f): reason for f, reason in triaged.ignored}
    log = json.loads(text)
    results = log["runs"][0]["results"]
    for out, f in zip(results, result.all_findings(), strict=True):
        if id(f) in why:
            out["suppressions"] = [{"kind": "external", "justification": why[id(f)]}]
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _run(library: Library, service: MetadataService, suggest_dois: bool,
         console: Any) -> CheckResult:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from annobib.checks.crossref import check_library

    total = sum(1 for w in library.works() if w.doi)
    with Progress(
        TextColumn("Crossref"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal or total == 0,
    ) as progress:
        task = progress.add_task("lookups", total=total)

        def advance(n: int) -> None:
            progress.advance(task, n)

        return check_library(library, service, suggest_dois=suggest_dois, progress=advance)


def _apply(result: CheckResult, library: Library, console: Any) -> bool:
    """Write the accepted suggestions; False when a file could not be written."""
    from annobib.sources.yamledit import EditRefused, insert_field

    written = True

    for w in result.works:
        if w.suggestion is None or not w.suggestion.accepted:
            continue
        loc = library.origin(w.key)
        if loc is None or not loc.file or loc.line is None or loc.col is None:
            console.print(f"apply: {w.key}: location unknown; not written")
            continue
        try:
            edit = insert_field(Path(loc.file), loc.line, loc.col, w.key, "doi",
                                w.suggestion.doi)
        except EditRefused as exc:
            console.print(f"apply: {loc.file}:{loc.line}: {w.key}: not written: {exc}")
            continue
        except WriteError as exc:
            console.print(f"apply: {w.key}: not written: {exc}", markup=False, highlight=False)
            written = False
            continue
        console.print(f"apply: {edit.path}:{edit.line}: {w.key}: added {edit.text.strip()}")
    return written


def _summary(result: CheckResult, code: ExitCode, on_unreachable: OnUnreachable,
             evidence_dir: Path, offline: bool, console: Any) -> None:
    counts = {k: v for k, v in result.counts().items() if v}
    parts = ", ".join(f"{v} {k}" for k, v in counts.items()) or "no works"
    stats = result.stats
    source = "evidence only" if offline else (
        f"{stats.get('requests', 0)} request(s), {stats.get('throttled', 0)} throttled (429), "
        f"{stats.get('from_evidence', 0)} from evidence"
    )
    kept_in = str(evidence_dir)
    if result.service == "crossref-snapshot":
        source, kept_in = "the snapshot only", "the snapshot's records (nothing stored)"
    console.print(f"{len(result.works)} works: {parts}. Crossref: {source}. "
                  f"Evidence: {kept_in}", highlight=False, markup=False)
    unchecked = counts.get("unchecked", 0)
    if unchecked:
        why = result.unavailable_reason or next(
            (w.reason for w in result.works if w.status.value == "unchecked" and w.reason), "")
        asked = ("the snapshot does not hold them" if result.service == "crossref-snapshot"
                 else "Crossref could not be asked")
        msg = (f"{unchecked} work(s) UNCHECKED: {asked} ({why}). "
               "Nothing is claimed about these DOIs; they are not 'not found'.")
        if on_unreachable is OnUnreachable.fail:
            msg += (" Exit 4: add --api to ask Crossref for them."
                    if result.service == "crossref-snapshot" else
                    " Exit 4: retry later, or use --offline with stored evidence.")
        if on_unreachable is not OnUnreachable.passes or code == ExitCode.UNAVAILABLE:
            console.print(msg, style="bold yellow", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.command("check")(check)

