"""A safe YAML reader that remembers where every node is.

Built on PyYAML's event stream (the C parser when available): no Python objects are
constructed by YAML itself, so tags, aliases and YAML 1.1 type guessing never reach the data.
Every scalar stays a string (plain ``null``/``~``/empty become ``None``); pydantic converts
later. Duplicate mapping keys, tags, aliases and anchors are reported, never obeyed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from annobib import chars
from annobib.findings import Finding, Location, Severity

try:  # the C parser is ~10x faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader

    _BYTE_POSITIONS = True  # libyaml's reader errors count bytes of UTF-8
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _BYTE_POSITIONS = False

Path = tuple[str | int, ...]
Pos = tuple[int, int]

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


@dataclass(slots=True)
class Located:
    """The plain data of one YAML document and the 1-based position of every node in it."""

    data: Any
    positions: dict[Path, Pos] = field(default_factory=dict)
    key_positions: dict[Path, Pos] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True
    #: containers still open when a syntax error stopped the parse (their content is partial)
    open_paths: set[Path] = field(default_factory=set)

    def where(self, path: Path, *, key: bool = False) -> Pos | None:
        """Position of ``path``, or of its nearest located ancestor."""
        table = self.key_positions if key else self.positions
        p = path
        while True:
            if p in table:
                return table[p]
            if key and p in self.positions:
                return self.positions[p]
            if not p:
                return None
            p = p[:-1]
            table = self.positions


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


class _Frame:
    __slots__ = ("container", "path", "pending_key", "pos")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path, pos: Pos) -> None:
        self.container = container
        self.path = path
        self.pos = pos
        self.pending_key: str | None = None


def read_located(text: str, filename: str) -> Located:
    """Parse ``text`` into plain dicts/lists/strings with positions; never raises on bad YAML."""
    reader = _LocatedReader(filename)
    out = reader.out
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if reader.event(ev):
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(mark) if mark is not None else (1, 1)
        msg = exc.problem or "YAML syntax error"
        if exc.context:
            started = ""
            if exc.context_mark is not None and exc.context_mark is not mark:
                cline, ccol = _pos(exc.context_mark)
                started = f" that starts at {cline}:{ccol}"
            msg = f"{msg} ({exc.context}{started})"
        reader.stopped(pos, f"YAML syntax error: {msg}")
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        pos = _reader_pos(text, exc)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        reader.stopped(pos, f"YAML error: {chars.name(char)} is not allowed in a YAML file "
                       f"({exc.reason})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = _pos(mark) if mark is not None else (1, 1)
        reader.stopped(pos, f"YAML error: {exc}")
    return out


class _LocatedReader:
    """The state of :func:`read_located`: the tree built so far, the open containers, the
    findings; one method per kind of event."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.out = Located(data=None)
        self.stack: list[_Frame] = []
        self.documents = 0
        self.skip_depth = 0  # >0 while skipping the value of a duplicate key

    def problem(self, pos: Pos, code: str, message: str, path: Path = ()) -> None:
        self.out.findings.append(
            Finding(
                code=code,
                severity=Severity.ERROR,
                message=message,
                location=Location(self.filename, pos[0], pos[1]),
                field=format_path(path) or None,
                data={"path": list(path)} if path else {},
            )
        )

    def stopped(self, pos: Pos, message: str) -> None:
        """A syntax error ended the parse: what was read stays, its open containers noted."""
        self.problem(pos, "A101", message)
        self.out.complete = False
        self.out.open_paths = {frame.path for frame in self.stack}

    def attach(self, value: Any, pos: Pos) -> tuple[bool, Path]:
        """Put a finished node into the open container. Returns (stored, its path)."""
        out, stack = self.out, self.stack
        if not stack:
            out.data = value
            out.positions[()] = pos
            return True, ()
        top = stack[-1]
        if isinstance(top.container, list):
            path = (*top.path, len(top.container))
            top.container.append(value)
            out.positions[path] = pos
            return True, path
        if top.pending_key is None:
            # this node is a key
            if not isinstance(value, str):
                self.problem(pos, "A103", "a mapping key must be a plain string", top.path)
                value = str(value)
            path = (*top.path, value)
            top.pending_key = value
            out.key_positions[path] = pos
            return True, path
        key = top.pending_key
        top.pending_key = None
        path = (*top.path, key)
        top.container[key] = value
        out.positions[path] = pos
        return True, path

    def check_node(self, ev: Any, path_hint: Path) -> None:
        anchor = getattr(ev, "anchor", None)
        if anchor:
            self.problem(_pos(ev.start_mark), "A104", f"anchors are not allowed (&{anchor})",
                         path_hint)
        tag = getattr(ev, "tag", None)
        implicit = getattr(ev, "implicit", True)
        explicit = tag is not None and not (
            implicit is True or (isinstance(implicit, tuple) and any(implicit))
        )
        if explicit and tag not in ("!", "tag:yaml.org,2002:str"):
            self.problem(_pos(ev.start_mark), "A105", f"tags are not allowed ({tag})", path_hint)

    def is_duplicate_key(self, key: str) -> Pos | None:
        top = self.stack[-1]
        if isinstance(top.container, dict) and top.pending_key is None and key in top.container:
            return self.out.key_positions.get((*top.path, key))
        return None

    def _awaits_key(self) -> bool:
        stack = self.stack
        return bool(stack) and isinstance(stack[-1].container, dict) and (
            stack[-1].pending_key is None)

    def event(self, ev: Any) -> bool:
        """Take one parser event; True when the parse must stop here."""
        if isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problem(_pos(ev.start_mark), "A106", "only one YAML document per file")
                return True
            return False
        if isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return False
        if self.skip_depth:
            self._skip(ev)
        elif isinstance(ev, yaml.AliasEvent):
            self._alias(ev)
        elif isinstance(ev, yaml.ScalarEvent):
            self._scalar(ev)
        elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(ev)
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        return False

    def _skip(self, ev: Any) -> None:
        if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.skip_depth += 1
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.skip_depth -= 1
        if self.skip_depth == 1 and not isinstance(
            ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ):
            self.skip_depth = 0

    def _alias(self, ev: Any) -> None:
        here: Path = ()
        if self.stack:
            top = self.stack[-1]
            if isinstance(top.container, list):
                here = (*top.path, len(top.container))
            elif top.pending_key is not None:
                here = (*top.path, top.pending_key)
            else:
                here = top.path
        self.problem(_pos(ev.start_mark), "A104", f"aliases are not allowed (*{ev.anchor})",
                     here)
        self.attach(None, _pos(ev.start_mark))

    def _scalar(self, ev: Any) -> None:
        pos = _pos(ev.start_mark)
        top_path = self.stack[-1].path if self.stack else ()
        self.check_node(ev, top_path)
        value: Any = ev.value
        if not ev.style and ev.implicit[0] and value in _NULLS:
            value = None
        if self._awaits_key():
            first = self.is_duplicate_key(str(value))
            if first is not None:
                self.problem(
                    pos,
                    "A102",
                    f"duplicate key '{value}' (first at line {first[0]}); "
                    "the first value is kept",
                    (*top_path, str(value)),
                )
                self.skip_depth = 1  # skip the value that follows
                return
        self.attach(value, pos)

    def _start(self, ev: Any) -> None:
        pos = _pos(ev.start_mark)
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(ev, yaml.MappingStartEvent) else []
        )
        top_path = self.stack[-1].path if self.stack else ()
        self.check_node(ev, top_path)
        if self._awaits_key():
            self.problem(pos, "A103", "a mapping key must be a plain string", top_path)
            self.attach("?", pos)
        _, path = self.attach(container, pos)
        self.stack.append(_Frame(container, path, pos))


