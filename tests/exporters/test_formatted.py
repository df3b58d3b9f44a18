"""Formatted export: annotated bibliographies, footnotes (--notes), RTF, odd records."""

from __future__ import annotations

import re

from annobib.exporters.base import ExportOptions
from annobib.exporters.formatted import export_formatted
from annobib.model.library import Document, Library, LoadedDocument
from annobib.styles import Formatter


def _export(lib: Library, f: Formatter, fmt: str, **opts: object) -> str:
    return export_formatted(lib, ExportOptions(**opts), fmt, f).text  # type: ignore[arg-type]


def test_annotated_text_puts_annotation_after_its_entry(library: Library, formatter: Formatter) -> None:
    text = _export(library, formatter, "text", style="ieee", annotated=True, keys=["tomberg2022", "kamennov2019"])
    blocks = text.split("\n\n")
    assert blocks[0].startswith("[1] I. R. Tomberg, “China’s Military")
    assert blocks[1].startswith("    Summary: Surveys China's military")
    assert "    Tags: China; Central Asia; military cooperation" in blocks[1]
    # Kamennov has no annotation: its entry stands alone, nothing invented.
    assert blocks[2] == "[2] P. B. Kamennov, China: military policy at the beginning of the XXI century. Moscow: IDV RAS, 2019.\n"


def test_annotation_never_glued_into_the_reference(library: Library, formatter: Formatter) -> None:
    # The style's own "annotated" variant prints `annote`/`note`; annobib keeps them apart.
    text = _export(library, formatter, "text", style="apa-annotated-bibliography", keys=["tomberg2022"])
    assert "Surveys China" not in text


def test_annotated_markdown_uses_a_blockquote(library: Library, formatter: Formatter) -> None:
    md = _export(library, formatter, "markdown", style="apa", annotated=True, keys=["mukimdzhanova2004"])
    entry, quote = md.split("\n\n", 1)
    assert entry.startswith("Mukimdzhanova, R. (2004). Central Asian States and China")
    assert quote.startswith("> **Summary.** Reviews the relations of the Central Asian states")
    assert "> **Tags.** China; Central Asia; Kazakhstan; Xinjiang; SCO; separatism; trade" in quote


