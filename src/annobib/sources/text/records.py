"""Parsed entries -> annobib's model: numbered ``references`` or ``footnotes`` with cites.

Each record gets a key (family name and year, ``family-nd`` without a year, or a slug of the
title), is validated by the model, and keeps its printed string as the reference's or note's
``source``. A field the model rejects is dropped with a finding and the record kept; the
YAML written puts each record's field confidences and what was inferred in a comment above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from annobib.findings import Finding, Location, Severity
from annobib.model.record import Work
from annobib.model.references import Cite, Footnote, FootnoteKind, Locator, Reference
from annobib.sources.text.read import REJECTED, UNPARSED, ListResult, ParsedWork

if TYPE_CHECKING:
    from annobib.sources.interchange import KeyRegistry

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "i", "i",
     "e", "g", "u"], strict=True))


def _ascii(text: str) -> str:
    import unicodedata

    low = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    return unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()


_STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "with"}


def key_base(data: dict[str, Any]) -> str:
    year = str(data.get("issued", ""))[:4]
    authors = data.get("author") or []
    if authors:
        family = _ascii(str(authors[0]).split(",")[0])
        family = re.sub(r"[^a-z0-9]+", "", family) or "work"
        return f"{family}{year}" if year else f"{family}-nd"
    title = data.get("title") or data.get("container-title") or ""
    if isinstance(title, dict):
        title = title.get("text", "")
    words = [w for w in re.findall(r"[a-z0-9]+", _ascii(str(title))) if w not in _STOP][:4]
    slug = "-".join(words) or "work"
    return f"{slug}-{year}" if year and not data.get("title") else slug


@dataclass(slots=True)
class TextImport:
    references: list[Reference] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    comments: list[list[str]] = field(default_factory=list)  # per record, in order
    findings: list[Finding] = field(default_factory=list)
    entries_seen: int = 0


_PLACEHOLDER = "k"


def validate(pw: ParsedWork) -> None:
    """Validate ``pw``'s record under a placeholder key, leaving out each field the model
    rejects (``pw.rejected``); the key is given later, in list order (:func:`_make_work`)."""
    data = dict(pw.data)
    for _ in range(len(data) + 1):
        try:
            pw.work = Work.model_validate({"key": _PLACEHOLDER, **data})
            pw.valid = True
            return
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            bad = {b.replace("_", "-") for b in bad} & set(data) or set()
            if not bad or bad & {"type"}:
                return
            for name in sorted(bad):
                pw.rejected.append(name)
                del data[name]


def _make_work(pw: ParsedWork, keys: KeyRegistry, filename: str | None,
               findings: list[Finding]) -> Work | None:
    where = Location(filename, pw.line)
    data = {k: v for k, v in pw.data.items() if k not in pw.rejected}
    key = keys.new(key_base(data), where)
    for name in pw.rejected:
        findings.append(Finding(
            REJECTED, Severity.WARNING,
            f"parsed value {pw.data[name]!r} is not valid here; left out",
            Location(filename, pw.lines.get(name, pw.line)), key=key, field=name))
    if not pw.valid or pw.work is None:
        findings.append(Finding(UNPARSED, Severity.ERROR,
                                "could not read this entry as a record", where, key=key))
        return None
    work: Work = pw.work.model_copy(update={"key": key})
    return work


def _comment(pw: ParsedWork) -> list[str]:
    conf = ", ".join(f"{k} {v:.2f}" for k, v in pw.confidence.items()
                     if k not in ("type", "language"))
    out = [f"parsed from line {pw.line}; confidence: {conf}"]
    for name, how in pw.inferred.items():
        out.append(f"inferred, not printed: {name} ({how})")
    return out


def to_model(result: ListResult, keys: KeyRegistry, filename: str | None) -> TextImport:
    out = TextImport(findings=list(result.findings), entries_seen=len(result.entries))
    for i, pe in enumerate(result.entries, start=1):
        if not result.notes:
            pw = pe.works[0]
            work = _make_work(pw, keys, filename, out.findings)
            if work is None:
                continue
            n = pe.entry.n if pe.entry.n is not None else i
            out.references.append(Reference(n=n, source=pe.entry.source, work=work))
            out.comments.append(_comment(pw))
            continue
        cites: list[Cite] = []
        comments: list[str] = []
        for pw in pe.works:
            work = _make_work(pw, keys, filename, out.findings)
            if work is None:
                continue
            locator = (Locator.model_validate({"label": pw.locator_label, "value": pw.locator})
                       if pw.locator else None)
            after = pw.after if pe.kind == "mixed" and pe.note_text else None
            if after is not None and pe.note_text is not None and pe.note_text.count(after) != 1:
                after = None
            cites.append(Cite(signal=pw.signal, work=work, locator=locator, after=after))
            comments.extend(f"cite {len(cites)}: {c}" for c in _comment(pw))
        kind = FootnoteKind(pe.kind)
        if kind is not FootnoteKind.COMMENTARY and not cites:
            kind = FootnoteKind.COMMENTARY
        text = pe.note_text if kind is not FootnoteKind.CITATION else None
        if kind is FootnoteKind.COMMENTARY:
            text = text or pe.entry.text
        out.footnotes.append(Footnote(n=i, kind=kind, source=pe.entry.source, text=text,
                                      cites=cites))
        out.comments.append(comments or [f"note from line {pe.entry.line}: commentary only"])
    return out


def yaml_blocks(imp: TextImport) -> str:
    """The ``references:`` / ``footnotes:`` part of an annobib document, each record preceded by
    a comment with its confidences and what was inferred."""
    from annobib.sources.yamlfast import dump as fast_dump

    def dump(item: Any) -> str:
        data = item.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return "".join("  " + ln + "\n" for ln in fast_dump([data]).splitlines())

    parts: list[str] = []
    for name, items in (("references", imp.references), ("footnotes", imp.footnotes)):
        if not items:
            continue
        parts.append(f"{name}:\n")
        offset = 0 if name == "references" else len(imp.references)
        for j, item in enumerate(items):
            for c in imp.comments[offset + j]:
                parts.append(f"  # {c}\n")
            parts.append(dump(item))
    return "".join(parts)
