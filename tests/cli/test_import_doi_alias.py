"""``import --doi`` of a DOI Crossref answers as an alias of another (its recorded 301).

The stand-in serves the recorded 301 of ``10.26434/chemrxiv.5406907`` (``Location:
/works/10.26434/chemrxiv.5406907.v5``) and the recorded record of the ``.v5`` DOI.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.cli.app import app
from annobib.sources.crossref import work_from_crossref
from crossref_standin import Limits, StandIn, recorded_message, running

ALIAS = "10.26434/chemrxiv.5406907"
TARGET = "10.26434/chemrxiv.5406907.v5"
runner = CliRunner()


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(Limits(single=100, lists=100, concurrency=3))
    yield s
    s.stop()


def test_an_alias_is_imported_with_crossrefs_doi_and_a_finding_naming_both(
    server: StandIn, tmp_path: Path
) -> None:
    out = tmp_path / "lib.yaml"
    r = runner.invoke(app, ["import", "--doi", ALIAS, "-o", str(out), "--api-url", server.url])
    assert r.exit_code == 0, r.output  # a warning: below import's default --fail-on error
    text = out.read_text(encoding="utf-8")
    assert f"doi: {TARGET}\n" in text  # what Crossref said, not the DOI asked for
    assert "A423" in r.output
    assert f"Crossref answers {ALIAS} with the record of {TARGET} (a DOI alias)" in r.output
    assert "Traceback" not in r.output


def test_the_doi_asked_for_needs_no_note() -> None:
    record = recorded_message("work_posted-content_10.26434-chemrxiv.5406907.v5.json")
    _, same = work_from_crossref(record, "gill2018", asked=TARGET.upper())
    assert [f.code for f in same if f.code == "A423"] == []
    work, notes = work_from_crossref(record, "gill2018", asked=ALIAS)
    a423 = [f for f in notes if f.code == "A423"]
    assert work.doi == TARGET
    assert len(a423) == 1 and a423[0].data == {"doi": ALIAS, "theirs": TARGET}
    assert a423[0].key == "gill2018" and a423[0].field == "doi"
