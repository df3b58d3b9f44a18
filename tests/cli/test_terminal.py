"""On a terminal and off it: progress only on a terminal (never in a pipe, under CI or for
--format json), tables that fit the terminal and never cut a key, shell completion. annobib is
run under a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

BAR = "━"  # rich's bar character


def big_bib(path: Path, entries: int = 5200) -> Path:
    """A BibTeX file just over the size a parallel read starts at (about 1 MB)."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(entries):
            f.write(
                f"@article{{k{i},\n  author = {{Author{i}, A. and Other, B.}},\n"
                f"  title = {{A title of work number {i} about {{TeX}}}},\n"
                f"  journal = {{Journal of Tests}},\n  year = {{2001}},\n"
                f"  volume = {{{i % 50}}},\n  pages = {{1--20}},\n}}\n\n"
            )
    return path


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    # the bar appears at once (it normally waits a second) so the test does not depend on speed
    out.update({"TERM": "xterm-256color", "COLUMNS": "100", "ANNOBIB_PROGRESS_DELAY": "0",
                **extra})
    return out


def run_with_stderr_on_a_pty(args: list[str], environ: dict[str, str],
                             stdout_too: bool = False) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "annobib", *args], stdin=subprocess.DEVNULL,
        stdout=slave if stdout_too else subprocess.DEVNULL, stderr=slave, env=environ,
    )
    os.close(slave)
    seen = bytearray()
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen.extend(chunk)
    os.close(master)
    return proc.wait(timeout=120), seen.decode("utf-8", "replace")


def test_a_long_import_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    src = big_bib(tmp_path / "big.bib")
    code, seen = run_with_stderr_on_a_pty(
        ["import", str(src), "-o", str(tmp_path / "out.yaml")], env())
    assert code == 0, seen
    assert BAR in seen and f"reading {src}" in seen, seen[-2000:]
    assert "\x1b[" in seen  # drawn and erased in place
    assert "annobib import: 5200 of 5200 records imported" in seen


def test_no_progress_under_ci_even_on_a_terminal(tmp_path: Path) -> None:
    src = big_bib(tmp_path / "big.bib", entries=300)
    code, seen = run_with_stderr_on_a_pty(
        ["import", str(src), "-o", str(tmp_path / "out.yaml")], env(CI="true"))
    assert code == 0, seen
    assert BAR not in seen and "reading" not in seen
    assert "records imported" in seen


def test_no_progress_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    src = big_bib(tmp_path / "big.bib")
    r = subprocess.run(
        [sys.executable, "-m", "annobib", "import", str(src), "-o", str(tmp_path / "out.yaml")],
        capture_output=True, text=True, env=env(), timeout=120, check=False,
    )
    assert r.returncode == 0, r.stderr
    assert BAR not in r.stderr and "\x1b[" not in r.stderr
    assert r.stderr.strip() == "annobib import: 5200 of 5200 records imported to " \
        f"{tmp_path / 'out.yaml'}"


def test_no_progress_for_json_on_a_terminal(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[2] / "data"
    code, seen = run_with_stderr_on_a_pty(["validate", str(data), "--format", "json"], env())
    assert code == 0
    assert BAR not in seen and "\x1b[" not in seen


DATA = Path(__file__).resolve().parents[2] / "data"
LONG_KEY = "kazpravda-2003-09-23"


def _keys() -> list[str]:
    from annobib.api import load

    return [w.key for w in load([DATA]).library.works()]


@pytest.mark.parametrize("columns", [72, 120])
def test_list_table_fits_the_terminal_and_never_cuts_a_key(columns: int) -> None:
    code, seen = run_with_stderr_on_a_pty(["list", str(DATA)], env(COLUMNS=str(columns)),
                                          stdout_too=True)
    assert code == 0
    import re

    lines = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen).replace("\r", "").splitlines()
    assert all(len(line) <= columns for line in lines), max(map(len, lines))
    firsts = [line.split("│")[1].strip() for line in lines if line.count("│") > 2]
    for key in _keys():
        assert key in firsts, key
    assert LONG_KEY in firsts


def test_list_table_in_a_pipe_is_not_wrapped_at_80_columns() -> None:
    r = subprocess.run([sys.executable, "-m", "annobib", "list", str(DATA)], capture_output=True,
                       text=True, env=env(), timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if line.count("│") > 2]  # header: ┃
    assert len(rows) == len(_keys())  # one line per record: nothing wrapped
    assert any(len(line) > 80 for line in rows)


def test_shell_completion_through_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from annobib.cli.app import app

    # typer's own switch for tests: the shell is named, not detected from the parent process
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0, result.output
    assert "_ANNOBIB_COMPLETE" in result.stdout and "complete" in result.stdout
    assert "--install-completion" in CliRunner().invoke(app, ["--help"]).stdout
