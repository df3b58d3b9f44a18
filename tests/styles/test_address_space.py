"""Issue 13, item 18: a formatted export under a virtual-memory limit (``ulimit -v``).

V8 reserves about 210 GiB of address space when it starts and, when it cannot, stops the
process with SIGTRAP and no message. annobib now finds out first (in a child process) and ends
with exit 3 and a message that says what to do. The commands run as real processes with the
limit set in them (``preexec_fn``), exactly as a shell's ``ulimit -v`` would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")

LIB = 'annobib: 1\nworks:\n  - {key: a, type: book, title: A Title, issued: "2019"}\n'
GIB = 1024**3


def run_limited(tmp_path: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "lib.yaml").write_text(LIB, encoding="utf-8")

    def limit_address_space() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "annobib", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "ANNOBIB_CACHE_DIR": str(tmp_path / ".cache")},
        preexec_fn=limit_address_space,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS as on Linux")
@pytest.mark.parametrize("command", [
    ["export", "lib.yaml", "--to", "text"],
    ["export", "lib.yaml", "--to", "html", "--style", "chicago-author-date"],
    ["cite", "a", "--in", "lib.yaml"],
])
def test_formatting_under_a_low_address_space_limit_says_what_to_do(
    tmp_path: Path, command: list[str]
) -> None:
    r = run_limited(tmp_path, 8 * GIB, *command)
    assert r.returncode != -signal.SIGTRAP, "V8 killed the process"
    assert r.returncode == 3, r.stderr
    assert "virtual-memory limit (ulimit -v 8388608 kB)" in r.stderr
    assert "ulimit -v unlimited" in r.stderr
    assert "FATAL" not in r.stderr and "Traceback" not in r.stderr  # the probe's crash is hidden


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS as on Linux")
def test_a_limit_v8_fits_in_still_formats(tmp_path: Path) -> None:
    r = run_limited(tmp_path, 400 * GIB, "export", "lib.yaml", "--to", "text")
    assert r.returncode == 0, r.stderr
    assert "A Title" in r.stdout


def test_non_formatted_exports_need_no_v8_and_work_under_the_limit(tmp_path: Path) -> None:
    r = run_limited(tmp_path, 8 * GIB, "export", "lib.yaml", "--to", "csljson")
    assert r.returncode == 0, r.stderr
    assert '"title": "A Title"' in r.stdout
