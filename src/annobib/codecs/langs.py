"""Language names per format: BCP 47 (the model) <-> babel/polyglossia names (BibLaTeX ``langid``).

biblatex, biber and pandoc read ``langid`` as a babel language name; Zotero and pandoc read RIS
``LA`` and CSL ``language`` as BCP 47. This table is the one place the two meet.
"""

from __future__ import annotations

# BCP 47 primary tag (or full tag) -> babel name understood by biblatex (its .lbx files)
_BABEL: dict[str, str] = {
    "en": "english",
    "en-US": "american",
    "en-GB": "british",
    "en-AU": "australian",
    "en-CA": "canadian",
    "en-NZ": "newzealand",
    "ru": "russian",
    "uk": "ukrainian",
    "be": "belarusian",
    "bg": "bulgarian",
    "sr": "serbian",
    "de": "ngerman",
    "de-AT": "naustrian",
    "de-CH": "nswissgerman",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "pt-BR": "brazil",
    "nl": "dutch",
    "pl": "polish",
    "cs": "czech",
    "sk": "slovak",
    "sl": "slovene",
    "hr": "croatian",
    "hu": "magyar",
    "ro": "romanian",
    "fi": "finnish",
    "sv": "swedish",
    "da": "danish",
    "nb": "norsk",
    "nn": "nynorsk",
    "no": "norsk",
    "is": "icelandic",
    "et": "estonian",
    "lv": "latvian",
    "lt": "lithuanian",
    "el": "greek",
    "tr": "turkish",
    "he": "hebrew",
    "ca": "catalan",
    "eu": "basque",
    "gl": "galician",
    "la": "latin",
}

_FROM_BABEL: dict[str, str] = {}
for _tag, _name in _BABEL.items():
    _FROM_BABEL.setdefault(_name, _tag)
_FROM_BABEL.update(
    {
        "german": "de",
        "austrian": "de-AT",
        "swissgerman": "de-CH",
        "UKenglish": "en-GB",
        "USenglish": "en-US",
        "ukenglish": "en-GB",
        "usenglish": "en-US",
        "francais": "fr",
        "brazilian": "pt-BR",
        "portuges": "pt",
        "hungarian": "hu",
        "slovenian": "sl",
        "norwegian": "no",
        "ngerman": "de",
    }
)

# what a Scopus-style "(In Russ.)" remark calls a language
_IN_ABBREV: dict[str, str] = {
    "ru": "Russ.",
    "en": "Eng.",
    "uk": "Ukr.",
    "be": "Belarus.",
    "kk": "Kazakh",
    "de": "Germ.",
    "fr": "Fr.",
    "es": "Span.",
    "zh": "Chin.",
}


def primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def babel_name(tag: str) -> str | None:
    """``ru`` → ``russian``, ``en-GB`` → ``british``; ``None`` when biblatex has no such language.

    A script or variant subtag (``ru-Latn``) falls back to the primary language.
    """
    if tag in _BABEL:
        return _BABEL[tag]
    parts = tag.split("-")
    if len(parts) >= 2 and f"{parts[0].lower()}-{parts[-1].upper()}" in _BABEL:
        return _BABEL[f"{parts[0].lower()}-{parts[-1].upper()}"]
    return _BABEL.get(primary(tag))


def from_babel(name: str) -> str | None:
    """``russian`` → ``ru``; also accepts a BCP 47 tag as some tools write one (``ru``)."""
    n = name.strip()
    if n in _FROM_BABEL:
        return _FROM_BABEL[n]
    if n.lower() in _FROM_BABEL:
        return _FROM_BABEL[n.lower()]
    if n in _BABEL or primary(n) in _BABEL:
        return n
    return None


def in_language_remark(tag: str) -> str:
    """``ru`` → ``In Russ.`` (the Scopus/RSCI remark for a work whose title is translated)."""
    return "In " + _IN_ABBREV.get(primary(tag), primary(tag))


def remark_language(text: str) -> str | None:
    """``(In Russ.)`` → ``ru``: the inverse of :func:`in_language_remark`, else ``None``."""
    t = text.strip().strip("()").strip()
    for tag, abbr in _IN_ABBREV.items():
        if t == "In " + abbr:
            return tag
    return None
