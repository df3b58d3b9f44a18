"""CSL-JSON export of the shipped data: schema-valid, ordered, faithful."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annobib.api import load
from annobib.exporters import ExportOptions, export
from annobib.exporters.csljson import library_to_csl, schema_errors

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    result = load([DATA])
    assert not result.findings
    return library_to_csl(result.library)


def test_export_validates_against_the_official_schema(items: list[dict[str, Any]]) -> None:
    assert schema_errors(items) == []


def test_vendored_schema_is_the_official_file() -> None:
    from importlib.resources import files

    shipped = files("annobib.schemas").joinpath("csl-data.json").read_bytes()
    assert json.loads(shipped)["items"]["additionalProperties"] is False
    assert json.loads(shipped)["description"].startswith("JSON schema for CSL input data")


def test_schema_catches_a_broken_item(items: list[dict[str, Any]]) -> None:
    broken = [dict(items[0], type="journal")]  # not a CSL type
    assert schema_errors(broken) != []


def test_one_item_per_work_in_list_order(items: list[dict[str, Any]]) -> None:
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids))
    # each article, then the works its list cites, in list order
    assert ids[0] == "mukimdzhanova2004"
    assert ids[1] == "miasnikov1997"  # footnote 1
    t = ids.index("tomberg2022")
    assert ids[t + 1] == "kamennov2019"  # reference 1
    assert ids[-1] == "china-turkmenistan-cooperation"  # reference 30
    # 2 articles + 30 references + 14 distinct works cited in the footnotes
    assert len(ids) == 46


def test_commentary_only_footnotes_produce_no_item() -> None:
    result = load([DATA])
    doc = next(d.document for d in result.library.documents if d.document.footnotes)
    commentary = [f for f in doc.footnotes if f.kind.value == "commentary"]
    assert commentary, "the data has commentary-only notes"
    cited = {c.target_key for f in doc.footnotes for c in f.cites}
    items = library_to_csl(result.library)
    ids = {i["id"] for i in items}
    # every item from this document is the article or a cited work; nothing else
    doc_ids = {w.key for w in doc.inline_works()}
    assert doc_ids == cited | {"mukimdzhanova2004"}
    assert doc_ids <= ids


def test_titles_exactly_as_printed_and_language_tags(items: list[dict[str, Any]]) -> None:
    by_id = {i["id"]: i for i in items}
    t = by_id["tomberg2022"]
    assert t["title"] == (
        "China’s Military and Military-Technical Cooperation with Central Asian Countries "
        "in the XXI Century"
    )
    assert t["language"] == "ru"
    assert t["DOI"] == "10.24975/2313-8920-2022-9-3-289-300"
    assert t["issued"] == {"date-parts": [[2022]]}
    assert t["volume"] == "9" and t["issue"] == "3" and t["page"] == "289-300"
    assert t["custom"]["reference-count"] == 30
    web = by_id["ermakov-nd"]
    assert web["type"] == "webpage"
    assert web["accessed"] == {"date-parts": [[2022, 5, 14]]}
    assert "issued" not in web  # undated: nothing invented
    m = by_id["mukimdzhanova2004"]
    assert m["custom"]["license"] == "CC BY 4.0"
    assert m["custom"]["rights"] == "Copyright (c) 2004 Author"  # as printed on the page
    assert "license" not in m.get("note", "")
    assert m["custom"]["title"]["printed"].isupper()


def test_annotations_are_annote_and_custom_never_note(items: list[dict[str, Any]]) -> None:
    by_id = {i["id"]: i for i in items}
    for key in ("tomberg2022", "mukimdzhanova2004"):
        item = by_id[key]
        assert item["annote"]
        assert item["custom"]["annotation"]["annotator"] == "annobib team"
        assert "note" not in item


def test_cyrillic_survives(tmp_path: Path) -> None:
    f = tmp_path / "ru.yaml"
    f.write_text(
        "annobib: 1\nworks:\n  - key: ivanov\n    type: book\n"
        "    title: {text: 'Библиографическое описание', lang: ru}\n"
        "    author: ['Иванов, И. П.']\n    issued: '2015'\n",
        encoding="utf-8",
    )
    text = export(load([f]).library, "csljson", ExportOptions()).text
    assert "Библиографическое описание" in text and "Иванов" in text
    assert "\\u04" not in text  # not escaped
    assert schema_errors(json.loads(text)) == []
