"""BibTeX name lists (``Last, First and {Org} and von Last, Jr, First``), split by BibTeX's rules:
shared by the reader (``sources/bibtex/names.py``) and the BibLaTeX/BibTeX export, which writes
a name list back as the source wrote it while it still names the record's persons."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from annobib import chars
from annobib.codecs import tex
from annobib.codecs.bibstrings import one_group
from annobib.codecs.texdecode import TooDeep, decode, normalise_space

if TYPE_CHECKING:
    from annobib.model.person import Person

_AND_SPLIT = re.compile(r"\s+and\s+", re.IGNORECASE)
_SIMPLE_NAME = re.compile(r"^[^{}\\,~]+$")
_AND_OR_BRACE = re.compile(r"(\s+and\s+|[{}])", re.IGNORECASE)
_EXTENDED = re.compile(r"^\s*(?:family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)


def split_names(raw: str) -> list[str]:
    """Split a name list on ``and`` outside braces."""
    if "{" not in raw:
        return [n for n in _AND_SPLIT.split(raw.strip()) if n.strip()]
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for piece in _AND_OR_BRACE.split(raw):
        if not piece:
            continue
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth -= 1
        elif depth == 0 and _AND_SPLIT.fullmatch(piece):
            out.append("".join(current))
            current = []
            continue
        current.append(piece)
    out.append("".join(current))
    return [n for n in out if n.strip()]


def name_parts(one: str) -> tuple[str, str, str, str] | None:
    """(von, family, jr, given) of one BibTeX name; the common plain forms without
    bibtexparser."""
    if "," in one and one.count(",") == 1 and "{" not in one and "\\" not in one:
        family, given = one.split(",")
        if not family.lstrip()[:1].islower():
            return "", " ".join(family.split()), "", " ".join(given.split())
    if _SIMPLE_NAME.match(one):
        words = one.split()
        # "First Last" with no lower-case ("von") word: BibTeX's last word is the family
        if words and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            return "", words[-1], "", " ".join(words[:-1])
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(one, strict=False)
    except InvalidNameError:
        return None
    return (" ".join(parts.von), " ".join(parts.last), " ".join(parts.jr),
            " ".join(parts.first))


# (literal, family, given, particle, suffix) of one name, as text
NameText = tuple[str | None, str | None, str | None, str | None, str | None]


# what the reader decodes in a name part (sources/bibtex/names.py); the rest is taken as is
NEEDS_DECODE = re.compile(r"[\\{}$~`']|--|\s\s|[\t\n\r]")


def _text(tex: str) -> str | None:
    if not tex:
        return None
    return (decode(tex)[0] if NEEDS_DECODE.search(tex) else normalise_space(tex)) or None


def names_text(raw: str) -> list[NameText] | None:
    """What each name of the list ``raw`` says, decoded as the reader decodes it (``and
    others``, which the reader does not hold as a name, says nothing); None for a list the
    export cannot compare this way (extended names, TeX too deep)."""
    out: list[NameText] = []
    for one in split_names(raw):
        one = one.strip()
        if one.lower() == "others":
            continue
        said = _name_text(one)
        if said is None:
            return None
        out.append(said)
    return out


@lru_cache(maxsize=1 << 14)
def _name_text(one: str) -> NameText | None:
    """One name of :func:`names_text` (names repeat across a library: worked out once)."""
    if "=" in one and _EXTENDED.match(one):
        return None
    try:
        if one.startswith("{") and one.endswith("}") and one_group(one):
            return (_text(one[1:-1]), None, None, None, None)
        parts = name_parts(one)
        if parts is None:
            return None
        von, family, jr, given = parts
        return (None, _text(family), _text(given), _text(von), _text(jr))
    except TooDeep:
        return None


# what keeps a name part from being written as is: a TeX special or ligature, a comma, a
# line break, a control character, or the word "and" (it would split the name list)
_NOT_PLAIN_NAME = re.compile(
    f"[\\\\{{}}&%$#_~^,\n\r\t{chars.CONTROL_CLASS}]|--|``|''|\\band\\b", re.IGNORECASE
)


def _plain_name(part: str) -> bool:
    """A name part written as is: nothing to escape, no comma, no "and", no outer spaces."""
    return _NOT_PLAIN_NAME.search(part) is None and part == part.strip()


def write_name(p: Person, *, extended: bool = True, ascii: bool = False,
               missing: Callable[[list[str]], None] | None = None) -> str:
    """One name as the BibLaTeX/BibTeX export writes it (``Family, Given``, ``{Org}``,
    ``von Last, Jr, First``; biblatex's extended format where the name has its own
    ``useprefix`` and ``extended``); ``missing`` is told the characters without a LaTeX form
    (``ascii``), part by part."""
    family_text = p.family
    first = p.first_names()
    if p.use_prefix is not None or p.dropping_particle or p.non_dropping_particle or p.suffix:
        return _with_parts(p, extended, ascii, missing)
    if (
        family_text is not None
        and p.literal is None
        and " " not in family_text
        and _plain_name(family_text)
        and (first is None or _plain_name(first))
        and (not ascii or (family_text.isascii() and (first or "").isascii()))
    ):
        # the common case: nothing to escape or brace (a family name with a space is braced)
        return f"{family_text}, {first}" if first else family_text

    def said(out: tuple[str, list[str]]) -> str:
        if missing is not None and out[1]:
            missing(out[1])
        return out[0]

    if p.literal is not None:
        return "{" + said(tex.value(p.literal, ascii=ascii)) + "}"
    family = said(tex.name_part(str(p.family), ascii=ascii))
    if not first:
        # a lone family name is read by BibTeX as a family name only if no comma is needed;
        # brace it when it has spaces so "de la Cruz" is not split into von/last parts
        # (a braced name alone is an organisation: the comma keeps it a family name)
        if family.startswith("{"):
            return family + ","
        return "{" + family + "}," if " " in family else family
    given = said(tex.name_part(first, ascii=ascii))
    if " " in family and not family.startswith("{"):
        family = "{" + family + "}"
    return f"{family}, {given}"


def _with_parts(p: Person, extended: bool, ascii: bool,
                missing: Callable[[list[str]], None] | None) -> str:
    """A name with a particle or suffix: BibTeX's ``von Last, Jr, First``, or biblatex's
    extended format where the name has its own ``useprefix``."""
    def part(text: str | None) -> str:
        out, lacking = tex.name_part(text or "", ascii=ascii)
        if missing is not None and lacking:
            missing(lacking)
        return out

    prefix = p.non_dropping_particle or p.dropping_particle
    if p.use_prefix is not None and extended:
        items = [("useprefix", "true" if p.use_prefix else "false"),
                 ("family", p.family), ("given", p.first_names()), ("prefix", prefix),
                 ("suffix", p.suffix)]
        return ", ".join(f"{k}={{{part(v) if k != 'useprefix' else v}}}"
                         for k, v in items if v)
    family = part(p.family)
    if " " in (p.family or "") and not family.startswith("{"):
        family = "{" + family + "}"
    head = f"{part(prefix)} {family}" if prefix else family
    first = p.first_names()
    if p.suffix:
        return f"{head}, {part(p.suffix)}, {part(first)}"
    return f"{head}, {part(first)}" if first else head


__all__ = ["NEEDS_DECODE", "NameText", "name_parts", "names_text", "split_names", "write_name"]
