"""Field values from labelled spans: names, dates, numbers, locators, language."""

from __future__ import annotations

import pytest

from annobib.sources.text.fields import (
    date_value,
    dehyphenate,
    names_value,
    pages_value,
    title_value,
    volume_issue,
)
from annobib.sources.text.lang import detect
from annobib.sources.text.notes import read_note


@pytest.mark.parametrize(("printed", "names"), [
    ("Kamennov P.B.", ["Kamennov, P.B."]),
    ("Paramonov V., Strokov A., Stolpovsky O.", ["Paramonov, V.", "Strokov, A.", "Stolpovsky, O."]),
    ("V.S. Miasnikov,", ["Miasnikov, V.S."]),
    ("Smith, J., Jones, K., & Lee, M.", ["Smith, J.", "Jones, K.", "Lee, M."]),
    ("Markova E. A.", ["Markova, E. A."]),
    ("Дмитриев В.И., Захаров Е.В.", ["Дмитриев, В.И.", "Захаров, Е.В."]),
])
def test_names(printed: str, names: list[str]) -> None:
    assert names_value(printed) == names


@pytest.mark.parametrize(("printed", "date"), [
    ("(1999).", "1999"),
    ("[Accessed: 14.05.2022]", "2022-05-14"),
    ("28.05. 2022", "2022-05-28"),
    ("23 September 2003", "2003-09-23"),
    ("19 February,1997", "1997-02-19"),
    ("Fall 1999,", "1999-23"),
    ("March 2004", "2004-03"),
    ("no year here", None),
])
def test_dates(printed: str, date: str | None) -> None:
    assert date_value(printed) == date


def test_pages_and_page_counts() -> None:
    assert pages_value("pp. 1761–1800).") == ("1761–1800", None)
    assert pages_value("С. 10-20.") == ("10-20", None)
    assert pages_value("248 p.") == (None, "248")
    assert pages_value("167 с.") == (None, "167")


def test_volume_and_issue() -> None:
    assert volume_issue("5(1):", False) == ("5", "1")
    assert volume_issue("Vol. XXIII, No. 1,", False) == ("XXIII", "1")
    assert volume_issue("No. 1 (19),", False) == (None, "1 (19)")
    assert volume_issue("Т. 5. № 2.", False) == ("5", "2")
    # a Russian journal's "YEAR;N:" is an issue; elsewhere a volume
    assert volume_issue("4:", True) == (None, "4")
    assert volume_issue("4:", False) == ("4", None)


def test_titles_lose_quotes_and_line_break_hyphens() -> None:
    words = {"technical"}.__contains__
    assert title_value("“Islamic Activism in Central Asia,”", words) == "Islamic Activism in Central Asia"
    assert title_value("“Shanghai: From the “Five” to the SCO,”", words) == "Shanghai: From the “Five” to the SCO"
    assert dehyphenate("Poten-tial and military-technical", words) == "Potential and military-technical"


@pytest.mark.parametrize(("text", "tag"), [
    ("Aziatskiye gosudarstva SNG v politike Kitaia i Yaponii", "ru-Latn"),
    ("Kazakhstanskaia pravda", "ru-Latn"),
    ("Izvestia", "ru-Latn"),
    ("Three Goals of China’s Military Diplomacy", "en"),
    ("Afghanistan, China, Pakistan, Tajikistan Form Anti-Terror Group", "en"),
    ("Financial Times Survey, Kazakhstan", None),
    ("Die Theorie der Dinge", None),
    ("Мозг и язык", "ru"),
    ("Історія України", "uk"),
])
def test_language(text: str, tag: str | None) -> None:
    assert detect(text) == tag


def test_note_with_commentary_and_two_cites() -> None:
    note = read_note("Words first (see: A. B, “T,” J, No. 2, 2001, p. 7). More words here "
                     "(cf.: C. D, Book, 2000).")
    assert note.kind == "mixed"
    assert note.text == "Words first. More words here."
    assert [c.signal for c in note.cites] == ["see:", "cf.:"]
    assert [c.locator for c in note.cites] == ["7", None]
    assert note.cites[0].after == "Words first"[-len("Words first"):] or note.cites[0].after is None
    assert note.cites[1].after is None  # the last cite closes the note


def test_leading_signal_and_several_works() -> None:
    note = read_note("See: Smith J. One. 2001, pp. 3-4; Jones K. Two. 2002.")
    assert note.kind == "citation"
    assert [(c.signal, c.locator) for c in note.cites] == [("See:", "3-4"), (None, None)]


def test_commentary_only() -> None:
    assert read_note("In 2004, the presidency is held by Uzbekistan.").kind == "commentary"
