"""A stand-in for Crossref's REST API on 127.0.0.1, serving recorded responses only.

Every body it sends is a recorded Crossref body from ``tests/fixtures/crossref/`` (copied from
the project's shared recordings, see the README there), or is derived from one in a way stated
here:

- ``/works?filter=doi:A,doi:B`` has no public recording. Its answer is the envelope of the
  recorded list response ``list_filter_prefix-type_polite-array.json`` (status, message-type,
  facets, query) with ``items`` replaced by the recorded single-record messages of the DOIs
  asked for, ``total-results`` and ``items-per-page`` set to match. Crossref documents that a
  ``doi`` filter returns the same work records as ``/works/{doi}``.
- A test may register a *derived* body with :meth:`StandIn.add_work`: a recorded message with
  a field changed, which the test names.
- Fault injection: "invalid JSON" sends the first half of the recorded body with a correct
  Content-Length; "truncate" announces the full length and stops half-way; 429 and 503
  answers carry no body (none is recorded); 500 sends the recorded 500 body.
- Faults of a misbehaving service or of something that is not Crossref (issue #13), each
  done to the real answer the request would have had:
  "relabel" sends it with the content type of the recorded doi.org HTML page;
  "html-404" answers with the recorded doi.org HTML 404 page (status, headers, body), as a
  proxy or another server would; "other-record" answers with the recorded response of
  ``Fault.doi`` (another DOI's real record); "swap-doi" sets the ``DOI`` field of the real
  body to ``Fault.doi``; "redirect" answers with the recorded 301's headers and ``Location``
  set to ``Fault.location``; "pad" appends ``Fault.size`` bytes of JSON whitespace (still
  valid JSON) with a correct Content-Length; "endless" appends whitespace without a
  Content-Length (chunked) until ``Fault.size`` bytes or the client hangs up; "drip" sends
  the whole answer, status line and headers included, one byte every ``Fault.seconds``
  after the first ``Fault.size`` bytes; "deep-nest" wraps the real body in ``Fault.size``
  JSON arrays; "gzip" sends the real answer with ``Fault.size`` bytes of JSON whitespace
  appended (still valid JSON), gzip-compressed, with ``Content-Encoding: gzip`` and the
  compressed length (``size`` 0: the answer as Crossref sends it compressed; a large ``size``:
  a decompression bomb, 64 MiB of it in about 64 kB). Bytes actually sent per request are kept
  in :attr:`StandIn.sent`.
- A path that is not an API route (``/works...``) gets the recorded doi.org HTML 404, as a
  wrong ``--api-url`` path would.

Routing is by path and query. Rate limits are enforced per route class (single-record vs list
queries) over a sliding one-second window, and concurrency over requests in flight; a request
over either limit gets 429, like Crossref. Recorded ``x-rate-limit-*`` headers are replaced by the
limits this server enforces.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crossref"

_HOP_HEADERS = {"content-length", "connection", "keep-alive", "transfer-encoding", "date"}
_DROP_HEADERS = _HOP_HEADERS | {
    "x-rate-limit-limit",
    "x-rate-limit-interval",
    "x-concurrency-limit",
    "x-ratelimit-limit",
    "x-ratelimit-interval",
}


def load_recording(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def recorded_message(name: str) -> dict[str, Any]:
    """The work message of a recorded ``/works/{doi}`` response (a deep copy)."""
    body = load_recording(name)["response"]["body"]
    return copy.deepcopy(body["message"])


def recorded_list_item(name: str, doi: str) -> dict[str, Any]:
    """One item of a recorded list response, by DOI (a deep copy)."""
    for item in load_recording(name)["response"]["body"]["message"]["items"]:
        if item.get("DOI", "").lower() == doi.lower():
            return copy.deepcopy(item)
    raise KeyError(doi)


def _path_doi(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return path.removeprefix("/works/").lower()


@dataclass
class Recorded:
    """What the stand-in can answer, from the fixture files."""

    works: dict[str, dict[str, Any]] = field(default_factory=dict)  # doi -> recorded response
    agency: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_found: dict[str, Any] = field(default_factory=dict)
    agency_not_found: dict[str, Any] = field(default_factory=dict)
    server_error: dict[str, Any] = field(default_factory=dict)
    list_envelope: dict[str, Any] = field(default_factory=dict)
    list_headers: dict[str, str] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    search_empty: dict[str, Any] = field(default_factory=dict)
    html_404: dict[str, Any] = field(default_factory=dict)
    redirect: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Recorded:
        rec = cls()
        for path in sorted(FIXTURES.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            name = path.name
            response = data["response"]
            if name.startswith(("work_", "body-only_work_", "redirect_301_")):
                rec.works[_path_doi(data["request"]["url"])] = response
            elif name.startswith("agency_"):
                rec.agency[_path_doi(data["request"]["url"]).removesuffix("/agency")] = response
        rec.not_found = load_recording("error_404_works_10.1371-notarealdoi_public2026.json")[
            "response"
        ]
        rec.agency_not_found = load_recording("error_404_agency_5.json")["response"]
        rec.server_error = load_recording("error_500_cursor_exception.json")["response"]
        lst = load_recording("list_filter_prefix-type_polite-array.json")["response"]
        rec.list_envelope = lst["body"]
        rec.list_headers = lst["headers"]
        rec.search = load_recording("search_query.bibliographic_fish_journal-scoped_scores.json")[
            "response"
        ]
        rec.search_empty = load_recording("search_zero_results_adfaaf.json")["response"]
        rec.html_404 = load_recording("cn_doi.org_404_10.1126-foo.json")["response"]
        rec.redirect = load_recording("redirect_301_10.26434-chemrxiv.5406907.json")["response"]
        return rec

    def found_dois(self) -> list[str]:
        return [d for d, r in self.works.items() if r["status"] == 200]


@functools.cache
def _recorded() -> Recorded:
    return Recorded.load()  # shared and never modified: derived bodies go to StandIn.extra


@dataclass
class Fault:
    """An injected fault: ``kind`` on requests of ``route`` (any, single, list, agency, search),
    ``times`` times (None: every time)."""

    kind: str  # 500, 503, 429, slow, drop, truncate, invalid-json, relabel, html-404,
    # other-record, swap-doi, redirect, pad, endless, drip, deep-nest, gzip (module doc)
    route: str = "any"
    times: int | None = None
    seconds: float = 0.0  # for "slow" and "drip"
    retry_after: str | None = None  # for 429/503
    doi: str | None = None  # for "other-record" and "swap-doi"
    location: str | None = None  # for "redirect"
    size: int = 0  # for "pad", "endless", "drip", "deep-nest", "gzip"


@dataclass
class Limits:
    single: float
    lists: float
    concurrency: int


POLITE = Limits(10, 3, 3)
PUBLIC = Limits(5, 1, 1)


@dataclass
class LogEntry:
    t: float
    route: str
    path: str
    status: int


class StandIn:
    """The server, its state and its controls. Use :func:`running` or the ``standin`` fixture."""

    def __init__(self, limits: Limits | None = POLITE, window: float = 1.0,
                 announce: bool = True) -> None:
        self.recorded = _recorded()
        self.limits = limits
        self.announce = announce  # send x-rate-limit-* headers, as Crossref does
        self.window = window
        self.extra: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        self.log: list[LogEntry] = []
        self._arrivals: dict[str, deque[float]] = {"single": deque(), "list": deque()}
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._list_cache: dict[str, bytes] = {}
        self._pool: list[dict[str, Any]] | None = None
        self.sent: list[int] = []  # body bytes sent, per answer with a body fault
        # query.bibliographic answered from the recorded records (see search_body); off: the
        # recorded "fish" search answers every query, as before
        self.search_works = False
        self.search_hidden: set[str] = set()  # DOIs the search must not return

    # --- controls -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an AF_INET server's address
        return f"http://{host}:{port}"

    def add_work(self, doi: str, message: dict[str, Any]) -> None:
        """Serve ``message`` (derived from a recorded one by the caller) for ``doi``."""
        self.extra[doi.lower()] = message

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def count(self, status: int | None = None, route: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for e in self.log
                if (status is None or e.status == status) and (route is None or e.route == route)
            )

    def bytes_sent(self, timeout: float = 10.0) -> int:
        """The most body bytes one streamed answer sent, once its handler has finished
        (the client may have hung up before the server noticed)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if self.sent and self._in_flight == 0:
                    return max(self.sent)
            time.sleep(0.02)
        raise AssertionError("no streamed answer finished")

    def message_for(self, doi: str) -> dict[str, Any] | None:
        doi = doi.lower()
        if doi in self.extra:
            return self.extra[doi]
        rec = self.recorded.works.get(doi)
        if rec is not None and rec["status"] == 200:
            message: dict[str, Any] = rec["body"]["message"]
            return message
        return None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> StandIn:
        handler = type("Handler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- request handling helpers -------------------------------------------------------

    def _admit(self, route: str) -> bool:
        """Count the request against the limits; False means answer 429."""
        now = time.monotonic()
        with self._lock:
            if self.limits is None:
                self._in_flight += 1
                return True
            if self._in_flight >= self.limits.concurrency:
                return False
            cls = "list" if route in ("list", "search") else "single"
            rate = self.limits.lists if cls == "list" else self.limits.single
            q = self._arrivals[cls]
            while q and now - q[0] >= self.window:
                q.popleft()
            if len(q) >= rate * self.window:
                return False
            q.append(now)
            self._in_flight += 1
            return True

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _fault_for(self, route: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.route in ("any", route) and (f.times is None or f.times > 0):
                    if f.times is not None:
                        f.times -= 1
                    return f
        return None

    def _record(self, route: str, path: str, status: int) -> None:
        with self._lock:
            self.log.append(LogEntry(time.monotonic(), route, path, status))

    def limit_headers(self, route: str) -> dict[str, str]:
        if self.limits is None or not self.announce:
            return {}
        rate = self.limits.lists if route in ("list", "search") else self.limits.single
        return {
            "x-rate-limit-limit": str(int(rate)),
            "x-rate-limit-interval": f"{self.window:g}s",
            "x-concurrency-limit": str(self.limits.concurrency),
        }

    def search_pool(self) -> list[dict[str, Any]]:
        """Every recorded work record (single records, and the items of the recorded lists and
        searches), one per DOI: what the bibliographic route searches in."""
        if self._pool is None:
            pool: dict[str, dict[str, Any]] = {}
            for doi in self.recorded.found_dois():
                msg = self.message_for(doi)
                if isinstance(msg, dict) and msg.get("DOI"):
                    pool.setdefault(str(msg["DOI"]).lower(), msg)
            for path in sorted(FIXTURES.glob("*.json")):
                if not path.name.startswith(("list_", "search_")):
                    continue
                body = json.loads(path.read_text(encoding="utf-8"))["response"]["body"]
                items = body.get("message", {}).get("items", []) if isinstance(body, dict) else []
                for it in items:
                    if isinstance(it, dict) and it.get("DOI"):
                        pool.setdefault(str(it["DOI"]).lower(), it)
            self._pool = list(pool.values())
        return self._pool

    def search_body(self, text: str, rows: int) -> bytes:
        """The recorded bibliographic search envelope with its items replaced by the recorded
        records that share the most words with the query (title, authors, container, year),
        best first: real records in a real envelope, nothing written by hand. A record's own
        ``score`` is left as recorded; the order is the stand-in's."""
        words = set(re.findall(r"\w{3,}", text.casefold()))
        ranked: list[tuple[float, int, dict[str, Any]]] = []
        for i, rec in enumerate(self.search_pool()):
            if str(rec.get("DOI", "")).lower() in self.search_hidden:
                continue
            parts = [*rec.get("title", []), *rec.get("container-title", []),
                     *rec.get("original-title", []), *rec.get("subtitle", [])]
            parts += [str(a.get("family", "")) for a in rec.get("author", [])
                      if isinstance(a, dict)]
            theirs = set(re.findall(r"\w{3,}", " ".join(str(p) for p in parts).casefold()))
            common = len(words & theirs)
            if common:
                ranked.append((common / (len(theirs) ** 0.5 or 1.0), -i, rec))
        ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
        items = [r[2] for r in ranked[:rows]]
        env = dict(self.recorded.search["body"])
        message = dict(env["message"])
        message["items"] = items
        message["total-results"] = len(ranked)
        message["items-per-page"] = rows
        env["message"] = message
        return json.dumps(env, ensure_ascii=False).encode("utf-8")

    def list_body(self, dois: list[str], rows: int) -> bytes:
        key = ",".join(dois) + f"|{rows}"
        cached = self._list_cache.get(key)
        if cached is not None:
            return cached
        items = []
        for doi in dois:
            msg = self.message_for(doi)
            if msg is not None:
                items.append(msg)
        items = items[:rows]
        env = dict(self.recorded.list_envelope)
        message = dict(env["message"])
        message["items"] = items
        message["total-results"] = len(items)
        message["items-per-page"] = rows
        env["message"] = message
        body = json.dumps(env, ensure_ascii=False).encode("utf-8")
        if len(self._list_cache) < 64:
            self._list_cache[key] = body
        return body


_BODY_FAULTS = {"relabel", "html-404", "other-record", "swap-doi", "redirect", "pad", "endless",
                "drip", "deep-nest", "gzip"}


def _without_type(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() != "content-type"}


class _Handler(BaseHTTPRequestHandler):
    standin: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _route(self) -> tuple[str, str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        if path.rstrip("/") == "/works":
            if "query.bibliographic" in query:
                return "search", path, query
            return "list", path, query
        if path.startswith("/works/") and path.endswith("/agency"):
            return "agency", path, query
        if path.startswith("/works/"):
            return "single", path, query
        return "other", path, query

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() not in _HOP_HEADERS:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _recorded(self, response: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
        body = response["body"]
        headers = {k: ", ".join(v) if isinstance(v, list) else v
                   for k, v in response["headers"].items() if k.lower() not in _DROP_HEADERS}
        if isinstance(body, (dict, list)):
            try:
                raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:  # a derived body with a lone surrogate: escape it
                raw = json.dumps(body).encode("ascii")
            if not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = "application/json"
        else:
            raw = str(body).encode("utf-8")
        return int(response["status"]), raw, headers

    def do_GET(self) -> None:
        s = self.standin
        route, path, query = self._route()
        if not s._admit(route):
            s._record(route, path, 429)
            self._send(429, b"", s.limit_headers(route))
            return
        try:
            fault = s._fault_for(route)
            status, body, headers = self._answer(route, path, query)
            headers.update(s.limit_headers(route))
            if fault is not None:
                if fault.kind == "slow":
                    time.sleep(fault.seconds)
                elif fault.kind in ("429", "503"):
                    extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    s._record(route, path, int(fault.kind))
                    self._send(int(fault.kind), b"", {**s.limit_headers(route), **extra})
                    return
                elif fault.kind == "500":
                    st, b, h = self._recorded(s.recorded.server_error)
                    s._record(route, path, st)
                    self._send(st, b, h)
                    return
                elif fault.kind == "drop":
                    s._record(route, path, 0)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                elif fault.kind == "truncate":
                    s._record(route, path, status)
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                elif fault.kind == "invalid-json" and "json" in str(
                    {k.lower(): v for k, v in headers.items()}.get("content-type", "")
                ):
                    body = body[: len(body) // 2]  # only JSON bodies; text 404s stay whole
                elif fault.kind in _BODY_FAULTS:
                    status, body, headers = self._alter(fault, status, body, headers)
                    if fault.kind in ("pad", "endless", "drip", "gzip"):
                        s._record(route, path, status)
                        self._stream(fault, status, body, headers)
                        return
            s._record(route, path, status)
            self._send(status, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            s._done()

    def _alter(self, fault: Fault, status: int, body: bytes, headers: dict[str, str]) -> (
        tuple[int, bytes, dict[str, str]]
    ):
        """What a body fault does to the real answer (status, body, headers)."""
        rec = self.standin.recorded
        if fault.kind == "relabel":
            html_type = rec.html_404["headers"]["content-type"]
            return status, body, {**_without_type(headers), "Content-Type": html_type}
        if fault.kind == "html-404":
            return self._recorded(rec.html_404)
        if fault.kind == "other-record":
            assert fault.doi is not None
            return self._recorded(rec.works[fault.doi.lower()])
        if fault.kind == "swap-doi":
            data = json.loads(body)
            data["message"]["DOI"] = fault.doi
            return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), headers
        if fault.kind == "redirect":
            assert fault.location is not None
            st, _, h = self._recorded(rec.redirect)
            h = {k: v for k, v in h.items() if k.lower() != "location"}
            return st, b"", {**h, "Location": fault.location}
        if fault.kind == "deep-nest":
            return status, b"[" * fault.size + body + b"]" * fault.size, headers
        if fault.kind == "gzip":
            packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
            parts = [packer.compress(body)]
            pad = b" " * (1 << 20)
            left = fault.size
            while left > 0:
                parts.append(packer.compress(pad[: min(left, len(pad))]))
                left -= len(pad)
            parts.append(packer.flush())
            return status, b"".join(parts), {**headers, "Content-Encoding": "gzip"}
        return status, body, headers  # pad, endless, drip: done while sending

    def _stream(self, fault: Fault, status: int, body: bytes, headers: dict[str, str]) -> None:
        """Send an answer whose size or pace is the fault; count the body bytes sent."""
        s = self.standin
        head = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}"]
        head += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in _HOP_HEADERS]
        if fault.kind == "pad":
            head.append(f"Content-Length: {len(body) + fault.size}")
        elif fault.kind == "gzip":
            head.append(f"Content-Length: {len(body)}")  # the compressed length
        elif fault.kind == "endless":
            head.append("Transfer-Encoding: chunked")
        else:
            head.append(f"Content-Length: {len(body)}")
        raw_head = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        sent = 0
        self.close_connection = True
        try:
            if fault.kind == "drip":
                raw = raw_head + body
                self.wfile.write(raw[: fault.size])
                for i in range(fault.size, len(raw)):
                    time.sleep(fault.seconds)
                    self.wfile.write(raw[i : i + 1])
                    sent += 1
                return
            self.wfile.write(raw_head)
            if fault.kind == "gzip":
                self.wfile.write(body)
                sent = len(body)
                return
            chunk = b" " * 65536
            if fault.kind == "pad":
                self.wfile.write(body)
                sent = len(body)
                left = fault.size
                while left > 0:
                    n = min(left, len(chunk))
                    self.wfile.write(chunk[:n])
                    sent += n
                    left -= n
                return
            piece = body
            while sent < fault.size or fault.size == 0:
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                sent += len(piece)
                piece = chunk
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up: what it did is the point of the test
        finally:
            with s._lock:
                s.sent.append(sent)

    def _answer(
        self, route: str, path: str, query: dict[str, list[str]]
    ) -> tuple[int, bytes, dict[str, str]]:
        s = self.standin
        rec = s.recorded
        if route == "other":
            return self._recorded(rec.html_404)
        if route == "search":
            text = " ".join(query.get("query.bibliographic", []))
            if s.search_works and "adfaaf" not in text:
                rows = int(query.get("rows", ["20"])[0])
                headers = {"Content-Type": "application/json"}
                return 200, s.search_body(text, rows), headers
            response = rec.search_empty if "adfaaf" in text else rec.search
            return self._recorded(response)
        if route == "list":
            filters = ",".join(query.get("filter", []))
            dois = [f[4:].lower() for f in filters.split(",") if f.startswith("doi:")]
            rows = int(query.get("rows", ["20"])[0])
            headers = {"Content-Type": "application/json"}
            return 200, s.list_body(dois, rows), headers
        if route == "agency":
            doi = path.removeprefix("/works/").removesuffix("/agency").lower()
            if doi in rec.agency:
                return self._recorded(rec.agency[doi])
            return self._recorded(rec.agency_not_found)
        doi = path.removeprefix("/works/").lower()
        if doi in s.extra:
            env = copy.copy(rec.works.get(doi) or rec.works["10.1038/srep16696"])
            body = dict(env["body"])
            body["message"] = s.extra[doi]
            return self._recorded({"status": 200, "headers": env["headers"], "body": body})
        if doi in rec.works:
            return self._recorded(rec.works[doi])
        return self._recorded(rec.not_found)


def running(limits: Limits | None = POLITE, window: float = 1.0,
            announce: bool = True) -> StandIn:
    return StandIn(limits, window, announce).start()


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A stand-in Crossref enforcing the polite-pool limits."""
    server = running(POLITE)
    try:
        yield server
    finally:
        server.stop()


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
