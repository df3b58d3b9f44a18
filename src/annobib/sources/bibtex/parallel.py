"""Reading a large BibTeX file in several processes, with the result of one piece."""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Sequence
from typing import Any

from annobib.codecs.bibstrings import Macro, define
from annobib.findings import Finding, Location, Severity
from annobib.sources.bibtex.blocks import Item, NotSeparable, Prepared, parse, prepare_blocks

PARALLEL_MIN_CHARS = 1_000_000  # below this, starting a process costs more than it saves
# Parts per process: the last part taken decides when the slowest process ends, so parts are
# small (the 20k-entry corpus: 16 parts of ~1,300 entries) but not tiny (each is parsed apart).
_PARTS_PER_PROCESS = 8
MIN_PART_CHARS = 100_000
_MAX_JOBS = 4
# a line that starts a block; the splitter is between blocks there when the parts agree (below)
_LINE_BLOCK_START = re.compile(r"\n@[\w]*[ \t]*[{(]")
_STRING_START = re.compile(r"@[ \t]*string[ \t]*[{(]", re.IGNORECASE)


def processes(jobs: int) -> int:
    """Processes to read with: ``jobs`` (0: one per CPU), at most 4, and 1 where
    :func:`annobib.runtime.fork_allowed` says no."""
    from annobib import runtime

    if jobs == 1 or not runtime.fork_allowed():
        return 1
    return max(1, min(jobs or _MAX_JOBS, runtime.cpus(), _MAX_JOBS))


# A block's work is one entry (mapping, validation, YAML) plus its text for bibtexparser's
# splitter; on the 20k-entry benchmark corpus an entry weighs about as much as 8 KB of text
# (parts cut by entries alone, or with 4 KB, came out 25 % apart the one way or the other).
_BYTES_PER_ENTRY_COST = 8000


def _cuts(text: str, parts: int) -> list[int]:
    """Offsets just after a newline where a block starts, giving the parts equal work.

    Entries differ in size along a file (the second half of the 20k-entry benchmark corpus by
    bytes holds a third of its entries), so the parts are balanced on entries and bytes.
    """
    starts = [m.start() + 1 for m in _LINE_BLOCK_START.finditer(text)]
    if len(starts) < parts:
        return []
    ends = [*starts[1:], len(text)]
    weights = [1 + (b - a) / _BYTES_PER_ENTRY_COST for a, b in zip(starts, ends, strict=True)]
    total = sum(weights)
    cuts: list[int] = []
    done, part = 0.0, 1
    for k, w in enumerate(weights):
        if done >= total * part / parts and k > 0 and (not cuts or starts[k] > cuts[-1]):
            cuts.append(starts[k])
            part += 1
            if part == parts:
                break
        done += w
    return cuts


def _strings_before(
    text: str, end: int, starts: list[int]
) -> tuple[dict[str, Macro], frozenset[str]]:
    """The ``@string`` macros of ``text[:end]``, read from those blocks alone (``starts``:
    where ``_STRING_START`` matches in ``text``)."""
    snippets = []
    for at in starts:
        if at >= end:
            break
        stop = text.find("\n@", at + 1, end)
        snippets.append(text[at : end if stop < 0 else stop + 1])
    if not snippets:
        return {}, frozenset()
    from bibtexparser.model import String

    strings: dict[str, Macro] = {}
    written: set[str] = set()
    for block in parse("\n".join(snippets)).blocks:
        if isinstance(block, String):
            strings[block.key.lower()] = define(block.key, str(block.value), strings)
            written.add(block.key)
    return strings, frozenset(written)


_PartResult = tuple[list[Any], bool, int, dict[str, Macro]] | None


def _read_part(
    text: str,
    filename: str,
    line_offset: int,
    strings: dict[str, Macro],
    inherited: frozenset[str],
    *,
    first: bool,
    last: bool,
    pack: bool,
) -> _PartResult:
    """One part: its items (packed as plain tuples with ``pack``, for a worker to send back:
    they pickle in half the time of the objects), whether they are packed, the entries seen and
    the macros defined at its end; None when the part cannot stand apart (a later part not
    beginning with a whole block, a part but the last not ending with one, a repeated macro)."""
    from annobib import runtime

    with runtime.gc_paused():  # the caller pauses it too; a forked worker has its own state
        return _read_part_paused(text, filename, line_offset, strings, inherited, first, last,
                                 pack)


