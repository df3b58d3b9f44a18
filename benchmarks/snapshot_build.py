"""Benchmark: ``annobib snapshot build`` throughput and memory, at two input sizes.

One command:  python benchmarks/snapshot_build.py [--sizes 60000,180000] [--segment-rows 20000]
              [--jobs 0] [--workdir DIR]

Writes the public data file's shape (gzipped ``{"items": [...]}`` files of 5,000 records) of
full records derived from the 34 recorded ones (``benchmarks/snapshot_gen.py``; reference lists
included, as recorded: about 12 kB of JSON a record, more than Crossref's average), then times
``python -m annobib snapshot build`` as a whole process for each size, and reports records/s,
MB/s of JSON read, and the peak RSS of the build and of its largest worker. Memory that does not
grow with the input shows as the same peak RSS at both sizes (both are many segments long).

Reads nothing outside the repository.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from snapshot_gen import write_sources  # noqa: E402

_MEASURE = """import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="60000,180000")
    ap.add_argument("--segment-rows", type=int, default=20_000)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/annobib-snapshot-build-bench"))
    args = ap.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        src = args.workdir / f"sources-{size}"
        if not src.is_dir():
            t = time.perf_counter()
            write_sources(src, size)
            print(f"made {src} in {time.perf_counter() - t:.0f} s", flush=True)
        files = sorted(src.glob("*.json.gz"))
        raw = sum(len(gzip.decompress(p.read_bytes())) for p in files[:3]) / min(3, len(files))
        json_bytes = raw * len(files)
        out = args.workdir / f"snapshot-{size}"
        shutil.rmtree(out, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        # through a fresh parent, so that its children's peak RSS is this build's alone
        proc = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "annobib",
                               "snapshot", "build", str(src), "-o", str(out), "--segment-rows",
                               str(args.segment_rows), "--jobs", str(args.jobs)],
                              capture_output=True, text=True)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit("build failed")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = int(proc.stdout.strip().splitlines()[-1]) / 1024
        disk = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 1e6
        rows.append((size, wall, cpu, size / wall, json_bytes / wall / 1e6, peak,
                     disk, sum(p.stat().st_size for p in files) / 1e6))
        print(proc.stderr.strip().splitlines()[-1], flush=True)
    print()
    print("| records | wall s | CPU s | records/s | JSON MB/s | peak RSS MiB (largest process) "
          "| sources MB (gz) | snapshot MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, wall, cpu, rate, mbs, rss, disk, gz in rows:
        print(f"| {size:,} | {wall:.1f} | {cpu:.1f} | {rate:,.0f} | {mbs:.1f} | {rss:,.0f} | "
              f"{gz:,.0f} | {disk:,.0f} |")


if __name__ == "__main__":
    main()
