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
    from annobib import api
    from annobib.cli import render
    from annobib.cli.common import default_paths, reporting
    from annobib.errors import AnnobibError

    how = reporting(verbose=verbose, quiet=quiet, select=select, ignore=ignore, fail_on=fail_on)
    try:
        result = api.cited(documents, paths=default_paths(library_paths),
                           use_cache=not no_cache, policy=how.policy)
    except AnnobibError as exc:  # a document that cannot be read (3) or of no known kind (2)
        render.stderr_console().print(f"annobib cited: {exc}", markup=False)
        raise typer.Exit(int(exc.exit_code)) from None
    render.report(result.triaged, how)
    if result.keys:
        render.write_stdout("\n".join(result.keys))
    raise typer.Exit(int(result.exit_code))


def register(app: typer.Typer) -> None:
    app.command("cited")(cited)
