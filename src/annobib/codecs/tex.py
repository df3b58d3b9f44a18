"""TeX escaping for BibTeX/BibLaTeX field values, shared by both exporters.

Two rules hold for every value written:

1. The ten TeX specials ``& % $ # _ { } ~ ^ \\`` are always escaped, with forms that keep the
   braces of the ``.bib`` file balanced (BibTeX and biber count every brace, escaped or not, so
   ``\\{`` would break the file): ``\\textbraceleft{}``, ``\\textbackslash{}`` ... So no value
   can open a TeX command, a comment, math mode or a group that the data did not ask for.
2. No control character is written (NUL aborts biber, ESC and BEL stop pdflatex): the ones that
   separate lines or fields (VT, FF, FS, GS, RS, US, NEL) become a space, the others (NUL, BEL,
   ESC, DEL, C1...) are left out. Loading reported each (A111).
3. Unicode is kept as is by default (biber and pdflatex's UTF-8 input read it). ``ascii=True``
   turns every non-ASCII character into its LaTeX form (``\\'e``, ``{\\cyrchar\\CYRK}``); a
   character without one is kept and reported.

Title words that a style must not lower-case (every capitalised word but the title's first, and
words with inner capitals such as ``iPhone``) are wrapped in braces by :func:`protect_title`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from annobib import chars

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TABLE = str.maketrans(_SPECIALS)
_NEEDS = re.compile(f"[\\\\{{}}&%$#_~^\n\r\t{chars.CONTROL_CLASS}]|--|``|''")
_CONTROL_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85]+")
_LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')")
_PARAGRAPH = re.compile(r"[ \t]*(?:\r?\n[ \t]*){2,}")
_LINE = re.compile(r"[ \t]*\r?\n[ \t]*")
_CYR = re.compile(r"\{\\((?:cyr|CYR)[A-Za-z]*)\}")

# How a paragraph break inside a field is written: TeX's own, a blank line, after an explicit
# space. Every reader then keeps the words apart: annobib and biber read a paragraph break (or
# a space), citation.js a space, and pandoc, which joins paragraphs with nothing between them,
# the braced space (`\par` came back glued from pandoc and as the macro from citation.js).
PAR = "{ }\n\n"


def balanced(raw: str) -> bool:
    """True when every brace of ``raw`` closes after it opens and all are closed (TeX that a
    .bib parser reads back as one value)."""
    if "}" not in raw:
        return "{" not in raw
    depth = 0
    for c in raw:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def needs_escape(text: str) -> bool:
    """True when :func:`escape` would change ``text``."""
    return _NEEDS.search(text) is not None


def has_line_break(text: str) -> bool:
    """True when ``text`` breaks a line inside a paragraph: written as a space."""
    return "\n" in text and _LINE.search(_PARAGRAPH.sub(" ", text)) is not None


def without_controls(text: str) -> str:
    """``text`` without control characters and lone surrogates, those that break a line (VT,
    FF, FS-US, NEL) written as a space so words stay apart (what :func:`escape` does)."""
    if not chars.ODD.search(text):
        return text
    return chars.ODD.sub("", _CONTROL_SPACE.sub(" ", text))


def escape(text: str) -> str:
    """Escape the TeX specials of a plain-text value; a paragraph break becomes :data:`PAR`,
    a single line break a space (a line break inside a paragraph has no form that BibTeX
    readers keep: ``\\newline`` came back as the macro from citation.js; see
    :func:`has_line_break`).

    Literal double hyphens, backquotes and apostrophes are broken up (``-{}-``) so TeX does not
    turn them into dashes or quotes the data did not have.
    """
    if not _NEEDS.search(text):
        return text
    out = text.translate(_TABLE)
    if chars.CONTROL.search(out):
        out = chars.CONTROL.sub("", _CONTROL_SPACE.sub(" ", out))
    if "--" in out or "``" in out or "''" in out:
        out = _LIGATURE.sub(lambda m: m.group(0) + "{}", out)
    if "\n" in out or "\r" in out or "\t" in out:
        paragraphs = _PARAGRAPH.split(out)
        # a paragraph opening with "@" would start a line with it, which .bib splitters
        # (bibtexparser's) take for a new entry: "{}@" prints the same
        out = PAR.join(("{}" if i and p.startswith("@") else "")
                       + _LINE.sub(" ", p).replace("\t", " ") for i, p in enumerate(paragraphs))
    return out


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from pylatexenc.latexencode import UnicodeToLatexEncoder  # type: ignore[import-untyped]

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def to_ascii(tex: str) -> tuple[str, list[str]]:
    """Non-ASCII characters of already-escaped text → LaTeX macros.

    Returns the text and the characters that have no LaTeX form (kept as they are).
    """
    if tex.isascii():
        return tex, []
    out: str = _encoder().unicode_to_latex(tex)
    out = _CYR.sub(lambda m: "{\\cyrchar\\" + m.group(1) + "}", out)
    missing = sorted({c for c in out if not c.isascii()})
    return out, missing


# --- titles ---------------------------------------------------------------------------------

_LEAD = "([{\"'“‘«„<"


def _needs_protection(word: str, first: bool) -> bool:
    """True for a word whose capitals a style could lower-case: one with a capital after its
    first letter (NATO, COVID-19, McDonald, iPhone, Xinjiang-Uighur), and any capitalised word
    but the title's first when that starts the title (BibTeX's ``change.case$`` keeps only the
    title's first character: the capital of ``“Demonstration`` is not it)."""
    if word == word.lower():
        return False  # no capital at all
    core = word.lstrip(_LEAD)
    i = 0
    while i < len(core) and not core[i].isalpha():
        i += 1
    if i == len(core):
        return False
    tail = core[i + 1 :]
    if tail != tail.lower():
        return True
    # the first character of the title is kept; a letter after an opening quote is not
    return core[i].isupper() and not (first and i == 0 and core is word)


