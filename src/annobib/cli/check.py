"""``annobib check``: verify records against Crossref, suggest DOIs, gate CI honestly."""

from __future__ import annotations

import contextlib
import sys
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
from annobib.errors import UsageError, WriteError
from annobib.tasks.check import (
    DEFAULT_FAIL_ON,
    BadOption,
    CheckFormat,
    OnUnreachable,
    SnapshotRefused,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from annobib.api import Checked
    from annobib.checks.crossref import CheckResult
    from annobib.model import Library

__all__ = ["CheckFormat", "OnUnreachable", "check", "checked_api_url", "register"]


def _bad(exc: BadOption) -> typer.BadParameter:
    return typer.BadParameter(str(exc), param_hint=exc.option)


def checked_api_url(api_url: str | None) -> str | None:
    """``--api-url`` (or ANNOBIB_CROSSREF_URL) checked before any work: a usage error (exit
    2) for a URL that is not http(s) or cannot be parsed; credentials are never echoed."""
    from annobib.tasks.check import checked_api_url as checked

    try:
        return checked(api_url)
    except BadOption as exc:
        raise _bad(exc) from None


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
    from annobib import api
    from annobib.cli import render
    from annobib.cli.common import load, reporting

    try:  # usage errors before any work is done
        from annobib.tasks.check import usage

        api_url = usage(fail_on, offline=offline, refresh=refresh, api_url=api_url)
    except BadOption as exc:
        raise _bad(exc) from None
    # --select/--ignore (or the configuration's), as validate and export read them
    how = reporting(select=select, ignore=ignore)
    console = render.stderr_console()
    the_paths = default_paths(paths)
    loaded = load(the_paths, lint=False, positions=True)  # its findings name lines
    load_errors = [f for f in loaded.findings if f.severity.value == "error"]
    if load_errors:
        render.print_findings(load_errors)
    if loaded.unreadable:
        raise typer.Exit(int(ExitCode.UNREADABLE))

    def note(line: str) -> None:
        console.print(line, markup=False, highlight=False)

    try:
        with _progress(loaded.library, console) as advance:
            checked = api.check(
                the_paths, fail_on=fail_on, on_unreachable=on_unreachable, offline=offline,
                refresh=refresh, evidence=evidence, api_url=api_url, mailto=mailto,
                timeout=timeout, max_time=max_time, retries=retries, snapshot=snapshot,
                use_api=use_api, engine=engine, suggest_dois=suggest_dois, apply=apply,
                policy=how.policy, loaded=loaded, progress=advance, notify=note)
    except BadOption as exc:
        raise _bad(exc) from None
    except SnapshotRefused as exc:
        note(str(exc))
        raise typer.Exit(int(exc.exit_code)) from None
    except WriteError as exc:  # evidence could not be stored (read-only directory, full disk)
        stop("check", exc)
    except UsageError as exc:  # the configuration (its mailto)
        sys.stderr.write(f"annobib: {exc}\n")
        raise typer.Exit(int(ExitCode.USAGE)) from None
    result, shown = checked.result, checked.shown
    assert result is not None and shown is not None  # the input was readable
    _render(checked, result, shown, output_format, output, offline, console)
    raise typer.Exit(int(checked.exit_code))


def _render(checked: Checked, result: CheckResult, shown: CheckResult,
            output_format: CheckFormat, output: Path | None, offline: bool,
            console: Any) -> None:
    """What the command shows of ``checked``: the service's problems, what --apply wrote, the
    report (the table on stderr, or the format asked for on stdout or in ``output``) and the
    summary."""
    from rich.markup import escape

    from annobib import chars
    from annobib.cli import render

    for problem in checked.problems:
        console.print(f"[yellow]evidence:[/yellow] {escape(chars.one_line(problem))}",
                      markup=True, highlight=False)
    for line in checked.applied:
        console.print(line, markup=False, highlight=False)
    text = checked.report(output_format.value)
    if output_format is CheckFormat.table:
        _print_table(shown, console)
        if shown.findings:
            render.print_findings(shown.findings)
        if checked.triaged.ignored:
            console.print(f"annobib: {len(checked.triaged.ignored)} findings ignored "
                          "(--select/--ignore, annobib-ignore; --format json lists them)",
                          markup=False, highlight=False)
    if text is not None:
        if output is not None:
            write_or_stop("check", output, text)
        else:
            render.write_stdout(text)
    _summary(result, checked.exit_code, checked.on_unreachable, checked.evidence, offline,
             console)


@contextlib.contextmanager
def _progress(library: Library, console: Any) -> Iterator[Callable[[int], None]]:
    """The lookups' progress bar (a terminal only; gone when they are done)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

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

        yield advance


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

