"""Reading a large BibTeX file in parts (``annobib import --jobs``) gives what one piece gives.

The parts are parsed apart, so everything that crosses a cut is exercised here: ``@string``
macros defined before it, keys repeated across it, a failed block near it, a cut that a
value would straddle, a ``@string`` repeated after it. Each case compares the records (YAML
items) and the findings, in order, with ``jobs=1``; the threshold is lowered so small texts
are split.
"""

from __future__ import annotations

import os
import sys

import pytest

from annobib import runtime, workers
from annobib.model.library import Document
from annobib.sources.bibtex import names, parallel, read_bibtex
from annobib.sources.interchange import KeyRegistry, read_items
from annobib.sources.yaml import document_data
from annobib.sources.yamlfast import document_yaml, dump, work_yaml

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="parts are read in forked processes on Linux"
)


def entry(i: int, key: str | None = None, extra: str = "") -> str:
    return (
        f"@article{{{key or f'k{i}'},\n"
        f"  author = {{Иванов, Иван and Müller, Jörg and Doe{i}, J.}},\n"
        f'  title = "Title number {i} about {{NATO}}",\n'
        f"  journal = jname,\n"
        f"  year = {{{1990 + i % 30}}}, month = {'jan' if i % 2 else 'mar'},\n"
        f"  pages = {{{i}--{i + 9}}},\n"
        f"  bibdate = {{kept out {i}}},{extra}\n"
        "}\n\n"
    )


