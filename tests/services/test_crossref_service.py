"""The Crossref client against the stand-in server: limits, faults, evidence.

The stand-in (tests/crossref_standin.py) serves recorded Crossref bodies only and answers 429
when a client goes over its limits. Rate-limit tests scale the limits up (more requests per
second) so that they stay fast; the enforcement logic is the same.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.services.base import Found, NotFound, OtherAgency, Unavailable
from annobib.services.crossref import (
    CrossrefService,
    PoolLimits,
    RetryPolicy,
    encode_doi_path,
)
from annobib.services.evidence import (
    EvidenceService,
    EvidenceStore,
    doi_filename,
)
from crossref_standin import (
    POLITE,
    Fault,
    Limits,
    StandIn,
    closed_port,
    running,
)

FAST = RetryPolicy(attempts=4, connect_attempts=2, base=0.02, cap=0.5, timeout=2.0,
                   max_time=30.0, breaker=3)
SPECIAL = ["10.1371/notarealdoi", "10.5284/1011335", "10.1430/8105", "10.26434/chemrxiv.5406907"]


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(POLITE)
    yield s
    s.stop()


SCALED = Limits(single=100, lists=100, concurrency=3)  # fault tests: same logic, less waiting


@pytest.fixture
def fast_server() -> Iterator[StandIn]:
    s = running(SCALED)
    yield s
    s.stop()


def service(s: StandIn, tmp: Path, **kw: object) -> CrossrefService:
    args: dict[str, object] = {
        "api_url": s.url,
        "mailto": "tests@example.org",
        "store": EvidenceStore(tmp / "evidence"),
        "retry": FAST,
        "rng": random.Random(5),
    }
    args.update(kw)
    return CrossrefService(**args)  # type: ignore[arg-type]


def test_normal_run_within_polite_limits_gets_no_429(server: StandIn, tmp_path: Path) -> None:
    dois = server.recorded.found_dois() + SPECIAL
    svc = service(server, tmp_path)
    out = svc.lookup(dois)
    svc.close()
    assert server.count(429) == 0
    assert svc.stats.throttled == 0
    assert all(isinstance(out[d], Found) for d in server.recorded.found_dois())
    assert isinstance(out["10.1371/notarealdoi"], NotFound)
    datacite = out["10.5284/1011335"]
    assert isinstance(datacite, OtherAgency) and datacite.agency_id == "datacite"
    medra = out["10.1430/8105"]
    assert isinstance(medra, OtherAgency) and medra.agency_label == "mEDRA"
    alias = out["10.26434/chemrxiv.5406907"]
    assert isinstance(alias, Found) and alias.record["DOI"] == "10.26434/chemrxiv.5406907.v5"
    # one list query for all the batchable DOIs, singles only for what it did not return
    assert server.count(route="list") == 1
    assert svc.stats.lists == 1
    assert svc.stats.agency == 3


def test_many_list_queries_stay_within_limits(tmp_path: Path) -> None:
    # Scaled: the server enforces 30 list queries/s; the client is told the same limits.
    s = running(Limits(single=60, lists=30, concurrency=3))
    try:
        svc = service(s, tmp_path, limits=PoolLimits(60, 30, 3), batch_size=2)
        dois = s.recorded.found_dois()
        out = svc.lookup(dois)
        svc.close()
    finally:
        s.stop()
    assert s.count(route="list") == (len(dois) + 1) // 2
    assert s.count(429) == 0
    assert all(isinstance(out[d], Found) for d in dois)


def test_server_enforces_limits_and_client_backs_off(tmp_path: Path) -> None:
    # The client believes in 200/s; the server allows 20 list queries/s, answers 429 above,
    # and (unlike Crossref) does not announce its limits in headers.
    s = running(Limits(single=8, lists=8, concurrency=3), announce=False)
    try:
        svc = service(s, tmp_path, limits=PoolLimits(200, 200, 3), batch_size=1,
                      retry=RetryPolicy(attempts=8, base=0.05, cap=1.0, max_time=30))
        dois = s.recorded.found_dois()[:10]
        out = svc.lookup(dois)
        svc.close()
    finally:
        s.stop()
    assert s.count(429) > 0, "the stand-in must enforce its limits"
    assert svc.stats.throttled == s.count(429)
    assert all(isinstance(out[d], Found) for d in dois), "429s were retried to success"


def test_limit_headers_lower_the_client_rate(server: StandIn, tmp_path: Path) -> None:
    svc = service(server, tmp_path, limits=PoolLimits(100, 100, 5))
    svc.lookup(["10.1038/srep16696", "10.3892/ijo_00000353"])
    # the server announced polite limits: the client slowed down to them, never above
    assert svc._pacers["list"].interval >= 1.1 / 3 - 1e-9
    assert svc._gate.size == 3
    svc.close()


@pytest.mark.parametrize("kind", ["500", "503", "429", "drop", "truncate", "invalid-json"])
def test_transient_fault_is_retried_and_never_cached(fast_server: StandIn, tmp_path: Path,
                                                     kind: str) -> None:
    server = fast_server
    server.inject(Fault(kind, route="any", times=1))
    svc = service(server, tmp_path, limits=PoolLimits(100, 100, 3))
    out = svc.lookup(["10.1038/srep16696", "10.3892/ijo_00000353"])
    svc.close()
    assert all(isinstance(v, Found) for v in out.values())
    assert svc.stats.retries >= 1
    stored = json.loads((tmp_path / "evidence" / "works" / doi_filename("10.1038/srep16696"))
                        .read_text(encoding="utf-8"))
    assert [e["status"] for e in stored["exchanges"]] == [200]


@pytest.mark.parametrize("kind", ["500", "503", "429", "drop", "truncate", "invalid-json"])
def test_persistent_fault_gives_unchecked_and_no_evidence(fast_server: StandIn,
                                                          tmp_path: Path, kind: str) -> None:
    server = fast_server
    server.inject(Fault(kind, route="any", times=None))
    svc = service(server, tmp_path, limits=PoolLimits(100, 100, 3))
    dois = ["10.1038/srep16696", "10.3892/ijo_00000353"]
    if kind != "invalid-json":  # a 404 body is text: "invalid JSON" does not apply to it
        dois.append("10.1371/notarealdoi")
    out = svc.lookup(dois)
    svc.close()
    for d in dois:
        assert isinstance(out[d], Unavailable), (d, out[d])
    assert not (tmp_path / "evidence" / "works").exists()


def test_slow_answers_time_out_as_unchecked(tmp_path: Path) -> None:
    server = running(None)  # no limits: a timed-out request stays in flight on the server
    server.inject(Fault("slow", route="any", seconds=1.0))
    policy = RetryPolicy(attempts=2, base=0.01, cap=0.1, timeout=0.2, max_time=10, breaker=2)
    svc = service(server, tmp_path, retry=policy)
    t0 = time.monotonic()
    out = svc.lookup(["10.1038/srep16696", "10.3892/ijo_00000353"])
    svc.close()
    assert all(isinstance(v, Unavailable) for v in out.values())
    reasons = [v.reason for v in out.values() if isinstance(v, Unavailable)]
    assert any("no answer within" in r for r in reasons), reasons
    assert time.monotonic() - t0 < 8
    server.stop()


def test_retry_after_is_honoured(server: StandIn, tmp_path: Path) -> None:
    server.inject(Fault("429", route="any", times=1, retry_after="1"))
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        time.sleep(s)

    svc = service(server, tmp_path, sleep=sleep, retry=RetryPolicy(base=0.02, cap=2.0))
    out = svc.lookup(["10.1038/srep16696"])
    svc.close()
    assert isinstance(out["10.1038/srep16696"], Found)
    assert 1.0 in slept


def test_unreachable_service_is_unchecked_quickly(tmp_path: Path) -> None:
    svc = CrossrefService(api_url=f"http://127.0.0.1:{closed_port()}", mailto="t@example.org",
                          store=EvidenceStore(tmp_path), retry=FAST)
    dois = [f"10.1000/test{i}" for i in range(40)]
    t0 = time.monotonic()
    out = svc.lookup(dois)
    svc.close()
    assert all(isinstance(v, Unavailable) for v in out.values())
    assert all("cannot connect" in v.reason or "considered down" in v.reason
               for v in out.values() if isinstance(v, Unavailable))
    assert svc.down is not None
    # bounded by the breaker and the requests already in flight, not by the number of DOIs
    assert svc.stats.requests <= (FAST.breaker + 3) * FAST.connect_attempts
    assert time.monotonic() - t0 < 5


def test_offline_gives_the_same_verdicts_from_evidence(server: StandIn, tmp_path: Path) -> None:
    dois = server.recorded.found_dois()[:5] + SPECIAL
    svc = service(server, tmp_path)
    online = svc.lookup(dois)
    svc.close()
    before = server.count()
    offline = EvidenceService(EvidenceStore(tmp_path / "evidence")).lookup(dois)
    assert server.count() == before, "offline must not touch the network"
    for d in dois:
        assert type(online[d]) is type(offline[d])
        if isinstance(online[d], Found):
            assert online[d].record == offline[d].record  # type: ignore[union-attr]
    # a DOI without evidence is unchecked offline, never not-found
    missing = EvidenceService(EvidenceStore(tmp_path / "evidence")).lookup(["10.1000/none"])
    assert isinstance(missing["10.1000/none"], Unavailable)


def test_stored_evidence_is_reused_unless_refresh(server: StandIn, tmp_path: Path) -> None:
    svc = service(server, tmp_path)
    svc.lookup(["10.1038/srep16696", "10.3892/ijo_00000353"])
    first = server.count()
    svc2 = service(server, tmp_path)
    out = svc2.lookup(["10.1038/srep16696", "10.3892/ijo_00000353"])
    assert server.count() == first and svc2.stats.from_evidence == 2
    assert all(isinstance(v, Found) for v in out.values())
    svc3 = service(server, tmp_path, refresh=True)
    svc3.lookup(["10.1038/srep16696", "10.3892/ijo_00000353"])
    assert server.count() > first
    for s in (svc, svc2, svc3):
        s.close()


def test_evidence_file_records_url_time_status_hash(server: StandIn, tmp_path: Path) -> None:
    svc = service(server, tmp_path)
    svc.lookup(["10.1371/notarealdoi"])
    svc.close()
    data = json.loads((tmp_path / "evidence" / "works" / doi_filename("10.1371/notarealdoi"))
                      .read_text(encoding="utf-8"))
    assert data["doi"] == "10.1371/notarealdoi" and data["verdict"] == "not-found"
    work, agency = data["exchanges"]
    assert work["kind"] == "work" and work["status"] == 404
    assert work["body"] == "Resource not found."  # the recorded plain-text body, not parsed
    assert work["url"].endswith("/works/" + encode_doi_path("10.1371/notarealdoi"))
    assert len(work["sha256"]) == 64 and work["time"].endswith("Z")
    assert agency["kind"] == "agency" and agency["status"] == 404


def test_interrupted_run_leaves_evidence_consistent(server: StandIn, tmp_path: Path) -> None:
    svc = service(server, tmp_path, batch_size=3)
    seen = 0

    def progress(n: int) -> None:
        nonlocal seen
        seen += n
        if seen >= 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        svc.lookup(server.recorded.found_dois() + SPECIAL, progress=progress)
    svc.close()
    folder = tmp_path / "evidence" / "works"
    files = sorted(folder.iterdir())
    assert files, "settled DOIs were written before the interrupt"
    assert not [p for p in files if not p.name.endswith(".json")], "no temporary files left"
    store = EvidenceStore(tmp_path / "evidence")
    dois = store.dois()
    assert len(dois) == len(files) and not store.problems
    verdicts = EvidenceService(store).lookup(dois)
    assert not [d for d, v in verdicts.items() if isinstance(v, Unavailable)]


def test_sici_and_special_dois_are_encoded(server: StandIn, tmp_path: Path) -> None:
    doi = "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v"
    svc = service(server, tmp_path)
    out = svc._single(doi)
    svc.close()
    assert isinstance(out, Found)
    assert "%3C283%3A%3Aaid" in server.log[-1].path or server.log[-1].status == 200
    assert doi_filename(doi).endswith(".json") and "/" not in doi_filename(doi)
