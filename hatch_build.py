"""Build hook: put the pinned, integrity-checked citeproc-js into the wheel.

The formatting engine (``annobib.styles``) runs citeproc-js in process through mini-racer. Its
JavaScript is not in this repository: this hook fetches the npm package pinned in
``pyproject.toml`` (``[tool.hatch.build.hooks.custom]``: name, version, sha512 integrity) when a
wheel is built, checks the tarball against the pin, and adds two files of it (the CommonJS build
and its LICENSE) to the wheel as the top-level package ``annobib_cjs_vendor``.

Why a separate top-level package: an editable install is a ``.pth`` entry pointing at ``src/``, so
a file placed under ``site-packages/annobib/`` would be hidden by the source package.

Where the tarball comes from, in order (each is checked against the pinned integrity):

1. ``ANNOBIB_CITEPROC_TGZ=/path/to/citeproc-X.Y.Z.tgz`` (offline or distribution builds);
2. ``vendor/citeproc-X.Y.Z.tgz`` beside ``pyproject.toml``: every sdist carries it, so a wheel
   built from an sdist (``pip install annobib-*.tar.gz``) needs no network;
3. the npm registry, fetched with Python's own HTTP client: the address is read the way npm reads
   it (``npm_config_registry``, then ``registry=`` in the project's and the user's ``.npmrc``),
   else npm's default. No Node.js or npm is needed to build.

Building an sdist fetches the tarball the same way and puts it into the sdist under ``vendor/``;
the repository itself never holds it. Without network the build stops with one sentence saying
what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

VENDOR_PACKAGE = "annobib_cjs_vendor"
WANTED = {
    "package/citeproc_commonjs.js": "citeproc_commonjs.js",
    "package/LICENSE": "LICENSE",
}
TIMEOUT_S = 60


class BuildError(Exception):
    """A build problem told to the user in one sentence."""


def _fail(message: str) -> None:
    # One sentence on stderr and a non-zero exit: pip shows it without a Python traceback.
    sys.stderr.write(f"annobib build: {message}\n")
    raise SystemExit(1)


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


DEFAULT_REGISTRY = "https://registry.npmjs.org/"


def _npmrc_registry(path: str) -> str | None:
    """The ``registry=`` line of an ``.npmrc`` file (npm's ini format), if it has one."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        name, sep, value = line.strip().partition("=")
        if sep and name.strip() == "registry":
            value = value.strip().strip("\"'")
            if value.startswith(("http://", "https://")):
                return value
    return None


def _registry(root: str = ".") -> str:
    """The registry npm would use: the environment, then the project's and the user's
    ``.npmrc``, then npm's default. Read without running npm."""
    for var in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):
        if os.environ.get(var):
            return os.environ[var]
    user_rc = os.environ.get("NPM_CONFIG_USERCONFIG") or os.path.join(
        os.path.expanduser("~"), ".npmrc"
    )
    for rc in (os.path.join(root, ".npmrc"), user_rc):
        found = _npmrc_registry(rc)
        if found:
            return found
    return DEFAULT_REGISTRY


def _get(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
        data: bytes = resp.read()
        return data


def _download(package: str, version: str, root: str = ".") -> bytes:
    registry = _registry(root).rstrip("/") + "/"
    meta_url = urllib.parse.urljoin(registry, f"{urllib.parse.quote(package, safe='@')}/{version}")
    try:
        meta = json.loads(_get(meta_url))
        tarball_url = meta["dist"]["tarball"]
        return _get(tarball_url)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BuildError(
            f"cannot download npm package {package}@{version} from the npm registry ({reason}); "
            "building annobib needs network access once, or ANNOBIB_CITEPROC_TGZ pointing at "
            f"{package}-{version}.tgz"
        ) from None
    except (ValueError, KeyError, TypeError):
        raise BuildError(
            f"the npm registry gave no usable metadata for {package}@{version}"
        ) from None


def sdist_name(package: str, version: str) -> str:
    """Where an sdist carries the pinned tarball, relative to its root."""
    return f"vendor/{package}-{version}.tgz"


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "sdist"):
            return
        package, pkg_version, pinned = self._pin()
        try:
            tgz = pinned_tarball(package, pkg_version, pinned, self.root, self._local())
            files = (
                {sdist_name(package, pkg_version): tgz}
                if self.target_name == "sdist"
                else vendor_files(package, pkg_version, pinned, tgz)
            )
        except BuildError as exc:
            _fail(str(exc))
            return
        self._tmp = tempfile.mkdtemp(prefix="annobib-cjs-")
        key = "force_include_editable" if version == "editable" else "force_include"
        target = build_data.setdefault(key, {})
        for name, data in files.items():
            path = os.path.join(self._tmp, name.replace("/", "_"))
            with open(path, "wb") as fh:
                fh.write(data)
            target[path] = name if self.target_name == "sdist" else f"{VENDOR_PACKAGE}/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    def _pin(self) -> tuple[str, str, str]:
        return (
            str(self.config.get("npm-package", "")),
            str(self.config.get("npm-version", "")),
            str(self.config.get("npm-integrity", "")),
        )

    @staticmethod
    def _local() -> str | None:
        return os.environ.get("ANNOBIB_CITEPROC_TGZ")


def pinned_tarball(
    package: str, version: str, pinned: str, root: str = ".", local: str | None = None
) -> bytes:
    """The pinned tarball: from ``local`` (a path), the sdist's ``vendor/`` copy or the
    registry, refused unless its sha512 integrity equals ``pinned``."""
    if not (package and version and pinned.startswith("sha512-")):
        raise BuildError(
            "pyproject.toml [tool.hatch.build.hooks.custom] needs npm-package, npm-version "
            "and a sha512 npm-integrity"
        )
    carried = os.path.join(root, sdist_name(package, version))
    if local is None and os.path.isfile(carried):
        local = carried
    if local:
        try:
            with open(local, "rb") as fh:
                tgz = fh.read()
        except OSError as exc:
            raise BuildError(f"cannot read {local} ({exc})") from None
        origin = local
    else:
        tgz = _download(package, version, root)
        origin = f"the npm registry ({package}@{version})"
    got = _integrity(tgz)
    if got != pinned:
        raise BuildError(
            f"the tarball from {origin} does not match the pinned integrity of "
            f"{package}@{version} (got {got[:24]}..., expected {pinned[:24]}...)"
        )
    return tgz


def vendor_files(package: str, version: str, pinned: str, tgz: bytes) -> dict[str, bytes]:
    """The files of ``annobib_cjs_vendor``, taken from a tarball already checked against
    ``pinned`` by :func:`pinned_tarball`."""
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
            for member_name, name in WANTED.items():
                member = tar.getmember(member_name)
                fh = tar.extractfile(member)
                if fh is None:
                    raise KeyError(member_name)
                out[name] = fh.read()
    except (tarfile.TarError, KeyError) as exc:
        raise BuildError(f"{package}@{version} tarball lacks {exc}") from None
    out["__init__.py"] = (
        f'"""citeproc-js (npm {package} {version}), unmodified, redistributed under its '
        'LICENSE (CPAL-1.0 or AGPL-3.0+)."""\n\n'
        f'NPM_PACKAGE = "{package}"\nVERSION = "{version}"\n'
        f'INTEGRITY = "{pinned}"\nLICENSE_NAME = "CPAL-1.0 OR AGPL-3.0-or-later"\n'
    ).encode()
    return out
