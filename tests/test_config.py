"""Configuration: annobib.toml or [tool.annobib], found upward; the command line wins over the
environment, the environment over the file, the file over the defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.config import ConfigError, load

runner = CliRunner()

WARNED = """\
annobib: 1
works:
  - key: site2020
    type: web-page
    title: A site
    accessed: "2020-01-01"
"""  # A205: an access date without a URL (a warning)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory with a YAML file that has one warning; cwd is a subdirectory."""
    monkeypatch.delenv("ANNOBIB_CONFIG", raising=False)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.yaml").write_text(WARNED, encoding="utf-8")
    sub = tmp_path / "notes" / "deeper"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    return tmp_path


def test_found_upward_and_nearest_wins(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.annobib]\nstyle = "ieee"\n', encoding="utf-8")
    config = load()
    assert config.file == project / "pyproject.toml"
    assert config.get("style") == "ieee" and "[tool.annobib]" in config.source("style")
    (project / "notes" / "annobib.toml").write_text('style = "gost"\n', encoding="utf-8")
    assert load().get("style") == "gost" and load().file == project / "notes" / "annobib.toml"
    # in one directory annobib.toml comes before pyproject.toml
    (project / "notes" / "pyproject.toml").write_text('[tool.annobib]\nstyle = "apa"\n',
                                                      encoding="utf-8")
    assert load().get("style") == "gost"


def test_a_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    (project / "annobib.toml").write_text('locale = "ru-RU"\n', encoding="utf-8")
    (project / "notes" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load().file == project / "annobib.toml" and load().get("locale") == "ru-RU"


def test_defaults_without_a_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOBIB_CONFIG", "none")
    (project / "annobib.toml").write_text('locale = "ru-RU"\n', encoding="utf-8")
    config = load()
    assert config.file is None and config.get("locale") is None
    assert {config.source(n) for n in config.values} == {"default"}


def test_environment_wins_over_the_file(project: Path) -> None:
    (project / "annobib.toml").write_text('mailto = "file@example.org"\n', encoding="utf-8")
    assert load(environ={}).get("mailto") == "file@example.org"
    config = load(environ={"ANNOBIB_MAILTO": "env@example.org"})
    assert config.get("mailto") == "env@example.org"
    assert config.source("mailto") == "environment ANNOBIB_MAILTO"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fial-on = "warning"\n', "unknown setting 'fial-on' (did you mean 'fail-on'?)"),
        ('fail-on = "loud"\n', "'fail-on' must be one of error, warning, info, never"),
        ('ignore = ["B1"]\n', "'ignore': 'B1' is not a finding code or prefix"),
        ("paths = 3\n", "'paths' must be a list of files or directories"),
        ("style = \n", "not valid TOML"),
    ],
)
def test_a_bad_file_is_a_usage_error_that_names_it(project: Path, text: str,
                                                   message: str) -> None:
    (project / "annobib.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"annobib\.toml"):
        load()
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_paths_fail_on_and_ignore_from_the_file_and_the_command_line_wins(project: Path) -> None:
    (project / "annobib.toml").write_text(
        'paths = ["lib"]\nfail-on = "warning"\n', encoding="utf-8")
    # paths are relative to the file; fail-on warning makes the A205 warning fail
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    assert "A205" in result.stderr and "a.yaml" in result.stderr
    assert runner.invoke(app, ["validate", "--fail-on", "error"]).exit_code == 0
    (project / "annobib.toml").write_text(
        'paths = ["lib"]\nfail-on = "warning"\nignore = ["A2"]\n', encoding="utf-8")
    assert runner.invoke(app, ["validate"]).exit_code == 0
    # the command line's --ignore replaces the file's
    assert runner.invoke(app, ["validate", "--ignore", "A1"]).exit_code == 1
    assert runner.invoke(app, ["validate", "--select", "A1"]).exit_code == 0


def test_export_format_and_style_from_the_file(project: Path) -> None:
    (project / "annobib.toml").write_text('paths = ["lib"]\nto = "ris"\n', encoding="utf-8")
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("TY  - ELEC")
    assert runner.invoke(app, ["export", "--to", "csljson"]).stdout.lstrip().startswith("[")


def test_config_command_says_where_each_setting_came_from(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.annobib]\nfail-on = "warning"\nignore = ["A402", "A2"]\n', encoding="utf-8")
    monkeypatch.setenv("ANNOBIB_MAILTO", "env@example.org")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert str(project / "pyproject.toml") in lines["configuration"]
    assert lines["fail-on"].split()[1] == "warning"
    assert lines["fail-on"].endswith("pyproject.toml [tool.annobib]")
    assert "A402, A2" in lines["ignore"]
    assert lines["mailto"].endswith("environment ANNOBIB_MAILTO")
    assert lines["locale"].endswith("default")
    payload = json.loads(runner.invoke(app, ["config", "--format", "json"]).stdout)
    assert payload["settings"]["ignore"] == {
        "value": ["A402", "A2"], "from": f"{project / 'pyproject.toml'} [tool.annobib]"
    }
