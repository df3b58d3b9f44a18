"""Read a printed reference list or a page of footnotes into annobib records.

:func:`read_list` is the one entry point: it splits the text into entries
(:mod:`~annobib.sources.text.split`), reads footnotes into commentary and citations
(:mod:`~annobib.sources.text.notes`), labels each citation with the CRF
(:mod:`~annobib.sources.text.crf`), and turns the labels into fields
(:mod:`~annobib.sources.text.fields`). Every record keeps its printed string (``source``);
every field has a confidence; a field below :data:`THRESHOLD` is a finding at its input line.
What is inferred (type, language) is listed per record, never presented as printed.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from annobib.findings import Finding, Location, Severity
from annobib.sources.text import fields as F
from annobib.sources.text.lang import detect
from annobib.sources.text.notes import read_note
from annobib.sources.text.split import Entry, split_entries
from annobib.sources.text.tokens import features, tokenize
from annobib.workers import map_chunks

#: a field whose least sure token has a lower marginal probability than this is reported
THRESHOLD = 0.6

LOW_CONFIDENCE = "A430"  # a parsed field the model is unsure of
UNPARSED = "A411"  # an entry that gave no valid record (as for the other readers)
REJECTED = "A416"  # a parsed value the model rejects: that field is left out

WORDS_PATH = Path(__file__).with_name("words.txt.gz")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    try:
        with gzip.open(WORDS_PATH, "rt", encoding="utf-8") as fh:
            return frozenset(fh.read().split())
    except OSError:
        return frozenset()


def is_word(fragment: str) -> bool:
    """Whether ``fragment`` is a word of its own (in the parser's vocabulary)."""
    return fragment.lower() in _words()


@dataclass(slots=True)
class ParsedWork:
    """One parsed citation: the record's data, per-field confidence and input line."""

    data: dict[str, Any]
    confidence: dict[str, float]
    lines: dict[str, int]  # field -> input line
    inferred: dict[str, str]
    source: str  # the citation as printed (for a cite in a note: its part of the note)
    line: int
    signal: str | None = None
    locator: str | None = None
    locator_label: str = "page"
    after: str | None = None
    # the validated record under a placeholder key (records.validate, done where it was
    # parsed, possibly in a worker) and the fields the model rejected
    work: Any = None
    rejected: list[str] = field(default_factory=list)
    valid: bool = False


@dataclass(slots=True)
class ParsedEntry:
    """One entry of the list: a numbered reference, or a note with its cites."""

    entry: Entry
    kind: str  # reference | citation | commentary | mixed
    works: list[ParsedWork] = field(default_factory=list)
    note_text: str | None = None


@dataclass(slots=True)
class ListResult:
    entries: list[ParsedEntry]
    findings: list[Finding]
    layout: str  # numbered | bulleted | paragraphs | lines
    notes: bool  # read as footnotes


_SIGNAL_ANYWHERE = re.compile(
    r"(?:^|\()\s*(?:for\s+more\s+details?,?\s+)?(?:see|cf\.|см\.)(?:\s+also)?\s*:", re.IGNORECASE
)


def looks_like_notes(entries: list[Entry]) -> bool:
    """Footnotes rather than a reference list: unnumbered entries, some of which open with or
    enclose a signal (``See:``, ``(see: …)``)."""
    if not entries or any(e.layout == "numbered" for e in entries):
        return False
    with_signal = sum(1 for e in entries if _SIGNAL_ANYWHERE.search(e.text))
    return with_signal * 4 >= len(entries)


def parse_citation(text: str, model: Any) -> F.ParsedFields:
    """Fields of one printed citation."""
    offsets = tokenize(text)
    if not offsets:
        return F.ParsedFields()
    tagged = model.tag(features(text, offsets))
    spans = F.spans_of(text, offsets, tagged.labels, tagged.confidence)
    return F.build(text, spans, is_word, detect)


def read_list(
    text: str,
    filename: str | None = None,
    notes: bool | None = None,
    model: Any = None,
) -> ListResult:
    """Parse ``text`` (a reference list or footnotes); ``notes`` forces footnote reading."""
    from annobib.sources.text.crf import default_model

    model = model or default_model()
    entries = split_entries(unicodedata.normalize("NFC", text), is_word)
    as_notes = looks_like_notes(entries) if notes is None else notes
    findings: list[Finding] = []

    def work(chunk: Any) -> list[ParsedEntry]:
        return [_parse_entry(e, as_notes, model) for e in chunk]

    # a long list is shared with a forked worker (the model is loaded before the fork)
    out = [pe for part in map_chunks(entries, work, size=250) for pe in part]
    layout = entries[0].layout if entries else "lines"
    for pe in out:
        for pw in pe.works:
            for name, conf in pw.confidence.items():
                if conf < THRESHOLD:
                    findings.append(Finding(
                        LOW_CONFIDENCE, Severity.WARNING,
                        f"parsed with low confidence ({conf:.2f}): check this field",
                        Location(filename, pw.lines.get(name, pw.line)),
                        field=name, data={"confidence": conf, "value": pw.data.get(name)},
                    ))
    return ListResult(out, findings, layout, as_notes)


def _parse_entry(entry: Entry, as_notes: bool, model: Any) -> ParsedEntry:
    if not as_notes:
        return ParsedEntry(entry, "reference", [_work(entry.text, entry, 0, model)])
    parts = read_note(entry.text)
    note_text = F.dehyphenate(parts.text, is_word) if parts.text else None
    pe = ParsedEntry(entry, parts.kind, note_text=note_text)
    for piece in parts.cites:
        pw = _work(piece.text, entry, piece.start, model)
        pw.signal = piece.signal
        pw.locator = piece.locator
        pw.locator_label = piece.locator_label
        pw.after = piece.after
        pe.works.append(pw)
    return pe


def _work(text: str, entry: Entry, base: int, model: Any) -> ParsedWork:
    parsed = parse_citation(text, model)
    from annobib.sources.text.records import validate

    lines = {name: entry.line_at(base + s) for name, (s, _e) in parsed.spans.items()}
    pw = ParsedWork(parsed.data, parsed.confidence, lines, parsed.inferred, text,
                    entry.line_at(base))
    validate(pw)
    return pw
