"""Import from BibTeX/BibLaTeX, CSL-JSON and RIS: every good record kept, every problem located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annobib.exporters import export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.interchange import ReadResult, read_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"


def codes(result: ReadResult) -> list[tuple[str, int | None, str | None]]:
    return [(f.code, f.location.line if f.location else None, f.key) for f in result.findings]


def dump(result: ReadResult) -> list[dict[str, Any]]:
    return [w.model_dump(mode="json", by_alias=True, exclude_defaults=True) for w in result.works]


# --- BibTeX -----------------------------------------------------------------------------------

MALFORMED = """\
@string{jtb = "TUGboat"}
@article{ok1,
  author = {Schr{\\"o}dinger, Erwin and {UN Office} and Doe, J. R. and others},
  title = {The {NATO} {\\TeX}book \\& more},
  journal = jtb # " news",
  year = 1999, month = jan,
  pages = {1--10},
  doi = {https://doi.org/10.1000/ABC},
  langid = {russian},
}
@article{broken, title = {unbalanced, year = 2000}
@book{ok2, title = {First}, title = {Second}, year = {2001}, month = {March}}
@book{ok1, title = {Same key again}}
@misc{ok3, title = {Кузьмина: {\\cyrchar\\CYRK}}, note = {See \\unknownmacro{x}}, url = {https://a.org/x; https://b.org/y}}
"""


def test_bibtex_malformed_block_is_located_and_the_rest_kept() -> None:
    r = read_text(MALFORMED, "m.bib", "bibtex")
    # a different entry under a key seen before is kept under a new key, and said so
    assert [w.key for w in r.works] == ["ok1", "ok2", "ok1-2", "ok3"]
    assert r.entries_seen == 5
    found = codes(r)
    assert ("A411", 11, "broken") in found  # unparsable block, its line
    assert ("A412", 13, "ok1-2") in found  # duplicate key, its line
    assert ("A413", 12, "ok2") in found  # duplicate field
    broken = next(f for f in r.findings if f.code == "A411")
    assert broken.severity.value == "error"
    assert broken.data["raw"].startswith("@article{broken")
    dup = next(f for f in r.findings if f.code == "A412")
    assert "Same key again" in dup.data["raw"]


def test_bibtex_exact_duplicate_not_imported_twice() -> None:
    text = "@book{a, title = {T}, year = 2001}\n\n@book{a, title = {T}, year = 2001}\n"
    r = read_text(text, "d.bib", "bibtex")
    assert [w.key for w in r.works] == ["a"]
    (f,) = r.findings
    assert f.code == "A412" and f.location is not None and f.location.line == 3
    assert "first at line 1" in f.message


def test_bibtex_values_decoded() -> None:
    r = read_text(MALFORMED, "m.bib", "bibtex")
    ok1, ok2, _dup, ok3 = dump(r)
    assert ok1["title"] == "The NATO TeXbook & more"
    assert ok1["author"] == ["Schrödinger, Erwin", "{UN Office}", "Doe, J. R."]
    assert ok1["container-title"] == "TUGboat news"  # @string + concatenation
    assert ok1["issued"] == "1999-01"  # month macro
    assert ok1["pages"] == "1–10"
    assert ok1["doi"] == "10.1000/ABC"  # the case as written
    assert ok1["language"] == "ru"
    assert ok2["title"] == "First" and ok2["issued"] == "2001-03"
    assert ok3["title"] == "Кузьмина: К"
    assert ok3["note"] == "See \\unknownmacro{x}"  # kept as written ...
    assert ok3["url"] == "https://a.org/x"
    fields = {(f.code, f.key, f.field) for f in r.findings}
    assert ("A418", "ok3", "note") in fields  # ... and reported
    assert ("A415", "ok1", "author") in fields  # "and others" reported
    assert ("A415", "ok3", "url") in fields  # the second URL reported


def test_tugboat_excerpt_every_entry_imported() -> None:
    text = (FIXTURES / "tugboat-excerpt.bib").read_text(encoding="utf-8")
    r = read_text(text, "tugboat-excerpt.bib", "bibtex")
    n_entries = sum(1 for line in text.splitlines() if line.startswith("@") and
                    not line.lower().startswith("@string"))
    assert r.entries_seen == n_entries == 51
    assert len(r.works) == 51
    lines = text.splitlines()
    for key in ("Anonymous:TB10-3-445", "Anonymous:TB10-3-461"):
        line = next(i for i, s in enumerate(lines, 1) if s.startswith("@") and key in s)
        dup = {f.field for f in r.findings if f.code == "A413" and f.key == key}
        assert dup == {"acknowledgement", "bibsource"}
        assert all(f.location is not None and f.location.line == line
                   for f in r.findings if f.code == "A413" and f.key == key)
    # @string macros resolved: no TUGboat record lost its journal
    assert all(w.container_title is not None for w in r.works if w.type.value ==
               "journal-article")
    assert not [f for f in r.findings if f.severity.value == "error"]


# --- CSL-JSON ---------------------------------------------------------------------------------


def test_csljson_sample_imports() -> None:
    text = (FIXTURES / "deep-review-sample.json").read_text(encoding="utf-8")
    r = read_text(text, "deep.json", "csljson")
    items = json.loads(text)
    assert len(r.works) == len(items) == 20
    assert [w.key for w in r.works] == [i["id"] for i in items]
    for item, work in zip(items, r.works, strict=True):
        assert work.title is not None and work.title.text == item["title"]
        if "DOI" in item:
            assert work.doi == item["DOI"].lower()
    # every finding names its item's line
    assert all(f.location is not None and f.location.line for f in r.findings)


def test_csljson_bad_json_is_located() -> None:
    r = read_text('[{"id": "a", "type": "book"},\n  {"id": ', "bad.json", "csljson")
    assert r.works == []
    (f,) = r.findings
    assert f.code == "A411" and f.location is not None and f.location.line == 2


def test_csljson_unknown_type_and_field_reported() -> None:
    r = read_text(json.dumps([{"id": "x", "type": "no-such-type", "title": "T", "foo": 1}]), "x.json",
                  "csljson")
    assert [w.type.value for w in r.works] == ["misc"]
    assert {(f.code, f.field) for f in r.findings} == {("A414", "type"), ("A415", "foo")}


# --- RIS --------------------------------------------------------------------------------------

ZOTERO_RIS = (
    "TY  - JOUR\r\nTI  - Евразийская интеграция\r\nAU  - Кузьмина, Е. М.\r\n"
    "T2  - Постсоветские исследования\r\nPY  - 2022\r\nDA  - 2022/03/15\r\nVL  - 5\r\n"
    "IS  - 3\r\nSP  - 210\r\nEP  - 225\r\nDO  - 10.1000/XYZ\r\nLA  - ru\r\nKW  - ЕАЭС\r\n"
    "N1  - first note\r\nN1  - second note\r\nY2  - 2022/05/14\r\nZZ  - odd tag\r\nER  - \r\n"
    "\r\nstray text\r\nTY  - BOOK\r\nTI  - Cut off\r\n"
)


def test_ris_zotero_like() -> None:
    r = read_text(ZOTERO_RIS, "z.ris", "ris")
    a, b = dump(r)
    assert a["type"] == "journal-article"
    assert a["author"] == ["Кузьмина, Е. М."]
    assert a["issued"] == "2022-03-15" and a["accessed"] == "2022-05-14"
    assert a["pages"] == "210-225" and a["doi"] == "10.1000/XYZ" and a["language"] == "ru"
    assert a["note"] == "first note\n\nsecond note"
    assert b["type"] == "book" and b["title"] == "Cut off"
    found = {(f.code, f.location.line if f.location else None) for f in r.findings}
    assert ("A411", 20) in found  # stray text, its line
    assert ("A411", 21) in found  # last record without ER
    assert any(f.code == "A415" and f.field == "ZZ" for f in r.findings)
    assert any(f.code == "A417" for f in r.findings)  # no ID: the key made is said


# --- import -> export -> import is stable on the corpora sample --------------------------------


def _library(works: list[Any]) -> Library:
    return Library([LoadedDocument("in.yaml", Document(works=works))])


@pytest.mark.parametrize(
    ("fixture", "src", "via"),
    [
        ("tugboat-excerpt.bib", "bibtex", "biblatex"),
        ("tugboat-excerpt.bib", "bibtex", "bibtex"),
        ("tugboat-excerpt.bib", "bibtex", "csljson"),
        ("tugboat-excerpt.bib", "bibtex", "ris"),
        ("deep-review-sample.json", "csljson", "csljson"),
        ("deep-review-sample.json", "csljson", "biblatex"),
    ],
)
def test_import_export_import_stable(fixture: str, src: str, via: str) -> None:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    first = read_text(text, fixture, src)
    exported = export(_library(first.works), via)
    lost = {(f.key, (f.field or "").split(".")[0].split("[")[0])
            for f in exported.findings if f.code == "A402"}
    back_fmt = {"biblatex": "bibtex", "bibtex": "bibtex"}.get(via, via)
    second = read_text(exported.text, "out", back_fmt)
    assert [w.key for w in second.works] == [w.key for w in first.works]
    assert not [f for f in second.findings if f.severity.value == "error"]
    for a, b in zip(dump(first), dump(second), strict=True):
        for name in set(a) | set(b):
            if (a["key"], name) in lost:
                continue
            if name == "verbatim" and via != "csljson":
                continue  # what a record keeps as written for CSL goes to CSL-JSON alone
            va, vb = a.get(name), b.get(name)
            if via in ("biblatex", "bibtex") and isinstance(va, str):
                # TeX keeps no runs of spaces or spaces around line breaks
                va = "\n".join(" ".join(p.split(" ")).strip() for p in va.split("\n"))
                va = "\n".join(" ".join(x for x in p.split(" ") if x) for p in va.split("\n"))
            assert va == vb, (a["key"], name)
    # and a second round changes nothing at all
    third = read_text(export(_library(second.works), via).text, "out2", back_fmt)
    assert dump(third) == dump(second)


def test_isbn_issn_found_however_separated() -> None:
    bib = ("@book{b, title = {T}, isbn = {0-19-853453-1; 978-0-19-853453-6},"
           " issn = {ISSN 1533-7928}}\n")
    (work,) = read_text(bib, "i.bib", "bibtex").works
    assert work.isbn == ["0-19-853453-1", "978-0-19-853453-6"]
    assert work.issn == ["1533-7928"]
    csl = json.dumps([{"id": "c", "type": "book", "title": "T",
                       "ISBN": "978-0-19-853453-6 0-19-853453-1", "ISSN": ["ISSN 0028-0836"]}])
    (work,) = read_text(csl, "c.json", "csljson").works
    assert work.isbn == ["978-0-19-853453-6", "0-19-853453-1"]
    assert work.issn == ["0028-0836"]


# --- what the BibLaTeX export writes back as the source wrote it (issue #12, biber --tool) ---

AS_WRITTEN = """\
@article{url, author = {A, B}, title = {T}, journal = {J}, year = 2020,
  doi = {https://doi.org/10.1000/ABC}, pages = {M-1--M-14}}
@article{bare, author = {A, B}, title = {T}, journal = {J}, year = 2020,
  doi = {10.1000/XYZ}, pages = {1--10}}
@incollection{inc, author = {A, B}, title = {T}, booktitle = {B}, publisher = {P}, year = 2000}
"""


def _biblatex_of(text: str) -> dict[str, str]:
    first = read_text(text, "in.bib", "bibtex")
    out = export(_library(first.works), "biblatex").text
    return {block.split("{", 1)[1].split(",", 1)[0]: block for block in out.split("\n@")}


def test_biblatex_doi_given_as_url_goes_back_as_written() -> None:
    first = read_text(AS_WRITTEN, "in.bib", "bibtex")
    assert [w.doi for w in first.works[:2]] == ["10.1000/ABC", "10.1000/XYZ"]  # the DOI itself
    out = _biblatex_of(AS_WRITTEN)
    assert "doi = {https://doi.org/10.1000/ABC}" in out["url"]
    assert "doi = {10.1000/XYZ}" in out["bare"]
    assert "10.1000/ABC" in export(_library(first.works), "bibtex").text  # BibTeX: the DOI
    assert "doi.org/10.1000/ABC" not in export(_library(first.works), "bibtex").text


def test_biblatex_doi_changed_since_is_written_from_the_record() -> None:
    first = read_text(AS_WRITTEN, "in.bib", "bibtex")
    changed = first.works[0].model_copy(update={"doi": "10.1000/NEW"})
    out = export(_library([changed]), "biblatex").text
    assert "doi = {10.1000/NEW}" in out and "ABC" not in out


def test_biblatex_hyphenated_page_range_goes_back_as_written() -> None:
    out = _biblatex_of(AS_WRITTEN)
    assert "pages = {M-1--M-14}" in out["url"]  # biber splits 'M-1–M-14' at the wrong hyphen
    assert "pages = {1–10}" in out["bare"]  # a plain range keeps the record's en dash


def test_biblatex_incollection_without_editor_stays_incollection() -> None:
    out = _biblatex_of(AS_WRITTEN)
    assert out["inc"].lstrip("@").startswith("incollection{inc,")


def test_macro_that_pylatexenc_cannot_render_is_kept_and_reported() -> None:
    # from bvitamins-prl-neurips-icml.bib (the abstract of the Deep Graph Pose paper): `\href`
    # given one argument made pylatexenc raise IndexError, and the whole import died with a
    # traceback; such a macro is kept as written and reported like any unknown one
    bib = ("@article{dgp, title = {T}, author = {Doe, J.}, year = {2020},\n"
           "  abstract = {Code at \\href\\CodeLinkhttps://github.com/paninski-lab/deepgraphpose.}}\n")
    r = read_text(bib, "dgp.bib", "bibtex")
    (rec,) = dump(r)
    assert "\\href" in rec["abstract"] and "deepgraphpose" in rec["abstract"]
    assert ("A418", "dgp", "abstract") in {(f.code, f.key, f.field) for f in r.findings}
