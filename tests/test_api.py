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
sys.path.insert(0, str(Path(__file__).resolve().parent))  # snapshot_data, beside this file
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


CHECKED = """annobib: 1
works:
  - key: tosatto2015
    type: journal-article
    title: "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson’s disease genetically related mutants"
    author: ["Tosatto, Laura", "Horrocks, Mathew H."]
    container-title: Scientific Reports
    issued: "2015"
    volume: "5"
    doi: 10.1038/srep16696
  - key: ijo
    type: journal-article
    title: "A title that is not this article's"
    issued: "2009"
    doi: 10.3892/ijo_00000353
  - {key: nf, type: journal-article, title: "Not a real work", doi: 10.1371/notarealdoi}
  - key: ali2017
    type: journal-article
    title: "Fish Ontology framework for taxonomy-based fish recognition"
    author: ["Ali, Najib M."]
    container-title: PeerJ
    issued: "2017"
    volume: "5"
"""


def _without_requests(text: str) -> dict[str, object]:
    payload: dict[str, object] = json.loads(text)
    summary = payload["summary"]
    assert isinstance(summary, dict)
    summary.pop("requests")  # what each run asked the stand-in: its own evidence, its own count
    return payload


@pytest.mark.parametrize(("args", "expected"), [
    ([], 1), (["--ignore", "A301"], 1), (["--fail-on", "differs", "--ignore", "A301"], 0),
    (["--fail-on", "differs"], 1), (["--fail-on", "never", "--suggest-dois"], 0),
])
def test_check_is_the_check_command(tmp_path: Path, args: list[str], expected: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from crossref_standin import Limits, running

    lib = tmp_path / "data"
    lib.mkdir()
    (lib / "lib.yaml").write_text(CHECKED, encoding="utf-8")
    ignore = ["A301"] if "--ignore" in args else None
    fail_on = args[args.index("--fail-on") + 1] if "--fail-on" in args else "error"
    server = running(Limits(single=100, lists=100, concurrency=3))
    server.search_works = True
    try:
        for fmt in ("json", "sarif"):
            cli = runner.invoke(app, ["check", str(lib), "--api-url", server.url, "--format", fmt,
                                      "--evidence", str(tmp_path / f"cli-{fmt}"), *args])
            got = api.check([lib], api_url=server.url, evidence=tmp_path / f"api-{fmt}",
                            fail_on=fail_on, suggest_dois="--suggest-dois" in args,
                            policy=policy(ignore=ignore))
            assert int(got.exit_code) == cli.exit_code == expected, cli.output
            text = got.report(fmt)
            assert text is not None
            if fmt == "json":
                assert _without_requests(text) == _without_requests(cli.stdout)
            else:
                assert text == cli.stdout
    finally:
        server.stop()
    # from the evidence alone, with no server: the same report to the byte
    cli = runner.invoke(app, ["check", str(lib), "--offline", "--format", "junit",
                              "--evidence", str(tmp_path / "cli-json"), *args])
    got = api.check([lib], offline=True, evidence=tmp_path / "cli-json", fail_on=fail_on,
                    suggest_dois="--suggest-dois" in args, policy=policy(ignore=ignore))
    assert int(got.exit_code) == cli.exit_code
    assert got.report("junit") == cli.stdout
    assert got.result is not None and got.shown is not None
    assert ("A301" in {f.code for f in got.shown.all_findings()}) is (ignore is None)


def test_check_apply_and_outages_are_the_commands(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from crossref_standin import Limits, closed_port, running

    copies = []
    for name in ("cli", "api"):
        lib = tmp_path / name
        lib.mkdir()
        (lib / "lib.yaml").write_text(CHECKED, encoding="utf-8")
        copies.append(lib)
    server = running(Limits(single=100, lists=100, concurrency=3))
    server.search_works = True
    try:
        cli = runner.invoke(app, ["check", str(copies[0]), "--apply", "--api-url", server.url,
                                  "--fail-on", "never"])
        got = api.check([copies[1]], apply=True, api_url=server.url, fail_on="never")
    finally:
        server.stop()
    assert cli.exit_code == int(got.exit_code) == 0, cli.output
    written = [(lib / "lib.yaml").read_text(encoding="utf-8") for lib in copies]
    assert written[0] == written[1] == CHECKED + '    doi: "10.7717/peerj.3811"\n'
    assert [line.replace(str(copies[1]), str(copies[0])) for line in got.applied] == [
        line for line in cli.stderr.splitlines() if line.startswith("apply:")]
    # Crossref unreachable: every DOI unchecked, exit 4 (or 0 with on_unreachable="pass")
    url = f"http://127.0.0.1:{closed_port()}"
    for policy_name, code in (("fail", 4), ("pass", 0)):
        cli = runner.invoke(app, ["check", str(copies[0]), "--api-url", url, "--retries", "1",
                                  "--on-unreachable", policy_name, "--format", "json",
                                  "--evidence", str(tmp_path / "none")])
        got = api.check([copies[0]], api_url=url, retries=1, on_unreachable=policy_name,
                        evidence=tmp_path / "none")
        assert cli.exit_code == int(got.exit_code) == code
        assert got.report("json") == cli.stdout
        assert got.result is not None
        assert {w.status.value for w in got.result.works if w.doi} == {"unchecked"}


def test_check_refuses_what_the_command_refuses(tmp_path: Path, bad: Path) -> None:
    from annobib.tasks.check import BadOption

    lib = tmp_path / "data"
    lib.mkdir()
    (lib / "lib.yaml").write_text(CHECKED, encoding="utf-8")
    for kwargs, cli_args, option in (
        ({"fail_on": "sometimes"}, ["--fail-on", "sometimes"], "--fail-on"),
        ({"offline": True, "refresh": True}, ["--offline", "--refresh"], "--refresh"),
        ({"api_url": "ftp://example.org"}, ["--api-url", "ftp://example.org"], "--api-url"),
        ({"use_api": True, "offline": True}, ["--api", "--offline"], "--snapshot"),
        ({"snapshot": lib, "engine": "sqlite", "offline": True},
         ["--snapshot", str(lib), "--engine", "sqlite", "--offline"], "--engine"),
    ):
        with pytest.raises(BadOption) as refused:
            api.check([lib], **kwargs)
        assert refused.value.option == option and refused.value.exit_code == ExitCode.USAGE
        cli = runner.invoke(app, ["check", str(lib), *cli_args])
        assert cli.exit_code == 2 and option in cli.stderr, cli.output
    # a directory that is not a snapshot: exit 3, as the command's
    from annobib.tasks.check import SnapshotRefused

    with pytest.raises(SnapshotRefused, match=r"^snapshot: .*not a snapshot") as refused_snap:
        api.check([lib], snapshot=tmp_path / "nothing", offline=True)
    assert refused_snap.value.exit_code == ExitCode.UNREADABLE
    # unreadable input: nothing is asked, exit 3
    got = api.check([tmp_path / "missing.yaml"], offline=True)
    assert got.exit_code is ExitCode.UNREADABLE and got.result is None
    assert got.report("json") is None
    cli = runner.invoke(app, ["check", str(tmp_path / "missing.yaml"), "--offline"])
    assert cli.exit_code == 3


def test_cited_is_the_cited_command(tmp_path: Path) -> None:
    doc = tmp_path / "paper.md"
    doc.write_text("As shown [@tomberg2022, p. 291; @tomberg2023] and @tomberg2022 again.\n",
                   encoding="utf-8")
    cli = runner.invoke(app, ["cited", str(doc), "--in", str(DATA), "-v"])
    got = api.cited([doc], paths=[DATA])
    assert cli.exit_code == int(got.exit_code) == 1  # tomberg2023 is not in the library
    assert got.keys == ["tomberg2022"] and cli.stdout.split() == got.keys
    missing = [f for f in got.triaged.active if f.code == "A601"]
    assert [(f.key, f.location.line if f.location else None) for f in missing] == [
        ("tomberg2023", 1)]
    for f in got.triaged.active:
        assert str(f) in cli.stderr
    quiet = api.cited([doc], paths=[DATA], policy=policy(ignore=["A601"]))
    assert quiet.exit_code == 0 and [f.code for f, _ in quiet.triaged.ignored] == ["A601"]
    with pytest.raises(UsageError):
        api.cited([tmp_path / "paper.docx"], paths=[DATA])
    with pytest.raises(InputError):
        api.cited([tmp_path / "absent.md"], paths=[DATA])


def test_snapshot_build_and_info_are_the_snapshot_commands(tmp_path: Path) -> None:
    from annobib.services.snapshot import SnapshotUnusable
    from annobib.sources.snapshot import BuildOptions
    from snapshot_data import recorded_messages, write_data_file

    sources = tmp_path / "datafile"
    write_data_file(sources, recorded_messages(), per_file=10)
    options = BuildOptions(buckets=4, segment_rows=20, jobs=1)
    built = api.snapshot_build([sources], tmp_path / "by-api", options=options)
    cli = runner.invoke(app, ["snapshot", "build", str(sources), "-o", str(tmp_path / "by-cli"),
                              "--buckets", "4", "--segment-rows", "20", "--jobs", "1"])
    assert cli.exit_code == 0, cli.output
    assert built.unreadable == 0 and built.records > 0
    assert f"{built.records:,} records from {built.sources} source(s)" in cli.stderr
    info = api.snapshot_info(tmp_path / "by-api")
    shown = runner.invoke(app, ["snapshot", "info", str(tmp_path / "by-cli")])
    assert shown.exit_code == 0
    from_cli = json.loads(shown.stdout)
    moments = ("created", "finished")
    assert {k: v for k, v in info.items() if k not in moments} == {
        k: v for k, v in from_cli.items() if k not in moments}
    assert info["records"] == built.records and info["state"] == "complete"
    with pytest.raises(SnapshotUnusable):
        api.snapshot_info(tmp_path)
