"""No value of data/ is lost through the clients people read annobib's exports with, where the
same data converted by the client world's own writer keeps it (issue #12, "the 66 values").

For each client and format: the records of ``data/`` are exported by annobib, and their CSL-JSON
(annobib's own, the reference) is converted by a peer writer (pandoc's for BibTeX/BibLaTeX,
citation.js's for RIS). The client reads both files; every value of every CSL variable that the
client reads back from the peer's file equal to the reference must also come back from
annobib's file. Values are compared after folding what is typography, not data (white space,
dash and quote styles). Entries are matched by position (every writer keeps the order).

Clients: pandoc (BibLaTeX, BibTeX), citation.js (BibLaTeX, BibTeX, RIS; from the npm registry,
installed by ``.ci/run`` into ``.ci/cache/citation-js``, or where ``ANNOBIB_CITATIONJS``
points) and biber (``biber --tool`` rewrites each BibLaTeX file, which pandoc then reads).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from annobib.codecs import langs
from annobib.exporters import ExportResult, export
from annobib.sources.yaml import load_paths

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
JS = Path(__file__).with_name("citationjs.js")
_DASHES = re.compile(r"[‐‑‒–—―-]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
# variables that are bookkeeping, not the record's data
_SKIP = {"id", "citation-key", "_graph", "custom", "type"}


def citationjs_dir() -> Path | None:
    given = os.environ.get("ANNOBIB_CITATIONJS")
    where = Path(given) if given else ROOT / ".ci" / "cache" / "citation-js"
    if shutil.which("node") and (where / "node_modules" / "@citation-js" / "core").is_dir():
        return where
    return None


def _norm(v: Any, var: str = "") -> str:
    if var == "language":
        # the same language as biblatex's langid names it (babel: "russian"), or with the
        # region pandoc's babel table adds (russian -> ru-RU): the primary language subtag
        tag = langs.from_babel(str(v)) or str(v)
        return tag.split("-")[0].lower()
    if isinstance(v, list) and v and isinstance(v[0], dict):  # names
        return "; ".join(
            " ".join(str(p.get(k, "")) for k in ("literal", "non-dropping-particle", "family",
                                                    "given", "suffix")) for p in v)
    if isinstance(v, dict) and ("date-parts" in v or "raw" in v or "literal" in v):
        parts = v.get("date-parts")
        if parts:
            season = f" season {v['season']}" if "season" in v else ""
            return "-".join(str(int(x)) for x in parts[0]) + season
        return str(v.get("raw") or v.get("literal"))
    if isinstance(v, list):
        return "; ".join(_norm(x) for x in v)
    s = unicodedata.normalize("NFC", str(v)).translate(_QUOTES)
    s = s.replace("\u00a0", " ")
    return " ".join(_DASHES.sub("-", s).split())


def kept(reference: list[dict[str, Any]], read: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(reference id, variable) of every value the client read back equal to the reference."""
    assert len(read) == len(reference), "the client did not read every entry"
    out: set[tuple[str, str]] = set()
    for ref, got in zip(reference, read, strict=True):
        for var, value in ref.items():
            if var in _SKIP or var not in got:
                continue
            if _norm(got[var], var) == _norm(value, var):
                out.add((ref["id"], var))
    return out


def _run(cmd: list[str], cwd: Path) -> str:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, f"{cmd[0]} failed: {r.stderr[-2000:]}"
    return r.stdout


RESULTS: dict[str, ExportResult] = {}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("clients")
    library = load_paths(sorted(DATA.glob("*.yaml"))).library
    for fmt, name in (("csljson", "ref.json"), ("biblatex", "annobib-biblatex.bib"),
                      ("bibtex", "annobib-bibtex.bib"), ("ris", "annobib-ris.ris")):
        RESULTS[fmt] = export(library, fmt)
        (out / name).write_text(RESULTS[fmt].text, encoding="utf-8")
    reference = json.loads((out / "ref.json").read_text(encoding="utf-8"))
    return out, reference