def _read_part_paused(text: str, filename: str, line_offset: int, strings: dict[str, Macro],
                      inherited: frozenset[str], first: bool, last: bool, pack: bool
                      ) -> _PartResult:
    from bibtexparser.model import ParsingFailedBlock

    blocks = parse(text).blocks
    if not blocks:
        return None
    if not first and (blocks[0].start_line != 0 or isinstance(blocks[0], ParsingFailedBlock)):
        return None
    if not last and isinstance(blocks[-1], ParsingFailedBlock):
        return None
    try:
        items, seen, strings = prepare_blocks(
            blocks, text, filename, line_offset, strings, True, inherited
        )
    except NotSeparable:
        return None
    return (_pack(items) if pack else items), pack, seen, strings


def _pack(items: list[Item]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Finding):
            out.append(item)  # a failed block: rare
            continue
        loc = item.location
        out.append((
            item.raw_key, item.provisional, item.content, (loc.file, loc.line, loc.col),
            item.raw, item.record,
            [(f.code, f.severity.value, f.message, f.key, f.field, f.data) for f in item.findings],
        ))
    return out


def _unpack(packed: list[Any]) -> list[Item]:
    """_pack undone: each entry's findings share its one Location, as when prepared here."""
    out: list[Item] = []
    for p in packed:
        if isinstance(p, Finding):
            out.append(p)
            continue
        raw_key, provisional, content, where, raw, record, found = p
        loc = Location(*where)
        findings = [
            Finding(code, Severity(sev), message, loc, key=key, field=field, data=data)
            for code, sev, message, key, field, data in found
        ]
        out.append(Prepared(raw_key, provisional, content, loc, raw, record, findings))
    return out


def read_parallel(text: str, filename: str, jobs: int) -> tuple[list[Item], int] | None:
    """Read ``text`` in parts, shared by this process and forked workers.

    The text is cut into several parts per process, and each process takes the next part
    until none is left (:func:`annobib.workers.map_chunks`), so a process that runs slower
    (another program on its core) takes fewer. The result must be what one piece gives, so
    the parts are checked, and None (read it in one piece) is returned when any check fails:
    each cut is at a line starting a block; each part but the last ends with a block that
    parsed whole (a cut inside an entry leaves it unterminated) and each part but the first
    starts with a block at its first line that parsed; the ``@string`` macros a part was given
    equal those the parts before it defined; bibtexparser's duplicate-key check, which sees
    one part at a time, is redone by the key registry for entries and by refusing a part that
    repeats an earlier ``@string``. Keys are claimed in input order afterwards, so a key
    repeated across parts is renamed exactly as in one piece.
    """
    n = processes(jobs)
    if n < 2 or len(text) < PARALLEL_MIN_CHARS:
        return None
    parts = max(2, min(n * _PARTS_PER_PROCESS, len(text) // MIN_PART_CHARS))
    cuts = _cuts(text, parts)
    if not cuts:
        return None
    from annobib import workers

    bounds = [0, *cuts, len(text)]
    last = len(bounds) - 2
    string_starts = [m.start() for m in _STRING_START.finditer(text)]
    # the macros a part is given depend only on the @string blocks before it (a part's
    # snippets are the same for every cut after the same blocks): read once per count
    before: dict[int, tuple[dict[str, Macro], frozenset[str]]] = {}
    given = []
    for start in bounds[:-1]:
        count = bisect.bisect_left(string_starts, start)
        if count not in before:
            before[count] = _strings_before(text, start, string_starts)
        given.append(before[count])
    parent = os.getpid()

    def read(piece: Sequence[int]) -> _PartResult:
        i = piece[0]
        start, stop = bounds[i], bounds[i + 1]
        strings, written = given[i]
        return _read_part(text[start:stop], filename, text.count("\n", 0, start), strings,
                          written, first=i == 0, last=i == last, pack=os.getpid() != parent)

    results = workers.map_chunks(range(last + 1), read, parallel=True, size=1, processes=n)
    items: list[Item] = []
    seen = 0
    strings: dict[str, Macro] = {}
    for (macros, _written), part in zip(given, results, strict=True):
        if part is None or macros != strings:
            return None
        more, packed, more_seen, strings = part
        items.extend(_unpack(more) if packed else more)
        seen += more_seen
    return items, seen
