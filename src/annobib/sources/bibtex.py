"""BibTeX / BibLaTeX → annobib records, through bibtexparser v2.

``@string`` macros and concatenations are resolved by bibtexparser; month macros (``jan``) and
names (``Last, First and {Org}``) here. Nothing is dropped silently:

- a block bibtexparser cannot parse is an error with ``file:line`` and its raw text;
- a key seen before is an error (the later entry is not imported, its raw text is kept in the
  finding); a field given twice is a warning (the first value is kept);
- a field the model has no place for, or a value it rejects, is a warning naming it.

Field mapping: ``docs/formats/bibtex.md`` and ``docs/formats/biblatex.md``.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from annobib.exporters import langs
from annobib.findings import Finding, Location, Severity
from annobib.model import crosswalk
from annobib.model.person import Person
from annobib.model.record import Work, WorkType
from annobib.sources.interchange import (
    DUPLICATE_FIELD,
    DUPLICATE_KEY,
    TEX_UNKNOWN,
    UNKNOWN_TYPE,
    UNPARSABLE,
    KeyRegistry,
    ReadResult,
    RecordBuilder,
    identifiers,
    is_lang,
    person_data,
    valid_key,
)
from annobib.sources.texdecode import decode, normalise_space
from annobib.sources.yamlfast import rekey_work_yaml, work_yaml

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_VERBATIM = frozenset({"doi", "url", "eprint", "file", "pdf", "verba", "verbb", "verbc"})
_RAW_LIMIT = 2000

# fields consumed by the type decision or carrying nothing for the model
_TYPE_FIELDS = frozenset({"entrysubtype"})


def read_bibtex(
    text: str,
    filename: str,
    keys: KeyRegistry | None = None,
    *,
    as_yaml: bool = False,
    jobs: int = 1,
) -> ReadResult:
    """Read BibTeX/BibLaTeX ``text``; ``filename`` is used in finding locations.

    With ``as_yaml`` the records come back as the YAML text of each record
    (``ReadResult.yaml_items``, what ``annobib import`` writes) instead of models, and a large
    input may be read by up to ``jobs`` processes (0: one per CPU, at most 4), each taking a
    run of whole blocks; the result is the same as reading it in one piece (see
    :func:`_read_parallel` for how that is made sure).
    """
    # Tens of thousands of small objects: the cyclic GC would run hundreds of times for
    # nothing (nothing here makes cycles), so it is paused while reading.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_bibtex(text, filename, keys, as_yaml, jobs)
    finally:
        if gc_was_enabled:
            gc.enable()


@dataclass(slots=True)
class _Prepared:
    """One entry read up to, not including, the choice of its final key.

    Everything but the key registry is per entry, so entries can be prepared in any process;
    the keys are then claimed in input order (:func:`_claim`), which renames a record whose
    key was taken. ``record`` is the validated model, or its YAML text with ``as_yaml``, or
    None when the model rejected it (the reason is among ``findings``).
    """

    raw_key: str
    provisional: str  # the key the record and its findings were made with
    content: bytes  # digest of the entry type and fields, to tell a repeated entry (_claim)
    location: Location
    raw: str
    record: Work | str | None
    findings: list[Finding]


_Item = _Prepared | Finding  # a prepared entry, or a finding about a block that is not one


def _parse(text: str) -> Any:
    from bibtexparser.entrypoint import parse_string

    # bibtexparser logs each failed block; annobib reports them as findings instead
    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # no middleware: values stay as written; _evaluate resolves @string macros,
            # concatenation and enclosing the same way for every entry
            return parse_string(text, parse_stack=[])
    finally:
        log.setLevel(level)


def _read_bibtex(
    text: str, filename: str, keys: KeyRegistry | None, as_yaml: bool, jobs: int
) -> ReadResult:
    keys = keys or KeyRegistry()
    result = ReadResult()
    parts = _read_parallel(text, filename, jobs) if as_yaml and jobs != 1 else None
    if parts is None:
        blocks = _parse(text).blocks
        items, seen, _strings = _prepare_blocks(blocks, text, filename, 0, {}, as_yaml)
    else:
        items, seen = parts
    result.entries_seen = seen
    for item in items:
        if isinstance(item, Finding):
            result.findings.append(item)
        else:
            _claim(item, keys, result)
    return result


def _prepare_blocks(
    blocks: list[Any],
    text: str,
    filename: str,
    line_offset: int,
    strings: dict[str, str],
    as_yaml: bool,
    inherited: frozenset[str] = frozenset(),
) -> tuple[list[_Item], int, dict[str, str]]:
    """Prepare every block in order: entries, and findings for blocks that fail.

    ``strings`` are the ``@string`` macros defined before these blocks (a copy is extended);
    ``inherited`` their keys as written, which bibtexparser does not know about when these
    blocks were parsed apart from the ones before them (a repeated one raises
    :class:`_NotSeparable`). Returns the items, the number of entries seen, and the macros.
    """
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
        Entry,
        ParsingFailedBlock,
        String,
    )

    strings = dict(strings)
    items: list[_Item] = []
    seen = 0
    for block, line in zip(blocks, _block_lines(text, blocks), strict=True):
        loc = Location(filename, line + line_offset if line is not None else None)
        if isinstance(block, String):
            if block.key in inherited:
                raise _NotSeparable(f"@string {block.key} repeats one before this part")
            strings[block.key.lower()] = _evaluate(str(block.value), strings, None)
            continue
        if isinstance(block, DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            if isinstance(entry, Entry):
                seen += 1
                dups = set(block.duplicate_keys)
                items.append(_prepare(entry, loc, strings, dups, as_yaml))
            continue
        if isinstance(block, DuplicateBlockKeyBlock):
            seen += 1
            entry = block.ignore_error_block
            if isinstance(entry, Entry):
                # read like any entry: _claim sees the key taken and decides
                items.append(_prepare(entry, loc, strings, set(), as_yaml))
            else:  # a repeated @string
                first = block.previous_block.start_line
                if first is not None:
                    first += line_offset
                items.append(_duplicate_key(block.key, loc, first, block.raw))
            continue
        if isinstance(block, ParsingFailedBlock):
            raw = block.raw or ""
            if raw.lstrip().startswith("@"):
                seen += 1
            error = block.error
            reason = getattr(error, "abort_reason", None) or str(error) or "syntax error"
            reason = " ".join(reason.split())
            items.append(
                Finding(
                    UNPARSABLE,
                    Severity.ERROR,
                    f"block not imported: {reason}; raw text in the finding's data",
                    loc,
                    key=_guess_key(raw),
                    data={"raw": raw[:_RAW_LIMIT]},
                )
            )
            continue
        if isinstance(block, Entry):
            seen += 1
            items.append(_prepare(block, loc, strings, set(), as_yaml))
    return items, seen, strings


def _block_lines(text: str, blocks: list[Any]) -> list[int | None]:
    """The 1-based line on which each block starts, found from its raw text.

    bibtexparser's own ``start_line`` does not count a newline right after a backslash (TeX's
    control space, e.g. ``pp.\\`` ending a line inside a title), so every later block of the
    file would be reported a line too early (3,425 of tugboat.bib's 4,839 entries). Blocks
    are in text order: each is searched from where the one before it ended; a block whose
    raw text is not found there keeps bibtexparser's line.
    """
    out: list[int | None] = []
    pos, line, after = 0, 1, 0  # a block's start, its line, and where the next is looked for
    for block in blocks:
        raw = block.raw
        found = text.find(raw, after) if raw else -1
        if found < 0:
            start = block.start_line
            out.append(start + 1 if start is not None else None)
            continue
        line += text.count("\n", pos, found)
        pos, after = found, found + len(raw)
        out.append(line)
    return out


# --- reading a large file in several processes ------------------------------------------------

_PARALLEL_MIN_CHARS = 1_000_000  # below this, starting a process costs more than it saves
# Parts per process: the last part taken decides when the slowest process ends, so parts are
# small (the 20k-entry corpus: 16 parts of ~1,300 entries) but not tiny (each is parsed apart).
_PARTS_PER_PROCESS = 8
_MIN_PART_CHARS = 100_000
_MAX_JOBS = 4
# a line that starts a block; the splitter is between blocks there when the parts agree (below)
_LINE_BLOCK_START = re.compile(r"\n@[\w]*[ \t]*[{(]")
_STRING_START = re.compile(r"@[ \t]*string[ \t]*[{(]", re.IGNORECASE)


class _NotSeparable(Exception):
    """The input cannot be read in parts with the same result as in one piece."""


def _jobs(jobs: int) -> int:
    """Processes to read with: ``jobs`` (0: one per CPU), at most 4, and 1 where
    :func:`annobib.workers.fork_allowed` says no."""
    from annobib import workers

    if jobs == 1 or not workers.fork_allowed():
        return 1
    return max(1, min(jobs or _MAX_JOBS, workers.cpus(), _MAX_JOBS))


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
) -> tuple[dict[str, str], frozenset[str]]:
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

    strings: dict[str, str] = {}
    written: set[str] = set()
    for block in _parse("\n".join(snippets)).blocks:
        if isinstance(block, String):
            strings[block.key.lower()] = _evaluate(str(block.value), strings, None)
            written.add(block.key)
    return strings, frozenset(written)


_PartResult = tuple[list[Any], bool, int, dict[str, str]] | None


def _read_part(
    text: str,
    filename: str,
    line_offset: int,
    strings: dict[str, str],
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
    from bibtexparser.model import ParsingFailedBlock

    gc.disable()  # the caller pauses it too; a forked worker starts from its own state
    blocks = _parse(text).blocks
    if not blocks:
        return None
    if not first and (blocks[0].start_line != 0 or isinstance(blocks[0], ParsingFailedBlock)):
        return None
    if not last and isinstance(blocks[-1], ParsingFailedBlock):
        return None
    try:
        items, seen, strings = _prepare_blocks(
            blocks, text, filename, line_offset, strings, True, inherited
        )
    except _NotSeparable:
        return None
    return (_pack(items) if pack else items), pack, seen, strings


def _pack(items: list[_Item]) -> list[Any]:
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


def _unpack(packed: list[Any]) -> list[_Item]:
    """_pack undone: each entry's findings share its one Location, as when prepared here."""
    out: list[_Item] = []
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
        out.append(_Prepared(raw_key, provisional, content, loc, raw, record, findings))
    return out


def _read_parallel(text: str, filename: str, jobs: int) -> tuple[list[_Item], int] | None:
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
    n = _jobs(jobs)
    if n < 2 or len(text) < _PARALLEL_MIN_CHARS:
        return None
    parts = max(2, min(n * _PARTS_PER_PROCESS, len(text) // _MIN_PART_CHARS))
    cuts = _cuts(text, parts)
    if not cuts:
        return None
    from annobib import workers

    bounds = [0, *cuts, len(text)]
    last = len(bounds) - 2
    string_starts = [m.start() for m in _STRING_START.finditer(text)]
    given = [_strings_before(text, start, string_starts) for start in bounds[:-1]]
    parent = os.getpid()

    def read(piece: Sequence[int]) -> _PartResult:
        i = piece[0]
        start, stop = bounds[i], bounds[i + 1]
        strings, written = given[i]
        return _read_part(text[start:stop], filename, text.count("\n", 0, start), strings,
                          written, first=i == 0, last=i == last, pack=os.getpid() != parent)

    results = workers.map_chunks(range(last + 1), read, parallel=True, size=1, processes=n)
    items: list[_Item] = []
    seen = 0
    strings: dict[str, str] = {}
    for (macros, _written), part in zip(given, results, strict=True):
        if part is None or macros != strings:
            return None
        more, packed, more_seen, strings = part
        items.extend(_unpack(more) if packed else more)
        seen += more_seen
    return items, seen


# --- one entry ----------------------------------------------------------------------------------


def _duplicate_key(key: str, loc: Location, first_line: int | None, raw: str | None) -> Finding:
    where = f" (first at line {first_line + 1})" if first_line is not None else ""
    return Finding(
        DUPLICATE_KEY,
        Severity.ERROR,
        f"duplicate key '{key}'{where}: this entry is not imported; raw text in the finding's data",
        loc,
        key=key,
        field="key",
        data={"raw": (raw or "")[:_RAW_LIMIT]},
    )


def _guess_key(raw: str) -> str | None:
    m = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", raw)
    return m.group(1) if m else None


def _evaluate(raw: str, strings: dict[str, str], undefined: list[str] | None) -> str:
    """A BibTeX value expression → its text: ``{...}``, ``"..."``, numbers, macros, ``#``."""
    s = raw.strip()
    if not s:
        return s
    first, last = s[0], s[-1]
    if first == "{" and last == "}":
        inner = s[1:-1]
        if ("{" not in inner and "}" not in inner) or _one_group(s):
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
            if word.isdigit():
                out.append(word)
            elif word.lower() in strings:
                out.append(strings[word.lower()])
            else:
                if undefined is not None and word.lower() not in _MONTHS:
                    undefined.append(word)
                out.append(word)
            i = j
    return "".join(out)


def _prepare(
    entry: Any, loc: Location, strings: dict[str, str], duplicate_fields: set[str], as_yaml: bool
) -> _Prepared:
    fields: dict[str, str] = {}
    dropped: dict[str, list[str]] = {}
    undefined: list[tuple[str, str]] = []
    for f in entry.fields:
        name = f.key.lower()
        if name in fields:
            duplicate_fields.add(name)
            dropped.setdefault(name, []).append(_evaluate(str(f.value), strings, None))
            continue
        missing: list[str] = []
        fields[name] = _evaluate(str(f.value), strings, missing)
        if missing:
            undefined.extend((name, word) for word in missing)
    content = hashlib.blake2b(
        repr((entry.entry_type.lower(), tuple(fields.items()))).encode(), digest_size=16
    ).digest()
    raw_key = entry.key
    provisional = valid_key(raw_key) or "record"
    findings: list[Finding] = []
    b = RecordBuilder(provisional, loc.file or "<input>", loc.line, findings)
    for name, word in undefined:
        b.report(UNPARSABLE, Severity.WARNING, name,
                 f"undefined @string macro '{word}': kept as its name")
    for name in sorted(duplicate_fields):
        others = dropped.get(name, [])
        shown = "; ".join(repr(v[:60]) for v in others)
        b.report(
            DUPLICATE_FIELD,
            Severity.WARNING,
            name,
            f"field '{name}' given more than once: the first value is kept"
            + (f", not {shown}" if shown else ""),
            dropped=others,
        )
    _map_entry(b, entry.entry_type.lower(), fields, _SHARED if as_yaml else None)
    work = b.build()
    record: Work | str | None = work
    if as_yaml and work is not None:
        record = work_yaml(work, _SHARED.forms)
    return _Prepared(raw_key, provisional, content, loc, (entry.raw or "")[:_RAW_LIMIT], record,
                     findings)


def _claim(p: _Prepared, keys: KeyRegistry, result: ReadResult) -> None:
    """Give the prepared entry its key, in input order, and add it to ``result``."""
    raw_key, loc = p.raw_key, p.location
    key = keys.claim(raw_key, loc, result.findings)
    if key is None:
        first = keys.seen.get(raw_key)
        where = f" (first at line {first.line})" if first and first.line else ""
        if keys.contents.get(raw_key) == p.content:
            result.findings.append(
                Finding(DUPLICATE_KEY, Severity.WARNING,
                        f"duplicate key '{raw_key}'{where}: the same entry again, not imported "
                        "twice", loc, key=raw_key, field="key")
            )
            return
        key = keys.new(raw_key, loc)
        result.findings.append(
            Finding(DUPLICATE_KEY, Severity.ERROR,
                    f"duplicate key '{raw_key}'{where} on a different entry: imported as "
                    f"'{key}'; raw text in the finding's data",
                    loc, key=key, field="key",
                    data={"original": raw_key, "raw": p.raw})
        )
    keys.contents.setdefault(key, p.content)
    record, findings = p.record, p.findings
    if key != p.provisional:
        findings = [
            dataclasses.replace(f, key=key) if f.key == p.provisional else f for f in findings
        ]
        if isinstance(record, str):
            record = rekey_work_yaml(record, p.provisional, key)
        elif record is not None:
            record = record.model_copy(update={"key": key})
    result.findings.extend(findings)
    if isinstance(record, str):
        result.yaml_items.append(record)
    elif record is not None:
        result.works.append(record)


def _text(b: RecordBuilder, name: str, raw: str) -> str:
    if name in _VERBATIM:
        return normalise_space(raw)
    text, unknown = decode(raw)
    if unknown:
        b.report(
            TEX_UNKNOWN,
            Severity.WARNING,
            name,
            "TeX macro(s) kept as written: " + ", ".join("\\" + u for u in unknown),
        )
    return text


_AND_SPLIT = re.compile(r"\s+and\s+", re.IGNORECASE)
_SIMPLE_NAME = re.compile(r"^[^{}\\,~]+$")
_BRACES = re.compile(r"[{}]")
_AND_OR_BRACE = re.compile(r"(\s+and\s+|[{}])", re.IGNORECASE)
_NEEDS_DECODE = re.compile(r"[\\{}$~`']|--|\s\s|[\t\n\r]")


def _split_names(raw: str) -> list[str]:
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


def _name_parts(one: str) -> tuple[str, str] | None:
    """(family, given) of one BibTeX name; the common plain forms without bibtexparser."""
    if "," in one and one.count(",") == 1 and "{" not in one and "\\" not in one:
        family, given = one.split(",")
        return " ".join(family.split()), " ".join(given.split())
    if _SIMPLE_NAME.match(one):
        words = one.split()
        # "First Last" with no lower-case ("von") word: BibTeX's last word is the family
        if words and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            return words[-1], " ".join(words[:-1])
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(one, strict=False)
    except InvalidNameError:
        return None
    family = " ".join([*parts.von, *parts.last])
    if parts.jr:
        family += " " + " ".join(parts.jr)
    return family, " ".join(parts.first)


class _SharedPersons:
    """Names repeat (co-authors across a library: 74,000 distinct of 386,000 in the 20k-entry
    benchmark corpus). For ``annobib import``, whose records are written out as YAML at once
    and never handed on, a name's validated Person and its YAML form are made once and shared;
    a name whose reading reported anything is not kept, so each record still gets its own
    findings. ``forms`` is keyed by the id of a Person held here (alive as long as its form)."""

    MAX = 200_000

    def __init__(self) -> None:
        self.by_name: dict[str, Person] = {}
        self.forms: dict[int, Any] = {}

    def add(self, name: str, person: Person) -> None:
        if len(self.by_name) >= self.MAX:
            self.by_name.clear()
            self.forms.clear()
        self.by_name[name] = person
        self.forms[id(person)] = person.model_dump(mode="json", by_alias=True,
                                                   exclude_defaults=True)


_SHARED = _SharedPersons()


def _names(
    b: RecordBuilder, name: str, raw: str, shared: _SharedPersons | None = None
) -> list[dict[str, str] | Person]:
    people: list[dict[str, str] | Person] = []
    for one in _split_names(raw):
        one = one.strip()
        if shared is not None:
            known = shared.by_name.get(one)
            if known is not None:
                people.append(known)
                continue
        reported = len(b.findings)
        p = _person(b, name, one)
        if p is None:
            continue
        if shared is not None and len(b.findings) == reported:
            try:
                person = Person.model_validate(p)
            except ValidationError:  # the record's validation reports it
                pass
            else:
                shared.add(one, person)
                people.append(person)
                continue
        people.append(p)
    return people


def _person(b: RecordBuilder, name: str, one: str) -> dict[str, str] | None:
    """One name of a name list, as model data (None: reported as not held)."""
    if one.lower() == "others":
        b.not_held(name, "others", "'and others' (a truncated name list) has no place")
        return None
    if one.startswith("{") and one.endswith("}") and _one_group(one):
        return {"literal": _text(b, name, one[1:-1])}
    parts = _name_parts(one)
    if parts is None:
        b.not_held(name, one, "a name BibTeX's rules cannot split")
        return None
    family, given = parts
    if _NEEDS_DECODE.search(family):
        family = _text(b, name, family)
    if given and _NEEDS_DECODE.search(given):
        given = _text(b, name, given)
    return person_data(family or None, given or None)


def _one_group(s: str) -> bool:
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


def _date(b: RecordBuilder, fields: dict[str, str]) -> None:
    if "date" in fields:
        raw = normalise_space(fields.pop("date"))
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", raw)
        if m:
            b.set("issued", raw)
        else:
            b.not_held("date", raw, "a date range or uncertain date (the model holds one date)")
        for extra in ("year", "month", "day"):
            if extra in fields:
                b.not_held(extra, fields.pop(extra), "'date' is given and takes precedence")
        return
    year = normalise_space(fields.pop("year", ""))
    month = normalise_space(fields.pop("month", ""))
    day = normalise_space(fields.pop("day", ""))
    if not year:
        if month:
            b.not_held("month", month, "a month without a year")
        return
    if not re.fullmatch(r"\d{4}", year):
        b.not_held("year", year, "not a four-digit year")
        return
    iso = year
    if month:
        mm = _month(month)
        if mm is None:
            b.not_held("month", month, "not a month")
        else:
            iso += f"-{mm:02d}"
            if day:
                if re.fullmatch(r"\d{1,2}", day):
                    iso += f"-{int(day):02d}"
                else:
                    b.not_held("day", day, "not a day of the month")
    elif day:
        b.not_held("day", day, "a day without a month")
    b.set("issued", iso)


def _month(raw: str) -> int | None:
    s = raw.strip().strip("{}").strip().lower().rstrip(".")
    if s.isdigit() and 1 <= int(s) <= 12:
        return int(s)
    return _MONTHS.get(s[:3]) if s[:3] in _MONTHS and (len(s) == 3 or s.isalpha()) else None


def _map_entry(
    b: RecordBuilder,
    entry_type: str,
    fields: dict[str, str],
    shared: _SharedPersons | None = None,
) -> None:
    subtype = normalise_space(fields.pop("entrysubtype", "")) or None
    kind_raw = fields.get("type")
    kind = normalise_space(kind_raw) if kind_raw else None
    t = crosswalk.from_bibtex(entry_type, subtype=subtype, kind=kind)
    if t is None:
        t = WorkType.MISC
        b.report(
            UNKNOWN_TYPE,
            Severity.WARNING,
            "type",
            f"entry type @{entry_type} is not known: imported as misc",
        )
    elif subtype and t.value != subtype and crosswalk.biblatex_subtype(t) != subtype:
        b.not_held("entrysubtype", subtype)
    b.set("type", t.value)
    # the `type` field: a genre, unless it only repeats the annobib type written by the export
    if kind is not None:
        fields.pop("type")
        if kind not in (t.value, crosswalk.biblatex_kind(t)):
            b.set("genre", _text(b, "type", kind_raw or ""))

    for role in ("author", "editor", "translator"):
        if role in fields:
            b.set(role, _names(b, role, fields.pop(role), shared))

    # titles
    title = _text(b, "title", fields.pop("title", "")) if "title" in fields else None
    if title:
        mt: dict[str, Any] = {"text": title}
        addon = fields.pop("titleaddon", None)
        if addon is not None:
            addon_text = _text(b, "titleaddon", addon)
            if addon_text.startswith("[") and addon_text.endswith("]"):
                mt["translated"] = {"text": addon_text[1:-1]}
            else:
                b.not_held("titleaddon", addon_text)
        orig = fields.pop("origtitle", None)
        if orig is not None:
            olang = fields.pop("origlanguage", None)
            ot: dict[str, str] = {"text": _text(b, "origtitle", orig)}
            if olang:
                tag = langs.from_babel(normalise_space(olang))
                if tag:
                    ot["lang"] = tag
                else:
                    b.not_held("origlanguage", olang, "a language biblatex/babel does not name")
            mt["original"] = ot
        b.set("title", mt if len(mt) > 1 else title)

    container = None
    for name in ("journaltitle", "journal", "booktitle"):
        if name in fields:
            value = _text(b, name, fields.pop(name))
            if container is None:
                container = value
            else:
                b.not_held(name, value, "the record already has a container-title")
    if container is None and "howpublished" in fields and entry_type == "misc":
        container = _text(b, "howpublished", fields.pop("howpublished"))
    b.set("container-title", container)
    if "shortjournal" in fields:
        b.set("container-title-short", _text(b, "shortjournal", fields.pop("shortjournal")))
    if "series" in fields:
        b.set("collection-title", _text(b, "series", fields.pop("series")))

    _date(b, fields)
    if "urldate" in fields:
        b.set("accessed", normalise_space(fields.pop("urldate")))

    simple = (
        ("volume", "volume"),
        ("number", "issue"),
        ("pages", "pages"),
        ("pagetotal", "page-count"),
        ("numpages", "page-count"),
        ("edition", "edition"),
        ("abstract", "abstract"),
    )
    for bib, model in simple:
        if bib in fields:
            value = _text(b, bib, fields.pop(bib))
            if model in b.data:
                b.not_held(bib, value, f"the record already has {model}")
            else:
                b.set(model, value)
    if "issue" in fields:  # biblatex's issue ("Spring") when number is absent
        value = _text(b, "issue", fields.pop("issue"))
        if "issue" in b.data:
            b.not_held("issue", value, "'number' already gives the issue")
        else:
            b.set("issue", value)

    publisher = None
    for name in ("publisher", "institution", "school", "organization"):
        if name in fields:
            value = _text(b, name, fields.pop(name))
            if publisher is None:
                publisher = value
            else:
                b.not_held(name, value, "the record already has a publisher")
    b.set("publisher", publisher)
    place = None
    for name in ("location", "address"):
        if name in fields:
            value = _text(b, name, fields.pop(name))
            if place is None:
                place = value
            else:
                b.not_held(name, value, "the record already has a publisher-place")
    b.set("publisher-place", place)
    if "howpublished" in fields:
        b.not_held("howpublished", _text(b, "howpublished", fields.pop("howpublished")))

    if "doi" in fields:
        b.set("doi", normalise_space(fields.pop("doi")))
    if "url" in fields:
        # Beebe's files list several URLs in one field, separated by "; "
        urls = [u for u in re.split(r";\s+", normalise_space(fields.pop("url"))) if u]
        if urls:
            b.set("url", urls[0])
            for extra in urls[1:]:
                b.not_held("url", extra, "a second URL (the model holds one)")
    for name in ("isbn", "issn"):
        if name in fields:
            raw_ids = normalise_space(fields.pop(name))
            found = identifiers(raw_ids, name)
            if not found:
                b.not_held(name, raw_ids, f"no {name.upper()} in the value")
            b.set(name, found)

    # language: langid (babel) or language (a babel name or a BCP 47 tag)
    lang = None
    for name in ("langid", "language"):
        if name in fields:
            raw = normalise_space(fields.pop(name))
            tag = langs.from_babel(raw) or (raw if is_lang(raw) else None)
            if tag is None:
                b.not_held(name, raw, "not a language biblatex/babel or BCP 47 names")
            elif lang is None:
                lang = tag
            elif tag != lang:
                b.not_held(name, raw, f"the record's language is already '{lang}'")
    b.set("language", lang)

    if "keywords" in fields:
        b.set(
            "keywords",
            [
                k.strip()
                for k in _text(b, "keywords", fields.pop("keywords")).split(",")
                if k.strip()
            ],
        )
    note = _text(b, "note", fields.pop("note")) if "note" in fields else None
    addendum = _text(b, "addendum", fields.pop("addendum")) if "addendum" in fields else None
    for name, maybe in (("note", note), ("addendum", addendum)):
        if maybe is None:
            continue
        value = maybe
        remark_lang = langs.remark_language(value)
        if (
            remark_lang
            and lang
            and langs.primary(remark_lang) == langs.primary(lang)
            and (isinstance(b.data.get("title"), dict) or title)
        ):
            continue  # "(In Russ.)": implied by the language and written back by the export
        if "note" in b.data:
            b.not_held(name, value, "the record already has a note")
        else:
            b.set("note", value)
    for name in ("annotation", "annote"):
        if name in fields:
            value = _text(b, name, fields.pop(name))
            if "annotation" in b.data:
                b.not_held(name, value, "the record already has an annotation")
            else:
                b.set("annotation", {"summary": value})
    if fields.get("key") == b.key:
        fields.pop("key")
    for name, value in fields.items():
        if name in _TYPE_FIELDS:
            continue
        b.not_held(name, value)
