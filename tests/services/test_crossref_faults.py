"""The Crossref client against a misbehaving service (issue #13, items 2-7).

Every fault is something the stand-in does to a real recorded answer (see the module doc of
tests/crossref_standin.py): another DOI's record, a redirect off the API host, an HTML 404, a
body over the size cap or without end, a server dripping one byte every half second, a body
nested 100,000 deep, valid JSON labelled text/html. None of them may become a verdict or
evidence; each is "unavailable" (the work is unchecked) with a reason, and never an exception.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.services.base import Found, Lookup, NotFound, Unavailable
from annobib.services.crossref import (
    MAX_ANSWER_BYTES,
    CrossrefService,
    PoolLimits,
    RetryPolicy,
    check_api_url,
)
from annobib.services.evidence import EvidenceService, EvidenceStore, doi_filename
from crossref_standin import Fault, Limits, StandIn, closed_port, recorded_message, running

FAST = RetryPolicy(attempts=2, connect_attempts=1, base=0.02, cap=0.2, timeout=2.0,
                   max_time=20.0, breaker=3)
SREP = "10.1038/srep16696"
IJO = "10.3892/ijo_00000353"
MIB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(Limits(single=100, lists=100, concurrency=3))
    yield s
    s.stop()


def service(s: StandIn, tmp: Path, **kw: object) -> CrossrefService:
    args: dict[str, object] = {
        "api_url": s.url,
        "mailto": "tests@example.org",
        "store": EvidenceStore(tmp / "evidence"),
        "retry": FAST,
        "limits": PoolLimits(100, 100, 3),
        "rng": random.Random(5),
    }
    args.update(kw)
    return CrossrefService(**args)  # type: ignore[arg-type]


def lookup(s: StandIn, tmp: Path, dois: list[str], **kw: object) -> dict[str, Lookup]:
    svc = service(s, tmp, **kw)
    try:
        return svc.lookup(dois)
    finally:
        svc.close()


def evidence_file(tmp: Path, doi: str) -> Path:
    return tmp / "evidence" / "works" / doi_filename(doi)


def unavailable(result: Lookup) -> Unavailable:
    assert isinstance(result, Unavailable), result
    return result


# --- item 2: another DOI's record -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["swap-doi", "other-record"])
def test_another_dois_record_is_unchecked_and_not_stored(server: StandIn, tmp_path: Path,
                                                         kind: str) -> None:
    server.inject(Fault(kind, route="single", doi=IJO))
    out = unavailable(lookup(server, tmp_path, [SREP])[SREP])
    assert out.code == "A333" and IJO in out.reason
    assert not evidence_file(tmp_path, SREP).exists()


def test_refresh_keeps_good_evidence_when_the_answer_is_another_doi(server: StandIn,
                                                                    tmp_path: Path) -> None:
    assert isinstance(lookup(server, tmp_path, [SREP])[SREP], Found)
    before = evidence_file(tmp_path, SREP).read_bytes()
    server.inject(Fault("swap-doi", route="single", doi=IJO))
    assert unavailable(lookup(server, tmp_path, [SREP], refresh=True)[SREP]).code == "A333"
    assert evidence_file(tmp_path, SREP).read_bytes() == before


def test_redirect_to_another_host_is_not_followed(server: StandIn, tmp_path: Path) -> None:
    other = running(None)
    try:
        server.inject(Fault("redirect", route="single", location=f"{other.url}/works/{SREP}"))
        out = unavailable(lookup(server, tmp_path, [SREP])[SREP])
        assert other.count() == 0, "the other host was never asked"
    finally:
        other.stop()
    assert out.code == "A333" and "another host" in out.reason
    assert not evidence_file(tmp_path, SREP).exists()


def test_documented_alias_is_accepted_and_replayed(server: StandIn, tmp_path: Path) -> None:
    # the recorded 301 of Crossref's own API: 10.26434/chemrxiv.5406907 -> ...5406907.v5
    alias = "10.26434/chemrxiv.5406907"
    online = lookup(server, tmp_path, [alias])[alias]
    assert isinstance(online, Found) and online.record["DOI"] == alias + ".v5"
    offline = EvidenceService(EvidenceStore(tmp_path / "evidence")).lookup([alias])[alias]
    assert isinstance(offline, Found) and offline.record == online.record


def test_stored_record_of_another_doi_is_not_replayed(server: StandIn, tmp_path: Path) -> None:
    # evidence as an older annobib stored it: the answer for SREP carrying IJO's DOI
    assert isinstance(lookup(server, tmp_path, [SREP])[SREP], Found)
    path = evidence_file(tmp_path, SREP)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exchanges"][0]["body"]["message"]["DOI"] = IJO
    path.write_text(json.dumps(data), encoding="utf-8")
    out = EvidenceService(EvidenceStore(tmp_path / "evidence")).lookup([SREP])[SREP]
    assert unavailable(out).code == "A333"


# --- item 3: a 404 that is not Crossref's -----------------------------------------------------


def test_html_404_from_a_proxy_is_unchecked(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("html-404", route="any"))
    dois = [SREP, "10.1371/notarealdoi"]
    out = lookup(server, tmp_path, dois)
    for d in dois:
        assert "not Crossref's" in unavailable(out[d]).reason
    assert not (tmp_path / "evidence" / "works").exists()


def test_html_404_on_the_agency_route_is_unchecked(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("html-404", route="agency"))
    nf = "10.1371/notarealdoi"
    unavailable(lookup(server, tmp_path, [nf])[nf])
    assert not evidence_file(tmp_path, nf).exists()


def test_wrong_api_url_path_is_unchecked_and_the_service_down(server: StandIn,
                                                              tmp_path: Path) -> None:
    dois = [SREP, IJO, "10.1371/notarealdoi", *server.recorded.found_dois()[:10]]
    svc = service(server, tmp_path, api_url=server.url + "/v1/wrong")
    out = svc.lookup(dois)
    svc.close()
    assert all(isinstance(v, Unavailable) for v in out.values())
    assert svc.down is not None and svc.stats.requests <= 8
    assert not (tmp_path / "evidence" / "works").exists()


def test_crossrefs_own_404_is_still_not_found(server: StandIn, tmp_path: Path) -> None:
    nf = "10.1371/notarealdoi"
    assert isinstance(lookup(server, tmp_path, [nf])[nf], NotFound)


# --- item 4: unbounded answers ----------------------------------------------------------------


def test_announced_oversized_answer_is_refused_unread(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("pad", route="any", size=100 * MIB))
    out = unavailable(lookup(server, tmp_path, [SREP])[SREP])
    assert out.code == "A332" and "MiB" in out.reason
    assert server.bytes_sent() < 32 * MIB, "the client did not read the 100 MB body"
    assert not evidence_file(tmp_path, SREP).exists()


def test_endless_body_is_cut_at_the_cap(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("endless", route="any", size=64 * MIB))
    out = unavailable(lookup(server, tmp_path, [SREP])[SREP])
    assert out.code == "A332"
    assert server.bytes_sent() < MAX_ANSWER_BYTES + 16 * MIB
    assert not evidence_file(tmp_path, SREP).exists()


def test_small_cap_applies_to_every_answer(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("pad", route="any", size=300_000))
    out = unavailable(lookup(server, tmp_path, [SREP], max_bytes=200_000)[SREP])
    assert out.code == "A332"


def test_a_gzip_answer_is_read_whole(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("gzip", route="any"))  # the real answer, compressed as Crossref does
    found = lookup(server, tmp_path, [SREP])[SREP]
    assert isinstance(found, Found) and found.record == recorded_message(
        "work_journal-article_10.1038-srep16696.json")


def test_a_decompression_bomb_stops_at_the_cap(server: StandIn, tmp_path: Path) -> None:
    # the real answer and 16 MiB of JSON whitespace, gzip-compressed to some 20 kB
    server.inject(Fault("gzip", route="any", size=16 * MIB))
    out = unavailable(lookup(server, tmp_path, [SREP], max_bytes=MIB)[SREP])
    assert out.code == "A332" and "over the cap of 1 MiB" in out.reason
    assert server.bytes_sent() < 64 * 1024
    assert server.count() == 1, "an answer over the cap is not asked for again"
    assert not evidence_file(tmp_path, SREP).exists()


# --- item 5: deadlines ------------------------------------------------------------------------


def _timed_lookup(svc: CrossrefService, dois: list[str], limit: float) -> tuple[
    dict[str, Lookup], float
]:
    got: dict[str, dict[str, Lookup]] = {}
    t0 = time.monotonic()
    worker = threading.Thread(target=lambda: got.update(out=svc.lookup(dois)), daemon=True)
    worker.start()
    worker.join(limit)
    assert not worker.is_alive(), f"lookup still running after {limit} s"
    return got["out"], time.monotonic() - t0


@pytest.mark.parametrize("fast_bytes", [0, 2000], ids=["in-headers", "in-body"])
def test_dripping_server_is_cut_at_the_timeout(tmp_path: Path, fast_bytes: int) -> None:
    s = running(None)
    try:
        s.inject(Fault("drip", route="any", seconds=0.5, size=fast_bytes))
        svc = service(s, tmp_path, retry=RetryPolicy(attempts=1, timeout=1.0, max_time=30))
        out, took = _timed_lookup(svc, [SREP], 20)
        svc.close()
    finally:
        s.stop()
    assert "no answer within" in unavailable(out[SREP]).reason
    assert took < 3.0


def test_max_time_bounds_the_whole_run(tmp_path: Path) -> None:
    s = running(None)
    try:
        s.inject(Fault("drip", route="any", seconds=0.5))
        svc = service(s, tmp_path, retry=RetryPolicy(attempts=4, base=0.1, timeout=1.0,
                                                     max_time=3.0, breaker=10))
        out, took = _timed_lookup(svc, [SREP, IJO, "10.1371/notarealdoi"], 30)
        svc.close()
    finally:
        s.stop()
    assert all(isinstance(v, Unavailable) for v in out.values())
    assert took < 5.0


# --- item 6: no tracebacks --------------------------------------------------------------------


def test_body_nested_100000_deep_is_unchecked(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("deep-nest", route="any", size=100_000))
    out = unavailable(lookup(server, tmp_path, [SREP, IJO])[SREP])
    assert out.code == "A332"
    assert not (tmp_path / "evidence" / "works").exists()


def test_body_nested_deeper_than_a_record_is_unchecked(server: StandIn, tmp_path: Path) -> None:
    # within what the JSON parser takes, beyond any real record (which reach about 6)
    server.inject(Fault("deep-nest", route="any", size=200))
    out = unavailable(lookup(server, tmp_path, [SREP])[SREP])
    assert out.code == "A332" and "nested deeper" in out.reason
    assert not evidence_file(tmp_path, SREP).exists()


def test_lone_surrogate_in_a_title_is_unchecked(server: StandIn, tmp_path: Path) -> None:
    # Derived body: the recorded srep16696 message with a lone surrogate put into its title.
    msg = recorded_message("work_journal-article_10.1038-srep16696.json")
    msg["title"] = [msg["title"][0][:20] + "\ud800" + msg["title"][0][20:]]
    server.add_work(SREP, msg)
    out = unavailable(lookup(server, tmp_path, [SREP])[SREP])
    assert out.code == "A332" and "surrogate" in out.reason
    assert not evidence_file(tmp_path, SREP).exists()


def test_evidence_nested_100000_deep_is_ignored_offline(server: StandIn, tmp_path: Path) -> None:
    assert isinstance(lookup(server, tmp_path, [SREP])[SREP], Found)
    path = evidence_file(tmp_path, SREP)
    text = path.read_text(encoding="utf-8")
    path.write_text("[" * 100_000 + text + "]" * 100_000, encoding="utf-8")
    store = EvidenceStore(tmp_path / "evidence")
    out = EvidenceService(store).lookup([SREP])[SREP]
    assert isinstance(out, Unavailable)
    assert store.problems and "nested" in store.problems[0]


def test_evidence_body_nested_deep_is_not_replayed(server: StandIn, tmp_path: Path) -> None:
    assert isinstance(lookup(server, tmp_path, [SREP])[SREP], Found)
    path = evidence_file(tmp_path, SREP)
    data = json.loads(path.read_text(encoding="utf-8"))
    body = data["exchanges"][0]["body"]
    for _ in range(500):  # deep, but within what the JSON parser takes
        body = [body]
    data["exchanges"][0]["body"] = {"message": {"DOI": SREP, "title": body}}
    path.write_text(json.dumps(data), encoding="utf-8")
    out = EvidenceService(EvidenceStore(tmp_path / "evidence")).lookup([SREP])[SREP]
    assert unavailable(out).code == "A332"


@pytest.mark.parametrize("url", ["http://[::1", "ftp://example.org", "file:///etc/passwd",
                                 "example.org", "http://", "http://user:secret@[::1"])
def test_bad_api_url_is_refused_without_echoing_credentials(url: str) -> None:
    with pytest.raises(ValueError) as info:
        check_api_url(url)
    assert "secret" not in str(info.value)
    with pytest.raises(ValueError):
        CrossrefService(api_url=url)


def test_credentials_in_the_url_are_never_shown(server: StandIn, tmp_path: Path) -> None:
    pw = "pw-8d1e6c"  # in no recorded body
    down = lookup(server, tmp_path, [SREP],
                  api_url=f"http://user:{pw}@127.0.0.1:{closed_port()}")[SREP]
    assert pw not in unavailable(down).reason
    url = server.url.replace("http://", f"http://user:{pw}@")
    assert isinstance(lookup(server, tmp_path, [SREP], api_url=url)[SREP], Found)
    assert pw not in evidence_file(tmp_path, SREP).read_text(encoding="utf-8")
    server.inject(Fault("html-404", route="any"))
    nf = "10.1371/notarealdoi"
    assert pw not in unavailable(lookup(server, tmp_path, [nf], api_url=url)[nf]).reason


# --- item 7: Crossref's JSON content type -----------------------------------------------------


def test_json_labelled_text_html_is_not_a_record(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("relabel", route="any"))
    out = lookup(server, tmp_path, [SREP, IJO])
    for d in (SREP, IJO):
        assert "content type" in unavailable(out[d]).reason
    assert not (tmp_path / "evidence" / "works").exists()