def _reader_pos(text: str, exc: yaml.reader.ReaderError) -> Pos:
    """Line and column of the character a reader error names. libyaml (the C reader) counts
    the bytes of the UTF-8 text, PyYAML's own reader characters."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    index = exc.position
    if _BYTE_POSITIONS or not (0 <= index < len(text) and text[index] == char):
        by_bytes = len(text.encode("utf-8", "surrogatepass")[:index].decode("utf-8", "ignore"))
        if by_bytes < len(text) and text[by_bytes] == char:
            index = by_bytes
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return (line, index - (text.rfind("\n", 0, index) + 1) + 1)


def format_path(path: Path) -> str:
    """``("references", 3, "work", "title")`` → ``references[3].work.title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


class NeedsLocating(Exception):
    """The fast reader met something it reports only with positions: use :func:`read_located`."""


#: What :func:`read_plain` notes, with ``records``, for each mapping in document order (pre-order,
#: as a walk of the data meets them): ``(record, use)``, ``record`` being ``(key, position,
#: {field: position of its value})`` when the mapping is a record (a string ``key`` and a
#: ``type``) and ``use`` being ``(ref, position of its value)`` when it has a string ``ref``;
#: None for any other mapping.
RecordMarks = list[tuple[tuple[str, Pos, dict[str, Pos]] | None, tuple[str, Pos] | None] | None]


#: What :func:`read_plain` notes, with ``odd``: each value that holds a control character or a
#: lone surrogate (:data:`annobib.chars.ODD`), as ``(path, position, value)`` in document order.
OddValues = list[tuple[Path, Pos, str]]


