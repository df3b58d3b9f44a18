"""HTML anchors of formatted output: one per entry, unique, stable, the key's own letters."""

from __future__ import annotations

import re

from annobib.exporters.base import ExportOptions
from annobib.exporters.formatted import export_formatted
from annobib.model.library import Document, Library, LoadedDocument
from annobib.styles import Formatter

# two Cyrillic keys of the same length: folding non-ASCII letters gave both `ref-------2001`
KEYS = ["иванов2001", "петров2001", "o&m<1>"]


def _work(key: str, family: str) -> dict[str, object]:
    return {"key": key, "type": "book", "title": f"Kniga {family}", "author": [f"{family}, I."], "issued": "2001"}


def _page(keys: list[str], formatter: Formatter) -> str:
    works = [_work(k, f"Author{n}") for n, k in enumerate(keys)]
    lib = Library([LoadedDocument("x.yaml", Document.model_validate({"works": works}))])
    return export_formatted(lib, ExportOptions(style="apa"), "html", formatter).text


def _ids(page: str) -> list[str]:
    return re.findall(r'<li id="([^"]*)">', page)


def test_colliding_keys_get_distinct_anchors_that_keep_their_letters(formatter: Formatter) -> None:
    ids = _ids(_page(KEYS, formatter))
    assert len(ids) == 3 and len(set(ids)) == 3
    assert {"ref-иванов2001", "ref-петров2001"} <= set(ids)
    # HTML5: any character but whitespace; the attribute itself is escaped
    assert "ref-o&amp;m&lt;1&gt;" in ids
    assert all(not re.search(r"\s", i) for i in ids)


def test_an_anchor_does_not_depend_on_the_other_entries(formatter: Formatter) -> None:
    alone = _ids(_page(["петров2001"], formatter))
    assert alone == ["ref-петров2001"]
    assert "ref-петров2001" in _ids(_page(KEYS, formatter))
