"""``annobib list``: a table of the records."""

from __future__ import annotations

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


def list_records(
    paths: PathsArg = None,
    no_cache: NoCacheOpt = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="Tab-separated lines instead of a table.")
    ] = False,
    fail_on: FailOnOpt = None,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """List the records: key, type, year, first author, title, language, DOI.

    Exit 1 when a record could not be loaded (it is reported, not listed).
    """
    from annobib import api, chars
    from annobib.cli import render
    from annobib.cli.common import load, reporting

    how = reporting(verbose=verbose, quiet=quiet, select=select, ignore=ignore, fail_on=fail_on)
    listing = api.records(policy=how.policy,
                          loaded=load(default_paths(paths), use_cache=not no_cache))
    render.report(listing.triaged, how)
    rows = listing.rows
    if plain:
        # one line per record, one column per field: tabs and line breaks in the data become
        # spaces, other control characters are shown escaped (annobib.chars.one_line)
        render.write_stdout("\n".join("\t".join(map(chars.one_line, r)) for r in rows))
    else:
        from rich.table import Table

        table = Table()
        render.key_column(table, (r.key for r in rows))
        table.add_column("type", no_wrap=True)
        table.add_column("year", no_wrap=True)
        table.add_column("first author", ratio=1)
        table.add_column("title", ratio=3)
        table.add_column("lang", no_wrap=True)
        table.add_column("DOI", ratio=1, overflow="fold")
        for r in rows:
            table.add_row(*map(render.cell, r))  # data is never markup
        render.table_console().print(table)
    raise typer.Exit(int(listing.exit_code))
