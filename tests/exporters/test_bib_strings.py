"""@string macros: kept by the BibTeX reader (expression + definitions in verbatim.biblatex),
written back once per macro by the BibLaTeX and BibTeX exports while the record's text is what
the expression expands to; CSL-JSON and RIS see the text."""

from __future__ import annotations

import json

import pytest
from bibtexparser.entrypoint import parse_string

from annobib.codecs import bibstrings
from annobib.exporters import ExportOptions, export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.model.record import Work
from annobib.sources.bibtex import read_bibtex
from annobib.sources.yaml import parse_document
from annobib.sources.yamlfast import document_yaml, work_yaml

SOURCE = """\
@string{ack-a = "Ann A., Some University"}
@string{ack-b = {Bob B.}}
@string{both = ack-a # " and " # ack-b}
@string{j-TB = "TUGboat"}
@article{one,
  author = {Doe, Jane},
  title = {First},
  journal = j-TB,
  year = 1999, month = oct,
  acknowledgement = ack-b # " and " # ack-a,
  bibdate = {Mon Aug 10 2020},
}
@article{two,
  author = {Roe, Rick},
  title = {Second},
  journal = j-TB # " News",
  year = 2000,
  acknowledgement = both,
}
"""


def read(text: str = SOURCE) -> list[Work]:
    r = read_bibtex(text, "s.bib")
    assert not [f for f in r.findings if f.severity.value == "error"]
    return r.works


def library(works: list[Work]) -> Library:
    return Library([LoadedDocument("x.yaml", Document(works=works))])


def entries(text: str) -> dict[str, dict[str, str]]:
    """The fields of each entry as their text (macros expanded), read back by annobib's reader
    (biber reads them in tests/clients/test_biber_roundtrip.py)."""
    assert not parse_string(text).failed_blocks
    out: dict[str, dict[str, str]] = {}
    for w in read_bibtex(text, "e.bib").works:
        kept = (w.verbatim or {}).get("biblatex", {})
        defs = bibstrings.definitions(kept)
        fields = {k: v for k, v in kept.items() if "@" not in k}
        fields |= {k[1:]: bibstrings.evaluate(v, defs, None) for k, v in kept.items()
                   if k.startswith("@") and not k.startswith("@string ")}
        if w.container_title is not None:
            fields["journal"] = w.container_title.text
        out[w.key] = fields
    return out


def test_reader_keeps_expressions_and_the_definitions_they_use() -> None:
    one, two = read()
    assert one.container_title is not None and one.container_title.text == "TUGboat"
    assert two.container_title is not None and two.container_title.text == "TUGboat News"
    kept = (one.verbatim or {})["biblatex"]
    assert kept["@journal"] == "j-TB"
    assert kept["@acknowledgement"] == 'ack-b # " and " # ack-a'
    # the expansion is not kept twice: the definitions give it back
    assert "acknowledgement" not in kept
    assert kept["@string j-TB"] == '"TUGboat"'
    assert kept["@string ack-b"] == "{Bob B.}"
    assert "@string both" not in kept  # only what this record's fields use
    kept2 = (two.verbatim or {})["biblatex"]
    # a macro used by a macro comes before it
    names = [k for k in kept2 if k.startswith("@string ")]
    assert names.index("@string ack-a") < names.index("@string both")
    assert names.index("@string ack-b") < names.index("@string both")


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_export_writes_each_macro_once_and_the_references(fmt: str) -> None:
    text = export(library(read()), fmt).text
    assert text.count("@string{j-TB = \"TUGboat\"}") == 1
    assert text.count("@string{") == 4
    assert "journal = j-TB,\n" in text
    assert 'journal = j-TB # " News",\n' in text
    assert 'acknowledgement = ack-b # " and " # ack-a' in text
    assert "acknowledgement = both" in text
    # a reader that expands the macros reads the source's text
    got = entries(text)
    assert got["one"]["acknowledgement"] == "Bob B. and Ann A., Some University"
    assert got["two"]["acknowledgement"] == "Ann A., Some University and Bob B."
    assert got["two"]["journal"] == "TUGboat News"
    # the definitions come before their first use
    assert text.index("@string{ack-a") < text.index("@string{both")


