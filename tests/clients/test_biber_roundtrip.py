"""biblatex's own example database survives ``import`` then ``export --to biblatex``: biber
--tool (default data model) reads the export into the same entries and fields as the original,
except the differences docs/formats/biblatex.md lists ("biber round trip")."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from clients.biber_roundtrip import roundtrip

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "biblatex-examples.bib"

# (entry, field) pairs documented as differences in docs/formats/biblatex.md: none since the
# name lists with TeX in a name go back as written ("Vázques{ de }Parga")
DOCUMENTED: set[tuple[str, str]] = set()


@pytest.mark.realclient
def test_biblatex_examples_round_trip_through_biber(tmp_path: Path) -> None:
    if shutil.which("biber") is None:
        pytest.skip("biber is not installed (Debian: biber)")
    report = roundtrip(EXAMPLES.read_text(encoding="utf-8"), tmp_path)
    assert report.entries == 92
    assert report.missing_entries == [] and report.extra_entries == []
    found = {(report.examples[name][0], name) for name in report.differences}
    assert sum(report.differences.values()) == len(found), "\n".join(report.lines())
    assert found <= DOCUMENTED, "\n".join(report.lines())
