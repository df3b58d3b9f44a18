"""Issue 13, items 14-16: writes that race, go through symbolic links, or cannot be made.

* Two imports racing to the same new ``-o`` file: exactly one writes it, the other exits 2.
* ``export -o`` onto a symbolic link and ``check --apply`` on a linked data file write through
  to the link's target (atomically, in the target's directory); the link stays a link.
* A read-only directory or a full disk ends ``export -o``, ``import -o``, ``check`` (its
  evidence and its ``-o`` report), ``check --apply`` and ``import --doi`` with a message naming
  the path and the reason, exit 3, and the files that were there unchanged. The faults are
  made at the lowest seam of :mod:`annobib.atomic` (the temporary file's creation, the
  ``os.write`` loop) here, and by a real full or read-only tmpfs in
  ``test_real_full_and_read_only_filesystems`` where this machine lets a test mount one.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib import atomic
from annobib.cli.app import app
from crossref_standin import Limits, StandIn, running

runner = CliRunner()
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and processes")

LIB = """annobib: 1
works:
  - key: kamennov2019
    type: book
    title: Voennaya politika Kitaya
    issued: "2019"
"""
# a record whose DOI `check --suggest-dois` finds and accepts from the stand-in's recordings
APPLY = """annobib: 1
# keep me
works:
  - key: ali2017
    type: journal-article
    title: "Fish Ontology framework for taxonomy-based fish recognition"
    author: ["Ali, Najib M."]
    container-title: PeerJ
    issued: "2017"
    volume: "5"
