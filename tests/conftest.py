"""Shared test set-up: every test gets its own empty cache directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from annobib import runtime

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOBIB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # no annobib.toml / [tool.annobib] of the machine's (or the developer's) changes a result;
    # tests of the configuration unset this (tests/test_config.py)
    monkeypatch.setenv("ANNOBIB_CONFIG", "none")
    monkeypatch.delenv("ANNOBIB_MAILTO", raising=False)


@pytest.fixture(autouse=True)
def _gc_unfrozen() -> Iterator[None]:
    # a command run in-process freezes what it loaded (annobib.cli.common.load), which in a
    # long test session would keep every earlier test's garbage
    yield
    runtime.unfreeze()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (ANNOBIB_REQUIRE_CLIENTS=1) a real-client test may not skip: CI installed the
    client, so a skip would hide a broken install or a broken test."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and item.get_closest_marker("realclient") is not None
        and os.environ.get("ANNOBIB_REQUIRE_CLIENTS") == "1"
    ):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"real-client test skipped in CI, where its client must be installed: {reason}"
