"""Benchmark: the reference parser (``annobib import --from text``): accuracy and speed.

One command:  python benchmarks/text_parser.py [--runs N] [--skip speed|accuracy|import]
              [--peer OTHER/src]

- accuracy: field-level precision/recall/F1 of the shipped model on the held-out tenth of
  AnyStyle's data and on the rendered GOST/post-Soviet test set (``training/text-parser/``,
  in the repository), overall and per field; the two seeds' printed lists
  (``tests/fixtures/text/``) against their transcriptions in ``data/``: the share of fields
  that agree, per list, and the footnotes' cites, signals and locators;
- speed: ``python -m annobib import FILE --from text -o out.yaml`` as a whole process on a
  numbered list of 10,000 references (AnyStyle's strings from
  ``../shared/reference-strings/anystyle/``, all four files in order), median wall and CPU
  (user + sys of the child) of ``--runs``; and the time to load the model (in a fresh process,
  median of 5). Both are timed twice: with the modules' bytecode cached (as a wheel installed
  by pip has it: pip compiles on install; here a cache under the run's temporary directory,
  filled by a first untimed run) and with annobib's sources compiled at every start (an
  editable checkout with ``PYTHONDONTWRITEBYTECODE=1``, as this workspace runs). ``--peer
  OTHER/src`` times another version (say a checkout of the previous commit) alternately with
  this one in the same run, so both see the same load. The speed part skips cleanly without
  ``../shared``.

Prints Markdown tables for docs/performance.md.
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
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# ../shared beside the checkout (or beside the checkout's folder, for a worktree)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
               if p.is_dir()), ROOT.parent / "shared")
sys.path.insert(0, str(ROOT / "src"))


def accuracy() -> None:
    from annobib.model.record import Work
    from annobib.sources.interchange import KeyRegistry
    from annobib.sources.text import read_list
    from annobib.sources.text.crf import Model
    from annobib.sources.text.records import to_model
    from annobib.sources.text.train import default_data_dir, evaluate, load
    from annobib.sources.yaml import load_paths

    _train, held, test = load(default_data_dir())
    model = Model()
    import re

    cyr = [t for t in test if re.search(r"[\u0400-\u04FF]", t.text)]
    other = [t for t in test if t not in cyr]
    for name, samples in (("AnyStyle held-out tenth", held),
                          ("Russian references rendered in GOST and post-Soviet styles", cyr),
                          ("corpus records rendered in one of nine styles", other)):
        sc = evaluate(model, samples)
        o = sc["overall"]
        print(f"\n### {name}: {sc['sequences']} strings, token accuracy "
              f"{sc['token_accuracy']:.3f}\n")
        print("| field | precision | recall | F1 | gold fields |")
        print("|---|---:|---:|---:|---:|")
        print(f"| **all** | {o['precision']:.3f} | {o['recall']:.3f} | **{o['f1']:.3f}** "
              f"| {o['support']} |")
        for lab, v in sc["fields"].items():
            print(f"| {lab} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} "
                  f"| {v['support']} |")

    def fields(w: Work) -> dict[str, Any]:
        d = w.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        d.pop("key")
        return d

    lib = load_paths([ROOT / "data"]).library
    docs = {d.document.article.key: d.document for d in lib.documents
            if d.document.article is not None}
    fx = ROOT / "tests" / "fixtures" / "text"
    print("\n### The seeds' printed lists against data/\n")
    print("| list | records | fields agreeing | exact records |")
    print("|---|---:|---:|---:|")
    for key, fname in (("tomberg2022", "tomberg2022-references.txt"),
                       ("mukimdzhanova2004", "mukimdzhanova2004-footnotes.txt")):
        path = fx / fname
        imp = to_model(read_list(path.read_text(encoding="utf-8"), str(path)), KeyRegistry(),
                       str(path))
        doc = docs[key]
        if imp.references:
            pairs = [(a.work, b.work) for a, b in zip(imp.references, doc.references,
                                                        strict=False)]
        else:
            ours = [c.work for f in imp.footnotes for c in f.cites]
            theirs = [c.work for f in doc.footnotes for c in f.cites]
            pairs = list(zip(ours, theirs, strict=False))
        agree = total = exact = 0
        for a, b in pairs:
            assert a is not None and b is not None
            fa, fb = fields(a), fields(b)
            names = fa.keys() | fb.keys()
            ok = sum(fa.get(n) == fb.get(n) for n in names)
            agree += ok
            total += len(names)
            exact += ok == len(names)
        print(f"| {key} | {len(pairs)} | {agree}/{total} = {agree / total:.3f} "
              f"| {exact}/{len(pairs)} |")
        if imp.footnotes:
            sig = sum(a.signal == b.signal and a.locator == b.locator
                      for f, g in zip(imp.footnotes, doc.footnotes, strict=False)
                      for a, b in zip(f.cites, g.cites, strict=False))
            kinds = sum(f.kind == g.kind for f, g in zip(imp.footnotes, doc.footnotes,
                                                          strict=False))
            print(f"\n{len(imp.footnotes)} notes ({kinds} of the right kind), "
                  f"{sum(len(f.cites) for f in imp.footnotes)} cites, {sig} with the "
                  "transcribed signal and locator")


def speed(runs: int, peer: Path | None = None) -> None:
    anystyle = SHARED / "reference-strings" / "anystyle"
    if not (anystyle / "core.xml").exists():
        print(f"speed: skipped ({anystyle} not found)")
        return
    from annobib.sources.text.data import read_xml

    samples = []
    for name in ("core.xml", "good.xml", "ugly.xml", "bad.xml"):
        samples.extend(read_xml(anystyle / name))
    lines = [f"{i + 1}. {s.text}" for i, s in enumerate(samples[:10_000])]
    # this checkout, and (--peer) another version's src/ run alternately in the same run
    versions = {"this checkout": ROOT / "src"}
    if peer is not None:
        versions[f"peer {peer}"] = peer
    modes = ("bytecode cached", "sources compiled")
    keys = [(v, m) for v in versions for m in modes]
    walls: dict[tuple[str, str], list[float]] = {k: [] for k in keys}
    cpus: dict[tuple[str, str], list[float]] = {k: [] for k in keys}
    load: dict[tuple[str, str], list[float]] = {k: [] for k in keys}
    load_cpu: dict[tuple[str, str], list[float]] = {k: [] for k in keys}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "refs10k.txt"
        src.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = Path(tmp) / "out.yaml"
        cmd = [sys.executable, "-m", "annobib", "import", str(src), "--from", "text", "-o",
               str(out), "--force", "-q"]
        envs = {(v, m): _env(path, Path(tmp) / f"pyc{i}" if m == modes[0] else None)
                for i, (v, path) in enumerate(versions.items()) for m in modes}
        load_cmd = [sys.executable, "-c",
                    "import time; t=time.perf_counter(); c=time.process_time(); "
                    "from annobib.sources.text.crf import Model; Model(); "
                    "print(time.perf_counter()-t, time.process_time()-c)"]
        for k in keys:  # fills the bytecode caches (untimed)
            if k[1] == modes[0]:
                for warm in ([cmd] if runs else []) + [load_cmd]:
                    subprocess.run(warm, check=False, capture_output=True, env=envs[k])
        for _ in range(runs):
            for k in keys:
                before = os.times()
                t = time.perf_counter()
                subprocess.run(cmd, check=False, capture_output=True, env=envs[k])
                walls[k].append(time.perf_counter() - t)
                after = os.times()
                cpus[k].append(after.children_user - before.children_user
                               + after.children_system - before.children_system)
        for _ in range(5):
            for k in keys:
                r = subprocess.run(load_cmd, capture_output=True, text=True, check=True,
                                   env=envs[k])
                wall, cpu = r.stdout.split()
                load[k].append(float(wall))
                load_cpu[k].append(float(cpu))
    print(f"\n### Speed (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| version | bytecode | what | median wall s (runs) | median CPU s (runs) "
          "| references/s wall | references per CPU s |")
    print("|---|---|---|---:|---:|---:|---:|")
    for k in keys if runs else []:
        w, c = statistics.median(walls[k]), statistics.median(cpus[k])
        print(f"| {k[0]} | {k[1]} | import 10,000 references, whole process | {w:.2f} "
              f"({', '.join(f'{x:.2f}' for x in walls[k])}) | {c:.2f} "
              f"({', '.join(f'{x:.2f}' for x in cpus[k])}) | {10_000 / w:,.0f} "
              f"| {10_000 / c:,.0f} |")
    for k in keys:
        print(f"| {k[0]} | {k[1]} | load the model (import + open, fresh process) "
              f"| {statistics.median(load[k]):.3f} "
              f"({', '.join(f'{x:.3f}' for x in load[k])}) | {statistics.median(load_cpu[k]):.3f} "
              f"({', '.join(f'{x:.3f}' for x in load_cpu[k])}) | | |")
    for name, path in versions.items():
        model = path / "annobib" / "sources" / "text" / "model.crfsuite"
        print(f"\nModel file ({name}): {model.stat().st_size:,} bytes")
        stale = next(path.rglob("__pycache__"), None)
        if stale is not None:
            print(f"({stale} exists: the 'sources compiled' rows read that bytecode)")


def _env(path: Path, cache: Path | None) -> dict[str, str]:
    """The child's environment: ``path`` first on the module path; bytecode cached under
    ``cache``, or (``None``) never written, so an editable checkout compiles at every start."""
    env = dict(os.environ, PYTHONPATH=str(path))
    env.pop("PYTHONPYCACHEPREFIX", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip", action="append", default=[], choices=["speed", "accuracy", "import"],
                    help="leave out a part (import: the 10,000-reference runs, not the load)")
    ap.add_argument("--peer", type=Path, default=None,
                    help="another version's src/ directory, timed alternately with this one")
    args = ap.parse_args()
    if "accuracy" not in args.skip:
        accuracy()
    if "speed" not in args.skip:
        speed(0 if "import" in args.skip else args.runs, args.peer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
