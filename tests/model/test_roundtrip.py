"""YAML -> model -> YAML without loss, for the shipped data and for generated records."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annobib.model import Document, Person, Work
from annobib.model.schema import schema_text
from annobib.sources.yaml import dump_document, load_paths, parse_document

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = sorted((ROOT / "data").glob("*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_shipped_data_round_trips(path: Path) -> None:
    loaded, findings = parse_document(path.read_text(encoding="utf-8"), str(path))
    assert findings == [] and loaded is not None
    text = dump_document(loaded.document)
    again, findings2 = parse_document(text, "dumped.yaml")
    assert findings2 == [] and again is not None
    assert again.document == loaded.document
    # and the canonical text is a fixed point
    assert dump_document(again.document) == text


def test_short_forms_are_written_back_short() -> None:
    doc = Document.model_validate(
        {
            "works": [
                {
                    "key": "t",
                    "type": "book",
                    "title": "Plain",
                    "author": ["Tomberg, I. R.", "{United Nations}", "Smith, John"],
                    "issued": "1999-23",
                }
            ]
        }
    )
    text = dump_document(doc)
    assert "- Tomberg, I. R.\n" in text
    assert "- '{United Nations}'\n" in text
    assert "title: Plain\n" in text
    assert "issued: 1999-23\n" in text or "issued: '1999-23'\n" in text


def test_json_schema_in_docs_is_in_sync() -> None:
    committed = (ROOT / "docs" / "annobib.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "docs/annobib.schema.json is stale: run python -m annobib.model.schema > "
        "docs/annobib.schema.json"
    )


def test_shipped_data_validates_against_the_json_schema() -> None:
    import json

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "docs" / "annobib.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in DATA_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_load_paths_reads_directories_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / ".crossref").mkdir()
    (tmp_path / ".crossref" / "x.yaml").write_text("not: annobib\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("annobib: 1\nworks: []\n", encoding="utf-8")
    result = load_paths([tmp_path])
    assert result.findings == []
    assert [d.path for d in result.library.documents] == [str(tmp_path / "a.yaml")]


# --- generated records ---------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "N", "P", "Zs", "S"), exclude_characters="\x85\u2028\u2029"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")
_family = _text.filter(lambda s: "," not in s and not (s.startswith("{") and s.endswith("}")))


@st.composite
def works(draw: st.DrawFn) -> Work:
    n = draw(st.integers(0, 3))
    authors = [
        Person(family=draw(_family), given=draw(st.none() | _text.filter(lambda s: "," not in s)))
        for _ in range(n)
    ]
    return Work(
        key=draw(st.from_regex(r"[a-z][a-z0-9\-]{0,15}", fullmatch=True)),
        type=draw(st.sampled_from(["book", "journal-article", "web-page", "treaty"])),
        title=draw(st.none() | _text),
        author=authors,
        volume=draw(st.none() | _text),
        pages=draw(st.none() | _text),
        issued=draw(st.none() | st.sampled_from(["2001", "1999-23", "2022-05-14", "1850-02"])),
        language=draw(st.none() | st.sampled_from(["ru", "en", "ja", "ru-Latn", "zh-Hans"])),
        note=draw(st.none() | _text),
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(works(), min_size=1, max_size=4))
def test_generated_records_round_trip(ws: list[Work]) -> None:
    doc = Document(works=ws)
    text = dump_document(doc)
    again, findings = parse_document(text, "gen.yaml")
    assert findings == []
    assert again is not None and again.document == doc


def test_single_author_short_form_and_schema() -> None:
    import json

    import jsonschema
    import yaml

    text = "annobib: 1\nworks:\n  - {key: t, type: book, author: 'Tomberg, I. R.'}\n"
    loaded, findings = parse_document(text, "one.yaml")
    assert findings == [] and loaded is not None
    person = loaded.document.works[0].author[0]
    assert (person.family, person.initials) == ("Tomberg", "I. R.")
    schema = json.loads((ROOT / "docs" / "annobib.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(text))) == []
