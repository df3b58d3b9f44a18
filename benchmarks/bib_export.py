"""Benchmark: BibLaTeX export of the imported corpora, two source trees interleaved (issue #12).

One command:
    python benchmarks/bib_export.py --before /path/to/other/checkout/src [--rounds 3]
        [--corpora DIR] [--only NAME]

For ``tugboat.bib`` and ``cdl.bib`` from ``../shared/corpora/``: each tree (``--before``, and
this checkout's ``src``) imports the corpus into YAML once, then, round after round and
alternating the trees, a fresh process loads that YAML and exports it ``--to biblatex`` with
``ANNOBIB_JOBS=1``. Printed per corpus and tree: the CPU time (user+sys) of the export call
alone, in process, per round; its median; the ratio after/before; the sizes of the YAML and
of the export. CPU time, not wall time: the machine is shared. Skips cleanly without the
corpora.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPORA = HERE.parent.parent / "shared" / "corpora"
CORPORA = ("tugboat.bib", "cdl.bib")

_IMPORT = """
import sys
from pathlib import Path
from annobib.sources.bibtex import read_bibtex
from annobib.sources.yamlfast import document_yaml
text = Path(sys.argv[1]).read_text(encoding="utf-8", errors="replace")
items = read_bibtex(text, sys.argv[1], as_yaml=True).yaml_items
Path(sys.argv[2]).write_text(document_yaml(items), encoding="utf-8")
"""

_EXPORT = """
import json, sys, time
from pathlib import Path
from annobib.exporters import export
from annobib.sources.yaml import load_paths
library = load_paths([Path(sys.argv[1])], use_cache=False).library
t0 = time.process_time()
text = export(library, "biblatex").text
cpu = time.process_time() - t0
Path(sys.argv[2]).write_text(text, encoding="utf-8")
print(json.dumps({"cpu": cpu, "bytes": len(text.encode())}))
"""


def _run(src: Path, code: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(src), ANNOBIB_JOBS="1")
    r = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                       text=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"{src}: {r.stderr[-2000:]}")
    return r.stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True, help="the other tree's src/ folder")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", choices=CORPORA, default=None)
    args = ap.parse_args()
    trees = {"before": args.before.resolve(), "after": (HERE.parent / "src").resolve()}
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    for name in [args.only] if args.only else CORPORA:
        path = args.corpora / name
        if not path.is_file():
            print(f"skip: {path} not found")
            continue
        with tempfile.TemporaryDirectory(prefix="annobib-bibexport-") as tmp:
            cpu: dict[str, list[float]] = {t: [] for t in trees}
            sizes: dict[str, tuple[int, int]] = {}
            for tree, src in trees.items():
                _run(src, _IMPORT, str(path), f"{tmp}/{tree}.yaml")
            for _ in range(args.rounds):
                for tree, src in trees.items():
                    out = json.loads(_run(src, _EXPORT, f"{tmp}/{tree}.yaml",
                                          f"{tmp}/{tree}.bib"))
                    cpu[tree].append(out["cpu"])
                    sizes[tree] = (Path(f"{tmp}/{tree}.yaml").stat().st_size, out["bytes"])
        print(f"\n{name} (source {path.stat().st_size:,} bytes):")
        for tree in trees:
            runs = ", ".join(f"{c:.2f}" for c in cpu[tree])
            print(f"  {tree:6s} export CPU s: {runs} (median {statistics.median(cpu[tree]):.2f})"
                  f"; YAML {sizes[tree][0]:,} bytes, export {sizes[tree][1]:,} bytes")
        ratio = statistics.median(cpu["after"]) / statistics.median(cpu["before"])
        print(f"  after/before: {ratio:.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
