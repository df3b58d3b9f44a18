"""Benchmark: ``check --snapshot``: 1,000,000 references against snapshots of 1M and 10M
derived records (DuckDB), the API path's projected time, and Spark local mode.

One command:  python benchmarks/snapshot_check.py [--sizes 1000000,10000000] [--refs 1000000]
              [--spark-size 1000000] [--spark-refs 100000] [--workdir DIR]

1. Makes each snapshot once (``benchmarks/snapshot_gen.py``: records derived from the 34
   recorded ones, in the layout ``annobib snapshot build`` writes; kept in --workdir),
   set-based in DuckDB SQL (``derive_snapshot``: the records ``write_snapshot`` makes one at
   a time, 2,000 of them compared with those; 10M records in ~3 minutes, not hours).
2. For each size, in a fresh process: the check of the reference list (``snapshot_gen.py``:
   90 % in the snapshot, one in ten of those with a changed volume, 10 % not in it). The DOIs
   are taken a group of partitions at a time (so memory stays bounded); per group the
   service's ``agreement`` (one SQL query, ``AGREE_SQL``) verifies the works whose every
   compared field agrees and fetches the other records, then the check's own ``verdicts``
   (``checks/crossref/run.py``, what ``annobib check`` runs) judges those.
   Times: the agreement, the judging, and making our side's works (setup, reported apart;
   they are then moved out of the collector's sight, as ``annobib check`` does with the
   records it loads: ``runtime.freeze_loaded``).
   Peak RSS of that process (and of its forked workers). Every status is checked
   against the expected one; a wrong verdict fails the benchmark.
3. The API path's time for the same references: measured for 500 distinct DOIs against the
   stand-in Crossref (tests/crossref_standin.py) enforcing the polite pool's limits (10/s
   single, 3/s lists, 3 in flight), extrapolated; and projected from the limits alone.
4. Spark local mode: the same query over --spark-size records for --spark-refs references.

Reads nothing outside the repository; needs no network but loopback. Disk: about 50 MB per
million records in --workdir (the derived records share most of their text, so they compress
far better than real ones would).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from snapshot_gen import bases, derive_snapshot, our_work, references  # noqa: E402

from annobib import runtime  # noqa: E402
from annobib.checks.crossref import Status, judge  # noqa: E402
from annobib.checks.crossref.run import verdicts  # noqa: E402
from annobib.services.base import Found  # noqa: E402
from annobib.services.snapshot import Snapshot, SnapshotService  # noqa: E402
from annobib.sources.snapshot import bucket_of  # noqa: E402

GROUPS = 16


def cpu_clock() -> float:
    """CPU seconds (user + sys) of this process's threads and of its finished workers."""
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def expected_statuses() -> dict[int, str]:
    """The status of each recorded record's derived works, unchanged (verified, or
    retracted-corrected for the records Crossref flags)."""
    out = {}
    for b in range(len(bases())):
        from snapshot_gen import record_json

        rec = json.loads(record_json(b))
        out[b] = judge(our_work(b, "k"), Found(rec["DOI"].lower(), rec), None).status.value
    return out


