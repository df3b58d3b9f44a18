"""BibTeX field text → Unicode plain text, fast for the common case and honest for the rest.

Handles what real .bib files contain: escaped specials (``\\&``), accents in every spelling
(``\\'e``, ``\\'{e}``, ``{\\'e}``, ``\\c c``), special letters (``\\ss``, ``\\o``, ``\\L``),
Cyrillic macros (``{\\cyrchar\\CYRK}``), text symbols (``\\textendash``, ``\\textnumero``),
the forms annobib's own export writes (``\\textbraceleft{}``, ``\\par``), protective braces,
``~`` ties and ``--``/``---`` dashes. Math (``$...$``) is kept as written, so nothing is lost.
A macro the decoder does not know is kept as written and reported by name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
_LETTER_ACCENTS = frozenset("uvHckrdbt")

_SYMBOLS: dict[str, str] = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textdollar": "$",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textnumero": "№",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "dag": "†",
    "ddag": "‡",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textdegree": "°",
    "euro": "€",
    "texteuro": "€",
    "pounds": "£",
    "textperiodcentered": "·",
    "textbullet": "•",
    "slash": "/",
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "AmS": "AmS",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "MP": "MetaPost",
    "ConTeXt": "ConTeXt",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "eTeX": "e-TeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "ConTeXT": "ConTeXt",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "space": " ",
    "textvisiblespace": "␣",
    "textasteriskcentered": "*",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "textsection": "§",
    "textparagraph": "¶",
}
_SYMBOLS["hyphen"] = "-"  # babel's breakable hyphen

_DROP_NAMES = (
    "cyrchar relax protect nobreak noindent normalfont em it bf sc rm sf tt sl up md bfseries "
    "itshape scshape rmfamily sffamily ttfamily upshape mdseries slshape textit textbf textsc "
    "textrm textsf texttt textup textsl textmd textnormal emph mbox hbox url path "
    "NoCaseChange nocase"
)
_DROP = frozenset(_DROP_NAMES.split())
_CONTROL_SYMBOLS = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    "!": "",
    "-": "",
    "/": "",
    "\\": " ",
    "@": "",
}

_PLAIN = re.compile(r"[\\{}$~]|--|``|''")
_MATH_END = re.compile(r"(?:\\.|[^\\$])*\$", re.S)
_NEXT_SPECIAL = re.compile(r"[\\{}$~\-`']")
_CTRL = re.compile(r"\\([A-Za-z]+)|\\(.)", re.S)
_WS = re.compile(r"[ \t\r\n]+")
_PARA = re.compile(r"\r?\n[ \t]*\r?\n\s*")


@lru_cache(maxsize=1)
def _extra_symbols() -> dict[str, str]:
    """Argument-less text macros from pylatexenc's table (Cyrillic letters, more symbols)."""
    try:
        from pylatexenc.latexencode import _uni2latexmap  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pylatexenc comes with bibtexparser
        return {}
    out: dict[str, str] = {}
    for code, latex in _uni2latexmap.uni2latex.items():
        if isinstance(latex, str) and re.fullmatch(r"\\[A-Za-z]+", latex):
            out.setdefault(latex[1:], chr(code))
    return out


@lru_cache(maxsize=1)
def _latex_context() -> tuple[Any, Any] | None:
    try:
        from pylatexenc.latex2text import (  # type: ignore[import-untyped]
            LatexNodes2Text,
            get_default_latex_context_db,
        )
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return get_default_latex_context_db(), LatexNodes2Text(math_mode="verbatim")


def _pylatexenc_text(name: str, tex: str) -> str | None:
    """``tex`` (macro ``name`` and its arguments) as text, where pylatexenc's table knows the
    macro; None where it does not (the macro is then kept as written and reported)."""
    ctx = _latex_context()
    if ctx is None or ctx[0].get_macro_spec(name) is None:
        return None
    try:
        text: str = ctx[1].latex_to_text(tex)
    except Exception:  # pylatexenc fails on some malformed arguments
        # (``\href`` followed by one argument raises IndexError): a macro it cannot render
        # is one it does not know, kept as written and reported like any other
        return None
    return text


def _symbol(name: str) -> str | None:
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    return _extra_symbols().get(name)


def normalise_space(text: str) -> str:
    """BibTeX whitespace: runs collapse to one space; a blank line is a paragraph break."""
    if "\n" not in text and "\t" not in text and "\r" not in text and "  " not in text:
        return text.strip()
    if "\n" in text and _PARA.search(text):
        return "\n\n".join(_WS.sub(" ", p).strip() for p in _PARA.split(text))
    return _WS.sub(" ", text).strip()


class TooDeep(ValueError):
    """Macro arguments nested deeper than Python's stack: the value cannot be decoded."""


def decode(value: str) -> tuple[str, list[str]]:
    """Decode one field value. Returns the text and the names of macros kept as written.

    Raises :class:`TooDeep` for arguments nested about a thousand deep (``\\'{\\'{...}}``);
    plain groups are not a problem at any depth.
    """
    text, unknown, _dropped = decode_detail(value)
    return text, unknown


