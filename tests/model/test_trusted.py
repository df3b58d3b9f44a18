"""The cache's form of a validated document builds back the models that validating the
document's YAML data gives: the same classes, values, types and field sets."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from annobib.model import trusted
from annobib.model.library import Document
from annobib.model.person import Person
from annobib.model.record import Work
from annobib.sources import yaml as yaml_source
from annobib.sources.yaml import read as yaml_read

ROOT = Path(__file__).resolve().parents[2]


def same(a: Any, b: Any, path: str = "") -> None:
    """``a`` and ``b`` alike in every attribute pydantic keeps, recursively."""
    assert type(a) is type(b), path
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, path
        assert list(a.__dict__) == list(b.__dict__), path
        assert a.__pydantic_extra__ == b.__pydantic_extra__, path
        assert a.__pydantic_private__ == b.__pydantic_private__, path
        for name, value in a.__dict__.items():
            same(value, b.__dict__[name], f"{path}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for k, v in a.items():
            same(v, b[k], f"{path}.{k}")
    else:
        assert a == b, path


def through_cache(doc: Document) -> Document:
    stored = marshal.loads(marshal.dumps(yaml_source.cached_data(doc)))
    return trusted.load(Document, stored["document"])


def validated_again(doc: Document) -> Document:
    """What the warm load gave before: the YAML data validated again."""
    return Document.model_validate(marshal.loads(marshal.dumps(yaml_source.document_data(doc))))


RICH = """annobib: 1
annobib-ignore: {A402: "kept for CSL"}
article:
  key: art
  type: journal-article
  title: {text: Заголовок, lang: ru, translated: {text: A title, lang: en}}
  author:
  - Tomberg, I. R.
  - {family: Gogh, given: Vincent, non-dropping-particle: van, orcid: 0000-0002-1825-0097}
  - '{United Nations}'
  issued: 2022-05-14
  accessed: 1985/..
  original-date: 19XX
  event-date: 1999-21/1999-22
  volume: '9'
  isbn: [978-3-16-148410-0]
  keywords: [one, two]
  annotation: {summary: S, tags: [t], date: 2020~}
  verbatim:
    csl: {citation-number: {json: '5'}, custom: {json: '{"a": [1, true, null]}'}}
    biblatex: {titleaddon: x}
  xdata: [a, b]
  annobib-ignore: {A2: because}
references:
- n: 1
  source: Doe J. A book. 1999.
  work: {key: b1, type: book, title: A book, author: [Doe, J.]}
  locator: p. 160
- n: 2
  source: Again.
  ref: b1
  locator: {label: chapter, value: '3'}
footnotes:
- n: 1
  kind: mixed
  source: See Doe, p. 5, and more.
  text: See Doe, p. 5, and more.
  cites:
  - {ref: b1, locator: '5', after: p. 5}
works:
- {key: w1, type: mvbook, title: T, main-title: M, number-of-volumes: '3'}
"""


def test_a_document_with_every_kind_of_field() -> None:
    loaded, findings = yaml_source.parse_document(RICH, "rich.yaml")
    assert loaded is not None, findings
    doc = loaded.document
    assert doc.footnotes and doc.references and doc.article is not None
    got = through_cache(doc)
    same(got, validated_again(doc))
    assert got == doc
    assert yaml_source.dump_document(got) == yaml_source.dump_document(doc)


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.yaml")), ids=lambda p: p.name)
def test_the_shipped_data(path: Path) -> None:
    loaded, findings = yaml_source.parse_document(path.read_text(encoding="utf-8"), str(path))
    assert loaded is not None, findings
    same(through_cache(loaded.document), validated_again(loaded.document))


def test_lists_filled_after_validation_are_kept() -> None:
    # the loader appends to a document's lists, which pydantic does not note as set
    doc = Document.model_validate({"annobib": 1})
    doc.works.append(Work.model_validate({"key": "k", "type": "misc"}))
    got = through_cache(doc)
    same(got, validated_again(doc))
    assert [w.key for w in got.works] == ["k"]


def test_defaults_are_not_shared_between_models() -> None:
    doc = Document.model_validate({"works": [{"key": "a", "type": "misc"},
                                             {"key": "b", "type": "misc"}]})
    got = through_cache(doc)
    got.works[0].author.append(Person.model_validate("Doe, J."))
    assert got.works[1].author == []


def test_a_field_it_cannot_build_is_refused_when_planned() -> None:
    class Odd(BaseModel):
        tags: set[str] = set()

    with pytest.raises(TypeError, match="no plan"):
        trusted.dump(Odd())


def test_a_warm_load_gives_the_cold_document(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOBIB_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "rich.yaml"
    path.write_text(RICH, encoding="utf-8")
    cold, cold_findings, _ = yaml_source.load_file(path)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(yaml_read, "parse_document", refuse)
    warm, warm_findings, _ = yaml_source.load_file(path)  # from the cache alone
    assert cold is not None and warm is not None
    same(warm.document, validated_again(cold.document))
    assert warm_findings == cold_findings


def test_an_unreadable_cache_entry_falls_back_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOBIB_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "rich.yaml"
    path.write_text(RICH, encoding="utf-8")
    cold, _, _ = yaml_source.load_file(path)
    for data in (tmp_path / "cache").rglob("*.data"):
        data.write_bytes(marshal.dumps({"document": ("no.such.Model", {})}))
    warm, _, _ = yaml_source.load_file(path)
    assert cold is not None and warm is not None
    assert warm.document == cold.document
