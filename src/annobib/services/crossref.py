"""Crossref's REST API, asked like a good citizen. The one module that imports habanero.

habanero 2.9.2 builds what Crossref expects: the polite-pool User-Agent carrying ``mailto``
(:func:`habanero.habanero_utils.make_ua`), the ``filter=doi:A,doi:B`` syntax
(:func:`habanero.filterhandler.filter_handler`) and the field-query names it validates.
The HTTP exchange itself goes through one pooled client of httpx2, habanero's own HTTP
library, because habanero sends each call with a bare ``httpx2.get`` without retries,
throttling or access to the raw body and headers, and those are what a verdict and its
evidence need (status, ``Retry-After``, ``x-rate-limit-*``, the body bytes and their hash).

What this client guarantees:

- a client-side rate limiter for the documented limits (public pool 5/s single-record,
  1/s list queries, 1 in flight; polite pool, with ``mailto``, 10/s, 3/s, 3 in flight);
  ``x-rate-limit-*`` and ``x-concurrency-limit`` headers can lower these, never raise them;
- exponential backoff with jitter on 429, 5xx, timeouts, dropped connections and broken
  bodies, honouring ``Retry-After``; a bounded time for the whole run; after repeated
  failures the service is treated as down and every remaining DOI is :class:`Unavailable`;
- DOIs are looked up in batches (``filter=doi:A,doi:B,...``, one list query for up to 50);
  DOIs a batch did not return are asked singly, and a 404 is followed by ``/works/{doi}/agency``
  so that "not registered anywhere" and "registered with DataCite" stay apart;
- every answer used for a verdict is written to the evidence store before the next step.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

import httpcore2
import httpx2
from habanero.field_queries import validate_field_queries
from habanero.filterhandler import filter_handler
from habanero.habanero_utils import make_ua

from annobib import __version__
from annobib.services.answers import (
    ACCEPT_ENCODING,
    MAX_ANSWER_BYTES,
    MAX_DEPTH,
    CappedBody,
    depth_problem,
    describe_answer,
    is_crossref_not_found,
    is_json_type,
    lone_surrogate_in,
    media_type,
    origin,
    redact_url,
)
from annobib.services.base import (
    Agreement,
    Exchange,
    Found,
    Lookup,
    Progress,
    Search,
    SearchUnavailable,
    ServiceStats,
    Unavailable,
    lookups_only,
)
from annobib.services.evidence import (
    NOT_CROSSREFS_404,
    EvidenceStore,
    lookup_from_exchanges,
    search_from_exchanges,
    search_key,
    verdict_name,
)

if TYPE_CHECKING:
    from annobib.model import Work

__all__ = ["MAX_ANSWER_BYTES", "CrossrefService", "check_api_url"]

DEFAULT_API_URL = "https://api.crossref.org"
ENV_API_URL = "ANNOBIB_CROSSREF_URL"
ENV_MAILTO = "ANNOBIB_MAILTO"


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """Requests per second for single-record and list routes, and requests in flight."""

    single: float
    lists: float
    concurrency: int


PUBLIC_POOL = PoolLimits(single=5.0, lists=1.0, concurrency=1)
POLITE_POOL = PoolLimits(single=10.0, lists=3.0, concurrency=3)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try. Times in seconds.

    ``attempts`` per request (``connect_attempts`` when the connection itself is refused or
    the host is unknown, which rarely heals within seconds); backoff ``base * 2**n`` capped
    at ``cap``, half of it random (jitter); ``timeout`` per request; ``max_time`` for the
    whole run; after ``breaker`` requests in a row failed for good, the service is down.
    """

    attempts: int = 4
    connect_attempts: int = 2
    base: float = 1.0
    cap: float = 30.0
    timeout: float = 20.0
    max_time: float = 300.0
    breaker: int = 3


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    url: str
    content: bytes
    data: Any  # parsed JSON, or the text when the body is not JSON
    redirected_from: str | None
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: str
    code: str = "A330"  # the finding code of the Unavailable it becomes


