"""The ``annobib`` command: a thin typer shell. One module per command, registered here.

Command modules import heavy libraries inside their functions so ``annobib --help`` is fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from annobib import __version__
from annobib.cli import export as export_cmd
from annobib.cli import listing as list_cmd
from annobib.cli import validate as validate_cmd

app = typer.Typer(
    name="annobib",
    help="Annotated bibliographies that stay faithful: validate, check against Crossref, export.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> None:
    # --version and --verbose are both eager; whichever callback runs second prints.
    ctx.meta[f"annobib.{param.name}"] = value
    if "annobib.version" not in ctx.meta or "annobib.verbose" not in ctx.meta:
        return
    if ctx.meta["annobib.version"]:
        typer.echo(f"annobib {__version__}")
        if ctx.meta["annobib.verbose"]:
            from annobib.styles import components

            for line in components():
                typer.echo(line)
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            callback=_version,
            is_eager=True,
            help="With --version: also the bundled engine, styles and locales, with licences.",
        ),
    ] = False,
) -> None:
    """annobib: typed YAML bibliographies, Crossref checks, BibTeX/BibLaTeX/CSL-JSON/RIS export."""


app.command("validate")(validate_cmd.validate)
app.command("list")(list_cmd.list_records)
app.command("export")(export_cmd.export)


def _register_optional() -> None:
    """Commands added by later modules register themselves through ``register(app)``.

    A module named here and missing is an error at start-up, never a command quietly gone.
    """
    import importlib

    for name in ("check", "importer", "review", "cite", "styles", "explain", "configcmd", "cited",
                 "snapshot"):
        importlib.import_module(f"annobib.cli.{name}").register(app)


_register_optional()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.stderr.write("annobib: interrupted\n")
        raise SystemExit(130) from None
