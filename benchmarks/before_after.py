"""Benchmark: the same commands under two copies of ``src/``, interleaved run by run.

One command:

    python benchmarks/before_after.py BEFORE_SRC AFTER_SRC --lib FILE [--lib FILE ...]
        [--bib FILE] [--runs N] [--cold] [--only NAME]

Make the copies with ``git archive COMMIT src | tar -x -C DIR`` and pass ``DIR/src``; each side
runs this interpreter with ``PYTHONPATH`` pointing at its copy, so one venv serves both, and
has a cache directory of its own. ``--lib`` is a large library (a YAML file, e.g. what
``annobib import ../shared/corpora/tugboat.bib -o tug.yaml`` writes; repeatable); ``--bib`` the
BibTeX file for the import (optional); the formatted export uses the repository's ``data/``.

Per library: ``validate`` warm and with ``--no-cache``, the BibLaTeX and CSL-JSON exports warm,
``check --offline`` warm (no evidence: every DOI unchecked, so every work's finding asks for
its position); with ``--cold`` also ``validate`` and both exports with the side's cache
emptied first. "Warm": each side ran every command once before the timed rounds, so its cache
holds the files. Per round, each command runs once per side, the order alternating, so load on
a shared machine falls on both alike.

Prints the load average, then per command and side the median CPU time of the process (user +
sys with the workers it waited for, which load on a shared machine inflates far less than wall
time) and the median wall time, with every run, and a hash of what the command wrote (before
and after must agree). Used for docs/performance.md, issues 12 and 16.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
NEVER = ["--fail-on", "never"]


@dataclass(frozen=True)
class Command:
    argv: list[str]
    output: Path | None = None  # the file it writes (hashed), else its stdout and stderr are
    cold: bool = False  # the side's cache is emptied before each run


def _library_commands(lib: Path, out: Path, cold: bool) -> dict[str, Command]:
    name = lib.stem
    bib, csl = out / f"{name}.bib", out / f"{name}.json"
    validate = ["validate", str(lib), *NEVER]
    export_bib = ["export", str(lib), "--to", "biblatex", "-o", str(bib), *NEVER]
    export_csl = ["export", str(lib), "--to", "csljson", "-o", str(csl), *NEVER]
    cmds = {
        f"validate, warm, {name}": Command(validate),
        f"validate --no-cache, {name}": Command([*validate, "--no-cache"]),
        f"export biblatex, warm, {name}": Command(export_bib, bib),
        f"export csljson, warm, {name}": Command(export_csl, csl),
        f"check --offline, warm, {name}": Command(
            ["check", str(lib), "--offline", "--evidence", str(out / "no-evidence"),
             "--on-unreachable", "pass", "--format", "json", *NEVER]),
    }
    if cold:
        cmds[f"validate, cold, {name}"] = Command(validate, cold=True)
        cmds[f"export biblatex, cold, {name}"] = Command(export_bib, bib, cold=True)
        cmds[f"export csljson, cold, {name}"] = Command(export_csl, csl, cold=True)
    return cmds


def commands(libs: list[Path], out: Path, bib: Path | None = None,
             cold: bool = False) -> dict[str, Command]:
    cmds = {"--help": Command(["--help"])}
    for lib in libs:
        cmds.update(_library_commands(lib, out, cold))
    html = out / "data.html"
    cmds["export html apa, data/"] = Command(
        ["export", str(DATA), "--to", "html", "--style", "apa", "-o", str(html), *NEVER], html)
    if bib is not None:
        imported = out / "imported.yaml"
        cmds["import bibtex"] = Command(
            ["import", str(bib), "-o", str(imported), "--force", "-q", *NEVER], imported)
    return cmds


@dataclass(frozen=True)
class Run:
    cpu: float
    wall: float
    digest: str


def run(src: str, cmd: Command, cache: Path) -> Run:
    if cmd.cold:
        shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=src, ANNOBIB_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "annobib", *cmd.argv], env=env,
                          capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd.argv}: exit {done.returncode}\n{done.stderr[-600:].decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    body = cmd.output.read_bytes() if cmd.output is not None else done.stdout + done.stderr
    return Run(cpu, wall, hashlib.sha1(body).hexdigest()[:10])


def _row(name: str, side: str, runs: list[Run]) -> str:
    cpus = [r.cpu for r in runs]
    walls = [r.wall for r in runs]
    digests = ",".join(sorted({r.digest for r in runs}))
    return (f"{name} | {side} | CPU median {statistics.median(cpus):.3f} s "
            f"({' '.join(f'{c:.2f}' for c in cpus)}) | wall median "
            f"{statistics.median(walls):.3f} s ({' '.join(f'{w:.2f}' for w in walls)}) | "
            f"output {digests}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--lib", type=Path, action="append", required=True)
    ap.add_argument("--bib", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--cold", action="store_true",
                    help="also validate and export with an emptied cache")
    ap.add_argument("--only", action="append", default=None,
                    help="run only the commands whose name starts with this (repeatable)")
    args = ap.parse_args()
    sides = {"before": args.before, "after": args.after}
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        caches = {side: tmp / f"cache-{side}" for side in sides}
        cmds = commands(args.lib, tmp, args.bib, args.cold)
        if args.only:
            cmds = {k: v for k, v in cmds.items() if any(k.startswith(o) for o in args.only)}
        for cmd in cmds.values():  # warm-up, not timed: each side's cache holds the files
            for side, src in sides.items():
                run(src, cmd, caches[side])
        runs: dict[tuple[str, str], list[Run]] = {(c, s): [] for c in cmds for s in sides}
        for i in range(args.runs):
            for name, cmd in cmds.items():
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for side in order:
                    runs[(name, side)].append(run(sides[side], cmd, caches[side]))
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name in cmds:
        for side in sides:
            print(_row(name, side, runs[(name, side)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
