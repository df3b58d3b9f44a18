"""The type crosswalk: every WorkType maps to every format, and back where the format can say it."""

from __future__ import annotations

import pytest

from annobib.model import crosswalk as cw
from annobib.model.record import WorkType


@pytest.mark.parametrize("t", list(WorkType))
def test_every_type_has_a_row(t: WorkType) -> None:
    assert cw.csl_type(t)
    assert cw.bibtex_type(t)
    assert cw.biblatex_type(t)
    assert cw.ris_type(t)


@pytest.mark.parametrize("t", list(WorkType))
def test_csl_round_trip(t: WorkType) -> None:
    assert cw.from_csl(cw.csl_type(t)) is t


@pytest.mark.parametrize("t", list(WorkType))
def test_biblatex_round_trip(t: WorkType) -> None:
    back = cw.from_bibtex(
        cw.biblatex_type(t), subtype=cw.biblatex_subtype(t), kind=cw.biblatex_kind(t)
    )
    assert back is t


@pytest.mark.parametrize("t", list(WorkType))
def test_ris_round_trip_unless_lossy(t: WorkType) -> None:
    back = cw.from_ris(cw.ris_type(t))
    if cw.is_lossy(t, "ris"):
        assert back is WorkType.MISC
    else:
        assert back is t


@pytest.mark.parametrize("t", list(WorkType))
def test_bibtex_lossy_flag_is_honest(t: WorkType) -> None:
    back = cw.from_bibtex(cw.bibtex_type(t))
    assert (back is not t) == cw.is_lossy(t, "bibtex")


def test_unknown_types_are_none() -> None:
    assert cw.from_csl("no-such-type") is None
    assert cw.from_bibtex("nosuch") is None
    assert cw.from_ris("ZZZ") is None
    assert cw.from_crossref("nope") is None


def test_crossref_examples() -> None:
    assert cw.from_crossref("journal-article") is WorkType.JOURNAL_ARTICLE
    assert cw.from_crossref("book-chapter") is WorkType.CHAPTER
    assert cw.crossref_type(WorkType.NEWSPAPER_ARTICLE) is None
    assert cw.from_bibtex("ARTICLE", subtype="newspaper") is WorkType.NEWSPAPER_ARTICLE
