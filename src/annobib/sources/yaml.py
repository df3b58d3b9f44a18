"""annobib YAML files → Library, reporting every problem with file, line and column.

Each record is validated on its own, so one bad record never hides the others: a broken
reference is reported and the rest of the file still loads.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from annobib import chars, runtime
from annobib.errors import InputError
from annobib.findings import Finding, Location, Severity
from annobib.model import trusted
from annobib.model.library import (
    Document,
    DocumentSummary,
    Library,
    LoadedDocument,
    SourceIndex,
)
from annobib.model.record import Work
from annobib.model.references import Footnote, Reference
from annobib.reading import MAX_FILE_BYTES as MAX_FILE_BYTES
from annobib.reading import read_input
from annobib.sources.located import (
    Located,
    NeedsLocating,
    OddValues,
    Pos,
    RecordMarks,
    format_path,
    read_located,
    read_plain,
)
from annobib.sources.located import Path as NodePath
from annobib.sources.messages import plain as plain_message

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class LoadResult:
    library: Library
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    # documents whose records were left in the cache (records=False): where they are
    unread: list[tuple[LoadedDocument, Path]] = field(default_factory=list)


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """Files as given, directories searched recursively for *.yaml/*.yml (hidden dirs skipped)."""
    files: list[Path] = []
    problems: list[Finding] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix in YAML_SUFFIXES
                and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(
                Finding("A100", Severity.ERROR, "no such file or directory", Location(str(p)))
            )
    return files, problems


def load_paths(
    paths: Sequence[Path],
    *,
    use_cache: bool = True,
    positions: bool = False,
    defer_cache: bool = False,
    records: bool = True,
) -> LoadResult:
    """Load every YAML file under ``paths`` into one Library (``positions`` and
    ``defer_cache``: see :func:`load_file`).

    ``records=False``: a file unchanged since it was cached gives its summary and findings
    only (what ``validate`` needs), its records left in the cache until :func:`read_records`.
    """
    files, problems = expand_paths(paths)
    result = LoadResult(Library(), problems)
    result.unreadable.extend(str(p.location.file) for p in problems if p.location)
    for path in files:
        loaded, findings, readable = load_file(
            path, use_cache=use_cache, positions=positions, defer_cache=defer_cache,
            unread=None if records else result.unread,
        )
        result.findings.extend(findings)
        if not readable:
            result.unreadable.append(str(path))
        if loaded is not None:
            result.library.documents.append(loaded)
    return result


def read_records(result: LoadResult) -> None:
    """Read the records a ``records=False`` load left in the cache."""

    while result.unread:
        loaded, data_path = result.unread.pop(0)
        loaded.attach(_cached_document(data_path, loaded.path))


def _cached_document(data_path: Path, name: str, raw: bytes | None = None) -> Document:
    """A document the cache holds: validated when it was stored, so built back as it was
    (:mod:`annobib.model.trusted`), not validated again; a missing or foreign entry reads the
    file itself."""
    from annobib.sources import cache

    try:
        with runtime.gc_paused():  # hundreds of thousands of models, no cycles
            return trusted.load(Document, cache.read_data(data_path)["document"])
    except Exception:
        text = (raw if raw is not None else read_input(Path(name))).decode("utf-8")
        again, _ = parse_document(text.removeprefix("\ufeff"), name)
        if again is None:
            raise
        return again.document


def load_file(
    path: Path,
    *,
    use_cache: bool = True,
    positions: bool = False,
    defer_cache: bool = False,
    unread: list[tuple[LoadedDocument, Path]] | None = None,
) -> tuple[LoadedDocument | None, list[Finding], bool]:
    """Load one file. Returns (document or None, findings, readable).

    ``unread``: a file found in the cache gives its summary, and its records are left there,
    noted in ``unread`` (see :func:`load_paths`); else they are read.

    ``positions``: the caller's findings will name lines (a BibLaTeX export, say), so a valid
    file's record positions are noted while it is read (no second parse) and stored in the
    cache with the records. Otherwise they are worked out, and cached, if a finding asks.
    ``defer_cache``: a validated document's data is stored in the cache by a worker of the
    caller's next :func:`annobib.workers.map_chunks`, or by the caller's
    :func:`annobib.runtime.finish_later` (see there), not before this returns.
    """
    name = str(path)
    try:
        raw = read_input(path)
    except InputError as exc:
        return None, [Finding("A100", Severity.ERROR, str(exc), Location(name))], False
    if use_cache:
        from annobib.sources import cache

        hit = cache.get(raw, name)
        if hit is not None:
            summary, cached, data_path = hit
            if summary is None:
                return None, cached, True

            hit_doc = LoadedDocument(
                name,
                summary=DocumentSummary.from_plain(summary),
                indexer=_cached_indexer(_indexer_from_bytes(raw, name), raw, name),
            )
            if unread is not None:
                unread.append((hit_doc, data_path))
            else:
                hit_doc.attach(_cached_document(data_path, name, raw))
            return hit_doc, cached, True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        return None, [Finding("A100", Severity.ERROR, msg, Location(name, line, col))], False
    if text.startswith("\ufeff"):
        text = text[1:]
    # hundreds of thousands of small objects: collections would cost half the time
    with runtime.gc_paused():
        loaded, findings = parse_document(text, name, positions=positions)
        if use_cache:
            from annobib.sources import cache

            if loaded is None:
                cache.put(raw, name, None, None, findings)
            else:
                if loaded.indexer is not None and not isinstance(loaded.indexer, _Marked):
                    loaded.indexer = _cached_indexer(loaded.indexer, raw, name)
                store = _cache_writer(raw, name, loaded, list(findings))
                if defer_cache:
                    runtime.later(store)
                else:
                    store()
    return loaded, findings, True


def _cache_writer(
    raw: bytes, name: str, loaded: LoadedDocument, findings: list[Finding]
) -> Callable[[], None]:
    """Storing the validated document in the cache: its data, findings and summary, and its
    positions when they were noted while reading."""
    document, summary = loaded.document, loaded.summary.to_plain()

    def store() -> None:
        from annobib.sources import cache

        with runtime.gc_paused():
            cache.put(raw, name, cached_data(document), summary, findings)
            if isinstance(loaded.indexer, _Marked):
                cache.put_index(raw, name, loaded.indexer.plain())

    return store


def _cached_indexer(
    build: Callable[[], SourceIndex], raw: bytes, name: str
) -> Callable[[], SourceIndex]:
    """Positions, from the cache when an earlier run computed them, else built and stored."""

    def indexed() -> SourceIndex:
        from annobib.sources import cache

        plain = cache.get_index(raw, name)
        if plain is not None:
            try:
                return _index_from_plain(plain, name)
            except (TypeError, ValueError):
                pass  # a stale or foreign entry: rebuild
        index = build()
        cache.put_index(raw, name, _index_to_plain(index))
        return index

    return indexed


def _index_to_plain(index: SourceIndex) -> tuple[Any, ...]:
    def pos(loc: Location) -> tuple[int | None, int | None]:
        return (loc.line, loc.col)

    return (
        {k: pos(v) for k, v in index.origins.items()},
        [(k, pos(v)) for k, v in index.definitions],
        [(k, pos(v)) for k, v in index.refs],
        {k: pos(v) for k, v in index.fields.items()},
    )


def _index_from_plain(plain: Any, name: str) -> SourceIndex:
    origins, definitions, refs, fields = plain

    def loc(p: Any) -> Location:
        return Location(name, p[0], p[1])

    return SourceIndex(
        origins={k: loc(v) for k, v in origins.items()},
        definitions=[(k, loc(v)) for k, v in definitions],
        refs=[(k, loc(v)) for k, v in refs],
        fields={(k[0], k[1]): loc(v) for k, v in fields.items()},
    )


def _indexer_from_bytes(raw: bytes, name: str) -> Callable[[], SourceIndex]:
    def build() -> SourceIndex:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        return _indexer(text, name, None)()

    return build


# --- validation, one record at a time --------------------------------------------------------

_TOP_LISTS: dict[str, type[BaseModel]] = {
    "references": Reference,
    "footnotes": Footnote,
    "works": Work,
}


def parse_document(
    text: str, filename: str, *, positions: bool = False
) -> tuple[LoadedDocument | None, list[Finding]]:
    """Read and validate one document. With ``positions`` the reader notes where records and
    fields are written as it goes (findings will name lines); otherwise they are worked out
    when a finding first asks."""
    located: Located | None = None
    marks: RecordMarks | None = [] if positions else None
    odd: OddValues | None = [] if _MAY_HOLD_ODD.search(text) else None
    try:
        data = read_plain(text, marks, odd)  # the fast path
    except NeedsLocating:
        located = read_located(text, filename)
        data = located.data
        odd = None
    article_key = _key_of(data.get("article")) if isinstance(data, dict) else None
    findings = [_owned(f, data, article_key) for f in located.findings] if located else []

    def loc() -> Located:
        nonlocal located
        if located is None:
            located = read_located(text, filename)
        return located

    if data is None:
        if located is None or located.complete:
            findings.append(
                Finding("A107", Severity.ERROR, "the file is empty", Location(filename, 1, 1))
            )
        return None, findings
    if not isinstance(data, dict):
        findings.append(
            Finding(
                "A107",
                Severity.ERROR,
                "the top level must be a mapping (annobib: 1, article:, references:, ...)",
                Location(filename, 1, 1),
            )
        )
        return None, findings

    if odd is not None:
        findings.extend(_odd_values(data, _odd_found(odd), filename, article_key))
    elif located is not None and _MAY_HOLD_ODD.search(text):
        findings.extend(_odd_values(data, _odd_walk(data, located), filename, article_key))

    doc_fields: dict[str, Any] = {}
    for name, value in data.items():
        if name in _TOP_LISTS:
            continue
        doc_fields[name] = value
    version = doc_fields.get("annobib")
    if version is None:
        findings.append(
            Finding(
                "A108",
                Severity.ERROR,
                "missing 'annobib: 1' (the format version) at the top of the file",
                Location(filename, 1, 1),
            )
        )
        doc_fields["annobib"] = 1
    elif version != "1":
        pos = loc().where(("annobib",))
        findings.append(
            Finding(
                "A108",
                Severity.ERROR,
                f"unsupported format version {version!r}; this annobib reads version 1",
                Location(filename, *(pos or (1, 1))),
                field="annobib",
            )
        )
        return None, findings
    else:
        doc_fields["annobib"] = 1

    # the document's own fields (article, cited-as): validate without the lists
    try:
        doc = Document.model_validate(doc_fields)
    except ValidationError as exc:
        findings.extend(_errors(exc, (), loc(), filename, data, article_key))
        # keep what is valid: retry without the article if it is the culprit
        keep = {k: v for k, v in doc_fields.items() if k in ("annobib",)}
        try:
            doc = Document.model_validate(keep)
        except ValidationError:  # pragma: no cover - annobib alone always validates
            return None, findings

    for list_name, model in _TOP_LISTS.items():
        items = data.get(list_name)
        if items is None:
            continue
        base: NodePath = (list_name,)
        if not isinstance(items, list):
            pos = loc().where(base) or (1, 1)
            findings.append(
                Finding(
                    "A110",
                    Severity.ERROR,
                    f"'{list_name}' must be a list",
                    Location(filename, *pos),
                    key=article_key,
                    field=list_name,
                )
            )
            continue
        good: list[Any] = []
        cut_short = located.open_paths if located is not None else set()
        for i, item in enumerate(items):
            if (*base, i) in cut_short:
                continue  # cut short by the syntax error already reported
            try:
                good.append(model.model_validate(item))
            except ValidationError as exc:
                findings.extend(_errors(exc, (*base, i), loc(), filename, data, article_key))
        getattr(doc, list_name).extend(good)

    if located is None and marks is not None:
        return LoadedDocument(filename, doc, indexer=_Marked(marks, filename)), findings
    return LoadedDocument(filename, doc, indexer=_indexer(text, filename, located)), findings


# YAML refuses control characters written raw (a located A101), but a double-quoted string
# can make them with an escape ("\0", "\e", "\x1b", "\u009b"); the pure-Python parser also
# makes lone surrogates of "\ud800". Only a file with such an escape is searched for them.
_MAY_HOLD_ODD = re.compile(
    r"\\[0abvfeN]"
    r"|\\x(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    r"|\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F])"
    r"|\\U0000(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F])"
    "|\x85"
)


def _odd_found(odd: OddValues) -> list[tuple[NodePath, Pos, str]]:
    """What :func:`read_plain` noted, in the order :func:`_odd_walk` gives."""
    return sorted(odd, key=lambda pv: _path_order(pv[0]))


def _odd_walk(data: Any, located: Located) -> list[tuple[NodePath, Pos, str]]:
    """Each value of ``data`` holding a control character or a lone surrogate, with the
    position ``located`` has for it, ordered by path."""
    found: list[tuple[NodePath, str]] = []
    stack: list[tuple[NodePath, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            if chars.ODD.search(node):
                found.append((path, node))
        elif isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node))
    found.sort(key=lambda pv: _path_order(pv[0]))
    return [(path, located.where(path) or (1, 1), value) for path, value in found]


def _path_order(path: NodePath) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in path]


def _odd_values(
    data: Any, found: list[tuple[NodePath, Pos, str]], filename: str, article_key: str | None
) -> list[Finding]:
    """A111 for each value ``found`` (see :func:`_odd_found`) holding control characters
    (kept) or a lone surrogate (removed: no UTF-8 writer could write it)."""
    out: list[Finding] = []
    for path, pos, value in found:
        owner, fieldpath = _subject(data, path, article_key)
        why = chars.lone_surrogates(value)
        message = (
            f"not loaded: {why}" if why else f"control character {chars.names(value)} in the "
            "value: kept; .bib output leaves it out and the terminal shows it escaped"
        )
        out.append(
            Finding("A111", Severity.ERROR if why else Severity.WARNING, message,
                    Location(filename, *pos), key=owner, field=fieldpath or None)
        )
    for path, _, value in reversed(found):  # from the end: the indexes of a list stay right
        if chars.SURROGATE.search(value) and path:
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
    return out


def _indexer(text: str, filename: str, located: Located | None) -> Callable[[], SourceIndex]:
    def build() -> SourceIndex:
        loc = located
        if loc is None:
            marks: RecordMarks = []
            try:
                read_plain(text, marks)
            except NeedsLocating:
                loc = read_located(text, filename)
            else:
                return _Marked(marks, filename)()
        index = SourceIndex()
        _collect_origins(loc.data, (), loc, index, filename)
        return index

    return build


class _Marked:
    """A document's positions from what :func:`read_plain` noted: as the cache stores them
    (:meth:`plain`, made straight from the marks) and as the index findings read (a call)."""

    __slots__ = ("_plain", "filename", "marks")

    def __init__(self, marks: RecordMarks, filename: str) -> None:
        self.marks = marks
        self.filename = filename
        self._plain: tuple[Any, ...] | None = None

    def plain(self) -> tuple[Any, ...]:
        """What :func:`_index_to_plain` makes of the index :func:`_collect_origins` builds
        (made once: the cache store and the index may both ask)."""
        if self._plain is None:
            self._plain = self._from_marks()
        return self._plain

    def _from_marks(self) -> tuple[Any, ...]:
        origins: dict[str, Pos] = {}
        definitions: list[tuple[str, Pos]] = []
        refs: list[tuple[str, Pos]] = []
        fields: dict[tuple[str, str], Pos] = {}
        for mark in self.marks:
            if mark is None:
                continue
            record, used = mark
            if record is not None:
                key, pos, values = record
                definitions.append((key, pos))
                if key not in origins:
                    origins[key] = pos
                    for name, where in values.items():
                        fields[(key, name)] = where
            if used is not None:
                refs.append(used)
        return origins, definitions, refs, fields

    def __call__(self) -> SourceIndex:
        return _index_from_plain(self.plain(), self.filename)


def _collect_origins(
    node: Any, path: NodePath, located: Located, out: SourceIndex, filename: str
) -> None:
    """Record where each work (a mapping with a string 'key' and 'type') is defined, and where
    each ``ref:`` points from."""
    if isinstance(node, dict):
        key = node.get("key")
        if isinstance(key, str) and "type" in node:
            loc = Location(filename, *(located.where(path) or (1, 1)))
            out.definitions.append((key, loc))
            if key not in out.origins:
                out.origins[key] = loc
                for name in node:
                    pos = located.where((*path, name))
                    if pos is not None:
                        out.fields[(key, name)] = Location(filename, *pos)
        ref = node.get("ref")
        if isinstance(ref, str):
            where = located.where((*path, "ref")) or (1, 1)
            out.refs.append((ref, Location(filename, *where)))
        for k, v in node.items():
            if isinstance(v, (dict, list)):
                _collect_origins(v, (*path, k), located, out, filename)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, (dict, list)):
                _collect_origins(v, (*path, i), located, out, filename)


def _owned(finding: Finding, data: Any, article_key: str | None) -> Finding:
    """Name the record that a reader finding (duplicate key, tag, alias) falls in."""
    path = finding.data.get("path")
    if not path:
        return finding
    owner, fieldpath = _subject(data, tuple(path), article_key)
    return dataclasses.replace(finding, key=owner, field=fieldpath or None, data={})


def _key_of(node: Any) -> str | None:
    if isinstance(node, dict):
        key = node.get("key")
        if isinstance(key, str):
            return key
    return None


def _subject(data: Any, path: NodePath, article_key: str | None) -> tuple[str | None, str]:
    """The record key that owns ``path`` and the field path inside that record."""
    owner_depth = -1
    owner_key: str | None = None
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict) and "type" in node and isinstance(node.get("key"), str):
            owner_depth, owner_key = depth, node["key"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
            break
    if owner_key is None:
        return article_key, format_path(path)
    return owner_key, format_path(path[owner_depth:])


def _all_field_names() -> list[str]:
    import annobib.model as m

    models = (
        m.Annotation,
        m.Cite,
        m.Document,
        m.Footnote,
        m.LangText,
        m.Locator,
        m.MultiText,
        m.Person,
        m.Reference,
        m.Work,
    )
    return sorted(
        {info.alias or name for model in models for name, info in model.model_fields.items()}
    )


def _errors(
    exc: ValidationError,
    base: NodePath,
    located: Located,
    filename: str,
    data: Any,
    article_key: str | None,
) -> Iterable[Finding]:
    seen: set[tuple[NodePath, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        path: NodePath = (*base, *loc)
        etype = err["type"]
        msg = plain_message(err)
        if etype == "enum":
            value = str(err.get("input"))
            choices = _enum_choices(exc, loc)
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
            msg = (
                f"unknown value {value!r}"
                + (f" (did you mean '{close[0]}'?)" if close else "")
                + (
                    f"; expected one of: {', '.join(choices)}"
                    if choices and len(choices) <= 20
                    else f"; expected one of the {len(choices)} values listed in "
                    "docs/file-format.md"
                    if choices
                    else ""
                )
            )
            pos = located.where(path)
        elif etype == "extra_forbidden":
            bad = str(loc[-1]) if loc else "?"
            close = difflib.get_close_matches(bad, _all_field_names(), n=1, cutoff=0.6)
            msg = f"unknown field '{bad}'" + (f" (did you mean '{close[0]}'?)" if close else "")
            pos = located.where(path, key=True)
        elif etype == "missing":
            msg = f"missing required field '{loc[-1]}'" if loc else "missing required field"
            pos = located.where(path[:-1])
        else:
            pos = located.where(path)
            value = err.get("input")
            if etype in (
                "string_type",
                "int_type",
                "int_parsing",
                "list_type",
                "dict_type",
                "model_type",
                "model_attributes_type",
            ):
                msg = f"{msg} (got {_describe(value)})"
        key = (path, msg)
        if key in seen:
            continue
        seen.add(key)
        owner, fieldpath = _subject(data, path, article_key)
        yield Finding(
            code="A109" if etype == "extra_forbidden" else "A110",
            severity=Severity.ERROR,
            message=msg,
            location=Location(filename, *(pos or (1, 1))),
            key=owner,
            field=fieldpath or None,
        )


def _enum_choices(exc: ValidationError, loc: tuple[Any, ...]) -> list[str]:
    from annobib.model.record import WorkType
    from annobib.model.references import FootnoteKind, LocatorLabel

    last = loc[-1] if loc else ""
    table: dict[str, list[str]] = {
        "type": [t.value for t in WorkType],
        "kind": [k.value for k in FootnoteKind],
        "label": [label.value for label in LocatorLabel],
    }
    return table.get(str(last), [])


def _is_union_tag(part: Any) -> bool:
    # pydantic puts a union member's name into 'loc' ('MultiText', 'str', 'function-after[...]')
    return isinstance(part, str) and (
        part[:1].isupper() or "[" in part or part in ("str", "int", "list", "dict", "none")
    )


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def cached_data(doc: Document) -> dict[str, Any]:
    """What the cache stores of a validated document: :func:`annobib.model.trusted.dump`'s
    form, which the next load builds back without validating (``annobib: 1`` is kept as the
    YAML data has it, so the document is the one the YAML would give)."""
    dumped = trusted.dump(doc)
    dumped[1]["annobib"] = doc.annobib
    return {"document": dumped}


# --- writing ---------------------------------------------------------------------------------


def document_data(doc: Document) -> dict[str, Any]:
    """The plain data of ``doc`` in canonical short form, ``annobib: 1`` first."""
    data = doc.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    out: dict[str, Any] = {"annobib": 1}
    out.update((k, v) for k, v in data.items() if k != "annobib")
    return out


_DUMPER: list[Any] = []
_STR = "tag:yaml.org,2002:str"


def _dumper() -> Any:
    """PyYAML's safe dumper, quoting every string a YAML 1.1 or 1.2 reader would retype
    (:func:`annobib.sources.yamlfast.retyped`: PyYAML alone knows only its YAML 1.1 subset and
    writes ``011801`` or ``0o17`` plain, which YAML 1.2 reads as numbers)."""
    if _DUMPER:
        return _DUMPER[0]
    from annobib.sources.yamlfast import retyped

    try:
        from yaml import CSafeDumper as Base
    except ImportError:  # pragma: no cover
        from yaml import SafeDumper as Base  # type: ignore[assignment]

    class Dumper(Base):
        pass

    def represent_str(dumper: Any, value: str) -> yaml.ScalarNode:
        # what PyYAML resolves itself it quotes itself (as before); the rest of the
        # look-alikes it would write plain are double-quoted here
        style = None
        if retyped(value) and dumper.resolve(yaml.ScalarNode, value, (True, False)) == _STR:
            style = '"'
        node: yaml.ScalarNode = dumper.represent_scalar(_STR, value, style=style)
        return node

    Dumper.add_representer(str, represent_str)
    _DUMPER.append(Dumper)
    return Dumper


def dump_document(doc: Document) -> str:
    """Canonical YAML text for ``doc``: Unicode as is, fields in model order, short forms."""
    text: str = yaml.dump(
        document_data(doc),
        Dumper=_dumper(),
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return text


def write_document(path: Path, doc: Document, *, overwrite: bool = False) -> None:
    """Write ``doc`` to ``path`` atomically; refuse to replace an existing file unless asked
    (:class:`~annobib.errors.OutputExists`)."""
    from annobib.atomic import write_atomic

    write_atomic(path, dump_document(doc), exclusive=not overwrite)
