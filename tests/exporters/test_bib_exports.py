"""BibLaTeX, BibTeX and RIS exports: fields, types, warnings for what a format cannot hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bibtexparser.entrypoint
import pytest
import rispy

from annobib.exporters import ExportOptions, export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.yaml import load_paths

DATA = Path(__file__).resolve().parents[2] / "data"

ARTICLE = {
    "key": "kuzmina2022",
    "type": "journal-article",
    "title": {"text": "Евразийская интеграция и Центральная Азия", "lang": "ru",
              "translated": {"text": "Eurasian integration and Central Asia", "lang": "en"}},
    "author": ["Кузьмина, Е. М.", "{ООН}"],
    "container-title": "Постсоветские исследования",
    "issued": "2022-03",
    "accessed": "2022-05-14",
    "volume": "5",
    "issue": "3",
    "pages": "210–225",
    "doi": "10.24975/2313-8920-2022-5-3-210-225",
    "url": "https://example.org/a?x=1&y=%20#frag",
    "language": "ru",
    "keywords": ["ЕАЭС", "Central Asia"],
    "abstract": "Line & one\n\nParagraph two",
    "annotation": {"summary": "Summary $x^2$", "tags": ["t"]},
    "license": "CC BY 4.0",
    "rights": "Copyright (c) 2022 Авторы",
}


def library_of(*works: dict[str, Any]) -> Library:
    return Library([LoadedDocument("x.yaml", Document.model_validate({"works": list(works)}))])


def parse_bib(text: str) -> dict[str, dict[str, str]]:
    lib = bibtexparser.entrypoint.parse_string(text)
    assert not lib.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"@type": e.entry_type}
            for e in lib.entries}


def findings_by(result_findings: list[Any], key: str) -> set[str]:
    return {f.field for f in result_findings if f.key == key}


def test_biblatex_article_fields() -> None:
    res = export(library_of(ARTICLE), "biblatex")
    e = parse_bib(res.text)["kuzmina2022"]
    assert e["@type"] == "article"
    assert e["author"] == "Кузьмина, Е. М. and {ООН}"
    assert e["title"] == "Евразийская интеграция и {Центральная} {Азия}"
    assert e["titleaddon"] == "[Eurasian integration and Central Asia]"
    assert e["journaltitle"] == "Постсоветские исследования"
    assert e["date"] == "2022-03"
    assert e["urldate"] == "2022-05-14"
    assert e["langid"] == "russian"
    assert e["number"] == "3"
    assert e["pages"] == "210–225"
    assert e["url"] == "https://example.org/a?x=1&y=%20#frag"  # verbatim field
    assert e["abstract"] == "Line \\& one{ }\n\nParagraph two"
    assert e["annotation"] == r"Summary \$x\textasciicircum{}2\$"
    lost = findings_by(res.findings, "kuzmina2022")
    assert {"license", "rights", "annotation.tags", "title.translated.lang"} <= lost


def test_biblatex_ascii_mode() -> None:
    res = export(library_of(ARTICLE), "biblatex", ExportOptions(ascii=True))
    body = res.text.replace("https://example.org/a?x=1&y=%20#frag", "")
    assert body.isascii()
    assert r"{\cyrchar\CYRK}" in body
    assert "--" in parse_bib(res.text)["kuzmina2022"]["pages"]


def test_bibtex_dialect() -> None:
    res = export(library_of(ARTICLE), "bibtex")
    e = parse_bib(res.text)["kuzmina2022"]
    assert e["@type"] == "article"
    assert e["journal"] == "Постсоветские исследования"
    assert e["year"] == "2022" and e["month"] == "mar"
    assert "month = mar" in res.text  # a macro, not {mar}
    assert e["language"] == "russian"
    assert e["annote"].startswith("Summary")


def test_types_and_fallbacks() -> None:
    lib = library_of(
        {"key": "web", "type": "web-page", "title": "Page", "url": "https://example.org/"},
        {"key": "news", "type": "newspaper-article", "container-title": "Izvestia",
         "issued": "1997-02-19"},
        {"key": "treaty", "type": "treaty", "title": "Agreement", "issued": "2018-11-22"},
        {"key": "ch", "type": "chapter", "title": "Ch", "author": ["A, B"],
         "container-title": "Book", "issued": "1997"},
        {"key": "th", "type": "thesis", "title": "T", "author": ["A, B"], "issued": "2001"},
    )
    res = export(lib, "biblatex")
    bib = parse_bib(res.text)
    assert bib["web"]["@type"] == "online"
    assert bib["news"]["@type"] == "article" and bib["news"]["entrysubtype"] == "newspaper"
    assert bib["treaty"]["@type"] == "misc" and bib["treaty"]["entrysubtype"] == "treaty"
    assert bib["treaty"]["type"] == "treaty"
    assert bib["ch"]["@type"] == "inbook"  # no editor: @incollection would require one
    # no genre, no publisher: still a thesis (as @misc it would lose what @thesis holds), and
    # what biber will report is reported by annobib too
    assert bib["th"]["@type"] == "thesis" and "entrysubtype" not in bib["th"]
    missing = {(f.key, f.field) for f in res.findings if f.code == "A404"}
    assert ("th", "genre") in missing and ("th", "publisher") in missing
    assert ("web", "issued") in missing
    assert ("news", "author") in missing and ("news", "title") in missing


def test_a_journal_article_without_its_journal_stays_an_article() -> None:
    # reetz1999 in data/: the footnote names no journal; as @misc it lost volume and issue
    lib = library_of({"key": "reetz1999", "type": "journal-article", "author": ["Reetz, D."],
                      "title": "Islamic Activism", "volume": "XXIII", "issue": "1",
                      "issued": "1999-23"})
    res = export(lib, "biblatex")
    e = parse_bib(res.text)["reetz1999"]
    assert e["@type"] == "article" and e["volume"] == "XXIII" and e["number"] == "1"
    assert not [f for f in res.findings if f.code in ("A402", "A403")]
    assert {(f.key, f.field) for f in res.findings if f.code == "A404"} == {
        ("reetz1999", "container-title")}


def test_ris_tags_and_crlf() -> None:
    res = export(library_of(ARTICLE), "ris")
    assert "\r\n" in res.text and "\n" not in res.text.replace("\r\n", "")
    (rec,) = rispy.loads(res.text)
    assert rec["type_of_reference"] == "JOUR"
    assert rec["id"] == "kuzmina2022"
    assert rec["authors"] == ["Кузьмина, Е. М.", "ООН"]
    assert rec["title"] == "Евразийская интеграция и Центральная Азия"
    assert rec["translated_title"] == "Eurasian integration and Central Asia"
    assert rec["secondary_title"] == "Постсоветские исследования"
    assert rec["year"] == "2022" and rec["date"] == "2022/03"
    assert rec["access_date"] == "2022/05/14"
    assert rec["start_page"] == "210" and rec["end_page"] == "225"
    assert rec["doi"] == "10.24975/2313-8920-2022-5-3-210-225"
    assert rec["language"] == "ru"
    assert rec["keywords"] == ["ЕАЭС", "Central Asia"]
    assert rec["notes"] == ["Summary $x^2$"]
    assert rec["abstract"] == "Line & one Paragraph two"
    assert {"license", "rights", "annotation.tags"} <= findings_by(res.findings, "kuzmina2022")


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex", "ris", "csljson"])
def test_every_data_record_exports(fmt: str) -> None:
    loaded = load_paths(sorted(DATA.glob("*.yaml")))
    keys = [w.key for w in loaded.library.works()]
    assert len(keys) > 40
    res = export(loaded.library, fmt)
    if fmt in ("biblatex", "bibtex"):
        assert list(parse_bib(res.text)) == keys
    elif fmt == "ris":
        assert [r["id"] for r in rispy.loads(res.text)] == keys
    # every warning names a record and a field
    for f in res.findings:
        assert f.key in keys and f.field


def test_bad_check_digit_is_reported_not_corrected() -> None:
    lib = library_of({"key": "b", "type": "book", "title": "T", "author": ["A, B"],
                      "issued": "2001", "isbn": ["978-0-19-853453-6"]})
    res = export(lib, "biblatex")
    assert parse_bib(res.text)["b"]["isbn"] == "978-0-19-853453-6"
    assert ("b", "isbn") in {(f.key, f.field) for f in res.findings if f.code == "A404"}


def test_ris_page_count_of_books_and_access_date_of_web_pages() -> None:
    """Two of issue #12's lost values: a book's page count (RIS SP) and a web page's access
    date where citation.js reads it (M1 of ELEC); both read back by annobib's RIS reader."""
    from annobib.sources.ris import read_ris

    lib = library_of(
        {"key": "kamennov2019", "type": "book", "title": "China", "author": ["Kamennov, P.B."],
         "issued": "2019", "page-count": "248"},
        {"key": "web", "type": "web-page", "title": "Page", "url": "https://example.org/",
         "accessed": "2022-05-14"},
        {"key": "art", "type": "journal-article", "title": "A", "container-title": "J",
         "page-count": "12", "pages": "1-12"},
    )
    res = export(lib, "ris")
    book, web, _art = rispy.loads(res.text)
    assert book["start_page"] == "248" and "end_page" not in book
    assert web["access_date"] == "2022/05/14"
    assert "M1  - 2022/05/14" in res.text.split("ER  -")[1]
    assert {(f.key, f.field) for f in res.findings if f.code == "A402"} >= {("art", "page-count")}
    assert ("kamennov2019", "page-count") not in {(f.key, f.field) for f in res.findings}
    back = {w.key: w for w in read_ris(res.text, "x.ris").works}
    assert back["kamennov2019"].page_count == "248" and back["kamennov2019"].pages is None
    assert str(back["web"].accessed) == "2022-05-14"
    assert back["art"].pages == "1-12"
    assert not [f for f in read_ris(res.text, "x.ris").findings if f.field == "M1"]
