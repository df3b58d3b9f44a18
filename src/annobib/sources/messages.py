"""Pydantic's error messages in annobib's words.

Pydantic writes for programmers (``String should match pattern '^[A-Za-z0-9]...'``,
``Value error, not a DOI``, ``Input should be a valid string``); a finding speaks to the person
who wrote the file. Every reader that turns a validation error into a finding goes through
:func:`plain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annobib.model.record import KEY_RE

_PREFIXES = ("Value error, ", "Assertion failed, ")
_BY_TYPE = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "string_too_short": "must not be empty",
    "missing": "missing",
}
KEY_RULE = "a key starts with a letter or digit, then letters, digits, '_', ':', '.' or '-'"


def plain(err: Mapping[str, Any]) -> str:
    """The message of one pydantic error (an item of ``ValidationError.errors()``)."""
    etype = str(err.get("type", ""))
    msg = str(err.get("msg", "invalid value"))
    ctx = err.get("ctx") or {}
    if etype == "string_pattern_mismatch":
        if ctx.get("pattern") == KEY_RE.pattern:
            return f"not a valid key: {KEY_RULE}"
        return "does not have the expected form"
    if etype == "string_too_long":
        return f"longer than {ctx.get('max_length', 'the limit')} characters"
    if etype == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    if etype == "literal_error":
        return f"expected {ctx.get('expected', 'another value')}"
    if etype in _BY_TYPE:
        return _BY_TYPE[etype]
    for prefix in _PREFIXES:
        if msg.startswith(prefix):
            return msg[len(prefix):]
    if msg.startswith("Input should be "):
        return "expected " + msg[len("Input should be "):]
    return msg
