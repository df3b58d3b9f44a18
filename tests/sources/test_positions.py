"""Record positions noted by the fast reader are the ones the locating reader gives.

A valid file is read once, by the fast reader, which notes where each record, each of its
fields and each ``ref:`` is written; findings take their ``file:line:col`` from there. The
locating reader (every node's position, used when a file has problems) is the reference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.findings import Location
from annobib.sources import yaml as yaml_source
from annobib.sources.located import read_located, read_plain
from annobib.sources.yaml import positions, validate

ROOT = Path(__file__).resolve().parents[2]


def both(text: str) -> tuple[object, object]:
    fast = positions.indexer(text, "f.yaml", None)()
    located = positions.indexer(text, "f.yaml", read_located(text, "f.yaml"))()
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


def test_control_characters_are_found_where_the_locating_reader_puts_them() -> None:
    # escaped control characters are legal YAML: the fast reader notes them itself, at the
    # paths and positions the locating reader gives (A111 needs no located parse)
    text = """annobib: 1
article: {key: art, type: misc, title: "a\\x07b", note: ok}
references:
- n: 1
  work:
    key: w1
    type: book
    verbatim:
      biblatex: {note: "x\\x1by", list: ["ok", "\\u0085z"]}
    keywords: ["plain", "tab\\vhere"]
- "\\0 top"
works:
- key: w2
  type: misc
  title: "\\e[1m"
"""
    odd: list[tuple[tuple[str | int, ...], tuple[int, int], str]] = []
    fast_data = read_plain(text, None, odd)
    located = read_located(text, "f.yaml")
    assert fast_data == located.data
    assert validate._odd_found(odd) == validate._odd_walk(located.data, located)
    assert len(odd) == 6


def test_control_characters_do_not_make_the_load_locate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = 'annobib: 1\nworks:\n- {key: w, type: misc, title: "a\\x07b"}\n'

    def refuse(*_: object) -> None:
        raise AssertionError("the located reader was used")

    monkeypatch.setattr(validate, "read_located", refuse)
    loaded, findings = yaml_source.parse_document(text, "f.yaml")
    assert loaded is not None
    assert [(f.code, f.location, f.key, f.field) for f in findings] == [
        ("A111", Location("f.yaml", 3, 31), "w", "title")
    ]
