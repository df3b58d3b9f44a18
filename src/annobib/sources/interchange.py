"""What the BibTeX, CSL-JSON and RIS readers share: results, keys, and building a valid Work.

A reader turns text into ``Work`` records plus findings. It never drops a record silently:
a record that cannot be read is an error finding with ``file:line`` and its raw text; a field
the model cannot hold, or a value it rejects, is a warning naming the record and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from annobib import chars
from annobib.findings import Finding, Location, Severity
from annobib.model.person import INITIALS_RE as _INITIALS
from annobib.model.record import KEY_RE, Work
from annobib.model.values import check_lang
from annobib.sources.messages import plain as plain_message

# Finding codes of the import direction (A41x)
UNPARSABLE = "A411"  # a block/record the parser could not read (raw text in data["raw"])
DUPLICATE_KEY = "A412"  # a key seen before in this import: the later record is not imported
DUPLICATE_FIELD = "A413"  # a field given twice in one record: the first value is kept
UNKNOWN_TYPE = "A414"  # an entry type the crosswalk does not know: imported as misc
NOT_HELD = "A415"  # a field the annobib model has no place for (value in data["value"])
BAD_VALUE = "A416"  # a value the model rejects (bad DOI, date, language...): not imported
KEY_CHANGED = "A417"  # a key that is not a valid annobib key, or none: the key used is said
TEX_UNKNOWN = "A418"  # a TeX macro the decoder does not know: kept as written
CONTROL_CHARS = "A419"  # a value with control characters (NUL, ESC...): kept, and reported


@dataclass(slots=True)
class ReadResult:
    """Records read from one input, in input order, and what was noticed on the way."""

    works: list[Work] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    entries_seen: int = 0  # records (entries) in the input, good or bad
    # records as their YAML items (yamlfast.work_yaml), when the reader was asked for text
    yaml_items: list[str] = field(default_factory=list)


class RecordBuilder:
    """Collects the fields of one record as plain data and reports on it."""

    __slots__ = ("data", "filename", "findings", "key", "line", "location")

    def __init__(self, key: str, filename: str, line: int | None, findings: list[Finding]) -> None:
        self.key = key
        self.filename = filename
        self.line = line
        self.findings = findings
        self.data: dict[str, Any] = {"key": key}
        self.location = Location(filename, line)  # one (frozen) location for all its findings

    def report(
        self, code: str, severity: Severity, fieldname: str | None, message: str, **data: Any
    ) -> None:
        self.findings.append(
            Finding(
                code, severity, message, self.location, key=self.key, field=fieldname, data=data
            )
        )

    def not_held(self, fieldname: str, value: Any, why: str = "") -> None:
        shown = str(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        self.report(
            NOT_HELD,
            Severity.WARNING,
            fieldname,
            f"not imported: {why or 'the annobib model has no such field'} (value: {shown!r})",
            value=value,
        )

    def set(self, name: str, value: Any) -> None:
        if value is None or value == "" or value == []:
            return
        self.data[name] = value

    def screen(self, data: dict[str, Any]) -> None:
        """Report the control characters in ``data`` (kept) and drop, with a warning, a field
        holding a lone surrogate (no UTF-8 writer could write it)."""
        odd_search = chars.ODD.search
        if not _may_hold_odd(data, odd_search):
            return
        for name, value in list(data.items()):
            if type(value) is str:
                if not odd_search(value):
                    continue
            elif not isinstance(value, (dict, list)):
                continue
            odd = "".join(chars.odd_strings(value))
            if not odd:
                continue
            why = chars.lone_surrogates(odd)
            if why:
                self.report(BAD_VALUE, Severity.WARNING, name, f"not imported: {why}")
                del data[name]
            else:
                self.report(CONTROL_CHARS, Severity.WARNING, name,
                            f"control character {chars.names(odd)} in the value: kept; .bib "
                            "output leaves it out and the terminal shows it escaped")

    def build(self) -> Work | None:
        """Validate; a field the model rejects is dropped with a warning and the rest kept."""
        data = dict(self.data)
        self.screen(data)
        for _ in range(len(data) + 1):
            try:
                return Work.model_validate(data)
            except ValidationError as exc:
                bad: set[str] = set()
                for err in exc.errors():
                    loc = err.get("loc", ())
                    name = str(loc[0]) if loc else ""
                    if name in ("key", "type") or name not in data:
                        continue
                    if name in bad:
                        continue
                    bad.add(name)
                    self.report(
                        BAD_VALUE,
                        Severity.WARNING,
                        name,
                        f"not imported: {plain_message(err)} "
                        f"(value: {str(data[name])[:80]!r})",
                        value=data[name],
                    )
                if not bad:
                    self.report(
                        UNPARSABLE,
                        Severity.ERROR,
                        None,
                        f"record not imported: {plain_message(exc.errors()[0])}",
                    )
                    return None
                for name in bad:
                    del data[name]
        return None


def _may_hold_odd(data: dict[str, Any], search: Any) -> bool:
    """False when no string that :meth:`RecordBuilder.screen` looks at holds an odd character:
    one search over those strings joined (the values that are strings, and every string, keys
    included, inside a value that is a mapping or a list, as ``chars.odd_strings`` walks them;
    persons and other objects hold none it looks at)."""
    parts: list[str] = []
    add = parts.append
    stack: list[Any] = []
    for value in data.values():
        t = type(value)
        if t is str:
            add(value)
        elif isinstance(value, (dict, list)):
            stack.append(value)
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            add(v)
        elif isinstance(v, dict):
            for k, item in v.items():
                if isinstance(k, str):
                    add(k)
                stack.append(item)
        elif isinstance(v, list):
            stack.extend(v)
    return search("\n".join(parts)) is not None


# --- keys -------------------------------------------------------------------------------------

_BAD_KEY_CHARS = re.compile(r"[\s\x00-\x1f\x7f,{}()\"#%'=\\~]+")  # what KEY_RE refuses


def valid_key(raw: str) -> str | None:
    """``raw`` itself when it is a valid annobib key (any key BibTeX and biblatex accept),
    else a cleaned form (or None)."""
    if len(raw) <= 120 and KEY_RE.match(raw):
        return raw
    cleaned = _BAD_KEY_CHARS.sub("-", raw).strip("-")[:120]
    return cleaned or None


class KeyRegistry:
    """Hands out unique record keys; reports every key it had to change."""

    def __init__(self) -> None:
        self.seen: dict[str, Location] = {}
        # what each key's first record held, so a repeated key can be told apart from a
        # repeated record (readers fill it as they like)
        self.contents: dict[str, Any] = {}

    def claim(self, raw: str, location: Location, findings: list[Finding]) -> str | None:
        """The key to use, or ``None`` when ``raw`` duplicates an earlier key (reported)."""
        key = valid_key(raw)
        if key is None:
            key = "record"
        if key != raw:
            unique = self._unique(key)
            findings.append(
                Finding(
                    KEY_CHANGED,
                    Severity.WARNING,
                    f"'{raw}' is not a valid annobib key: imported as '{unique}'",
                    location,
                    key=unique,
                    field="key",
                    data={"original": raw},
                )
            )
            self.seen[unique] = location
            return unique
        if key in self.seen:
            return None
        self.seen[key] = location
        return key

    def claim_content(
        self, raw: str, content: Any, location: Location, findings: list[Finding], *,
        raw_text: str, what: str = "entry", field: str = "key",
    ) -> str | None:
        """The key for a record with ``content``: ``raw`` (or its cleaned form); for a repeat of
        an earlier key, ``None`` when the content is the same (imported once, said) or a new
        key named in an A412 error with the raw text (never dropped)."""
        key = self.claim(raw, location, findings)
        if key is None:
            first = self.seen.get(raw)
            where = f" (first at line {first.line})" if first and first.line else ""
            if self.contents.get(raw) == content:
                findings.append(
                    Finding(DUPLICATE_KEY, Severity.WARNING,
                            f"duplicate {field} '{raw}'{where}: the same {what} again, not "
                            "imported twice", location, key=raw, field=field)
                )
                return None
            key = self.new(raw, location)
            findings.append(
                Finding(DUPLICATE_KEY, Severity.ERROR,
                        f"duplicate {field} '{raw}'{where} on a different {what}: imported as "
                        f"'{key}'; raw text in the finding's data",
                        location, key=key, field=field, data={"original": raw, "raw": raw_text})
            )
        self.contents.setdefault(key, content)
        return key

    def new(self, base: str, location: Location) -> str:
        key = self._unique(valid_key(base) or "record")
        self.seen[key] = location
        return key

    def _unique(self, key: str) -> str:
        if key not in self.seen:
            return key
        n = 2
        while f"{key}-{n}" in self.seen:
            n += 1
        return f"{key}-{n}"


# --- small value helpers ---------------------------------------------------------------------


def person_data(
    family: str | None, given: str | None, literal: str | None = None
) -> dict[str, str] | None:
    """A model person from name parts; initials-only first names go to ``initials``."""
    if literal:
        return {"literal": literal}
    if not family:
        if given:
            return {"family": given}
        return None
    if given and "," not in family:
        return {"family": family, ("initials" if _INITIALS.match(given) else "given"): given}
    out = {"family": family}
    if given:
        out["given"] = given
    return out


def is_lang(tag: str) -> bool:
    try:
        check_lang(tag)
    except ValueError:
        return False
    return True


_SPLIT_LIST = re.compile(r"\s*[,;]\s*|\s+and\s+")


_ISSN_TOKEN = re.compile(r"\b\d{4}-?\d{3}[\dXx]\b")
_ISBN_TOKEN = re.compile(r"(?:97[89][- ]?)?\d[\d -]{7,15}[\dXx]")


def identifiers(value: str, kind: str) -> list[str]:
    """ISSNs or ISBNs found in a field however they are separated ("ISSN 1533-7928",
    "0-19-853453-1; 978-0-19-853453-6")."""
    if kind == "issn":
        return [m.group() for m in _ISSN_TOKEN.finditer(value)]
    out = []
    for token in re.split(r"[,;\s]+", value):
        digits = token.replace("-", "")
        if len(digits) in (10, 13) and _ISBN_TOKEN.fullmatch(token):
            out.append(token)
    return out


def split_list(value: str) -> list[str]:
    return [v for v in _SPLIT_LIST.split(value.strip()) if v]


def str_value(v: Any) -> str | None:
    """A CSL/RIS value as text (numbers become strings); ``None`` for empty."""
    if v is None:
        return None
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        s = v.strip()
        return s or None
    return None


# --- reading a file -----------------------------------------------------------------------------

FORMATS = ("bibtex", "csljson", "ris")
_EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".biblatex": "bibtex", ".json": "csljson",
               ".ris": "ris", ".txt": None}


def guess_format(name: str, text: str) -> str | None:
    """The format of a file from its extension, else from its first characters."""
    import os

    ext = os.path.splitext(name)[1].lower()
    fmt = _EXTENSIONS.get(ext)
    if fmt:
        return fmt
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.startswith(("[", "{")):
        return "csljson"
    if re.match(r"TY  - ", head):
        return "ris"
    if head.startswith(("@", "%")):
        return "bibtex"
    return None


def read_text(text: str, filename: str, fmt: str, keys: KeyRegistry | None = None) -> ReadResult:
    """Read ``text`` in ``fmt`` (``bibtex``, ``csljson`` or ``ris``): the records as models
    (``ReadResult.works``), in input order, and the findings."""
    if fmt == "bibtex":
        from annobib.sources.bibtex import read_bibtex

        return read_bibtex(text, filename, keys)
    if fmt == "csljson":
        from annobib.sources.csljson import read_csljson

        return read_csljson(text, filename, keys)
    if fmt == "ris":
        from annobib.sources.ris import read_ris

        return read_ris(text, filename, keys)
    raise ValueError(f"unknown import format {fmt!r}; choose from {', '.join(FORMATS)}")


def read_items(
    text: str, filename: str, fmt: str, keys: KeyRegistry | None = None, *, jobs: int = 0
) -> ReadResult:
    """:func:`read_text`, with the records as their YAML items instead of models
    (``ReadResult.yaml_items``, what ``annobib import`` writes; ``works`` is empty), whatever
    ``jobs`` is: a large BibTeX input may be read by up to ``jobs`` processes (0: one per
    CPU, at most 4; 1: this one), with the same result."""
    if fmt == "bibtex":
        from annobib.sources.bibtex import read_bibtex

        return read_bibtex(text, filename, keys, as_yaml=True, jobs=jobs)
    from annobib.sources.yamlfast import work_yaml

    result = read_text(text, filename, fmt, keys)
    result.yaml_items.extend(work_yaml(w) for w in result.works)
    result.works = []
    return result
