"""The two seed articles' printed lists, parsed and compared with their transcriptions in data/.

The transcriptions were made by hand (before the parser existed); the parser never saw the
seeds in training. These are the "Done when" tests of issue #15's Read part.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annobib.model.record import Work
from annobib.sources.interchange import KeyRegistry
from annobib.sources.text import read_list
from annobib.sources.text.records import to_model
from annobib.sources.yaml import load_paths

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "text"


def _fields(work: Work) -> dict[str, Any]:
    data = work.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.pop("key")
    return data


def agreement(ours: Work, theirs: Work) -> tuple[int, int, list[str]]:
    """(agreeing fields, fields in either record, the fields that differ)."""
    a, b = _fields(ours), _fields(theirs)
    names = sorted(a.keys() | b.keys())
    differ = [n for n in names if a.get(n) != b.get(n)]
    return len(names) - len(differ), len(names), differ


@pytest.fixture(scope="module")
def transcribed() -> Any:
    return load_paths([ROOT / "data"]).library


def _doc(library: Any, key: str) -> Any:
    docs = [d.document for d in library.documents]
    return next(d for d in docs if d.article is not None and d.article.key == key)


def test_tomberg_30_records_agree_on_95_percent_of_fields(transcribed: Any) -> None:
    path = FIXTURES / "tomberg2022-references.txt"
    result = read_list(path.read_text(encoding="utf-8"), str(path))
    imp = to_model(result, KeyRegistry(), str(path))
    expected = _doc(transcribed, "tomberg2022").references
    assert len(imp.references) == 30 == len(expected)
    agree = total = 0
    report = []
    for ours, theirs in zip(imp.references, expected, strict=True):
        assert ours.n == theirs.n
        assert ours.source == theirs.source  # the printed string, number included
        assert ours.work is not None and theirs.work is not None
        ok, n, differ = agreement(ours.work, theirs.work)
        agree += ok
        total += n
        if differ:
            report.append(f"{ours.n}: {differ}")
    share = agree / total
    print(f"tomberg2022: {agree} of {total} fields agree ({share:.3f}); differing: {report}")
    assert share >= 0.95, f"{share:.3f} of {total} fields agree; differing: {report}"


def test_mukimdzhanova_16_notes_give_14_works_with_signals_and_locators(
    transcribed: Any,
) -> None:
    path = FIXTURES / "mukimdzhanova2004-footnotes.txt"
    result = read_list(path.read_text(encoding="utf-8"), str(path))
    assert result.notes
    imp = to_model(result, KeyRegistry(), str(path))
    expected = _doc(transcribed, "mukimdzhanova2004").footnotes
    assert len(imp.footnotes) == 16 == len(expected)
    ours_cites = [c for f in imp.footnotes for c in f.cites]
    theirs_cites = [c for f in expected for c in f.cites]
    assert len(ours_cites) == 14 == len(theirs_cites)
    for ours, theirs in zip(imp.footnotes, expected, strict=True):
        assert ours.kind == theirs.kind, ours.n
        assert ours.source == theirs.source, ours.n
        assert ours.text == theirs.text, ours.n
        assert [c.signal for c in ours.cites] == [c.signal for c in theirs.cites], ours.n
        assert [c.locator for c in ours.cites] == [c.locator for c in theirs.cites], ours.n
    # the works themselves: most fields as transcribed
    agree = total = 0
    for ours_c, theirs_c in zip(ours_cites, theirs_cites, strict=True):
        assert ours_c.work is not None and theirs_c.work is not None
        ok, n, _ = agreement(ours_c.work, theirs_c.work)
        agree += ok
        total += n
    assert agree / total >= 0.85
