"""Output that scales: a summary by default, -v every line, -q errors only, --select/--ignore,
``annobib-ignore`` in the YAML, and exit codes that count only what is not ignored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.findings import CodeFilter

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
TUGBOAT = ROOT / "tests" / "fixtures" / "interchange" / "tugboat-excerpt.bib"
runner = CliRunner()
FINDING_LINE = re.compile(r"\[(error|warning|info) (A\d{3})\]$")


def finding_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if FINDING_LINE.search(line)]


def test_export_of_the_shipped_data_prints_a_few_summary_lines(tmp_path: Path) -> None:
    out = tmp_path / "lib.bib"
    result = runner.invoke(app, ["export", str(DATA), "--to", "biblatex", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert 1 < len(lines) <= 6, result.stderr
    assert finding_lines(result.stderr) == []
    assert re.search(r"^\s+\d+ warning A402  a field the format", result.stderr, re.M)
    assert "-v" in lines[-1] and "--ignore CODE" in lines[-1]
    total = int(re.search(r"annobib: (\d+) findings", lines[-1]).group(1))  # type: ignore[union-attr]
    per_group = sum(int(line.split()[0]) for line in lines[:-1])
    assert per_group == total > 10

    verbose = runner.invoke(app, ["export", str(DATA), "--to", "biblatex", "-v",
                                  "-o", str(tmp_path / "v.bib")])
    assert verbose.exit_code == 0
    assert len(finding_lines(verbose.stderr)) == total
    assert out.read_text(encoding="utf-8") == (tmp_path / "v.bib").read_text(encoding="utf-8")


def test_import_of_tugboat_fits_a_screen_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "tug.yaml"
    result = runner.invoke(app, ["import", str(TUGBOAT), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) <= 24 and all(len(line) < 400 for line in lines)
    m = re.search(r"annobib import: (\d+) of (\d+) records imported", result.stderr)
    assert m and m.group(1) == m.group(2) and int(m.group(1)) > 40
    # every finding is still there for the asking, and warnings still fail --fail-on warning
    verbose = runner.invoke(app, ["import", str(TUGBOAT), "-v", "--fail-on", "warning"])
    assert verbose.exit_code == 1
    count = int(re.search(r"annobib: (\d+) findings", result.stderr).group(1))  # type: ignore[union-attr]
    assert len(finding_lines(verbose.stderr)) == count


def test_ignore_and_select_by_code_and_prefix(tmp_path: Path) -> None:
    def codes(*args: str) -> set[str]:
        r = runner.invoke(app, ["export", str(DATA), "--to", "biblatex", "-v", *args])
        assert r.exit_code == 0, r.stderr
        return {FINDING_LINE.search(line).group(2) for line in finding_lines(r.stderr)}  # type: ignore[union-attr]

    everything = codes()
    assert {"A402", "A404"} <= everything
    assert codes("--ignore", "A402") == everything - {"A402"}
    assert codes("--select", "A404") == {"A404"}
    assert codes("--select", "A40", "--ignore", "A402,A403") == everything - {"A402", "A403"}
    assert codes("--ignore", "A4", "--select", "A404") == {"A404"}
    assert codes("--ignore", "A") == set()


def test_code_filter_follows_ruff() -> None:
    assert CodeFilter.of().allows("A402")
    assert not CodeFilter.of(["A1"]).allows("A402")
    assert CodeFilter.of(["A4"], ["A402"]).allows("A404")
    assert not CodeFilter.of(["A4"], ["A402"]).allows("A402")
    assert CodeFilter.of(["A402"], ["A4"]).allows("A402")
    assert not CodeFilter.of(["A402"], ["A4"]).allows("A404")
    assert not CodeFilter.of(["A402"], ["A402"]).allows("A402")  # a tie: ignored
    assert CodeFilter.of(["ALL"], ["A4"]).allows("A101")
    assert CodeFilter.of(["a4,A1"]).allows("A101")


FUTURE = """\
annobib: 1
works:
  - key: site2020
    type: web-page
    title: A site
    url: https://example.org/
    accessed: "2999-01-01"
