"""Conformance: the CSL test suite's fixtures through annobib's CSL-JSON import and export.

One command:  python benchmarks/csl_conformance.py [--suite DIR] [--only roundtrip|render]
              [--show N] [--json FILE]

Reads the fixtures of the CSL processor test suite from ``../shared/csl-test-suite/humans/``
(845 ``.txt`` files; the suite has no licence, so it is read from there and never copied into
this repository). Skips cleanly (exit 0 with a message) when the directory is absent.

(a) Round trip: each fixture's ``INPUT`` items go through what ``annobib import --from csljson``
    then ``annobib export --to csljson`` do (read, write the YAML file, read it back, export),
    in process. An item counts as changed when the item exported under its id differs from the
    input item; numbers may come back as the equivalent numeric strings, and an item whose id
    repeats one seen before in the same fixture is looked up under the new id the import gave
    it (``docs/cli.md``, A412).
(b) Rendering: every fixture in ``bibliography`` or ``citation`` mode is rendered by the pinned
    citeproc-js (annobib's own engine, in process) twice: from the raw input items, and from the
    items annobib exported after the round trip. A fixture counts when the raw rendering
    matches the fixture's ``RESULT``; it fails for annobib when the round-tripped rendering does
    not. Citation fixtures whose ``CITATIONS`` (citations with positions in notes) annobib
    cannot express are counted apart.

Prints the counts and the changed items (``--show``), and writes them as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SUITE = HERE.parent.parent / "shared" / "csl-test-suite" / "humans"

_SECTION = re.compile(r">>=+\s*([A-Z-]+)\s*=+>>\n(.*?)\n<<=+\s*\1\s*=+<<", re.S)


def sections(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in _SECTION.finditer(text)}


def normal(value: Any) -> Any:
    """Numbers as the equivalent strings; everything else as is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return [normal(v) for v in value]
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    return value


def round_trip(items: list[Any], name: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """What ``import --from csljson`` then ``export --to csljson`` give for ``items``: the
    exported items and the import's findings."""
    from annobib.exporters.base import ExportOptions
    from annobib.exporters.csljson import library_to_csl
    from annobib.model.library import Library
    from annobib.sources.csljson import read_csljson
    from annobib.sources.yaml import parse_document
    from annobib.sources.yamlfast import document_yaml, work_yaml

    result = read_csljson(json.dumps(items, ensure_ascii=False, indent=1), name)
    text = document_yaml([work_yaml(w) for w in result.works])
    loaded, findings = parse_document(text, name + ".yaml")
    if loaded is None:
        raise RuntimeError(f"{name}: the written YAML does not load: {findings}")
    library = Library([loaded])
    return library_to_csl(library, ExportOptions()), [*result.findings, *findings]


def compare(items: list[Any], out: list[dict[str, Any]]) -> list[str]:
    """The input items that did not come back unchanged, with what differs. The export keeps
    the input's order; an identical repeat of an item is imported once, so it is compared with
    the first; an item with a new id (a repeated id, or none) is compared without its id."""
    pos = 0
    seen: dict[str, tuple[str, dict[str, Any] | None]] = {}
    changed: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        raw_id = str(item.get("id"))
        content = json.dumps(item, sort_keys=True, ensure_ascii=False)
        earlier = seen.get(raw_id)
        if earlier is not None and earlier[0] == content:
            got = earlier[1]
        else:
            got = out[pos] if pos < len(out) else None
            pos += 1
            seen.setdefault(raw_id, (content, got))
        want = normal({k: v for k, v in item.items() if k != "id"})
        have = normal({k: v for k, v in got.items() if k != "id"}) if got else None
        if have != want:
            changed.append(f"{raw_id}: {describe(want, have)}")
    return changed


def describe(want: dict[str, Any], have: dict[str, Any] | None) -> str:
    if have is None:
        return "missing"
    parts = []
    for k in sorted(set(want) | set(have)):
        if want.get(k) != have.get(k):
            parts.append(f"{k}: {json.dumps(want.get(k), ensure_ascii=False)[:120]} -> "
                         f"{json.dumps(have.get(k), ensure_ascii=False)[:120]}")
    return "; ".join(parts)


def load_fixtures(suite: Path) -> list[tuple[str, dict[str, str]]]:
    out = []
    for path in sorted(suite.glob("*.txt")):
        out.append((path.stem, sections(path.read_text(encoding="utf-8"))))
    return out


def run_roundtrip(fixtures: list[tuple[str, dict[str, str]]]) -> dict[str, Any]:
    total = 0
    changed: list[str] = []
    unread: list[str] = []
    t0 = time.perf_counter()
    for name, sec in fixtures:
        if "INPUT" not in sec:
            continue
        try:
            items = json.loads(sec["INPUT"])
        except json.JSONDecodeError:
            unread.append(name)
            continue
        if isinstance(items, dict):
            items = [items]
        total += sum(1 for i in items if isinstance(i, dict))
        out, _findings = round_trip(items, name)
        changed.extend(f"{name}: {c}" for c in compare(items, out))
    return {
        "items": total,
        "changed": len(changed),
        "changed_items": changed,
        "unreadable_inputs": unread,
        "seconds": round(time.perf_counter() - t0, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    ap.add_argument("--only", choices=("roundtrip", "render"), default=None)
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not args.suite.is_dir():
        print(f"skipped: the CSL test suite is not at {args.suite}")
        return 0
    fixtures = load_fixtures(args.suite)
    report: dict[str, Any] = {"fixtures": len(fixtures)}
    if args.only in (None, "roundtrip"):
        rt = run_roundtrip(fixtures)
        report["roundtrip"] = rt
        print(f"round trip: {rt['changed']} of {rt['items']} items changed "
              f"({rt['seconds']} s)")
        for line in rt["changed_items"][: args.show]:
            print("  " + line[:400])
    if args.only in (None, "render"):
        from csl_render import run_render  # type: ignore[import-not-found]

        report["render"] = run_render(fixtures, args.show)
    if args.json is not None:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
