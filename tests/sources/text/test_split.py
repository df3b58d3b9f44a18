"""Splitting printed lists into entries: numbering, bullets, paragraphs, lines, hyphenation."""

from __future__ import annotations

import pytest

from annobib.sources.text.split import split_entries

WORDS = {"technical", "the"}


def is_word(w: str) -> bool:
    return w.lower() in WORDS


@pytest.mark.parametrize("mark", ["{n}.", "[{n}]", "{n})", "({n})"])
def test_numbered_styles_with_hanging_lines(mark: str) -> None:
    text = "\n".join([
        mark.format(n=1) + " Smith J. A title that runs",
        "   on to the next line. 2001.",
        mark.format(n=2) + " Jones K. Another. 2002.",
    ])
    entries = split_entries(text, is_word)
    assert [e.n for e in entries] == [1, 2]
    assert entries[0].text == "Smith J. A title that runs on to the next line. 2001."
    assert entries[0].source.startswith(mark.format(n=1))
    assert entries[0].line == 1 and entries[1].line == 3
    assert entries[0].line_at(entries[0].text.index("next")) == 2


def test_a_line_starting_with_a_year_is_not_a_new_entry() -> None:
    text = "1. Smith J. Title. Moscow: Nauka,\n2001. 200 p.\n2. Jones K. Other. 2002."
    entries = split_entries(text, is_word)
    assert len(entries) == 2
    assert entries[0].text.endswith("Nauka, 2001. 200 p.")


def test_bullets() -> None:
    text = "• Smith J. One. 2001.\n• Jones K. Two. 2002.\n  continued here"
    entries = split_entries(text, is_word)
    assert [e.text for e in entries] == ["Smith J. One. 2001.", "Jones K. Two. 2002. continued here"]
    assert entries[0].layout == "bulleted"


def test_paragraphs_and_a_note_split_mid_sentence() -> None:
    text = "First note ends here.\n\nSecond note worth more than\n\n$1 billion. It ends.\n\nThird."
    entries = split_entries(text, is_word)
    assert [e.text for e in entries] == [
        "First note ends here.", "Second note worth more than $1 billion. It ends.", "Third."]
    assert entries[1].source == "Second note worth more than\n\n$1 billion. It ends."


def test_one_per_line_with_indented_continuations() -> None:
    text = "Smith J. One. 2001.\nJones K. Two,\n    continued. 2002.\nLee M. Three. 2003."
    entries = split_entries(text, is_word)
    assert [e.text for e in entries] == [
        "Smith J. One. 2001.", "Jones K. Two, continued. 2002.", "Lee M. Three. 2003."]


def test_hyphenation_at_line_breaks() -> None:
    text = "1. Rossia i strany blizhnego zaru-\nbezhya. The military-\ntechnical side. 1997.\n2. X. 2000."
    (first, _) = split_entries(text, is_word)
    # "bezhya" is no word of its own: the hyphen was the line break's; "technical" is a word
    assert first.text == "Rossia i strany blizhnego zarubezhya. The military-technical side. 1997."
    assert first.source == "1. Rossia i strany blizhnego zaru-\nbezhya. The military-\ntechnical side. 1997."


def test_empty_input() -> None:
    assert split_entries("\n  \n") == []
