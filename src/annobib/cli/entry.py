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

import os
import sys
from collections.abc import Callable
from typing import NoReturn


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


def early_engine(
    args: list[str], defaults: Callable[[], dict[str, str | None]] | None = None
) -> tuple[str | None, str | None] | None:
    """``(style, locale)`` when ``args`` (without the program name) ask for a formatted export,
    the style None meaning the default; else None. ``defaults`` gives the configuration's
    ``to``/``style``/``locale`` for what the command line leaves out."""
    if not args or args[0] != "export" or "--help" in args:
        return None
    to, style, locale = _option(args, "--to", "-t"), _option(args, "--style", "-s"), \
        _option(args, "--locale")
    if defaults is not None and None in (to, style, locale):
        config = defaults()
        to = to or config.get("to")
        if "--notes" not in args:
            style = style or config.get("style")
        locale = locale or config.get("locale")
    from annobib.exporters import FORMATS  # the registry alone: no model, no exporter

    fmt = FORMATS.get(to) if to is not None else None
    if fmt is None or not fmt.styled:
        return None
    return style, locale


def _configured() -> dict[str, str | None]:
    """The configuration's export defaults; nothing if it cannot be read (the command will
    say why)."""
    from annobib.config import ConfigError, load

    try:
        config = load()
    except ConfigError:
        return {}
    return {name: config.get(name) for name in ("to", "style", "locale")}


def main() -> None:
    wanted = early_engine(sys.argv[1:], _configured)
    if wanted is not None:
        from annobib.styles import default_style, prepare_early

        style, locale = wanted
        prepare_early(style or default_style("--notes" in sys.argv), locale)
    from annobib.cli.app import main as run

    try:
        run()
    except SystemExit as exc:
        leave(exit_code(exc.code))
    leave(0)


def exit_code(value: object) -> int:
    """The status Python gives ``SystemExit(value)``: None is 0, other non-numbers print."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    sys.stderr.write(f"{value}\n")
    return 1


def leave(code: int) -> NoReturn:
    """Exit once the command is done, without tearing the interpreter down.

    Everything the command wrote is written by now (files are replaced atomically before a
    command returns) and the exit handlers still run (workers stopped, engines closed); what
    is skipped is freeing every object one by one, which for a large library is most of a
    second (20,000 records: 0.7-1.1 s) and changes nothing.
    """
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python's own status for it
            code = code or 120
    os._exit(code)
