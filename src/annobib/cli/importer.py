"""``annobib import``: BibTeX/BibLaTeX, CSL-JSON, RIS files and printed reference lists
(``--from text``) → one annobib YAML document.

Every good record is written; every problem is reported (``file:line``) and makes the exit code
1. Output goes to a temporary file renamed into place, and an existing file is replaced only
with ``--force``. Other sources (``--doi`` from Crossref) plug in by adding records to
``ImportRun`` before it is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from annobib import progress
from annobib.cli.common import (
    FailOnOpt,
    IgnoreOpt,
    QuietOpt,
    SelectOpt,
    VerboseOpt,
    exit_code_for,
)
from annobib.cli.exitcodes import ExitCode
from annobib.cli.progress import shown as shown_progress

if TYPE_CHECKING:
    from annobib.findings import Finding
    from annobib.model.record import Work
    from annobib.sources.interchange import KeyRegistry
    from annobib.sources.text.records import TextImport


class ImportFormat(StrEnum):
    bibtex = "bibtex"
    csljson = "csljson"
    ris = "ris"
    text = "text"


@dataclass
class ImportRun:
    """What one ``annobib import`` collects before writing: records, findings, key registry."""

    keys: KeyRegistry
    # records read from files, as their YAML items (sources.yamlfast.work_yaml), in order
    items: list[str] = field(default_factory=list)
    # records added as models (--doi), written after the files' records
    works: list[Work] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False
    entries_seen: int = 0
    # printed reference lists and footnotes read --from text (sources.text)
    text: TextImport | None = None


def new_run() -> ImportRun:
    from annobib.sources.interchange import KeyRegistry

    return ImportRun(keys=KeyRegistry())


def read_files(
    run: ImportRun, files: list[Path], fmt: ImportFormat | None, jobs: int = 0
) -> None:
    """Read each file into ``run``; a file that cannot be read is an error (exit 3).

    ``jobs``: processes a large BibTeX file may be read with (0: one per CPU, at most 4).
    """
    from annobib.errors import InputError
    from annobib.findings import Finding, Location, Severity
    from annobib.reading import read_input
    from annobib.sources.interchange import guess_format, read_text
    from annobib.sources.yamlfast import work_yaml

    for path in files:
        name = str(path)
        try:
            raw = read_input(path)
            text = raw.decode("utf-8")
        except InputError as exc:
            run.findings.append(Finding("A100", Severity.ERROR, str(exc), Location(name)))
            run.unreadable = True
            continue
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            run.findings.append(
                Finding("A100", Severity.ERROR, f"not UTF-8 text (byte {exc.start})",
                        Location(name, line))
            )
            run.unreadable = True
            continue
        chosen = fmt.value if fmt is not None else guess_format(name, text)
        if chosen is None and name.lower().endswith(".txt"):
            chosen = ImportFormat.text.value
        if chosen == ImportFormat.text.value:
            read_text_list(run, text, "<stdin>" if name == "-" else name)
            continue
        if chosen is None:
            run.findings.append(
                Finding("A100", Severity.ERROR,
                        "cannot tell the format: give --from bibtex|csljson|ris",
                        Location(name))
            )
            run.unreadable = True
            continue
        with progress.phase(f"reading {name}"):
            result = read_text(text, name, chosen, run.keys, jobs=jobs)
        run.items.extend(result.yaml_items)
        run.items.extend(work_yaml(w) for w in result.works)
        run.findings.extend(result.findings)
        run.entries_seen += result.entries_seen


def read_text_list(run: ImportRun, text: str, name: str) -> None:
    """A printed reference list or footnotes (``--from text``): see :mod:`annobib.sources.text`."""
    from annobib.sources.text import read_list
    from annobib.sources.text.records import to_model

    imp = to_model(read_list(text, name), run.keys, name)
    run.findings.extend(imp.findings)
    run.entries_seen += imp.entries_seen
    if run.text is None:
        run.text = imp
    else:
        run.text.references.extend(imp.references)
        run.text.footnotes.extend(imp.footnotes)
        run.text.comments.extend(imp.comments)


def modeline(schema: str, output: Path | None) -> str:
    """``# yaml-language-server: $schema=...`` naming ``schema`` for editors (docs/editors.md):
    a URL as given, a local path relative to the written file's folder."""
    if "://" not in schema and output is not None:
        schema = os.path.relpath(os.path.abspath(schema), os.path.dirname(os.path.abspath(output)))
        schema = schema.replace(os.sep, "/")
    return f"# yaml-language-server: $schema={schema}\n"


def write_output(
    run: ImportRun, output: Path | None, force: bool, schema: str | None = None
) -> None:
    from annobib.cli import render
    from annobib.cli.common import stop, write_atomic
    from annobib.errors import AnnobibError, OutputExists
    from annobib.sources.yamlfast import document_yaml, work_yaml

    # the canonical layout of dump_document, written by the fast emitter (same data when read)
    text = document_yaml([*run.items, *(work_yaml(w) for w in run.works)])
    if schema:
        text = modeline(schema, output) + text
    if run.text is not None:
        from annobib.sources.text.records import yaml_blocks

        text += yaml_blocks(run.text)
    if output is None:
        render.write_stdout(text)
        return
    # without --force the file is created only if it still does not exist: of two imports
    # racing to the same new file, one writes it and the other is told (exit 2)
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
    from annobib.cli import render
    from annobib.cli.common import reporting, triage

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
    from annobib import runtime

    # many small objects and no cycles: the cyclic GC would only cost time (it used to be
    # switched off for the rest of the process; now paired, around the same work)
    with runtime.gc_paused():
        run = new_run()
        with shown_progress():
            read_files(run, list(files or []), from_, jobs)
            unavailable = False
            if doi:
                from annobib.cli.check import read_dois

                with progress.phase(f"asking Crossref for {len(doi)} DOI(s)"):
                    unavailable = read_dois(run, list(doi), mailto=mailto, api_url=api_url,
                                            evidence=None, output=output,
                                            timeout=timeout, max_time=max_time)
            imported = len(run.items) + len(run.works)
            if run.text is not None:
                imported += len(run.text.references) + len(run.text.footnotes)
            if imported and output is not None:
                with progress.phase(f"writing {output}"):
                    write_output(run, output, force, schema)
        if output is None:
            write_output(run, output, force, schema)
        triaged = triage(run.findings, how)
        render.report(triaged, how)
        if how.verbosity >= 0:
            where = (f" to {output}" if imported else f"; {output} not written") if output else ""
            console.print(f"annobib import: {imported} of {run.entries_seen} records "
                          f"imported{where}", markup=False)
        if unavailable and not run.unreadable:
            raise typer.Exit(int(ExitCode.UNAVAILABLE))
        raise typer.Exit(int(exit_code_for(triaged.active, how.fail_on, run.unreadable)))


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
