"""The task layer: each :mod:`annobib.api` call does what its command does (the same text, the
same findings, the same exit code), run on the shipped data/ and on a file with problems."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib import api
from annobib.cli.app import app
from annobib.errors import ExitCode, InputError, UsageError
from annobib.tasks.triage import FailOn, Policy, policy

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()

# a record that fails to load (A1xx), a date in the future (A204) and an access date without
# a URL (A205): errors and warnings, so --fail-on and --select have something to decide
BAD = """annobib: 1
works:
  - {key: a, type: bok, title: {text: A}}
  - {key: b, type: book, title: {text: B}, accessed: 2999-01-01}
  - {key: c, type: book, title: {text: C}, issued: 2001}
"""


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def _lines(findings: list[object]) -> list[str]:
    return [str(f) for f in findings]


@pytest.mark.parametrize("args", [[], ["--select", "A2"], ["--fail-on", "never"]])
def test_validate_is_the_command(bad: Path, args: list[str]) -> None:
    for paths in ([DATA], [bad]):
        cli = runner.invoke(app, ["validate", *map(str, paths), "--format", "json", *args])
        payload = json.loads(cli.stdout)
        select = ["A2"] if "--select" in args else None
        fail_on = FailOn.never if "--fail-on" in args else None
        got = api.validate(paths, policy=policy(select=select, fail_on=fail_on))
        assert got.summary() == payload["summary"]
        assert int(got.exit_code) == cli.exit_code
        assert [f.to_json() for f in got.triaged.active] == [
            f for f in payload["findings"] if not f.get("ignored")]


def test_validate_of_a_bad_file_fails_and_names_the_lines(bad: Path) -> None:
    got = api.validate([bad])
    assert got.exit_code is ExitCode.FINDINGS
    assert any(line.startswith(f"{bad}:3:") for line in _lines(list(got.triaged.active)))
    assert {f.code for f in got.triaged.active} >= {"A204", "A205"}


def test_records_are_the_list_command(bad: Path) -> None:
    for paths in ([DATA], [bad]):
        cli = runner.invoke(app, ["list", *map(str, paths), "--plain"])
        got = api.records(paths)
        assert "\n".join("\t".join(r) for r in got.rows) == cli.stdout.rstrip("\n")
        assert int(got.exit_code) == cli.exit_code
    assert [r.key for r in api.records([bad]).rows] == ["b", "c"]


def test_export_is_the_export_command(bad: Path) -> None:
    for to in ("csljson", "bibtex", "ris"):
        cli = runner.invoke(app, ["export", str(DATA), "--to", to])
        got = api.export([DATA], to)
        assert cli.exit_code == int(got.exit_code) == 0
        assert got.text == cli.stdout_bytes.decode()  # RIS's CRLF too (.stdout folds it)
    cli = runner.invoke(app, ["export", str(bad), "--to", "csljson", "-k", "c"])
    got = api.export([bad], "csljson", keys=["c"])
    assert got.text == cli.stdout
    assert int(got.exit_code) == cli.exit_code == 1  # the file's errors count
    assert not got.write
    assert json.loads(got.text)[0]["id"] == "c"


def test_export_refuses_what_the_command_refuses(bad: Path) -> None:
    with pytest.raises(api.UnknownKeys) as refused:
        api.export([bad], "csljson", keys=["cc", "zzz"])
    assert refused.value.exit_code == ExitCode.UNREADABLE
    assert refused.value.lines[0] == "no record with key 'cc'; did you mean c?"
    cli = runner.invoke(app, ["export", str(bad), "--to", "csljson", "-k", "cc", "-k", "zzz"])
    assert cli.exit_code == 3
    for line in refused.value.lines:
        assert f"annobib export: {line}" in cli.stderr
    with pytest.raises(UsageError, match="did you mean 'bibtex'"):
        api.export([bad], "bibtx")


def test_cite_is_the_cite_command() -> None:
    cli = runner.invoke(app, ["cite", "tomberg2022:291", "--in", str(DATA)])
    got = api.cite(["tomberg2022:291"], paths=[DATA])
    assert cli.exit_code == int(got.exit_code) == 0
    assert got.text is not None and got.text + "\n" == cli.stdout
    assert "291" in got.text
    with pytest.raises(InputError, match="no record with key 'tomberg202'"):
        api.cite(["tomberg202"], paths=[DATA])
    with pytest.raises(UsageError):
        api.cite(["tomberg2022"], paths=[DATA], fmt="pdf")


def test_a_policy_is_what_the_options_make() -> None:
    chosen = policy(select=["A2"], ignore=["A205"], fail_on="warning")
    assert chosen == Policy(chosen.codes, FailOn.warning)
    assert chosen.codes.allows("A204") and not chosen.codes.allows("A205")
    assert not chosen.codes.allows("A101")


def test_import_is_the_import_command(tmp_path: Path) -> None:
    corpora = Path(__file__).resolve().parent / "fixtures" / "corpora"
    for name in ("tugboat-excerpt.bib", "deep-review-excerpt.json"):
        source = corpora / name
        cli = runner.invoke(app, ["import", str(source), "-v"])
        got = api.import_([source])
        assert got.text == cli.stdout
        assert int(got.exit_code) == cli.exit_code
        assert got.imported > 0
        for finding in got.triaged.active:
            assert str(finding) in cli.stderr
    out = tmp_path / "lib.yaml"
    cli = runner.invoke(app, ["import", str(corpora / "tugboat-excerpt.bib"), "-o", str(out),
                              "--schema", str(tmp_path / "s.json")])
    got = api.import_([corpora / "tugboat-excerpt.bib"], output=out,
                      schema=str(tmp_path / "s.json"))
    assert out.read_text(encoding="utf-8") == got.text
    assert got.text.startswith("# yaml-language-server: $schema=s.json\n")
    with pytest.raises(UsageError):
        api.import_([out], fmt="endnote")


def test_review_is_the_review_command(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from crossref_standin import Limits, running

    seed = Path(__file__).resolve().parent / "fixtures" / "text" / "mukimdzhanova2004-footnotes.txt"
    server = running(Limits(single=100, lists=100, concurrency=3))
    server.search_works = True
    try:
        cli = runner.invoke(app, ["review", str(seed), "--style", "post-soviet-issues",
                                  "--api-url", server.url, "--evidence", str(tmp_path / "a"),
                                  "--format", "json"])
        got = api.review(seed, "post-soviet-issues", api_url=server.url,
                         evidence=tmp_path / "b")
    finally:
        server.stop()
    assert int(got.exit_code()) == cli.exit_code
    assert got.to_json(int(got.exit_code())) == cli.stdout
    # and again from the evidence alone, with no server
    offline = api.review(seed, "post-soviet-issues", offline=True, evidence=tmp_path / "b")
    assert offline.to_json(int(offline.exit_code())) == cli.stdout
    with pytest.raises(InputError, match="unknown style 'no-such-style-anywhere'"):
        api.review(seed, "no-such-style-anywhere", offline=True, evidence=tmp_path / "b")
    with pytest.raises(api.Unreadable):
        api.review(tmp_path / "missing.txt", "apa", offline=True)
    # the command says so and exits 3, no traceback (it used to print one)
    cli = runner.invoke(app, ["review", str(seed), "--style", "no-such-style-anywhere",
                              "--offline", "--evidence", str(tmp_path / "b")])
    assert cli.exit_code == 3
    assert "annobib review: unknown style 'no-such-style-anywhere'" in cli.stderr
    assert "Traceback" not in cli.output