class _Refused(Exception):
    """An answer that is not worth a retry (not Crossref's, malformed, too large)."""

    def __init__(self, reason: str, code: str = "A330") -> None:
        super().__init__(reason)
        self.failure = _Failure(reason, code)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_body(content: bytes) -> tuple[Any, bool]:
    """(value, is_json): parsed JSON, or the decoded text. Raises :class:`_Refused` for JSON
    nested too deep for the parser or escaping a lone surrogate."""
    if lone_surrogate_in(content):
        raise _Refused("Crossref's answer holds a lone surrogate (not Unicode text)", "A332")
    try:
        return json.loads(content), True
    except RecursionError:
        raise _Refused("Crossref's answer is nested too deep to read", "A332") from None
    except ValueError:
        return content.decode("utf-8", errors="replace"), False


def check_api_url(url: str) -> str:
    """``url`` as a Crossref API base URL, or ValueError saying why not (never echoing
    credentials): an http(s) URL with a host, parsable as a whole."""
    shown = redact_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a bad port or IPv6 literal
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc}): {shown}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"not an http:// or https:// URL: {shown}")
    if not parts.hostname:
        raise ValueError(f"no host in the URL: {shown}")
    try:
        httpx2.URL(url)
    except (httpx2.InvalidURL, ValueError, TypeError) as exc:
        raise ValueError(f"not a valid URL ({exc}): {shown}") from None
    return url


_deadline = threading.local()


