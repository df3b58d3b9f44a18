"""Which language a printed title is in: script first, then romanised Russian or English.

Reference lists of post-Soviet journals print Russian works in three ways: in Cyrillic, in an
English translation marked "(In Russ.)" (the marker is read in :mod:`fields`), or romanised
("Aziatskiye gosudarstva SNG v politike Kitaia"). General-purpose detectors (langid, langdetect,
fastText's lid.176) have no class for romanised Russian and give such titles to Slovenian,
Croatian or Finnish, and they are unreliable on a title of three words; see docs/text-parser.md.
So the detector here is small and specific: Cyrillic letters decide by the letters that only
one language has; in Latin script, romanisation patterns and Russian function words
(``v``, ``i``, ``ob``, ``-iye``, ``-skaia``, ``zh``, ``kh``) against English function words.
It answers ``None`` when the evidence is weak: a tag is never guessed.
"""

from __future__ import annotations

import re

_CYR = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EN = _set(
    "the of and in on for to a an with from by at is are as its their this that how why "
    "what new between under over into about after before against during has have was were "
    "will been not or but which who"
)
_OTHER = _set(
    "der die das und von zu mit für im ein eine le la les des et du une est dans pour sur "
    "il el los las del por para con una de della di che"
)
_RU_WORDS = _set(
    "v i k s o ob na po za ot iz dlya dlia pri ili kak ne chto eto ego ikh pod nad pravda "
    "izvestia izvestiya gazeta vestnik zhurnal voprosy problemy mirovaya ekonomika "
    "kommersant vedomosti sbornik trudy zapiski rossii rossiya rossia mezhdunarodnye "
    "otnosheniya politika istoriya nauka"
)
_RU_PATTERN = re.compile(
    r"(?:iye|iya|iia|aia|yye|ogo|ego|ykh|ikh|oy|yy|iy|skaia|skaya|skiy|skii|nyy|nye|stva|"
    r"stvo|ami|akh|ovo|eva|ova|iyu|uyu)$|zh|kh|shch|ts(?=[aeiouy])|ya|yu|yo|iia",
)


def detect(text: str) -> str | None:
    """A BCP 47 tag for ``text`` (``ru``, ``uk``, ``be``, ``kk``, ``ru-Latn``, ``en``) or None."""
    if _CYR.search(text):
        if re.search(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]", text):
            return "kk"
        if re.search(r"[ўЎ]", text):
            return "be"
        if re.search(r"[їєґЇЄҐ]", text) or (re.search(r"[іІ]", text) and not _LATIN.search(text)):
            return "uk"
        return "ru"
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or not _LATIN.search(text):
        return None
    en = sum(w in _EN for w in words)
    other = sum(w in _OTHER for w in words)
    strong = sum(w in _RU_WORDS for w in words)
    ru = sum(1 for w in words if w in _RU_WORDS or _RU_PATTERN.search(w))
    if en == 0 and other == 0 and ((ru >= 2 and ru >= len(words) * 0.4) or strong >= 1):
        return "ru-Latn"
    if other > en:
        return None
    if en or (text.isascii() and ru == 0 and other == 0):
        return "en"
    return None
