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
def test_csl_round_trip_unless_lossy(t: WorkType) -> None:
    # a biblatex-only type (mvbook) goes to CSL as its nearest CSL type (book) and says so
    assert (cw.from_csl(cw.csl_type(t)) is t) != cw.is_lossy(t, "csl")


# CSL 1.0.2's types (the vendored CSL-JSON schema's enumeration)
_CSL = (
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event figure "
    "graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical "
    "personal_communication post post-weblog regulation report review review-book software "
    "song speech standard thesis treaty webpage"
)
CSL_TYPES = _CSL.split()

# biblatex's entry types (manual sec. 2.1.1 and 2.1.3), aliases excepted
_BIBLATEX = (
    "article book mvbook inbook bookinbook suppbook booklet collection mvcollection "
    "incollection suppcollection dataset manual misc online patent periodical suppperiodical "
    "proceedings mvproceedings inproceedings reference mvreference inreference report set "
    "software thesis unpublished xdata artwork audio bibnote commentary image jurisdiction "
    "movie music performance review standard video letter"
)
BIBLATEX_TYPES = _BIBLATEX.split()


@pytest.mark.parametrize("csl", CSL_TYPES)
def test_every_csl_type_comes_back_as_itself(csl: str) -> None:
    t = cw.from_csl(csl)
    assert t is not None
    assert cw.csl_type(t) == csl
    if csl not in ("document",):
        assert t is not WorkType.MISC


@pytest.mark.parametrize("entry", BIBLATEX_TYPES)
def test_every_biblatex_type_comes_back_as_itself(entry: str) -> None:
    t = cw.from_bibtex(entry)
    assert t is not None
    if entry == "inbook":  # a chapter without editors is exported as @inbook (see crosswalk)
        assert t is WorkType.CHAPTER
        return
    assert cw.biblatex_type(t) == entry
    assert cw.biblatex_subtype(t) is None


def test_csl_article_manuscript_and_blog_posts_keep_their_type() -> None:
    assert cw.from_csl("article") is WorkType.ARTICLE
    assert cw.from_csl("manuscript") is WorkType.MANUSCRIPT
    assert cw.from_csl("post-weblog") is WorkType.BLOG_POST
    assert cw.from_bibtex("unpublished") is WorkType.MANUSCRIPT
    assert cw.from_bibtex("online", subtype="blog-post") is WorkType.BLOG_POST


@pytest.mark.parametrize("t", list(WorkType))
def test_biblatex_round_trip(t: WorkType) -> None:
    back = cw.from_bibtex(
        cw.biblatex_type(t), subtype=cw.biblatex_subtype(t), kind=cw.biblatex_kind(t)
    )
    assert back is t


@pytest.mark.parametrize("t", list(WorkType))
def test_ris_round_trip_unless_lossy(t: WorkType) -> None:
    back = cw.from_ris(cw.ris_type(t))
    assert (back is t) != cw.is_lossy(t, "ris")


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
