"""The formatted-output tests share one warm engine and the shipped data, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.model.library import Library
from annobib.styles import Formatter, default_formatter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def formatter() -> Formatter:
    # the process-wide formatter (as in tests/styles/conftest.py), closed at exit
    return default_formatter()


@pytest.fixture(scope="session")
def library() -> Library:
    from annobib.api import load

    return load([ROOT / "data"], lint=False, use_cache=False).library
