"""``annobib explain``: a code's meaning, from the registry of codes."""

from __future__ import annotations

from typer.testing import CliRunner

from annobib import codes
from annobib.cli.app import app

runner = CliRunner()


def test_explain_one_code_prints_its_registered_line() -> None:
    result = runner.invoke(app, ["explain", "a402"])
    assert result.exit_code == 0, result.output
    entry = codes.REGISTRY["A402"]
    assert result.stdout.strip() == (
        f"A402\t{entry.severity_text}\t{entry.title}\t(docs/cli.md#a402)"
    )


def test_explain_a_prefix_lists_the_block_and_nothing_else() -> None:
    result = runner.invoke(app, ["explain", "A41"])
    assert result.exit_code == 0
    listed = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert listed == [c for c in codes.REGISTRY if c.startswith("A41")] and "A411" in listed


def test_explain_without_codes_lists_every_code() -> None:
    result = runner.invoke(app, ["explain"])
    assert len(result.stdout.splitlines()) == len(codes.REGISTRY)


def test_explain_unknown_code_is_a_usage_error_with_a_hint() -> None:
    result = runner.invoke(app, ["explain", "A4022"])
    assert result.exit_code == 2
    assert "no finding code 'A4022'" in result.stderr and "A402" in result.stderr
