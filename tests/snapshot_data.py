"""Snapshot sources made from the recorded Crossref work records in ``tests/fixtures/crossref``.

- :func:`write_data_file` wraps recorded work messages in the public data file's shape: gzipped
  files, each ``{"items": [work, ...]}`` (the shape Crossref documents for the file). The
  records inside are the recorded messages, unchanged.
- :func:`derived_record` derives record ``i`` of a synthetic data file from the recorded ones,
  for tests that need many records (a build long enough to be killed) and for the benchmarks:
  a recorded message with a new DOI (``<prefix>/annobib-gen.<i>``), a title made of words drawn
  from the recorded titles, family names drawn from the recorded names, and a year, volume and
  first page drawn at random; every other field is the recorded message's. It is a function of
  ``i`` alone, so a reference list can be derived from the same records without storing them.
"""

from __future__ import annotations

import copy
import functools
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crossref_standin import _recorded


def recorded_messages() -> list[dict[str, Any]]:
    """Every recorded 200 work message (deep copies), sorted by DOI."""
    rec = _recorded()
    return [copy.deepcopy(rec.works[d]["body"]["message"]) for d in sorted(rec.found_dois())]


def write_data_file(folder: Path, records: Iterable[dict[str, Any]], per_file: int = 10,
                    start: int = 0, level: int = 6) -> list[Path]:
    """``folder/NNNNN.json.gz`` files of ``per_file`` records each, as the data file has them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    batch: list[dict[str, Any]] = []
    n = start

    def flush() -> None:
        nonlocal n, batch
        path = folder / f"{n:05d}.json.gz"
        data = json.dumps({"items": batch}, ensure_ascii=False).encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=level, mtime=0))
        paths.append(path)
        n += 1
        batch = []

    for r in records:
        batch.append(r)
        if len(batch) >= per_file:
            flush()
    if batch:
        flush()
    return paths


@functools.cache
def _pools() -> tuple[list[dict[str, Any]], list[str], list[str]]:
    messages = recorded_messages()
    words: set[str] = set()
    families: set[str] = set()
    for m in messages:
        for t in m.get("title") or []:
            if isinstance(t, str):
                words.update(w for w in re.findall(r"[^\W\d_]{3,}", t))
        for a in m.get("author") or []:
            if isinstance(a, dict) and isinstance(a.get("family"), str):
                families.add(a["family"])
    return messages, sorted(words), sorted(families)


class _Rnd:
    """splitmix64 seeded by the record number: cheap to start, the same on every machine."""

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def choice(self, seq: list[str]) -> str:
        return seq[self.next() % len(seq)]

    def randint(self, a: int, b: int) -> int:
        return a + self.next() % (b - a + 1)


_MASK = (1 << 64) - 1


def derived_record(i: int, references: bool = True) -> dict[str, Any]:
    """Record ``i`` of the synthetic data file (see the module's docstring)."""
    messages, words, families = _pools()
    base = messages[i % len(messages)]
    rnd = _Rnd(i)
    rec = dict(base)  # shallow: only the fields replaced below differ from the recording
    if not references:
        rec.pop("reference", None)
    prefix = str(base["DOI"]).split("/", 1)[0]
    rec["DOI"] = f"{prefix}/annobib-gen.{i}"
    n_words = max(4, min(14, len(str((base.get("title") or ["x"])[0] or "x").split())))
    rec["title"] = [" ".join(rnd.choice(words) for _ in range(n_words)).capitalize()]
    authors = base.get("author")
    if isinstance(authors, list):
        new = []
        for a in authors:
            if isinstance(a, dict) and "family" in a:
                a = dict(a)
                a["family"] = rnd.choice(families)
            new.append(a)
        rec["author"] = new
    year = rnd.randint(1950, 2025)
    for name in ("issued", "published", "published-print", "published-online", "posted"):
        d = base.get(name)
        if isinstance(d, dict) and isinstance(d.get("date-parts"), list) and d["date-parts"]:
            parts = list(d["date-parts"][0]) or [year]
            parts[0] = year
            rec[name] = {**d, "date-parts": [parts]}
    if "volume" in base:
        rec["volume"] = str(rnd.randint(1, 300))
    if isinstance(base.get("page"), str):
        first = rnd.randint(1, 2000)
        rec["page"] = f"{first}-{first + rnd.randint(1, 30)}"
    return rec


def derived_records(start: int, stop: int, references: bool = True) -> Iterator[dict[str, Any]]:
    for i in range(start, stop):
        yield derived_record(i, references)


@functools.cache
def _templates() -> list[tuple[str, tuple[str, ...]]]:
    """Per recorded record: its kept fields that :func:`derived_record` never changes, as a
    JSON text fragment, and the names of the fields it changes (in the kept order)."""
    from annobib.sources.snapshot import kept

    changed = ("DOI", "title", "author", "issued", "published", "published-print",
               "published-online", "posted", "volume", "page")
    out = []
    for m in _pools()[0]:
        k = kept(m)
        rest = {n: v for n, v in k.items() if n not in changed}
        text = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:-1]
        out.append((text, tuple(n for n in k if n in changed)))
    return out


def derived_json(i: int) -> str:
    """The snapshot's record text for :func:`derived_record` ``(i, references=False)``, made
    without building the whole record: the unchanged fields come from a template. The same
    record (``json.loads(derived_json(i)) == kept(derived_record(i, False))``), field order
    aside."""
    rec = derived_record(i, references=False)
    text, names = _templates()[i % len(_pools()[0])]
    parts = [json.dumps(n) + ":" + json.dumps(rec[n], ensure_ascii=False, separators=(",", ":"))
             for n in names]
    body = ",".join(parts)
    return "{" + body + ("," + text if text and body else text) + "}"

