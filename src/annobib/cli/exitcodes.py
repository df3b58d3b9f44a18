"""Exit codes: the contract scripts and CI jobs depend on (documented in README and docs/cli.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    UNREADABLE = 3
    UNAVAILABLE = 4
