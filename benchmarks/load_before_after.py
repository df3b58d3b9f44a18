"""Benchmark: loading and exporting YAML libraries under two copies of ``src/``, interleaved.

One command:  python benchmarks/load_before_after.py BEFORE_SRC AFTER_SRC LIB.yaml... [--runs N]

Make the copies with ``git archive COMMIT src | tar -x -C DIR`` and pass ``DIR/src``; each side
runs this interpreter with ``PYTHONPATH`` pointing at its copy. The libraries are what
``annobib import`` writes (e.g. of ``../shared/corpora/tugboat.bib``). Per round and library,
each side runs, the order alternating: ``validate`` with an empty cache (cold), again (warm),
CSL-JSON and BibLaTeX exports warm, then each export with an empty cache (cold). Prints CPU
seconds (user + system of the process and the workers it waited for: comparable on a shared
machine, unlike wall time), wall seconds, the load average, and a hash of each export's output
(before and after must agree). Used for docs/performance.md, issue 12.
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
from pathlib import Path

NEVER = ["--fail-on", "never"]


def run(src: str, argv: list[str], cache: Path, out: Path | None) -> tuple[float, float, str]:
    env = dict(os.environ, PYTHONPATH=src, ANNOBIB_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "annobib", *argv], env=env,
                          capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stderr[-600:].decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    body = out.read_bytes() if out is not None else done.stderr
    return cpu, wall, hashlib.sha1(body).hexdigest()[:10]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("libs", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    sides = {"before": args.before, "after": args.after}
    times: dict[tuple[str, str, str], list[tuple[float, float, str]]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        out_json, out_bib = tmp / "out.json", tmp / "out.bib"
        for i in range(args.runs):
            for lib in args.libs:
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for side in order:
                    cache = tmp / "cache"
                    validate = ["validate", str(lib), *NEVER]
                    csl = ["export", str(lib), "--to", "csljson", "-o", str(out_json), *NEVER]
                    bib = ["export", str(lib), "--to", "biblatex", "-o", str(out_bib), *NEVER]
                    steps: list[tuple[str, list[str], Path | None, bool]] = [
                        ("validate, cold", validate, None, True),
                        ("validate, warm", validate, None, False),
                        ("export csljson, warm", csl, out_json, False),
                        ("export biblatex, warm", bib, out_bib, False),
                        ("export csljson, cold", csl, out_json, True),
                        ("export biblatex, cold", bib, out_bib, True),
                    ]
                    for name, argv, out, cold in steps:
                        if cold:
                            shutil.rmtree(cache, ignore_errors=True)
                        got = run(sides[side], argv, cache, out)
                        times.setdefault((lib.name, name, side), []).append(got)
                    shutil.rmtree(cache, ignore_errors=True)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for (lib_name, name, side), rows in times.items():
        cpus = [r[0] for r in rows]
        walls = [r[1] for r in rows]
        hashes = ",".join(sorted({r[2] for r in rows}))
        print(f"{lib_name} | {name} | {side} | CPU median {statistics.median(cpus):.2f} s "
              f"({' '.join(f'{c:.2f}' for c in cpus)}) | wall median "
              f"{statistics.median(walls):.2f} s | output {hashes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
