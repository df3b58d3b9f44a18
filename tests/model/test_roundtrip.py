"""YAML -> model -> YAML without loss, for the shipped data and for generated records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annobib.model import Document, Person, Work, WorkType
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


_EDTF = st.sampled_from([
    "2001", "1999-23", "2022-05-14", "1850-02", "2004-06/2006-08", "1999-21/1999-22", "1984?",
    "1984~", "1984-06-02%", "-0043-03-15", "0000", "19XX", "1985-04-XX", "../1985", "/1985",
    "1985/..", "1985/", "2004-01-01T10:10:10Z", "Y170000002",
])
_VERBATIM_VALUE = st.one_of(
    _text, st.integers(-5, 5), st.booleans(), st.none(),
    st.lists(st.integers(0, 3), max_size=2),
    st.fixed_dictionaries({"json": _text}).map(lambda d: {"json": json.dumps(d)}),  # encoded
)


@st.composite
def persons(draw: st.DrawFn) -> Person:
    parts = draw(st.fixed_dictionaries({}, optional={
        "dropping_particle": _family, "non_dropping_particle": _family, "suffix": _family,
        "comma_suffix": st.booleans(), "static_ordering": st.booleans(),
        "use_prefix": st.booleans(),
        "verbatim": st.fixed_dictionaries({"csl": st.dictionaries(_family, _VERBATIM_VALUE,
                                                                  max_size=2)}),
    }))
    given = draw(st.none() | _text.filter(lambda s: "," not in s))
    return Person(family=draw(_family), given=given, **parts)


@st.composite
def works(draw: st.DrawFn) -> Work:
    n = draw(st.integers(0, 3))
    authors = [draw(persons()) for _ in range(n)]
    wide = draw(st.fixed_dictionaries({}, optional={
        "title_short": _text, "subtitle": _text, "main_title": _text, "volume_title": _text,
        "container_author": st.lists(persons(), max_size=2),
        "reviewed_author": st.lists(persons(), max_size=1),
        "composer": st.lists(persons(), max_size=1),
        "original_date": _EDTF, "event_date": _EDTF, "submitted": _EDTF,
        "number": _text, "number_of_volumes": _text, "chapter_number": _text, "version": _text,
        "status": _text, "authority": _text, "archive_location": _text, "event_title": _text,
        "event_place": _text, "citation_label": _text, "eprint": _text, "eprint_type": _text,
        "crossref": _text, "xdata": st.lists(_text, max_size=2),
        "entryset": st.lists(_text, max_size=2),
        "verbatim": st.fixed_dictionaries({}, optional={
            "csl": st.dictionaries(_family, _VERBATIM_VALUE, max_size=3),
            "biblatex": st.dictionaries(st.from_regex(r"[a-z]{1,10}", fullmatch=True), _text,
                                        max_size=3),
        }),
    }))
    return Work(
        key=draw(st.from_regex(r"[a-z][a-z0-9\-]{0,15}", fullmatch=True)),
        type=draw(st.sampled_from([t.value for t in WorkType])),
        title=draw(st.none() | _text),
        author=authors,
        volume=draw(st.none() | _text),
        pages=draw(st.none() | _text),
        issued=draw(st.none() | _EDTF),
        language=draw(st.none() | st.sampled_from(["ru", "en", "ja", "ru-Latn", "zh-Hans"])),
        note=draw(st.none() | _text),
        **wide,
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