"""


def bib(key: str, n: int) -> str:
    return "".join(f"@book{{{key}{i}, title = {{Title {i}}}, date = {{2019}}}}\n" for i in range(n))


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(Limits(single=100, lists=100, concurrency=3))
    yield s
    s.stop()


# --- 14: racing imports ------------------------------------------------------------------------


@POSIX
def test_two_imports_racing_to_a_new_file_one_wins_the_other_exits_2(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text(bib("alpha", 300), encoding="utf-8")
    b.write_text(bib("beta", 300), encoding="utf-8")
    env = {**os.environ, "ANNOBIB_CACHE_DIR": str(tmp_path / ".cache"), "ANNOBIB_JOBS": "1"}
    for round_ in range(6):
        out = tmp_path / f"out{round_}.yaml"
        procs = [
            subprocess.Popen([sys.executable, "-m", "annobib", "import", str(src), "-o", str(out)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for src in (a, b)
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 2], f"round {round_}: {results}"
        winner = next(i for i, (code, _, _) in enumerate(results) if code == 0)
        _, _, loser_err = results[1 - winner]
        assert f"{out} exists; not overwriting it (use --force)" in loser_err
        assert "Traceback" not in loser_err
        text = out.read_text(encoding="utf-8")
        won, lost = ("alpha", "beta") if winner == 0 else ("beta", "alpha")
        assert f"key: {won}299" in text and f"key: {lost}0" not in text
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_exclusive_write_refuses_an_existing_file_and_a_dangling_link(tmp_path: Path) -> None:
    from annobib.errors import OutputExists

    target = tmp_path / "x.yaml"
    atomic.write_atomic(target, "one\n", exclusive=True)
    with pytest.raises(OutputExists):
        atomic.write_atomic(target, "two\n", exclusive=True)
    assert target.read_text(encoding="utf-8") == "one\n"
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(OutputExists):
        atomic.write_atomic(dangling, "two\n", exclusive=True)


# --- 15: symbolic links ------------------------------------------------------------------------


@POSIX
def test_export_onto_a_symlink_writes_through_to_its_target(tmp_path: Path) -> None:
    lib = tmp_path / "lib.yaml"
    lib.write_text(LIB, encoding="utf-8")
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "out.ris"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "out.ris"
    link.symlink_to(Path("real") / "out.ris")  # relative, as links often are
    r = runner.invoke(app, ["export", str(lib), "--to", "ris", "-o", str(link)])
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "out.ris")
    assert "Voennaya politika Kitaya" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o640
    # the temporary file was made beside the target, not beside the link
    assert sorted(p.name for p in real_dir.iterdir()) == ["out.ris"]


@POSIX
def test_check_apply_on_a_symlinked_data_file_edits_the_target(
    server: StandIn, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    real = store / "a.yaml"
    real.write_text(APPLY, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").symlink_to(real)
    r = runner.invoke(app, ["check", str(data), "--apply", "--api-url", server.url,
                            "--fail-on", "never"])
    assert r.exit_code == 0, r.output
    assert (data / "a.yaml").is_symlink()
    assert real.read_text(encoding="utf-8") == APPLY + '    doi: "10.7717/peerj.3811"\n'


# --- 16: read-only directory, full disk -------------------------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def write_all(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic, "_write_all", write_all)


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def mkstemp(**_: Any) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(atomic, "tempfile", SimpleNamespace(mkstemp=mkstemp))


FAULTS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str]] = {
    "full": (_full_disk, "no space left on the device"),
    "read-only": (_read_only, "the directory is not writable"),
}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _assert_clean_failure(r: Any, path: Path, reason: str, before: dict[str, bytes],
                          root: Path) -> None:
    assert r.exit_code == 3, r.output
    assert f"cannot write {path}" in r.stderr and reason in r.stderr, r.stderr
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert _snapshot(root) == before  # nothing changed, no temporary file left


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_export_o_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                fault: str) -> None:
    lib = tmp_path / "lib.yaml"
    lib.write_text(LIB, encoding="utf-8")
    out = tmp_path / "out.ris"
    out.write_text("the previous export\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    make, reason = FAULTS[fault]
    make(monkeypatch)
    r = runner.invoke(app, ["export", str(lib), "--to", "ris", "-o", str(out), "--no-cache"])
    _assert_clean_failure(r, out, reason, before, tmp_path)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_import_o_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                fault: str) -> None:
    src = tmp_path / "in.bib"
    src.write_text(bib("k", 3), encoding="utf-8")
    out = tmp_path / "out.yaml"
    before = _snapshot(tmp_path)
    make, reason = FAULTS[fault]
    make(monkeypatch)
    r = runner.invoke(app, ["import", str(src), "-o", str(out)])
    _assert_clean_failure(r, out, reason, before, tmp_path)
    assert "records imported" not in r.stderr


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_check_evidence_and_report_fail_cleanly(
    server: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text(APPLY.replace('    volume: "5"\n',
                                               '    volume: "5"\n    doi: 10.7717/peerj.3811\n'),
                                 encoding="utf-8")
    before = _snapshot(tmp_path)
    make, reason = FAULTS[fault]
    make(monkeypatch)
    r = runner.invoke(app, ["check", str(data), "--api-url", server.url])
    evidence = data / ".crossref" / "works"
    assert r.exit_code == 3, r.output
    assert f"cannot write {evidence}" in r.stderr and reason in r.stderr, r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert not [p for p in data.rglob("*") if p.is_file() and p.name != "a.yaml"]
    assert _snapshot(data) == {k[len("data/"):]: v for k, v in before.items()}
    # with the evidence stored, a report to a file that cannot be written fails the same way
    monkeypatch.undo()
    r = runner.invoke(app, ["check", str(data), "--api-url", server.url, "--fail-on", "never"])
    assert r.exit_code == 0, r.output
    report = tmp_path / "report.json"
    report.write_text("{}", encoding="utf-8")
    before = _snapshot(tmp_path)
    make(monkeypatch)
    r = runner.invoke(app, ["check", str(data), "--offline", "--format", "json",
                            "--fail-on", "never", "-o", str(report)])
    _assert_clean_failure(r, report, reason, before, tmp_path)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_check_apply_fails_cleanly(server: StandIn, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text(APPLY, encoding="utf-8")
    # the evidence is stored first, so only the edit of the data file meets the fault
    r = runner.invoke(app, ["check", str(data), "--suggest-dois", "--api-url", server.url,
                            "--fail-on", "never"])
    assert r.exit_code == 0, r.output
    before = _snapshot(tmp_path)
    make, reason = FAULTS[fault]
    make(monkeypatch)
    r = runner.invoke(app, ["check", str(data), "--apply", "--offline", "--fail-on", "never"])
    _assert_clean_failure(r, data / "a.yaml", reason, before, tmp_path)
    assert "ali2017: not written" in r.stderr


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_import_doi_fails_cleanly(server: StandIn, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    out = tmp_path / "lib.yaml"
    make, reason = FAULTS[fault]
    make(monkeypatch)
    r = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "-o", str(out),
                            "--api-url", server.url])
    assert r.exit_code == 3, r.output
    assert "cannot write" in r.stderr and reason in r.stderr, r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert not out.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


# --- the same with real filesystems, where a test may mount one ------------------------------

SCRIPT = r"""
set -u
mount -t tmpfs -o size=64k annobib-test "$DIR"
cp "$SRC/lib.yaml" "$SRC/in.bib" "$SRC/out.ris" "$DIR/"
cd "$DIR"
[ "$MODE" = ro ] && mount -o remount,ro "$DIR"
[ "$MODE" = full ] && head -c 60000 /dev/zero > "$DIR/filler" 2>/dev/null
"$PY" -m annobib export lib.yaml --to ris -o out.ris --no-cache 2>"$OUT/export.err"
echo $? > "$OUT/export.rc"
"$PY" -m annobib import in.bib -o new.yaml 2>"$OUT/import.err" >/dev/null
echo $? > "$OUT/import.rc"
cp out.ris "$OUT/out.ris"
ls -a > "$OUT/ls"
"""


def _can_mount() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c",
         "mount -t tmpfs -o size=4k probe /mnt 2>/dev/null || "
         "mount -t tmpfs -o size=4k probe \"$TMPDIR\""],
        capture_output=True, env={**os.environ, "TMPDIR": "/tmp"}, timeout=20,
    )
    return probe.returncode == 0


@POSIX
@pytest.mark.parametrize("mode", ["full", "ro"])
def test_real_full_and_read_only_filesystems(tmp_path: Path, mode: str) -> None:
    if not _can_mount():
        pytest.skip("this machine does not let a test mount a tmpfs (unshare --mount)")
    src, mnt, out = tmp_path / "src", tmp_path / "mnt", tmp_path / "out"
    for d in (src, mnt, out):
        d.mkdir()
    (src / "lib.yaml").write_text(LIB + "    note: " + "x" * 8000 + "\n", encoding="utf-8")
    (src / "in.bib").write_text(bib("k", 200), encoding="utf-8")
    (src / "out.ris").write_text("the previous export\n", encoding="utf-8")
    env = {**os.environ, "DIR": str(mnt), "SRC": str(src), "OUT": str(out), "MODE": mode,
           "PY": sys.executable, "ANNOBIB_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c",
                    textwrap.dedent(SCRIPT)], env=env, check=True, timeout=120)
    reason = "no space left on the device" if mode == "full" else "the directory is not writable"
    for command, path in (("export", "out.ris"), ("import", "new.yaml")):
        err = (out / f"{command}.err").read_text(encoding="utf-8")
        assert (out / f"{command}.rc").read_text().strip() == "3", err
        assert f"cannot write {path}" in err and reason in err, err
        assert "Traceback" not in err
    assert (out / "out.ris").read_text(encoding="utf-8") == "the previous export\n"
    listing = (out / "ls").read_text().split()
    assert "new.yaml" not in listing and not [n for n in listing if n.endswith(".tmp")]
