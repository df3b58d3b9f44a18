"""``annobib styles [QUERY]``: list and search the CSL styles annobib can format with."""

from __future__ import annotations

from typing import Annotated

import typer


def styles(
    query: Annotated[
        str | None, typer.Argument(help="Words that the style's name or title must contain.")
    ] = None,
    dependent: Annotated[
        bool,
        typer.Option(
            "--dependent/--no-dependent",
            help="Also list dependent styles (journal names that reuse another style).",
        ),
    ] = True,
    locales: Annotated[
        bool, typer.Option("--locales", help="List the available CSL locales instead.")
    ] = False,
) -> None:
    """List available styles: NAME, ORIGIN (annobib, official, dependent -> parent), TITLE."""
    from annobib.cli import render
    from annobib.styles.catalog import ALIASES, available_locales, list_styles

    if locales:
        render.write_stdout("\n".join(available_locales()))
        return
    found = [s for s in list_styles(query) if dependent or s.origin != "dependent"]
    lines = []
    for s in found:
        origin = f"dependent -> {s.parent}" if s.parent else s.origin
        lines.append(f"{s.name}\t{origin}\t{s.title}")
    if query:
        words = query.casefold().split()
        for alias, target in ALIASES.items():
            if all(w in alias for w in words):
                lines.append(f"{alias}\talias -> {target}\t")
    if not lines:
        render.stderr_console().print(f"annobib styles: no style matches {query!r}", markup=False)
        raise typer.Exit(1)
    render.write_stdout("\n".join(lines))
    if not query:
        render.stderr_console().print(
            f"{len(found)} styles; search with: annobib styles QUERY", markup=False
        )


def register(app: typer.Typer) -> None:
    app.command("styles")(styles)
