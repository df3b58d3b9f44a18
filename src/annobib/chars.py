"""Characters that no output may write raw: control characters and lone surrogates.

Data may hold them (a YAML escape ``"\\e"``, a CSL-JSON ``"\\u0000"``, a BibTeX file with a
stray BEL), and the readers report them where they are (A111 on load, A419 on import). Each
writer then decides: a ``.bib`` file leaves them out (NUL aborts biber, ESC and BEL stop
pdflatex), the terminal shows them escaped (``\\x1b``), JSON and YAML escape them. A lone
surrogate cannot be encoded as UTF-8 at all, so it is never loaded or imported.

A leaf module (no annobib imports): readers, writers and the CLI all use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

#: control characters other than TAB, LF and CR: C0, DEL and C1 (U+0080-U+009F)
CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
CONTROL = re.compile(f"[{CONTROL_CLASS}]")
SURROGATE = re.compile("[\ud800-\udfff]")
#: either of the two
ODD = re.compile(f"[{CONTROL_CLASS}\ud800-\udfff]")
#: what Python's str.splitlines() breaks on besides CR and LF (VT, FF, FS, GS, RS, NEL, LS, PS)
LINE_LIKE = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x1C: "FS",
    0x1D: "GS", 0x1E: "RS", 0x1F: "US", 0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI",
}


def name(ch: str) -> str:
    """``U+001B (ESC)``; ``U+D800`` for a surrogate."""
    code = ord(ch)
    label = _NAMES.get(code)
    return f"U+{code:04X}" + (f" ({label})" if label else "")


def names(text: str) -> str:
    """The odd characters of ``text``, each once, in order: ``U+0007 (BEL), U+001B (ESC)``."""
    seen = dict.fromkeys(m.group() for m in ODD.finditer(text))
    return ", ".join(name(c) for c in seen)


def lone_surrogates(text: str) -> str:
    """Why ``text`` cannot be written: ``a lone surrogate (U+D800) cannot be written as UTF-8``
    (empty when it has none)."""
    found = dict.fromkeys(SURROGATE.findall(text))
    if not found:
        return ""
    return f"a lone surrogate ({', '.join(name(c) for c in found)}) cannot be written as UTF-8"


def visible(text: str) -> str:
    """``text`` with each odd character written as its escape (``\\x1b``, ``\\ud800``)."""
    if not ODD.search(text):
        return text
    return ODD.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """For a terminal row or a tab-separated line: tabs and line breaks (of any kind) become
    spaces, other odd characters are shown escaped."""
    text = re.sub(r"[\t\r\n]+", " ", text)
    text = LINE_LIKE.sub(" ", text)
    return visible(text)


def odd_strings(value: Any) -> Iterator[str]:
    """Every string (mapping keys included) inside ``value`` that holds an odd character.
    Iterative: the depth of ``value`` does not matter."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if ODD.search(v):
                yield v
        elif isinstance(v, dict):
            for k, item in v.items():
                if isinstance(k, str) and ODD.search(k):
                    yield k
                stack.append(item)
        elif isinstance(v, list):
            stack.extend(v)
