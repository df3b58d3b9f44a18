"""What counts as an answer of Crossref's REST API, and as a work record in it. Pure; no I/O.

The online client (:mod:`annobib.services.crossref`) and the replay of stored evidence
(:mod:`annobib.services.evidence`) apply the same rules, so ``--offline`` can never accept
what a network run refused:

- a record is an answer with status 200 and Crossref's JSON content type
  (``application/json``, with or without parameters), at most :data:`MAX_ANSWER_BYTES`
  long, nested at most :data:`MAX_DEPTH` deep, without lone surrogates (``\\ud800``) in any
  string, whose fields have the types Crossref gives them (:func:`record_problem`);
- "not found" is only Crossref's own not-found answer: status 404 with the body
  ``Resource not found.`` labelled ``text/plain`` or ``application/json`` (both are recorded);
  an HTML error page from a proxy or from a wrong ``--api-url`` path is not;
- another DOI's record is accepted only where Crossref's own API documents an alias: its
  redirect from ``/works/{doi}`` to ``/works/{alias}`` on the same host (a 301 is recorded).
"""

from __future__ import annotations

import json
import re
import zlib
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_ANSWER_BYTES = 8 * 1024 * 1024
"""The largest answer read (8 MiB). A full work record with a long reference list is some
tens of kB; a list query of 50 records rarely passes 1 MiB. Larger answers are not read to
the end (the work is unchecked); a batch over the cap falls back to single lookups."""

ACCEPT_ENCODING = "gzip, deflate"
"""The content codings the client asks for: those :class:`CappedBody` decodes (and identity)."""

MAX_DEPTH = 32
"""The deepest nesting of arrays and objects accepted in a record (real ones reach ~6)."""

NOT_FOUND_BODY = "Resource not found."
_JSON_TYPES = frozenset({"application/json"})
_NOT_FOUND_TYPES = frozenset({"text/plain", "application/json"})

_TEXT_LISTS = ("title", "subtitle", "original-title", "short-title", "container-title",
               "short-container-title")
_TEXTS = ("type", "volume", "issue", "page", "publisher", "article-number", "language")
_PEOPLE = ("author", "editor")
_PERSON_TEXTS = ("family", "given", "name", "suffix", "ORCID")
_DATES = ("issued", "published-print", "published-online", "published", "posted")
_OBJECT_LISTS = ("updated-by", "update-to", "reference")


def media_type(content_type: str | None) -> str:
    """``application/json;charset=utf-8`` -> ``application/json``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_type(content_type: str | None) -> bool:
    return media_type(content_type) in _JSON_TYPES


def is_crossref_not_found(body: Any, content_type: str | None) -> bool:
    """Crossref's own 404 for an unknown DOI (``content_type`` None: not stored, old evidence)."""
    if content_type is not None and media_type(content_type) not in _NOT_FOUND_TYPES:
        return False
    return isinstance(body, str) and body.strip() == NOT_FOUND_BODY


def describe_answer(content_type: str | None, size: int) -> str:
    return f"{media_type(content_type) or 'no content type'}, {size} bytes"


_PIECE = 256 * 1024  # decoded at a time: zlib holds up to twice a piece while building one
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class UnreadEncoding(ValueError):
    """An answer in a content coding the client did not ask for and does not decode."""


class CappedBody:
    """An answer's body as it is received, decoded (gzip, deflate) and held to ``cap`` bytes.

    What arrives and what it expands to both count against the cap: decompression is asked
    for at most one byte more than the cap holds, so a small compressed body that expands
    to gigabytes (a decompression bomb) stops at ``cap + 1`` decoded bytes, never more.
    :meth:`feed` returns False once the body is over the cap (the caller stops reading);
    a corrupt or unfinished compressed body is a ``ValueError``. Pure: the caller reads.
    """

    def __init__(self, content_encoding: str | None, cap: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in _WBITS):
            raise UnreadEncoding(f"encoded as {content_encoding!r}, not one of the codings "
                                 f"asked for ({ACCEPT_ENCODING})")
        self.cap = cap
        self.received = 0  # bytes as they arrived
        self.size = 0  # bytes decoded
        self._coding = codings[0] if codings else None
        self._z = zlib.decompressobj(_WBITS[self._coding]) if self._coding else None
        self._started = False
        self._parts: list[bytes] = []

    def _keep(self, data: bytes) -> bool:
        self.size += len(data)
        if self.size > self.cap:
            return False
        self._parts.append(data)
        return True

    def feed(self, raw: bytes) -> bool:
        """Take the next bytes received; False once the body is over the cap."""
        self.received += len(raw)
        if self.received > self.cap:
            return False
        if self._z is None:
            return self._keep(raw)
        data = raw
        while data:
            try:
                out = self._z.decompress(data, min(self.cap - self.size + 1, _PIECE))
            except zlib.error as exc:
                if self._coding == "deflate" and not self._started:
                    # "deflate" sent without its zlib header, as some servers do
                    self._started = True
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise ValueError(f"a corrupt {self._coding} body ({exc})") from None
            self._started = True
            if not self._keep(out):
                return False
            if self._z.eof:
                data = self._z.unused_data
                if data:  # another gzip member follows
                    self._z = zlib.decompressobj(_WBITS[self._coding or "gzip"])
            else:
                data = self._z.unconsumed_tail
        return True

    def finish(self) -> bytes:
        """The decoded body, once everything has been received."""
        if self._z is not None and not self._z.eof:
            raise ValueError(f"the {self._coding} body ends before its end")
        return b"".join(self._parts)


