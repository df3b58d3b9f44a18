"""``annobib snapshot build`` and ``annobib check --snapshot``.

The snapshot's sources are the recorded work messages of ``tests/fixtures/crossref``, wrapped
at test time in the public data file's shape (``tests/snapshot_data.py``); the API path they
are compared with is the stand-in server serving the same recordings.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.api import load
from annobib.checks.crossref import Status, check_library, judge
from annobib.checks.crossref.judge import AGREED_TITLE
from annobib.cli.app import app
from annobib.model import Document, MultiText, Work, WorkType
from annobib.services.base import Agreement, Found, Progress, Unavailable, lookups_only
from annobib.services.snapshot import Snapshot, SnapshotService, SnapshotUnusable
from annobib.sources.crossref import work_from_crossref
from annobib.sources.snapshot import BuildOptions, SnapshotError, build, kept
from annobib.sources.yaml import dump_document
from crossref_standin import Limits, StandIn, running
from snapshot_data import derived_records, recorded_messages, write_data_file

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def server() -> Any:
    s = running(Limits(single=100, lists=100, concurrency=3))
    yield s
    s.stop()


def make_snapshot(tmp: Path, **options: Any) -> Path:
    sources = write_data_file(tmp / "datafile", recorded_messages(), per_file=7)
    out = tmp / "snapshot"
    build(sources, out, BuildOptions(**options))
    return out


def parquet_rows(snapshot: Path) -> list[tuple[str, str]]:
    import pyarrow.parquet as pq

    rows: list[tuple[str, str]] = []
    for p in sorted((snapshot / "works").rglob("*.parquet")):
        t = pq.read_table(p, columns=["doi", "record"])
        rows.extend(zip(t.column("doi").to_pylist(), t.column("record").to_pylist(), strict=True))
    return sorted(rows)


def test_build_keeps_every_record_with_the_compared_fields(tmp_path: Path) -> None:
    out = make_snapshot(tmp_path, segment_rows=10, buckets=8)
    messages = recorded_messages()
    snap = Snapshot.open(out)
    m = snap.manifest
    assert m["state"] == "complete" and m["records"] == len(messages)
    assert len(m["sources"]) == 5 and all(len(s["sha256"]) == 64 for s in m["sources"])
    # the snapshot's date: the latest date Crossref indexed one of its records
    latest = max(r["indexed"]["date-time"] for r in messages if "indexed" in r)
    assert snap.date == latest[:10]
    svc = SnapshotService(snap)
    got = svc.lookup([r["DOI"] for r in messages])
    for r in messages:
        lk = got[r["DOI"].lower()]
        assert isinstance(lk, Found), r["DOI"]
        assert lk.record == kept(r)
        assert "reference" not in lk.record
        for name in ("title", "author", "container-title", "issued", "volume", "page",
                     "type", "update-to", "updated-by", "original-title", "subtitle"):
            if name in r:
                assert lk.record[name] == r[name]
        (ev,) = lk.evidence
        assert ev.kind == "snapshot" and ev.time == snap.date and str(out) in ev.url
    # each DOI is in exactly one partition, the one bucket_of names
    dirs = {p.parent.name for p in (out / "works").rglob("*.parquet")}
    assert len(dirs) > 1
    assert len(parquet_rows(out)) == len(messages)


def test_doi_absent_from_the_snapshot_is_unchecked_never_not_found(tmp_path: Path) -> None:
    svc = SnapshotService.open(make_snapshot(tmp_path))
    lk = svc.lookup(["10.1371/notarealdoi"])["10.1371/notarealdoi"]
    assert isinstance(lk, Unavailable) and lk.code == "A334"
    assert lk.reason.startswith("not in the snapshot") and "not 'not found'" in lk.reason


def test_malformed_record_in_the_snapshot_is_unchecked_as_from_the_api(tmp_path: Path) -> None:
    # derived: one recorded record with its title made a string (Crossref gives a list)
    m = next(r for r in recorded_messages() if r["DOI"].lower() == "10.1038/srep16696")
    m["title"] = m["title"][0]
    src = write_data_file(tmp_path / "src", [m])
    build(src, tmp_path / "snap")
    lk = SnapshotService.open(tmp_path / "snap").lookup([m["DOI"]])[m["DOI"].lower()]
    assert isinstance(lk, Unavailable) and lk.code == "A332" and "'title'" in lk.reason


def test_references_kept_only_when_asked(tmp_path: Path) -> None:
    out = make_snapshot(tmp_path, references=True)
    with_refs = [r for r in recorded_messages() if "reference" in r]
    assert with_refs
    lk = SnapshotService.open(out).lookup([with_refs[0]["DOI"]])[with_refs[0]["DOI"].lower()]
    assert isinstance(lk, Found) and lk.record["reference"] == with_refs[0]["reference"]


def test_api_responses_and_evidence_files_are_sources(server: StandIn, tmp_path: Path) -> None:
    # evidence written by a real API check against the stand-in, then built into a snapshot
    from annobib.services.crossref import CrossrefService, RetryPolicy
    from annobib.services.evidence import EvidenceStore

    dois = ["10.1038/srep16696", "10.3892/ijo_00000353", "10.1371/notarealdoi"]
    svc = CrossrefService(api_url=server.url, mailto="t@example.org",
                          store=EvidenceStore(tmp_path / ".crossref"),
                          retry=RetryPolicy(attempts=2, timeout=2, max_time=20))
    svc.lookup(dois)
    svc.close()
    single = tmp_path / "single.json"  # a single-work response body, as recorded
    single.write_text(json.dumps(server.recorded.works["10.1145/2834800.2834802"]["body"]),
                      encoding="utf-8")
    result = build([tmp_path / ".crossref", single], tmp_path / "snap")
    assert result.records == 3 and not result.problems
    got = SnapshotService.open(tmp_path / "snap").lookup([*dois, "10.1145/2834800.2834802"])
    assert [type(v).__name__ for v in got.values()] == ["Found", "Found", "Unavailable", "Found"]


def test_bad_records_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    messages = recorded_messages()[:3]
    no_doi = dict(messages[1])
    del no_doi["DOI"]  # derived: one recorded record with its DOI removed
    src = tmp_path / "part.json.gz"
    src.write_bytes(gzip.compress(json.dumps({"items": [messages[0], no_doi, 7,
                                                        messages[2]]}).encode()))
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(gzip.compress(json.dumps({"items": messages})[:500].encode()))
    result = build([src, broken], tmp_path / "snap")
    assert result.records == 2 and result.unreadable == 1
    text = [str(p) for p in result.problems]
    assert any("part.json.gz: items[1]: work record without a DOI" in t for t in text)
    assert any("part.json.gz: items[2]: not a work record" in t for t in text)
    assert any("broken.json.gz" in t and "not a gzipped or plain JSON" in t for t in text)


def test_search_finds_a_recorded_work_by_its_title_and_author(tmp_path: Path) -> None:
    svc = SnapshotService.open(make_snapshot(tmp_path))
    r = next(m for m in recorded_messages() if m["DOI"].lower() == "10.1038/srep16696")
    query = f"{r['author'][0]['family']} {r['title'][0]} {r['issued']['date-parts'][0][0]}"
    result = svc.search(query, rows=3)
    assert result.hits and result.hits[0].record["DOI"].lower() == "10.1038/srep16696"  # type: ignore[union-attr]


# --- the same verdicts as the API path --------------------------------------------------------


def checked_library(tmp: Path) -> Path:
    """data/ plus one work per recorded record (our side imported from the record, as
    ``annobib import --doi`` writes it), three of them with one field changed."""
    import shutil

    lib = tmp / "data"
    shutil.copytree(ROOT / "data", lib)
    works = []
    with_volume = [i for i, m in enumerate(recorded_messages()) if m.get("volume")]
    for i, m in enumerate(recorded_messages()):
        work, _ = work_from_crossref(m, f"rec{i:02d}")
        if i in with_volume[:2]:  # rec{with_volume[0]} differs in its volume
            work = work.model_copy(update={"volume": "999"})
        if i == with_volume[2]:
            work = work.model_copy(update={"title": work.title and work.title.model_copy(
                update={"text": "A different title altogether"})})
        works.append(work)
    (lib / "recorded.yaml").write_text(dump_document(Document(works=works)), encoding="utf-8")
    (lib / "extra.yaml").write_text(
        "annobib: 1\nworks:\n"
        "  - {key: nf, type: journal-article, title: Not a real work, doi: 10.1371/notarealdoi}\n"
        "  - {key: alias, type: journal-article, title: An alias, doi: 10.26434/chemrxiv.5406907}\n",
        encoding="utf-8")
    return lib


def verdicts(payload: dict[str, Any]) -> dict[str, tuple[str, list[tuple[str, str | None]]]]:
    return {w["key"]: (w["status"], sorted((f["code"], f["field"]) for f in w["findings"]))
            for w in payload["works"]}


def test_check_data_with_snapshot_gives_the_api_paths_verdicts(server: StandIn,
                                                               tmp_path: Path) -> None:
    lib = checked_library(tmp_path)
    snap = make_snapshot(tmp_path)
    api = runner.invoke(app, ["check", str(lib), "--format", "json", "--api-url", server.url,
                              "--evidence", str(tmp_path / "ev-api"), "--fail-on", "never",
                              "--on-unreachable", "warn"])
    assert api.exit_code == 0, api.output
    local = runner.invoke(app, ["check", str(lib), "--snapshot", str(snap), "--format", "json",
                                "--fail-on", "never", "--on-unreachable", "warn",
                                "--api-url", "http://127.0.0.1:9"])
    assert local.exit_code == 0, local.output
    a, s = verdicts(json.loads(api.stdout)), verdicts(json.loads(local.stdout))
    assert a.keys() == s.keys()
    statuses = {v[0] for v in a.values()}
    assert {"verified", "differs", "not-found", "no-doi"} <= statuses  # a real mix
    absent = {"nf", "alias", "tomberg2022"}  # DOIs the recordings do not hold as records
    for key in a:
        if key in absent:
            continue
        assert s[key] == a[key], key
    for key in absent:
        if key in s:
            assert s[key][0] == "unchecked", key
    # the same matched title where both verified (the agreed works are verified in SQL)
    titles = [{w["key"]: w["matched-title"] for w in json.loads(out.stdout)["works"]
               if w["status"] == "verified"} for out in (api, local)]
    assert titles[0].keys() - absent == titles[1].keys() and titles[1]
    assert all(titles[0][k] == t for k, t in titles[1].items())
    # the report names the snapshot and the date of its data; the API path's names none
    snapshot = Snapshot.open(snap)
    assert json.loads(local.stdout)["summary"]["source"] == {
        "kind": "snapshot", "path": str(snap), "date": snapshot.date,
        "records": len(recorded_messages()), "engine": "duckdb"}
    assert snapshot.date[:4].isdigit() and snapshot.date != "undated"
    assert "source" not in json.loads(api.stdout)["summary"]
    reasons = {w["key"]: w["reason"] for w in json.loads(local.stdout)["works"]}
    assert reasons["nf"].startswith("not in the snapshot")
    assert a["nf"][0] == "not-found" and ("A311", "doi") in a["alias"][1]
    assert "crossref data of" in local.stderr.lower()
    # --api: the API is asked for what the snapshot lacks, and only for that
    before = server.count()
    both = runner.invoke(app, ["check", str(lib), "--snapshot", str(snap), "--api",
                               "--format", "json", "--api-url", server.url, "--fail-on",
                               "never", "--on-unreachable", "warn",
                               "--evidence", str(tmp_path / "ev-both")])
    assert both.exit_code == 0, both.output
    assert verdicts(json.loads(both.stdout)) == a
    assert json.loads(both.stdout)["summary"]["source"]["then"] == "api"
    asked = {e.path for e in server.log[before:]}
    assert asked and all(any(d in p for d in ("notarealdoi", "chemrxiv.5406907", "10.24975", "/works"))
                         for p in asked)


def test_check_without_a_snapshot_is_unreadable_input(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.yaml").write_text("annobib: 1\nworks: []\n", encoding="utf-8")
    r = runner.invoke(app, ["check", str(lib), "--snapshot", str(tmp_path / "nothing")])
    assert r.exit_code == 3 and "not a snapshot" in r.stderr
    with pytest.raises(SnapshotUnusable):
        Snapshot.open(tmp_path / "nothing")


def test_check_library_through_the_service_object(tmp_path: Path) -> None:
    lib = checked_library(tmp_path)
    result = load([lib], lint=False)
    res = check_library(result.library, SnapshotService.open(make_snapshot(tmp_path)))
    by = {w.key: w for w in res.works}
    changed = next(w for w in by.values() if any(f.code == "A306" for f in w.findings))
    assert changed.status is Status.DIFFERS
    assert [f.data["ours"] for f in changed.findings if f.code == "A306"] == ["999"]
    assert by["nf"].status is Status.UNCHECKED
    assert [f.code for f in by["nf"].findings] == ["A334"]
    assert res.service == "crossref-snapshot"
    # the agreement query verified most works without handing their record over, and the
    # check says what it says when every work is looked up and judged
    assert res.stats["requests"] == 0
    snap = Snapshot.open(tmp_path / "snapshot")
    svc = SnapshotService(snap)
    again = check_library(result.library, svc)
    assert svc.stats.extra["snapshot_agreed"] >= len(recorded_messages()) // 2
    every = check_library(result.library, _LookingEveryWorkUp(snap))
    assert [_verdict(w) for w in again.works] == [_verdict(w) for w in every.works]
    assert [_verdict(w) for w in res.works] == [_verdict(w) for w in every.works]
    assert again.findings == every.findings


def test_an_agreed_articles_record_is_still_compared_with_its_reference_list(
        tmp_path: Path) -> None:
    from annobib.model import Reference

    m = next(r for r in recorded_messages() if len(r.get("reference") or ()) > 2)
    article, _ = work_from_crossref({**m, "reference": []}, "article")
    cited = Work(key="cited", type=WorkType.JOURNAL_ARTICLE,
                 title=MultiText(text="A work the deposit does not list"))
    doc = Document(article=article, references=[
        Reference(n=1, source="1. A work the deposit does not list.", work=cited)])
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "article.yaml").write_text(dump_document(doc), encoding="utf-8")
    library = load([lib], lint=False).library
    snap = Snapshot.open(make_snapshot(tmp_path, references=True))
    svc = SnapshotService(snap)
    res = check_library(library, svc)
    assert svc.stats.extra["snapshot_agreed"] == 1  # the article, verified in SQL
    every = check_library(library, _LookingEveryWorkUp(snap))
    assert [_verdict(w) for w in res.works] == [_verdict(w) for w in every.works]
    assert res.findings == every.findings and "A350" in {f.code for f in res.findings}


class _LookingEveryWorkUp(SnapshotService):
    """The snapshot's service without the agreement query: every work looked up and judged."""

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        return lookups_only(self, works, progress)


