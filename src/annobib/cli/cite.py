"""``annobib cite KEY[:LOCATOR]...``: one in-text citation cluster in a CSL style."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def cite(
    keys: Annotated[
        list[str],
        typer.Argument(help="Record keys, each optionally with a locator: KEY, KEY:291, KEY:ch. 3"),
    ],
    style: Annotated[
        str | None, typer.Option("--style", "-s", help="CSL style name or .csl file (default: "
                                 "the configuration's style, else apa).", show_default=False)
    ] = None,
    locale: Annotated[str | None, typer.Option("--locale", help="CSL locale, e.g. ru-RU.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, html, markdown or rtf.")
    ] = "text",
    files: Annotated[
        list[Path] | None,
        typer.Option("--in", "-i", help="YAML files or directories (default: data/)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not use the cache of validated files.")
    ] = False,
) -> None:
    """Print one citation cluster, e.g. "(Tomberg, 2022, p. 291)" or "[3, p. 291]".

    Numeric styles number the works in library order (as `annobib export` lists them).
    """
    from annobib import api
    from annobib.cli import render
    from annobib.cli.common import default_paths
    from annobib.errors import AnnobibError

    try:
        result = api.cite(keys, paths=default_paths(files), style=style, locale=locale, fmt=fmt,
                          use_cache=not no_cache)
    except AnnobibError as exc:
        render.stderr_console().print(f"annobib cite: {exc}", markup=False)
        raise typer.Exit(int(exc.exit_code)) from None
    if result.text is None:
        render.print_findings(result.findings)
        raise typer.Exit(int(result.exit_code))
    render.print_findings(result.warnings)
    render.write_stdout(result.text)


def register(app: typer.Typer) -> None:
    app.command("cite")(cite)
