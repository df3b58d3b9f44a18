"""Blocks of a BibTeX file -> prepared entries -> records with their final keys.

bibtexparser splits the text into blocks (no middleware: values stay as written);
:func:`prepare_blocks` turns each into a :class:`Prepared` entry or a finding, and
:func:`claim` gives the entries their keys in input order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import marshal
import re
import warnings
from dataclasses import dataclass
from typing import Any

from annobib.codecs.bibstrings import DEFINITION, EXPRESSION, Macro, closure, define, evaluate
from annobib.findings import Finding, Location, Severity
from annobib.model.record import Work
from annobib.sources.bibtex.fields import map_entry
from annobib.sources.bibtex.names import SHARED
from annobib.sources.interchange import (
    DUPLICATE_FIELD,
    DUPLICATE_KEY,
    UNPARSABLE,
    KeyRegistry,
    ReadResult,
    RecordBuilder,
    valid_key,
)
from annobib.sources.yamlfast import rekey_work_yaml, work_yaml

RAW_LIMIT = 2000


class NotSeparable(Exception):
    """The input cannot be read in parts with the same result as in one piece."""


@dataclass(slots=True)
class Prepared:
    """One entry read up to, not including, the choice of its final key.

    Everything but the key registry is per entry, so entries can be prepared in any process;
    the keys are then claimed in input order (:func:`claim`), which renames a record whose
    key was taken. ``record`` is the validated model, or its YAML text with ``as_yaml``, or
    None when the model rejected it (the reason is among ``findings``).
    """

    raw_key: str
    provisional: str  # the key the record and its findings were made with
    content: bytes  # digest of the entry type and fields, to tell a repeated entry (claim)
    location: Location
    raw: str
    record: Work | str | None
    findings: list[Finding]


Item = Prepared | Finding  # a prepared entry, or a finding about a block that is not one


def parse(text: str) -> Any:
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


def prepare_blocks(
    blocks: list[Any],
    text: str,
    filename: str,
    line_offset: int,
    strings: dict[str, Macro],
    as_yaml: bool,
    inherited: frozenset[str] = frozenset(),
) -> tuple[list[Item], int, dict[str, Macro]]:
    """Prepare every block in order: entries, and findings for blocks that fail.

    ``strings`` are the ``@string`` macros defined before these blocks (a copy is extended);
    ``inherited`` their keys as written, which bibtexparser does not know about when these
    blocks were parsed apart from the ones before them (a repeated one raises
    :class:`NotSeparable`). Returns the items, the number of entries seen, and the macros.
    """
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
        Entry,
        ParsingFailedBlock,
        String,
    )

    strings = dict(strings)
    items: list[Item] = []
    seen = 0
    for block, line in zip(blocks, block_lines(text, blocks), strict=True):
        loc = Location(filename, line + line_offset if line is not None else None)
        if isinstance(block, String):
            if block.key in inherited:
                raise NotSeparable(f"@string {block.key} repeats one before this part")
            strings[block.key.lower()] = define(block.key, str(block.value), strings)
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
                    data={"raw": raw[:RAW_LIMIT]},
                )
            )
            continue
        if isinstance(block, Entry):
            seen += 1
            items.append(_prepare(block, loc, strings, set(), as_yaml))
            continue
        entry_type = _comment_like_type(block)
        if entry_type is not None:
            # bibtexparser takes any "@comment..." for a comment, "@commentary" (a biblatex
            # type) too: read it again as the entry it is
            seen += 1
            raw = block.raw or ""
            again = parse("@annobibentry" + raw.lstrip()[1 + len(entry_type):]).blocks
            if len(again) == 1 and isinstance(again[0], Entry):
                again[0].entry_type = entry_type
                items.append(_prepare(again[0], loc, strings, set(), as_yaml))
            else:
                items.append(Finding(UNPARSABLE, Severity.ERROR,
                                     f"@{entry_type} block not imported: not an entry",
                                     loc, key=_guess_key(raw), data={"raw": raw[:RAW_LIMIT]}))
    return items, seen, strings


_COMMENT_LIKE = re.compile(r"\s*@(comment[A-Za-z][\w-]*)\s*[{(]", re.IGNORECASE)


def _comment_like_type(block: Any) -> str | None:
    """The entry type of a block bibtexparser took for a comment only because its type
    begins with "comment" (``@commentary{key, ...}``), else None."""
    from bibtexparser.model import ExplicitComment

    if not isinstance(block, ExplicitComment):
        return None
    m = _COMMENT_LIKE.match(block.raw or "")
    return m.group(1) if m else None


def block_lines(text: str, blocks: list[Any]) -> list[int | None]:
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


def _duplicate_key(key: str, loc: Location, first_line: int | None, raw: str | None) -> Finding:
    where = f" (first at line {first_line + 1})" if first_line is not None else ""
    return Finding(
        DUPLICATE_KEY,
        Severity.ERROR,
        f"duplicate key '{key}'{where}: this entry is not imported; raw text in the finding's data",
        loc,
        key=key,
        field="key",
        data={"raw": (raw or "")[:RAW_LIMIT]},
    )


def _guess_key(raw: str) -> str | None:
    m = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", raw)
    return m.group(1) if m else None


def _prepare(
    entry: Any, loc: Location, strings: dict[str, Macro], duplicate_fields: set[str], as_yaml: bool
) -> Prepared:
    fields: dict[str, str] = {}
    dropped: dict[str, list[str]] = {}
    undefined: list[tuple[str, str]] = []
    expressions: dict[str, tuple[str, list[str]]] = {}  # fields naming a macro
    for f in entry.fields:
        name = f.key.lower()
        if name in fields:
            duplicate_fields.add(name)
            dropped.setdefault(name, []).append(evaluate(str(f.value), strings, None))
            continue
        missing: list[str] = []
        used: list[str] = []
        raw_value = str(f.value)
        fields[name] = evaluate(raw_value, strings, missing, used)
        if missing:
            undefined.extend((name, word) for word in missing)
        if used:
            expressions[name] = (raw_value.strip(), used)
    # marshal format 2: the bytes follow from the strings alone (no references to objects
    # seen before, no interning flags), each string prefixed with its length; half repr's cost
    content = hashlib.blake2b(
        marshal.dumps((entry.entry_type.lower(), tuple(fields.items())), 2), digest_size=16
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
    expanded = {name: fields[name] for name in expressions}
    map_entry(b, entry.entry_type.lower(), fields, SHARED if as_yaml else None)
    if expressions:
        _keep_expressions(b, expressions, expanded, strings)
    work = b.build()
    record: Work | str | None = work
    if as_yaml and work is not None:
        record = work_yaml(work, SHARED.forms)
    return Prepared(raw_key, provisional, content, loc, (entry.raw or "")[:RAW_LIMIT], record,
                     findings)


def _keep_expressions(b: RecordBuilder, expressions: dict[str, tuple[str, list[str]]],
                      expanded: dict[str, str], strings: dict[str, Macro]) -> None:
    """Keep each field that names an ``@string`` macro as written (``"@FIELD"``) with the
    definitions it needs (``"@string NAME"``), for the BibLaTeX/BibTeX export to write back
    (codecs/bibstrings.py). A field kept only as its expanded text (one the model has no
    field for) keeps just the expression: the definitions give its text back."""
    verbatim = b.data.setdefault("verbatim", {})
    old = verbatim.get("biblatex", {})
    kept: dict[str, str] = {}
    for name, value in old.items():  # in place, so the export writes the fields in order
        if name in expressions and value == expanded[name]:
            kept[EXPRESSION + name] = expressions[name][0]
        else:
            kept[name] = value
    needed: list[str] = []
    for name, (raw, used) in expressions.items():
        kept.setdefault(EXPRESSION + name, raw)
        needed.extend(used)
    for macro in closure(needed, strings):
        kept[DEFINITION + macro.name] = macro.raw
    verbatim["biblatex"] = kept


def claim(p: Prepared, keys: KeyRegistry, result: ReadResult) -> None:
    """Give the prepared entry its key, in input order, and add it to ``result``."""
    raw_key, loc = p.raw_key, p.location
    key = keys.claim_content(raw_key, p.content, loc, result.findings, raw_text=p.raw)
    if key is None:
        return
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
