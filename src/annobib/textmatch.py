"""Comparing bibliographic strings across markup, case, diacritics, scripts and romanisations.

Used by the Crossref check. Pure functions, no I/O.

- :func:`strip_markup` removes JATS/HTML tags and entities (Crossref titles carry ``<i>``,
  ``<sub>``, ``<scp>``...).
- :func:`fold` lower-cases, strips diacritics and punctuation, repairs Cyrillic/Latin homoglyphs
  inside mixed-script words (``Тоmberg`` typed with a Cyrillic ``Т``) and, when asked,
  transliterates Cyrillic to Latin.
- :func:`name_key` reduces a surname to a key that the common romanisations of Russian share
  (GOST 7.79, BGN/PCGN, ISO 9 without diacritics, Library of Congress without ligatures):
  Tomberg / Томберг, Mukimdzhanova / Mukimjanova / Мукимджанова, Yuriy / Iurii / Юрий.
- :func:`similarity` is a 0..1 score on folded text (the best of a character-sequence ratio and
  a token-set ratio, so word order and a dropped article cost little).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from difflib import SequenceMatcher

_TAG_RE = re.compile(r"<[^<>]{1,200}>")
_SPACE_RE = re.compile(r"\s+")
_NONWORD_RE = re.compile(r"[^\w]+")

# Cyrillic letters whose glyphs are Latin letters (lower and upper case).
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    }
)  # fmt: skip

# Latin letters whose glyphs are Cyrillic letters, for mostly-Cyrillic words.
_LATIN_TO_CYRILLIC = str.maketrans(
    {
        "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у",
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О",
        "P": "Р", "T": "Т", "X": "Х",
    }
)  # fmt: skip

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "қ": "k", "ғ": "g",
    "ҳ": "h", "ң": "n", "ү": "u", "ұ": "u", "ө": "o", "һ": "h", "ә": "a", "ҷ": "j",
}  # fmt: skip
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)

# Romanisation variants folded to one spelling, longest first.
_NAME_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "sh"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("tch", "ch"),
    ("ts", "c"), ("tz", "c"), ("yu", "u"), ("iu", "u"), ("ju", "u"), ("ya", "a"),
    ("ia", "a"), ("ja", "a"), ("yo", "o"), ("ye", "e"), ("ie", "e"), ("iy", "i"),
    ("ij", "i"), ("yi", "i"), ("y", "i"), ("w", "v"), ("x", "ks"), ("'", ""),
)  # fmt: skip


def strip_markup(text: str) -> str:
    """Tags and entities out, whitespace collapsed."""
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub("", text))).strip()


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def has_latin(text: str) -> bool:
    return any(("a" <= ch.lower() <= "z") for ch in text)


def repair_homoglyphs(text: str) -> str:
    """In words that mix Cyrillic and Latin letters, turn look-alikes into the word's main
    script (``Тоmberg`` → ``Tomberg``, ``мoделирование`` → ``моделирование``)."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if has_cyrillic(word) and has_latin(word):
            cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
            lat = sum(1 for ch in word if "a" <= ch.lower() <= "z")
            if cyr > lat:
                return word.translate(_LATIN_TO_CYRILLIC)
            return word.translate(_HOMOGLYPHS)
        return word

    return re.sub(r"\w+", fix, text)


def transliterate(text: str) -> str:
    return text.lower().translate(_TRANSLIT_TABLE)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    # keep Cyrillic й/ё intact by recomposing only marks on Latin letters
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            prev = out[-1] if out else ""
            if prev and has_cyrillic(prev):
                out[-1] = unicodedata.normalize("NFC", prev + ch)
            continue
        out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str, *, latin: bool = False) -> str:
    """A comparison form: no markup, no accents, lower case, words separated by one space."""
    t = strip_markup(text)
    t = repair_homoglyphs(t)
    t = _strip_accents(t).casefold()
    t = t.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    if latin:
        t = transliterate(t)
    return _NONWORD_RE.sub(" ", t).replace("_", " ").strip()


@functools.lru_cache(maxsize=1 << 14)
def name_key(name: str) -> str:
    """A surname key shared by its Cyrillic form and common romanisations."""
    t = fold(name, latin=True).replace(" ", "")
    for a, b in _NAME_RULES:
        t = t.replace(a, b)
    # double letters collapse (Mukimdzhanova / Mukimdjanova; Fillipov)
    return re.sub(r"(.)\1+", r"\1", t)


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two titles. Compared across scripts when one side is Cyrillic."""
    latin = has_cyrillic(a) != has_cyrillic(b)
    fa, fb = fold(a, latin=latin), fold(b, latin=latin)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    ta, tb = set(fa.split()), set(fb.split())
    inter = len(ta & tb)
    token = 2 * inter / (len(ta) + len(tb)) if (ta or tb) else 0.0
    # a title that contains the other whole (ours has the subtitle, theirs not) scores high
    contained = 0.0
    if len(fa) >= 12 and len(fb) >= 12 and (fa in fb or fb in fa):
        contained = 0.9 + 0.1 * min(len(fa), len(fb)) / max(len(fa), len(fb))
    best = max(token, contained)
    matcher = SequenceMatcher(None, fa, fb, autojunk=False)
    if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
        return best  # the exact ratio cannot be higher: skip computing it
    return max(best, matcher.ratio())


_DASHES = re.compile(r"\s*[-‐‑‒–—―]+\s*")


def normalise_pages(pages: str) -> str:
    """``289–95`` → ``289-295``; dashes unified; spaces and ``pp.`` dropped."""
    p = re.sub(r"^(pp?\.|с\.|s\.)\s*", "", pages.strip(), flags=re.IGNORECASE)
    p = _DASHES.sub("-", p)
    m = re.fullmatch(r"(\w*?)(\d+)-(\w*?)(\d+)", p)
    if m and not m.group(3) and len(m.group(4)) < len(m.group(2)):
        first = m.group(2)
        last = first[: len(first) - len(m.group(4))] + m.group(4)
        return f"{m.group(1)}{first}-{last}"
    return p.lower()


def first_page(pages: str) -> str:
    return normalise_pages(pages).split("-")[0]


def initials_of(given: str) -> str:
    """``Igor R.`` → ``IR``; ``И. Р.`` → ``ИР``; ``Jean-Paul`` → ``JP``."""
    parts = re.split(r"[\s.\-]+", strip_markup(given))
    return "".join(p[0] for p in parts if p and p[0].isalpha()).upper()
