"""Benchmark: ``annobib check`` over 1,000 works against a stand-in Crossref enforcing the
polite-pool limits (10/s single-record, 3/s list queries, 3 concurrent; 429 above them).

One command:  python benchmarks/check_crossref.py [--peer-sample 100] [--full-peer]

What it times, each as a whole ``annobib check`` process (python -m annobib):

1. 1,000 works under new keys whose DOIs cycle through the 34 recorded work DOIs (so 34
   distinct DOIs): what a library with repeated citations costs.
2. 1,000 works with 1,000 distinct DOIs. The stand-in serves, for each, a recorded work
   message whose ``DOI`` field alone is changed to ``<recorded DOI>.bench<N>``: the only way to
   get 1,000 distinct answers from 34 recordings. This is the case the issue's numbers are about.
3. ``annobib check --offline`` over the works of (2), from the evidence (2) stored.
4. A peer-style client: habanero ``works(ids=doi)`` one DOI at a time, paced at 10/s (the polite
   single-record limit), over a sample of the DOIs of (2); the time for 1,000 is extrapolated
   from the sample unless --full-peer is given (then it runs all 1,000, ~100 s).

Reports wall time, requests made and 429s received (counted by the stand-in). Reads nothing
outside the repository; needs no network but loopback.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from annobib.model import Document  # noqa: E402
from annobib.sources.crossref import work_from_crossref  # noqa: E402
from annobib.sources.yaml import dump_document  # noqa: E402
from crossref_standin import POLITE, StandIn, running  # noqa: E402


def build_library(server: StandIn, n: int, distinct: bool, path: Path) -> list[str]:
    base = sorted(server.recorded.found_dois())
    works = []
    dois: list[str] = []
    for i in range(n):
        orig = base[i % len(base)]
        message = server.message_for(orig)
        assert message is not None
        if distinct:
            doi = f"{orig}.bench{i:04d}"
            derived = dict(message)
            derived["DOI"] = doi  # the one changed field
            server.add_work(doi, derived)
            message = derived
        else:
            doi = orig
        work, _ = work_from_crossref(message, f"bench{i:04d}")
        works.append(work.model_copy(update={"doi": doi}))
        dois.append(doi)
    path.write_text(dump_document(Document(works=works)), encoding="utf-8")
    return dois


def run_check(args: list[str]) -> tuple[float, dict[str, object], int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "annobib", "check", *args, "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )
    wall = time.perf_counter() - t0
    if not proc.stdout.strip():
        raise SystemExit(f"annobib check failed ({proc.returncode}):\n{proc.stderr}")
    return wall, json.loads(proc.stdout), proc.returncode


def peer(server: StandIn, dois: list[str], rate: float) -> float:
    from habanero import Crossref

    cr = Crossref(base_url=server.url, mailto="bench@example.org", timeout=20)
    interval = 1.0 / rate
    t0 = time.perf_counter()
    next_at = t0
    for doi in dois:
        now = time.perf_counter()
        if now < next_at:
            time.sleep(next_at - now)
        next_at = max(now, next_at) + interval
        try:
            cr.works(ids=doi)
        except Exception as exc:  # a peer would count it and go on
            print(f"peer: {doi}: {exc}", file=sys.stderr)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--works", type=int, default=1000)
    ap.add_argument("--peer-sample", type=int, default=100)
    ap.add_argument("--full-peer", action="store_true")
    opts = ap.parse_args()
    n = opts.works
    rows: list[tuple[str, float, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        server = running(POLITE)
        try:
            common = ["--mailto", "bench@example.org", "--api-url", server.url,
                      "--fail-on", "never"]
            # 1. repeated DOIs
            lib1 = t / "repeated" / "lib.yaml"
            lib1.parent.mkdir()
            build_library(server, n, False, lib1)
            before, before429 = server.count(), server.count(429)
            wall, out, _ = run_check([str(lib1.parent), *common])
            summary = out["summary"]
            assert isinstance(summary, dict)
            rows.append((f"{n} works, 34 distinct DOIs", wall, str(server.count() - before),
                         str(server.count(429) - before429),
                         json.dumps(summary["statuses"])))
            # 2. distinct DOIs
            lib2 = t / "distinct" / "lib.yaml"
            lib2.parent.mkdir()
            dois = build_library(server, n, True, lib2)
            before, before429 = server.count(), server.count(429)
            wall2, out2, _ = run_check([str(lib2.parent), *common])
            summary2 = out2["summary"]
            assert isinstance(summary2, dict)
            rows.append((f"{n} works, {n} distinct DOIs", wall2,
                         str(server.count() - before), str(server.count(429) - before429),
                         json.dumps(summary2["statuses"])))
            # 3. offline from the evidence of 2
            before = server.count()
            wall3, out3, _ = run_check([str(lib2.parent), "--offline", "--fail-on", "never"])
            summary3 = out3["summary"]
            assert isinstance(summary3, dict)
            rows.append((f"{n} works --offline (evidence of the run above)", wall3,
                         str(server.count() - before), "0", json.dumps(summary3["statuses"])))
            # 4. peer, one by one at 10/s
            sample = dois if opts.full_peer else dois[: opts.peer_sample]
            before, before429 = server.count(), server.count(429)
            wall4 = peer(server, sample, 10.0)
            reqs = server.count() - before
            extrap = wall4 * n / len(sample)
            label = (f"peer: one by one at 10/s, {len(sample)} DOIs"
                     + ("" if opts.full_peer else f" (x{n // len(sample)} -> {n}: {extrap:.1f} s)"))
            rows.append((label, wall4, str(reqs), str(server.count(429) - before429), "-"))
        finally:
            server.stop()
    print(f"\n{'run':<62} {'wall s':>8} {'requests':>9} {'429s':>5}")
    for label, wall, requests, r429, _ in rows:
        print(f"{label:<62} {wall:>8.2f} {requests:>9} {r429:>5}")
    print()
    for label, _, _, _, statuses in rows:
        if statuses != "-":
            print(f"{label}: {statuses}")
    peer_1000 = rows[3][1] * n / (len(dois) if opts.full_peer else opts.peer_sample)
    print(f"\nratio, peer (1,000 DOIs at 10/s) / annobib (1,000 distinct DOIs): "
          f"{peer_1000 / rows[1][1]:.1f}x")


if __name__ == "__main__":
    main()
