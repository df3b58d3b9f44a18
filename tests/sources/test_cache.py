"""The cache of validated files saves time and never changes a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.api import load
from annobib.model.library import RecordsNotRead
from annobib.sources import cache
from annobib.sources.yaml import load_paths, read_records

DATA = Path(__file__).resolve().parents[2] / "data"

BAD = (
    "annobib: 1\narticle: {key: art, type: journal-article}\n"
    "references:\n  - {n: 1, source: '1. x', work: {key: w, type: web-page, "
    "url: 'https://x.org/', accessed: '2999-01-01'}}\n  - {n: 3, source: '3. y', ref: nowhere}\n"
    "  - {n: 4, source: '4. z', work: {key: v, type: bok}}\n"
)


def _snapshot(paths: list[Path]) -> tuple[list[str], dict[str, int], list[str]]:
    result = load(paths)
    keys = [w.key for w in result.library.works()]
    return [str(f) for f in result.findings], result.library.counts(), keys


def test_cold_and_warm_give_the_same_result(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD, encoding="utf-8")
    cold = _snapshot([DATA, f])
    assert any(e.suffix == ".entry" for e in cache.cache_dir().rglob("*"))
    warm = _snapshot([DATA, f])
    assert warm == cold
    assert len(cold[0]) == 4  # future date, bad type, dangling ref, numbering gap
    assert cold[1]["references"] == 32  # 30 shipped + 2 valid here; the invalid one is reported


def test_warm_validate_does_not_build_the_models(tmp_path: Path) -> None:
    load([DATA])
    result = load([DATA], records=False)  # what validate asks for
    assert not any(d.has_document for d in result.library.documents)
    assert result.library.counts()["records"] == 46
    # a model never reads a file: asking it for the records says they were not read...
    with pytest.raises(RecordsNotRead, match="records were not read"):
        result.library.works()
    # ...and the loader reads them when told to
    read_records(result)
    assert all(d.has_document for d in result.library.documents)
    assert len(result.library.works()) == 46
    assert all(d.has_document for d in load([DATA]).library.documents)  # the default


def test_an_edit_misses_and_a_corrupt_entry_is_ignored(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("annobib: 1\nworks:\n  - {key: a, type: book}\n", encoding="utf-8")
    assert load([f]).findings == []
    f.write_text("annobib: 1\nworks:\n  - {key: a, type: bok}\n", encoding="utf-8")
    assert [x.code for x in load([f]).findings] == ["A110"]
    for entry in cache.cache_dir().rglob("*.entry"):
        entry.write_bytes(b"garbage")
    assert [x.code for x in load([f]).findings] == ["A110"]


def test_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOBIB_NO_CACHE", "1")
    load([DATA])
    assert not any(cache.cache_dir().rglob("*.entry"))


def test_positions_are_cached_when_the_loader_is_asked_to(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD, encoding="utf-8")
    lazy = load_paths([f])
    assert lazy.library.documents[0].locate("w", "accessed").line == 4
    # a finding needed positions: worked out in memory, and reading them wrote nothing
    assert not list(cache.cache_dir().rglob("*.index"))
    first = [str(x) for x in load([f]).findings]  # the api's load keeps what lint asked for
    assert list(cache.cache_dir().rglob("*.index"))
    second = load([f])  # and the next load reads them with the entry
    doc = second.library.documents[0]
    assert doc.locate("w", "accessed").line == 4
    assert [str(x) for x in second.findings] == first


def test_a_changed_validator_misses_the_cache(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The key holds the validating modules' code, not a version number: edit one and every
    entry it made misses (issue 16)."""
    import shutil

    package = tmp_path / "annobib"
    shutil.copytree(Path(cache.__file__).resolve().parents[1], package)
    monkeypatch.setattr(cache, "_PACKAGE", package)
    cache.code_hash.cache_clear()
    try:
        before = cache.code_hash()
        assert cache.code_hash() == before  # stable while nothing changes
        values = package / "model" / "values.py"
        values.write_text(values.read_text(encoding="utf-8") + "\n# a changed rule\n",
                          encoding="utf-8")
        cache.code_hash.cache_clear()
        assert cache.code_hash() != before
        (package / "exporters" / "ris.py").write_text("# not a validator\n", encoding="utf-8")
        after = cache.code_hash()
        cache.code_hash.cache_clear()
        assert cache.code_hash() == after  # an exporter is no part of the key
    finally:
        cache.code_hash.cache_clear()