def decode_detail(value: str) -> tuple[str, list[str], bool]:
    """:func:`decode`, and whether formatting (``\\emph``, ``\\texttt``) was left out."""
    text = normalise_space(value)
    if not _PLAIN.search(text):
        return text, [], False
    unknown: list[str] = []
    decoder = _Decoder(text, unknown)
    try:
        out = decoder.run()
    except RecursionError:
        raise TooDeep(f"macro arguments nested too deeply to decode ({text.count('{')} braces)"
                      ) from None
    out = re.sub(r" *\n *", "\n", out) if "\n" in out else out
    out = re.sub(r"  +", " ", out).strip()
    return out, unknown, decoder.dropped


class _Decoder:
    __slots__ = ("dropped", "i", "n", "s", "unknown")

    def __init__(self, s: str, unknown: list[str]) -> None:
        self.s = s
        self.n = len(s)
        self.i = 0
        self.unknown = unknown
        self.dropped = False  # a formatting macro (\emph, \texttt...) left out of the text

    def run(self, stop_at_close: bool = False) -> str:
        """Decode up to the end, or with ``stop_at_close`` up to the brace closing the group
        this call started in. Groups inside are counted, not recursed into: a value nested a
        thousand braces deep decodes like any other."""
        s, out = self.s, []
        depth = 0
        while self.i < self.n:
            c = s[self.i]
            if c == "\\":
                out.append(self._control())
            elif c == "{":
                self.i += 1
                depth += 1
            elif c == "}":
                self.i += 1
                if depth:
                    depth -= 1
                elif stop_at_close:
                    break
            elif c == "$":
                out.append(self._math())
            elif c == "~":
                out.append("\u00a0")
                self.i += 1
            elif c == "-" and s.startswith("---", self.i):
                out.append("—")
                self.i += 3
            elif c == "-" and s.startswith("--", self.i):
                out.append("–")
                self.i += 2
            elif c == "`" and s.startswith("``", self.i):
                out.append("“")
                self.i += 2
            elif c == "'" and s.startswith("''", self.i):
                out.append("”")
                self.i += 2
            else:
                m = _NEXT_SPECIAL.search(s, self.i + 1)
                j = m.start() if m else self.n
                out.append(s[self.i : j])
                self.i = j
        return "".join(out)

    def _math(self) -> str:
        m = _MATH_END.search(self.s, self.i + 1)
        end = m.end() - 1 if m else self.n - 1
        piece = self.s[self.i : end + 1]
        self.i = end + 1
        return piece

    def _control(self) -> str:
        s = self.s
        m = _CTRL.match(s, self.i)
        if m is None:  # a lone backslash at the end
            self.i += 1
            return "\\"
        self.i = m.end()
        if m.group(2) is not None:
            sym = m.group(2)
            if sym in _ACCENTS:
                return self._accent(sym)
            return _CONTROL_SYMBOLS.get(sym, sym)
        name = m.group(1)
        # a control word swallows the spaces after it
        while self.i < self.n and s[self.i] == " ":
            self.i += 1
        if name in _LETTER_ACCENTS and name in _ACCENTS:
            return self._accent(name)
        if name == "par":
            return "\n\n"
        if name == "newline":
            return "\n"
        if name in ("enquote", "mkbibquote"):  # csquotes / biblatex quotation marks
            return "“" + self._argument() + "”"
        sym = _symbol(name)
        if sym is not None:
            if s.startswith("{}", self.i):
                self.i += 2
            return sym
        if name in _DROP:
            self.dropped = True
            return ""
        start = m.start()
        # kept as written, with the groups that follow it
        raw = m.group(0)
        if s[self.i - 1] == " ":
            raw += " "
        args = False
        while self.i < self.n and s[self.i] == "{":
            depth, j = 0, self.i
            while j < self.n:
                if s[j] == "\\":
                    j += 2
                    continue
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            raw += s[self.i : j + 1]
            self.i = j + 1
            args = True
        known = _pylatexenc_text(name, s[start : self.i])
        if known is not None:
            return known
        self.unknown.append(name)
        # a control word ends at the next letter: keep it apart from the text after it
        # ({\Dash}{\LaTeX} is "\Dash{}LaTeX", not "\DashLaTeX")
        return raw if args or raw.endswith(" ") else raw + "{}"

    def _accent(self, accent: str) -> str:
        base = self._argument()
        if not base:
            return _ACCENTS[accent]
        first = base[0]
        if first == "ı":
            first = "i"
        elif first == "ȷ":
            first = "j"
        return unicodedata.normalize("NFC", first + _ACCENTS[accent]) + base[1:]

    def _argument(self) -> str:
        s = self.s
        while self.i < self.n and s[self.i] == " ":
            self.i += 1
        if self.i >= self.n:
            return ""
        c = s[self.i]
        if c == "{":
            self.i += 1
            return self.run(stop_at_close=True)
        if c == "\\":
            return self._control()
        self.i += 1
        return c
