"""The few exceptions that stop a run. Everything else is a :class:`~annobib.findings.Finding`."""

from __future__ import annotations


class AnnobibError(Exception):
    """Base class for errors that end a command with a clear message and no traceback."""

    exit_code = 1


class UsageError(AnnobibError):
    """The command line or an option value is wrong (exit 2)."""

    exit_code = 2


class InputError(AnnobibError):
    """Input could not be read: missing file, not UTF-8, too large, unknown style (exit 3)."""

    exit_code = 3


class ServiceUnavailable(AnnobibError):
    """A remote service (Crossref) could not be reached after retries (exit 4)."""

    exit_code = 4


class OutputExists(UsageError):
    """The output file exists and the command may not replace it (exit 2)."""


class WriteError(InputError, OSError):
    """A file could not be written (read-only directory, full disk, ...): exit 3. The file
    that was there is left as it was. Also an ``OSError``, for callers that ignore failed
    writes of what can be made again (caches)."""
