"""RIS → annobib records (Zotero, EndNote, Mendeley exports; annobib's own RIS export).

Lines are ``TAG  - value``; a line without a tag continues the previous value. ``TY`` opens a
record and ``ER`` closes it. A line ends at CR, LF or CRLF only, as the writer's lines do: the
other characters Python counts as line breaks (U+2028, U+2029, NEL, VT, FF, FS, GS, RS) are
part of a value. Text outside a record, or a record cut off without ``ER``, is
reported with its line. Tag mapping: ``docs/formats/ris.md``.
"""

from __future__ import annotations

import re
from typing import Any

from annobib import chars
from annobib.codecs import langs
from annobib.codecs.ristags import ACCESS_DATE_M1_TYPES, PAGE_COUNT_TYPES
from annobib.findings import Finding, Location, Severity
from annobib.model import crosswalk
from annobib.model.person import parse_name
from annobib.model.record import WorkType
from annobib.sources.interchange import (
    BAD_VALUE,
    KEY_CHANGED,
    UNKNOWN_TYPE,
    UNPARSABLE,
    KeyRegistry,
    ReadResult,
    RecordBuilder,
    is_lang,
)

_LINE_END = re.compile(r"\r\n|\r|\n")
_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
_ISSN = re.compile(r"^\d{4}-?\d{3}[\dxX]$")

_AUTHORS = {"AU": "author", "A1": "author", "A2": "editor", "ED": "editor", "A4": "translator"}
_SIMPLE = {
    "VL": "volume",
    "IS": "issue",
    "ET": "edition",
    "PB": "publisher",
    "CY": "publisher-place",
    "M3": "genre",
    "DO": "doi",
    "LA": "language",
    "AB": "abstract",
    "N2": "abstract",
    "J2": "container-title-short",
    "JA": "container-title-short",
    "T3": "collection-title",
}


def read_ris(text: str, filename: str, keys: KeyRegistry | None = None) -> ReadResult:
    keys = keys or KeyRegistry()
    result = ReadResult()
    record: list[tuple[str, str, int]] | None = None
    start = 0
    for n, raw_line in enumerate(_LINE_END.split(text), start=1):
        line = raw_line.lstrip("\ufeff").rstrip()
        if not line:
            continue
        m = _TAG.match(line)
        if m is None:
            if record is not None and record:
                tag, value, ln = record[-1]
                record[-1] = (tag, f"{value} {line.strip()}".strip(), ln)
            else:
                result.findings.append(
                    Finding(
                        UNPARSABLE,
                        Severity.ERROR,
                        "text outside a record (no 'TY  - ' before it): not imported",
                        Location(filename, n),
                        data={"raw": line[:2000]},
                    )
                )
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "TY":
            if record is not None:
                result.findings.append(
                    Finding(
                        UNPARSABLE,
                        Severity.WARNING,
                        "record without 'ER' (the next 'TY' starts here): read as complete",
                        Location(filename, n),
                    )
                )
                _finish(record, start, filename, keys, result)
            record = [(tag, value, n)]
            start = n
            continue
        if record is None:
            result.findings.append(
                Finding(
                    UNPARSABLE,
                    Severity.ERROR,
                    f"tag {tag} outside a record (no 'TY  - ' before it): not imported",
                    Location(filename, n),
                    data={"raw": line[:2000]},
                )
            )
            continue
        if tag == "ER":
            _finish(record, start, filename, keys, result)
            record = None
            continue
        record.append((tag, value, n))
    if record is not None:
        result.findings.append(
            Finding(
                UNPARSABLE,
                Severity.WARNING,
                "the last record has no 'ER': read as complete",
                Location(filename, start),
            )
        )
        _finish(record, start, filename, keys, result)
    return result


