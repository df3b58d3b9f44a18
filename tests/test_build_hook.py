"""The build hook that puts citeproc-js into the wheel refuses a tarball it was not pinned to."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import sys
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    pytest.importorskip("hatchling", reason="hatchling (the build backend) is not installed")
    spec = importlib.util.spec_from_file_location("annobib_hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["annobib_hatch_build"] = module
    spec.loader.exec_module(module)
    return module


def _tgz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_pinned_tarball_gives_the_vendor_files(hook: ModuleType, tmp_path: Path) -> None:
    data = _tgz({"package/citeproc_commonjs.js": b"// js", "package/LICENSE": b"CPAL", "package/x": b""})
    path = tmp_path / "citeproc-9.9.9.tgz"
    path.write_bytes(data)
    files = hook.vendor_files("citeproc", "9.9.9", _sri(data), str(path))
    assert files["citeproc_commonjs.js"] == b"// js"
    assert files["LICENSE"] == b"CPAL"
    assert b'VERSION = "9.9.9"' in files["__init__.py"]
    assert set(files) == {"citeproc_commonjs.js", "LICENSE", "__init__.py"}


def test_tampered_tarball_is_refused(hook: ModuleType, tmp_path: Path) -> None:
    good = _tgz({"package/citeproc_commonjs.js": b"// js", "package/LICENSE": b"CPAL"})
    bad = _tgz({"package/citeproc_commonjs.js": b"// evil", "package/LICENSE": b"CPAL"})
    path = tmp_path / "citeproc.tgz"
    path.write_bytes(bad)
    with pytest.raises(hook.BuildError, match=r"does not match the pinned integrity of citeproc@1\.0\.0"):
        hook.vendor_files("citeproc", "1.0.0", _sri(good), str(path))


def test_unreachable_registry_is_one_sentence(hook: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")
    with pytest.raises(hook.BuildError) as exc:
        hook.vendor_files("citeproc", "2.4.63", "sha512-x", None)
    msg = str(exc.value)
    assert msg.startswith("cannot download npm package citeproc@2.4.63 from the npm registry (")
    assert "\n" not in msg
