"""``annobib import``: BibTeX/BibLaTeX, CSL-JSON, RIS files and printed reference lists
(``--from text``) → one annobib YAML document.

Every good record is written; every problem is reported (``file:line``) and makes the exit code
1. Output goes to a temporary file renamed into place, and an existing file is replaced only
with ``--force``. Options and rendering only; the work is :func:`annobib.api.import_`
(:mod:`annobib.tasks.importing`).
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from annobib import progress
from annobib.cli.common import (
    FailOnOpt,
    IgnoreOpt,
    QuietOpt,
    SelectOpt,
    VerboseOpt,
)
from annobib.cli.exitcodes import ExitCode
from annobib.cli.progress import shown as shown_progress


class ImportFormat(StrEnum):
    bibtex = "bibtex"
    csljson = "csljson"
    ris = "ris"
    text = "text"


def write_output(text: str, output: Path, force: bool) -> None:
    """``text`` to ``output``, atomically; without ``force`` only if it still does not exist:
    of two imports racing to the same new file, one writes it and the other is told (exit 2)."""
    from annobib.atomic import write_atomic
    from annobib.cli.common import stop
    from annobib.errors import AnnobibError, OutputExists

    try:
        write_atomic(output, text, exclusive=not force)
    except OutputExists:
        _exists(output)
    except AnnobibError as exc:
        stop("import", exc)


def _exists(output: Path) -> NoReturn:
    from annobib.cli import render

    render.stderr_console().print(
        f"annobib import: {output} exists; not overwriting it (use --force)",
        markup=False, highlight=False,
    )
    raise typer.Exit(int(ExitCode.USAGE))


def import_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="BibTeX/BibLaTeX (.bib), CSL-JSON (.json), RIS (.ris) or printed "
                       "reference lists (.txt, --from text; '-' reads standard input).",
                       show_default=False),
    ] = None,
    from_: Annotated[
        ImportFormat | None,
        typer.Option("--from", "-f", help="Input format (default: from each file's extension)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the YAML to FILE (atomically); else stdout."),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option("--schema", metavar="PATH|URL",
                     help="Begin the YAML with a yaml-language-server modeline naming this "
                          "JSON Schema (a path is written relative to -o's folder).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    fail_on: FailOnOpt = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=0, envvar="ANNOBIB_JOBS",
                     help="Processes to read a large BibTeX file with (0: one per CPU, at "
                     "most 4; 1: none). The result is the same either way."),
    ] = 0,
    doi: Annotated[
        list[str] | None,
        typer.Option("--doi", help="Import this DOI from Crossref (repeatable); the answers "
                     "are kept as evidence in .crossref/ beside the output."),
    ] = None,
    mailto: Annotated[
        str | None, typer.Option("--mailto", envvar="ANNOBIB_MAILTO",
                                 help="E-mail for Crossref's polite pool (with --doi).")
    ] = None,
    api_url: Annotated[
        str | None, typer.Option("--api-url", envvar="ANNOBIB_CROSSREF_URL",
                                 help="Crossref API base URL (with --doi).")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1,
                            help="Seconds for one Crossref answer (with --doi).")
    ] = 20.0,
    max_time: Annotated[
        float, typer.Option("--max-time", min=0.1,
                            help="Seconds for all Crossref requests (with --doi).")
    ] = 300.0,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """Import records into annobib YAML; report every problem, write every good record.

    Exit 0 when nothing at or above --fail-on (default error) is reported; nothing imported
    leaves no -o file behind (a retry is not blocked by an empty one).
    """
    from annobib import api, runtime
    from annobib.cli import render
    from annobib.cli.common import reporting, stop
    from annobib.errors import AnnobibError

    how = reporting(verbose=verbose, quiet=quiet, select=select, ignore=ignore, fail_on=fail_on)
    console = render.stderr_console()
    if not files and not doi:
        console.print("annobib import: give at least one FILE or --doi DOI")
        raise typer.Exit(int(ExitCode.USAGE))
    if doi:
        from annobib.cli.check import checked_api_url

        api_url = checked_api_url(api_url)
    if output is not None and os.path.lexists(output) and not force:
        _exists(output)
    with shown_progress():
        try:
            # what the import read lives until the command ends and holds no cycles: out of
            # the collector's sight before it runs again, else its first pass walks all of it
            # (~30 ms for tugboat), as cli.common.load does for what a command loads
            with runtime.gc_paused():
                done = api.import_(list(files or []), fmt=from_.value if from_ else None,
                                   jobs=jobs, dois=list(doi or []), mailto=mailto,
                                   api_url=api_url, timeout=timeout, max_time=max_time,
                                   output=output, schema=schema, policy=how.policy)
                runtime.freeze_loaded()
        except AnnobibError as exc:  # evidence could not be stored: nothing imported unrecorded
            stop("import", exc)
        imported = done.imported
        if imported and output is not None:
            with progress.phase(f"writing {output}"):
                write_output(done.text, output, force)
    if output is None:
        render.write_stdout(done.text)
    render.report(done.triaged, how)
    if how.verbosity >= 0:
        where = (f" to {output}" if imported else f"; {output} not written") if output else ""
        console.print(f"annobib import: {imported} of {done.run.entries_seen} records "
                      f"imported{where}", markup=False)
    raise typer.Exit(int(done.exit_code))


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
