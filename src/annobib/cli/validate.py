"""``annobib validate``: load, check offline, report."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from annobib.cli.common import FailOn, FailOnOpt, NoCacheOpt, PathsArg, default_paths, exit_code_for


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def validate(
    paths: PathsArg = None,
    fail_on: FailOnOpt = FailOn.error,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for machines.")
    ] = OutputFormat.text,
    no_cache: NoCacheOpt = False,
) -> None:
    """Load and validate YAML files; report every problem as file:line:col: key.field: message.

    Never touches the network and never modifies a file.
    """
    from annobib.cli import render
    from annobib.cli.common import load

    result = load(default_paths(paths), use_cache=not no_cache)
    summary = result.library.counts()
    summary["errors"] = sum(1 for f in result.findings if f.severity.value == "error")
    summary["warnings"] = sum(1 for f in result.findings if f.severity.value == "warning")
    code = exit_code_for(result.findings, fail_on, bool(result.unreadable))
    summary["exit_code"] = int(code)
    if output_format is OutputFormat.json:
        render.write_stdout(render.findings_json(result.findings, summary))
    else:
        render.print_findings(result.findings)
        render.stderr_console().print(
            f"{summary['files']} files, {summary['articles']} articles, "
            f"{summary['records']} records, {summary['references']} references, "
            f"{summary['footnotes']} footnotes; "
            f"{summary['errors']} errors, {summary['warnings']} warnings"
        )
    raise typer.Exit(int(code))
