"""The formatted-output gaps of issue #14, each shown on data/ or on a small record.

Links in HTML, autolinks in Markdown, the heading and `lang` from the style's locale,
annotations in their own language, the treaty's date once, translated titles in brackets.
"""

from __future__ import annotations

import re

from annobib.exporters.base import ExportOptions
from annobib.exporters.formatted import export_formatted
from annobib.model.library import Document, Library, LoadedDocument
from annobib.styles import Formatter

GOST = "gost-r-7-0-5-2008-numeric"


def _export(lib: Library, f: Formatter, fmt: str, **opts: object) -> str:
    return export_formatted(lib, ExportOptions(**opts), fmt, f).text  # type: ignore[arg-type]


def _one(works: list[dict[str, object]]) -> Library:
    return Library([LoadedDocument("x.yaml", Document.model_validate({"works": works}))])


def test_urls_and_dois_are_links_in_html(library: Library, formatter: Formatter) -> None:
    page = _export(library, formatter, "html", style="apa")
    doi = "https://doi.org/10.24975/2313-8920-2022-9-3-289-300"
    assert f'<a href="{doi}">{doi}</a>' in page
    url = "https://mfa.gov.kg/ru/main/page?page_id=4456"
    assert f'<a href="{url}">{url}</a>' in page
    # IEEE prints the bare DOI: the link still goes to doi.org
    ieee = _export(library, formatter, "html", style="ieee")
    assert '<a href="https://doi.org/10.24975/2313-8920-2022-9-3-289-300">10.24975/' in ieee
    # the text output is unchanged: no markup
    assert "<a " not in _export(library, formatter, "text", style="apa")


def test_markdown_bare_urls_are_autolinks_with_their_underscores(
    library: Library, formatter: Formatter
) -> None:
    md = _export(library, formatter, "markdown", style="apa")
    assert "<https://mfa.gov.kg/ru/main/page?page_id=4456>" in md
    assert "page\\_id" not in md
    # a link whose text is not its address keeps the [text](<address>) form
    ieee = _export(library, formatter, "markdown", style="ieee")
    assert (
        "doi: [10.24975/2313-8920-2022-9-3-289-300]"
        "(<https://doi.org/10.24975/2313-8920-2022-9-3-289-300>)" in ieee
    )


def test_heading_and_page_language_come_from_the_locale(
    library: Library, formatter: Formatter
) -> None:
    gost = _export(library, formatter, "html", style=GOST)
    assert '<html lang="ru-RU">' in gost
    assert '<h1 id="bibliography">Список литературы</h1>' in gost
    # English entries in the Russian page say so; Russian ones inherit the page's language
    assert re.search(r'<div class="csl-entry" lang="en-US">\s*<div class="csl-left-margin">1\.', gost)
    assert 'lang="ru-RU">' not in gost.split("<body>")[1]
    apa = _export(library, formatter, "html", style="apa")
    assert '<html lang="en-US">' in apa
    assert '<h1 id="bibliography">Bibliography</h1>' in apa
    # a locale annobib has no words for keeps English words and says so
    de = _export(library, formatter, "html", style="apa", locale="de-DE")
    assert '<html lang="en">' in de


def test_annotations_carry_their_own_language(formatter: Formatter) -> None:
    lib = _one(
        [
            {
                "key": "k",
                "type": "book",
                "title": {"text": "Kniga", "lang": "ru-Latn"},
                "author": ["Ivanov, I."],
                "issued": "2001",
                "language": "ru",
                "annotation": {"summary": "A book about books.", "tags": ["books"], "lang": "en"},
            }
        ]
    )
    gost = _export(lib, formatter, "html", style=GOST, annotated=True)
    assert '<h1 id="bibliography">Аннотированный список литературы</h1>' in gost
    assert '<span class="label">Содержание:</span> <span lang="en">A book about books.</span>' in gost
    assert '<ul class="tags" aria-label="Ключевые слова" lang="en">' in gost
    # on an English page an English annotation needs no mark
    apa = _export(lib, formatter, "html", style="apa", annotated=True)
    assert '<span class="label">Summary:</span> A book about books.</p>' in apa


def test_the_treaty_prints_its_date_once(library: Library, formatter: Formatter) -> None:
    for style in ("apa", "chicago-author-date", GOST):
        text = _export(library, formatter, "text", style=style)
        (line,) = [ln for ln in text.splitlines() if "military-technical cooperation" in ln
                   and "Agreement" in ln]
        assert line.count("2018") <= 2, (style, line)  # GOST: the year only; others the date once
        assert line.count("November 22, 2018") <= 1, (style, line)


def test_translated_titles_in_brackets_where_the_style_prints_them(formatter: Formatter) -> None:
    lib = _one(
        [
            {
                "key": "k",
                "type": "book",
                "title": {
                    "text": "Voennaia politika Kitaia",
                    "lang": "ru-Latn",
                    "translated": {"text": "Military policy of China", "lang": "en"},
                },
                "author": ["Ivanov, I."],
                "issued": "2001",
                "language": "ru",
            }
        ]
    )
    assert "Voennaia politika Kitaia [Military policy of China]" in _export(
        lib, formatter, "text", style="apa"
    )
    assert "Voennaia politika Kitaia [Military policy of China]" in _export(
        lib, formatter, "text", style=GOST
    )
    # a style that does not print translations is given the title alone
    assert "[China" not in _export(lib, formatter, "text", style="chicago-author-date")
    # the title keeps its language mark in HTML, the translation is not inside it
    page = _export(lib, formatter, "html", style="apa")
    assert '<span lang="ru-Latn">Voennaia politika Kitaia</span>' in page


def test_gost_prints_a_titleless_newspaper_issue_as_an_issue(
    library: Library, formatter: Formatter
) -> None:
    text = _export(library, formatter, "text", style=GOST, keys=["izvestia-1997-02-19",
                                                                 "kazpravda-2002-03-13"])
    assert text.splitlines() == [
        "1. Kazakhstanskaia pravda. 2002. 13 марта.",  # in the library's order
        "2. Izvestia. 1997. 19 февр.",
    ]
    # a newspaper article with a title keeps the style's "Title // Newspaper" form
    whole = _export(library, formatter, "text", style=GOST)
    assert "Chaynataun v Almaty // Kazakhstanskaia pravda. 2003." in whole
    assert " // Kazakhstanskaia pravda. 2003.\n" not in whole.replace("Almaty // ", "")
    # other styles are given the record as it is
    apa = _export(library, formatter, "text", style="apa", keys=["izvestia-1997-02-19"])
    assert apa == "(1997, February 19). Izvestia.\n"
