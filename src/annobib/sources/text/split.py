"""Split a printed reference list (or a page of footnotes) into its entries.

Recognised layouts, tried in this order:

1. numbered: ``1.``, ``1)``, ``[1]``, ``(1)`` at the start of a line, the numbers running on
   (each next number is the last one plus one, so a line that starts with a year is not taken
   for an entry); lines between two numbered lines continue the entry above;
2. bulleted: ``•``, ``–``, ``—``, ``-``, ``*``, ``▪`` and a space at the start of a line;
3. paragraphs: entries separated by blank lines; a paragraph that stops mid-sentence (no
   closing punctuation) and is followed by one that starts in lower case, with a digit or a
   currency sign continues into it (PDF extraction splits notes that way);
4. lines: one entry per line, an indented line continuing the one above (hanging indent).

Line breaks inside an entry become spaces; a word hyphenated at a line break is joined when
its second half is not a word of its own (``zaru-`` / ``bezhya``), and kept hyphenated when
both halves are words (``military-`` / ``technical``). ``source`` keeps the entry exactly as
printed, line breaks included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,5})\]|\((\d{1,5})\)|(\d{1,5})[.)])\s+(?=\S)")
_BULLET = re.compile(r"^\s*[•▪◦·*–—-]\s+(?=\S)")
_CLOSED = re.compile(r"[.!?)\]”\"»:;]\s*$")
_CONTINUES = re.compile(r"^\s*[a-zа-яё0-9$€£¥(]")
_HYPHEN_END = re.compile(r"([^\W\d_]{2,})[-‐­]\s*$")
_LEAD = re.compile(r"^\s*([^\W\d_]+)")


@dataclass(slots=True)
class Entry:
    """One entry of the list as printed.

    ``source`` is the printed text (its number or bullet included, line breaks kept);
    ``text`` the entry's text to parse (number/bullet removed, lines joined); ``line`` the
    1-based line of the input where it starts; ``n`` its printed number, if any.
    ``lines`` maps offsets in ``text`` to input lines: ``(offset, line)`` for each line start.
    """

    source: str
    text: str
    line: int
    n: int | None = None
    layout: str = "lines"
    lines: list[tuple[int, int]] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        """The input line that the character at ``offset`` of ``text`` came from."""
        found = self.line
        for off, ln in self.lines:
            if off > offset:
                break
            found = ln
        return found


def _number(m: re.Match[str]) -> int:
    return int(next(g for g in m.groups() if g))


def _numbered_starts(lines: list[str]) -> list[int] | None:
    starts: list[int] = []
    last: int | None = None
    for i, line in enumerate(lines):
        m = _NUMBERED.match(line)
        if m is None:
            continue
        n = _number(m)
        if last is None or n == last + 1:
            starts.append(i)
            last = n
    return starts if len(starts) >= 2 or (starts and len(lines) == 1) else None


def _join(
    pieces: list[tuple[int, str]], is_word: Callable[[str], bool]
) -> tuple[str, list[tuple[int, int]]]:
    """Join (line number, text) pieces into one text, undoing line-break hyphenation."""
    text = ""
    marks: list[tuple[int, int]] = []
    for ln, raw in pieces:
        piece = raw.strip()
        if not piece:
            continue
        if text:
            m = _HYPHEN_END.search(text)
            lead = _LEAD.match(piece)
            if m and lead and piece[0].islower():
                # a word broken at the line end: without the hyphen when its second half is
                # no word of its own, with it (and no space) when both halves are words
                text = text[: m.end(1)] if not is_word(lead.group(1)) else text.rstrip()
            else:
                text += " "
        marks.append((len(text), ln))
        text += piece
    return text, marks


def split_entries(text: str, is_word: Callable[[str], bool] = lambda w: False) -> list[Entry]:
    """The entries of ``text``. ``is_word`` tells a whole word from a word's fragment."""
    lines = text.splitlines()
    starts = _numbered_starts(lines)
    if starts:
        return _blocks(lines, starts, "numbered", is_word)
    bullets = [i for i, ln in enumerate(lines) if _BULLET.match(ln)]
    if len(bullets) >= 2:
        return _blocks(lines, bullets, "bulleted", is_word)
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        return []
    paragraphs: list[list[int]] = []
    for i in nonblank:
        if paragraphs and paragraphs[-1][-1] == i - 1:
            paragraphs[-1].append(i)
        else:
            paragraphs.append([i])
    if len(paragraphs) > 1:
        return _paragraphs(lines, paragraphs, is_word)
    # one entry per line; an indented line continues the entry above
    heads = [i for i in nonblank
             if not (lines[i][:1].isspace() and i - 1 in nonblank and i != nonblank[0])]
    return _blocks(lines, heads, "lines", is_word)


def _blocks(
    lines: list[str], starts: list[int], layout: str, is_word: Callable[[str], bool]
) -> list[Entry]:
    out: list[Entry] = []
    for k, first in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        span = list(range(first, end))
        while span and not lines[span[-1]].strip():
            span.pop()
        head = lines[first]
        n: int | None = None
        if layout == "numbered":
            m = _NUMBERED.match(head)
            assert m is not None
            n = _number(m)
            head = head[m.end():]
        elif layout == "bulleted":
            m = _BULLET.match(head)
            assert m is not None
            head = head[m.end():]
        pieces = [(first + 1, head)] + [(i + 1, lines[i]) for i in span[1:]]
        joined, marks = _join(pieces, is_word)
        source = "\n".join(lines[i].strip() for i in span if lines[i].strip())
        out.append(Entry(source, joined, first + 1, n, layout, marks))
    return out


def _paragraphs(
    lines: list[str], paragraphs: list[list[int]], is_word: Callable[[str], bool]
) -> list[Entry]:
    groups: list[list[list[int]]] = []
    for p in paragraphs:
        if groups:
            prev = groups[-1][-1]
            if not _CLOSED.search(lines[prev[-1]]) and _CONTINUES.match(lines[p[0]]):
                groups[-1].append(p)
                continue
        groups.append([p])
    out: list[Entry] = []
    for g in groups:
        pieces = [(i + 1, lines[i]) for p in g for i in p]
        joined, marks = _join(pieces, is_word)
        source = "\n\n".join("\n".join(lines[i].strip() for i in p) for p in g)
        out.append(Entry(source, joined, g[0][0] + 1, None, "paragraphs", marks))
    return out
