"""``annobib cited DOCUMENT...``: the keys a manuscript cites, checked against the library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annobib.cli.common import (
    FailOnOpt,
    IgnoreOpt,
    NoCacheOpt,
    QuietOpt,
    SelectOpt,
    VerboseOpt,
    exit_code_for,
)

if TYPE_CHECKING:
    from annobib.sources.citations import Citation


def read_documents(documents: list[Path], command: str) -> list[Citation]:
    """The citations of each document, in order (:func:`annobib.tasks.cite.read_citations`);
    an unreadable or unknown document stops the command (exit 3 / exit 2)."""
    from annobib.cli import render
    from annobib.errors import AnnobibError
    from annobib.tasks.cite import read_citations

    try:
        return read_citations(documents)
    except AnnobibError as exc:
        render.stderr_console().print(f"annobib {command}: {exc}", markup=False)
        raise typer.Exit(int(exc.exit_code)) from None


def cited(
    documents: Annotated[
        list[Path],
        typer.Argument(help="LaTeX (.tex, .aux), Markdown/pandoc (.md) or Typst (.typ) files.",
                       show_default=False),
    ],
    library_paths: Annotated[
        list[Path] | None,
        typer.Option("--in", "-i", help="YAML files or directories of the library (default: "
                     "the configuration's paths, else data/).", show_default=False),
    ] = None,
    no_cache: NoCacheOpt = False,
    fail_on: FailOnOpt = None,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """Print the keys the documents cite (in citation order, each once) on stdout; report keys
    cited but missing from the library (errors, at their place in the document) and works
    not cited (info)."""
    from annobib.checks.citations import compare
    from annobib.cli import render
    from annobib.cli.common import default_paths, load, reporting, triage

    how = reporting(verbose=verbose, quiet=quiet, select=select, ignore=ignore, fail_on=fail_on)
    citations = read_documents(list(documents), "cited")
    result = load(default_paths(library_paths), use_cache=not no_cache)
    found = compare(citations, result.library)
    triaged = triage([*result.findings, *found.findings], how, result.library)
    render.report(triaged, how)
    if found.keys:
        render.write_stdout("\n".join(found.keys))
    raise typer.Exit(int(exit_code_for(triaged.active, how.fail_on, bool(result.unreadable))))


def register(app: typer.Typer) -> None:
    app.command("cited")(cited)
