"""The few exceptions that stop a run, and the exit codes. Everything else is a
:class:`~annobib.findings.Finding`."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes: the contract scripts and CI jobs depend on (README, docs/cli.md).

    Defined here once; an exception's ``exit_code`` and the CLI's ``typer.Exit`` both use it.
    """

    OK = 0
    FINDINGS = 1
    USAGE = 2
    UNREADABLE = 3
    UNAVAILABLE = 4


class AnnobibError(Exception):
    """Base class for errors that end a command with a clear message and no traceback."""

    exit_code: ExitCode = ExitCode.FINDINGS


class UsageError(AnnobibError):
    """The command line or an option value is wrong (exit 2)."""

    exit_code = ExitCode.USAGE


class InputError(AnnobibError):
    """Input could not be read: missing file, not UTF-8, too large, unknown style (exit 3)."""

    exit_code = ExitCode.UNREADABLE


class OutputExists(UsageError):
    """The output file exists and the command may not replace it (exit 2)."""


class WriteError(InputError, OSError):
    """A file could not be written (read-only directory, full disk, ...): exit 3. The file
    that was there is left as it was. Also an ``OSError``, for callers that ignore failed
    writes of what can be made again (caches)."""