def read_plain(
    text: str, records: RecordMarks | None = None, odd: OddValues | None = None
) -> Any:
    """Parse ``text`` to plain data as fast as possible, without positions.

    Raises :class:`NeedsLocating` on anything that must be reported (syntax error, duplicate
    key, tag, anchor, alias, non-string key, several documents); the caller then re-reads the
    file with :func:`read_located`, which reports it with line and column. Valid files, the
    common case, are read once.

    With ``records``, the positions that name records and their fields in findings are noted
    there (see :data:`RecordMarks`) from the same events, for much less than
    :func:`read_located`'s positions of every node.

    With ``odd``, every value holding a control character or a lone surrogate is noted there
    with its path and position (see :data:`OddValues`): such values are legal YAML when
    escaped, and reporting them needs no located parse.
    """
    scalar_t = yaml.ScalarEvent
    map_start_t = yaml.MappingStartEvent
    seq_start_t = yaml.SequenceStartEvent
    map_end_t = yaml.MappingEndEvent
    seq_end_t = yaml.SequenceEndEvent
    alias_t = yaml.AliasEvent
    doc_start_t = yaml.DocumentStartEvent
    nulls = _NULLS
    want = records is not None
    marks: RecordMarks = records if records is not None else []
    root: list[Any] = []
    # stack entries: [container, is_map, pending_key]; a mapping's, with ``records``, also its
    # position, the positions of its values and its slot in ``records``
    stack: list[list[Any]] = [[root, False, None]]
    documents = 0
    odd_search = chars.ODD.search if odd is not None else None
    marks_odd: OddValues = odd if odd is not None else []
    try:
        events: Any = yaml.parse(text, Loader=_Loader)  # attributes vary by event type
        for ev in events:
            t = type(ev)
            if t is scalar_t:
                if ev.anchor or (
                    ev.tag is not None
                    and not ev.implicit[0]
                    and not ev.implicit[1]
                    and ev.tag != "!"
                ):
                    raise NeedsLocating
                value: Any = ev.value
                if not ev.style and ev.implicit[0] and value in nulls:
                    value = None
                elif odd_search is not None and odd_search(value):
                    _note_odd(stack, value, ev.start_mark, marks_odd)
            elif t is map_start_t or t is seq_start_t:
                if ev.anchor or (ev.tag is not None and not ev.implicit):
                    raise NeedsLocating
                value = {} if t is map_start_t else []
            elif t is map_end_t or t is seq_end_t:
                done = stack.pop()
                if want and done[1]:
                    _note_record(done, marks)
                continue
            elif t is alias_t:
                raise NeedsLocating
            elif t is doc_start_t:
                documents += 1
                if documents > 1:
                    raise NeedsLocating
                continue
            else:
                continue
            top = stack[-1]
            if top[1]:
                key = top[2]
                if key is None:
                    if type(value) is not str or value in top[0]:
                        raise NeedsLocating
                    top[2] = value
                    continue
                top[0][key] = value
                top[2] = None
                if want:
                    mark = ev.start_mark
                    top[4][key] = (mark.line + 1, mark.column + 1)
            else:
                top[0].append(value)
            if t is map_start_t:
                if want:
                    mark = ev.start_mark
                    stack.append(
                        [value, True, None, (mark.line + 1, mark.column + 1), {}, len(marks)]
                    )
                    marks.append(None)
                else:
                    stack.append([value, True, None])
            elif t is seq_start_t:
                stack.append([value, False, None])
    except yaml.YAMLError as exc:
        raise NeedsLocating from exc
    return root[0] if root else None


def _note_odd(stack: list[list[Any]], value: str, mark: Any, odd: OddValues) -> None:
    """Note a scalar about to be attached to ``stack[-1]`` (a mapping key is not noted: only
    values are reported). Its path is that of :func:`read_located`: each open container is the
    last item put into the one below it."""
    top = stack[-1]
    if top[1] and top[2] is None:
        return  # a key
    path: list[str | int] = [
        next(reversed(frame[0])) if frame[1] else len(frame[0]) - 1 for frame in stack[1:-1]
    ]
    if len(stack) > 1:
        path.append(top[2] if top[1] else len(top[0]))
    odd.append((tuple(path), (mark.line + 1, mark.column + 1), value))


def _note_record(frame: list[Any], marks: RecordMarks) -> None:
    node, pos, values, slot = frame[0], frame[3], frame[4], frame[5]
    key = node.get("key")
    ref = node.get("ref")
    record = (key, pos, values) if isinstance(key, str) and "type" in node else None
    used = (ref, values["ref"]) if isinstance(ref, str) else None
    if record is not None or used is not None:
        marks[slot] = (record, used)
