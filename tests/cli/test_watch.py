"""``annobib export --watch``: an edit to a data file is exported again by the warm engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from annobib.tasks.watch import RUNS_ENV, changed, snapshot, watch

DATA = Path(__file__).resolve().parents[2] / "data"
OLD = "China has a military base in Tajikistan"  # a reference title in data/tomberg2022.yaml
NEW = "A title edited while annobib watched"


def _start(tmp_path: Path, runs: int) -> tuple[subprocess.Popen[str], Path, Path]:
    """The watch in a subprocess; its stderr goes to ``tmp_path/stderr.txt`` (read as it runs)."""
    copy = tmp_path / "data-copy"
    shutil.copytree(DATA, copy)
    out = tmp_path / "out.html"
    env = {**os.environ, RUNS_ENV: str(runs)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "annobib", "export", "data-copy/", "--to", "html",
         "--style", "apa", "-o", "out.html", "--watch"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE,
        stderr=(tmp_path / "stderr.txt").open("w", encoding="utf-8"), text=True)
    return proc, copy / "tomberg2022.yaml", out


def _wait_for(pred: Callable[[], bool], proc: subprocess.Popen[str], what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not pred():
        if proc.poll() is not None:
            raise AssertionError(f"watch ended before {what}: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"no {what} within {limit} s: {proc.communicate()}")
        time.sleep(0.1)


def test_an_edited_title_is_exported_again(tmp_path: Path) -> None:
    proc, record, out = _start(tmp_path, runs=2)
    _wait_for(out.exists, proc, "first export")
    first = out.read_text(encoding="utf-8")
    assert OLD in first and NEW not in first
    text = record.read_text(encoding="utf-8")
    assert text.count(OLD) >= 1
    record.write_text(text.replace(OLD, NEW), encoding="utf-8")
    proc.communicate(timeout=120)
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert proc.returncode == 0, stderr
    second = out.read_text(encoding="utf-8")
    assert NEW in second and OLD not in second
    assert "1 file(s) changed" in stderr
    # the warm engine gives what a cold export of the edited copy gives (order, numbers, text)
    cold = subprocess.run(
        [sys.executable, "-m", "annobib", "export", "data-copy/", "--to", "html",
         "--style", "apa", "-o", "cold.html"], cwd=tmp_path, capture_output=True, text=True)
    assert cold.returncode == 0, cold.stderr
    assert (tmp_path / "cold.html").read_text(encoding="utf-8") == second


def test_a_yaml_error_is_reported_and_watching_goes_on(tmp_path: Path) -> None:
    proc, record, out = _start(tmp_path, runs=3)
    _wait_for(out.exists, proc, "first export")
    good = record.read_text(encoding="utf-8")
    broken = good.replace("annobib: 1\n", "annobib: 1\narticle: [unclosed\n", 1)
    assert broken != good
    record.write_text(broken, encoding="utf-8")
    log = tmp_path / "stderr.txt"
    # the broken run is reported and leaves out.html alone; the loop is still there
    _wait_for(lambda: "not written" in log.read_text(encoding="utf-8"), proc, "the broken run")
    assert proc.poll() is None
    assert NEW not in out.read_text(encoding="utf-8")
    record.write_text(good.replace(OLD, NEW), encoding="utf-8")
    proc.communicate(timeout=120)
    stderr = log.read_text(encoding="utf-8")
    assert proc.returncode == 0, stderr
    assert "tomberg2022.yaml:" in stderr  # the YAML error, at its file and line
    assert "not written" in stderr
    assert NEW in out.read_text(encoding="utf-8")


def test_snapshot_sees_edits_additions_and_removals(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one", encoding="utf-8")
    before = snapshot([tmp_path])
    (tmp_path / "a.yaml").write_text("one two", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("x", encoding="utf-8")
    after = snapshot([tmp_path])
    assert changed(before, after) == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    (tmp_path / "b.yaml").unlink()
    assert changed(after, snapshot([tmp_path])) == [str(tmp_path / "b.yaml")]
    assert changed(after, after) == []


def test_ctrl_c_ends_the_loop_without_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one", encoding="utf-8")
    calls: list[list[str]] = []

    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    runs = watch([tmp_path], calls.append, sleep=interrupt)
    assert runs == 1 and calls == [[]]


def test_a_bad_run_bound_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    for bad in ("0", "x", "-1"):
        proc = subprocess.run(
            [sys.executable, "-m", "annobib", "export", str(DATA), "--to", "csljson",
             "-o", str(tmp_path / "out.json"), "--watch"],
            env={**os.environ, RUNS_ENV: bad}, capture_output=True, text=True, timeout=120,
            check=False)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"{RUNS_ENV} must be a positive number of runs, not {bad!r}" in proc.stderr


# --- what a re-export does again: files read, items made, entries rendered -----------------


def test_the_reloader_reads_again_only_the_files_that_changed(tmp_path: Path) -> None:
    from annobib.api import load
    from annobib.tasks.watch import Reloader

    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    reloader = Reloader([copy])
    first = reloader.load()
    assert sorted(reloader.last_read) == sorted(str(p) for p in copy.glob("*.yaml"))
    kept = {d.path: d for d in first.library.documents}
    assert reloader.load().library.works() == first.library.works()
    assert reloader.last_read == []  # nothing changed: nothing read
    record = copy / "tomberg2022.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    (copy / "extra.yaml").write_text("annobib: 1\nworks:\n  - {key: extra1, type: book}\n",
                                     encoding="utf-8")
    again = reloader.load()
    assert sorted(reloader.last_read) == [str(copy / "extra.yaml"), str(record)]
    other = str(copy / "mukimdzhanova2004.yaml")
    assert next(d for d in again.library.documents if d.path == other) is kept[other]
    # the same library and findings as a cold load of the edited files
    cold = load([copy], use_cache=False)
    assert again.library.works() == cold.library.works()
    assert [str(f) for f in again.findings] == [str(f) for f in cold.findings]
    (copy / "extra.yaml").unlink()
    assert "extra1" not in reloader.load().library.by_key()


def test_unchanged_records_keep_their_csl_items() -> None:
    from annobib.api import load
    from annobib.exporters.formatted import csl_items

    works = load([DATA], lint=False, use_cache=False).library.works()
    memo: dict[str, object] = {}
    first = csl_items(works, None, memo)
    edited = [works[0].model_copy(update={"volume": "99"}), *works[1:]]
    second = csl_items(edited, None, memo)
    assert second == csl_items(edited)  # what a cold export makes
    assert second[0] is not first[0] and second[0]["volume"] == "99"
    assert all(a is b for a, b in zip(first[1:], second[1:], strict=True))


def test_a_warm_engine_renders_again_only_what_changed_and_gives_the_cold_text() -> None:
    import copy

    from annobib.api import load
    from annobib.exporters.formatted import csl_items
    from annobib.styles import Formatter

    base = csl_items(load([DATA], lint=False, use_cache=False).library.works())

    def edits() -> list[tuple[str, list[dict[str, object]]]]:
        a = copy.deepcopy(base)
        a[3]["title"] = "An edited title"
        b = copy.deepcopy(a)  # sorted first now: the order of every entry changes
        b[5]["author"] = [{"family": "Aaaa", "given": "Zed"}]
        c = copy.deepcopy(b)  # the same author and year as another record: year suffixes
        c[7]["author"] = copy.deepcopy(c[0].get("author"))
        c[7]["issued"] = copy.deepcopy(c[0].get("issued"))
        d = copy.deepcopy(c)
        d[7]["issued"] = {"date-parts": [[1901]]}
        return [("title", a), ("order", b), ("collide", c), ("apart", d),
                ("back", copy.deepcopy(base))]

    # numbered (ieee), author-date, and styles whose entries depend on one another
    # (subsequent-author-substitute, second-field-align: rendered in full)
    for style in ("apa", "chicago-author-date", "ieee", "harvard-cite-them-right"):
        with Formatter() as warm:
            warm.reuse = True
            warm.bibliography(base, style, None, "html")
            for what, items in edits():
                got = warm.bibliography(items, style, None, "html")
                with Formatter() as fresh:
                    cold = fresh.bibliography(items, style, None, "html")
                assert (got.ids, got.entries, got.meta) == (cold.ids, cold.entries, cold.meta), \
                    (style, what)
                if style == "apa" and what == "title":
                    assert warm.last_rendered is not None and warm.last_rendered <= 3
