"""Footnotes: commentary, citations, or both in one note.

A note is read as a sequence of pieces: commentary text, and citations, each introduced by a
signal (``See:``, ``see also``, ``For more detail, see:``, ``Cf.``, ``См.:``). A citation is either
the whole note after a leading signal (several works separated by ``;``) or a parenthesis that
opens with a signal, ``(see: …)``, inside the commentary. A note without a signal is a citation
when it reads like one (a quoted title, an initial and a surname, ``p.``/``No.``/``Vol.`` and a
year) and commentary otherwise. The page(s) a citation ends with (``p. 160``, ``pp. 340-347``,
``С. 45``) are its locator, not the work's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SIGNAL = (
    r"(?:for\s+(?:more\s+)?details?,?\s+see(?:\s+also)?|for\s+more,?\s+see|see\s+also|see|"
    r"cf\.?|compare|quoted\s+in|cited\s+in|подробнее\s+см\.?|см\.\s+также|см\.?|ср\.?)"
)
_LEAD_SIGNAL = re.compile(r"^\s*(" + _SIGNAL + r"\s*:?)\s+", re.IGNORECASE)
_PAREN_SIGNAL = re.compile(r"\(\s*(" + _SIGNAL + r"\s*:)\s*", re.IGNORECASE)
_LOCATOR = re.compile(
    r"[,.;]?\s*(?:(pp?|С|с|S|s|P|стр)\.\s*(\d+[a-z]?(?:\s*[-–—]\s*\d+[a-z]?)?)|"
    r"(ch|chap|гл)\.\s*(\d+))\s*[.)]*\s*$"
)
_CITE_LIKE = re.compile(
    r"[“«\"].{3,}[”»\"]|^\s*(?:[A-ZА-ЯЁ]\.\s?){1,3}\s*[A-ZА-ЯЁ][\w-]+,|\b(?:pp?|Vol|No|С|Т)\.\s*\d"
    r"|//|\bURL:"
)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


@dataclass(slots=True)
class CitePiece:
    """A citation inside a note: its text to parse, signal, locator, and where it stood."""

    text: str
    start: int  # offset of ``text`` in the note's text
    signal: str | None = None
    locator: str | None = None
    locator_label: str = "page"
    after: str | None = None


@dataclass(slots=True)
class NoteParts:
    kind: str  # citation | commentary | mixed
    text: str | None
    cites: list[CitePiece] = field(default_factory=list)


def _split_locator(text: str) -> tuple[str, str | None, str]:
    m = _LOCATOR.search(text)
    if not m:
        return text, None, "page"
    if m.group(2):
        return text[: m.start()].rstrip(" ,;"), re.sub(r"\s+", "", m.group(2)), "page"
    return text[: m.start()].rstrip(" ,;"), m.group(4), "chapter"


def _matching_paren(text: str, open_at: int) -> int | None:
    depth = 0
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def _split_works(body: str, base: int) -> list[tuple[str, int]]:
    """Works separated by ``;`` (when what follows starts like a new reference)."""
    out: list[tuple[str, int]] = []
    start = 0
    for m in re.finditer(r";\s+(?=[A-ZА-ЯЁ“«\"])", body):
        piece = body[start:m.start()]
        if _YEAR.search(piece) or _CITE_LIKE.search(piece):
            out.append((piece, base + start))
            start = m.end()
    out.append((body[start:], base + start))
    return [(t.strip(), s + (len(t) - len(t.lstrip()))) for t, s in out if t.strip()]


def _after_words(text: str, end: int) -> str | None:
    """The shortest run of words (at least three) ending at ``end`` that occurs once."""
    head = text[:end].rstrip()
    words = head.split()
    for k in range(3, len(words) + 1):
        cand = " ".join(words[-k:])
        if head.endswith(cand) and text.count(cand) == 1:
            return cand
    return None


def read_note(text: str) -> NoteParts:
    """Split one note into commentary and citations."""
    lead = _LEAD_SIGNAL.match(text)
    if lead:
        signal = lead.group(1).strip()
        cites = []
        for i, (piece, at) in enumerate(_split_works(text[lead.end():], lead.end())):
            body, loc, label = _split_locator(piece.rstrip(". "))
            cites.append(CitePiece(body, at, signal if i == 0 else None, loc, label))
        return NoteParts("citation", None, cites)
    pieces: list[CitePiece] = []
    commentary: list[str] = []
    pos = 0
    for m in _PAREN_SIGNAL.finditer(text):
        if m.start() < pos:
            continue
        close = _matching_paren(text, m.start())
        if close is None:
            continue
        inner_start = m.end()
        body = text[inner_start:close].rstrip()
        before = text[pos:m.start()].rstrip()
        commentary.append(before)
        signal = m.group(1).strip()
        for i, (piece, at) in enumerate(_split_works(body, inner_start)):
            work, loc, label = _split_locator(piece.rstrip(" ."))
            pieces.append(CitePiece(work.rstrip(" ."), at, signal if i == 0 else None, loc,
                                    label))
        pos = close + 1
        # the sentence's full stop may stand inside the parenthesis ("pp. 91-92.) Next")
    if pieces:
        commentary.append(text[pos:])
        note_text = _join_commentary(commentary)
        # cites that stood mid-text keep the words they followed
        cursor = 0
        for cp, chunk in zip(pieces, _chunks_for(pieces, commentary), strict=False):
            cursor += len(chunk)
            rest = note_text[cursor:].strip(" .,;")
            if rest:
                cp.after = _after_words(note_text, min(cursor, len(note_text)))
        return NoteParts("mixed", note_text, pieces)
    if _YEAR.search(text) and _CITE_LIKE.search(text) and len(text) < 400:
        body, loc, label = _split_locator(text.rstrip(" ."))
        return NoteParts("citation", None, [CitePiece(body, 0, None, loc, label)])
    return NoteParts("commentary", text, [])


def _join_commentary(parts: list[str]) -> str:
    out = ""
    for p in parts:
        out += p
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def _chunks_for(pieces: list[CitePiece], commentary: list[str]) -> list[str]:
    # one commentary chunk precedes each parenthesis; works of one parenthesis share it
    chunks: list[str] = []
    k = 0
    for piece in pieces:
        if piece.signal is not None or k == 0:
            chunks.append(commentary[k] if k < len(commentary) else "")
            k += 1
        else:
            chunks.append("")
    return chunks