# --- a killed build resumes -------------------------------------------------------------------


def _build_cmd(sources: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "annobib", "snapshot", "build", str(sources), "-o", str(out),
            "--segment-rows", "400", "--jobs", "1", "--buckets", "4"]


def test_killed_build_resumes_where_it_stopped(tmp_path: Path) -> None:
    sources = tmp_path / "datafile"
    write_data_file(sources, derived_records(0, 6000, references=True), per_file=200)
    out = tmp_path / "snap"
    env = {**os.environ, "ANNOBIB_JOBS": "1"}
    proc = subprocess.Popen(_build_cmd(sources, out), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            committed = len(json.loads(manifest.read_text())["segments"])
        except (FileNotFoundError, ValueError):
            committed = 0
        if committed >= 2:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = json.loads(manifest.read_text())
    assert state["state"] == "building" and 0 < len(state["sources"]) < 30
    done_before = len(state["sources"])
    # a part file of a segment the manifest does not hold: what a kill mid-write leaves
    stray = out / "works" / "bucket=000" / "part-00900.parquet"
    stray.write_bytes(b"half a file")
    again = subprocess.run(_build_cmd(sources, out), env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{done_before} already in it from an interrupted build" in again.stderr
    assert not stray.exists()
    final = json.loads(manifest.read_text())
    assert final["state"] == "complete" and final["records"] == 6000
    assert len(final["sources"]) == 30
    # the resumed snapshot holds exactly what an uninterrupted build holds
    whole = tmp_path / "whole"
    build([sources], whole, BuildOptions(segment_rows=400, jobs=1, buckets=4))
    assert parquet_rows(out) == parquet_rows(whole)
    assert len({d for d, _ in parquet_rows(out)}) == 6000


def test_resume_refuses_a_changed_source(tmp_path: Path) -> None:
    sources = write_data_file(tmp_path / "src", recorded_messages(), per_file=20)
    out = tmp_path / "snap"
    build(sources, out)
    os.utime(sources[0], ns=(1, 1))
    with pytest.raises(SnapshotError, match="changed since"):
        build(sources, out)


def absent_work_library(tmp: Path) -> Path:
    """A library of one work whose DOI the recordings do not hold."""
    lib = tmp / "lib"
    lib.mkdir()
    (lib / "a.yaml").write_text(
        "annobib: 1\nworks:\n  - {key: nf, type: journal-article, title: Not a real work, "
        "doi: 10.1371/notarealdoi}\n", encoding="utf-8")
    return lib


def test_configured_snapshot_is_used_by_check(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    snap = make_snapshot(tmp_path)
    lib = absent_work_library(tmp_path)
    conf = tmp_path / "annobib.toml"
    conf.write_text('snapshot = "snapshot"\n', encoding="utf-8")  # relative to the file
    monkeypatch.setenv("ANNOBIB_CONFIG", str(conf))
    r = runner.invoke(app, ["check", str(lib), "--format", "json", "--on-unreachable", "warn",
                            "--api-url", "http://127.0.0.1:9"])
    assert r.exit_code == 0, r.output
    (work,) = json.loads(r.stdout)["works"]
    assert work["status"] == "unchecked" and work["reason"].startswith("not in the snapshot")
    assert str(snap) in work["reason"] or "snapshot" in work["reason"]


def test_a_doi_absent_from_the_snapshot_is_no_finding_for_fail_on(tmp_path: Path) -> None:
    """A334 is "unchecked": only --on-unreachable decides about it, never --fail-on."""
    snap = make_snapshot(tmp_path)
    lib = absent_work_library(tmp_path)
    args = ["check", str(lib), "--snapshot", str(snap), "--format", "json",
            "--api-url", "http://127.0.0.1:9"]
    warn = runner.invoke(app, [*args, "--fail-on", "warning", "--on-unreachable", "warn"])
    assert warn.exit_code == 0, warn.output
    (work,) = json.loads(warn.stdout)["works"]
    assert work["status"] == "unchecked" and [f["code"] for f in work["findings"]] == ["A334"]
    assert work["findings"][0]["severity"] == "warning"  # a warning, and still not counted
    fail = runner.invoke(app, [*args, "--fail-on", "warning", "--on-unreachable", "fail"])
    assert fail.exit_code == 4, fail.output


# --- the agreement query stands in for the check only where the check finds nothing ----------


def _variants(work: Work, i: int) -> list[Work]:
    """Our side of one recorded record, and versions of it with one field changed (a case, a
    letter, a number, a field taken away), so that some agree with the record and some not."""
    out = [work]
    up = work.model_copy
    if work.title is not None:
        out.append(up(update={"title": work.title.model_copy(
            update={"text": work.title.text.upper()})}))
        out.append(up(update={"title": work.title.model_copy(
            update={"text": work.title.text + "."})}))
        out.append(up(update={"title": None}))
    if work.author:
        first = work.author[0]
        if first.family:
            out.append(up(update={"author": [first.model_copy(
                update={"family": first.family[:-1]}), *work.author[1:]]}))
        if first.given:
            out.append(up(update={"author": [first.model_copy(
                update={"given": first.given[0]}), *work.author[1:]]}))
        out.append(up(update={"author": work.author[:-1]}))
        out.append(up(update={"author": []}))
    if work.issued is not None:
        out.append(up(update={"issued": work.issued.model_copy(
            update={"year": work.issued.year + 1})}))
    for name, value in (("volume", "12a"), ("issue", "0"), ("pages", "1-2"),
                        ("publisher", "Somebody Else"), ("container_title_short", "J. X.")):
        out.append(up(update={name: value}))
        out.append(up(update={name: None}))
    out.append(up(update={"type": WorkType.BOOK if work.type is not WorkType.BOOK
                          else WorkType.REPORT}))
    out.append(up(update={"doi": (work.doi or "").upper()}))
    out.append(up(update={"doi": f" {work.doi}"}))
    return [w.model_copy(update={"key": f"rec{i:02d}v{j:02d}"}) for j, w in enumerate(out)]


def _verdict(res: Any) -> tuple[Any, ...]:
    return (res.status, res.findings, res.matched_title, res.reason, res.location)


def test_agreement_verifies_exactly_where_the_check_would(tmp_path: Path) -> None:
    svc = SnapshotService.open(make_snapshot(tmp_path, buckets=4))
    assert svc.snapshot.check_columns
    works = [v for i, m in enumerate(recorded_messages())
             for v in _variants(work_from_crossref(m, f"rec{i:02d}")[0], i)]
    works.append(Work(key="absent", type=WorkType.JOURNAL_ARTICLE, doi="10.1371/notarealdoi",
                      title=MultiText(text="Not a real work")))
    agreement = svc.agreement(works)
    agreed = set(agreement.agreed)
    lookups = SnapshotService(svc.snapshot).lookup([w.doi for w in works if w.doi])
    for n, work in enumerate(works):
        assert work.doi is not None
        full = judge(work, lookups[work.doi.strip().lower()], None)
        if n in agreed:
            assert _verdict(full) == (Status.VERIFIED, [], AGREED_TITLE, None, None), work.key
        else:
            assert _verdict(judge(work, agreement.lookups[work.doi.strip().lower()], None)) == (
                _verdict(full)), work.key
    # it does stand in for the check: most unchanged works agree; the changed ones mostly not
    unchanged = [n for n, w in enumerate(works) if w.key.endswith("v00")]
    assert len(agreed & set(unchanged)) >= len(unchanged) * 2 // 3
    assert len(works) - len(agreed) >= len(works) // 3
    assert svc.stats.extra["snapshot_agreed"] == len(agreed)


def test_a_snapshot_without_the_check_columns_looks_every_work_up(tmp_path: Path) -> None:
    out = make_snapshot(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["check-columns"]  # as a snapshot built before the columns were added
    (out / "manifest.json").write_text(json.dumps(manifest))
    svc = SnapshotService.open(out)
    works = [work_from_crossref(m, f"rec{i:02d}")[0] for i, m in enumerate(recorded_messages())]
    agreement = svc.agreement(works)
    assert agreement.agreed == [] and len(agreement.lookups) == len(works)
    with pytest.raises(SnapshotError, match="older annobib"):
        build(sorted((tmp_path / "datafile").glob("*.json.gz")), out)


def test_data_file_reader_gives_the_general_readers_rows(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from annobib.sources import snapshot as source

    (path,) = write_data_file(tmp_path / "src", recorded_messages(), per_file=100)
    for references in (False, True):
        fast = source.read_source(path, 8, references)
        with monkeypatch.context() as m:
            m.setattr(source, "_data_file_items", lambda text, refs: None)
            general = source.read_source(path, 8, references)
        assert fast.records == general.records == len(recorded_messages())
        assert [json.loads(r) for r in fast.record] == [json.loads(r) for r in general.record]
        for name in ("doi", "type", "year", "indexed", "bucket", "checks", "token", "token_doi"):
            assert getattr(fast, name) == getattr(general, name), name
        assert fast.sha256 == general.sha256 and not fast.problems
    # the record text is the source's own: a value written with escapes stays as written
    m0 = recorded_messages()[0]
    text = json.dumps({"items": [m0]}, ensure_ascii=True)
    (tmp_path / "escaped.json").write_text(text, encoding="utf-8")
    rows = source.read_source(tmp_path / "escaped.json")
    assert json.loads(rows.record[0]) == kept(m0)
    assert json.dumps(m0["title"], ensure_ascii=True) in rows.record[0]
