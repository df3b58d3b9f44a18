"""Names with particles, suffixes and their own useprefix in the BibLaTeX/BibTeX exports
(issue 12): written so biber and annobib's reader read the same parts back, and A402 says
only what is really not written (codecs/bibnames.py name_form)."""

from __future__ import annotations

from typing import Any

import pytest

from annobib.codecs.bibnames import name_parts
from annobib.exporters import export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.model.record import Work
from annobib.sources.interchange import read_text


def _export(person: dict[str, Any], fmt: str = "biblatex") -> tuple[str, list[str], Any]:
    work = Work.model_validate({"key": "k", "type": "article", "title": "T",
                                "author": [person]})
    result = export(Library([LoadedDocument("k.yaml", Document(works=[work]))]), fmt)
    author = next(line for line in result.text.splitlines() if "author" in line)
    lost = [f"{f.field}: {f.message}" for f in result.findings
            if f.code == "A402" and (f.field or "").startswith("author")]
    (back,) = read_text(result.text, "k.bib", "bibtex").works
    return author.split("=", 1)[1].strip().rstrip(","), lost, back.author[0]


_WRITTEN = [
    ({"family": "Gogh", "given": "Vincent", "dropping-particle": "van"},
     "{van Gogh, Vincent}"),
    ({"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
     "{useprefix=true, family={Gogh}, given={Vincent}, prefix={van}}"),
    ({"family": "Gogh", "given": "Vincent", "dropping-particle": "van", "use-prefix": False},
     "{useprefix=false, family={Gogh}, given={Vincent}, prefix={van}}"),
    ({"family": "King", "given": "Martin Luther", "suffix": "Jr."},
     "{King, Jr., Martin Luther}"),
    ({"family": "King", "suffix": "Jr."}, "{family={King}, suffix={Jr.}}"),
    ({"family": "Alembert", "dropping-particle": "d'"}, "{d' Alembert}"),
    ({"family": "Smith", "given": "A", "use-prefix": True},
     "{useprefix=true, family={Smith}, given={A}}"),
]


@pytest.mark.parametrize(("person", "written"), _WRITTEN)
def test_every_part_biblatex_holds_is_written_and_not_reported(
        person: dict[str, Any], written: str) -> None:
    text, lost, back = _export(person)
    assert text == written
    assert lost == []  # A402 is for what is not written: these all are
    assert back.model_dump(mode="json", by_alias=True, exclude_defaults=True) == person


def test_what_a_biblatex_name_cannot_say_is_reported() -> None:
    # one prefix per name: the non-dropping particle joins the family name
    text, lost, back = _export({"family": "Fontaine", "given": "Jean", "dropping-particle": "de",
                                "non-dropping-particle": "La"})
    assert text == "{de {La Fontaine}, Jean}"
    assert (back.dropping_particle, back.family) == ("de", "La Fontaine")
    assert len(lost) == 1 and lost[0].startswith("author[0].non-dropping-particle: ")
    # biblatex's prefix with useprefix=false is a dropping particle
    _, lost, back = _export({"family": "Gogh", "non-dropping-particle": "van",
                             "use-prefix": False})
    assert back.dropping_particle == "van" and back.use_prefix is False
    assert [m.split(":")[0] for m in lost] == ["author[0].non-dropping-particle"]


def test_bibtex_names_say_less_and_say_so() -> None:
    text, lost, back = _export({"family": "Gogh", "given": "Vincent",
                                "non-dropping-particle": "van", "use-prefix": True}, "bibtex")
    assert text == "{van Gogh, Vincent}"
    assert back.dropping_particle == "van"
    assert sorted(m.split(":")[0] for m in lost) == [
        "author[0].non-dropping-particle", "author[0].use-prefix"]
    text, lost, back = _export({"family": "King", "suffix": "Jr."}, "bibtex")
    assert text == "{King, Jr., {}}" and lost == []
    assert (back.family, back.given, back.suffix) == ("King", None, "Jr.")


@pytest.mark.parametrize(("one", "parts"), [
    ("d' Alembert", ("d'", "Alembert", "", "")),  # biber: prefix=d', family=Alembert
    ("de Gaulle", ("de", "Gaulle", "", "")),
    ("Charles Gaulle", ("", "Gaulle", "", "Charles")),
    ("{de} Gaulle", ("", "Gaulle", "", "{de}")),  # a brace group has no case: a first name
    ("Gaulle, de", ("", "Gaulle", "", "de")),
    ("King, Jr., {}", ("", "King", "Jr.", "{}")),
])
def test_two_words_are_split_as_bibtex_does(one: str, parts: tuple[str, ...]) -> None:
    assert name_parts(one) == parts


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_what_no_bib_name_holds_is_reported_not_dropped_in_silence(fmt: str) -> None:
    # CSL's comma-suffix and static-ordering, initials beside a given name: none has a .bib
    # form, in any way of writing the name (they were left out with no finding)
    _, lost, back = _export({"family": "King", "given": "Martin", "initials": "M. L.",
                             "suffix": "Jr.", "comma-suffix": True, "static-ordering": True},
                            fmt)
    assert sorted(m.split(":")[0] for m in lost) == [
        "author[0].comma-suffix", "author[0].initials", "author[0].static-ordering"]
    assert (back.given, back.suffix) == ("Martin", "Jr.")
