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
    not. Citation fixtures with ``CITATIONS`` (clusters with positions in notes, which
    ``annobib cite`` cannot express: it prints one cluster) are counted in the totals and also
    apart (``MODE, with CITATIONS``).

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
    from annobib.model.csl import normal as csl_normal

    return csl_normal(value)


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


# --- (b) rendering ------------------------------------------------------------------------------

# What citeproc-test-runner does with a fixture, in the same V8 context annobib formats with:
# the items of the fixture only, the locales on demand, and the runner's output conventions
# (bibliography: bibstart + entries + bibend; citations: one line per cluster, and for
# CITATIONS the ">>[n]"/"..[n]" lines of every citation after the last call).
_RUNNER_JS = r"""
function __conf_run(styleXml, items, mode, citationItems, citations, bibentries, bibsection,
                    lang) {
  __annobib.items = {};
  var ids = [];
  for (var i = 0; i < items.length; i++) {
    __annobib.items[items[i].id] = items[i];
    ids.push(items[i].id);
  }
  var engine = new CSL.Engine(__annobib.sys, styleXml, lang);
  if (mode === "bibliography") {
    if (bibentries) {
      for (var k = 0; k < bibentries.length; k++) { engine.updateItems(bibentries[k]); }
    } else {
      engine.updateItems(ids);
    }
    var r = bibsection ? engine.makeBibliography(bibsection) : engine.makeBibliography();
    if (!r) { return ""; }
    return r[0].bibstart + r[1].join("") + r[0].bibend;
  }
  if (citations) {
    var all = {}, order = [], last = [];
    for (var c = 0; c < citations.length; c++) {
      var res = engine.processCitationCluster(citations[c][0], citations[c][1], citations[c][2]);
      last = [];
      for (var j = 0; j < res[1].length; j++) {
        all[res[1][j][0]] = res[1][j][1];
        last.push(res[1][j][0]);
      }
    }
    var lines = [];
    var reg = engine.registry.citationreg.citationByIndex;
    for (var n = 0; n < reg.length; n++) {
      var mark = last.indexOf(n) > -1 ? ">>" : "..";
      lines.push(mark + "[" + n + "] " + all[n]);
    }
    return lines.join("\n");
  }
  var clusters = citationItems || [ids.map(function (x) { return {id: x}; })];
  var out = [], pre = [];
  for (var m = 0; m < clusters.length; m++) {
    var citation = {citationID: "CITATION-" + m, citationItems: clusters[m],
                    properties: {noteIndex: m + 1}};
    var got = engine.processCitationCluster(citation, pre, []);
    pre.push(["CITATION-" + m, m + 1]);
    for (var q = 0; q < got[1].length; q++) { out[got[1][q][0]] = got[1][q][1]; }
  }
  return out.join("\n");
}
"""


def _locales(js: Any) -> None:
    from annobib.styles.catalog import locales_dir

    for path in sorted(locales_dir().glob("locales-*.xml")):
        tag = path.stem[len("locales-"):]
        js.call("__annobib_locale", tag, path.read_text(encoding="utf-8"))


def render(js: Any, sec: dict[str, str], items: list[Any]) -> str:
    mode = sec.get("MODE", "").strip()
    lang = "en-US"
    m = re.search(r'default-locale="([^"]+)"', sec["CSL"])
    if m:
        lang = m.group(1)

    def opt(name: str) -> Any:
        return json.loads(sec[name]) if name in sec else None

    return str(js.call("__conf_run", sec["CSL"], items, mode, opt("CITATION-ITEMS"),
                       opt("CITATIONS"), opt("BIBENTRIES"), opt("BIBSECTION"), lang))


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def run_render(fixtures: list[tuple[str, dict[str, str]]], show: int) -> dict[str, Any]:
    from annobib.styles.citeproc import CiteprocJS

    counts: dict[str, dict[str, int]] = {}
    failing: list[str] = []
    t0 = time.perf_counter()
    js = CiteprocJS()
    js.call("__annobib_version")  # loads citeproc-js
    js._ctx.eval(_RUNNER_JS)
    _locales(js)
    version = js.version()
    for name, sec in fixtures:
        mode = sec.get("MODE", "").strip()
        if mode not in ("bibliography", "citation") or "INPUT" not in sec or "CSL" not in sec:
            continue
        groups = [mode] + ([f"{mode}, with CITATIONS"] if "CITATIONS" in sec else [])
        for group in groups:
            counts.setdefault(group, {"fixtures": 0, "raw_pass": 0, "annobib_pass": 0,
                                      "annobib_fail": 0, "same_output": 0})["fixtures"] += 1
        try:
            items = json.loads(sec["INPUT"])
        except json.JSONDecodeError:
            continue
        if isinstance(items, dict):
            items = [items]
        want = _norm(sec.get("RESULT", ""))
        try:
            raw = _norm(render(js, sec, items))
        except Exception:
            raw = "<error>"
        out, _ = round_trip(items, name)
        try:
            ours = _norm(render(js, sec, out))
        except Exception as exc:
            ours = f"<error {exc}>"
        for group in groups:
            c = counts[group]
            if ours == raw:
                c["same_output"] += 1
            if raw == want:
                c["raw_pass"] += 1
                if ours == want:
                    c["annobib_pass"] += 1
                else:
                    c["annobib_fail"] += 1
        if raw == want and ours != want:
            failing.append(f"{name} ({mode})")
    js.close()
    for mode, c in counts.items():
        print(f"render, {mode}: {c['fixtures']} fixtures; citeproc-js {version} passes "
              f"{c['raw_pass']} on the raw input; of these annobib's round trip passes "
              f"{c['annobib_pass']} and fails {c['annobib_fail']}; output identical to the "
              f"raw input's in {c['same_output']}")
    for line in failing[:show]:
        print("  fails: " + line)
    return {"citeproc_js": version, "modes": counts, "failing": failing,
            "seconds": round(time.perf_counter() - t0, 1)}


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
        report["render"] = run_render(fixtures, args.show)
    if args.json is not None:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
