"""Exit codes for the commands: :class:`annobib.errors.ExitCode`, where they are defined once."""

from __future__ import annotations

from annobib.errors import ExitCode

__all__ = ["ExitCode"]
