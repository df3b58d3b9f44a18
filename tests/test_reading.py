"""Issue 13, item 17: every reader takes its input through one bounded function.

``validate /dev/zero`` used to read until memory ran out, a FIFO blocked for ever and
``import`` ignored ANNOBIB_MAX_FILE_BYTES. Commands run as real processes, with a timeout,
so a hang fails the test instead of hanging the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annobib.errors import InputError
from annobib.reading import read_input

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")

BIB = "@book{k1, title = {One}, date = {2019}}\n@book{k2, title = {Two}, date = {2020}}\n"


def annobib(*args: str, cwd: Path, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "ANNOBIB_CACHE_DIR": str(cwd / ".cache"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "annobib", *args], cwd=cwd, env=full, input=stdin,
        capture_output=True, text=True, timeout=float(os.environ.get("H_T", "60")),
    )


def test_validate_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    r = annobib("validate", "/dev/zero", cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    assert "/dev/zero" in r.stderr and "not a regular file (a character device)" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("command", [["validate"], ["import"], ["export", "--to", "ris"]])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / ("lib.yaml" if command[0] != "import" else "in.bib")
    os.mkfifo(fifo)
    r = annobib(*command, str(fifo), cwd=tmp_path)  # nobody writes: a blocking open hangs
    assert r.returncode == 3, r.stderr
    assert f"{fifo}" in r.stderr and "a FIFO" in r.stderr
    assert "Traceback" not in r.stderr


def test_import_applies_the_size_limit(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(BIB, encoding="utf-8")
    out = tmp_path / "out.yaml"
    r = annobib("import", str(src), "-o", str(out), cwd=tmp_path,
                env={"ANNOBIB_MAX_FILE_BYTES": "40"})
    assert r.returncode == 3, r.stderr
    assert f"{src}" in r.stderr and "over the 40-byte limit (ANNOBIB_MAX_FILE_BYTES)" in r.stderr
    # nothing imported: no output file left behind to block the retry
    assert not out.exists()
    # the same file under a limit it fits is imported
    r = annobib("import", str(src), "-o", str(out), "--force", cwd=tmp_path,
                env={"ANNOBIB_MAX_FILE_BYTES": str(len(BIB))})
    assert r.returncode == 0, r.stderr
    assert "k2" in out.read_text(encoding="utf-8")


def test_standard_input_is_read_and_bounded(tmp_path: Path) -> None:
    r = annobib("import", "--from", "bibtex", "-", cwd=tmp_path, stdin=BIB)
    assert r.returncode == 0, r.stderr
    assert "key: k1" in r.stdout and "key: k2" in r.stdout
    r = annobib("import", "--from", "bibtex", "-", cwd=tmp_path, stdin=BIB,
                env={"ANNOBIB_MAX_FILE_BYTES": "10"})
    assert r.returncode == 3
    assert "over the 10-byte limit" in r.stderr


def test_style_file_goes_through_the_same_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "style.csl"
    os.mkfifo(fifo)
    lib = tmp_path / "lib.yaml"
    lib.write_text("annobib: 1\nworks:\n  - {key: a, type: book, title: A}\n", encoding="utf-8")
    r = annobib("export", str(lib), "--to", "text", "--style", str(fifo), cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    assert "a FIFO" in r.stderr and "Traceback" not in r.stderr


def test_read_input_reads_no_more_than_the_limit_from_an_endless_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANNOBIB_MAX_FILE_BYTES", "1000")
    r, w = os.pipe()  # more than the limit, and never closed: reading to the end would hang
    try:
        os.write(w, b"x" * 4096)
        monkeypatch.setattr(sys, "stdin", os.fdopen(r, "r"))
        with pytest.raises(InputError, match="over the 1000-byte limit"):
            read_input("-")
    finally:
        os.close(w)
    with pytest.raises(InputError, match="no such file"):
        read_input("/nonexistent/annobib/file.yaml")


def test_directory_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):
        read_input(tmp_path)


def test_evidence_files_go_through_the_same_reader(tmp_path: Path) -> None:
    from annobib.services.evidence import EvidenceStore

    data = tmp_path / "data"
    data.mkdir()
    (data / "lib.yaml").write_text(
        "annobib: 1\nworks:\n  - {key: a, type: book, title: A, doi: 10.1000/xyz}\n",
        encoding="utf-8",
    )
    works = data / ".crossref" / "works"
    works.mkdir(parents=True)
    os.mkfifo(EvidenceStore(data / ".crossref").work_path("10.1000/xyz"))
    r = annobib("check", str(data), "--offline", cwd=tmp_path)  # a blocking read would hang
    assert r.returncode == 4, r.stderr  # no usable evidence: unchecked
    assert "cannot read evidence: not a regular file (a FIFO" in r.stderr
    assert "Traceback" not in r.stderr