def depth_problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Nested deeper than ``max_depth`` (iterative: no recursion limit)."""
    level: list[Any] = [value]
    for depth in range(max_depth + 1):
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                below.extend(v for v in item if isinstance(v, dict | list))
        if not below:
            return None
        if depth == max_depth - 1:
            return f"nested deeper than {max_depth} levels"
        level = below
    return None


_LONE_ESCAPE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def lone_surrogate_in(raw: bytes) -> bool:
    """Whether JSON text escapes a lone surrogate (``\\ud800``); raw UTF-8 cannot hold one."""
    return (b"\\ud" in raw or b"\\uD" in raw) and _LONE_ESCAPE.search(raw) is not None


def text_problem(value: Any) -> str | None:
    """A lone surrogate in a string or key of a parsed value (for values of unknown origin)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE_PROBLEM
    except (ValueError, RecursionError):
        return f"nested deeper than {MAX_DEPTH} levels"
    return None


SURROGATE_PROBLEM = "a string holds a lone surrogate (not Unicode text)"


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _date_problem(value: Any) -> bool:
    if not isinstance(value, dict):
        return True
    parts = value.get("date-parts")
    if parts is None:
        return False
    return not (isinstance(parts, list) and all(
        isinstance(p, list) and all(x is None or isinstance(x, int | str) for x in p)
        for p in parts))


def record_problem(record: Any) -> str | None:
    """Why ``record`` is not a well-formed Crossref work record, or None.

    Fields may be absent; present ones must have Crossref's types (``title`` a list of
    strings, ``author`` a list of objects, ``issued`` an object with ``date-parts``...).
    The depth of an answer is checked once, when it arrives (:func:`depth_problem`): what
    is compared here is typed, so a deep value elsewhere in stored evidence is inert.
    """
    if not isinstance(record, dict):
        return "the message is not an object"
    doi = record.get("DOI")
    if not isinstance(doi, str) or not doi.strip():
        return "the record has no DOI"
    for name in _TEXT_LISTS:
        if name in record and not _is_text_list(record[name]):
            return f"'{name}' is {_kind(record[name])}, not a list of strings"
    for name in _TEXTS:
        if name in record and not isinstance(record[name], str):
            return f"'{name}' is {_kind(record[name])}, not a string"
    for name in _PEOPLE:
        people = record.get(name)
        if people is None:
            continue
        if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
            return f"'{name}' is {_kind(people)}, not a list of objects"
        for i, person in enumerate(people):
            for part in _PERSON_TEXTS:
                if part in person and not isinstance(person[part], str):
                    return f"'{name}[{i}].{part}' is {_kind(person[part])}, not a string"
    for name in _DATES:
        if name in record and _date_problem(record[name]):
            return f"'{name}' is not a date (an object with date-parts)"
    for name in _OBJECT_LISTS:
        value = record.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, dict) for v in value)
        ):
            return f"'{name}' is {_kind(value)}, not a list of objects"
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list of other things"
    return "an object"


def origin(url: str) -> tuple[str, str]:
    """(scheme, host:port) of ``url``, without credentials; ("", "") when unparsable."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", ""
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    return scheme, f"{host}:{port if port is not None else default}"


def _works_path_doi(url: str) -> str | None:
    path = unquote(urlsplit(url).path)
    i = path.find("/works/")
    return path[i + len("/works/"):].lower() if i >= 0 else None


def documented_alias(doi: str, their_doi: str, url: str, redirected_from: str | None) -> bool:
    """True when the API redirected ``/works/{doi}`` to ``/works/{their_doi}`` on its own host."""
    if redirected_from is None or origin(url) != origin(redirected_from) or not origin(url)[0]:
        return False
    return (_works_path_doi(redirected_from) == doi.lower()
            and _works_path_doi(url) == their_doi.lower())


def redact_url(url: str) -> str:
    """``url`` without ``user:password@``: credentials are sent, never shown or stored."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
