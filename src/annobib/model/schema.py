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
from annobib.model.record import NAME_ROLES

SCHEMA_ID = "https://annobib.invalid/schema/annobib-1.schema.json"

_SHORT_FORMS: dict[str, dict[str, Any]] = {
    "LangText": {"type": "string", "description": "Short form: the text alone."},
    "MultiText": {"type": "string", "description": "Short form: the text as printed, alone."},
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


def build_schema() -> dict[str, Any]:
    schema = Document.model_json_schema(by_alias=True)
    defs: dict[str, Any] = schema["$defs"]
    for name, short in _SHORT_FORMS.items():
        full = defs[name]
        defs[name] = {
            "description": full.pop("description", ""),
            "anyOf": [short, full],
        }
    defs["PartialDate"] = _DATE
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
