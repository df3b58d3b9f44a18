"""The formatting commands: export --to text/html/markdown/rtf, cite, styles, --version -v."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annobib.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
runner = CliRunner()


def test_export_text_in_a_style() -> None:
    r = runner.invoke(app, ["export", str(DATA / "tomberg2022.yaml"), "--to", "text", "--style", "ieee", "--no-cache"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 31
    assert lines[0].startswith("[1] I. R. Tomberg, “China’s Military")


def test_unknown_style_exits_3_with_closest_names() -> None:
    r = runner.invoke(app, ["export", str(DATA), "--to", "text", "--style", "ieeee", "--no-cache"])
    assert r.exit_code == 3
    assert "unknown style 'ieeee'; closest: ieee" in r.stderr
    assert "Traceback" not in r.output


def test_malformed_csl_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text('<style xmlns="http://purl.org/net/xbiblio/csl"><info></style>', encoding="utf-8")
    r = runner.invoke(app, ["export", str(DATA), "--to", "html", "--style", str(bad), "--no-cache"])
    assert r.exit_code == 3
    assert f"{bad}:1:56: not a well-formed CSL style: mismatched tag" in r.stderr
    assert "Traceback" not in r.output and "    at " not in r.output


def test_cite_with_locators() -> None:
    r = runner.invoke(app, ["cite", "tomberg2022:291", "--style", "ieee", "--in", str(DATA / "tomberg2022.yaml")])
    assert r.exit_code == 0, r.output
    assert r.stdout == "[1, p. 291]\n"
    r = runner.invoke(app, ["cite", "kamennov2019:pp. 12-14", "markova2022", "--style", "ieee", "--in", str(DATA / "tomberg2022.yaml")])
    assert r.stdout == "[2, pp. 12–14], [8]\n"


def test_cite_unknown_key_exits_3() -> None:
    r = runner.invoke(app, ["cite", "tomberg2021", "--style", "ieee", "--in", str(DATA)])
    assert r.exit_code == 3
    assert "no record with key 'tomberg2021'; did you mean tomberg2022?" in r.stderr


def test_styles_lists_and_searches() -> None:
    r = runner.invoke(app, ["styles", "post-soviet issues"])
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["post-soviet-issues\tannobib\tPost-Soviet Issues (annobib)"]
    r = runner.invoke(app, ["styles", "vancouver nlm"])
    assert "vancouver-nlm\tdependent -> nlm-citation-sequence\t" in r.stdout
    r = runner.invoke(app, ["styles", "no such style at all"])
    assert r.exit_code == 1


def test_version_verbose_names_citeproc_js_and_its_licence() -> None:
    r = runner.invoke(app, ["--version", "--verbose"])
    assert r.exit_code == 0
    assert "citeproc-js: npm citeproc 2.4.63, CPAL-1.0 OR AGPL-3.0-or-later" in r.stdout
    plain = runner.invoke(app, ["--version"])
    assert "citeproc" not in plain.stdout
