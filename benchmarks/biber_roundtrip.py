"""Benchmark: the biber round trip of the big corpora (issue #12).

One command:  python benchmarks/biber_roundtrip.py [--corpora DIR] [--only NAME]
              python benchmarks/biber_roundtrip.py --print-datamodel

For ``cdl.bib`` (6,315 entries), ``tugboat.bib`` (4,839) and ``biblatex-examples.bib`` (92)
from ``../shared/corpora/``: ``annobib import`` then ``export --to biblatex``, and
``biber --tool`` (default data model) on the original and on the export; prints the entries
and fields biber read from the original and every field that differs, by field name with an
example (the comparison of ``tests/clients/biber_roundtrip.py``, which the test suite runs on
biblatex-examples). Skips cleanly (exit 0) when the corpora or biber are absent.

``--print-datamodel`` prints ``src/annobib/codecs/biblatex_dm.py`` from the installed
biblatex's ``blx-dm.def`` (kpsewhich), to regenerate the table when biblatex adds fields.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
DEFAULT_CORPORA = HERE.parent.parent / "shared" / "corpora"
CORPORA = ("biblatex-examples.bib", "cdl.bib", "tugboat.bib")


def print_datamodel() -> None:
    where = subprocess.run(["kpsewhich", "blx-dm.def"], capture_output=True, text=True,
                           check=False).stdout.strip()
    if not where:
        sys.exit("blx-dm.def not found (Debian: texlive-bibtex-extra)")
    src = re.sub(r"%.*", "", Path(where).read_text(encoding="utf-8"))
    m = re.search(r"\\DeclareDatamodelEntrytypes\{([^}]*)\}", src)
    assert m is not None
    types = sorted(t.strip() for t in m.group(1).split(",") if t.strip())
    every: list[str] = []
    per: dict[str, set[str]] = {}
    for m2 in re.finditer(r"\\DeclareDatamodelEntryfields(?:\[([^\]]*)\])?\{([^}]*)\}", src):
        names = [x.strip() for x in m2.group(2).split(",") if x.strip()]
        if m2.group(1) is None:
            every = names
        else:
            for t in m2.group(1).split(","):
                per.setdefault(t.strip(), set()).update(names)

    def wrap(words: list[str], indent: str) -> list[str]:
        out, cur = [], ""
        for w in words:
            if len(cur) + len(w) + 1 > 88:
                out.append(indent + repr(cur + " "))
                cur = ""
            cur += (" " if cur else "") + w
        return [*out, indent + repr(cur)]

    print(f"# from {where}")
    print("ENTRY_TYPES: frozenset[str] = _f(", *wrap(types, "    "), ")", sep="\n")
    print("GLOBAL: frozenset[str] = _f(", *wrap(sorted(set(every)), "    "), ")", sep="\n")
    print("FIELDS: dict[str, frozenset[str]] = {")
    for t in sorted(per):
        print(f"    {t!r}: _f(", *wrap(sorted(per[t]), "        "), "    ),", sep="\n")
    print("}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--only", choices=CORPORA, default=None)
    ap.add_argument("--print-datamodel", action="store_true")
    args = ap.parse_args()
    if args.print_datamodel:
        print_datamodel()
        return 0
    if shutil.which("biber") is None:
        print("skip: biber is not installed")
        return 0
    from clients.biber_roundtrip import roundtrip

    for name in [args.only] if args.only else CORPORA:
        path = args.corpora / name
        if not path.is_file():
            print(f"skip: {path} not found")
            continue
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="annobib-biber-") as tmp:
            report = roundtrip(path.read_text(encoding="utf-8", errors="replace"), Path(tmp),
                               name)
        print(f"\n{name} ({time.perf_counter() - t0:.0f} s):")
        print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