def _finish(
    record: list[tuple[str, str, int]],
    start: int,
    filename: str,
    keys: KeyRegistry,
    result: ReadResult,
) -> None:
    result.entries_seen += 1
    loc = Location(filename, start)
    tags: dict[str, list[str]] = {}
    refused: list[tuple[str, int, str]] = []  # (tag, line, why)
    for tag, value, line in record:
        why = chars.lone_surrogates(value)
        if why:
            refused.append((tag, line, why))
        elif value:
            tags.setdefault(tag, []).append(value)
    ids = tags.pop("ID", [])
    if ids:
        key = keys.claim(ids[0], loc, result.findings)
        if key is None:
            result.findings.append(
                Finding(
                    "A412",
                    Severity.ERROR,
                    f"duplicate ID '{ids[0]}': record not imported",
                    loc,
                    key=ids[0],
                    field="ID",
                    data={"raw": "\n".join(f"{t}  - {v}" for t, v, _ in record)[:2000]},
                )
            )
            return
    else:
        key = keys.new(_key_base(tags), loc)
        result.findings.append(
            Finding(
                KEY_CHANGED,
                Severity.WARNING,
                f"record has no ID: imported as '{key}'",
                loc,
                key=key,
                field="key",
            )
        )
    b = RecordBuilder(key, filename, start, result.findings)
    for tag, line, why in refused:
        result.findings.append(
            Finding(BAD_VALUE, Severity.WARNING, f"not imported: {why}",
                    Location(filename, line), key=key, field=tag)
        )
    ty = (tags.pop("TY", [""]) or [""])[0]
    t = crosswalk.from_ris(ty)
    if t is None:
        t = WorkType.MISC
        b.report(UNKNOWN_TYPE, Severity.WARNING, "TY", f"RIS type '{ty}' is not known: misc")
    b.set("type", t.value)
    _map(b, tags, ty)
    work = b.build()
    if work is not None:
        result.works.append(work)


def _key_base(tags: dict[str, list[str]]) -> str:
    au = (tags.get("AU") or tags.get("A1") or [""])[0]
    family = re.sub(r"\W+", "", au.split(",")[0].lower())
    year = (tags.get("PY") or tags.get("Y1") or [""])[0][:4]
    return f"{family or 'record'}{year if year.isdigit() else ''}"


def _one(b: RecordBuilder, tags: dict[str, list[str]], tag: str) -> str | None:
    values = tags.pop(tag, [])
    for extra in values[1:]:
        b.not_held(tag, extra, f"a second {tag} value")
    return values[0] if values else None


def _ris_date(value: str) -> str | None:
    """``YYYY/MM/DD/other``, ``YYYY-MM-DD`` or ``YYYY`` → ISO (season codes for seasons)."""
    v = value.strip()
    m = re.match(r"^(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?(?:/(.*))?)?$", v)
    if not m:
        return None
    iso = m.group(1)
    if m.group(2):
        iso += f"-{int(m.group(2)):02d}"
        if m.group(3):
            iso += f"-{int(m.group(3)):02d}"
    elif m.group(4):
        season = {"spring": "21", "summer": "22", "autumn": "23", "fall": "23", "winter": "24"}.get(
            m.group(4).strip().lower()
        )
        if season:
            iso += "-" + season
    return iso


def _map(b: RecordBuilder, tags: dict[str, list[str]], ty: str) -> None:
    """The tags of one record into ``b``, stage by stage; each stage pops the tags it reads, so
    what is left at the end is reported as not held."""
    _names(b, tags)
    _title(b, tags)
    _container(b, tags)
    _dates(b, tags, ty)
    _pages(b, tags, ty)
    _simple(b, tags)
    _links_and_notes(b, tags)
    for tag, values in tags.items():
        for value in values:
            b.not_held(tag, value)


def _names(b: RecordBuilder, tags: dict[str, list[str]]) -> None:
    for tag, role in _AUTHORS.items():
        if tag in tags:
            people: list[Any] = list(b.data.get(role, []))
            for name in tags.pop(tag):
                if name.endswith(",") and name.count(",") == 1:
                    people.append({"family": name[:-1].strip()})
                elif "," in name:
                    people.append(parse_name(name))
                else:
                    people.append({"literal": name})
            b.set(role, people)