def test_changed_text_is_written_as_text() -> None:
    one, two = read()
    assert one.container_title is not None
    edited = one.model_copy(update={"container_title": one.container_title.model_copy(
        update={"text": "TUGboat Extra"})})
    text = export(library([edited, two]), "biblatex").text
    got = entries(text)
    assert got["one"]["journal"] == "TUGboat Extra"
    assert "journal = {TUGboat Extra}" in text or "journaltitle = {TUGboat Extra}" in text
    assert "j-TB # \" News\"" in text  # the other record still names the macro


def test_a_record_defining_a_macro_otherwise_writes_text() -> None:
    one = read()[0]
    other = read(SOURCE.replace('"TUGboat"}', '"TUGboat Quarterly"}'))[1]
    text = export(library([one, other]), "biblatex").text
    assert text.count("@string{j-TB") == 1 and '"TUGboat"}' in text
    got = entries(text)
    assert got["one"]["journal"] == "TUGboat"
    assert got["two"]["journal"] == "TUGboat Quarterly News"
    assert "{TUGboat Quarterly News}" in text


def test_ascii_export_expands() -> None:
    text = export(library(read()), "biblatex", ExportOptions(ascii=True)).text
    assert "@string" not in text
    assert entries(text)["one"]["acknowledgement"] == "Bob B. and Ann A., Some University"


def test_other_formats_see_the_text() -> None:
    result = export(library(read()), "csljson")
    items = {i["id"]: i for i in json.loads(result.text)}
    assert items["two"]["container-title"] == "TUGboat News"
    fields = {f.field for f in result.findings}
    assert not any(f and "@" in f for f in fields)  # no pseudo-field is reported by name
    assert "verbatim.biblatex.acknowledgement" in fields  # the field is


def test_yaml_round_trip_keeps_them() -> None:
    works = read()
    text = document_yaml([work_yaml(w) for w in works])
    loaded, findings = parse_document(text, "x.yaml")
    assert loaded is not None and not findings
    again = export(library(list(loaded.document.works)), "biblatex").text
    assert again == export(library(works), "biblatex").text


# --- more of the source written back as written (docs/formats/biblatex.md) --------------------

AS_WRITTEN = r"""@article{names,
  author = {D R {McKay} and M. D{\'\i}az and R {La Joie}},
  title = {T}, journal = {J}, year = 2000,
  url = {https://a.org/x; https://b.org/y},
  language = {Russian},
}
@phdthesis{thesis, author = {Doe, J}, title = {T}, school = {S}, year = 2001,
  journal = {Dissertation Abstracts}, number = {1-B}}
@inproceedings{both, author = {Doe, J}, title = {T}, booktitle = {B}, year = 2002,
  publisher = {P}, organization = {O}}
@book{printed, author = {Doe, J}, title = {T}, year = 2003, langid = {english},
  language = {english}}
"""


def test_names_urls_language_types_and_second_values_go_back_as_written() -> None:
    works = read(AS_WRITTEN)
    by_key = {w.key: w for w in works}
    names = by_key["names"]
    assert [p.family for p in names.author] == ["McKay", "Díaz", "La Joie"]
    assert names.url == "https://a.org/x" and names.language == "ru"
    out = entries_raw(export(library(works), "biblatex").text)
    assert out["names"]["author"] == r"D R {McKay} and M. D{\'\i}az and R {La Joie}"
    assert out["names"]["url"] == "https://a.org/x; https://b.org/y"
    assert out["names"]["language"] == "Russian" and "langid" not in out["names"]
    assert out["thesis"]["@type"] == "thesis" and out["thesis"]["type"] == "phdthesis"
    assert out["thesis"]["journal"] == "Dissertation Abstracts"
    assert out["thesis"]["number"] == "1-B"
    assert out["both"]["publisher"] == "P" and out["both"]["organization"] == "O"
    assert out["printed"]["langid"] == "english" and out["printed"]["language"] == "english"
    assert entries_raw(export(library(works), "bibtex").text)["thesis"]["@type"] == "phdthesis"


