"""The small lies and traps of issue #14, each pinned by a test that failed before its fix."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.cli.app import app
from annobib.styles.catalog import ALIASES, find_style_file, resolve_style
from crossref_standin import Limits, closed_port, running

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
runner = CliRunner()

PYDANTIC_WORDS = re.compile(r"String should|Input should|Value error|Field required|"
                            r"Assertion failed|validation error for|type=")


def test_export_key_typo_says_did_you_mean_and_fails() -> None:
    result = runner.invoke(app, ["export", str(DATA), "-k", "tomberg2023"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "no record with key 'tomberg2023'; did you mean tomberg2022?" in result.stderr
    # a good key still exports
    good = runner.invoke(app, ["export", str(DATA), "-k", "tomberg2022"])
    assert good.exit_code == 0 and '"id": "tomberg2022"' in good.stdout


def test_a_failed_import_by_doi_leaves_no_file_to_block_the_retry(tmp_path: Path) -> None:
    out = tmp_path / "lib.yaml"
    down = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "-o", str(out),
                               "--api-url", f"http://127.0.0.1:{closed_port()}"])
    assert down.exit_code == 4, down.output
    assert not out.exists()
    assert f"{out} not written" in down.stderr
    server = running(Limits(single=100, lists=100, concurrency=3))
    try:
        retry = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "-o", str(out),
                                    "--api-url", server.url])
    finally:
        server.stop()
    assert retry.exit_code == 0, retry.output
    assert "doi: 10.1038/srep16696" in out.read_text(encoding="utf-8")


def test_export_with_errors_leaves_the_output_file_as_it_was(tmp_path: Path) -> None:
    src = tmp_path / "lib.yaml"
    src.write_text("annobib: 1\nworks:\n  - {key: a, type: book, title: A}\n"
                   "  - {key: b, type: bok, title: B}\n", encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("previous good export\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous good export\n"
    assert f"{out} not written (exit 1)" in result.stderr
    # asked for, the partial export is written
    forced = runner.invoke(app, ["export", str(src), "-o", str(out), "--fail-on", "never"])
    assert forced.exit_code == 0 and '"id": "a"' in out.read_text(encoding="utf-8")


def test_list_fails_when_records_did_not_load(tmp_path: Path) -> None:
    src = tmp_path / "lib.yaml"
    src.write_text("annobib: 1\nworks:\n  - {key: a, type: book, title: A}\n"
                   "  - {key: b, type: bok, title: B}\n", encoding="utf-8")
    result = runner.invoke(app, ["list", str(src), "--plain"])
    assert result.exit_code == 1
    assert result.stdout.split("\t")[0] == "a" and "b.type" in result.stderr
    assert runner.invoke(app, ["list", str(DATA), "--plain"]).exit_code == 0


def test_a_duplicate_key_is_reported_when_the_first_definition_is_bad(tmp_path: Path) -> None:
    src = tmp_path / "lib.yaml"
    src.write_text("annobib: 1\nworks:\n  - key: k1\n    type: bok\n    title: First\n"
                   "  - key: k1\n    type: book\n    title: Second\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(src)])
    assert result.exit_code == 1
    assert f"{src}:6:5: k1.key: duplicate record key 'k1' (first defined at {src}:3:5)" \
        in result.stderr
    assert "[error A201]" in result.stderr


def test_notes_with_an_in_text_style_are_not_double_bracketed() -> None:
    doc = str(DATA / "mukimdzhanova2004.yaml")
    result = runner.invoke(app, ["export", doc, "--to", "text", "--notes", "--style", "apa"])
    assert result.exit_code == 0, result.stderr
    assert "((" not in result.stdout and "))" not in result.stdout
    assert "other documents (see: 2003b)." in result.stdout
    # a note style still gets the notes' own parentheses
    notes = runner.invoke(app, ["export", doc, "--to", "text", "--notes"])
    assert "other documents (see: Kazakhstanskaia pravda" in notes.stdout
    assert "((" not in notes.stdout


def test_an_alias_never_hides_the_official_style_of_that_name() -> None:
    assert find_style_file("chicago-notes") is not None  # CSL's "notes without bibliography"
    style = resolve_style("chicago-notes")
    assert style.name == "chicago-notes" and "without bibliography" in style.title
    shadowing = [alias for alias in ALIASES if find_style_file(alias) is not None]
    assert shadowing == []
    assert resolve_style("chicago").name == "chicago-notes-bibliography"


EMPTY_ENTRY_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Title only (a test style)</title><id>http://example.org/title-only</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
"""


# a numbered style too: citeproc-js puts "N. [CSL STYLE ERROR: ...]" among its entries where
# the record printed nothing, and the zip with the ids left out raised (exporters/formatted)
NUMBERED = ('<citation><layout><text variable="title"/>',
            '<citation><layout><text variable="citation-number"/>')


@pytest.mark.parametrize("numbered", [False, True])
def test_a_style_that_prints_an_empty_entry_gives_a502_not_a_crash(tmp_path: Path,
                                                                  numbered: bool) -> None:
    style = tmp_path / "title-only.csl"
    style.write_text(EMPTY_ENTRY_STYLE.replace(*NUMBERED) if numbered else EMPTY_ENTRY_STYLE,
                     encoding="utf-8")
    src = tmp_path / "lib.yaml"
    src.write_text("annobib: 1\nworks:\n  - {key: a, type: book, title: Has a title}\n"
                   "  - {key: b, type: book, publisher: Nobody}\n"
                   "  - {key: c, type: book, title: Another title}\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(src), "--to", "text", "--style", str(style)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["Has a title", "Another title"]
    assert f"{src}:4:5: b: the style printed no entry for this record [error A502]" \
        in result.stderr


def test_messages_speak_annobib_not_pydantic(tmp_path: Path) -> None:
    src = tmp_path / "lib.yaml"
    src.write_text('annobib: 1\nworks:\n  - {key: "bad key!", type: book, title: X}\n'
                   "  - {key: g, type: book, title: [1], doi: nonsense, volume: {a: 1}}\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["validate", str(src), "-v"])
    assert result.exit_code == 1
    assert "not a valid key: a key starts with a letter or digit" in result.stderr
    assert "g.doi: not a DOI: 'nonsense'" in result.stderr
    assert not PYDANTIC_WORDS.search(result.stderr), result.stderr
    bib = tmp_path / "in.bib"
    bib.write_text("@book{k1,\n title={T},\n doi={nonsense},\n url={ftp:bad}\n}\n",
                   encoding="utf-8")
    imported = runner.invoke(app, ["import", str(bib), "-v"])
    assert "k1.doi: not imported: not a DOI: 'nonsense'" in imported.stderr
    assert not PYDANTIC_WORDS.search(imported.stderr), imported.stderr


def test_the_readme_says_what_a_yaml_syntax_error_does(tmp_path: Path) -> None:
    src = tmp_path / "lib.yaml"
    src.write_text('annobib: 1\nworks:\n  - {key: a1, type: book, title: A}\n'
                   '  - key: b1\n    type: book\n    title: "unclosed\n'
                   "  - {key: c1, type: book, title: C}\n", encoding="utf-8")
    result = runner.invoke(app, ["list", str(src), "--plain"])
    assert "[error A101]" in result.stderr
    listed = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert listed == ["a1"]  # the records before the error load; what follows is not read
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "the rest of the file is still read" not in readme
    assert "the records before it still load" in readme
    assert "what follows it in that file is not read" in readme
