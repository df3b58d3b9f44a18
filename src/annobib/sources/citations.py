"""The citation keys a manuscript cites: LaTeX (``\\cite`` family, biblatex's commands, ``.aux``
files), Markdown/pandoc (``[@key]``, ``@key``) and Typst (``@key``, ``#cite(<key>)``).

Each key comes with where it stands (file, line, column), in the order the document cites them.
Comments and code are skipped: LaTeX ``%`` comments, Markdown code spans and fenced blocks,
Typst ``//`` and ``/* */`` comments and raw text. ``\\nocite{*}`` (cite everything) is kept as
the key ``*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("latex", "aux", "markdown", "typst")
_SUFFIXES = {
    ".tex": "latex", ".ltx": "latex", ".sty": "latex",
    ".aux": "aux",
    ".md": "markdown", ".markdown": "markdown", ".qmd": "markdown", ".rmd": "markdown",
    ".pandoc": "markdown",
    ".typ": "typst",
}


@dataclass(frozen=True, slots=True)
class Citation:
    key: str
    file: str
    line: int
    col: int


def format_of(path: str) -> str | None:
    return _SUFFIXES.get(Path(path).suffix.lower())


def read(text: str, filename: str, fmt: str) -> list[Citation]:
    """Every citation of ``text`` (in ``fmt``, one of :data:`FORMATS`), in document order."""
    finder = {"latex": _latex, "aux": _aux, "markdown": _markdown, "typst": _typst}[fmt]
    lines = _Lines(text)
    return [Citation(key, filename, *lines.position(at)) for key, at in finder(text)]


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with what ``pattern`` matches replaced by spaces (offsets are kept)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _keys_in(group: str, start: int) -> list[tuple[str, int]]:
    """The comma-separated keys of a ``{...}`` argument beginning at offset ``start``."""
    out = []
    for m in re.finditer(r"[^,\s]+", group):
        out.append((m.group(0), start + m.start()))
    return out


# --- LaTeX -----------------------------------------------------------------------------------

_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# \cite, \citep, \citet*, \parencite, \textcite, \autocite, \footcite, \smartcite, \supercite,
# \fullcite, \citeauthor, \citetitle, \citeyear, \nocite, \Cite..., and the multicite forms
# (\cites, \parencites, ...) whose every {...} holds keys.
_TEX_CITE = re.compile(
    r"\\(?P<name>[A-Za-z]*cite[A-Za-z]*|nocite)\*?"
    r"(?P<args>(?:\s*(?:\[[^\]]*\]|\([^)]*\)))*\s*(?:\{[^{}]*\}(?:\s*\[[^\]]*\])*\s*)+)"
)
_TEX_GROUP = re.compile(r"\{([^{}]*)\}")
_NOT_CITES = {"citestyle", "citename", "citefield", "citelist"}  # take no keys or not only


def _latex(text: str) -> list[tuple[str, int]]:
    clean = _blank(text, _TEX_COMMENT)
    out: list[tuple[str, int]] = []
    for m in _TEX_CITE.finditer(clean):
        name = m.group("name")
        if name.lower() in _NOT_CITES:
            continue
        args, base = m.group("args"), m.start("args")
        groups = list(_TEX_GROUP.finditer(args))
        multi = name.endswith("cites")
        for g in groups if multi else groups[:1]:
            out.extend(_keys_in(g.group(1), base + g.start(1)))
    return out


# --- .aux (bibtex's \citation, biblatex's \abx@aux@cite) -------------------------------------

_AUX = re.compile(r"\\citation\{([^{}]*)\}|\\abx@aux@cite(?:\{[^{}]*\})?\{([^{}]*)\}")


def _aux(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for m in _AUX.finditer(text):
        idx = 1 if m.group(1) is not None else 2
        out.extend(_keys_in(m.group(idx), m.start(idx)))
    return out


# --- Markdown / pandoc -----------------------------------------------------------------------

_MD_CODE = re.compile(r"(?ms)^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`|<!--.*?-->")
# pandoc: @key or @{key}; a key starts with a letter, digit or _ and may hold internal
# punctuation (:.#$%&-+?<>~/); the @ starts a word (after a space, [, ;, -, or the line start)
_MD_CITE = re.compile(
    r"(?:(?<=^)|(?<=[\s\[;(-]))@(?:\{(?P<braced>[^{}\s]+)\}"
    r"|(?P<key>[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&\-+?<>~/](?=[A-Za-z0-9_]))*))",
    re.M,
)


def _markdown(text: str) -> list[tuple[str, int]]:
    clean = _blank(text, _MD_CODE)
    out: list[tuple[str, int]] = []
    for m in _MD_CITE.finditer(clean):
        group = "braced" if m.group("braced") else "key"
        out.append((m.group(group), m.start(group)))
    return out


# --- Typst -------------------------------------------------------------------------------------

_TYP_SKIP = re.compile(r"(?s)/\*.*?\*/|//[^\n]*|```.*?```|`[^`\n]*`")
_TYP_REF = re.compile(r"(?<![\w@.])@(?P<key>[A-Za-z0-9_](?:[\w:.\-]*[\w])?)")
_TYP_CITE = re.compile(r"#cite\(\s*(?:<(?P<label>[^>\s]+)>|label\(\s*\"(?P<str>[^\"]+)\"\s*\))")
_TYP_LABEL = re.compile(r"<(?P<label>[A-Za-z0-9_][\w:.\-]*)>")


def _typst(text: str) -> list[tuple[str, int]]:
    clean = _blank(text, _TYP_SKIP)
    cites = {m.start(): m for m in _TYP_CITE.finditer(clean)}
    # labels the document defines itself (<fig-1>, <intro>) are references, not citations
    defined = {m.group("label") for m in _TYP_LABEL.finditer(clean)
               if not any(c.start() <= m.start() < c.end() for c in cites.values())}
    out: list[tuple[str, int]] = []
    for m in _TYP_REF.finditer(clean):
        if m.group("key") not in defined:
            out.append((m.group("key"), m.start("key")))
    for m in cites.values():
        group = "label" if m.group("label") else "str"
        out.append((m.group(group), m.start(group)))
    out.sort(key=lambda kv: kv[1])
    return out
