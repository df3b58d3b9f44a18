"""Options and steps shared by several commands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from annobib.cli.exitcodes import ExitCode
from annobib.findings import Finding, Severity

if TYPE_CHECKING:
    from annobib.errors import AnnobibError
    from annobib.sources.yaml import LoadResult

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="YAML files or directories (default: data/).", show_default=False),
]


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


FailOnOpt = Annotated[
    FailOn,
    typer.Option("--fail-on", help="Exit 1 when a finding at or above this severity is reported."),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Do not use the cache of validated files.")
]


def default_paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [Path("data")]


def exit_code_for(findings: list[Finding], fail_on: FailOn, unreadable: bool) -> ExitCode:
    if unreadable:
        return ExitCode.UNREADABLE
    if fail_on is FailOn.never:
        return ExitCode.OK
    threshold = Severity(fail_on.value)
    if any(f.severity.rank >= threshold.rank for f in findings):
        return ExitCode.FINDINGS
    return ExitCode.OK


def write_atomic(
    path: Path, text: str, *, newline: str | None = None, exclusive: bool = False
) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and a rename
    (``exclusive``: only if ``path`` does not exist; see :mod:`annobib.atomic`)."""
    from annobib.atomic import write_text_atomic

    write_text_atomic(path, text, newline=newline, exclusive=exclusive)


def stop(command: str, exc: AnnobibError) -> NoReturn:
    """End ``command`` with the message of ``exc`` on stderr and its exit code (3 for a file
    that could not be written, 2 for an output that exists)."""
    sys.stderr.write(f"annobib {command}: {exc}\n")
    raise typer.Exit(exc.exit_code)


def write_or_stop(
    command: str, path: Path, text: str, *, newline: str | None = None, exclusive: bool = False
) -> None:
    """:func:`write_atomic`, or :func:`stop` with a clear message when the file cannot be
    written (read-only directory, full disk: exit 3; ``exclusive`` and it exists: exit 2)."""
    from annobib.errors import AnnobibError

    try:
        write_atomic(path, text, newline=newline, exclusive=exclusive)
    except AnnobibError as exc:
        stop(command, exc)


def load(paths: Sequence[str | Path], **options: bool) -> LoadResult:
    """:func:`annobib.api.load` (same options) for a command, whose records then live until it
    exits.

    They are moved out of the cyclic GC's sight (``gc.freeze``): records hold no reference
    cycles, and each later full collection would walk all of them again (sorting the 28,000
    findings of a 20,000-record export set one off: about a second).
    """
    import gc

    from annobib.api import load as load_library

    result = load_library(paths, **options)
    gc.freeze()
    return result