def run_one(snapshot: Path, n_refs: int, engine: str, verify: bool = False) -> dict[str, Any]:
    snap = Snapshot.open(snapshot)
    n_records = snap.records
    if engine == "spark":
        from annobib.services.snapshot_spark import SparkEngine

        t = time.perf_counter()
        svc = SnapshotService(snap, SparkEngine())
        start_s = time.perf_counter() - t
    else:
        svc = SnapshotService(snap)
        start_s = 0.0
    expect = expected_statuses()
    nb = len(bases())
    refs = list(references(n_refs, n_records))
    groups: list[list[Any]] = [[] for _ in range(GROUPS)]
    for r in refs:
        groups[bucket_of(r.doi, snap.buckets) * GROUPS // snap.buckets].append(r)
    del refs
    t_query = t_judge = t_setup = 0.0
    cpu_check = 0.0
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    agreed_total = cross_checked = 0
    clock = time.perf_counter
    for k, group in enumerate(groups):
        t0 = clock()
        works = [our_work(r.record, f"r{k}-{n}", volume="9999" if r.change == "volume" else None)
                 for n, r in enumerate(group)]
        runtime.freeze_loaded()  # as `annobib check` does with the records it loaded
        t_setup += clock() - t0
        c0, t0 = cpu_clock(), clock()
        # the agreement query: works whose every compared field agrees are verified in SQL;
        # the rest (and the absent) come back as lookups for the check's own comparison
        agreement = svc.agreement(works)
        t1 = clock()
        t_query += t1 - t0
        agreed = set(agreement.agreed)
        # the check's own: agreed works verified, the others judged
        results = verdicts(works, agreement, [None] * len(works))
        t_judge += clock() - t1
        cpu_check += cpu_clock() - c0
        agreed_total += len(agreed)
        if verify:  # the check itself on the agreed works too: it must say the same
            got = svc.lookup([str(works[n].doi) for n in agreed])
            for n in agreed:
                cross_checked += 1
                full = judge(works[n], got[str(works[n].doi).lower()], None)
                if (full.status, full.findings, full.matched_title, full.reason) != (
                        results[n].status, results[n].findings, results[n].matched_title,
                        results[n].reason) and len(wrong) < 5:
                    wrong.append(f"{works[n].doi}: agreement said verified, the check "
                                 f"{full.status.value} {[f.code for f in full.findings]}")
        for r, work, res in zip(group, works, results, strict=True):
            status = res.status.value
            counts[status] += 1
            base_status = expect[r.record % nb]
            if r.change == "absent":
                ok = status == "unchecked" and any(f.code == "A334" for f in res.findings)
            elif r.change == "volume":
                ok = (status in ("differs", base_status) and status != Status.VERIFIED.value
                      and any(f.code == "A306" for f in res.findings))
            else:
                ok = status == base_status
            if not ok and len(wrong) < 5:
                wrong.append(f"{work.doi} ({r.change or 'unchanged'}): {status}")
        del works, results, agreement
    cpu = cpu_check
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    svc.close()
    return {"engine": engine, "records": n_records, "refs": n_refs, "query_s": t_query,
            "judge_s": t_judge, "setup_s": t_setup, "spark_start_s": start_s,
            "agreed": agreed_total, "cross_checked": cross_checked,
            "check_s": t_query + t_judge, "check_cpu_s": cpu, "peak_rss_mib": peak,
            "peak_worker_rss_mib": peak_worker,
            "load": os.getloadavg()[0],
            "statuses": dict(counts), "wrong": wrong}


def api_rate(n: int = 500) -> float:
    """Seconds per DOI of the API path against the stand-in at the polite limits."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from snapshot_gen import record_json

    from annobib.services.crossref import CrossrefService
    from crossref_standin import POLITE, running

    server = running(POLITE)
    try:
        dois = []
        for i in range(n):
            rec = json.loads(record_json(i))
            server.add_work(rec["DOI"], rec)
            dois.append(rec["DOI"].lower())
        svc = CrossrefService(api_url=server.url, mailto="bench@example.org")
        t = time.perf_counter()
        got = svc.lookup(dois)
        dt = time.perf_counter() - t
        svc.close()
        assert all(isinstance(v, Found) for v in got.values())
        return dt / n
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--refs", type=int, default=1_000_000)
    ap.add_argument("--spark-size", type=int, default=1_000_000)
    ap.add_argument("--spark-refs", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/annobib-snapshot-bench"))
    ap.add_argument("--run-one", nargs=3, metavar=("SNAPSHOT", "REFS", "ENGINE"))
    args = ap.parse_args()
    if args.run_one:
        print(json.dumps(run_one(Path(args.run_one[0]), int(args.run_one[1]),
                                 args.run_one[2])))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sorted(set(sizes + ([args.spark_size] if args.spark_refs else []))):
        snap = args.workdir / f"snapshot-{size}"
        if not (snap / "manifest.json").exists():
            shutil.rmtree(snap, ignore_errors=True)
            t = time.perf_counter()
            derive_snapshot(snap, size)
            print(f"derived {snap}: {size:,} records in {time.perf_counter() - t:.0f} s",
                  flush=True)
    for size in sizes:
        results.append(_child(args.workdir / f"snapshot-{size}", args.refs, "duckdb"))
    per_doi = api_rate()
    polite_lists = args.refs / 50 / 3 * 1.1
    if args.spark_refs:
        results.append(_child(args.workdir / f"snapshot-{args.spark_size}", args.spark_refs,
                              "spark"))
    print()
    print("| engine | snapshot records | references | agreement s | compare s | "
          "check s (wall) | check CPU s | refs per CPU s | peak RSS MiB | load | statuses "
          "| wrong |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        print(f"| {r['engine']} | {r['records']:,} | {r['refs']:,} | {r['query_s']:.1f} | "
              f"{r['judge_s']:.1f} | {r['check_s']:.1f} | "
              f"{r['check_cpu_s']:.1f} | {r['refs'] / r['check_cpu_s']:,.0f} | "
              f"{r['peak_rss_mib']:,.0f} | {r['load']:.1f} | {r['statuses']} | "
              f"{len(r['wrong'])} |")
    print()
    setups = ", ".join(f"{r['setup_s']:.1f} s" for r in results)
    print(f"our side's works made (setup, not in the check time): {setups}")
    spark = [r for r in results if r["engine"] == "spark"]
    if spark:
        print(f"Spark session start: {spark[0]['spark_start_s']:.1f} s")
    print(f"API path, measured against the stand-in at the polite limits: {per_doi * 1e3:.2f} ms "
          f"per DOI -> {per_doi * args.refs:,.0f} s for {args.refs:,} DOIs; projected from the "
          f"limits alone (50 DOIs per list query, 3 list queries/s, 10 % margin): "
          f"{polite_lists:,.0f} s")
    for r in results:
        if r["wrong"]:
            print("WRONG verdicts:", r["wrong"])
            sys.exit(1)


def _child(snapshot: Path, refs: int, engine: str) -> dict[str, Any]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--run-one", str(snapshot), str(refs),
                          engine], capture_output=True, text=True, env={**os.environ})
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{engine} run failed")
    r: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    r["wall_s"] = time.perf_counter() - t
    print(json.dumps(r), flush=True)
    return r


if __name__ == "__main__":
    main()
