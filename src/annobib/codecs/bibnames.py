"""BibTeX name lists (``Last, First and {Org} and von Last, Jr, First``), split by BibTeX's rules:
shared by the reader (``sources/bibtex/names.py``) and the BibLaTeX/BibTeX export, which writes
a name list back as the source wrote it while it still names the record's persons."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
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
    """(von, family, jr, given) of one BibTeX name, split as biber (btparse) splits it; the
    common plain forms without bibtexparser."""
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
    # bibtexparser's words, split into parts again as biber does (btparse, checked against
    # biber 2.18): bibtexparser reads two words as First Last ("de Gaulle": biber's prefix
    # "de"), takes the case of "{\L}ukasz" from its "u", and makes "de Gaulle de Smith, J"
    # all von but Smith (biber: prefix "de", the rest the family)
    if _top_level_comma(one):
        # "von Last, First": the von part is the lower-case words the name opens with
        head = [*parts.von, *parts.last]
        split = 0
        while split < len(head) - 1 and _lower(head[split]):
            split += 1
        von, last, jr, first = head[:split], head[split:], parts.jr, parts.first
    else:
        # "First von Last": the von part is the first run of lower-case words, never the
        # last word
        words = [*parts.first, *parts.von, *parts.last]
        start = next((i for i, w in enumerate(words[:-1]) if _lower(w)), len(words) - 1)
        end = start
        while end < len(words) - 1 and _lower(words[end]):
            end += 1
        first, von, last, jr = words[:start], words[start:end], words[end:], []
    return " ".join(von), " ".join(last), " ".join(jr), " ".join(first)


# TeX's accents: a special character {\\'e} or \\v{s} has the case of the letter accented;
# any other control sequence ({\\L}, {\\oe}, {\\relax e}) makes it caseless, as for biber
_ACCENTS = frozenset("'`^\"~=.uvHtcdbrk")


def _lower(word: str) -> bool:
    """True when biber takes ``word`` for a lower-case ("von") word: it opens with a
    lower-case letter, or with an accented one (``{\\'e}mile``, ``\\'emile``). Anything
    else opening it (``{de}``, ``'t``, ``{\\L}``, a digit) makes it no von word."""
    i = 1 if word[:2] == "{\\" else 0
    if word[i:i + 1] == "\\":
        cs = word[i + 1:i + 2]
        if cs.isalpha():
            end = i + 1
            while end < len(word) and word[end].isalpha():
                end += 1
            cs = word[i + 1:end]
        if cs not in _ACCENTS:
            return False
        rest = word[i + 1 + len(cs):].lstrip("{ ")
        return rest[:1].islower()
    return word[:1].islower()


_INNER_GROUP = re.compile(r"\{[^{}]*\}")


def _top_level_comma(one: str) -> bool:
    """True when ``one`` has a comma outside braces (BibTeX's "Last, First" forms)."""
    while "{" in one:  # brace groups left out, innermost first
        one, n = _INNER_GROUP.subn("", one)
        if not n:
            break
    return "," in one


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


#: told what of a name the export could not write: (the name's part, why)
Lost = Callable[[str, str], None]


def write_name(p: Person, *, extended: bool = True, ascii: bool = False,
               missing: Callable[[list[str]], None] | None = None,
               lost: Lost | None = None) -> str:
    """One name as the BibLaTeX/BibTeX export writes it (``Family, Given``, ``{Org}``,
    ``von Last, Jr, First``; biblatex's extended format, with ``extended``, where only it
    says the name: its own ``useprefix``, a non-dropping particle, a suffix without a given
    name); ``missing`` is told the characters without a LaTeX form (``ascii``), part by part,
    and ``lost`` each part the written name does not say (:func:`name_form`)."""
    family_text = p.family
    first = p.first_names()
    if p.use_prefix is not None or p.dropping_particle or p.non_dropping_particle or p.suffix:
        return _with_parts(p, extended, ascii, missing, lost)
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


def unsaid(p: Person) -> list[tuple[str, str]]:
    """(part, why) of what no BibTeX/BibLaTeX name holds, whatever its form: initials beside
    a given name (one first name: the given is written), CSL's comma-suffix and
    static-ordering (how CSL prints the name, which biblatex styles decide)."""
    out = []
    if p.initials and p.given:
        out.append(("initials", "have one first name: the given name is written, not the "
                    "initials"))
    if p.comma_suffix:
        out.append(("comma-suffix", "have no comma-suffix (the styles place the suffix)"))
    if p.static_ordering:
        out.append(("static-ordering", "have no static-ordering (the styles order the parts)"))
    return out


@dataclass(frozen=True, slots=True)
class NameForm:
    """What a name with particles, a suffix or its own ``useprefix`` is written as: biblatex
    and BibTeX have one prefix (the "von" part) per name, dropped or not by ``useprefix``."""

    family: str | None
    prefix: str | None
    useprefix: bool | None  # None: the document's option (biblatex's default: false)
    extended: bool  # written in biblatex's extended name format
    lost: tuple[tuple[str, str], ...]  # (part, why) of what the form does not say


def name_form(p: Person, extended: bool) -> NameForm:
    """How :func:`write_name` writes ``p``'s particles, and what it cannot say. biber reads
    a prefix as dropping unless ``useprefix`` is true, and the reader
    (``sources/bibtex/names.py``) reads it so: a non-dropping particle is biblatex's prefix
    with ``useprefix=true``, a dropping one the prefix without it (or with ``false``)."""
    dp, ndp, use = p.dropping_particle, p.non_dropping_particle, p.use_prefix
    fmt = "biblatex" if extended else "BibTeX"
    lost: list[tuple[str, str]] = []
    family = p.family
    if dp and ndp:
        # "Jean de La Fontaine" with both: one prefix, the non-dropping particle joins the
        # family name ("La Fontaine"), which is what it is printed with
        family = f"{ndp} {family}" if family else ndp
        lost.append(("non-dropping-particle", f"{fmt} names have one particle (prefix): "
                     f"'{ndp}' is written as part of the family name"))
        ndp = None
    if not extended:
        if ndp:
            lost.append(("non-dropping-particle", "BibTeX names have one kind of particle: "
                         "written as the von part (read back as a dropping particle)"))
        if use is not None:
            lost.append(("use-prefix", "BibTeX names have no useprefix of their own"))
        return NameForm(family, dp or ndp, None, False, tuple(lost))
    if ndp:
        if use is False:
            lost.append(("non-dropping-particle", "biblatex's prefix with useprefix=false is "
                         "a dropping particle: read back as one"))
        return NameForm(family, ndp, use is not False, True, tuple(lost))
    if dp and use:
        lost.append(("dropping-particle", "biblatex's prefix with useprefix=true is a "
                     "non-dropping particle: read back as one"))
    # a suffix with no given name: "A, Jr.," reads as given name "Jr." (biber too)
    ext = use is not None or (bool(p.suffix) and not p.first_names())
    return NameForm(family, dp, use, ext, tuple(lost))


def _with_parts(p: Person, extended: bool, ascii: bool,
                missing: Callable[[list[str]], None] | None, lost: Lost | None) -> str:
    """A name with a particle or suffix: BibTeX's ``von Last, Jr, First``, or biblatex's
    extended format (``family=Gogh, given=Vincent, prefix=van, useprefix=true``)."""
    def part(text: str | None) -> str:
        out, lacking = tex.name_part(text or "", ascii=ascii)
        if missing is not None and lacking:
            missing(lacking)
        return out

    form = name_form(p, extended)
    if lost is not None:
        for what, why in form.lost:
            lost(what, why)
    first = p.first_names()
    if form.extended:
        items = [("family", form.family), ("given", first), ("prefix", form.prefix),
                 ("suffix", p.suffix)]
        written = [f"{k}={{{part(v)}}}" for k, v in items if v]
        if form.useprefix is not None:
            written.insert(0, f"useprefix={'true' if form.useprefix else 'false'}")
        return ", ".join(written)
    family = part(form.family)
    if " " in (form.family or "") and not family.startswith("{"):
        family = "{" + family + "}"
    head = f"{part(form.prefix)} {family}" if form.prefix else family
    if p.suffix:
        # no given name: an empty group, as "A, Jr.," would read as given name "Jr."
        return f"{head}, {part(p.suffix)}, {part(first) if first else '{}'}"
    return f"{head}, {part(first)}" if first else head


__all__ = ["NEEDS_DECODE", "Lost", "NameForm", "NameText", "name_form", "name_parts", "names_text",
           "split_names", "unsaid", "write_name"]
