"""Benchmark: ``export --watch``'s re-export after a one-record edit, against a cold export and
pandoc, formatted APA HTML.

One command:  python benchmarks/watch_export.py [--bib PATH] [--size 1000] [--runs N]
              [--baseline-src DIR] [--edit-at middle|end] [--timeout S]

Sets: the shipped ``data/`` (copied to a temporary directory) and the first ``--size`` entries
of ``../shared/corpora/bvitamins-prl-neurips-icml.bib`` written as one annobib YAML file (the
plain field mapping of ``benchmarks/format_csl.py``; skipped when the corpus is absent). Per set,
round robin, ``--runs`` times (default 3):

- **watch re-export**: one ``annobib export DIR --to html --style apa -o OUT --watch`` process
  per set (and one per ``--baseline-src`` checkout: the code before the change, run with
  ``PYTHONPATH=DIR/src``, interleaved with it). A record's title is edited (a new text each
  time, so no cache holds it) and the benchmark waits for OUT to be replaced. Reported: the
  re-export's wall time (from the watch's "file(s) changed" line on stderr to OUT replaced;
  the poll interval, up to 0.25 s, is before it and reported apart as "edit -> output"), and
  the process's CPU time over the run (user + system of all its threads, from
  ``/proc/PID/task/*/schedstat``, less the idle polling rate measured before the edit).
- **cold export**: ``annobib export DIR --to html --style apa -o FILE --no-cache`` of the
  edited set, a whole process (GNU ``time``: wall, CPU). Its output is the reference: the
  watch's OUT must be byte-identical to it (reported per run).
- **pandoc**: ``pandoc --citeproc`` with the same apa.csl on the CSL-JSON annobib exports for
  the set (``nocite: '@*'``), to HTML, a whole process (skipped when pandoc is not installed).

Prints each run, medians and ratios (> 1: the watch re-export is faster), and a Markdown table
for docs/performance.md. Skips cleanly (exit 0 with a message) when the APA style is missing.
The machine's load is printed before and after: compare CPU seconds on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from format_csl import DEFAULT_BIB, convert, find_pandocs, run, write_inputs  # noqa: E402

#: a title in data/tomberg2022.yaml (as tests/cli/test_watch.py edits it)
DATA_TITLE = "China has a military base in Tajikistan"


@dataclass
class Watcher:
    """One ``export --watch`` process and what it printed, each line with when it came."""

    label: str
    proc: subprocess.Popen[bytes]
    out: Path
    lines: list[tuple[float, str]] = field(default_factory=list)

    def start_reader(self) -> None:
        def read() -> None:
            assert self.proc.stderr is not None
            for raw in self.proc.stderr:
                self.lines.append((time.perf_counter(), raw.decode("utf-8", "replace")))

        threading.Thread(target=read, daemon=True).start()

    def cpu(self) -> float:
        """CPU seconds of every thread of the process (schedstat: nanoseconds on a CPU)."""
        total = 0
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1e9

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _wait(pred: object, timeout: float, what: str) -> float:
    deadline = time.perf_counter() + timeout
    while True:
        if pred():  # type: ignore[operator]
            return time.perf_counter()
        if time.perf_counter() > deadline:
            sys.exit(f"no {what} within {timeout:.0f} s")
        time.sleep(0.002)


def start_watch(label: str, src: Path | None, data: Path, work: Path,
                timeout: float) -> Watcher:
    out = work / f"watch-{label}.html"
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    proc = subprocess.Popen(
        [sys.executable, "-m", "annobib", "export", str(data), "--to", "html", "--style", "apa",
         "-o", str(out), "--watch", "--fail-on", "never"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    w = Watcher(label, proc, out)
    w.start_reader()
    _wait(lambda: out.exists() or proc.poll() is not None, timeout, f"first export ({label})")
    if proc.poll() is not None:
        sys.exit(f"watch ({label}) ended: {''.join(t for _, t in w.lines)[-2000:]}")
    return w


@dataclass
class Rerun:
    wall: float  # "changed" line -> output replaced
    latency: float  # edit -> output replaced
    cpu: float
    identical: bool | None = None


def rerun(w: Watcher, record: Path, old: str, new: str, timeout: float) -> Rerun:
    """Edit ``record`` (``old`` -> ``new``) and time the watch's re-export."""
    _wait(lambda: time.perf_counter() - (w.lines[-1][0] if w.lines else 0) > 0.6, timeout,
          f"quiet ({w.label})")  # the previous run's last writes; then the idle polling rate
    c0, t0 = w.cpu(), time.perf_counter()
    time.sleep(1.0)
    idle = (w.cpu() - c0) / (time.perf_counter() - t0)
    before = _stamp(w.out)
    seen = len(w.lines)
    text = record.read_text(encoding="utf-8")
    assert old in text, old
    # saved as an editor saves: written beside the watched tree, then renamed over the record,
    # so the watch sees one change (a write in place can be seen half done: two runs)
    spare = record.parent.parent / f".{record.name}.edit"
    spare.write_text(text.replace(old, new, 1), encoding="utf-8")
    cpu0 = w.cpu()
    t_edit = time.perf_counter()
    os.replace(spare, record)
    t_done = _wait(lambda: _stamp(w.out) != before, timeout, f"re-export ({w.label})")
    cpu1 = w.cpu()
    changed = next((t for t, line in w.lines[seen:] if "changed" in line), t_edit)
    return Rerun(wall=t_done - changed, latency=t_done - t_edit,
                 cpu=max(0.0, cpu1 - cpu0 - idle * (t_done - t_edit)))


