"""BibTeX value expressions and ``@string`` macros, shared by the reader and the writer.

A field's value in a ``.bib`` file is an expression: ``{...}``, ``"..."``, a number, a macro
defined by ``@string`` (``j-TUGboat``), or several of them joined by ``#``. The reader expands
it into the field's text (:func:`evaluate`); where the expression names a macro, the record
keeps it as written, with the definitions it uses, in ``verbatim.biblatex`` (below), and the
BibLaTeX/BibTeX export writes the macro reference and one ``@string`` per macro back while the
record's text is still what the expression expands to (``docs/formats/biblatex.md``,
"@string macros").

In ``verbatim.biblatex``: ``"@FIELD"`` holds the expression of FIELD as written
(``ack-bnb # " and " # ack-nhfb``), ``"@string NAME"`` the value expression of macro NAME as
written in its ``@string`` (``"Nelson H. F. Beebe, ..."``, quotes and all). Neither is a
biblatex field name (those never contain ``@``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = frozenset(MONTHS)
EXPRESSION = "@"  # prefix of a field's expression in verbatim.biblatex
DEFINITION = "@string "  # prefix of a macro's definition in verbatim.biblatex
_BRACES = re.compile(r"[{}]")


class Macro(NamedTuple):
    """One ``@string`` macro: its name and value expression as written, and its text."""

    name: str
    raw: str
    text: str
    uses: tuple[str, ...]  # the macros (lower-case names) its expression names


def evaluate(
    raw: str,
    strings: Mapping[str, Macro],
    undefined: list[str] | None,
    used: list[str] | None = None,
) -> str:
    """A BibTeX value expression -> its text: ``{...}``, ``"..."``, numbers, macros, ``#``.

    A macro not in ``strings`` (lower-case names) is kept as its name and added to
    ``undefined`` (month macros are left to the date reader); every macro of ``strings`` the
    expression names is added to ``used`` (lower-case).
    """
    s = raw.strip()
    if not s:
        return s
    first, last = s[0], s[-1]
    if first == "{" and last == "}":
        inner = s[1:-1]
        if ("{" not in inner and "}" not in inner) or one_group(s):
            return inner
    elif first == '"' and last == '"' and s.count('"') == 2:
        return s[1:-1]
    elif s.isdigit():
        return s
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace() or c == "#":
            i += 1
            continue
        if c == "{":
            depth, j = 0, i
            while j < n:
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append(s[i + 1 : j])
            i = j + 1
        elif c == '"':
            depth, j = 0, i + 1
            while j < n and not (s[j] == '"' and depth == 0):
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                j += 1
            out.append(s[i + 1 : j])
            i = j + 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] != "#":
                j += 1
            word = s[i:j]
            lower = word.lower()
            if word.isdigit():
                out.append(word)
            elif lower in strings:
                out.append(strings[lower].text)
                if used is not None:
                    used.append(lower)
            else:
                if undefined is not None and lower not in _MONTHS:
                    undefined.append(word)
                out.append(word)
            i = j
    return "".join(out)


def define(name: str, raw: str, strings: Mapping[str, Macro]) -> Macro:
    """The macro ``@string{name = raw}`` given the macros defined before it."""
    used: list[str] = []
    return Macro(name, raw.strip(), evaluate(raw, strings, None, used), tuple(dict.fromkeys(used)))


def closure(names: list[str], strings: Mapping[str, Macro]) -> list[Macro]:
    """The macros ``names`` (lower-case) need, each after the ones its value uses."""
    out: dict[str, Macro] = {}

    def add(lower: str) -> None:
        if lower in out or lower not in strings:
            return
        macro = strings[lower]
        for dep in macro.uses:
            add(dep)
        out[lower] = macro

    for lower in names:
        add(lower)
    return list(out.values())


def one_group(s: str) -> bool:
    """True when the brace opening ``s`` is the one closing it."""
    depth = 0
    last = len(s) - 1
    for m in _BRACES.finditer(s):
        if m.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0 and m.start() != last:
                return False
    return depth == 0


def definitions(kept: Mapping[str, object]) -> dict[str, Macro]:
    """The macros a record keeps (``verbatim.biblatex``), by lower-case name, expanded in the
    order they are kept (each after the ones it uses, as the reader keeps them)."""
    strings: dict[str, Macro] = {}
    for key, raw in kept.items():
        if key.startswith(DEFINITION) and isinstance(raw, str):
            name = key[len(DEFINITION):]
            strings[name.lower()] = define(name, raw, strings)
    return strings


__all__ = [
    "DEFINITION",
    "EXPRESSION",
    "MONTHS",
    "Macro",
    "closure",
    "define",
    "definitions",
    "evaluate",
    "one_group",
]
