"""The ``annobib`` executable starts a formatted export's engine before loading the rest; the
command line is still typer's to parse, and the output is the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.cli.entry import early_engine, exit_code

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "data/", "--to", "html", "--style", "apa"], ("apa", None)),
        (["export", "--to=text", "-s", "ieee", "--locale", "ru-RU"], ("ieee", "ru-RU")),
        (["export", "-t", "markdown", "--notes"], (None, None)),
        (["export", "--style=x.csl", "--to", "rtf", "--locale=de-DE"], ("x.csl", "de-DE")),
        (["export", "--to", "biblatex", "--style", "apa"], None),  # not formatted
        (["export", "data/"], None),  # CSL-JSON by default
        (["export", "--to", "html", "--help"], None),
        (["validate", "--to", "html"], None),
        ([], None),
    ],
)
def test_what_the_executable_reads_early(
    args: list[str], expected: tuple[str | None, str | None] | None
) -> None:
    assert early_engine(args) == expected


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annobib", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )


def test_started_early_same_output_as_in_process() -> None:
    proc = run("export", "data/", "--to", "text", "--style", "ieee")
    assert proc.returncode == 0, proc.stderr
    in_process = CliRunner().invoke(app, ["export", str(ROOT / "data"), "--to", "text",
                                          "--style", "ieee"])
    assert in_process.exit_code == 0
    assert proc.stdout == in_process.stdout
    assert "[1]" in proc.stdout


def test_usage_error_after_an_early_start_exits_2_without_hanging() -> None:
    # the engine was started for a command typer then refuses: it is closed at exit
    proc = run("export", "data/", "--to", "html", "--style", "apa", "--no-such-option")
    assert proc.returncode == 2
    assert "no-such-option" in proc.stderr


def test_unknown_style_still_reported_by_the_command() -> None:
    proc = run("export", "data/", "--to", "text", "--style", "no-such-style-anywhere")
    assert proc.returncode == 3
    assert "no-such-style-anywhere" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_exit_status_as_python_gives_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(None) == 0
    assert exit_code(3) == 3
    assert exit_code("annobib: stopped") == 1
    assert capsys.readouterr().err == "annobib: stopped\n"


def test_quick_exit_keeps_every_byte_and_the_status(tmp_path: Path) -> None:
    # the executable leaves without freeing the library: all output must still be there
    proc = run("export", "data/", "--to", "csljson")
    assert proc.returncode == 0, proc.stderr
    in_process = CliRunner().invoke(app, ["export", str(ROOT / "data"), "--to", "csljson"])
    assert proc.stdout == in_process.stdout
    assert proc.stdout.rstrip().endswith("]")
    out = tmp_path / "lib.bib"
    proc = run("export", "data/", "--to", "biblatex", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").count("@") > 40
    assert run("validate", "no-such-dir/").returncode == 3
