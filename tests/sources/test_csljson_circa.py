"""A ``circa`` annobib doubts is kept as written and reported, not read in silence (issue 12: "a
value annobib doubts is kept as it was and reported, not dropped")."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annobib.exporters.csljson import library_to_csl
from annobib.model import csl
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.csljson import read_csljson


def _read(circa: Any) -> tuple[Any, list[str], dict[str, Any]]:
    item = {"id": "d", "type": "book", "title": "T",
            "issued": {"date-parts": [[1984]], "circa": circa}}
    r = read_csljson(json.dumps([item]), "x.json")
    (work,) = r.works
    (out,) = library_to_csl(Library([LoadedDocument("x", Document(works=[work]))]))
    assert csl.normal(out["issued"]) == csl.normal(item["issued"])  # comes back as it was
    return work, [f"{f.code} {f.field}: {f.message}" for f in r.findings], out


@pytest.mark.parametrize(("circa", "approximate"), [
    ("false", True), ("0", True), ("maybe", True), (2, True), ({"x": 1}, True), ([], False),
])
def test_a_doubtful_circa_is_kept_and_reported(circa: Any, approximate: bool) -> None:
    work, findings, _ = _read(circa)
    assert work.issued is not None and work.issued.year == 1984  # the date is not dropped
    assert work.issued.approximate is approximate
    assert work.verbatim is not None and "issued" in work.verbatim["csl"]
    (finding,) = findings
    assert finding.startswith("A416 issued: circa ")
    assert ("as approximate" if approximate else "as not approximate") in finding


@pytest.mark.parametrize("circa", [True, False, 1, 0, "1", "true", "", None])
def test_a_plain_circa_is_not_reported(circa: Any) -> None:
    _, findings, _ = _read(circa)
    assert findings == []
