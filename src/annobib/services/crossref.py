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
from typing import Any
from urllib.parse import quote, urljoin

import httpx2
from habanero.field_queries import validate_field_queries
from habanero.filterhandler import filter_handler
from habanero.habanero_utils import make_ua

from annobib import __version__
from annobib.services.base import (
    Exchange,
    Found,
    Lookup,
    Progress,
    Search,
    SearchUnavailable,
    ServiceStats,
    Unavailable,
)
from annobib.services.evidence import (
    EvidenceStore,
    lookup_from_exchanges,
    search_from_exchanges,
    search_key,
    verdict_name,
)

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


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: str


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_body(content: bytes) -> tuple[Any, bool]:
    """(value, is_json): parsed JSON, or the decoded text."""
    try:
        return json.loads(content), True
    except ValueError:
        return content.decode("utf-8", errors="replace"), False


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
    ) -> None:
        self.base_url = (api_url or os.environ.get(ENV_API_URL) or DEFAULT_API_URL).rstrip("/")
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
        self._headers = make_ua(self.mailto, f"annobib/{__version__}")
        self._client = httpx2.Client(
            follow_redirects=False,
            timeout=httpx2.Timeout(self.retry.timeout),
            limits=httpx2.Limits(max_connections=self.limits.concurrency),
            trust_env=True,
        )

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
                remaining = max(0.1, self._deadline - self._clock())
                try:
                    response = self._client.get(
                        url,
                        params=params,
                        headers=self._headers,
                        timeout=httpx2.Timeout(min(self.retry.timeout, remaining)),
                    )
                except httpx2.TimeoutException:
                    response = None
                    reason = f"no answer within {min(self.retry.timeout, remaining):g} s"
                except httpx2.ConnectError as exc:
                    response = None
                    reason = f"cannot connect to {self.base_url}: {exc}"
                    limit = self.retry.connect_attempts
                except httpx2.HTTPError as exc:  # dropped connection, truncated body, ...
                    response = None
                    reason = f"broken exchange with {self.base_url}: {exc or type(exc).__name__}"
            if response is None:
                with self._lock:
                    self.stats.transport_errors += 1
            else:
                self._observe("list" if kind in ("list", "search") else "single", response.headers)
                status = response.status_code
                if status in (301, 302, 303, 307, 308) and "location" in response.headers:
                    redirects += 1
                    if redirects > 3:
                        return _Failure(f"too many redirects from {url}")
                    redirected_from = redirected_from or str(response.url)
                    url = urljoin(str(response.url), response.headers["location"])
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
                    content = response.content
                    data, is_json = _parse_body(content)
                    if status == 200 and not is_json:
                        with self._lock:
                            self.stats.transport_errors += 1
                        reason = "Crossref answered 200 with a body that is not valid JSON"
                    else:
                        return _Answer(status, str(response.url), content, data, redirected_from)
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
            return Unavailable(doi, answer.reason)
        if answer.status == 200:
            return self._finish(doi, [self._exchange("work", answer)])
        if answer.status != 404:
            return Unavailable(doi, f"Crossref answered HTTP {answer.status} for this DOI")
        work = self._exchange("work", answer)
        agency = self._request("agency", "/works/" + encode_doi_path(doi) + "/agency")
        if isinstance(agency, _Failure):
            return Unavailable(doi, f"no record; registration agency unknown: {agency.reason}")
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