def library(n: int, middle: str = "", tail: str = "") -> str:
    head = '@string{jname = "Journal of Tests"}\n@string{other = "Other"}\n\n'
    first = "".join(entry(i) for i in range(n // 2))
    second = "".join(entry(i) for i in range(n // 2, n))
    return head + first + middle + second + tail


def both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1000)
    monkeypatch.delenv("ANNOBIB_JOBS", raising=False)  # a user's setting must not skip the parts
    # other tests may leave threads behind (stand-in servers); these tests want the parts
    monkeypatch.setattr(runtime, "other_threads", lambda: False)
    used: list[bool] = []
    real = parallel.read_parallel

    def spy(*args: object) -> object:
        out = real(*args)  # type: ignore[arg-type]
        used.append(out is not None)
        return out

    monkeypatch.setattr(parallel, "read_parallel", spy)
    one = read_bibtex(text, "lib.bib", as_yaml=True, jobs=1)
    two = read_bibtex(text, "lib.bib", as_yaml=True, jobs=2)  # two parts: the texts are small
    # many small parts, more than the processes, taken in turn; and more processes than CPUs
    monkeypatch.setattr(parallel, "MIN_PART_CHARS", 500)
    many = read_bibtex(text, "lib.bib", as_yaml=True, jobs=2)
    monkeypatch.setattr(runtime, "cpus", lambda: 4)
    four = read_bibtex(text, "lib.bib", as_yaml=True, jobs=4)
    for parts in (many, four):
        same(two, parts)
    return one, two, any(used)


def same(one: object, parts: object) -> None:
    assert parts.yaml_items == one.yaml_items  # type: ignore[attr-defined]
    assert parts.findings == one.findings  # type: ignore[attr-defined]
    assert parts.entries_seen == one.entries_seen  # type: ignore[attr-defined]


def test_plain_library_is_split_and_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    text = library(200)
    one, parts, split = both(text, monkeypatch)
    assert split, "the text should have been read in parts"
    same(one, parts)
    # each way of cutting it was used: 2, 16 and 32 parts (with 4 processes)
    monkeypatch.setattr(runtime, "cpus", lambda: 4)
    assert parallel.read_parallel(text, "lib.bib", 4) is not None
    assert workers.LAST["own_chunks"] + workers.LAST["worker_chunks"] == 32
    assert workers.LAST["worker_chunks"] > 0
    assert len(one.yaml_items) == 200  # type: ignore[attr-defined]
    # the macro defined before the cut reached the second part
    assert "container-title: Journal of Tests" in one.yaml_items[-1]  # type: ignore[attr-defined]


def test_key_repeated_across_the_cut_is_renamed_as_in_one_piece(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a different entry (with a macro annobib reports), the same entry
    text = library(200, tail=entry(999, key="k3", extra="\n  note = {\\weird{x}},") + entry(3))
    one, parts, split = both(text, monkeypatch)
    assert split
    same(one, parts)
    items = parts.yaml_items  # type: ignore[attr-defined]
    assert items[-1].startswith("- key: k3-2\n")  # the different entry, renamed
    assert len(items) == 201  # the identical repeat is not imported twice
    renamed = [f for f in parts.findings if f.key == "k3-2"]  # type: ignore[attr-defined]
    assert renamed and renamed[0].code == "A412"
    # findings about the renamed record name it by its new key
    assert any(f.field == "note" and f.code == "A418" for f in renamed)
    assert "bibdate: kept out 999" in items[-1]  # kept as written (verbatim), not reported


def test_failed_block_and_invalid_key_in_either_part(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = "@article{broken, title = {unbalanced, year = 2000}\n\n" + entry(5000, key="bad key!")
    # at the cut, a failed block may end the first part: then it is read in one piece
    for text, must_split in ((library(200, middle=bad), False), (library(200, tail=bad), True)):
        one, parts, split = both(text, monkeypatch)
        assert split or not must_split
        same(one, parts)
        assert any(f.code == "A411" for f in one.findings)  # type: ignore[attr-defined]
        assert any(f.code == "A417" for f in one.findings)  # type: ignore[attr-defined]


def test_string_after_the_cut_repeating_one_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # bibtexparser would see the repeat only in one piece: the parts must not be used
    tail = '@string{jname = "Changed"}\n\n' + entry(8000, key="after")
    text = library(200, tail=tail)
    one, parts, split = both(text, monkeypatch)
    assert not split
    same(one, parts)


def test_value_straddling_the_cut_is_read_in_one_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    # a value holding lines that look like block starts, placed where the cut is searched
    fake = "".join(f"@misc{{fake{i}, note = {{x}}}}\n" for i in range(40))
    straddle = "@article{straddle,\n  note = {begin\n" + fake + "end},\n  year = {2001}\n}\n\n"
    for n in (100, 200, 300):
        text = library(n, middle=straddle)
        one, parts, _split = both(text, monkeypatch)
        same(one, parts)


def test_macros_defined_in_the_second_part_stay_there(monkeypatch: pytest.MonkeyPatch) -> None:
    late = '@string{late = "Late Journal"}\n\n' + entry(7000, key="late1").replace(
        "journal = jname", "journal = late"
    )
    text = library(200, tail=late)
    one, parts, split = both(text, monkeypatch)
    assert split
    same(one, parts)
    assert any("Late Journal" in item for item in parts.yaml_items)  # type: ignore[attr-defined]


def test_line_numbers_after_a_backslash_newline_are_right() -> None:
    # bibtexparser does not count a newline that follows a backslash (TeX's control space)
    text = (
        "@article{a,\n  title = {pp.\\\n 272},\n  year = {2000}, note = {\\weird x}\n}\n\n"
        "@article{b,\n  year = {2001}, note = {\\weird y}\n}\n"
    )
    result = read_bibtex(text, "lib.bib")
    lines = {f.key: f.location.line if f.location else None
             for f in result.findings if f.field == "note"}
    assert lines == {"a": 1, "b": 7}


def test_yaml_items_make_the_document_dump_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    text = library(60)
    models = read_bibtex(text, "lib.bib")
    items = read_items(text, "lib.bib", "bibtex", KeyRegistry(), jobs=2).yaml_items
    assert items == [work_yaml(w) for w in models.works]
    assert document_yaml(items) == dump(document_data(Document(works=models.works)))
    assert document_yaml([]) == dump(document_data(Document()))


def test_no_parts_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANNOBIB_JOBS", raising=False)
    monkeypatch.setattr(runtime, "other_threads", lambda: True)
    assert parallel.processes(0) == 1
    monkeypatch.setattr(runtime, "other_threads", lambda: False)
    assert parallel.processes(1) == 1
    assert parallel.processes(2) == min(2, len(os.sched_getaffinity(0)))


def test_names_shared_between_records_keep_each_records_findings() -> None:
    # the import makes a repeated name's Person once; a name whose reading is reported (an
    # unknown TeX macro) is read again for every record, so each record names its problem
    text = "".join(
        f"@article{{r{i},\n  author = {{Doe, Jane and M\\weird{{u}}ller, Jörg and {{ACME Corp.}}"
        f" and Иванов, И. И.}},\n  editor = {{Doe, Jane}},\n  title = {{T{i}}},\n  year = 2001\n}}\n"
        for i in range(3)
    )
    models = read_bibtex(text, "lib.bib")
    yamls = read_bibtex(text, "lib.bib", as_yaml=True)
    assert yamls.yaml_items == [work_yaml(w) for w in models.works]
    assert yamls.findings == models.findings
    weird = [f.key for f in yamls.findings if f.code == "A418"]
    assert weird == ["r0", "r1", "r2"]
    assert "- Doe, Jane\n" in yamls.yaml_items[2]
    assert "- \"{ACME Corp.}\"\n" in yamls.yaml_items[2]
    assert names.SHARED.forms[id(names.SHARED.by_name["Doe, Jane"])] == "Doe, Jane"
