"""Keys as written (issue #12): any key BibTeX and biblatex accept is imported and exported
unchanged, so every \\cite{} of an existing document keeps working; a key is renamed only where
the target cannot hold it, with a finding that names the old key and the new one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from annobib.exporters import ExportOptions, export
from annobib.exporters.biblatex import ascii_key
from annobib.model.library import Document, Library, LoadedDocument
from annobib.sources.bibtex import read_bibtex

# the first two from biblatex-examples.bib and the issue; the rest are keys real files use
KEPT = ["baez/article", "пункт3", "Team:2019:LNIb", "x[1]", "@at", "-dash", "a+b", "Müller2001"]


def bib(keys: list[str]) -> str:
    return "".join(f"@misc{{{k},\n  title = {{T {i}}},\n  year = 2000\n}}\n" for i, k in
                   enumerate(keys))


def library(keys: list[str]) -> Library:
    works = read_bibtex(bib(keys), "k.bib").works
    return Library([LoadedDocument("k.yaml", Document(works=works))])


def test_keys_biblatex_accepts_are_kept_without_a_finding() -> None:
    r = read_bibtex(bib(KEPT), "k.bib")
    assert [w.key for w in r.works] == KEPT
    assert [f for f in r.findings if f.field == "key"] == []


def test_a_key_no_bib_file_can_hold_is_renamed_and_said() -> None:
    # a key with a space cannot come from a .bib file, but CSL-JSON ids can have one
    from annobib.findings import Location
    from annobib.sources.interchange import KeyRegistry

    findings: list = []  # type: ignore[type-arg]
    key = KeyRegistry().claim("Smith 2001", Location("x.json", 3), findings)
    assert key == "Smith-2001"
    (f,) = findings
    assert f.code == "A417" and f.data["original"] == "Smith 2001" and "Smith-2001" in f.message


@pytest.mark.parametrize("to", ["biblatex", "bibtex"])
def test_export_writes_the_keys_as_written(to: str) -> None:
    res = export(library(KEPT), to)
    heads = [line for line in res.text.splitlines() if line.startswith("@")]
    assert heads == [f"@misc{{{k}," for k in KEPT]
    assert not [f for f in res.findings if f.code == "A406"]


def test_ascii_export_renames_only_the_keys_it_cannot_hold() -> None:
    res = export(library(KEPT), "bibtex", ExportOptions(ascii=True))
    assert res.text.isascii()
    heads = [line[len("@misc{"):-1] for line in res.text.splitlines() if line.startswith("@")]
    renamed = {f.key: f for f in res.findings if f.code == "A406"}
    assert set(renamed) == {"пункт3", "Müller2001"}
    for old, new in zip(KEPT, heads, strict=True):
        if old.isascii():
            assert new == old
        else:
            assert new == ascii_key(old) and new.isascii()
            assert f"'{old}'" in renamed[old].message and f"'{new}'" in renamed[old].message
    assert ascii_key("Müller2001").startswith("Muller2001-")
    assert ascii_key("пункт3") != ascii_key("пункт4")  # fold alike, stay apart


@pytest.mark.realclient
def test_biber_reads_the_keys_back(tmp_path: Path) -> None:
    if shutil.which("biber") is None:
        pytest.skip("biber is not installed (Debian: biber)")
    src = tmp_path / "in.bib"
    src.write_text(export(library(KEPT), "biblatex").text, encoding="utf-8")
    out = tmp_path / "out.bib"
    subprocess.run(["biber", "--tool", "--output-file", str(out), str(src)], cwd=tmp_path,
                   capture_output=True, check=True)
    text = out.read_text(encoding="utf-8")
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines()
            if line.startswith("@")]
    assert sorted(keys) == sorted(KEPT)
