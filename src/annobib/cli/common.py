"""Options and steps shared by several commands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from annobib.cli.exitcodes import ExitCode
from annobib.findings import CodeFilter, Finding
from annobib.tasks.triage import FailOn as FailOn
from annobib.tasks.triage import Policy
from annobib.tasks.triage import Triaged as Triaged
from annobib.tasks.triage import exit_code_for as exit_code_for
from annobib.tasks.triage import triage as triage_codes

if TYPE_CHECKING:
    from annobib.config import Config
    from annobib.errors import AnnobibError
    from annobib.model import Library
    from annobib.sources.yaml import LoadResult

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="YAML files or directories (default: data/).", show_default=False),
]


FailOnOpt = Annotated[
    FailOn | None,
    typer.Option("--fail-on", help="Exit 1 when a finding at or above this severity is reported "
                  "(default: error).", show_default=False),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Print every finding, one line each.")
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print errors only (and nothing else).")
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Report only these codes or prefixes (A4, A402; "
                 "comma-separated or repeated; ALL for every code).", show_default=False),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Do not report these codes or prefixes; they do not count "
                 "towards the exit code.", show_default=False),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Do not use the cache of validated files.")
]
# the Crossref options that check and review share
MailtoOpt = Annotated[
    str | None,
    typer.Option("--mailto", envvar="ANNOBIB_MAILTO",
                 help="Your e-mail address for Crossref's polite pool (higher limits)."),
]
ApiUrlOpt = Annotated[
    str | None,
    typer.Option("--api-url", envvar="ANNOBIB_CROSSREF_URL",
                 help="Crossref API base URL (a mirror, proxy or test server)."),
]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="Use only stored evidence; no network.")
]


@dataclass(frozen=True, slots=True)
class Reporting:
    """How a command reports: verbosity (-1 quiet, 0 summary, 1 every line), which codes, and
    the severity that makes the exit code 1."""

    verbosity: int = 0
    codes: CodeFilter = field(default_factory=CodeFilter)
    fail_on: FailOn = FailOn.error

    @property
    def policy(self) -> Policy:
        """What the task layer needs of it (:mod:`annobib.api`)."""
        return Policy(self.codes, self.fail_on)


def reporting(
    *,
    verbose: bool = False,
    quiet: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: FailOn | None = None,
    default_fail_on: FailOn = FailOn.error,
) -> Reporting:
    """The command line's reporting options (a usage error when they contradict); codes and
    --fail-on as :func:`annobib.tasks.triage.policy` settles them for every caller."""
    from annobib.errors import UsageError
    from annobib.tasks.triage import policy

    if verbose and quiet:
        raise typer.BadParameter("--verbose and --quiet contradict each other",
                                 param_hint="--quiet")
    try:
        chosen = policy(select, ignore, fail_on, default_fail_on)
    except UsageError as exc:  # the configuration
        sys.stderr.write(f"annobib: {exc}\n")
        raise typer.Exit(int(ExitCode.USAGE)) from None
    return Reporting(verbosity=1 if verbose else -1 if quiet else 0, codes=chosen.codes,
                     fail_on=chosen.fail_on)


def settings() -> Config:
    """The configuration in force (annobib.config); one that cannot be used is a usage error
    (exit 2). Read afresh on each call: a walk up the directories, well under a millisecond."""
    from annobib.config import ConfigError, load

    try:
        return load()
    except ConfigError as exc:
        sys.stderr.write(f"annobib: configuration: {exc}\n")
        raise typer.Exit(int(ExitCode.USAGE)) from None


def triage(
    findings: Sequence[Finding], how: Reporting, library: Library | None = None
) -> Triaged:
    """Apply ``--select``/``--ignore`` and the files' ``annobib-ignore``
    (:func:`annobib.tasks.triage.triage`)."""
    return triage_codes(findings, how.codes, library)


def default_paths(paths: list[Path] | None) -> list[Path]:
    """The paths given, else the configuration's ``paths`` (default ``data/``)."""
    return list(paths) if paths else settings().paths()


def stop(command: str, exc: AnnobibError) -> NoReturn:
    """End ``command`` with the message of ``exc`` on stderr and its exit code (3 for a file
    that could not be written, 2 for an output that exists)."""
    sys.stderr.write(f"annobib {command}: {exc}\n")
    raise typer.Exit(exc.exit_code)


def write_or_stop(
    command: str, path: Path, text: str, *, newline: str | None = None, exclusive: bool = False
) -> None:
    """:func:`annobib.atomic.write_atomic`, or :func:`stop` with a clear message when the file
    cannot be written (read-only directory, full disk: exit 3; ``exclusive`` and it exists:
    exit 2)."""
    from annobib.atomic import write_atomic
    from annobib.errors import AnnobibError

    try:
        write_atomic(path, text, newline=newline, exclusive=exclusive)
    except AnnobibError as exc:
        stop(command, exc)


def load(paths: Sequence[str | Path], **options: bool) -> LoadResult:
    """:func:`annobib.api.load` (same options) for a command, whose records then live until it
    exits.

    They are moved out of the cyclic GC's sight (:func:`annobib.runtime.freeze_loaded`):
    records hold no reference cycles, and each later full collection would walk all of them
    again.
    """
    from annobib import runtime
    from annobib.api import load as load_library

    result = load_library(paths, **options)
    runtime.freeze_loaded()
    return result
