"""Benchmark: the same commands under two copies of ``src/``, interleaved run by run.

One command:  python benchmarks/before_after.py BEFORE_SRC AFTER_SRC [--runs N] [--lib FILE]

Make the copies with ``git archive COMMIT src | tar -x -C DIR``; each side runs this
interpreter with ``PYTHONPATH=DIR/src``, so one venv serves both. Per round, each command
runs once per side, the order alternating, so load on a shared machine falls on both alike.
Prints the median and every run. ``--lib`` is the large library (a YAML file, e.g. what
``annobib import ../shared/corpora/tugboat.bib -o tug.yaml`` writes); the formatted export
uses the repository's ``data/``. Used for docs/performance.md, issue 16.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def commands(lib: Path, out: Path) -> dict[str, list[str]]:
    never = ["--fail-on", "never"]
    return {
        "--help": ["--help"],
        "export biblatex, warm": ["export", str(lib), "--to", "biblatex", "-o",
                                  str(out / "out.bib"), *never],
        "export csljson, warm": ["export", str(lib), "--to", "csljson", "-o",
                                 str(out / "out.json"), *never],
        "export html apa, data/": ["export", str(DATA), "--to", "html", "--style", "apa",
                                   "-o", str(out / "out.html"), *never],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--lib", type=Path, required=True)
    args = ap.parse_args()
    sides = {"before": str(args.before), "after": str(args.after)}
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(args.lib, Path(tmp))
        times: dict[tuple[str, str], list[float]] = {(c, s): [] for c in cmds for s in sides}
        for i in range(args.runs):
            for name, argv in cmds.items():
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for side in order:
                    env = dict(os.environ, PYTHONPATH=sides[side])
                    start = time.perf_counter()
                    done = subprocess.run([sys.executable, "-m", "annobib", *argv], env=env,
                                          capture_output=True, check=False)
                    times[(name, side)].append(time.perf_counter() - start)
                    if done.returncode not in (0, 1):
                        print(name, side, done.returncode, done.stderr[-400:].decode())
                        return 1
    for name in cmds:
        for side in sides:
            runs = times[(name, side)]
            print(f"{name}: {side} median {statistics.median(runs):.3f} s "
                  f"({' '.join(f'{t:.2f}' for t in runs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
