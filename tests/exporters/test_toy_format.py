"""A new export format is its own function plus one registration line.

The toy format below is the worked example of ``docs/architecture.md`` ("Adding an export
format"): it is registered in one line, and ``annobib export --to toy`` then runs it, with
what it declares (its own line ends) passed to the writer, although the command line names no format.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.exporters import FORMATS, Format, register
from annobib.exporters.base import ExportOptions, ExportResult
from annobib.model.library import Library

LIB = """annobib: 1
works:
- key: tomberg2016
  type: article
  title: Тексты
- key: lotman1970
  type: book
  title: Структура художественного текста
"""


def export_toy(library: Library, options: ExportOptions) -> ExportResult:
    """One line per record, ``key: title``, CRLF line ends of its own."""
    lines = [f"{w.key}: {w.title.text if w.title else ''}" for w in library.works()]
    return ExportResult("".join(f"{line}\r\n" for line in lines))


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Format:
    monkeypatch.setattr("annobib.exporters.FORMATS", dict(FORMATS))  # undone after the test
    return register(Format("toy", f"{__name__}:export_toy", newline=""))  # the one line


def test_a_registered_format_is_exported_by_the_cli(toy: Format, tmp_path: Path) -> None:
    (tmp_path / "lib.yaml").write_text(LIB, encoding="utf-8")
    out = tmp_path / "out.toy"
    result = CliRunner().invoke(app, ["export", str(tmp_path / "lib.yaml"), "--to", "toy",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    # the format's own CRLF, written as given (newline="" keeps a Windows run from making
    # it CR CR LF)
    assert out.read_bytes().decode("utf-8").split("\r\n") == [
        "tomberg2016: Тексты", "lotman1970: Структура художественного текста", ""]


def test_an_unregistered_format_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "lib.yaml").write_text(LIB, encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(tmp_path / "lib.yaml"), "--to", "toy"])
    assert result.exit_code == 2
    assert "unknown format 'toy'" in result.output


def test_the_cli_names_no_format() -> None:
    """What a format needs is its own attributes; cli/export.py holds no format's name."""
    source = (Path(__file__).resolve().parents[2] / "src/annobib/cli/export.py").read_text(
        encoding="utf-8")
    code = "\n".join(line for line in source.splitlines()
                     if not line.lstrip().startswith(("#", '"', "help=")))
    for name in FORMATS:
        assert f'"{name}"' not in code, name