def _pandoc_reads(fmt: str, path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(
        _run(["pandoc", "-f", fmt, "-t", "csljson", path.name], path.parent))
    return items


def _peer_bib(out: Path, fmt: str) -> Path:
    peer = out / f"peer-{fmt}.bib"
    if not peer.exists():
        peer.write_text(_run(["pandoc", "-f", "csljson", "-t", fmt, "ref.json"], out),
                        encoding="utf-8")
    return peer


# CSL variable -> model field, where the names differ (findings name model fields)
_MODEL_FIELD = {"page": "pages", "number-of-pages": "page-count", "annote": "annotation"}


def _assert_no_loss(reference: list[dict[str, Any]], by_peer: list[dict[str, Any]],
                    by_annobib: list[dict[str, Any]], what: str,
                    result: ExportResult | None = None) -> None:
    """Nothing the peer's file keeps is lost from annobib's, except what annobib's export
    reported (A402) because writing it would break the format's data model (a publisher-place
    on a biblatex @article: biber --validate-datamodel refuses it; docs/formats/biblatex.md)."""
    lost = kept(reference, by_peer) - kept(reference, by_annobib)
    if result is not None:
        reported = {(f.key, f.field) for f in result.findings
                    if f.code == "A402" and f.severity.value == "warning"}
        lost = {(k, v) for k, v in lost if (k, _MODEL_FIELD.get(v, v)) not in reported}
    assert not lost, f"{what}: {len(lost)} values the peer's file keeps and annobib's loses: " + \
        ", ".join(f"{k}.{v}" for k, v in sorted(lost))


@pytest.mark.realclient
@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_pandoc_reads_every_value(fmt: str, files: tuple[Path, list[dict[str, Any]]]) -> None:
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (Debian: pandoc)")
    out, reference = files
    _assert_no_loss(reference, _pandoc_reads(fmt, _peer_bib(out, fmt)),
                    _pandoc_reads(fmt, out / f"annobib-{fmt}.bib"), f"pandoc -f {fmt}",
                    RESULTS[fmt])


@pytest.mark.realclient
def test_biber_then_pandoc_reads_every_value(files: tuple[Path, list[dict[str, Any]]]) -> None:
    if shutil.which("pandoc") is None or shutil.which("biber") is None:
        pytest.skip("pandoc and biber are needed (Debian: pandoc biber)")
    out, reference = files

    def through_biber(src: Path) -> list[dict[str, Any]]:
        dst = src.with_name("biber-" + src.name)
        _run(["biber", "--tool", "--output-file", dst.name, src.name], out)
        return _pandoc_reads("biblatex", dst)

    # biber sorts the entries it writes: put them back in the reference's order
    def ordered(items: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
        by_id = {i["id"]: i for i in items}
        return [by_id[k] for k in ids]

    peer_ids = [i["id"] for i in _pandoc_reads("biblatex", _peer_bib(out, "biblatex"))]
    ours_ids = [i["id"] for i in _pandoc_reads("biblatex", out / "annobib-biblatex.bib")]
    _assert_no_loss(reference,
                    ordered(through_biber(_peer_bib(out, "biblatex")), peer_ids),
                    ordered(through_biber(out / "annobib-biblatex.bib"), ours_ids),
                    "biber --tool, then pandoc", RESULTS["biblatex"])


@pytest.mark.realclient
@pytest.mark.parametrize("fmt", ["biblatex", "bibtex", "ris"])
def test_citationjs_reads_every_value(fmt: str, files: tuple[Path, list[dict[str, Any]]]) -> None:
    where = citationjs_dir()
    if where is None:
        pytest.skip("citation.js is not installed (.ci/run puts it in .ci/cache/citation-js; "
                    "or set ANNOBIB_CITATIONJS to a directory with its node_modules)")
    out, reference = files

    def reads(path: Path) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = json.loads(
            _run(["node", str(JS), str(where), "read", fmt, path.name], out))
        return items

    if fmt == "ris":
        peer = out / "peer.ris"
        peer.write_text(_run(["node", str(JS), str(where), "write", "ris", "ref.json"], out),
                        encoding="utf-8")
        ours = out / "annobib-ris.ris"
    else:
        if shutil.which("pandoc") is None:
            pytest.skip("pandoc (the peer writer) is not installed")
        peer, ours = _peer_bib(out, fmt), out / f"annobib-{fmt}.bib"
    _assert_no_loss(reference, reads(peer), reads(ours), f"citation.js reading {fmt}",
                    RESULTS[fmt])