def _med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def bench_set(name: str, data: Path, record: Path, title: str, work: Path, args: argparse.Namespace,
              pandoc: str | None, style: Path) -> dict[str, object]:
    print(f"\n{name}", flush=True)
    tag = "".join(c for c in name.split("(")[0] if c.isalnum())
    # each watcher watches a copy of its own: an edit is seen by one of them only
    copies: dict[str, Path] = {}
    watchers = []
    for code, src in (("after", None), ("before", args.baseline_src)):
        if code == "before" and not src:
            continue
        label = f"{tag}-{code}"
        copies[label] = work / label
        shutil.copytree(data, copies[label])
        watchers.append(start_watch(label, Path(src) / "src" if src else None, copies[label],
                                    work, args.timeout))
    current = {w.label: title for w in watchers}
    md = work / "nocite.md"
    md.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    results: dict[str, list[Rerun]] = {w.label: [] for w in watchers}
    cold: list[tuple[float, float]] = []
    pand: list[tuple[float, float]] = []
    annobib = [sys.executable, "-m", "annobib"]
    try:
        for i in range(args.runs):
            for w in watchers:
                new = f"{title} (edited {w.label} {i})"
                mine = copies[w.label]
                r = rerun(w, mine / record.relative_to(data), current[w.label], new, args.timeout)
                current[w.label] = new
                # the cold export of the same edited files is the reference
                ref = work / f"cold-{tag}.html"
                got = run([*annobib, "export", str(mine), "--to", "html", "--style", "apa",
                           "--no-cache", "--fail-on", "never", "-o", str(ref)], args.timeout)
                assert got is not None
                cold.append((got[0], got[2]))
                r.identical = ref.read_bytes() == w.out.read_bytes()
                results[w.label].append(r)
                print(f"  {w.label:<28} re-export {r.wall:6.3f} s (edit -> output {r.latency:6.3f}"
                      f" s), cpu {r.cpu:6.3f} s, identical to cold: {r.identical}; cold export "
                      f"{got[0]:6.2f} s cpu {got[2]:6.2f} s", flush=True)
            if pandoc:
                items = work / f"{tag}.json"
                subprocess.run([*annobib, "export", str(data), "--to", "csljson", "-o", str(items),
                                "--fail-on", "never"], check=True, stderr=subprocess.DEVNULL)
                got = run([pandoc, "--citeproc", "--csl", str(style), "--bibliography", str(items),
                           "-t", "html", "-o", os.devnull, str(md)], args.timeout)
                assert got is not None
                pand.append((got[0], got[2]))
                print(f"  {'pandoc --citeproc':<28} {got[0]:6.2f} s cpu {got[2]:6.2f} s",
                      flush=True)
    finally:
        for w in watchers:
            w.stop()
    return {"watch": results, "cold": cold, "pandoc": pand}


