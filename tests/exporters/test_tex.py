"""TeX escaping: specials always escaped with balanced braces; Unicode kept unless --ascii."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from annobib.chars import CONTROL_CLASS
from annobib.codecs import tex


def balanced(s: str) -> bool:
    depth = 0
    for c in s:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def test_specials_are_escaped() -> None:
    out = tex.escape(r"A & B % C $ D # E _ F { G } H ~ I ^ J \ K")
    assert out == (
        r"A \& B \% C \$ D \# E \_ F \textbraceleft{} G \textbraceright{} H "
        r"\textasciitilde{} I \textasciicircum{} J \textbackslash{} K"
    )


def test_injection_attempt_stays_text() -> None:
    out = tex.escape(r"\input{/etc/passwd}\def\x{}%")
    assert "\\input" not in out.replace(r"\textbackslash{}input", "")
    assert balanced(out)
    assert tex.unescape_specials(out) == r"\input{/etc/passwd}\def\x{}%"


def test_unicode_kept_by_default() -> None:
    assert tex.escape("Кузьмина, Е. М. — «Евразия»") == "Кузьмина, Е. М. — «Евразия»"


def test_ascii_mode_cyrillic_uses_cyrchar() -> None:
    out, missing = tex.value("Ёж café", ascii=True)
    assert out.isascii()
    assert r"{\cyrchar\CYRYO}" in out and r"{\cyrchar\cyrzh}" in out
    assert r"\'e" in out
    assert missing == []


def test_ascii_mode_reports_characters_without_latex() -> None:
    _out, missing = tex.value("中", ascii=True)
    assert missing == ["中"]


def test_paragraphs_become_par() -> None:
    # a paragraph break: a blank line after an explicit space (pandoc joins paragraphs with
    # nothing between them); a line break inside a paragraph: a space
    assert tex.escape("one\n\ntwo\nthree") == "one{ }\n\ntwo three"
    assert tex.has_line_break("one\n\ntwo\nthree") and not tex.has_line_break("one\n\ntwo")


def test_title_protection_sentence_case() -> None:
    out, _ = tex.protect_title("Relations of China with the countries of Central Asia and the SCO")
    # capitalised words after the first are the source's capitals (proper nouns here)
    assert out == "Relations of {China} with the countries of {Central} {Asia} and the {SCO}"


def test_title_protection_russian_sentence_case() -> None:
    out, _ = tex.protect_title("Евразийская интеграция и Центральная Азия")
    assert out == "Евразийская интеграция и {Центральная} {Азия}"


def test_title_protection_title_case_keeps_every_capital() -> None:
    # a title-case title: its proper nouns cannot be told from its title-cased words, and the
    # record's capitals are what it has, so none of them is left for a style to lower-case
    out, _ = tex.protect_title("Three Goals of China’s Military Diplomacy in the XXI Century")
    assert out == "Three {Goals} of {China’s} {Military} {Diplomacy} in the {XXI} {Century}"


def test_title_protection_inner_capitals_and_compounds() -> None:
    out, _ = tex.protect_title("iPhone and COVID-19 Data in military-technical work")
    assert out == "{iPhone} and {COVID-19} {Data} in military-technical work"
    out, _ = tex.protect_title("Using the Xinjiang-Uighur region")
    assert out == "Using the {Xinjiang-Uighur} region"


def test_title_without_capitals_after_the_first_is_not_braced() -> None:
    assert tex.protect_title("A study of things")[0] == "A study of things"
    assert tex.protect_title("Кто виноват? и что делать")[0] == "Кто виноват? и что делать"
    # BibTeX keeps the title's first character: after an opening quote the capital needs braces
    assert tex.protect_title("«Кто виноват?» и что делать")[0] == "{«Кто} виноват?» и что делать"


def test_name_part_with_and_is_braced() -> None:
    out, _ = tex.name_part("Smith and Sons")
    assert out == "{Smith and Sons}"


@given(st.text())
def test_escape_is_balanced_and_reversible(s: str) -> None:
    out = tex.escape(s)
    assert balanced(out)
    # no unescaped special survives
    stripped = re.sub(r"\\(textbraceleft|textbraceright|textbackslash|textasciitilde|"
                      r"textasciicircum)\{\}|\\[&%$#_]|(?<=[-`'])\{\}|\{ \}\n\n",
                      "", out)
    assert not re.search(r"[\\{}&%$#_~^]", stripped)
    if not re.search("[\n\r\t" + CONTROL_CLASS + "]", s):  # control characters: left out
        assert tex.unescape_specials(out) == s


@given(st.text(min_size=1))
def test_title_protection_is_balanced(s: str) -> None:
    out, _ = tex.protect_title(s)
    assert balanced(out)


def test_lower_case_word_after_a_colon_is_braced() -> None:
    # pandoc's BibTeX reader sentence-cases by CSL's rules and capitalises after a colon
    out, _ = tex.protect_title("Foreign policy of Central Asian countries: results of 30-year development")
    assert out == "Foreign policy of {Central} {Asian} countries: {results} of 30-year development"
    assert tex.protect_title("China: military policy")[0] == "China: {military} policy"
