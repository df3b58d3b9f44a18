"""Data never drives the terminal (issue #13, items 10 and 11): rich markup in a title is shown
as text, control characters are never written raw, and ``list --plain`` keeps one row per
record and one column per field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app

runner = CliRunner()

MARKUP = """annobib: 1
works:
  - key: closing
    type: book
    title: "Closing [/bold] tag"
  - key: link
    type: book
    title: "[link=https://evil.example/]Harmless[/link]"
    publisher: "[bold red]Loud[/bold red]"
"""

CONTROLS = """annobib: 1
works:
  - key: ctl
    type: book
    title: "tab\\there\\nnew line \\e[31mred\\e[0m bell\\a nul\\0 csi\\x9b2J"
    author: ["Esc\\e]8;;https://evil.example/\\e\\\\, Ann"]
  - key: next
    type: book
    title: "Next"
"""

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _file(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "d.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_list_shows_markup_in_titles_as_text(tmp_path: Path) -> None:
    r = runner.invoke(app, ["list", str(_file(tmp_path, MARKUP))], env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    assert "Closing [/bold] tag" in r.stdout
    assert "[link=https://evil.example/]Harmless[/link]" in r.stdout


def test_list_markup_is_not_a_terminal_link(tmp_path: Path) -> None:
    # a terminal that supports links: a rich link would be written as an OSC 8 sequence
    r = runner.invoke(app, ["list", str(_file(tmp_path, MARKUP))],
                      env={"COLUMNS": "300", "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert r.exit_code == 0, r.output
    assert "\x1b]8;" not in r.stdout
    assert "evil.example" in r.stdout  # shown, as text


@pytest.mark.parametrize("plain", [False, True])
def test_list_never_writes_control_characters(tmp_path: Path, plain: bool) -> None:
    args = ["list", str(_file(tmp_path, CONTROLS))] + (["--plain"] if plain else [])
    r = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    # outside rich's own styling, no control character of the data reaches the terminal
    assert not _RAW.search(r.stdout.replace("\n", "")), repr(r.stdout)
    assert "\\x1b" in r.stdout  # shown, visibly
    if plain:
        rows = r.stdout.rstrip("\n").split("\n")
        assert len(rows) == 2
        assert all(row.count("\t") == 6 for row in rows)
        assert rows[0].split("\t")[4].startswith("tab here new line \\x1b[31mred")


def test_findings_never_write_control_characters(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text('annobib: 1\nworks:\n  - key: a\n    type: bok\x1b\n', encoding="utf-8")
    f2 = tmp_path / "d.yaml"
    f2.write_text('annobib: 1\nworks:\n  - key: a\n    type: "bok\\e[2J"\n', encoding="utf-8")
    for path in (f, f2):
        r = runner.invoke(app, ["validate", str(path)])
        assert r.exit_code == 1
        assert not _RAW.search(r.stderr.replace("\n", "")), repr(r.stderr)


def test_import_messages_show_paths_with_brackets_as_text(tmp_path: Path) -> None:
    d = tmp_path / "[red]x"
    d.mkdir()
    src = d / "in.ris"
    src.write_text("TY  - BOOK\nID  - a\nTI  - T\nER  - \n", encoding="utf-8")
    out = d / "[link=https://evil.example/]out.yaml"
    r = runner.invoke(app, ["import", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    assert f"to {out}" in r.stderr


def test_summarised_findings_never_write_control_characters(tmp_path: Path) -> None:
    # more findings than are printed one by one: the summary quotes the first errors
    works = "".join(f'  - key: k{i}\n    type: "bok\\e[2J{i}\\nrow"\n' for i in range(30))
    f = _file(tmp_path, "annobib: 1\nworks:\n" + works)
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 1
    assert not _RAW.search(r.stderr.replace("\n", "")), repr(r.stderr)
