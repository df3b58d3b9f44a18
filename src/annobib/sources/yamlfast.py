"""A fast block-style YAML writer for plain data (dicts, lists, strings, ints).

``annobib import`` writes tens of thousands of records; PyYAML's representer (Python, even
with the C emitter) costs ~0.35 ms a record, more than reading the .bib. This writer emits the
same block layout as :func:`annobib.sources.yaml.dump_document` (two-space indent, sequences
not indented under their key, Unicode as is) without folding long lines. A string is written
plain only when PyYAML's own implicit resolvers would read it back as that string; anything
else is double-quoted with JSON escapes (plus the characters YAML treats as line breaks or
non-printable). ``yaml.safe_load(dump(x)) == x`` is tested on real and generated data.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from annobib.model.record import Work

_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_NONPRINTABLE = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff"
_PRINTABLE_PLAIN = re.compile(
    "^[^-?:,\\[\\]{}#&*!|>'\"%@`\\s" + _NONPRINTABLE + "][^" + _NONPRINTABLE + "]*$"
)
_NOT_PLAIN = re.compile(r": |:$| #|\s$")
_ESCAPE = re.compile("[\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff]")


# Plain scalars that some YAML reader takes for something else than a string: the implicit
# types of YAML 1.1 (yaml.org/type: bool with y/n and on/off, int in base 2/8/10/16/60, float,
# null, timestamp, merge, value) and of YAML 1.2's core and JSON schemas (`011801` and `09`
# are decimal ints there, `0o17` octal, `1e3` a float), each with the underscores and signs
# that lenient readers accept (ruamel.yaml reads `-_0` as 0). Strings that match are quoted
# by every writer of annobib YAML.
_RETYPED = re.compile(
    r"""(?x)^(?:
      ~ | null | Null | NULL
    | y | Y | yes | Yes | YES | n | N | no | No | NO
    | true | True | TRUE | false | False | FALSE | on | On | ON | off | Off | OFF
    | [-+]? 0[bB] [01_]+
    | [-+]? 0[oO] [0-7_]+
    | [-+]? 0[xX] [0-9a-fA-F_]+
    | [-+]? [0-9_]+ (?: :[0-5]?[0-9] )* (?: \.[0-9_]* )? (?: [eE][-+]?[0-9]+ )?
    | [-+]? (?: [0-9][0-9_]* )? \.[0-9._]* (?: [eE][-+]?[0-9]+ )?
    | [-+]? \. (?: inf | Inf | INF | nan | NaN | NAN )
    | [0-9]{4} -[0-9]{1,2} -[0-9]{1,2}
      (?: (?: [Tt] | [ \t]+ ) [0-9]{1,2} :[0-9]{2} :[0-9]{2} (?: \.[0-9]* )?
          (?: [ \t]* Z | [ \t]* [-+][0-9]{1,2} (?: :[0-9]{2} )? )? )?
    | << | =
    )$"""
)


def retyped(s: str) -> bool:
    """True when a YAML 1.1 or 1.2 reader would read plain ``s`` as something else than this
    string (a number, bool, null, date...), so ``s`` must be quoted."""
    return _RETYPED.match(s) is not None


def _plain_ok(s: str) -> bool:
    if not _PRINTABLE_PLAIN.match(s) or _NOT_PLAIN.search(s) or _RETYPED.match(s):
        return False
    return all(not rx.match(s) for _tag, rx in _RESOLVERS.get(s[0], ()))


# Strings repeat a lot in a bibliography (names, journals, types: 39,000 distinct of 169,000
# written for 4,000 PRL/NeurIPS records), and deciding how to write one is the costly part.
_WRITTEN: dict[str, str] = {}
_WRITTEN_MAX = 500_000


def quoted(s: str) -> str:
    """``s`` double-quoted: JSON escapes, plus the characters YAML takes for line breaks or
    refuses raw (every YAML 1.1 and 1.2 reader reads it back as this string)."""
    out = json.dumps(s, ensure_ascii=False)
    if _ESCAPE.search(out):
        out = _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", out)
    return out


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    s = str(value)
    done = _WRITTEN.get(s)
    if done is not None:
        return done
    out = s if s and _plain_ok(s) else quoted(s)
    if len(_WRITTEN) >= _WRITTEN_MAX:
        _WRITTEN.clear()
    _WRITTEN[s] = out
    return out


def _emit(value: Any, indent: str, out: list[str]) -> None:
    # ``written.get(s) or scalar(s)``: the cache looked up here first, as most strings were
    # written before (a written form is never empty)
    written = _WRITTEN
    if isinstance(value, dict):
        for k, v in value.items():
            key = written.get(k) or scalar(k)
            if type(v) is str:
                out.append(f"{indent}{key}: {written.get(v) or scalar(v)}\n")
            elif isinstance(v, dict) and v:
                out.append(f"{indent}{key}:\n")
                _emit(v, indent + "  ", out)
            elif isinstance(v, list) and v:
                out.append(f"{indent}{key}:\n")
                _emit(v, indent, out)
            else:
                out.append(f"{indent}{key}: {_inline(v)}\n")
    elif isinstance(value, list):
        if all(type(item) is str for item in value):  # names, keywords: the common lists
            out.extend(f"{indent}- {written.get(item) or scalar(item)}\n" for item in value)
            return
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _emit(item, indent + "  ", sub)
                first = sub[0]
                sub[0] = indent + "- " + first[len(indent) + 2 :]
                out.extend(sub)
            elif isinstance(item, list) and item:
                sub = []
                _emit(item, indent + "  ", sub)
                sub[0] = indent + "- " + sub[0][len(indent) + 2 :]
                out.extend(sub)
            else:
                out.append(f"{indent}- {_inline(item)}\n")
    else:
        out.append(f"{indent}{_inline(value)}\n")


def _inline(v: Any) -> str:
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return scalar(v)


def dump(data: Any) -> str:
    """Block-style YAML for ``data`` (dicts, lists, str, int, bool, None)."""
    out: list[str] = []
    _emit(data, "", out)
    return "".join(out)


# --- a document built from its records' own YAML -----------------------------------------------
# ``annobib import`` makes each record's text where the record was read (possibly in another
# process) and joins them: document_yaml(work_yaml(w) for w in works) is exactly
# dump(document_data(Document(works=works))) (tested).


def work_yaml(work: Work, person_forms: dict[int, Any] | None = None) -> str:
    """One record as an item of the document's ``works:`` list (``- key: ...``).

    ``person_forms`` maps ``id(person)`` to that Person's dumped form, for Person objects the
    caller shares between records and keeps alive (``annobib import``): they are not dumped
    again for every record that names them. The text is the same either way.
    """
    if person_forms is None:
        data = work.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    else:
        data = _with_person_forms(work, person_forms)
    out: list[str] = []
    _emit([data], "", out)
    return "".join(out)


def _roles() -> tuple[str, ...]:
    from annobib.model.record import NAME_ROLES

    return NAME_ROLES


_ROLES: tuple[str, ...] = ()
# every field's alias and its place in the model's field order (the order model_dump keeps)
_FIELD_ORDER: dict[str, int] = {}
_ROLE_ALIASES: dict[str, str] = {}


def _with_person_forms(work: Work, forms: dict[int, Any]) -> dict[str, Any]:
    global _ROLES
    if not _ROLES:
        _ROLES = _roles()
        fields = type(work).model_fields
        _FIELD_ORDER.update((f.alias or name, i) for i, (name, f) in enumerate(fields.items()))
        _ROLE_ALIASES.update((role, fields[role].alias or role) for role in _ROLES)
    values = work.__dict__
    roles = [role for role in _ROLES if values[role]]
    # only the fields validation was given: every other one holds its default, which
    # exclude_defaults leaves out anyway (a Work has no validator that sets another field), and
    # pydantic then serializes ~12 fields instead of looking at ~110
    given = work.model_fields_set
    if not roles:
        return work.model_dump(mode="json", by_alias=True, exclude_defaults=True, include=given)
    data = work.model_dump(mode="json", by_alias=True, exclude_defaults=True,
                           include=given.difference(roles))
    for role in roles:
        data[_ROLE_ALIASES[role]] = [
            forms.get(id(p)) or p.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for p in values[role]
        ]
    # back in field order: the name lists were added last
    order = _FIELD_ORDER
    return dict(sorted(data.items(), key=lambda item: order[item[0]]))


def rekey_work_yaml(item: str, old: str, new: str) -> str:
    """The same item under another key (the key is a record's first field)."""
    head = f"- key: {scalar(old)}\n"
    if not item.startswith(head):
        raise ValueError(f"not the YAML item of record {old!r}")
    return f"- key: {scalar(new)}\n" + item[len(head) :]


def document_yaml(items: list[str]) -> str:
    """The document holding these record items, in order."""
    # one join: adding the head to the joined items copies megabytes twice more (~70 ms for
    # tugboat's 8 MB, with the widening to the items' widest character)
    return "".join(["annobib: 1\nworks:\n", *items]) if items else "annobib: 1\n"
