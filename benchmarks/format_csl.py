"""Benchmark: formatted bibliography (APA, HTML), annobib against node + citeproc-js and pandoc.

One command:  python benchmarks/format_csl.py [--bib PATH] [--sizes 1,1000,10000] [--runs N]
              [--pandoc-timeout S]

1. Takes the first N entries of a real .bib (default ../shared/corpora/
   bvitamins-prl-neurips-icml.bib, 20,428 entries), maps them to annobib records once (a plain
   field mapping, not timed) and writes, for each size, the same records as annobib YAML and as
   CSL-JSON made by annobib's own ``work_to_csl``: every engine formats the same items.
2. Times whole processes in the same run, wall clock and the child's own peak RSS (wait4):
   - ``annobib export FILE --to html --style apa`` (citeproc-js in process, mini-racer);
   - ``node`` running the same pinned citeproc-js file (annobib_cjs_vendor), the same apa.csl
     and en-US locale, formatting the CSL-JSON to HTML;
   - ``pandoc --citeproc`` with the same apa.csl and CSL-JSON (``nocite: '@*'``), to HTML;
   - and ``annobib export data/ --to html --style apa`` (the shipped data, target <= 1.5 s).
3. Prints seconds, items/s, annobib's speed ratio to each peer, and peak MiB.

Skips cleanly (exit 0 with a message) when the corpus is absent; a peer that is not installed
(node, pandoc) is reported as skipped.
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
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_BIB = ROOT.parent / "shared" / "corpora" / "bvitamins-prl-neurips-icml.bib"

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


def write_inputs(works: list[Any], work_dir: Path, n: int) -> tuple[Path, Path]:
    import yaml

    from annobib.exporters.csljson import work_to_csl
    from annobib.model import Document
    from annobib.sources.yaml import document_data

    subset = works[:n]
    y = work_dir / f"items-{n}.yaml"
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
    j = work_dir / f"items-{n}.json"
    j.write_text(json.dumps([work_to_csl(w) for w in subset], ensure_ascii=False), "utf-8")
    return y, j


TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run(cmd: list[str], timeout: float | None = None) -> tuple[float, float, float] | None:
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


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--bib", type=Path, default=DEFAULT_BIB)
    ap.add_argument("--sizes", default="1,1000,10000")
    ap.add_argument("--runs", type=int, default=3, help="runs per size below 10,000 (10,000: 1)")
    ap.add_argument("--pandoc-timeout", type=float, default=600.0)
    args = ap.parse_args()
    if not args.bib.exists():
        print(f"skipped: corpus {args.bib} not found (it lives in ../shared/corpora/)")
        return
    import importlib.resources

    from annobib.styles.catalog import locale_file, resolve_style

    sizes = [int(s) for s in args.sizes.split(",")]
    work_dir = Path(tempfile.mkdtemp(prefix="annobib-fmt-bench-"))
    works = convert(args.bib, max(sizes))
    print(f"corpus: {args.bib.name}: first {len(works)} records; inputs in {work_dir}")
    style = resolve_style("apa").path
    locale = locale_file("en-US")
    cjs = Path(str(importlib.resources.files("annobib_cjs_vendor") / "citeproc_commonjs.js"))
    node = shutil.which("node")
    pandoc = shutil.which("pandoc")
    node_js = work_dir / "fmt.js"
    node_js.write_text(NODE_SCRIPT, encoding="utf-8")
    annobib = [sys.executable, "-m", "annobib"]

    def pandoc_cmd(items: Path) -> list[str]:
        md = work_dir / "nocite.md"
        md.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
        assert pandoc is not None
        return [pandoc, "--citeproc", "--csl", str(style), "--bibliography", str(items),
                "-t", "html", "-o", os.devnull, str(md)]

    results: dict[tuple[str, int], list[tuple[float, float, float] | None]] = {}
    for n in sizes:
        y, j = write_inputs(works, work_dir, n)
        runs = 1 if n >= 10000 else args.runs
        peers: dict[str, list[str] | None] = {
            "annobib": [*annobib, "export", str(y), "--to", "html", "--style", "apa",
                        "--no-cache", "-o", os.devnull],
            "node + citeproc-js": [node, str(node_js), str(cjs), str(locale), str(style), str(j)]
            if node else None,
            "pandoc --citeproc": pandoc_cmd(j) if pandoc else None,
        }
        # round robin (annobib, node, pandoc, annobib, ...) so a change in the machine's load
        # falls on every peer alike
        for _ in range(runs):
            for name, cmd in peers.items():
                if cmd is None:
                    continue
                out = results.setdefault((name, n), [])
                if out and out[-1] is None:
                    continue  # timed out once: enough
                timeout = args.pandoc_timeout if name.startswith("pandoc") else None
                out.append(run(cmd, timeout=timeout))
        for name in peers:
            if (name, n) in results:
                _report(name, n, results[(name, n)], args.pandoc_timeout)
    data_runs = [run([*annobib, "export", str(ROOT / "data"), "--to", "html", "--style", "apa",
                      "--no-cache", "-o", os.devnull]) for _ in range(args.runs)]
    _report("annobib, data/ (46 records)", 46, data_runs, 0)

    print("\nratios (peer time / annobib time; > 1 means annobib is faster):")
    for n in sizes:
        base = _median(results.get(("annobib", n), []))
        for peer in ("node + citeproc-js", "pandoc --citeproc"):
            other = results.get((peer, n))
            if not other or base is None:
                continue
            med = _median(other)
            base_cpu, cpu = _median(results[("annobib", n)], 2), _median(other, 2)
            if med is not None:
                ratio = f"wall {med / base:.2f}"
                if base_cpu and cpu and base_cpu > 0 and cpu > 0:
                    ratio += f", cpu {cpu / base_cpu:.2f}"
            else:
                ratio = f"> {args.pandoc_timeout / base:.1f} (did not finish)"
            print(f"  {n:>6} items: {peer}: {ratio}")
    node_version = "-"
    if node:
        node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    pandoc_version = "-"
    if pandoc:
        version_out = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        pandoc_version = version_out.splitlines()[0]
    print(f"\nnode {node_version.strip()}; {pandoc_version}; citeproc-js from {cjs.parent.name}")


def _median(rows: list[tuple[float, float, float] | None], i: int = 0) -> float | None:
    done = [r[i] for r in rows if r is not None]
    return statistics.median(done) if done and len(done) == len(rows) else None


def _report(
    name: str, n: int, rows: list[tuple[float, float, float] | None], timeout: float
) -> None:
    med = _median(rows)
    if med is None:
        print(f"{name:<30}{n:>7} items: did not finish in {timeout:.0f} s")
        return
    times = sorted(r[0] for r in rows if r is not None)
    peak = max(r[1] for r in rows if r is not None)
    cpu = _median(rows, 2) or -1.0
    spread = f"[{times[0]:.2f}-{times[-1]:.2f}]" if len(times) > 1 else ""
    print(f"{name:<30}{n:>7} items: {med:7.2f} s {spread:<14} cpu {cpu:7.2f} s"
          f"{n / med:>9,.0f} items/s{peak:>8.0f} MiB  (N={len(times)})")


if __name__ == "__main__":
    main()