def test_edited_names_url_language_are_written_from_the_record() -> None:
    names = read(AS_WRITTEN)[0]
    edited = names.model_copy(update={
        "author": [names.author[0].model_copy(update={"family": "MacKay"}), *names.author[1:]],
        "url": "https://c.org/z", "language": "de"})
    out = entries_raw(export(library([edited]), "biblatex").text)["names"]
    assert out["author"].startswith("MacKay, D R and")
    assert out["url"] == "https://c.org/z"
    assert out["langid"] == "ngerman"


def entries_raw(text: str) -> dict[str, dict[str, str]]:
    lib = parse_string(text)
    assert not lib.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"@type": e.entry_type}
            for e in lib.entries}


def test_and_others_von_parts_and_a_paragraph_opening_with_at() -> None:
    works = read(r"""@article{o, author = {Canli, Turhan and others}, title = {T}, year = 2000}
@article{v, author = {M I Posner and adn R D Rafal, F A Friedrich}, title = {T}, year = 2000,
  booktitle = {J}, journal = {J}}
""")
    out = entries_raw(export(library(works), "biblatex").text)
    assert out["o"]["author"] == "Canli, Turhan and others"
    assert out["v"]["author"] == "M I Posner and adn R D Rafal, F A Friedrich"
    assert out["v"]["journal"] == "J" and out["v"]["booktitle"] == "J"
    note = Work.model_validate({"key": "n", "type": "misc", "title": "T",
                                "annotation": {"summary": "one\n\n@two"}})
    text = export(library([note]), "biblatex").text
    again = read_bibtex(text, "n.bib")
    assert [w.key for w in again.works] == ["n"], again.findings
    assert again.works[0].annotation is not None
    assert again.works[0].annotation.summary == "one\n\n@two"


COPIES = r"""@book{lang, author = {Doe, J}, title = {T}, year = 2003, language = {Russian}}
@book{org, author = {Doe, J}, title = {T}, year = 2003, organization = {O}}
@inproceedings{both, author = {Doe, J}, title = {T}, booktitle = {B}, year = 2002,
  publisher = {P}, organization = {O}}
"""


def test_an_edited_field_is_not_written_beside_the_source_s_copy() -> None:
    works = {w.key: w for w in read(COPIES)}
    out = entries_raw(export(library(list(works.values())), "biblatex").text)
    # unedited: each as the source wrote it
    assert out["lang"]["language"] == "Russian" and "langid" not in out["lang"]
    assert out["org"]["organization"] == "O" and "publisher" not in out["org"]
    edited = [works["lang"].model_copy(update={"language": "de"}),
              works["org"].model_copy(update={"publisher": "Q"}),
              works["both"].model_copy(update={"publisher": "Q"})]
    result = export(library(edited), "biblatex")
    out = entries_raw(result.text)
    # the source's `language = {Russian}` and `organization = {O}` were copies of the fields
    # edited: not written beside the new values, and said
    assert out["lang"]["langid"] == "ngerman" and "language" not in out["lang"]
    assert out["org"]["publisher"] == "Q" and "organization" not in out["org"]
    said = {(f.key, f.field) for f in result.findings if f.code == "A402"}
    assert {("lang", "verbatim.biblatex.language"),
            ("org", "verbatim.biblatex.organization")} <= said
    # a second value of the source (an organization beside a publisher) is its own field
    assert out["both"]["publisher"] == "Q" and out["both"]["organization"] == "O"
