"""Benchmark: precision and recall of the Crossref matcher (``annobib review`` / ``check``).

One command:  python benchmarks/matching.py [--styles apa,ieee,...] [--limit N]

Strings are rendered from the recorded work records (``tests/fixtures/crossref/``, copies of
``../shared/crossref-samples/``: the single records and the items of the recorded lists and
searches) in several CSL styles, with typical damage:

- ``clean``: as the style prints it;
- ``initials``: given names cut to initials;
- ``no-pages``: the pages left out;
- ``wrong-year``: the year one too high;
- ``translit``: a Cyrillic title transliterated (BGN/PCGN) and marked ``(In Russ.)``
  (only for the records with a Cyrillic title).

Each string is parsed by the text parser (``annobib import --from text``) and the parsed work
found by :func:`annobib.checks.matching.find` against the stand-in Crossref
(``tests/crossref_standin.py``), whose ``query.bibliographic`` route answers with the recorded
records that share most words with the query, in the recorded search envelope.

Every string is asked twice: once with its record in the stand-in's pool (a positive: the
right answer is "matched" with its DOI) and once with the record hidden (a negative: the
right answer is anything but "matched"; a match there is a false positive, as is a match to a
wrong DOI in a positive). Precision = right matches / all matches; recall = right matches /
positives. Needs no network but loopback; reads nothing outside the repository.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

import iuliia  # noqa: E402

from annobib.checks.matching import Verdict, find  # noqa: E402
from annobib.exporters.formatted import csl_items  # noqa: E402
from annobib.model import Work  # noqa: E402
from annobib.services.crossref import CrossrefService, RetryPolicy  # noqa: E402
from annobib.services.evidence import EvidenceStore  # noqa: E402
from annobib.sources.crossref import work_from_crossref  # noqa: E402
from annobib.sources.interchange import KeyRegistry  # noqa: E402
from annobib.sources.text import read_list  # noqa: E402
from annobib.sources.text.records import to_model  # noqa: E402
from annobib.styles import Formatter  # noqa: E402
from annobib.textmatch import has_cyrillic  # noqa: E402
from crossref_standin import StandIn, running  # noqa: E402

TYPES = {"journal-article", "book-chapter", "book", "monograph", "proceedings-article",
         "posted-content", "dissertation", "report", "edited-book"}
DAMAGES = ("clean", "initials", "no-pages", "wrong-year", "translit")


def subjects(server: StandIn) -> list[dict[str, Any]]:
    out = []
    for rec in server.search_pool():
        titles = [t for t in rec.get("title", []) if isinstance(t, str) and t.strip()]
        if rec.get("type") in TYPES and titles and (rec.get("author") or rec.get("editor")):
            out.append(rec)
    return out


def damaged(item: dict[str, Any], damage: str) -> dict[str, Any] | None:
    it = {k: v for k, v in item.items()}
    if damage == "initials":
        names = []
        for p in it.get("author", []):
            p = dict(p)
            if p.get("given"):
                p["given"] = " ".join(w[0] + "." for w in str(p["given"]).replace(".", " ").split()
                                      if w)
            names.append(p)
        it["author"] = names
    elif damage == "no-pages":
        if "page" not in it:
            return None
        it.pop("page")
    elif damage == "wrong-year":
        issued = it.get("issued", {}).get("date-parts")
        if not issued or not issued[0]:
            return None
        it["issued"] = {"date-parts": [[int(issued[0][0]) + 1]]}
    elif damage == "translit":
        title = str(it.get("title", ""))
        if not has_cyrillic(title):
            return None
        it["title"] = iuliia.BGN_PCGN.translate(title) + " (In Russ.)"
    return it


def parsed_work(text: str) -> Work | None:
    imp = to_model(read_list(text, "bench.txt"), KeyRegistry(), "bench.txt")
    works = [r.work for r in imp.references if r.work is not None]
    return works[0] if works else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--styles", default="apa,ieee,chicago-author-date,gost-r-7-0-5-2008")
    ap.add_argument("--limit", type=int, default=0, help="at most N records (0: all)")
    args = ap.parse_args()
    styles = args.styles.split(",")
    server = running(None, announce=False)
    server.search_works = True
    tally: Counter[str] = Counter()
    rows: list[tuple[str, str, str, str, str]] = []  # style, damage, doi, pos verdict, neg
    t0 = time.perf_counter()
    try:
        recs = subjects(server)
        if args.limit:
            recs = random.Random(7).sample(recs, min(args.limit, len(recs)))
        with tempfile.TemporaryDirectory() as tmp, Formatter() as formatter:
            def service(name: str) -> CrossrefService:
                return CrossrefService(api_url=server.url, mailto="bench@example.org",
                                       store=EvidenceStore(Path(tmp) / name),
                                       retry=RetryPolicy(attempts=2, connect_attempts=1,
                                                         timeout=10, max_time=3600))
            for style in styles:
                st = formatter.style(style)
                for i, rec in enumerate(recs):
                    doi = str(rec["DOI"]).lower()
                    work, _ = work_from_crossref(rec, f"w{i}")
                    base = csl_items([work.model_copy(update={"doi": None, "url": None})])[0]
                    for damage in DAMAGES:
                        item = damaged(base, damage)
                        if item is None:
                            continue
                        item["id"] = f"{style}-{i}-{damage}"  # the engine keeps items by id
                        text = formatter.bibliography([item], st, None, "text").entries[0]
                        parsed = parsed_work(text)
                        if parsed is None:
                            tally["unparsed"] += 1
                            continue
                        parsed = parsed.model_copy(update={"doi": None})
                        server.search_hidden = set()
                        pos = find(parsed, service(f"pos-{style}"), text)
                        server.search_hidden = {doi}
                        neg = find(parsed, service(f"neg-{style}"), text)
                        tally["positives"] += 1
                        tally["negatives"] += 1
                        if pos.verdict is Verdict.MATCHED:
                            tally["tp" if pos.doi == doi else "fp-wrong-doi"] += 1
                        else:
                            tally[f"pos-{pos.verdict.value}"] += 1
                        if neg.verdict is Verdict.MATCHED:
                            tally["fp-hidden"] += 1
                        else:
                            tally[f"neg-{neg.verdict.value}"] += 1
                        tally[f"{damage}-n"] += 1
                        if pos.verdict is Verdict.MATCHED and pos.doi == doi:
                            tally[f"{damage}-tp"] += 1
                        rows.append((style, damage, doi, pos.verdict.value, neg.verdict.value))
    finally:
        server.stop()
    elapsed = time.perf_counter() - t0
    tp = tally["tp"]
    fp = tally["fp-wrong-doi"] + tally["fp-hidden"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / tally["positives"] if tally["positives"] else 0.0
    print(f"records: {len(recs)}; styles: {', '.join(styles)}; strings: {tally['positives']} "
          f"(+{tally['unparsed']} the parser gave no record for); {elapsed:.1f} s")
    print(f"precision {precision:.3f} ({tp} right of {tp + fp} matches; "
          f"{tally['fp-wrong-doi']} wrong DOI, {tally['fp-hidden']} matched while hidden)")
    print(f"recall {recall:.3f} ({tp} of {tally['positives']} positives)")
    for damage in DAMAGES:
        n = tally[f"{damage}-n"]
        if n:
            print(f"  {damage:11s} recall {tally[f'{damage}-tp'] / n:.3f} ({n} strings)")
    misses = Counter(k for k in tally if k.startswith(("pos-", "neg-")))
    print("verdicts:", ", ".join(f"{k} {tally[k]}" for k in sorted(misses)))
    return 0 if precision >= 0.98 else 1


if __name__ == "__main__":
    raise SystemExit(main())
