"""BibTeX/BibLaTeX export on two processes: the same text and findings as on one.

The reference is the plain sequential path (each work built with its record's position, all
written in one call of the writer); the export is forced through the forked worker and must
match it byte for byte, findings included, in the same order.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from annobib import runtime, workers
from annobib.codecs.bibfields import Dialect
from annobib.exporters import ExportOptions, export
from annobib.exporters.biblatex import build_entry, render
from annobib.findings import Finding
from annobib.model.library import Library, SourceIndex
from annobib.sources.located import read_located
from annobib.sources.yaml import load_paths, positions, store_positions

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the worker is forked (Linux)")

TYPES = ["journal-article", "book", "chapter", "conference-paper", "web-page", "report",
         "thesis", "dataset", "misc", "newspaper-article"]
NAMES = ["Kuzmina, E. M.", "{ООН}", "de la Cruz, Juan", "Müller, Jürgen", "O'Brien, Pat",
         "Smith & Sons", "van Beethoven, Ludwig", "Ng"]


def work(i: int) -> dict[str, Any]:
    """A varied record: entry types that fall back, names to escape, fields a type lacks."""
    t = TYPES[i % len(TYPES)]
    w: dict[str, Any] = {"key": f"w{i:05d}", "type": t, "title": f"Title {i} of the DNA & RNA"}
    if i % 3:
        w["author"] = [NAMES[(i + k) % len(NAMES)] for k in range(1 + i % 4)]
    if i % 5 == 0:
        w["editor"] = [NAMES[i % len(NAMES)]]
    if i % 4 != 1:
        w["container-title"] = f"Journal {i % 17}"
    if i % 7:
        w["issued"] = f"{1990 + i % 30}-{1 + i % 12:02d}"
    if i % 2:
        w["pages"] = f"{i}–{i + 9}"
        w["volume"] = str(i % 40)
    if i % 6 == 0:
        w["publisher"] = "Pub & Co"
        w["genre"] = "Technical report"
    if i % 9 == 0:
        w["url"] = f"https://example.org/{i}?a=1&b={{x}}"
    if i % 11 == 0:
        w["doi"] = f"10.1000/{i}"
        w["isbn"] = ["978-3-16-148410-0", "0-306-40615-2"]
    if i % 13 == 0:
        w["language"] = "ru"
        w["title"] = {"text": f"Заголовок {i}", "lang": "ru",
                      "translated": {"text": f"Heading {i}", "lang": "en"}}
    if i % 8 == 0:
        w["annotation"] = {"summary": f"Summary $x^{i}$", "evaluation": "Good", "tags": ["t"]}
    if i % 10 == 0:
        w["page-count"] = "300"
        w["license"] = "CC BY 4.0"
    return w


def write_library(folder: Path, n: int) -> list[Path]:
    """Two files: an article citing (by key and inline) works of the second, then standalone
    works, so the library's order and first-definition rules are exercised."""
    works = [work(i) for i in range(n)]
    article = {
        "annobib": 1,
        "article": {"key": "citing", "type": "journal-article", "title": "The citing one",
                    "container-title": "J", "issued": "2020", "author": ["Doe, J."]},
        "references": [
            {"n": 1, "source": "1. cited by key", "ref": works[n - 1]["key"]},
            {"n": 2, "source": "2. inline", "work": work(n)},
            {"n": 3, "source": "3. cited by key", "ref": works[5]["key"]},
        ],
    }
    a = folder / "a.yaml"
    b = folder / "b.yaml"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for path, data in ((a, article), (b, {"annobib": 1, "works": works})):
        text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return [a, b]


def sequential(library: Library, dialect: Dialect, options: ExportOptions) -> tuple[str, list[
        Finding]]:
    """The one-process reference: what the exporter did before it used a second core."""
    works = library.works()
    if options.keys is not None:
        works = [w for w in works if w.key in set(options.keys)]
    entries = [build_entry(w, dialect=dialect, ascii=options.ascii,
                           location=library.origin(w.key)) for w in works]
    return render(entries), [f for e in entries for f in e.findings]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_library(tmp_path_factory.mktemp("library"), 3000)