def protect_title(text: str, *, ascii: bool = False) -> tuple[str, list[str]]:
    """Escape a title and brace the words a style must not re-case.

    The model holds a title as printed (``docs/file-format.md``, "Titles and their casing"):
    every capital in it is the source's, so every word with one is protected except the
    title's first word when only its first letter is a capital. A title read from a
    ``.bib`` file is written back with the braces it had (``verbatim``), not through this.
    Returns the TeX text and the characters that could not be written in ASCII mode.
    """
    rest = text[1:]
    if rest == rest.lower() and ": " not in rest:
        # no capital after the first character: nothing for a style to re-case
        return value(text, ascii=ascii)
    parts: list[str] = []
    first = after_colon = True
    for w in text.split(" "):
        if not w:
            parts.append("")
            continue
        esc = escape(w)
        # a lower-case word after a colon: readers that sentence-case by CSL's rules (pandoc's
        # BibTeX reader) capitalise it ("Central Asia: Results of ...")
        lower_after_colon = after_colon and not first and w[:1].islower()
        protect = lower_after_colon or _needs_protection(w, first)
        parts.append("{" + esc + "}" if protect else esc)
        first = False
        after_colon = w.endswith(":")
    out = " ".join(parts)
    if ascii:
        return to_ascii(out)
    return out, []


def value(text: str, *, ascii: bool = False) -> tuple[str, list[str]]:
    """A plain field value: escaped, and in ASCII mode with LaTeX for non-ASCII characters."""
    out = escape(text)
    if ascii:
        return to_ascii(out)
    return out, []


# --- names ----------------------------------------------------------------------------------

_AND = re.compile(r"\band\b", flags=re.IGNORECASE)


def name_part(text: str, *, ascii: bool = False) -> tuple[str, list[str]]:
    """One part of a name (family, given). A comma or a free-standing ``and`` would split the
    name list, and BibTeX's name parser reads escapes letter by letter, so such a part is
    wrapped in braces."""
    out, missing = value(text, ascii=ascii)
    if "," in text or _AND.search(text) or "\\" in out:
        out = "{" + out + "}"
    return out, missing


# --- reading back -----------------------------------------------------------------------------

_UNESCAPE = {v: k for k, v in _SPECIALS.items()}
_BROKEN_LIGATURE = re.compile(r"([-`'])\{\}(?=[-`'])")
_UNESCAPE_RE = re.compile(
    "|".join(re.escape(v) for v in sorted(_UNESCAPE, key=len, reverse=True))
)


def unescape_specials(tex: str) -> str:
    """The inverse of :func:`escape` for the forms it writes (used by tests and the reader)."""
    out = _UNESCAPE_RE.sub(lambda m: _UNESCAPE[m.group(0)], tex)
    return _BROKEN_LIGATURE.sub(r"\1", out)
