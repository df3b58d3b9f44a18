"""Formatting tests share one warm engine per style (building APA or Chicago costs ~1-2 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.model.library import Library
from annobib.styles import Formatter, default_formatter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def formatter() -> Formatter:
    # The process-wide formatter: shared with tests/exporters/test_formatted*.py, closed at exit.
    return default_formatter()


@pytest.fixture(scope="session")
def data_library() -> Library:
    from annobib.api import load

    return load([ROOT / "data"], lint=False, use_cache=False).library
