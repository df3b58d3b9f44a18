"""Hostile input to the readers (issue #13, items 8, 9, 10 and 13): every bad entry is a located
finding, every good record is still imported, and nothing ends in a traceback.

The inputs are built here (deep nesting, huge numbers, lone surrogates, control characters,
Unicode line separators); none comes from the project's shared material.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.exporters import export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.csljson import read_csljson
from annobib.sources.interchange import read_text
from annobib.sources.ris import read_ris
from annobib.sources.yaml import load_paths, parse_document

runner = CliRunner()

GOOD = {"id": "good", "type": "book", "title": "A good book", "issued": {"date-parts": [[2001]]}}


def _csl(bad_item_json: str) -> str:
    """A two-item CSL-JSON file, the bad item second and on line 3."""
    return "[\n" + json.dumps(GOOD) + ",\n" + bad_item_json + "\n]\n"


def _import(tmp_path: Path, name: str, text: str) -> tuple[int, str, list[str], Path]:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = tmp_path / "out.yaml"
    # warnings count here (import exits 0 on them by default): every finding must be reported
    r = runner.invoke(app, ["import", str(src), "-o", str(out), "--fail-on", "info"])
    assert "Traceback" not in r.output, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    keys = [w.key for w in load_paths([out]).library.works()] if out.exists() else []
    return r.exit_code, r.output, keys, src


# --- item 8: CSL-JSON ---------------------------------------------------------------------------


def test_csljson_nested_2000_deep_is_a_located_finding_and_the_rest_is_read() -> None:
    deep = '{"id": "deep", "type": "book", "title": "x", "note": ' + "[" * 2000 + "]" * 2000 + "}"
    r = read_csljson(_csl(deep), "in.json")
    assert [w.key for w in r.works] == ["good", "deep"]
    (f,) = [f for f in r.findings if f.key == "deep"]
    assert str(f.location) == "in.json:3" and f.field == "note"
    assert "nested" in f.message
    assert r.works[1].note is None


def test_csljson_nesting_deep_at_the_top_is_one_finding() -> None:
    text = "[\n" + json.dumps(GOOD) + ",\n" + "[" * 3000 + "]" * 3000 + "\n]"
    r = read_csljson(text, "in.json")
    assert [w.key for w in r.works] == ["good"]
    assert any(f.code == "A411" and f.location and f.location.line == 3 for f in r.findings)


def test_csljson_5000_digit_number_is_a_finding(tmp_path: Path) -> None:
    big = '{"id": "big", "type": "book", "title": "x", "volume": ' + "9" * 5000 + "}"
    code, output, keys, src = _import(tmp_path, "in.json", _csl(big))
    assert code == 1
    assert keys == ["good", "big"]
    assert f"{src}:3: big.volume: not imported: a number of 5000 digits" in output


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_csljson_non_finite_numbers_are_findings(number: str) -> None:
    item = '{"id": "n", "type": "book", "title": "x", "volume": ' + number + "}"
    r = read_csljson(_csl(item), "in.json")
    assert [w.key for w in r.works] == ["good", "n"]
    assert r.works[1].volume is None
    (f,) = [f for f in r.findings if f.key == "n"]
    assert f.field == "volume" and str(f.location) == "in.json:3"
    assert "not a finite JSON number" in f.message


@pytest.mark.parametrize("field", ["URL", "note", "title"])
def test_csljson_lone_surrogate_is_a_finding_and_the_output_is_written(
    tmp_path: Path, field: str
) -> None:
    item = '{"id": "s", "type": "webpage", "title": "x", "' + field + '": "abc\\ud800def"}'
    code, output, keys, src = _import(tmp_path, "in.json", _csl(item))
    assert code == 1
    assert keys == ["good", "s"]  # the record, without the value it cannot hold
    assert f"{src}:3: s.{field}: not imported: a lone surrogate (U+D800)" in output


def test_csljson_surrogate_pair_escapes_are_one_character() -> None:
    item = '{"id": "p", "type": "book", "title": "smile \\ud83d\\ude00"}'
    r = read_csljson(_csl(item), "in.json")
    assert r.works[1].title is not None and r.works[1].title.text == "smile 😀"
    assert not [f for f in r.findings if f.key == "p"]


def test_csljson_surrogate_in_an_unknown_field_or_custom_does_not_reach_findings_raw() -> None:
    item = '{"id": "u", "type": "book", "title": "x", "odd": "\\udc00", "custom": {"y": "\\ud800"}}'
    r = read_csljson(_csl(item), "in.json")
    assert [w.key for w in r.works] == ["good", "u"]
    for f in r.findings:
        json.dumps(f.to_json(), ensure_ascii=False).encode("utf-8")  # no lone surrogate left


# --- lone surrogates in RIS and YAML ------------------------------------------------------------


def test_ris_lone_surrogate_is_a_finding() -> None:
    text = "TY  - BOOK\nID  - a\nTI  - Fine\nER  - \nTY  - BOOK\nID  - b\nTI  - Odd \ud800 title\nPB  - P\nER  - \n"
    r = read_ris(text, "in.ris")
    assert [w.key for w in r.works] == ["a", "b"]
    assert r.works[1].title is None and r.works[1].publisher == "P"
    (f,) = [f for f in r.findings if f.key == "b"]
    assert str(f.location) == "in.ris:7" and "lone surrogate" in f.message


def test_yaml_surrogate_escape_is_a_located_finding(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text('annobib: 1\nworks:\n  - {key: a, type: book}\n  - key: b\n    type: book\n    note: "x\\ud800"\n', encoding="utf-8")
    loaded = load_paths([f], use_cache=False)
    (finding,) = loaded.findings
    assert finding.location is not None and finding.location.line == 6
    assert "a" in [w.key for w in loaded.library.works()]
    lib = loaded.library
    for fmt in ("csljson", "biblatex", "ris"):
        export(lib, fmt).text.encode("utf-8")


# --- item 9: RIS line separators ---------------------------------------------------------------

SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


def _library(works: list[dict[str, object]]) -> Library:
    doc = Document.model_validate({"annobib": 1, "works": works})
    return Library([LoadedDocument("t.yaml", doc)])


def test_ris_values_with_unicode_line_separators_come_back_as_written() -> None:
    works: list[dict[str, object]] = [
        {"key": f"r{i}", "type": "book", "title": f"before{sep}TY  - JOUR{sep}after",
         "note": f"one{sep}ER  - {sep}two", "publisher": f"P{i}"}
        for i, sep in enumerate(SEPARATORS)
    ]
    lib = _library(works)
    text = export(lib, "ris").text
    back = read_ris(text, "out.ris")
    assert len(back.works) == 8
    assert [w.key for w in back.works] == [f"r{i}" for i in range(8)]
    for w, original in zip(back.works, lib.works(), strict=True):
        assert w.title == original.title and w.note == original.note
        assert w.publisher == original.publisher


def test_ris_reader_splits_lines_on_cr_and_lf_only() -> None:
    text = "TY  - BOOK\r\nID  - a\r\nTI  - one\u2028TY  - JOUR\x1cER  - \r\nER  - \r\n"
    r = read_ris(text, "in.ris")
    assert [w.key for w in r.works] == ["a"]
    assert r.works[0].title is not None
    assert r.works[0].title.text == "one\u2028TY  - JOUR\x1cER  -"


# --- item 10: control characters at load --------------------------------------------------------


@pytest.mark.parametrize("escape,char", [("\\0", "\x00"), ("\\e", "\x1b"), ("\\a", "\x07"),
                                         ("\\v", "\x0b"), ("\\x9b", "\x9b")])
def test_yaml_control_character_in_a_value_is_a_located_finding(
    tmp_path: Path, escape: str, char: str
) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(f'annobib: 1\nworks:\n  - key: a\n    type: book\n    title: "bad{escape}title"\n', encoding="utf-8")
    loaded = load_paths([f], use_cache=False)
    (finding,) = loaded.findings
    assert str(finding.location) == f"{f}:5:12"
    assert finding.key == "a" and finding.field == "title"
    assert f"U+{ord(char):04X}" in finding.message
    (work,) = loaded.library.works()  # reported, and kept as written
    assert work.title is not None and work.title.text == f"bad{char}title"


def test_yaml_ordinary_escapes_are_not_control_characters(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text('annobib: 1\nworks:\n  - key: a\n    type: book\n    title: "tab\\there"\n    note: "one\\ntwo \\u2028 \\x41"\n', encoding="utf-8")
    loaded = load_paths([f], use_cache=False)
    assert loaded.findings == []


@pytest.mark.parametrize("fmt,text", [
    ("bibtex", "@book{a, title = {Fine}}\n@book{b, title = {Bell\x07 and Esc\x1b}, publisher = {P}}\n"),
    ("csljson", '[{"id": "a", "type": "book", "title": "Fine"},\n{"id": "b", "type": "book", "title": "Bell\\u0007 and Esc\\u001b", "publisher": "P"}]'),
    ("ris", "TY  - BOOK\nID  - a\nTI  - Fine\nER  - \nTY  - BOOK\nID  - b\nTI  - Bell\x07 and Esc\x1b\nPB  - P\nER  - \n"),
])
def test_imported_control_characters_are_reported_with_the_record(fmt: str, text: str) -> None:
    r = read_text(text, f"in.{fmt}", fmt)
    assert [w.key for w in r.works] == ["a", "b"]
    (f,) = [f for f in r.findings if f.key == "b" and f.field == "title"]
    assert "U+0007" in f.message and "U+001B" in f.message
    assert f.location is not None and f.location.line is not None


# --- item 13: where a raw control character is ---------------------------------------------------


def test_raw_control_character_reported_at_its_line_and_column() -> None:
    lines = ["annobib: 1", "works:"]
    i = 0
    while len(lines) < 300:
        lines += [f"  - key: k{i}", "    type: book", f"    title: Ключ {i}"]
        i += 1
    lines = [*lines[:300], "  - key: bad\x07x"]
    _, findings = parse_document("\n".join(lines) + "\n", "big.yaml")
    (f,) = findings
    assert str(f.location) == "big.yaml:301:13"
    assert "U+0007" in f.message
    assert "position" not in f.message


# --- found by tests/test_fuzz.py -----------------------------------------------------------------


def test_bibtex_commentary_is_an_entry_not_a_comment() -> None:
    # bibtexparser takes "@commentary" (a biblatex type, annobib's own export of a commentary)
    # for an "@comment": the record vanished without a finding
    text = "@string{x = {y}}\n@commentary{c1,\n  title = {T}, note = x\n}\n@comment{a comment}\n@book{b, title = {B}}\n"
    r = read_text(text, "in.bib", "bibtex")
    assert [(w.key, w.type.value) for w in r.works] == [("c1", "commentary"), ("b", "book")]
    assert r.works[0].note == "y"
    assert r.entries_seen == 2 and r.findings == []


def test_bibtex_export_of_a_chapter_without_a_book_says_it_is_misc() -> None:
    lib = _library([{"key": "c", "type": "chapter", "title": "T"}])
    result = export(lib, "bibtex")
    assert result.text.startswith("@misc{c,")
    assert [(f.code, f.field) for f in result.findings if f.code == "A403"] == [("A403", "type")]
