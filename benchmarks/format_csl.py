"""Benchmark: formatted bibliography (APA, HTML), annobib against node + citeproc-js and pandoc.

One command:  python benchmarks/format_csl.py [--bib PATH] [--sizes 1,1000,10000] [--runs N]
              [--also FILE[:SIZES] ...] [--pandoc3 PATH] [--timeout S] [--data-runs N]

1. Main set: takes the first N entries of a real .bib (default ../shared/corpora/
   bvitamins-prl-neurips-icml.bib, 20,428 entries), maps them to annobib records once (a plain
   field mapping, not timed) and writes, for each size, the same records as annobib YAML and as
   CSL-JSON made by annobib's own ``work_to_csl``: every engine formats the same items.
   Further sets (``--also``, default: the first 1,000 of ``tugboat.bib`` and the 615 records of
   ``deep-review-references.json`` from ../shared/corpora when present; ``--also none`` for
   none) are read with ``annobib import`` (not timed), so a result does not hinge on one
   corpus's shape.
2. Times whole processes in the same run, round robin, each with a timeout (``--timeout``,
   default 600 s; a run that does not finish is killed and reported as "did not finish in N s",
   and that peer is not run on larger sizes of the same set). Wall clock, CPU seconds (user +
   system) and peak RSS come from GNU ``time``:
   - ``annobib export FILE --to html --style apa`` (citeproc-js in process, mini-racer);
   - ``node`` running the same pinned citeproc-js file (annobib_cjs_vendor), the same apa.csl
     and en-US locale, formatting the CSL-JSON to HTML;
   - ``pandoc --citeproc`` with the same apa.csl and CSL-JSON (``nocite: '@*'``), to HTML, once
     for every distinct pandoc found: the one on PATH (Debian's 2.17 here) and pandoc 3.x from
     PyPI's ``pypandoc-binary``, which ships the binary. The benchmark installs nothing; get it
     with ``python -m venv /tmp/pandoc3 && /tmp/pandoc3/bin/pip install pypandoc-binary`` and
     pass ``--pandoc3 $(/tmp/pandoc3/bin/python -c 'import pypandoc;
     print(pypandoc.get_pandoc_path())')`` (or set ``ANNOBIB_BENCH_PANDOC3``), or install it
     into the dev venv (``pip install -e '.[bench]'``), where it is found through ``pypandoc``;
   - and ``annobib export data/ --to html --style apa`` (the shipped data, target <= 1.5 s),
     ``--data-runs`` times (default 5).
3. Prints seconds, CPU seconds, items/s and peak MiB per run, annobib's speed ratio to each
   peer, and the same as a Markdown table for docs/performance.md.

Skips cleanly (exit 0 with a message) when the corpus is absent; a peer that is not installed
(node, either pandoc) is reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_BIB = CORPORA / "bvitamins-prl-neurips-icml.bib"
DEFAULT_ALSO = (
    f"{CORPORA / 'tugboat.bib'}:1000",
    f"{CORPORA / 'deep-review-references.json'}:1000",
)

TYPE = {
    "article": "journal-article",
    "book": "book",
    "inproceedings": "conference-paper",
    "incollection": "chapter",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
}

NODE_SCRIPT = r"""
const fs = require("fs");
const [cjs, localeFile, styleFile, itemsFile] = process.argv.slice(2);
const CSL = require(cjs);
const items = JSON.parse(fs.readFileSync(itemsFile, "utf8"));
const byId = {};
for (const it of items) byId[it.id] = it;
const locale = fs.readFileSync(localeFile, "utf8");
const sys = {retrieveLocale: () => locale, retrieveItem: (id) => byId[id]};
const engine = new CSL.Engine(sys, fs.readFileSync(styleFile, "utf8"), "en-US");
engine.setOutputFormat("html");
engine.updateItems(items.map((i) => i.id));
const bib = engine.makeBibliography();
process.stdout.write(bib[0].bibstart + bib[1].join("") + bib[0].bibend);
"""


def _person(name: str) -> str | None:
    name = re.sub(r"[{}\\]", "", name).strip()
    if not name or name.lower() == "others":
        return None
    if "," in name:
        family, _, given = name.partition(",")
        return f"{family.strip()}, {given.strip()}" if given.strip() else family.strip()
    parts = name.split()
    if len(parts) == 1:
        return parts[0]
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def convert(bib: Path, limit: int) -> list[Any]:
    import bibtexparser

    from annobib.model import Work

    library = bibtexparser.parse_file(str(bib))  # type: ignore[attr-defined]
    works: list[Any] = []
    seen: set[str] = set()
    for entry in library.entries:
        if len(works) >= limit:
            break
        f = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
        key = re.sub(r"[^A-Za-z0-9_:.\-]", "-", entry.key).lstrip("-_.:") or "x"
        while key in seen:
            key += "-dup"
        seen.add(key)
        data: dict[str, Any] = {"key": key, "type": TYPE.get(entry.entry_type.lower(), "misc")}
        if f.get("title"):
            data["title"] = re.sub(r"[{}]", "", f["title"])
        if f.get("author"):
            people = [_person(a) for a in re.split(r"\s+and\s+", f["author"])]
            data["author"] = [p for p in people if p]
        if re.fullmatch(r"\d{4}", f.get("year", "").strip()):
            data["issued"] = f["year"].strip()
        for src, dst in (
            ("journal", "container-title"),
            ("booktitle", "container-title"),
            ("volume", "volume"),
            ("number", "issue"),
            ("pages", "pages"),
            ("publisher", "publisher"),
            ("doi", "doi"),
        ):
            if f.get(src) and dst not in data:
                data[dst] = re.sub(r"[{}]", "", f[src])
        for attempt in (data, {k: v for k, v in data.items() if k not in ("doi", "author")}):
            try:
                works.append(Work.model_validate(attempt))
                break
            except Exception:
                continue
    return works


def write_inputs(works: list[Any], work_dir: Path, tag: str, n: int) -> tuple[Path, Path]:
    import yaml

    from annobib.exporters.csljson import work_to_csl
    from annobib.model import Document
    from annobib.sources.yaml import document_data

    subset = works[:n]
    y = work_dir / f"{tag}-{n}.yaml"
    y.write_text(
        yaml.dump(
            document_data(Document(works=subset)),
            Dumper=yaml.CSafeDumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
        ),
        encoding="utf-8",
    )
    j = work_dir / f"{tag}-{n}.json"
    j.write_text(json.dumps([work_to_csl(w) for w in subset], ensure_ascii=False), "utf-8")
    return y, j


def imported(path: Path, work_dir: Path, limit: int) -> list[Any]:
    """Records of a .bib/.json/.ris file as ``annobib import`` makes them (not timed)."""
    from annobib.api import load

    out = work_dir / f"{path.stem}-imported.yaml"
    subprocess.run(
        [sys.executable, "-m", "annobib", "import", str(path), "-o", str(out), "--force",
         "--fail-on", "never"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
    )
    return load([out], lint=False, use_cache=False).library.works()[:limit]


TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)

#: wall seconds, peak RSS MiB, CPU seconds; None: killed after the timeout
Result = tuple[float, float, float] | None


def run(cmd: list[str], timeout: float | None = None) -> Result:
    """Wall seconds, peak RSS in MiB and CPU seconds (user + system) of the command (-1 when
    unknown), or None after timeout. CPU time is the fairer comparison on a busy machine.

    Peak RSS comes from GNU time (Debian package ``time``): a child forked from this process
    would report this process's own high-water mark (Linux keeps it across exec).
    """
    full = [TIME, "-f", "%M %U %S", *cmd] if TIME else cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return None
    wall = time.perf_counter() - t0
    text = err.decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{text[-2000:]}")
    peak, cpu = -1.0, -1.0
    if TIME and text.strip():
        fields = text.strip().splitlines()[-1].split()
        if len(fields) == 3 and fields[0].isdigit():
            peak = int(fields[0]) / 1024
            cpu = float(fields[1]) + float(fields[2])
    return wall, peak, cpu


def find_pandocs(pandoc3: str | None) -> list[tuple[str, str]]:
    """(label, path) of every distinct pandoc: the one on PATH, and --pandoc3 /
    $ANNOBIB_BENCH_PANDOC3 or else the binary ``pypandoc`` finds (pypandoc-binary ships one)."""
    candidates = [p for p in (shutil.which("pandoc"),) if p]
    if pandoc3:
        candidates.append(pandoc3)
    else:
        try:
            import pypandoc  # type: ignore[import-not-found,unused-ignore]

            candidates.append(str(pypandoc.get_pandoc_path()))
        except (ImportError, OSError):
            pass
    found: dict[str, tuple[str, str]] = {}
    for path in candidates:
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.exit(f"pandoc {path} does not run: {exc}")
        version = out.stdout.split()[1] if out.stdout.split()[1:] else "?"
        found.setdefault(version, (f"pandoc {version}", path))
    return list(found.values())


def _median(rows: list[Result], i: int = 0) -> float | None:
    done = [r[i] for r in rows if r is not None]
    return statistics.median(done) if done and len(done) == len(rows) else None


def _cell(rows: list[Result] | str | None, timeout: float) -> str:
    if rows is None:
        return "-"
    if isinstance(rows, str):
        return rows
    med = _median(rows)
    if med is None:
        return f"did not finish in {timeout:.0f} s"
    cpu = _median(rows, 2)
    peak = max(r[1] for r in rows if r is not None)
    return f"{med:.2f} s (cpu {cpu:.2f} s), {peak:,.0f} MiB"


def _ratio(base: list[Result] | str | None, other: list[Result] | str | None,
           timeout: float) -> str:
    """Peer time / annobib time, wall and CPU (> 1: annobib faster)."""
    if not isinstance(base, list) or not isinstance(other, list):
        return "-"
    b_wall, b_cpu = _median(base), _median(base, 2)
    if b_wall is None or b_cpu is None:
        return "-"
    wall, cpu = _median(other), _median(other, 2)
    if wall is None or cpu is None:
        return f"> {timeout / b_wall:.1f} (did not finish)"
    return f"{wall / b_wall:.2f} / {cpu / b_cpu:.2f}"


def _report(label: str, n: int, rows: list[Result], timeout: float) -> None:
    med = _median(rows)
    if med is None:
        print(f"{label:<34}{n:>7} items: did not finish in {timeout:.0f} s", flush=True)
        return
    times = sorted(r[0] for r in rows if r is not None)
    peak = max(r[1] for r in rows if r is not None)
    cpu = _median(rows, 2) or -1.0
    spread = f"[{times[0]:.2f}-{times[-1]:.2f}]" if len(times) > 1 else ""
    print(f"{label:<34}{n:>7} items: {med:7.2f} s {spread:<14} cpu {cpu:7.2f} s"
          f"{n / med:>9,.0f} items/s{peak:>8.0f} MiB  (N={len(times)})", flush=True)


Sets = list[tuple[str, list[Any], list[int]]]
Results = dict[tuple[str, str, int], list[Result] | str]


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--bib", type=Path, default=DEFAULT_BIB, help="main set")
    ap.add_argument("--sizes", default="1,1000,10000", help="sizes of the main set")
    ap.add_argument("--also", action="append", metavar="FILE[:SIZES]",
                    help="a further set read with annobib import (repeatable; 'none': none; "
                         "default: tugboat.bib:1000 and deep-review-references.json)")
    ap.add_argument("--runs", type=int, default=3, help="runs per size below --once-from")
    ap.add_argument("--once-from", type=int, default=10000, help="sizes from here: one run")
    ap.add_argument("--timeout", "--pandoc-timeout", type=float, default=600.0,
                    help="seconds before a run is killed and reported as not finished")
    ap.add_argument("--pandoc3", default=os.environ.get("ANNOBIB_BENCH_PANDOC3"),
                    help="a pandoc 3.x binary (default: $ANNOBIB_BENCH_PANDOC3, else pypandoc's)")
    ap.add_argument("--data-runs", type=int, default=5, help="runs of export data/ (0: none)")
    return ap.parse_args()


def _sets(args: argparse.Namespace, work_dir: Path) -> Sets:
    """The main set converted by the plain mapping, then each --also set through annobib import."""
    sizes = [int(s) for s in args.sizes.split(",")]
    works = convert(args.bib, max(sizes))
    print(f"main set: {args.bib.name}: first {len(works)} records (plain field mapping)")
    sets: Sets = [(args.bib.name, works, sizes)]
    for spec in args.also if args.also is not None else DEFAULT_ALSO:
        if spec == "none":
            continue
        path_text, _, size_text = spec.rpartition(":") if ":" in spec else (spec, "", "1000")
        path = Path(path_text)
        if not path.exists():
            print(f"skipped set: {path} not found")
            continue
        set_sizes = [int(s) for s in size_text.split(",")]
        got = imported(path, work_dir, max(set_sizes))
        set_sizes = sorted({min(s, len(got)) for s in set_sizes})
        print(f"set: {path.name}: {len(got)} records (annobib import), sizes {set_sizes}")
        sets.append((path.name, got, set_sizes))
    print(f"inputs in {work_dir}", flush=True)
    return sets


def _run_set(set_name: str, set_works: list[Any], set_sizes: list[int],
             commands: Callable[[Path, Path], dict[str, list[str] | None]],
             args: argparse.Namespace, work_dir: Path, results: Results) -> None:
    """Every peer on every size of one set, round robin; a peer that times out once is not run
    on larger sizes."""
    tag = re.sub(r"\W+", "-", Path(set_name).stem)
    unfinished: dict[str, int] = {}
    print(f"\n{set_name}")
    for n in set_sizes:
        y, j = write_inputs(set_works, work_dir, tag, n)
        runs = 1 if n >= args.once_from else args.runs
        peers = commands(y, j)
        for name in peers:
            if name in unfinished:
                results[(set_name, name, n)] = (
                    f"not run (did not finish at {unfinished[name]:,} items)")
        # round robin (annobib, node, pandoc, annobib, ...) so a change in the machine's
        # load falls on every peer alike
        for _ in range(runs):
            for name, cmd in peers.items():
                if cmd is None or name in unfinished:
                    continue
                out = results.setdefault((set_name, name, n), [])
                assert isinstance(out, list)
                out.append(run(cmd, timeout=args.timeout))
                if out[-1] is None:
                    unfinished[name] = n  # timed out once: enough, and no larger sizes
        for name in peers:
            row = results.get((set_name, name, n))
            if isinstance(row, list):
                _report(name, n, row, args.timeout)
            elif row:
                print(f"{name:<34}{n:>7} items: {row}")


def _print_tables(sets: Sets, results: Results, peer_names: list[str], timeout: float) -> None:
    print("\nratios, peer time / annobib time, wall / cpu (> 1 means annobib is faster):")
    for set_name, _, set_sizes in sets:
        for n in set_sizes:
            base = results.get((set_name, "annobib", n))
            for peer in peer_names[1:]:
                other = results.get((set_name, peer, n))
                if other is not None:
                    print(f"  {set_name}, {n:>6} items: {peer}: {_ratio(base, other, timeout)}")

    print("\nMarkdown:\n")
    for set_name, _, set_sizes in sets:
        print(f"{set_name}:\n")
        print("| items | " + " | ".join(peer_names) + " |")
        print("|---|" + "---:|" * len(peer_names))
        for n in set_sizes:
            cells = [_cell(results.get((set_name, p, n)), timeout) for p in peer_names]
            print(f"| {n:,} | " + " | ".join(cells) + " |")
        print("\n| items | " + " | ".join(f"{p} ÷ annobib" for p in peer_names[1:]) + " |")
        print("|---|" + "---:|" * (len(peer_names) - 1))
        for n in set_sizes:
            base = results.get((set_name, "annobib", n))
            cells = [_ratio(base, results.get((set_name, p, n)), timeout)
                     for p in peer_names[1:]]
            print(f"| {n:,} | " + " | ".join(cells) + " |")
        print()


def main() -> None:
    args = _arguments()
    if not args.bib.exists():
        print(f"skipped: corpus {args.bib} not found (it lives in ../shared/corpora/)")
        return
    import importlib.resources

    from annobib.styles.catalog import locale_file, resolve_style

    work_dir = Path(tempfile.mkdtemp(prefix="annobib-fmt-bench-"))
    sets = _sets(args, work_dir)

    style = resolve_style("apa").path
    locale = locale_file("en-US")
    cjs = Path(str(importlib.resources.files("annobib_cjs_vendor") / "citeproc_commonjs.js"))
    node = shutil.which("node")
    pandocs = find_pandocs(args.pandoc3)
    node_js = work_dir / "fmt.js"
    node_js.write_text(NODE_SCRIPT, encoding="utf-8")
    md = work_dir / "nocite.md"
    md.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    annobib = [sys.executable, "-m", "annobib"]
    peer_names = ["annobib", "node + citeproc-js", *(label for label, _ in pandocs)]
    if not node:
        print("skipped peer: node not found")
    if not any(label.startswith("pandoc 3") for label, _ in pandocs):
        print("skipped peer: no pandoc 3.x (pip install pypandoc-binary; see --pandoc3)")

    data_runs: list[Result] = []
    for _ in range(args.data_runs):
        data_runs.append(run([*annobib, "export", str(ROOT / "data"), "--to", "html", "--style",
                              "apa", "--no-cache", "-o", os.devnull], timeout=args.timeout))
    if data_runs:
        _report("annobib, data/", 46, data_runs, args.timeout)

    def commands(y: Path, j: Path) -> dict[str, list[str] | None]:
        peers: dict[str, list[str] | None] = {
            "annobib": [*annobib, "export", str(y), "--to", "html", "--style", "apa",
                        "--no-cache", "-o", os.devnull],
            "node + citeproc-js": [node, str(node_js), str(cjs), str(locale), str(style),
                                   str(j)] if node else None,
        }
        for label, exe in pandocs:
            peers[label] = [exe, "--citeproc", "--csl", str(style), "--bibliography", str(j),
                            "-t", "html", "-o", os.devnull, str(md)]
        return peers

    results: Results = {}
    for set_name, set_works, set_sizes in sets:
        _run_set(set_name, set_works, set_sizes, commands, args, work_dir, results)
    _print_tables(sets, results, peer_names, args.timeout)
    if data_runs:
        walls = sorted(r[0] for r in data_runs if r is not None)
        print(f"data/: median {_cell(data_runs, args.timeout)}; runs "
              + ", ".join(f"{w:.2f}" for w in walls))

    node_version = "-"
    if node:
        node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    print(f"\nnode {node_version.strip()}; "
          + "; ".join(f"{label} ({exe})" for label, exe in pandocs)
          + f"; citeproc-js from {cjs.parent.name}")


if __name__ == "__main__":
    main()
