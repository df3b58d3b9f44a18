"""Minimal, reviewable edits of YAML files: add one field to one record, change nothing else.

Used by ``annobib check --apply`` to write an accepted DOI. The file is edited as text: one
line is inserted into the record's block mapping, at the place the canonical field order gives
``doi`` (before ``url``, ``isbn``... or at the end of the record). Every other byte, comments
and blank lines included, stays as it was. The edited text is parsed again and must give the
same document with exactly that one field added; otherwise nothing is written. The write is
atomic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annobib.atomic import write_atomic
from annobib.errors import InputError
from annobib.reading import read_input
from annobib.sources.yamlfast import quoted

_KEY_RE = re.compile(r"([A-Za-z0-9_-]+)\s*:(\s|$)")

# Work fields that come after ``doi`` in the canonical order (model/record.py).
_AFTER = {
    "url", "isbn", "issn", "abstract", "license", "rights", "keywords", "note", "annotation"
}


class EditRefused(Exception):
    """The edit cannot be made safely; the file is left untouched."""


@dataclass(frozen=True, slots=True)
class Edit:
    path: Path
    line: int  # 1-based line of the inserted text in the new file
    text: str  # the inserted line, without newline


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_blank_or_comment(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith("#")


def plan_insert(text: str, line: int, col: int, name: str, value: str) -> tuple[str, Edit]:
    """Text with ``name: "value"`` inserted into the block mapping that starts at line/col."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    start = line - 1
    if not 0 <= start < len(lines):
        raise EditRefused(f"line {line} is outside the file")
    indent = col - 1
    first = lines[start]
    if first[indent : indent + 1] == "{" or not _KEY_RE.match(first[indent:]):
        raise EditRefused("the record is not a block mapping (flow style); add the field by hand")
    direct: list[tuple[str, int]] = []  # (key, line index)
    last_content = start
    prev_empty_value = False
    for i in range(start, len(lines)):
        ln = lines[i]
        if i == start:
            m = _KEY_RE.match(ln[indent:])
            assert m is not None
            direct.append((m.group(1), i))
            prev_empty_value = ln.rstrip().endswith(":")
            continue
        if _is_blank_or_comment(ln):
            continue
        ind = _indent(ln)
        if ind < indent:
            break
        if ind == indent:
            if ln[ind] == "-":
                if prev_empty_value:  # an indentless sequence, the value of the last key
                    last_content = i
                    continue
                break
            m = _KEY_RE.match(ln[ind:])
            if m is None:
                raise EditRefused(f"line {i + 1} is not a key of the record")
            direct.append((m.group(1), i))
            prev_empty_value = ln.rstrip().endswith(":")
        last_content = i
    if any(k == name for k, _ in direct):
        raise EditRefused(f"the record already has '{name}'")
    anchor = next((i for k, i in direct if k in _AFTER and i > start), None)
    if anchor is not None:
        at = anchor
        while (
            at - 1 > start
            and lines[at - 1].strip().startswith("#")
            and (_indent(lines[at - 1]) == indent)
        ):
            at -= 1
    else:
        at = last_content + 1
        if at > 0 and at <= len(lines) and not lines[at - 1].endswith(("\n", "\r")):
            lines[at - 1] = lines[at - 1] + newline
    new_line = " " * indent + f"{name}: {quoted(value)}"
    lines.insert(at, new_line + newline)
    return "".join(lines), Edit(Path(), at + 1, new_line)


def _add_field(node: Any, key: str, name: str, value: str) -> bool:
    if isinstance(node, dict):
        if node.get("key") == key and "type" in node:
            node[name] = value
            return True
        return any(_add_field(v, key, name, value) for v in node.values())
    if isinstance(node, list):
        return any(_add_field(v, key, name, value) for v in node)
    return False


def insert_field(path: Path, line: int, col: int, key: str, name: str, value: str) -> Edit:
    """Insert ``name: "value"`` into record ``key`` (its mapping at line/col) of ``path``."""
    from annobib.sources.yaml import document_data, parse_document

    try:
        text = read_input(path).decode("utf-8")
    except (InputError, UnicodeDecodeError) as exc:
        raise EditRefused(f"cannot read the file again: {exc}") from None
    new_text, edit = plan_insert(text, line, col, name, value)
    before, _ = parse_document(text, str(path))
    after, _ = parse_document(new_text, str(path))
    if before is None or after is None:
        raise EditRefused("the file does not load cleanly; fix it before applying changes")
    expected = document_data(before.document)
    if not _add_field(expected, key, name, value):
        raise EditRefused(f"record '{key}' not found in {path}")
    got = document_data(after.document)
    if got != expected:
        raise EditRefused("the edited file would not load as the same document plus the field")
    # atomic, through a symbolic link to its target, and the data file keeps its permissions;
    # a file that cannot be written raises WriteError (the file stays as it was)
    write_atomic(path, new_text)
    return Edit(path, edit.line, edit.text)