"""


def test_exit_code_counts_only_what_is_not_ignored(tmp_path: Path) -> None:
    f = tmp_path / "lib.yaml"
    f.write_text(FUTURE, encoding="utf-8")
    assert runner.invoke(app, ["validate", str(f)]).exit_code == 1
    result = runner.invoke(app, ["validate", str(f), "--ignore", "A204", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    payload = json.loads(result.stdout)
    assert payload["summary"]["errors"] == 0 and payload["summary"]["ignored"] == 1
    # --format json always carries every finding, the ignored one marked
    (a204,) = [f for f in payload["findings"] if f["code"] == "A204"]
    assert "A204" in a204["ignored"]
    assert runner.invoke(app, ["validate", str(f), "--select", "A1"]).exit_code == 0


def test_quiet_prints_errors_only(tmp_path: Path) -> None:
    f = tmp_path / "lib.yaml"
    f.write_text(FUTURE.replace("    url: https://example.org/\n", "")
                 + "  - key: old\n    type: book\n    issued: '2999'\n", encoding="utf-8")
    loud = runner.invoke(app, ["validate", str(f)])
    assert {"A204", "A205", "A207"} <= set(re.findall(r"A2\d\d", loud.stderr))
    quiet = runner.invoke(app, ["validate", str(f), "-q"])
    assert quiet.exit_code == 1
    assert [FINDING_LINE.search(x).group(1) for x in quiet.stderr.splitlines()] == ["error"]  # type: ignore[union-attr]
    assert runner.invoke(app, ["validate", str(f), "-q", "-v"]).exit_code == 2


@pytest.mark.parametrize("level", ["record", "document"])
def test_annobib_ignore_in_the_yaml_with_its_reason(tmp_path: Path, level: str) -> None:
    text = FUTURE
    if level == "record":
        text = text.replace("    accessed:", '    annobib-ignore: {A204: "clock of the archive"}\n'
                            "    accessed:")
    else:
        text = text.replace("works:", 'annobib-ignore: {A2: "clock of the archive"}\nworks:')
    f = tmp_path / "lib.yaml"
    f.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(f), "--format", "json"])
    assert result.exit_code == 0, result.stdout
    (a204,) = json.loads(result.stdout)["findings"]
    assert a204["code"] == "A204" and "clock of the archive" in a204["ignored"]
    text_run = runner.invoke(app, ["validate", str(f)])
    assert text_run.exit_code == 0 and "A204" not in text_run.stderr
    assert "1 ignored" in text_run.stderr


def test_annobib_ignore_only_covers_its_record(tmp_path: Path) -> None:
    f = tmp_path / "lib.yaml"
    other = FUTURE.replace("site2020", "other2020").replace("annobib: 1\nworks:\n", "")
    f.write_text(FUTURE.replace("    accessed:", '    annobib-ignore: {A204: "archive"}\n'
                                "    accessed:") + other, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(f), "--format", "json"])
    assert result.exit_code == 1
    active = [x["key"] for x in json.loads(result.stdout)["findings"] if "ignored" not in x]
    assert active == ["other2020"]


@pytest.mark.parametrize(
    ("table", "message"),
    [('{A204: ""}', "A204: give the reason for ignoring it"),
     ('{X1: "why"}', "'X1' is not a finding code or prefix")],
)
def test_annobib_ignore_needs_a_code_and_a_reason(tmp_path: Path, table: str, message: str) -> None:
    f = tmp_path / "lib.yaml"
    f.write_text(FUTURE.replace("    accessed:", f"    annobib-ignore: {table}\n    accessed:"),
                 encoding="utf-8")
    result = runner.invoke(app, ["validate", str(f)])
    assert result.exit_code == 1
    assert f"{f}:7:21: site2020.annobib-ignore: {message}" in result.stderr, result.stderr
    assert "Value error" not in result.stderr
