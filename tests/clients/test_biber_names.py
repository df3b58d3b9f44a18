"""Names are split as biber splits them (issue 12): the reader's von/family/jr/given of each name
(codecs/bibnames.py name_parts) are biber's prefix/family/suffix/given, read back from ``biber
--tool --output-xname``; and the export's forms of particles and suffixes (name_form) are read
by biber as annobib reads them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string

from annobib.codecs.bibnames import name_parts, split_names
from annobib.codecs.texdecode import decode
from annobib.exporters import export
from annobib.model.library import Document, Library, LoadedDocument
from annobib.model.record import Work
from annobib.sources.interchange import read_text

NAMES = [
    "Donald E. Knuth", "Ludwig van Beethoven", "de Gaulle", "d' Alembert", "a Biewenga",
    "Jean de la Fontaine", "Jean de la", "Jean de Gaulle de Smith", "Jean Smith de",
    "A B de la C D", "Brinch Hansen, Per", "de la Fontaine, Jean", "Fontaine de la Cruz, J",
    "de Gaulle de Smith, J", "Xavier de, Y", "Beeblebrox, IV, Zaphod", "de C de D, Jr., E",
    "King, Jr., {}", "{de} Gaulle", "{v}an Gogh", "'t Hooft, G", "Gerard 't Hooft",
    "-de Gaulle", r"{\L}ukasz Langa", r"{\L}ukasz M Langa", r"{\'e}mile Zola",
    r"{\'E}mile Zola", r"\'emile Zola", r"{\"u}ber Alles", r"{\v{s}}imon Test",
    r"{\oe}uvre Test", r"{\aa}ke Test",
]


def _biber_names(tmp_path: Path, lists: list[str]) -> list[list[dict[str, str]]]:
    """biber's parts of each name of each list (one entry a list)."""
    src = tmp_path / "names.bib"
    src.write_text("".join(f"@misc{{n{i}, author = {{{names}}}}}\n"
                           for i, names in enumerate(lists)), encoding="utf-8")
    r = subprocess.run(["biber", "--tool", "--quiet", "--output-xname", "--output-file",
                        "out.bib", src.name], cwd=tmp_path, capture_output=True, text=True,
                       timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    lib = parse_string((tmp_path / "out.bib").read_text(encoding="utf-8"))
    by_key = {e.key: next(str(f.value) for f in e.fields if f.key.lower() == "author")
              for e in lib.entries}
    out = []
    for i in range(len(lists)):
        people = []
        for one in split_names(by_key[f"n{i}"]):
            parts = dict(p.strip().split("=", 1) for p in one.split(", "))
            # an empty part ("King, Jr., {}": given={}) prints nothing: left out
            people.append({k: _text(v) for k, v in parts.items()
                           if k != "useprefix" and _text(v)}
                          | ({"useprefix": parts["useprefix"]} if "useprefix" in parts else {}))
        out.append(people)
    return out


def _text(tex: str) -> str:
    return decode(tex)[0]


@pytest.fixture
def biber() -> None:
    if shutil.which("biber") is None:
        pytest.skip("biber is not installed (Debian: biber)")


@pytest.mark.realclient
def test_names_are_split_as_biber_splits_them(biber: None, tmp_path: Path) -> None:
    got = _biber_names(tmp_path, NAMES)
    for one, (person,) in zip(NAMES, got, strict=True):
        parts = name_parts(one)
        assert parts is not None, one
        von, family, jr, given = (_text(p) for p in parts)
        ours = {k: v for k, v in (("family", family), ("given", given), ("prefix", von),
                                  ("suffix", jr)) if v}
        assert ours == person, one


_PERSONS: list[dict[str, Any]] = [
    {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
    {"family": "Gogh", "given": "Vincent", "dropping-particle": "van"},
    {"family": "Gogh", "given": "Vincent", "dropping-particle": "van", "use-prefix": False},
    {"family": "King", "suffix": "Jr."},
    {"family": "Alembert", "dropping-particle": "d'"},
    {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
]


@pytest.mark.realclient
def test_biber_reads_the_exported_names_as_annobib_does(biber: None, tmp_path: Path) -> None:
    works = [Work.model_validate({"key": f"n{i}", "type": "misc", "title": "T", "author": [p]})
             for i, p in enumerate(_PERSONS)]
    text = export(Library([LoadedDocument("n.yaml", Document(works=works))]), "biblatex").text
    written = [str(e.fields_dict["author"].value) for e in parse_string(text).entries]
    assert [w.author[0].model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for w in read_text(text, "n.bib", "bibtex").works] == _PERSONS
    said = {"non-dropping-particle": "prefix", "dropping-particle": "prefix"}
    for person, (read,) in zip(_PERSONS, _biber_names(tmp_path, written), strict=True):
        expected = {said.get(k, k): v for k, v in person.items() if k != "use-prefix"}
        if "non-dropping-particle" in person:
            expected["useprefix"] = "true"
        elif person.get("use-prefix") is False:
            expected["useprefix"] = "false"
        assert read == expected, person