def report(name: str, res: dict[str, object]) -> list[str]:
    watch = res["watch"]
    cold = res["cold"]
    pand = res["pandoc"]
    assert isinstance(watch, dict) and isinstance(cold, list) and isinstance(pand, list)
    cold_wall, cold_cpu = _med([c[0] for c in cold]), _med([c[1] for c in cold])
    rows = []
    for label, runs in watch.items():
        wall, cpu = _med([r.wall for r in runs]), _med([r.cpu for r in runs])
        lat = _med([r.latency for r in runs])
        same = all(r.identical for r in runs)
        ratio_cold = f"{cold_wall / wall:.1f} / {cold_cpu / cpu:.1f}" if wall and cpu else "-"
        if pand:
            p_wall, p_cpu = _med([p[0] for p in pand]), _med([p[1] for p in pand])
            ratio_p = f"{p_wall / wall:.1f} / {p_cpu / cpu:.1f}" if wall and cpu else "-"
            p_cell = f"{p_wall:.2f} s (cpu {p_cpu:.2f} s)"
        else:
            ratio_p, p_cell = "-", "skipped (no pandoc)"
        rows.append(f"| {name} | {label.rsplit('-', 1)[1]} | {wall:.3f} s (cpu {cpu:.3f} s; edit "
                    f"-> output {lat:.3f} s) | {'yes' if same else '**no**'} | {cold_wall:.2f} s "
                    f"(cpu {cold_cpu:.2f} s) | {p_cell} | {ratio_cold} | {ratio_p} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--bib", type=Path, default=DEFAULT_BIB)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--edit-at", choices=("middle", "end"), default="middle",
                    help="which record of the large set is edited")
    ap.add_argument("--baseline-src", help="a checkout of the code before (its src/ is used)")
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args()
    from annobib.styles.catalog import resolve_style

    try:
        style = resolve_style("apa").path
    except Exception as exc:
        print(f"skipped: no APA style ({exc})")
        return
    pandocs = find_pandocs(None)
    pandoc = pandocs[0][1] if pandocs else None
    if pandoc is None:
        print("skipped peer: pandoc not found")
    print(f"load before: {os.getloadavg()}")
    work = Path(tempfile.mkdtemp(prefix="annobib-watch-bench-"))
    sets = []
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    sets.append(("data/ (46 records)", data, data / "tomberg2022.yaml", DATA_TITLE))
    if args.bib.exists():
        works = convert(args.bib, args.size)
        big = work / "big"
        big.mkdir()
        y, _ = write_inputs(works, big, "bv", len(works))
        at = len(works) // 2 if args.edit_at == "middle" else len(works) - 1
        written = y.read_text(encoding="utf-8")
        title = next(w.title.text for w in works[at:]
                     if w.title is not None and f"title: {w.title.text}\n" in written)
        sets.append((f"{len(works):,} items ({args.edit_at} record edited)", big, y, title))
    else:
        print(f"skipped set: corpus {args.bib} not found (it lives in ../shared/corpora/)")
    rows = []
    for name, d, record, title in sets:
        rows.extend(report(name, bench_set(name, d, record, title, work, args, pandoc, style)))
    print(f"\nload after: {os.getloadavg()}")
    print("\n| set | code | watch re-export, median | = cold | cold export | pandoc --citeproc "
          "| cold ÷ watch, wall / cpu | pandoc ÷ watch, wall / cpu |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
