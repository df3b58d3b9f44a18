"""Forms of a title or a name: as printed, without language markers, and in the common
romanisations of Cyrillic (GOST 7.79 system B, BGN/PCGN, ISO 9, Library of Congress,
"scientific", from ``iuliia``), so that ``Kuzmina E.M.`` meets ``Кузьмина Е. М.``."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import iuliia

from annobib.textmatch import fold, has_cyrillic, name_key, similarity, strip_markup

#: the transliteration schemes a printed Cyrillic title or name may have been romanised in
SCHEMES: tuple[tuple[str, Any], ...] = (
    ("gost-7.79-b", iuliia.GOST_779_ALT),
    ("bgn-pcgn", iuliia.BGN_PCGN),
    ("iso-9", iuliia.GOST_779),
    ("lc", iuliia.ALA_LC),
    ("scientific", iuliia.SCIENTIFIC),
)

# Printed language markers and bracketed translations: not part of the title's words.
LANGUAGE_MARKER = re.compile(
    r"\s*\((?:in|на)\s+(?:russ|rus|eng|engl|ukr|kaz|kyrg|uzb|taj|arm|geo|belarus)\w*\.?\)\s*",
    re.IGNORECASE,
)
BRACKETED = re.compile(r"\s*\[[^\[\]]{3,}\]\s*")


def clean_title(text: str) -> str:
    """The printed title without language markers (``(In Russ.)``) and bracketed parts."""
    t = LANGUAGE_MARKER.sub(" ", strip_markup(text))
    t = BRACKETED.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip(" .")


@functools.lru_cache(maxsize=1 << 14)
def romanisations(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` and, when it holds Cyrillic, its transliteration in each of :data:`SCHEMES`,
    as ``(scheme, text)``; the printed form first (scheme ``printed``)."""
    out = [("printed", text)]
    if has_cyrillic(text):
        for name, schema in SCHEMES:
            out.append((name, schema.translate(text)))
    return tuple(out)


def title_similarity(ours: Iterable[tuple[str, str]],
                     theirs: Iterable[tuple[str, str]]) -> tuple[float, str]:
    """Best similarity of any of our title forms against any of theirs, and which met.

    Both sides are ``(name, text)`` pairs (our printed, original, translated and
    transliterated titles; the record's ``title[i]``, ``original-title`` ...). A Cyrillic text
    is also compared in each transliteration scheme, a marker like ``(In Russ.)`` is dropped.
    """
    best, how = 0.0, ""
    theirs_forms = [(n, s, t) for n, text in theirs
                    for s, t in romanisations(clean_title(text)) if t]
    for oname, otext in ours:
        for oscheme, o in romanisations(clean_title(otext)):
            if not o:
                continue
            for tname, tscheme, t in theirs_forms:
                if oscheme != "printed" and tscheme != "printed":
                    continue  # one side stays as printed
                s = similarity(o, t)
                if s > best:
                    scheme = oscheme if oscheme != "printed" else tscheme
                    best, how = s, f"{oname}~{tname} ({scheme})"
                    if s >= 1.0:
                        return best, how
    return best, how


@functools.lru_cache(maxsize=1 << 14)
def name_keys(name: str) -> frozenset[str]:
    """Comparison keys of a family name in every script and scheme."""
    return frozenset(k for _, t in romanisations(name) if (k := name_key(t)))


def same_family(a: str, b: str) -> bool:
    """``Kuzmina`` and ``Кузьмина``, ``Kuz'mina``, ``Kuzʹmina`` are one family name."""
    if not a or not b:
        return False
    return bool(name_keys(a) & name_keys(b)) or fold(a) == fold(b)
