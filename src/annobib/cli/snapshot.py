"""``annobib snapshot``: build a local, queryable snapshot of Crossref's records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annobib.cli.exitcodes import ExitCode

snapshot_app = typer.Typer(
    name="snapshot",
    help="Crossref's public data file (or stored API answers) as a local Parquet snapshot.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@snapshot_app.command("build")
def build(
    sources: Annotated[
        list[Path],
        typer.Argument(help="Files of Crossref's public data file (*.json.gz), API work "
                       "responses or evidence files, or directories holding them.",
                       show_default=False),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The snapshot directory (new, or one whose "
                           "build was interrupted: it is resumed).", show_default=False),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", help="The snapshot's date (YYYY-MM-DD), e.g. the data file's "
                     "release; default: the latest date Crossref indexed a record in it."),
    ] = None,
    buckets: Annotated[
        int, typer.Option("--buckets", min=1, max=4096, help="Partitions of the works and "
                          "token tables.")
    ] = 32,
    segment_rows: Annotated[
        int, typer.Option("--segment-rows", min=1, help="Records gathered in memory before a "
                          "segment is written (bounds memory; a killed build redoes at most one).")
    ] = 200_000,
    jobs: Annotated[
        int, typer.Option("--jobs", min=0, help="Worker processes reading sources (0: one per "
                          "CPU).")
    ] = 0,
    with_references: Annotated[
        bool, typer.Option("--with-references", help="Also keep each record's deposited "
                           "reference list (most of its size), for checking an article's own "
                           "references.")
    ] = False,
) -> None:
    """Build a snapshot: Parquet partitioned by DOI, a token table, a manifest.

    Streaming and resumable: run the same command again after an interruption and it goes on
    with the first source not yet written. Exit 0 done, 3 some source unreadable (the rest is
    in the snapshot; run again to retry it), 2 usage.
    """
    from annobib import api, progress
    from annobib.cli import render
    from annobib.cli.progress import shown
    from annobib.sources.snapshot import BuildOptions, SnapshotError

    console = render.stderr_console()
    if date is not None:
        import re

        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise typer.BadParameter("give the date as YYYY-MM-DD", param_hint="--date")
    options = BuildOptions(buckets=buckets, segment_rows=segment_rows, date=date, jobs=jobs,
                           references=with_references)
    try:
        with shown(), progress.phase(f"snapshot {output}: sources"):
            result = api.snapshot_build(sources, output, options=options)
    except (SnapshotError, OSError) as exc:
        console.print(f"snapshot: {exc}", markup=False, highlight=False)
        raise typer.Exit(int(ExitCode.USAGE)) from None
    for problem in result.problems[:200]:
        console.print(f"{problem}", markup=False, highlight=False)
    if len(result.problems) > 200:
        console.print(f"... and {len(result.problems) - 200} more (all are counted in "
                      f"{output}/manifest.json)", markup=False, highlight=False)
    resumed = (f", {result.resumed_sources} already in it from an interrupted build"
               if result.resumed_sources else "")
    console.print(f"snapshot {output}: {result.records:,} records from {result.sources} "
                  f"source(s){resumed}; dated {result.date or 'undated'}",
                  markup=False, highlight=False)
    if result.unreadable:
        console.print(f"{result.unreadable} source(s) unreadable: not in the snapshot; run "
                      "the same command again to retry them", markup=False, highlight=False)
        raise typer.Exit(int(ExitCode.UNREADABLE))
    raise typer.Exit(int(ExitCode.OK))


@snapshot_app.command("info")
def info(
    directory: Annotated[Path, typer.Argument(help="A snapshot directory.", show_default=False)],
) -> None:
    """What a snapshot holds: its date, records, sources and their checksums (JSON)."""
    import json

    from annobib import api
    from annobib.cli import render
    from annobib.services.snapshot import SnapshotUnusable

    try:
        summary = api.snapshot_info(directory)
    except SnapshotUnusable as exc:
        render.stderr_console().print(f"snapshot: {exc}", markup=False, highlight=False)
        raise typer.Exit(int(ExitCode.UNREADABLE)) from None
    render.write_stdout(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")


def register(app: typer.Typer) -> None:
    app.add_typer(snapshot_app, name="snapshot")
