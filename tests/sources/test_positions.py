"""Record positions noted by the fast reader are the ones the locating reader gives.

A valid file is read once, by the fast reader, which notes where each record, each of its
fields and each ``ref:`` is written; findings take their ``file:line:col`` from there. The
locating reader (every node's position, used when a file has problems) is the reference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.sources import yaml as yaml_source
from annobib.sources.located import read_located

ROOT = Path(__file__).resolve().parents[2]


def both(text: str) -> tuple[object, object]:
    fast = yaml_source._indexer(text, "f.yaml", None)()
    located = yaml_source._indexer(text, "f.yaml", read_located(text, "f.yaml"))()
    return fast, located


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.yaml")), ids=lambda p: p.name)
def test_the_articles_in_data(path: Path) -> None:
    fast, located = both(path.read_text(encoding="utf-8"))
    assert fast == located
    assert len(fast.fields) >= 100  # type: ignore[attr-defined]
    assert fast.refs or fast.definitions  # type: ignore[attr-defined]


def test_nested_records_repeats_refs_and_flow_style() -> None:
    text = """annobib: 1
article: {key: art, type: journal-article, title: "A: b", author: [Doe, J.]}
references:
- n: 1
  ref: b1
- n: 2
  work:
    key: outer
    type: book
    note: |
      two
      lines
    inner: {key: nested, type: misc, ref: b1}
    title: T
- n: 3
  ref: outer
works:
- key: outer
  type: report
- {key: b1, type: misc, title: "x"}
"""
    fast, located = both(text)
    assert fast == located
    index = fast
    # the outer record is defined before the record nested in it, as a walk meets them
    assert [k for k, _ in index.definitions] == [  # type: ignore[attr-defined]
        "art", "outer", "nested", "outer", "b1"]
    assert [k for k, _ in index.refs] == ["b1", "b1", "outer"]  # type: ignore[attr-defined]
    # the first definition names the fields; the repeat does not replace them
    assert index.origins["outer"].line == 8  # type: ignore[attr-defined]
    assert index.fields[("outer", "title")].line == 14  # type: ignore[attr-defined]
    assert index.fields[("art", "title")].col == 51  # type: ignore[attr-defined]