@linux_only
@pytest.mark.parametrize(("dialect", "ascii_only"),
                         [("biblatex", False), ("biblatex", True), ("bibtex", False)])
def test_forked_export_is_identical(
    files: list[Path], dialect: Dialect, ascii_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "fork_allowed", lambda: True)
    options = ExportOptions(ascii=ascii_only)
    expected_text, expected_findings = sequential(load_paths(files).library, dialect, options)
    # 3,002 records: the article, the one inline in its list, the 3,000 works
    assert expected_text.count("\n@") + 1 == 3002
    assert len(expected_findings) > 3000  # most records lose something: locations matter

    for _ in ("cold", "warm"):  # the second load reads the cache: records built on demand
        library = load_paths(files, positions=True).library
        result = export(library, dialect, options)
        assert workers.LAST["worker_chunks"] > 0  # the worker really did part of it
        assert result.text == expected_text
        assert result.findings == expected_findings
        assert all(f.location is not None and f.location.line for f in result.findings)


@linux_only
def test_selected_keys_and_small_libraries(files: list[Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "fork_allowed", lambda: True)
    keys = [f"w{i:05d}" for i in range(0, 3000, 2)]
    options = ExportOptions(keys=keys)
    library = load_paths(files).library
    expected = sequential(library, "biblatex", options)
    result = export(load_paths(files).library, "biblatex", options)
    assert (result.text, result.findings) == expected
    # under MIN_ITEMS records: no worker
    small = ExportOptions(keys=keys[:10])
    result = export(library, "biblatex", small)
    assert workers.LAST["worker_chunks"] == 0
    assert (result.text, result.findings) == sequential(library, "biblatex", small)


@linux_only
def test_a_failing_worker_changes_nothing(files: list[Path],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the worker does not deliver, the calling process does itself."""
    monkeypatch.setattr(runtime, "fork_allowed", lambda: True)
    library = load_paths(files).library
    expected = sequential(library, "biblatex", ExportOptions())
    parent = os.getpid()

    from annobib.exporters import biblatex

    real = biblatex.build_entry
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            calls["n"] += 1
            if calls["n"] > 500:  # after a chunk or so
                os._exit(3)  # dies without a word
        return real(*args, **kwargs)

    monkeypatch.setattr(biblatex, "build_entry", flaky)
    result = export(library, "biblatex", ExportOptions())
    assert (result.text, result.findings) == expected

    def raising(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("worker trouble")
        return real(*args, **kwargs)

    monkeypatch.setattr(biblatex, "build_entry", raising)
    result = export(library, "biblatex", ExportOptions())
    assert (result.text, result.findings) == expected
    assert workers.LAST["worker_chunks"] == 0


def test_positions_noted_while_reading_are_the_located_readers(
    files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the reference: positions from the reader that locates every node
    def located_index(path: Path) -> SourceIndex:
        text = path.read_text(encoding="utf-8")
        loc = read_located(text, str(path))
        index = SourceIndex()
        positions.collect_origins(loc.data, (), loc, index, str(path))
        return index

    expected = [located_index(p) for p in files]
    assert sum(len(i.fields) for i in expected) > 20_000
    cold = load_paths(files, use_cache=False, positions=True).library.documents
    assert [d.index for d in cold] == expected
    cached = load_paths(files, positions=True).library.documents  # stores them in the cache
    assert [d.index for d in cached] == expected
    warm = load_paths(files).library.documents  # reads them from the cache
    assert all(d.has_document for d in warm)  # the load read them: the model reads nothing
    assert [d.index for d in warm] == expected
    # not asked for: worked out when first needed, cached when the caller asks the loader
    monkeypatch.setenv("ANNOBIB_CACHE_DIR", str(tmp_path / "fresh-cache"))
    lazy = load_paths(files)
    assert [d.index for d in lazy.library.documents] == expected
    assert not list((tmp_path / "fresh-cache").rglob("*.index"))
    store_positions(lazy)
    again = load_paths(files)
    assert [d.index for d in again.library.documents] == expected
    assert len(list((tmp_path / "fresh-cache").rglob("*.index"))) == 2


def test_map_chunks_keeps_order_in_either_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(range(5003))
    expected = [sum(c) for c in workers.chunks(items)]
    ran: list[str] = []
    assert workers.map_chunks(items, sum, parallel=False, first=lambda: ran.append("x")) == (
        expected)
    if sys.platform == "linux":
        assert workers.map_chunks(items, sum, parallel=True,
                                   first=lambda: ran.append("y")) == expected
        assert ran == ["x", "y"]
        # more workers than one, and a piece per item: still in order
        assert workers.map_chunks(items[:40], sum, parallel=True, size=1, processes=4) == (
            items[:40])
        assert workers.LAST["own_chunks"] + workers.LAST["worker_chunks"] == 40
    assert workers.map_chunks([], sum, parallel=True) == []


def test_one_job_or_threads_mean_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOBIB_JOBS", "1")
    assert not runtime.fork_allowed()
    monkeypatch.delenv("ANNOBIB_JOBS")
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not runtime.fork_allowed()
    finally:
        stop.set()
        t.join()


@linux_only
def test_csljson_on_two_cores_is_identical(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    library = load_paths(files).library
    monkeypatch.setattr(runtime, "fork_allowed", lambda: False)
    one = export(library, "csljson", ExportOptions())
    assert workers.LAST["worker_chunks"] == 0
    monkeypatch.setattr(runtime, "fork_allowed", lambda: True)
    two = export(library, "csljson", ExportOptions())
    assert workers.LAST["worker_chunks"] > 0  # the worker really did part of it
    assert two.text == one.text
    assert two.findings == one.findings
    assert one.text.count("\n") == 3002 + 2  # "[", one line per record, "]"


def test_queued_work_done_by_the_first_worker_or_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    marks = tmp_path / "marks"

    def task() -> None:
        with marks.open("a") as f:
            f.write(f"{'parent' if os.getpid() == parent else 'worker'}\n")

    items = list(range(4000))
    expected = [sum(c) for c in workers.chunks(items)]
    # no worker: the task waits for finish_later
    runtime.later(task)
    assert workers.map_chunks(items, sum, parallel=False) == expected
    assert not marks.exists()
    runtime.finish_later()
    assert marks.read_text() == "parent\n"
    assert not runtime.pending()
    if sys.platform != "linux":
        return
    marks.unlink()
    runtime.later(task)
    assert workers.map_chunks(items, sum, parallel=True) == expected
    assert marks.read_text() == "worker\n"
    assert not runtime.pending()  # done: finish_later has nothing left
    runtime.finish_later()
    assert marks.read_text() == "worker\n"

    # a worker that fails after the task: the task is done again here, never lost
    marks.unlink()

    def fails_in_worker(c: Any) -> int:
        if os.getpid() != parent:
            raise RuntimeError("worker trouble")
        time.sleep(0.05)  # leave the worker pieces to take
        return sum(c)

    runtime.later(task)
    assert workers.map_chunks(items, fails_in_worker, parallel=True) == expected
    assert len(runtime.pending()) == 1
    runtime.finish_later()
    assert marks.read_text() == "worker\nparent\n"


@linux_only
def test_cold_export_stores_the_cache_from_its_worker(
    files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("ANNOBIB_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(runtime, "fork_allowed", lambda: True)
    loaded = load_paths(files, defer_cache=True)
    assert len(runtime.pending()) == 2  # both files, validated, not stored yet
    assert not list(cache_dir.rglob("*.data"))
    deferred = export(loaded.library, "biblatex", ExportOptions())
    assert not runtime.pending()
    assert len(list(cache_dir.rglob("*.data"))) == 2  # stored by the worker
    # the next load is warm and the export the same
    monkeypatch.setattr(runtime, "fork_allowed", lambda: False)
    warm = load_paths(files)
    assert export(warm.library, "biblatex", ExportOptions()).text == deferred.text
    assert warm.findings == loaded.findings
