"""``annobib validate``: load, check offline, report."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from annobib.cli.common import (
    FailOnOpt,
    IgnoreOpt,
    NoCacheOpt,
    PathsArg,
    QuietOpt,
    SelectOpt,
    VerboseOpt,
    default_paths,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def validate(
    paths: PathsArg = None,
    fail_on: FailOnOpt = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for machines "
                                   "(every finding, the ignored ones marked).")
    ] = OutputFormat.text,
    no_cache: NoCacheOpt = False,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """Load and validate YAML files; report every problem as file:line:col: key.field: message.

    Never touches the network and never modifies a file.
    """
    from annobib import api, progress
    from annobib.cli import render
    from annobib.cli.common import load, reporting
    from annobib.cli.progress import shown as shown_progress

    how = reporting(verbose=verbose, quiet=quiet, select=select, ignore=ignore, fail_on=fail_on)
    with shown_progress(output_format is not OutputFormat.json), progress.phase("validating"):
        loaded = load(default_paths(paths), use_cache=not no_cache, records=False)
    result = api.validate(policy=how.policy, loaded=loaded)
    summary = result.summary()
    if output_format is OutputFormat.json:
        render.write_stdout(render.findings_json(result.triaged.active, summary,
                                                 result.triaged.ignored))
    else:
        render.report(result.triaged, how)
        if how.verbosity >= 0:
            ignored = f", {summary['ignored']} ignored" if summary["ignored"] else ""
            render.stderr_console().print(
                f"{summary['files']} files, {summary['articles']} articles, "
                f"{summary['records']} records, {summary['references']} references, "
                f"{summary['footnotes']} footnotes; "
                f"{summary['errors']} errors, {summary['warnings']} warnings{ignored}"
            )
    raise typer.Exit(int(result.exit_code))
