"""A process killed outright (SIGKILL: no cleanup, no finally) while replacing a file leaves
either the old file or the new one, whole; never a mix, never an empty file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annobib.atomic import write_atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

WRITER = r"""
import sys
from pathlib import Path
from annobib.atomic import write_atomic

target = Path(sys.argv[1])
contents = [("a" * 199 + "\n") * 40_000, ("б" * 199 + "\n") * 40_000]  # 8 MB / 16 MB
print("ready", flush=True)
i = 0
while True:
    write_atomic(target, contents[i % 2])
    i += 1
"""


def test_sigkill_during_writes_never_leaves_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "library.yaml"
    old = "annobib: 1\n"
    target.write_text(old, encoding="utf-8")
    allowed = {old, ("a" * 199 + "\n") * 40_000, ("б" * 199 + "\n") * 40_000}
    seen: set[int] = set()
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55, 0.89):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        text = target.read_text(encoding="utf-8")
        assert text in allowed, f"partial file after SIGKILL at {delay}s ({len(text)} chars)"
        seen.add(len(text))
    # the kills landed while files were being replaced, not only before the first write
    assert seen - {len(old)}
    # what a kill can leave is a hidden temporary file beside the target, never the target
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "library.yaml"]
    assert all(n.startswith(".library.yaml.") and n.endswith(".tmp") for n in leftovers)
    # the next write removes them once they are old enough to belong to no running writer
    for name in leftovers:
        os.utime(tmp_path / name, (time.time() - 2 * 3600,) * 2)
    write_atomic(target, old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.yaml"]


def test_only_stale_temporary_files_of_the_same_target_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "lib.bib"
    long_ago = time.time() - 2 * 3600
    stale = tmp_path / ".lib.bib.a1b2_c3d.tmp"  # a writer of lib.bib killed two hours ago
    fresh = tmp_path / ".lib.bib.zz99yy88.tmp"  # a writer of lib.bib at work right now
    other = tmp_path / ".lib.bib.x.abcdefgh.tmp"  # another target's
    mine = tmp_path / ".lib.bib.notes.tmp"  # not a name mkstemp makes
    for p in (stale, fresh, other, mine):
        p.write_text("x", encoding="utf-8")
    for p in (stale, other, mine):
        os.utime(p, (long_ago, long_ago))
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists() and mine.exists()
