"""The command line contract: exit codes, counts, machine-readable output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annobib.cli.app import app

DATA = Path(__file__).resolve().parents[2] / "data"
runner = CliRunner()


def test_validate_shipped_data_is_clean_and_counts_everything() -> None:
    result = runner.invoke(app, ["validate", str(DATA), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["summary"]["articles"] == 2
    assert payload["summary"]["references"] == 30
    assert payload["summary"]["footnotes"] == 16
    assert payload["summary"]["errors"] == 0
    assert payload["findings"] == []


def test_validate_text_summary_on_stderr() -> None:
    result = runner.invoke(app, ["validate", str(DATA)])
    assert result.exit_code == 0
    assert "2 articles" in result.stderr
    assert "30 references, 16 footnotes" in result.stderr


def test_findings_exit_1_with_located_lines(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("annobib: 1\nworks:\n  - {key: a, type: bok}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(f)])
    assert result.exit_code == 1
    assert f"{f}:3:20: a.type: unknown value 'bok' (did you mean 'book'?)" in result.stderr
    assert "Traceback" not in result.output


def test_fail_on_controls_the_exit_code(tmp_path: Path) -> None:
    f = tmp_path / "warn.yaml"
    # an access date without a URL is only a warning (A205)
    f.write_text(
        "annobib: 1\nworks:\n  - {key: a, type: book, accessed: '2020-01-01'}\n", encoding="utf-8"
    )
    assert runner.invoke(app, ["validate", str(f)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(f), "--fail-on", "warning"]).exit_code == 1
    bad = tmp_path / "err.yaml"
    bad.write_text("annobib: 1\nworks:\n  - {key: a, type: bok}\n", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(bad), "--fail-on", "never"]).exit_code == 0


def test_missing_input_exits_3(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 3
    assert "no such file or directory" in result.stderr


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["validate", "--fail-on", "sometimes"])
    assert result.exit_code == 2


def test_export_unknown_format_exits_2() -> None:
    result = runner.invoke(app, ["export", str(DATA), "--to", "csljsn"])
    assert result.exit_code == 2
    assert "did you mean 'csljson'" in result.stderr


def test_export_writes_file_atomically_and_keeps_unicode(tmp_path: Path) -> None:
    out = tmp_path / "lib.json"
    result = runner.invoke(app, ["export", str(DATA), "--to", "csljson", "-o", str(out)])
    assert result.exit_code == 0, result.output
    items = json.loads(out.read_text(encoding="utf-8"))
    assert [i["id"] for i in items][:2] == ["mukimdzhanova2004", "miasnikov1997"]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_list_plain(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", str(DATA), "--plain"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 46
    assert any(line.startswith("tomberg2022\tjournal-article\t2022\t") for line in lines)


def test_export_file_gets_normal_permissions(tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        out = tmp_path / "lib.json"
        assert runner.invoke(app, ["export", str(DATA), "-o", str(out)]).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not mkstemp's 0600
        out.chmod(0o640)
        assert runner.invoke(app, ["export", str(DATA), "-o", str(out)]).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640  # an existing file keeps its mode
    finally:
        os.umask(old)
