"""The annotated HTML page in a real browser: headless Chromium shows every entry and annotation.

Needs Debian's ``chromium``; skipped with a reason when it is absent. The page itself has no
script; the test adds one line to a copy of it that copies ``document.body.innerText`` (the text
as rendered, CSS applied) into the DOM, which ``--dump-dom`` then prints.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from annobib.exporters.base import ExportOptions
from annobib.exporters.formatted import export_formatted
from annobib.model.library import Library
from annobib.styles import Formatter

pytestmark = pytest.mark.realclient

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _visible_text(page: Path, profile: Path) -> str:
    assert CHROMIUM is not None
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="annobib-visible">(.*?)</pre>', proc.stdout, re.S)
    assert m, proc.stdout[:2000]
    return html.unescape(m.group(1))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian package: chromium)")
def test_annotated_page_shows_entries_and_annotations(
    data_library: Library, formatter: Formatter, tmp_path: Path
) -> None:
    page = export_formatted(
        data_library, ExportOptions(style="apa", annotated=True), "html", formatter
    ).text
    probe = (
        '<script>document.body.insertAdjacentHTML("beforeend", "<pre id=\\"annobib-visible\\">'
        '</pre>"); document.getElementById("annobib-visible").textContent = '
        "document.querySelector('main').innerText;</script>"
    )
    path = tmp_path / "bib.html"
    path.write_text(page.replace("</body>", probe + "\n</body>"), encoding="utf-8")
    text = _visible_text(path, tmp_path / "profile")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert lines[0] == "Annotated bibliography"
    assert lines[1] == "APA Style 7th edition"
    entry = (
        "Tomberg, I. R. (2022). China’s Military and Military-Technical Cooperation with Central "
        "Asian Countries in the XXI Century. Post-Soviet Issues, 9(3), 289–300. "
        "https://doi.org/10.24975/2313-8920-2022-9-3-289-300"
    )
    i = lines.index(entry)
    assert lines[i + 1].startswith("Summary: Surveys China's military and military-technical")
    assert lines[i + 2].startswith("Evaluation: Judged from the abstract and the reference list")
    assert lines[i + 3].startswith("Relevance: A recent Russian view of the security side")
    # tags are a list of inline items
    assert "China" in lines[i + 4] and "security" in " ".join(lines[i + 4 : i + 11])
    assert "Chaynataun v Almaty. (2003, October 12). Kazakhstanskaia pravda." in lines
    # every record's entry is visible: 46 entries, 2 of them annotated (3 paragraphs each)
    assert sum(1 for ln in lines if ln.startswith("Summary: ")) == 2
    assert sum(1 for ln in lines if re.search(r"\((\d{4}[a-z]?|n\.d\.)[,)]", ln)) >= 40
