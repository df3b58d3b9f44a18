"""Exit codes are defined once (annobib.errors.ExitCode): the exceptions and the CLI agree."""

from __future__ import annotations

from annobib import errors
from annobib.cli.exitcodes import ExitCode


def test_the_cli_uses_the_one_definition() -> None:
    assert ExitCode is errors.ExitCode
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4]


def test_each_exception_exits_with_its_documented_code() -> None:
    assert errors.UsageError.exit_code is ExitCode.USAGE
    assert errors.OutputExists.exit_code is ExitCode.USAGE
    assert errors.InputError.exit_code is ExitCode.UNREADABLE
    assert errors.WriteError.exit_code is ExitCode.UNREADABLE
