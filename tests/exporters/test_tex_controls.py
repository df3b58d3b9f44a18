"""Control characters never reach a .bib file raw (issue #13, item 10): NUL aborts biber, ESC
and BEL stop pdflatex. They are reported when the file is loaded (A111)."""

from __future__ import annotations

import re

import pytest

from annobib.codecs.tex import escape, protect_title, value
from annobib.exporters import export
from annobib.model.library import Document, Library, LoadedDocument

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BAD = "NUL\x00 ESC\x1b[31m BEL\x07 VT\x0b FF\x0c FS\x1c DEL\x7f NEL\x85 CSI\x9b"


@pytest.mark.parametrize("fn", [escape, lambda s: value(s)[0], lambda s: protect_title(s)[0],
                                lambda s: value(s, ascii=True)[0]])
def test_tex_values_have_no_control_characters(fn) -> None:  # type: ignore[no-untyped-def]
    out = fn(BAD)
    assert not _CONTROL.search(out), repr(out)
    assert "NUL" in out and "ESC" in out and "CSI" in out


def test_line_like_controls_separate_words() -> None:
    assert escape("a\x0bb\x0cc\x1cd") == "a b c d"


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_bib_exports_have_no_control_characters(fmt: str) -> None:
    doc = Document.model_validate({"annobib": 1, "works": [
        {"key": "a", "type": "book", "title": BAD, "author": [{"family": "Es\x1bc", "given": "A\x07"}],
         "publisher": "P\x00", "note": "n\x0bm", "issued": "2001"},
    ]})
    text = export(Library([LoadedDocument("t.yaml", doc)]), fmt).text
    assert not _CONTROL.search(text), repr(text)


@pytest.mark.parametrize("given", [None, "Ann"])
def test_a_control_character_written_as_a_space_keeps_a_name_one_name(given: str | None) -> None:
    # found by tests/test_fuzz.py: "a\x0bxjan" became "a xjan", read back as given "a"
    from annobib.sources.interchange import read_text

    person = {"family": "a\x0bxjan", **({"given": given} if given else {})}
    doc = Document.model_validate({"annobib": 1, "works": [
        {"key": "a", "type": "book", "title": "T", "author": [person]}]})
    text = export(Library([LoadedDocument("t.yaml", doc)]), "biblatex").text
    (work,) = read_text(text, "t.bib", "bibtex").works
    assert work.author[0].family == "a xjan" and work.author[0].given == given
