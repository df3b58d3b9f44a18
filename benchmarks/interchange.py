"""Benchmark: annobib import/export against bibtexparser v2 and pandoc, in one run.

One command:  python benchmarks/interchange.py [--corpora DIR] [--runs N] [--only NAME]
              [--skip pandoc] [--skip csljson] [--from-source]

For each corpus (``bvitamins-prl-neurips-icml.bib``, 20,428 entries, and ``tugboat.bib``,
4,839 entries, from ``../shared/corpora/``) it times whole processes, interleaved run by run:

- bibtexparser v2 ``parse_file`` and ``parse_file`` + ``write_file`` (the peer for BibTeX I/O);
- ``pandoc -f bibtex -t csljson`` (the peer for .bib -> CSL-JSON);
- ``annobib import FILE -o lib.yaml``;
- ``annobib export lib.yaml --to biblatex`` and ``--to csljson``, each cold (empty annobib
  cache) and warm (cache filled by the run before).

It prints median wall and CPU seconds (CPU includes the processes a run waited for: annobib's
export worker on a second core), entries/s, peak RSS and the issue's three targets: import
within 1.5x of bibtexparser's parse, BibLaTeX export at least as fast as bibtexparser's
parse+write, CSL-JSON export at least 5x faster than pandoc. Skips cleanly (exit 0) when the
corpora are absent.

annobib's modules are compiled to bytecode before the first run (the peers run from the
bytecode their installation wrote; ``--from-source`` leaves annobib as it is, which under
``PYTHONDONTWRITEBYTECODE`` means compiling it again in every process).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPORA = HERE.parent.parent / "shared" / "corpora"
CORPORA = ("bvitamins-prl-neurips-icml.bib", "tugboat.bib")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system, with the processes it
    waited for, such as annobib's export worker) of one whole process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def count_entries(path: Path) -> int:
    text = path.read_text(encoding="utf-8", errors="replace")
    return len(re.findall(r"^\s*@(?!string|comment|preamble)\w+\s*[{(]", text,
                          flags=re.IGNORECASE | re.MULTILINE))


Result = dict[str, tuple[float, float, list[float], float]]


def compile_annobib(env: dict[str, str]) -> str:
    """Compile the annobib that the timed processes import to bytecode, as installing a wheel
    does, and say where: the peers run from their installed bytecode, and an annobib that
    compiled its modules from source on every run (PYTHONDONTWRITEBYTECODE, no __pycache__)
    would be timed on that too (~0.1 s of CPU per process, before any work)."""
    where = subprocess.run(
        [sys.executable, "-c", "import annobib, os; print(os.path.dirname(annobib.__file__))"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    compileall.compile_dir(where, quiet=1)
    return where


def bench(bib: Path, runs: int, work: Path, skip: set[str], compiled: bool = True) -> Result:
    py = sys.executable
    env = dict(os.environ)
    if compiled:
        print(f"annobib compiled to bytecode first: {compile_annobib(env)}", file=sys.stderr)
    cache = work / "cache"
    env["ANNOBIB_CACHE_DIR"] = str(cache)
    lib = work / "lib.yaml"
    cmds: dict[str, list[str]] = {
        "bibtexparser parse": [py, "-c", "import sys, bibtexparser; "
                               "bibtexparser.parse_file(sys.argv[1])", str(bib)],
        "bibtexparser parse+write": [py, "-W", "ignore", "-c", "import sys, bibtexparser; "
                                     "bibtexparser.write_file(sys.argv[2], "
                                     "bibtexparser.parse_file(sys.argv[1]))",
                                     str(bib), str(work / "bp.bib")],
        "pandoc bibtex->csljson": ["pandoc", "-f", "bibtex", "-t", "csljson", str(bib), "-o",
                                   str(work / "pandoc.json")],
        "annobib import": [py, "-m", "annobib", "import", str(bib), "-o", str(lib), "--force",
                           "--fail-on", "never"],
    }
    for fmt in ("biblatex", "csljson"):
        cmd = [py, "-m", "annobib", "export", str(lib), "--to", fmt, "-o",
               str(work / f"out.{fmt}"), "--fail-on", "never"]
        cmds[f"annobib export {fmt} (cold)"] = cmd
        cmds[f"annobib export {fmt} (warm)"] = cmd
    if shutil.which("pandoc") is None or "pandoc" in skip:
        del cmds["pandoc bibtex->csljson"]
    if "csljson" in skip:
        cmds = {k: v for k, v in cmds.items() if "csljson" not in k}
    samples: dict[str, list[tuple[float, float, float]]] = {k: [] for k in cmds}
    for i in range(runs):
        for name, cmd in cmds.items():
            if "(cold)" in name:
                shutil.rmtree(cache, ignore_errors=True)
            samples[name].append(run(cmd, env))
            wall, _, cpu = samples[name][-1]
            print(f"  run {i + 1}/{runs} {name}: {wall:.2f} s (CPU {cpu:.2f} s)", file=sys.stderr)
    return {
        k: (
            statistics.median(w for w, _, _ in v),
            max(m for _, m, _ in v),
            [w for w, _, _ in v],
            statistics.median(c for _, _, c in v),
        )
        for k, v in samples.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=CORPORA, default=None)
    ap.add_argument("--skip", action="append", choices=("pandoc", "csljson"), default=[],
                    help="leave out a peer or a format (repeatable), for shorter runs")
    ap.add_argument("--from-source", action="store_true",
                    help="do not compile annobib to bytecode first (with PYTHONDONTWRITEBYTECODE "
                         "set, each process then compiles annobib's modules again)")
    args = ap.parse_args()
    names = [args.only] if args.only else list(CORPORA)
    present = [n for n in names if (args.corpora / n).exists()]
    if not present:
        print(f"skipped: corpora not found in {args.corpora} (they live in ../shared/corpora/)")
        return
    for name in present:
        bib = args.corpora / name
        n = count_entries(bib)
        work = Path(tempfile.mkdtemp(prefix="annobib-interchange-"))
        print(f"\n### {name}: {n:,} entries, {bib.stat().st_size / 1e6:.1f} MB, "
              f"median of {args.runs}\n")
        res = bench(bib, args.runs, work, set(args.skip), not args.from_source)
        print("| run | median wall s (all runs) | median CPU s | entries/s | peak RSS MiB |")
        print("|---|---:|---:|---:|---:|")
        for k, (med, mem, all_runs, cpu) in res.items():
            runs_s = ", ".join(f"{w:.1f}" for w in all_runs)
            print(f"| {k} | {med:.2f} ({runs_s}) | {cpu:.2f} | {n / med:,.0f} | {mem:.0f} |")
        parse = res["bibtexparser parse"][0]
        write = res["bibtexparser parse+write"][0]
        imp = res["annobib import"][0]
        print("\n| target | measured | met |")
        print("|---|---:|---|")
        ratio = imp / parse
        print(f"| import within 1.5x of bibtexparser parse | {ratio:.2f}x | "
              f"{'yes' if ratio <= 1.5 else 'no'} |")
        for temp in ("warm", "cold"):
            exp = res[f"annobib export biblatex ({temp})"][0]
            print(f"| BibLaTeX export ({temp}) at least as fast as bibtexparser parse+write | "
                  f"{write / exp:.2f}x | {'yes' if exp <= write else 'no'} |")
        write_cpu = res["bibtexparser parse+write"][3]
        for temp in ("warm", "cold"):
            exp_cpu = res[f"annobib export biblatex ({temp})"][3]
            print(f"| (CPU, not a target) BibLaTeX export ({temp}) vs parse+write | "
                  f"{write_cpu / exp_cpu:.2f}x | - |")
        if "pandoc bibtex->csljson" in res and "annobib export csljson (warm)" in res:
            pandoc = res["pandoc bibtex->csljson"][0]
            for temp in ("warm", "cold"):
                exp = res[f"annobib export csljson ({temp})"][0]
                print(f"| CSL-JSON export ({temp}) >= 5x faster than pandoc | "
                      f"{pandoc / exp:.2f}x | {'yes' if pandoc / exp >= 5 else 'no'} |")
        robustness(bib, work)
        shutil.rmtree(work, ignore_errors=True)


def robustness(bib: Path, work: Path) -> None:
    """What the import reported: malformed blocks with their lines, and what was imported."""
    proc = subprocess.run(
        [sys.executable, "-m", "annobib", "import", str(bib), "-o", str(work / "r.yaml"),
         "--force", "--fail-on", "never"],
        capture_output=True, text=True, check=False,
    )
    lines = proc.stderr.splitlines()
    summary = next((x for x in reversed(lines) if x.startswith("annobib import:")), "")
    codes: dict[str, int] = {}
    for line in lines:
        m = re.search(r"\[(error|warning|info) (A\d+)\]$", line)
        if m:
            codes[m.group(2)] = codes.get(m.group(2), 0) + 1
    print(f"\nimport: {summary.removeprefix('annobib import: ')}; findings by code: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(codes.items())))
    for line in lines:
        if re.search(r"\[(error) A41[123]\]$|\[warning A413\]$", line):
            print(f"    {line[:160]}")


if __name__ == "__main__":
    main()