def _title(b: RecordBuilder, tags: dict[str, list[str]]) -> None:
    title = _one(b, tags, "TI") or _one(b, tags, "T1")
    if title:
        mt: dict[str, Any] = {"text": title}
        tt = _one(b, tags, "TT")
        if tt:
            mt["translated"] = {"text": tt}
        op = _one(b, tags, "OP")
        if op:
            mt["original"] = {"text": op}
        b.set("title", mt if len(mt) > 1 else title)


def _container(b: RecordBuilder, tags: dict[str, list[str]]) -> None:
    container = None
    for tag in ("T2", "JO", "JF", "BT"):
        for value in tags.pop(tag, []):
            if container is None:
                container = value
            elif value != container:
                b.not_held(tag, value, "the record already has a container-title")
    b.set("container-title", container)


def _dates(b: RecordBuilder, tags: dict[str, list[str]], ty: str) -> None:
    year = _one(b, tags, "PY") or _one(b, tags, "Y1")
    da = _one(b, tags, "DA")
    issued = _ris_date(da) if da else None
    if da and issued is None:
        b.not_held("DA", da, "not a RIS date (YYYY/MM/DD/other)")
    if issued is None and year:
        issued = _ris_date(year)
        if issued is None:
            b.not_held("PY", year, "not a year")
    elif issued and year and not issued.startswith(year[:4]):
        b.not_held("PY", year, f"disagrees with DA {da}")
    b.set("issued", issued)
    y2 = _one(b, tags, "Y2")
    if y2:
        acc = _ris_date(y2)
        if acc is None:
            b.not_held("Y2", y2, "not a RIS date")
        b.set("accessed", acc)
    if ty in ACCESS_DATE_M1_TYPES and "M1" in tags:
        m1 = _one(b, tags, "M1") or ""
        acc = _ris_date(m1)
        if acc is None:
            b.not_held("M1", m1, "not a RIS date")
        elif "accessed" not in b.data:
            b.set("accessed", acc)
        elif b.data["accessed"] != acc:
            b.not_held("M1", m1, "Y2 gives another access date")


def _pages(b: RecordBuilder, tags: dict[str, list[str]], ty: str) -> None:
    sp, ep = _one(b, tags, "SP"), _one(b, tags, "EP")
    if sp and ep:
        b.set("pages", f"{sp}-{ep}")
    elif sp and not ep and ty in PAGE_COUNT_TYPES and sp.isdigit():
        b.set("page-count", sp)  # a book's or thesis's SP: its number of pages
    elif sp or ep:
        b.set("pages", sp or ep)


def _simple(b: RecordBuilder, tags: dict[str, list[str]]) -> None:
    for simple_tag, model in _SIMPLE.items():
        if simple_tag in tags:
            simple_value = _one(b, tags, simple_tag)
            if model in b.data:
                b.not_held(simple_tag, simple_value, f"the record already has {model}")
            else:
                b.set(model, simple_value)
    if "language" in b.data and not is_lang(b.data["language"]):
        lang_tag = langs.from_babel(b.data["language"].lower())
        if lang_tag:
            b.data["language"] = lang_tag


def _links_and_notes(b: RecordBuilder, tags: dict[str, list[str]]) -> None:
    urls = tags.pop("UR", [])
    if urls:
        b.set("url", urls[0])
        for extra in urls[1:]:
            b.not_held("UR", extra, "a second URL")
    for sn in tags.pop("SN", []):
        for part in re.split(r"\s*;\s*", sn):
            if not part:
                continue
            target = "issn" if _ISSN.match(part) else "isbn"
            b.data.setdefault(target, []).append(part)
    if "KW" in tags:
        b.set("keywords", tags.pop("KW"))
    notes = tags.pop("N1", [])
    if notes:
        b.set("note", "\n\n".join(notes))