class _DeadlineStream(httpcore2.NetworkStream):
    """A connection whose every read and write ends by the deadline of the request the
    calling thread is making: so a server that sends one byte at a time cannot keep a
    request alive past ``--timeout``, headers included (httpx's own timeouts are per read)."""

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self._inner = inner

    @staticmethod
    def _left(timeout: float | None, exc: type[Exception]) -> float | None:
        at: float | None = getattr(_deadline, "at", None)
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise exc("the deadline of the request has passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore2.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(
            ssl_context, server_hostname, self._left(timeout, httpcore2.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore2.NetworkStream:
        timeout = _DeadlineStream._left(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address,
                                                       socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore2.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _install_deadlines(client: httpx2.Client) -> bool:
    """Wrap the network backend of every transport of ``client`` (the direct one and those
    for proxies from the environment). False if httpx2's layout is not the expected one:
    the body is still bounded by the clock, only a dripping header would not be."""
    transports = [getattr(client, "_transport", None),
                  *getattr(client, "_mounts", {}).values()]
    done = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
            done = True
    return done


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _interval_seconds(value: str | None) -> float | None:
    if not value:
        return None
    v = value.strip().lower()
    factor = 1.0
    if v.endswith("ms"):
        v, factor = v[:-2], 0.001
    elif v.endswith("s"):
        v = v[:-1]
    elif v.endswith("m"):
        v, factor = v[:-1], 60.0
    try:
        return float(v) * factor
    except ValueError:
        return None


class _Pacer:
    """Spaces sends of one route class evenly: at most ``rate`` per second, with a margin."""

    def __init__(self, rate: float, clock: Callable[[], float], sleep: Callable[[float], None],
                 margin: float = 1.1) -> None:
        self.margin = margin
        self.interval = margin / rate
        self._ceiling = max(8 * self.interval, 1.0)  # slowing down after 429s stops here
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def wait(self, deadline: float) -> bool:
        with self._lock:
            now = self._clock()
            at = max(now, self._next)
            if at > deadline:
                return False
            self._next = at + self.interval
        if at > now:
            self._sleep(at - now)
        return True

    def cap_rate(self, rate: float) -> None:
        if rate > 0:
            with self._lock:
                self.interval = max(self.interval, self.margin / rate)
            self._ceiling = max(self._ceiling, 8 * self.interval, 1.0)

    def slow_down(self, factor: float = 1.5) -> None:
        with self._lock:
            self.interval = min(self.interval * factor, self._ceiling)


class _Gate:
    """A semaphore whose size can shrink when Crossref announces a lower concurrency limit."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._used = 0
        self._cond = threading.Condition()

    def __enter__(self) -> None:
        with self._cond:
            while self._used >= self.size:
                self._cond.wait()
            self._used += 1

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._used -= 1
            self._cond.notify_all()

    def cap(self, size: int) -> None:
        with self._cond:
            if 1 <= size < self.size:
                self.size = size


def encode_doi_path(doi: str) -> str:
    """A DOI as one path segment: everything but unreserved characters percent-encoded.

    habanero puts DOIs into the path raw, which breaks on ``?``, ``#``, whitespace and SICI
    DOIs (``[``, ``;``); Crossref accepts the encoded form, ``/`` as ``%2F`` included.
    """
    return quote(doi, safe="")


class CrossrefService:
    """A :class:`~annobib.services.base.MetadataService` for Crossref."""

    name = "crossref"

    def __init__(
        self,
        *,
        api_url: str | None = None,
        mailto: str | None = None,
        store: EvidenceStore | None = None,
        refresh: bool = False,
        limits: PoolLimits | None = None,
        retry: RetryPolicy | None = None,
        batch_size: int = 50,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.base_url = check_api_url(
            api_url or os.environ.get(ENV_API_URL) or DEFAULT_API_URL).rstrip("/")
        self.shown_url = redact_url(self.base_url)  # for messages: no credentials
        self.max_bytes = max_bytes
        self.mailto = mailto or os.environ.get(ENV_MAILTO) or None
        self.limits = limits or (POLITE_POOL if self.mailto else PUBLIC_POOL)
        self.retry = retry or RetryPolicy()
        self.store = store
        self.refresh = refresh
        self.batch_size = max(1, batch_size)
        self.stats = ServiceStats()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._pacers = {
            "single": _Pacer(self.limits.single, clock, sleep),
            "list": _Pacer(self.limits.lists, clock, sleep),
        }
        self._gate = _Gate(self.limits.concurrency)
        self._lock = threading.Lock()
        self._consecutive_failures = 0
        self._down: str | None = None
        self._cancelled = False
        self._deadline = clock() + self.retry.max_time
        self._writer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="evidence")
        self._writes: list[Future[Any]] = []
        self._headers = {**make_ua(self.mailto, f"annobib/{__version__}"),
                         "Accept-Encoding": ACCEPT_ENCODING}
        self._client = httpx2.Client(
            follow_redirects=False,
            timeout=httpx2.Timeout(self.retry.timeout),
            limits=httpx2.Limits(max_connections=self.limits.concurrency),
            trust_env=True,
        )
        _install_deadlines(self._client)

    # --- plumbing -----------------------------------------------------------------------

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._client.close()

    def cancel(self) -> None:
        """Stop sending: every request not yet sent fails as Unavailable."""
        self._cancelled = True

    @property
    def down(self) -> str | None:
        """Why the service is considered down for the rest of the run, if it is."""
        return self._down

    @property
    def problems(self) -> Sequence[str]:
        """What the evidence store met (files it could not read or write), if there is one."""
        return self.store.problems if self.store is not None else ()

    @property
    def source(self) -> dict[str, Any] | None:
        """None: the API itself, as it answers now (each answer's time is in its evidence)."""
        return None

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        """None agreed: every record is compared by the check (see :func:`lookups_only`)."""
        return lookups_only(self, works, progress)

    def _backoff(self, attempt: int) -> float:
        d = min(self.retry.cap, self.retry.base * (2.0**attempt))
        return float(d / 2 + self._rng.uniform(0, d / 2))

    def _observe(self, kind: str, headers: httpx2.Headers) -> None:
        limit = headers.get("x-rate-limit-limit")
        interval = _interval_seconds(headers.get("x-rate-limit-interval")) or 1.0
        if limit and limit.strip().isdigit() and int(limit) > 0:
            self._pacers[kind].cap_rate(int(limit) / interval)
        conc = headers.get("x-concurrency-limit")
        if conc and conc.strip().isdigit():
            self._gate.cap(int(conc))

    def _settled(self, ok: bool, reason: str = "") -> None:
        with self._lock:
            if ok:
                self._consecutive_failures = 0
                return
            self._consecutive_failures += 1
            if self._consecutive_failures >= self.retry.breaker and self._down is None:
                self._down = reason

    def _count(self, kind: str) -> None:
        with self._lock:
            self.stats.requests += 1
            if kind == "list":
                self.stats.lists += 1
            elif kind == "search":
                self.stats.searches += 1
            elif kind == "agency":
                self.stats.agency += 1
            else:
                self.stats.single += 1

    def _request(self, kind: str, path: str, params: dict[str, str] | None = None) -> (
        _Answer | _Failure
    ):
        result = self._request_once_with_retries(kind, path, params)
        if isinstance(result, _Failure):
            self._settled(False, result.reason)
        else:
            self._settled(True)
        return result

    def _request_once_with_retries(
        self, kind: str, path: str, params: dict[str, str] | None
    ) -> _Answer | _Failure:
        pacer = self._pacers["list" if kind in ("list", "search") else "single"]
        url = self.base_url + path
        redirected_from: str | None = None
        reason = "no attempt made"
        attempt = 0
        redirects = 0
        while True:
            if self._cancelled:
                return _Failure("run interrupted")
            if self._down is not None:
                return _Failure(f"Crossref considered down for this run: {self._down}")
            if self._clock() >= self._deadline:
                return _Failure(f"time budget of {self.retry.max_time:g} s for the run used up")
            retry_after: float | None = None
            limit = self.retry.attempts
            with self._gate:
                if not pacer.wait(self._deadline):
                    return _Failure(
                        f"time budget of {self.retry.max_time:g} s for the run used up"
                    )
                self._count(kind)
                wait = max(0.1, min(self.retry.timeout, self._deadline - self._clock()))
                try:
                    got = self._fetch(url, params, wait)
                except _Refused as refused:
                    with self._lock:
                        self.stats.transport_errors += 1
                    return refused.failure
                except httpx2.TimeoutException:
                    got = None
                    reason = f"no answer within {wait:g} s"
                except httpx2.ConnectError as exc:
                    got = None
                    reason = f"cannot connect to {self.shown_url}: {self._shown(exc)}"
                    limit = self.retry.connect_attempts
                except httpx2.HTTPError as exc:  # dropped connection, truncated body, ...
                    got = None
                    reason = (f"broken exchange with {self.shown_url}: "
                              f"{self._shown(exc) or type(exc).__name__}")
            if got is None:
                with self._lock:
                    self.stats.transport_errors += 1
            else:
                response, content = got
                self._observe("list" if kind in ("list", "search") else "single", response.headers)
                status = response.status_code
                if status in (301, 302, 303, 307, 308) and "location" in response.headers:
                    redirects += 1
                    if redirects > 3:
                        return _Failure(f"too many redirects from {redact_url(url)}")
                    target = urljoin(str(response.url), response.headers["location"])
                    if origin(target) != origin(self.base_url):
                        return _Failure(
                            f"{self.shown_url} redirected the request to another host "
                            f"({redact_url(target)}); only the API's own redirects are "
                            "followed", "A333")
                    redirected_from = redirected_from or str(response.url)
                    url = target
                    params = None
                    continue
                if status == 429:
                    with self._lock:
                        self.stats.throttled += 1
                    pacer.slow_down()
                    reason = "Crossref is rate-limiting this client (HTTP 429)"
                    retry_after = _retry_after(response.headers.get("retry-after"), time.time())
                elif status >= 500:
                    with self._lock:
                        self.stats.server_errors += 1
                    reason = f"Crossref answered HTTP {status}"
                    retry_after = _retry_after(response.headers.get("retry-after"), time.time())
                else:
                    ctype = response.headers.get("content-type")
                    try:
                        answer = self._answer(status, response, content, ctype, redirected_from)
                    except _Refused as refused:
                        with self._lock:
                            self.stats.transport_errors += 1
                        return refused.failure
                    if answer is not None:
                        return answer
                    with self._lock:
                        self.stats.transport_errors += 1
                    reason = "Crossref answered 200 with a body that is not valid JSON"
            attempt += 1
            if attempt >= limit:
                return _Failure(f"{reason} (gave up after {attempt} attempts)")
            delay = retry_after if retry_after is not None else self._backoff(attempt - 1)
            if retry_after is not None and retry_after > self.retry.cap:
                return _Failure(f"{reason}; asked to retry after {retry_after:g} s")
            if self._clock() + delay >= self._deadline:
                return _Failure(f"{reason}; no time left to retry")
            with self._lock:
                self.stats.retries += 1
            self._sleep(delay)

    def _shown(self, exc: Exception) -> str:
        """An exception's text without the credentials of the base URL, if it has any."""
        text = str(exc)
        userinfo = urlsplit(self.base_url).netloc.rpartition("@")[0]
        return text.replace(userinfo, "***") if userinfo else text

    def _fetch(self, url: str, params: dict[str, str] | None, wait: float) -> (
        tuple[httpx2.Response, bytes]
    ):
        """One GET, the whole exchange within ``wait`` seconds and the body within
        ``max_bytes``, as received and as decoded (not read further: :class:`_Refused`)."""
        cap = self.max_bytes
        end = time.monotonic() + wait
        _deadline.at = end
        try:
            with self._client.stream("GET", url, params=params, headers=self._headers,
                                     timeout=httpx2.Timeout(wait)) as response:
                if response.status_code in (301, 302, 303, 307, 308):
                    return response, b""
                length = response.headers.get("content-length", "")
                if length.strip().isdigit() and int(length) > cap:
                    raise _Refused(f"Crossref's answer would be {int(length)} bytes, over the "
                                   f"cap of {cap / 2**20:g} MiB; not read", "A332")
                try:
                    body = CappedBody(response.headers.get("content-encoding"), cap)
                except ValueError as exc:
                    raise _Refused(f"Crossref's answer is {exc}; not read", "A332") from None
                try:
                    # decoded here, not by httpx2, so a compressed body stops at the cap
                    for chunk in response.iter_raw():
                        if not body.feed(chunk):
                            raise _Refused(f"Crossref's answer is over the cap of "
                                           f"{cap / 2**20:g} MiB; not read further", "A332")
                        if time.monotonic() > end:
                            raise httpx2.ReadTimeout("the deadline of the request has passed")
                    return response, body.finish()
                except ValueError as exc:  # corrupt or unfinished compressed body
                    raise httpx2.DecodingError(str(exc)) from None
        finally:
            _deadline.at = None

    def _answer(self, status: int, response: httpx2.Response, content: bytes,
                ctype: str | None, redirected_from: str | None) -> _Answer | None:
        """A usable answer (200 JSON, Crossref's 404, another 4xx), None for a broken body
        worth a retry; :class:`_Refused` for an answer that is not Crossref's."""
        url = redact_url(str(response.url))
        if status == 404:
            text = content.decode("utf-8", errors="replace")
            if not is_crossref_not_found(text, ctype):
                raise _Refused(f"{NOT_CROSSREFS_404}: {describe_answer(ctype, len(content))}")
            return _Answer(status, url, content, text, redirected_from, ctype)
        if status == 200 and not is_json_type(ctype):
            raise _Refused(f"{self.shown_url} answered 200 with the content type "
                           f"{media_type(ctype) or '(none)'}, not Crossref's JSON")
        data, is_json = _parse_body(content)
        if status == 200 and not is_json:
            return None
        deep = depth_problem(data, MAX_DEPTH + 3) if is_json else None  # + envelope, items
        if deep is not None:
            raise _Refused(f"Crossref's answer is {deep}", "A332")
        return _Answer(status, url, content, data,
                       redact_url(redirected_from) if redirected_from else None, ctype)

    def _exchange(self, kind: str, answer: _Answer, body: Any = None, part: str | None = None) -> (
        Exchange
    ):
        return Exchange(
            kind=kind,
            url=answer.url,
            time=_now(),
            status=answer.status,
            sha256=hashlib.sha256(answer.content).hexdigest(),
            body=answer.data if body is None else body,
            part=part,
            redirected_from=answer.redirected_from,
            content_type=answer.content_type,
        )

    # --- lookups ------------------------------------------------------------------------

    def _finish(self, doi: str, exchanges: Sequence[Exchange]) -> Lookup:
        """The verdict; its evidence is written by a writer thread while requests go on."""
        lookup = lookup_from_exchanges(doi, exchanges)
        if self.store is not None and not isinstance(lookup, Unavailable):
            store = self.store
            with self._lock:
                self._writes.append(
                    self._writer.submit(store.save_work, doi, list(exchanges),
                                        verdict_name(lookup))
                )
        return lookup

    def _flush_writes(self) -> None:
        """Wait until every evidence file of the run is in place; re-raise a write error."""
        with self._lock:
            pending, self._writes = self._writes, []
        errors = [f.exception() for f in pending if f.exception() is not None]
        if errors:
            raise errors[0]  # type: ignore[misc]

    def _batch(self, dois: Sequence[str]) -> dict[str, Exchange] | _Failure:
        params = {
            "filter": str(filter_handler({"doi": list(dois)})),
            "rows": str(len(dois)),
        }
        answer = self._request("list", "/works", params)
        if isinstance(answer, _Failure):
            return answer
        if answer.status != 200 or not isinstance(answer.data, dict):
            return _Failure(f"list query answered HTTP {answer.status}")
        message = answer.data.get("message")
        items = message.get("items") if isinstance(message, dict) else None
        if not isinstance(items, list):
            return _Failure("list query answer holds no items")
        wanted = set(dois)
        out: dict[str, Exchange] = {}
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("DOI"), str):
                d = item["DOI"].lower()
                if d in wanted and d not in out:
                    out[d] = self._exchange("list", answer, body=item, part="item")
        return out

    def _single(self, doi: str) -> Lookup:
        answer = self._request("work", "/works/" + encode_doi_path(doi))
        if isinstance(answer, _Failure):
            return Unavailable(doi, answer.reason, answer.code)
        if answer.status == 200:
            return self._finish(doi, [self._exchange("work", answer)])
        if answer.status != 404:
            return Unavailable(doi, f"Crossref answered HTTP {answer.status} for this DOI")
        work = self._exchange("work", answer)
        agency = self._request("agency", "/works/" + encode_doi_path(doi) + "/agency")
        if isinstance(agency, _Failure):
            return Unavailable(doi, f"no record; registration agency unknown: {agency.reason}",
                               agency.code)
        if agency.status not in (200, 404):
            return Unavailable(doi, f"agency lookup answered HTTP {agency.status}")
        return self._finish(doi, [work, self._exchange("agency", agency)])

    def lookup(self, dois: Iterable[str], progress: Progress | None = None) -> dict[str, Lookup]:
        todo = list(dict.fromkeys(d.strip().lower() for d in dois if d.strip()))
        out: dict[str, Lookup] = {}

        def settle(doi: str, lookup: Lookup) -> None:
            out[doi] = lookup
            if progress is not None:
                progress(1)

        if self.store is not None and not self.refresh:
            for doi in todo:
                exchanges = self.store.load_work(doi)
                if exchanges is not None:
                    lookup = lookup_from_exchanges(doi, exchanges)
                    if not isinstance(lookup, Unavailable):
                        self.stats.from_evidence += 1
                        settle(doi, lookup)
        pending = [d for d in todo if d not in out]
        batchable = [d for d in pending if "," not in d]
        singles = [d for d in pending if "," in d]
        pool = ThreadPoolExecutor(max_workers=self.limits.concurrency,
                                  thread_name_prefix="crossref")
        try:
            if len(batchable) > 1:
                chunks = [
                    batchable[i : i + self.batch_size]
                    for i in range(0, len(batchable), self.batch_size)
                ]
                futures: dict[Future[dict[str, Exchange] | _Failure], list[str]] = {
                    pool.submit(self._batch, chunk): chunk for chunk in chunks
                }
                for fut in as_completed(futures):
                    chunk = futures[fut]
                    got = fut.result()
                    if isinstance(got, _Failure):
                        singles.extend(chunk)
                        continue
                    for doi in chunk:
                        if doi in got:
                            settle(doi, self._finish(doi, [got[doi]]))
                        else:
                            singles.append(doi)
            else:
                singles.extend(batchable)
            single_futures = {pool.submit(self._single, doi): doi for doi in singles}
            for sfut in as_completed(single_futures):
                doi = single_futures[sfut]
                settle(doi, sfut.result())
        except BaseException:
            self.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            self._writer.shutdown(wait=True)  # files already begun are completed, atomically
            raise
        pool.shutdown(wait=True)
        self._flush_writes()
        return {d: out[d] for d in todo}

    def search(self, query: str, rows: int = 5) -> Search:
        key = search_key(query, rows)
        if self.store is not None and not self.refresh:
            stored = self.store.load_query(key)
            if stored is not None:
                self.stats.from_evidence += 1
                return search_from_exchanges(key, stored)
        validate_field_queries(["query.bibliographic"])
        params = {"query.bibliographic": query, "rows": str(rows)}
        answer = self._request("search", "/works", params)
        if isinstance(answer, _Failure):
            return SearchUnavailable(key, answer.reason)
        if answer.status != 200:
            return SearchUnavailable(key, f"search answered HTTP {answer.status}")
        exchanges = [self._exchange("search", answer)]
        result = search_from_exchanges(key, exchanges)
        if self.store is not None and not isinstance(result, SearchUnavailable):
            self.store.save_query(key, exchanges)
        return result


def found_record(lookup: Lookup) -> dict[str, Any] | None:
    return lookup.record if isinstance(lookup, Found) else None
