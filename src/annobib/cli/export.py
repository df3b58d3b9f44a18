"""``annobib export``: write the library in another format."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    write_or_stop,
)
from annobib.cli.exitcodes import ExitCode

if TYPE_CHECKING:
    from annobib.cli.common import Reporting
    from annobib.exporters import ExportOptions, Format
    from annobib.tasks.watch import Reloader


def export(
    paths: PathsArg = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            "-t",
            help="Output format (annobib.exporters.FORMATS: csljson, bibtex, biblatex, ris, "
            "or text/html/markdown/rtf formatted with --style). Default: the configuration's "
            "'to', else csljson.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")
    ] = None,
    keys: Annotated[
        list[str] | None, typer.Option("--key", "-k", help="Export only this record (repeatable).")
    ] = None,
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="BibTeX/BibLaTeX: LaTeX-escape non-ASCII characters.")
    ] = False,
    style: Annotated[
        str | None, typer.Option("--style", "-s", help="CSL style name or .csl file.")
    ] = None,
    locale: Annotated[str | None, typer.Option("--locale", help="CSL locale, e.g. ru-RU.")] = None,
    annotated: Annotated[
        bool, typer.Option("--annotated", help="Follow each entry with its annotation.")
    ] = False,
    notes: Annotated[
        bool, typer.Option("--notes", help="Regenerate an article's footnotes in a note style.")
    ] = False,
    cited_in: Annotated[
        list[Path] | None,
        typer.Option("--cited-in", help="Export only what this document cites (LaTeX .tex/.aux, "
                     "Markdown .md, Typst .typ; repeatable), in citation order; a key it cites "
                     "that the library lacks is an error at its place.", show_default=False),
    ] = None,
    fail_on: FailOnOpt = None,
    no_cache: NoCacheOpt = False,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Export again whenever a data file changes (the "
                           "style's engine stays warm); Ctrl-C ends it.")
    ] = False,
) -> None:
    """Export records: each article, then each work its reference list cites, in list order.

    With findings at or above --fail-on (exit 1), an -o FILE is left as it was.
    """
    import contextlib
    import difflib

    from annobib.cli.common import reporting, settings

    how = reporting(verbose=verbose, quiet=quiet, select=select, ignore=ignore, fail_on=fail_on)
    config = settings()
    to = to or config.get("to")
    if not notes:  # the configuration's style is for bibliographies; --notes needs a note style
        style = style or config.get("style")
    locale = locale or config.get("locale")

    # the executable may have started the engine already (annobib.cli.entry)
    from annobib.cli.progress import shown as shown_progress
    from annobib.exporters import FORMATS
    from annobib.styles import Formatter, default_style, take_early_formatter

    fmt = FORMATS.get(to) if to is not None else None
    with take_early_formatter() or Formatter() as formatter, shown_progress(not watch):
        if fmt is not None and fmt.styled:
            # The style's engine needs nothing from the records (about 1 s for APA): build it
            # on a background thread while the records are imported and loaded.
            formatter.prepare(style or default_style(notes), locale)

        from annobib.cli import render
        from annobib.exporters import ExportOptions

        if fmt is None:
            close = difflib.get_close_matches(to, list(FORMATS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            render.stderr_console().print(
                f"annobib export: unknown format '{to}'{hint}; choose from: {', '.join(FORMATS)}"
            )
            raise typer.Exit(int(ExitCode.USAGE))

        reloader = None
        if watch:
            from annobib.tasks.watch import Reloader

            # only the files that changed are read again; the engine renders again only the
            # entries that changed (the output is the cold export's: tests/cli/test_watch.py)
            reloader = Reloader(default_paths(paths), use_cache=not no_cache,
                                positions=fmt.positions)
            formatter.reuse = True

        def once(edited: list[str]) -> ExitCode:
            """One export: load (again), export, report, write; the formatter stays warm."""
            if edited:
                from annobib import runtime

                runtime.unfreeze()  # the previous run's records go; only the latest are kept
                render.stderr_console().print(
                    f"annobib export: {len(edited)} file(s) changed, exporting again",
                    markup=False)
            return _export_once(
                paths, fmt, to, output, keys, cited_in, how, no_cache,
                ExportOptions(ascii=ascii_only, style=style, locale=locale, annotated=annotated,
                              notes=notes, formatter=formatter),
                reloader,
            )

        if not watch:
            code = once([])
        else:
            from annobib.errors import UsageError
            from annobib.tasks.watch import bound_from_env
            from annobib.tasks.watch import watch as watch_loop

            try:
                bound = bound_from_env()
            except UsageError as exc:
                render.stderr_console().print(f"annobib export: {exc}", markup=False)
                raise typer.Exit(int(exc.exit_code)) from None

            def guarded(edited: list[str]) -> None:
                # a run refused (unknown key, unwritable file) is reported; keep watching
                with contextlib.suppress(typer.Exit):
                    once(edited)

            watch_loop(default_paths(paths), guarded, max_runs=bound)
            code = ExitCode.OK  # Ctrl-C or the bound ends a watch; each run reported itself
    raise typer.Exit(int(code))


def _export_once(paths: list[Path] | None, fmt: Format, to: str, output: Path | None,
                 keys: list[str] | None, cited_in: list[Path] | None, how: Reporting,
                 no_cache: bool, options: ExportOptions,
                 reloader: Reloader | None = None) -> ExitCode:
    """Load (through ``reloader`` when watching), export (:func:`annobib.api.export`), report
    and write once; returns the exit code of this run."""
    from annobib import api, progress
    from annobib.cli import render
    from annobib.cli.common import load, triage
    from annobib.errors import AnnobibError

    citations = None
    if cited_in:
        from annobib.cli.cited import read_documents

        citations = read_documents(list(cited_in), "export")
    # what the format needs of the load (annobib.api.load_for_export)
    with progress.phase("loading"):
        if reloader is not None:
            from annobib import runtime

            loaded = reloader.load()
            runtime.freeze_loaded()  # as cli.common.load does
        else:
            loaded = load(default_paths(paths), use_cache=not no_cache,
                          positions=fmt.positions, defer_cache=fmt.shares_load)
    try:
        with progress.phase(f"exporting to {to}"):
            exported = api.export(to=to, options=options, keys=keys, citations=citations,
                                  policy=how.policy, loaded=loaded)
    except api.UnknownKeys as exc:  # --key naming no record, with the closest keys
        render.report(triage(loaded.findings, how, loaded.library), how)
        for line in exc.lines:
            render.stderr_console().print(f"annobib export: {line}", markup=False)
        raise typer.Exit(int(exc.exit_code)) from None
    except AnnobibError as exc:
        render.report(triage(loaded.findings, how, loaded.library), how)
        render.stderr_console().print(f"annobib export: {exc}")
        return ExitCode(exc.exit_code)
    render.report(exported.triaged, how)
    code = exported.exit_code
    if output is None:
        render.write_stdout(exported.text)
    elif not exported.write:
        # a partial file beside a failed run would look like a good export to make and CI
        render.stderr_console().print(
            f"annobib export: {output} not written (exit {int(code)}); fix what is reported, "
            "or --fail-on never to write it anyway", markup=False)
    else:
        write_or_stop("export", output, exported.text, newline=fmt.newline)
    return code