def test_annotated_html_page_is_standalone_and_accessible(library: Library, formatter: Formatter) -> None:
    page = _export(library, formatter, "html", style="apa", annotated=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-US">')  # the style's locale
    assert '<meta charset="utf-8">' in page
    assert not re.search(r"<(link|script|img)\b|https?://[^\"<]*\.(css|js)\b|url\(", page)
    assert '<li id="ref-tomberg2022">' in page
    assert '<section class="annotation" aria-label="Annotation: tomberg2022">' in page
    assert '<span lang="ru-Latn">K voprosu ob evoliutsii voennoy politiki i strategii Kitaia</span>' in page
    # English titles (Tomberg's list gives English titles of Russian works) carry no lang.
    assert '<span lang="en">' not in page


def test_rtf_is_a_document_with_unicode_escapes(library: Library, formatter: Formatter) -> None:
    rtf = _export(library, formatter, "rtf", style="gost", keys=["kamennov2019"], annotated=True)
    assert rtf.startswith("{\\rtf1\\ansi")
    assert rtf.rstrip().endswith("}")
    assert "\\u1089?" in rtf or "\\uc0\\u1089{}" in rtf  # the Cyrillic "с." of "248 с."


def test_notes_regenerate_004_footnotes(library: Library, formatter: Formatter) -> None:
    text = _export(library, formatter, "text", style="chicago-notes-bibliography", notes=True)
    notes = text.rstrip("\n").split("\n")
    assert len(notes) == 16
    assert notes[0] == (
        "1. See: V. S. Miasnikov, “Aziatskiye gosudarstva SNG v politike Kitaia i Yaponii,” in "
        "Rossia i strany blizhnego zarubezhya. Vneshnepoliticheskiye orientiry (Moscow, 1997), 160."
    )
    # mixed: the commentary, then the citation in parentheses before its full stop
    assert notes[1] == (
        "2. The legal framework of Kazakh Chinese relations comprises a total of 105 bilateral "
        "treaties, agreements, and other documents (see: Kazakhstanskaia pravda, September 23, 2003)."
    )
    # commentary-only notes stay text, word for word
    assert notes[11] == "12. In 2004, the rotating SCO presidency is held by Uzbekistan."
    assert notes[10] == (
        "11. See: I. Karimov, Za protsvetaniye Rodiny— kazhdyy iz nas v otvete (Tashkent, 2001), 340–47."
    )
    # citations printed inside the commentary go back where they were printed (`after`)
    assert (
        "aggravated once again (see: Izvestia, February 19, 1997). Only minor separatist"
        in notes[13]
    )
    assert "in Kazakhstan or in Kyrgyzstan (see: D. Reetz, " in notes[13]
    assert notes[13].endswith("the Chinese side (see: Financial Times Survey, Kazakhstan, July 1, "
                              "1999, 4).")
    # the full stop printed inside the parenthesis is not in `text` and not added
    assert "implementation (see: D. Trofimov, " in notes[14]
    assert "(2002): 91–92) Discussion of this problem" in notes[14]


def test_inline_cites_in_every_format(library: Library, formatter: Formatter) -> None:
    for fmt, izvestia in (
        ("markdown", "once again (see: *Izvestia*, February 19, 1997). Only"),
        ("html", "once again (see: <i>Izvestia</i>, February 19, 1997). Only"),
        ("rtf", "once again (see: {\\i{}Izvestia}, February 19, 1997). Only"),
    ):
        out = _export(library, formatter, fmt, style="chicago-notes-bibliography", notes=True)
        assert izvestia in out, fmt


def test_notes_markdown_are_a_numbered_list(library: Library, formatter: Formatter) -> None:
    md = _export(library, formatter, "markdown", style="chicago-notes-bibliography", notes=True)
    lines = md.rstrip("\n").split("\n")
    assert len(lines) == 16
    assert lines[0].startswith("1. See: V. S. Miasnikov, “Aziatskiye gosudarstva SNG v politike Kitaia i Yaponii,” in *Rossia")
    assert lines[11] == "12. In 2004, the rotating SCO presidency is held by Uzbekistan."


def test_a_record_without_author_or_date_does_not_sink_the_list(formatter: Formatter) -> None:
    doc = Document.model_validate(
        {
            "works": [
                {"key": "bare", "type": "web-page", "title": "Only a title"},
                {"key": "nothing", "type": "misc"},
                {"key": "ok", "type": "book", "title": "A book", "author": ["Doe, J."], "issued": "2001"},
            ]
        }
    )
    lib = Library([LoadedDocument("x.yaml", doc)])
    for style in ("apa", "ieee", "gost"):
        result = export_formatted(lib, ExportOptions(style=style), "text", formatter)
        assert len(result.text.strip().split("\n")) == 3, style
        assert not result.findings


def test_html_languages_in_a_mixed_gost_list(library: Library, formatter: Formatter) -> None:
    page = _export(library, formatter, "html", style="gost", keys=["mukimdzhanova2004", "kamennov2019", "miasnikov1997"])
    # the page speaks the style's locale (annobib's words are Russian there too)
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru-RU">')
    kamennov = page.split('<li id="ref-kamennov2019">')[1].split("</li>")[0]
    assert '<div class="csl-entry">' in kamennov
    assert '<span lang="en">China: military policy at the beginning of the XXI century</span>' in kamennov
    assert "248 с." in kamennov
    english = page.split('<li id="ref-mukimdzhanova2004">')[1].split("</li>")[0]
    assert '<div class="csl-entry" lang="en-US">' in english and "Vol. 5, № 4. P. 61–70." in english
    miasnikov = page.split('<li id="ref-miasnikov1997">')[1].split("</li>")[0]
    assert '<span lang="ru-Latn">Aziatskiye gosudarstva SNG v politike Kitaia i Yaponii</span>' in miasnikov


def test_notes_html_page(library: Library, formatter: Formatter) -> None:
    page = _export(library, formatter, "html", style="chicago-notes-bibliography", notes=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-US">')  # the style's locale
    assert '<h1 id="notes">Notes</h1>\n<p class="style-name">Chicago' in page
    assert page.count('<li id="fn-1-') == 16
    assert (
        '<li id="fn-1-1" value="1">See: V. S. Miasnikov, “<span lang="ru-Latn">Aziatskiye '
        "gosudarstva SNG v politike Kitaia i Yaponii</span>,” in <i>Rossia i strany blizhnego "
        "zarubezhya. Vneshnepoliticheskiye orientiry</i> (Moscow, 1997), 160.</li>"
    ) in page


def test_notes_html_page_speaks_the_language_of_its_locale(library: Library, formatter: Formatter) -> None:
    # as the bibliography page does: lang, heading and title from the locale; what is in
    # another language (the style's English name, an English article title) says so
    page = _export(library, formatter, "html", style="chicago-notes-bibliography", notes=True,
                   locale="ru-RU")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru-RU">')
    assert "<title>Примечания (Chicago" in page
    assert '<h1 id="notes">Примечания</h1>\n<p class="style-name" lang="en">Chicago' in page
    assert '<h2 id="notes-1" lang="en">Central Asian States and China' in page
    assert '<span lang="ru-Latn">Aziatskiye gosudarstva SNG v politike Kitaia i Yaponii</span>' in page
    # a locale annobib has no words for: English words on a page that says it is English
    page = _export(library, formatter, "html", style="chicago-notes-bibliography", notes=True,
                   locale="de-DE")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<h1 id="notes">Notes</h1>' in page

