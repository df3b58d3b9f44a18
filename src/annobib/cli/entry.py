"""The ``annobib`` executable: starts a formatted export's engine before anything else loads.

A formatted export spends about a second building its style's citeproc-js engine, which needs
nothing but the style and the locale. Those are read here straight from the command line, before
typer, the record model and the command modules are imported (~0.2 s), and the engine build
starts on a background thread (:meth:`annobib.styles.Formatter.prepare`); ``annobib export``
then takes that formatter (:func:`annobib.styles.take_early_formatter`). The reading is a guess
that can only save time: typer still parses the command line, and an engine built for other
options is simply not used (the right one is built as usual).
"""

from __future__ import annotations

import sys

_FORMATTED = frozenset({"text", "html", "markdown", "rtf"})


def _option(args: list[str], *names: str) -> str | None:
    """The value of the last ``--name VALUE`` / ``--name=VALUE`` / ``-n VALUE`` in ``args``."""
    found = None
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                found = args[i + 1]
            elif name.startswith("--") and arg.startswith(name + "="):
                found = arg[len(name) + 1 :]
    return found


def early_engine(args: list[str]) -> tuple[str | None, str | None] | None:
    """``(style, locale)`` when ``args`` (without the program name) ask for a formatted export,
    the style None meaning the default; else None."""
    if not args or args[0] != "export" or "--help" in args:
        return None
    if _option(args, "--to", "-t") not in _FORMATTED:
        return None
    return _option(args, "--style", "-s"), _option(args, "--locale")


def main() -> None:
    wanted = early_engine(sys.argv[1:])
    if wanted is not None:
        from annobib.styles import default_style, prepare_early

        style, locale = wanted
        prepare_early(style or default_style("--notes" in sys.argv), locale)
    from annobib.cli.app import main as run

    run()
