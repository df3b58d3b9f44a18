"""The JSON Schema of annobib YAML files, generated from the model, for editors.

Editors (VS Code's YAML extension, JetBrains IDEs) use it to complete and check files as they
are typed. Short forms (``author: "Tomberg, I. R."``, ``title: "..."``, ``issued: "2022"``) are
part of the schema, as the loader accepts them. ``docs/annobib.schema.json`` is generated with
``python -m annobib.model.schema``; a test keeps it in sync.
"""

from __future__ import annotations

import json
from typing import Any

from annobib.model.library import Document
from annobib.model.record import KEY_RE, NAME_ROLES

#: A name for the schema, not a place to fetch it from: the project has no public host for it.
#: Editors are pointed at the file itself (docs/editors.md: a path, or the copy that
#: ``annobib schema`` writes); the ``$id`` only has to be stable and unique.
SCHEMA_ID = "urn:annobib:schema:file-format:1"

# The loader keeps every plain scalar's text (sources/located.py: ``volume: 9`` is "9", ``no``
# is "no"); editors read YAML 1.2, where ``9`` is a number and ``true`` a boolean. So a text
# field also takes a number or a boolean, an integer field the digits as text, a boolean field
# the words pydantic reads as one; see _scalars.
_ANY_SCALAR = ["string", "number", "boolean"]
_BOOL_WORDS = ["true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "on", "off",
               "1", "0", "t", "f", "y", "n"]

_SHORT_FORMS: dict[str, dict[str, Any]] = {
    # the short forms hold ``text``, which must not be empty (as the long form's minLength says)
    "LangText": {"type": "string", "minLength": 1, "description": "Short form: the text alone."},
    "MultiText": {
        "type": "string",
        "minLength": 1,
        "description": "Short form: the text as printed, alone.",
    },
    "Person": {
        "type": "string",
        "description": 'Short form: "Family, Given" or "Family, I. R."; "{Organisation}" for a '
        "literal name.",
    },
    "Locator": {"type": "string", "description": 'Short form: a page, e.g. "160" or "340-347".'},
}

_POINT = (
    r"(Y-?\d{5,}|-?[\dX]{4})(-([\dX]{2})(-([\dX]{2})"
    r"(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)?)?[?~%]?"
)
_DATE = {
    "type": "string",
    "pattern": rf"^({_POINT}|{_POINT}/({_POINT}|\.\.)?|(\.\.)?/{_POINT})$",
    "description": "An EDTF level 0/1 date or interval: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-21..24 "
    "for spring..winter, a time (THH:MM:SSZ), ? uncertain, ~ approximate, % both, X for an "
    "unspecified digit, -YYYY before year 1, Y12345 beyond 9999, A/B, A/.., ../B.",
    "examples": ["2022", "2022-05", "2022-05-14", "1999-23", "1984~", "2004-06/2006-08"],
}


def _scalars(node: Any) -> Any:
    """Every scalar type as the loader judges it (see ``_ANY_SCALAR``)."""
    if isinstance(node, list):
        return [_scalars(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _scalars(v) for k, v in node.items()}
    t = out.get("type")
    constrained = any(k in out for k in ("pattern", "enum", "const", "format"))
    if t == "string" and not constrained:
        out["type"] = _ANY_SCALAR
    elif t == "string" and out.get("pattern") == KEY_RE.pattern:
        # a key written as a bare number (``key: 2022``, ``key: true``) is its text
        rest = {k: v for k, v in out.items() if k not in ("type", "pattern", "minLength",
                                                          "maxLength")}
        text = {k: out[k] for k in ("type", "pattern", "minLength", "maxLength") if k in out}
        out = {**rest, "anyOf": [text, {"type": "number"}, {"type": "boolean"}]}
    elif t == "integer" and "const" in out:
        out = {**out, "type": ["integer", "string"], "enum": [out["const"], str(out["const"])]}
        del out["const"]
    elif t == "integer":
        rest = {k: v for k, v in out.items() if k not in ("type", "minimum")}
        number = {k: out[k] for k in ("type", "minimum") if k in out}
        out = {**rest, "anyOf": [number, {"type": "string", "pattern": "^[0-9]+$"}]}
    elif t == "boolean":
        rest = {k: v for k, v in out.items() if k != "type"}
        out = {**rest, "anyOf": [{"type": "boolean"}, {"enum": _BOOL_WORDS}]}
    return out


def build_schema() -> dict[str, Any]:
    schema = Document.model_json_schema(by_alias=True)
    defs: dict[str, Any] = schema["$defs"]
    for name, short in _SHORT_FORMS.items():
        full = defs[name]
        defs[name] = {
            "description": full.pop("description", ""),
            "anyOf": [short, full],
        }
    # one person or one keyword may be written without the list brackets
    work_props = defs["Work"]["properties"]
    for name in (*(r.replace("_", "-") for r in NAME_ROLES), "isbn", "issn", "keywords", "xdata",
                 "entryset"):
        listed = work_props[name]
        work_props[name] = {
            "anyOf": [listed["items"], {k: v for k, v in listed.items() if k != "default"}],
            "default": listed.get("default", []),
            **({"title": listed["title"]} if "title" in listed else {}),
        }
    schema = _scalars(schema)
    schema["$defs"]["PartialDate"] = {
        "description": _DATE["description"],
        "examples": _DATE["examples"],
        # a year written bare (``issued: 2022``) is a number to an editor
        "anyOf": [{k: v for k, v in _DATE.items() if k in ("type", "pattern")},
                  {"type": "integer", "minimum": 1000, "maximum": 9999}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "annobib YAML file (format version 1)",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(schema_text())
