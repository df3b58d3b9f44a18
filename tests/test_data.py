"""The shipped data (`data/*.yaml`) against the seed texts it was transcribed from.

The seed texts are copies in `tests/fixtures/seeds/` (see the README there). These tests check
provenance and completeness: every printed entry is present exactly once, in printed order, with
its `source` verbatim, and the structured fields agree with what the source line states.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

from annobib.model import Document, Footnote, FootnoteKind, Reference, Work

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
TOMBERG_SEED = SEEDS / "000_af05820f2caa140b.txt"
MUKIMDZHANOVA_SEED = SEEDS / "004_0ab94703974e95dd.txt"


@cache
def documents() -> dict[str, Document]:
    out = {}
    for path in sorted(DATA.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            out[path.name] = Document.model_validate(yaml.safe_load(fh))
    return out


def tomberg() -> Document:
    return documents()["tomberg2022.yaml"]


def mukimdzhanova() -> Document:
    return documents()["mukimdzhanova2004.yaml"]


def seed(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def all_works() -> Iterator[tuple[str, Work]]:
    for name, doc in documents().items():
        for work in doc.inline_works():
            yield name, work


def tomberg_seed_references() -> list[str]:
    """The numbered lines between "References" and "Review" in the 000 seed."""
    block = seed(TOMBERG_SEED).split("\nReferences\n", 1)[1].split("\nReview\n", 1)[0]
    return block.split("\n")


def mukimdzhanova_seed_notes_block() -> str:
    """Everything between the "References" heading and the licence block in the 004 seed."""
    text = seed(MUKIMDZHANOVA_SEED)
    return text.split("\nReferences\n\n", 1)[1].split("\n\nCreative Commons License", 1)[0]


# --- counts and order ------------------------------------------------------------------------


def test_exactly_two_articles() -> None:
    docs = documents()
    assert sorted(docs) == ["mukimdzhanova2004.yaml", "tomberg2022.yaml"]
    assert [d.article.key for d in docs.values() if d.article] == [
        "mukimdzhanova2004",
        "tomberg2022",
    ]


def test_thirty_references_numbered_in_order() -> None:
    doc = tomberg()
    assert [r.n for r in doc.references] == list(range(1, 31))
    assert doc.footnotes == []


def test_sixteen_footnotes_numbered_in_order() -> None:
    doc = mukimdzhanova()
    assert [f.n for f in doc.footnotes] == list(range(1, 17))
    assert doc.references == []


def test_record_keys_are_unique_across_files() -> None:
    keys = [w.key for _, w in all_works()]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert duplicates == []


# --- provenance: `source` is verbatim --------------------------------------------------------


@pytest.mark.parametrize("ref", tomberg().references, ids=lambda r: f"ref{r.n}")
def test_reference_source_starts_with_its_number(ref: Reference) -> None:
    assert ref.source.startswith(f"{ref.n}. ")


def test_reference_sources_equal_the_seed_lines() -> None:
    printed = tomberg_seed_references()
    assert len(printed) == 30
    assert [r.source for r in tomberg().references] == printed


@pytest.mark.parametrize("note", mukimdzhanova().footnotes, ids=lambda f: f"fn{f.n}")
def test_footnote_source_occurs_verbatim_in_the_seed(note: Footnote) -> None:
    assert note.source in seed(MUKIMDZHANOVA_SEED)


def test_footnotes_cover_the_printed_notes_exactly() -> None:
    # Nothing dropped, nothing added, nothing reordered: the sources, joined the way the
    # extraction separates paragraphs, give back the whole block under "References".
    sources = [f.source for f in mukimdzhanova().footnotes]
    assert "\n\n".join(sources) == mukimdzhanova_seed_notes_block()


def test_cited_as_lines_are_verbatim() -> None:
    assert tomberg().cited_as is not None
    assert mukimdzhanova().cited_as is not None
    tomberg_lines = seed(TOMBERG_SEED).split("\n")
    assert tomberg_lines[tomberg_lines.index("For citations:") + 1] == tomberg().cited_as
    m_lines = seed(MUKIMDZHANOVA_SEED).split("\n")
    assert m_lines[m_lines.index("How to Cite") + 2] == mukimdzhanova().cited_as


def test_tomberg_abstract_is_verbatim() -> None:
    lines = seed(TOMBERG_SEED).split("\n")
    article = tomberg().article
    assert article is not None
    assert article.abstract == lines[lines.index("Abstract") + 1]


# --- structured fields agree with the printed line ------------------------------------------


def test_no_doi_except_the_tomberg_article() -> None:
    with_doi = {w.key: w.doi for _, w in all_works() if w.doi is not None}
    assert with_doi == {"tomberg2022": "10.24975/2313-8920-2022-9-3-289-300"}


@pytest.mark.parametrize("ref", tomberg().references, ids=lambda r: f"ref{r.n}")
def test_reference_fields_are_printed_in_its_line(ref: Reference) -> None:
    work = ref.work
    assert work is not None
    line = ref.source
    assert work.title is not None
    assert work.title.text in line
    assert work.title.lang == "en"
    assert work.language == ("en" if line.endswith("(In Eng.).") else "ru")
    assert line.endswith(("(In Russ.).", "(In Eng.)."))
    for person in work.author:
        assert f"{person.family} {person.first_names()}" in line
    for value in (work.url, work.volume, work.issue, work.pages, work.page_count):
        if value is not None:
            assert value in line
    if work.container_title is not None:
        assert f". {work.container_title.text}. " in line
    if work.issued is not None and work.type.value != "treaty":
        assert f"{work.issued}" in line


@pytest.mark.parametrize("ref", tomberg().references, ids=lambda r: f"ref{r.n}")
def test_access_dates_match_the_printed_ones(ref: Reference) -> None:
    work = ref.work
    assert work is not None
    m = re.search(r"\[Accessed: (\d\d)\.(\d\d)\. ?(\d{4})\]", ref.source)
    if m is None:
        assert work.accessed is None
        assert work.url is None
    else:
        day, month, year = m.groups()
        assert work.accessed is not None
        assert work.accessed.iso() == f"{year}-{month}-{day}"


def test_journal_lines_give_volume_only_when_printed() -> None:
    for ref in tomberg().references:
        work = ref.work
        assert work is not None
        if work.type.value != "journal-article":
            continue
        printed_volume = re.search(r"\. (\d{4});(\d+)\((\d+)\):", ref.source)
        if printed_volume:
            assert (work.volume, work.issue) == printed_volume.group(2, 3)
        else:
            assert work.volume is None


def _without_hyphens(s: str) -> str:
    return s.replace("-", "").replace("\n", " ")


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@pytest.mark.parametrize("note", mukimdzhanova().footnotes, ids=lambda f: f"fn{f.n}")
def test_footnote_text_only_removes_from_its_source(note: Footnote) -> None:
    # `text` is the commentary: the source with the parenthetical citations deleted and
    # line-break hyphens undone. It never adds a word the source does not print.
    if note.kind is FootnoteKind.CITATION:
        assert note.text is None
        return
    assert note.text is not None
    text, source = _without_hyphens(note.text), _without_hyphens(note.source)
    assert _is_subsequence(text, source)
    assert "(see:" not in note.text
    if note.kind is FootnoteKind.COMMENTARY:
        assert text.replace(" ", "") == source.replace(" ", "")


@pytest.mark.parametrize("note", mukimdzhanova().footnotes, ids=lambda f: f"fn{f.n}")
def test_footnote_signals_and_locators_are_printed(note: Footnote) -> None:
    for cite in note.cites:
        assert cite.signal is not None
        assert cite.signal in note.source
        if cite.locator is not None:
            assert cite.locator.label.value == "page"
            prefix = "pp. " if "-" in cite.locator.value else "p. "
            assert prefix + cite.locator.value in note.source
            # A cited page is never the work's own page range.
            assert cite.work is not None
            assert cite.work.pages is None


def test_footnote_kinds() -> None:
    kinds = {f.n: f.kind.value for f in mukimdzhanova().footnotes}
    assert [n for n, k in kinds.items() if k == "commentary"] == [6, 9, 10, 12]
    assert [n for n, k in kinds.items() if k == "mixed"] == [2, 3, 7, 14, 15]
    assert sum(len(f.cites) for f in mukimdzhanova().footnotes) == 14


def test_articles_carry_an_annotation() -> None:
    for doc in documents().values():
        assert doc.article is not None
        note = doc.article.annotation
        assert note is not None
        assert note.summary and note.relevance and note.tags
        assert note.annotator == "annobib team"
        assert note.date is not None and note.date.iso() == "2026-11-28"
