"""Language marks go on text, never into markup (issue #13, item 12): a title whose words also
appear in the entry's tags ("class", "csl-entry", "div") is wrapped where it is text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from annobib.exporters.formatted import _mark_title_lang


class _Check(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Check:
    p = _Check()
    p.feed(fragment)
    p.close()
    return p


ENTRY = '<div class="csl-entry">Smith, J. (2001). {title}. <i>Journal of class</i>, 3.</div>'


@pytest.mark.parametrize("title", ["class", "csl-entry", "div", "Journal of class", "i", "entry"])
def test_lang_span_wraps_text_only(title: str) -> None:
    entry = ENTRY.format(title=title)
    out = _mark_title_lang(entry, {"title": title, "language": "fr"}, "en")
    # the entry's own tags are untouched...
    assert re.sub(r'<span lang="fr">|</span>', "", out) == entry
    tags = _parse(out).tags
    assert tags[0] == ("div", {"class": "csl-entry"})
    # ...and the span holds the title as text
    m = re.search(r'<span lang="fr">(.*?)</span>', out)
    assert m is not None and m.group(1) == title


def test_title_only_in_markup_marks_the_whole_entry() -> None:
    entry = '<div class="csl-entry">Smith. A Different Form. 2001.</div>'
    out = _mark_title_lang(entry, {"title": "csl-entry", "language": "fr"}, "en")
    assert out == '<div class="csl-entry" lang="fr">Smith. A Different Form. 2001.</div>'


def test_title_never_split_inside_an_entity() -> None:
    entry = '<div class="csl-entry">Smith &#38; Jones. 38; Jones. 2001.</div>'
    out = _mark_title_lang(entry, {"title": "38; Jones", "language": "fr"}, "en")
    assert out == '<div class="csl-entry">Smith &#38; Jones. <span lang="fr">38; Jones</span>. 2001.</div>'


@pytest.mark.parametrize("title", ["class", "csl-entry", "div"])
def test_html_export_marks_a_title_that_names_markup(title: str) -> None:
    from annobib.exporters import export
    from annobib.exporters.base import ExportOptions
    from annobib.model.library import Document, Library, LoadedDocument
    from annobib.styles import default_formatter

    doc = Document.model_validate({"annobib": 1, "works": [
        {"key": "w", "type": "book", "title": title, "language": "fr",
         "author": [{"family": "Dupont", "given": "Jean"}], "issued": "2001", "publisher": "P"}]})
    page = export(Library([LoadedDocument("t.yaml", doc)]), "html",
                  ExportOptions(style="apa", formatter=default_formatter())).text
    entry = re.search(r'<div class="csl-entry"[^>]*>.*?</div>', page, re.S)
    assert entry is not None, page
    assert f'<span lang="fr">{title}</span>' in entry.group(0) or 'lang="fr"' in entry.group(0)
    for tag in re.findall(r"<[^>]*>", entry.group(0)):
        assert "<span" not in tag[1:], tag  # no span inside a tag
    assert _parse(entry.group(0)).tags[0][0] == "div"
