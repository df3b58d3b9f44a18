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
    tgz = hook.pinned_tarball("citeproc", "9.9.9", _sri(data), str(tmp_path), str(path))
    files = hook.vendor_files("citeproc", "9.9.9", _sri(data), tgz)
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
        hook.pinned_tarball("citeproc", "1.0.0", _sri(good), str(tmp_path), str(path))


def test_unreachable_registry_is_one_sentence(
    hook: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")
    with pytest.raises(hook.BuildError) as exc:
        hook.pinned_tarball("citeproc", "2.4.63", "sha512-x", str(tmp_path))
    msg = str(exc.value)
    assert msg.startswith("cannot download npm package citeproc@2.4.63 from the npm registry (")
    assert "\n" not in msg


def test_registry_is_read_from_npmrc_without_npm(
    hook: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(tmp_path / "user.npmrc"))
    project = tmp_path / "project"
    project.mkdir()
    assert hook._registry(str(project)) == "https://registry.npmjs.org/"
    (tmp_path / "user.npmrc").write_text("fund=false\nregistry = https://user.example/npm/\n")
    assert hook._registry(str(project)) == "https://user.example/npm/"
    (project / ".npmrc").write_text('registry="https://project.example/"\n')
    assert hook._registry(str(project)) == "https://project.example/"


def test_sdist_carries_the_tarball_and_installs_with_the_network_off(
    hook: ModuleType, tmp_path: Path
) -> None:
    """Build an sdist of a copy of this project pinned to a tarball made here, then install it
    with every proxy and registry pointing nowhere: the wheel must be built from the carried
    tarball, with no download and no Node.js."""
    import os
    import re
    import shutil
    import subprocess
    import tarfile as tf

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to list the project's files")
    js = b"// citeproc stand-in made by the test\n"
    data = _tgz({"package/citeproc_commonjs.js": js, "package/LICENSE": b"CPAL"})
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout.split("\n")
    copy = tmp_path / "project"
    for name in filter(None, listed):
        if name.startswith(("tests/", "benchmarks/", "data/", "docs/")) or not (ROOT / name).is_file():
            continue
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    pyproject = (copy / "pyproject.toml").read_text()
    pyproject = re.sub(r'npm-version = "[^"]*"', 'npm-version = "0.0.1"', pyproject)
    pyproject = re.sub(r'npm-integrity = "[^"]*"', f'npm-integrity = "{_sri(data)}"', pyproject)
    (copy / "pyproject.toml").write_text(pyproject)
    (tmp_path / "citeproc-0.0.1.tgz").write_bytes(data)

    nowhere = "http://127.0.0.1:9"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"ANNOBIB_CITEPROC_TGZ": str(tmp_path / "citeproc-0.0.1.tgz")})
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(dist)],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    (sdist,) = dist.glob("annobib-*.tar.gz")
    with tf.open(sdist) as tar:
        carried = [n for n in tar.getnames() if n.endswith("/vendor/citeproc-0.0.1.tgz")]
        assert len(carried) == 1
        member = tar.extractfile(carried[0])
        assert member is not None and member.read() == data

    env.pop("ANNOBIB_CITEPROC_TGZ")
    env.update({
        "HTTP_PROXY": nowhere, "HTTPS_PROXY": nowhere, "ALL_PROXY": nowhere,
        "http_proxy": nowhere, "https_proxy": nowhere, "npm_config_registry": nowhere + "/",
        "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "", "PIP_EXTRA_INDEX_URL": "",
    })
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(sdist)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (target / "annobib_cjs_vendor" / "citeproc_commonjs.js").read_bytes() == js
    assert b'VERSION = "0.0.1"' in (target / "annobib_cjs_vendor" / "__init__.py").read_bytes()
    assert (target / "annobib" / "__init__.py").is_file()
