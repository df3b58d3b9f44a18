"""Benchmark: `annobib validate` on a large real library, cold and warm, against bibtexparser.

One command:  python benchmarks/validate_load.py [--bib PATH] [--runs N]

1. Converts a large real .bib (default ../shared/corpora/bvitamins-prl-neurips-icml.bib,
   20,428 entries) into one annobib YAML file, once (not timed; the conversion is a plain field
   mapping done here so this benchmark measures loading only).
2. Times, as whole processes, in the same run: bibtexparser v2 parsing the .bib; `annobib
   validate` on the YAML with an empty cache (cold); and again with the cache filled (warm).
3. Prints records/s, the ratios to bibtexparser, and peak memory (max RSS of each child).

Skips cleanly (exit 0 with a message) when the corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_BIB = HERE.parent.parent / "shared" / "corpora" / "bvitamins-prl-neurips-icml.bib"

TYPE = {
    "article": "journal-article",
    "book": "book",
    "inproceedings": "conference-paper",
    "incollection": "chapter",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "online": "web-page",
}


def convert(bib: Path, out: Path) -> int:
    import bibtexparser.entrypoint
    import yaml

    from annobib.model import Document, Work
    from annobib.sources.yaml import document_data

    library = bibtexparser.entrypoint.parse_file(str(bib))
    works: list[Work] = []
    seen: set[str] = set()
    for entry in library.entries:
        f = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
        key = re.sub(r"[^A-Za-z0-9_:.\-]", "-", entry.key).lstrip("-_.:") or "x"
        while key in seen:
            key += "-dup"
        seen.add(key)
        data: dict[str, Any] = {"key": key, "type": TYPE.get(entry.entry_type.lower(), "misc")}
        if f.get("title"):
            data["title"] = f["title"]
        if f.get("author"):
            data["author"] = [
                {"literal": a.strip()} for a in f["author"].split(" and ") if a.strip()
            ]
        if re.fullmatch(r"\d{4}", f.get("year", "").strip()):
            data["issued"] = f["year"].strip()
        for src, dst in (("journal", "container-title"), ("booktitle", "container-title"),
                         ("volume", "volume"), ("number", "issue"), ("pages", "pages"),
                         ("publisher", "publisher"), ("abstract", "abstract")):
            if f.get(src) and dst not in data:
                data[dst] = f[src]
        try:
            works.append(Work.model_validate(data))
        except Exception:
            data.pop("title", None)
            works.append(Work.model_validate({"key": key, "type": "misc"}))
    text = yaml.dump(document_data(Document(works=works)), Dumper=yaml.CSafeDumper,
                     allow_unicode=True, sort_keys=False, width=100)
    out.write_text(text, encoding="utf-8")
    return len(works)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bib", type=Path, default=DEFAULT_BIB)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not args.bib.exists():
        print(f"skipped: corpus {args.bib} not found (it lives in ../shared/corpora/)")
        return
    work = Path(tempfile.mkdtemp(prefix="annobib-bench-"))
    yaml_path = work / "library.yaml"
    n = convert(args.bib, yaml_path)
    print(f"corpus: {args.bib.name}: {n} records, YAML {yaml_path.stat().st_size / 1e6:.1f} MB")
    py = sys.executable
    env = dict(os.environ)
    cache = work / "cache"
    env["ANNOBIB_CACHE_DIR"] = str(cache)
    parse = f"import bibtexparser; bibtexparser.parse_file({str(args.bib)!r})"
    bibtexparser_cmd = [py, "-c", parse]
    validate_cmd = [py, "-m", "annobib", "validate", str(yaml_path), "--fail-on", "never"]

    rows: dict[str, list[tuple[float, float]]] = {"bibtexparser": [], "cold": [], "warm": []}
    for _ in range(args.runs):
        rows["bibtexparser"].append(timed(bibtexparser_cmd, env))
        subprocess.run(["rm", "-rf", str(cache)], check=True)
        rows["cold"].append(timed(validate_cmd, env))
        rows["warm"].append(timed(validate_cmd, env))
    # peak RSS from getrusage is cumulative across children; measure each alone for memory
    mem: dict[str, float] = {}
    for name, cmd in (("bibtexparser", bibtexparser_cmd), ("cold", validate_cmd)):
        if name == "cold":
            subprocess.run(["rm", "-rf", str(cache)], check=True)
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=env, capture_output=True,
                             text=True)
        mem[name] = int(out.stderr.strip().splitlines()[-1]) / 1024
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *validate_cmd], env=env,
                         capture_output=True, text=True)
    mem["warm"] = int(out.stderr.strip().splitlines()[-1]) / 1024

    base = statistics.median(w for w, _ in rows["bibtexparser"])
    print(f"{'run':<28}{'median s':>10}{'records/s':>12}{'x bibtexparser':>16}{'peak MiB':>10}")
    for name, label in (("bibtexparser", "bibtexparser parse (.bib)"),
                        ("cold", "annobib validate, cold"), ("warm", "annobib validate, warm")):
        med = statistics.median(w for w, _ in rows[name])
        print(f"{label:<28}{med:>10.2f}{n / med:>12,.0f}{base / med:>16.2f}{mem[name]:>10.0f}")
    help_times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([py, "-m", "annobib", "--help"], capture_output=True, check=True)
        help_times.append(time.perf_counter() - t0)
    print(f"annobib --help: median {statistics.median(help_times):.3f} s over 5 runs")


if __name__ == "__main__":
    main()
