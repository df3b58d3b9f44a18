"""Benchmark: the same commands under two copies of ``src/``, interleaved run by run.

One command:  python benchmarks/before_after.py BEFORE_SRC AFTER_SRC [--runs N] [--lib FILE]

Make the copies with ``git archive COMMIT src | tar -x -C DIR``; each side runs this
interpreter with ``PYTHONPATH=DIR/src``, so one venv serves both. Per round, each command
runs once per side, the order alternating, so load on a shared machine falls on both alike.
Prints, per command and side, the median CPU time of the process (user + sys, which load on
a shared machine inflates far less than wall time) and the median wall time, with every run.
``--lib`` is the large library (a YAML file, e.g. what
``annobib import ../shared/corpora/tugboat.bib -o tug.yaml`` writes); ``--bib`` the BibTeX file
it came from, for the import (optional); the formatted export uses the repository's ``data/``.
Used for docs/performance.md, issue 16.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def commands(lib: Path, out: Path, bib: Path | None = None) -> dict[str, list[str]]:
    never = ["--fail-on", "never"]
    cmds = {
        "--help": ["--help"],
        "validate, warm": ["validate", str(lib), *never],
        "validate --no-cache": ["validate", str(lib), "--no-cache", *never],
        "export biblatex, warm": ["export", str(lib), "--to", "biblatex", "-o",
                                  str(out / "out.bib"), *never],
        "export csljson, warm": ["export", str(lib), "--to", "csljson", "-o",
                                 str(out / "out.json"), *never],
        "export html apa, data/": ["export", str(DATA), "--to", "html", "--style", "apa",
                                   "-o", str(out / "out.html"), *never],
    }
    if bib is not None:
        cmds["import bibtex"] = ["import", str(bib), "-o", str(out / "imported.yaml"), "--force",
                                 "-q", *never]
    return cmds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--lib", type=Path, required=True)
    ap.add_argument("--bib", type=Path, default=None)
    ap.add_argument("--only", action="append", default=None,
                    help="run only the commands whose name starts with this (repeatable)")
    args = ap.parse_args()
    sides = {"before": str(args.before), "after": str(args.after)}
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(args.lib, Path(tmp), args.bib)
        if args.only:
            cmds = {k: v for k, v in cmds.items() if any(k.startswith(o) for o in args.only)}
        times: dict[tuple[str, str], list[float]] = {(c, s): [] for c in cmds for s in sides}
        cpu: dict[tuple[str, str], list[float]] = {(c, s): [] for c in cmds for s in sides}
        for i in range(args.runs):
            for name, argv in cmds.items():
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for side in order:
                    env = dict(os.environ, PYTHONPATH=sides[side])
                    start, start_cpu = time.perf_counter(), _children_cpu()
                    done = subprocess.run([sys.executable, "-m", "annobib", *argv], env=env,
                                          capture_output=True, check=False)
                    times[(name, side)].append(time.perf_counter() - start)
                    cpu[(name, side)].append(_children_cpu() - start_cpu)
                    if done.returncode not in (0, 1):
                        print(name, side, done.returncode, done.stderr[-400:].decode())
                        return 1
    for name in cmds:
        for side in sides:
            runs, cpus = times[(name, side)], cpu[(name, side)]
            print(f"{name}: {side} CPU median {statistics.median(cpus):.3f} s "
                  f"({' '.join(f'{t:.2f}' for t in cpus)}); wall median "
                  f"{statistics.median(runs):.3f} s ({' '.join(f'{t:.2f}' for t in runs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
