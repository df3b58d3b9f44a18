"""``annobib import --from text``: files and standard input, YAML that loads, located findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.sources.yaml import load_paths

ROOT = Path(__file__).resolve().parents[3]
TOMBERG = ROOT / "tests" / "fixtures" / "text" / "tomberg2022-references.txt"
NOTES = ROOT / "tests" / "fixtures" / "text" / "mukimdzhanova2004-footnotes.txt"
runner = CliRunner()


def test_a_text_file_becomes_a_document_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    r = runner.invoke(app, ["import", str(TOMBERG), "--from", "text", "-o", str(out)])
    assert r.exit_code in (0, 1), r.output
    assert "30 of 30 records imported" in r.output
    loaded = load_paths([out])
    assert [f for f in loaded.findings if f.severity.value == "error"] == []
    (doc,) = [d.document for d in loaded.library.documents]
    assert len(doc.references) == 30
    assert doc.references[0].source.startswith("1. Kamennov P.B.")
    text = out.read_text(encoding="utf-8")
    # what was inferred is said so, beside each record, with the field confidences
    assert "# inferred, not printed: type" in text
    assert "# parsed from line 1; confidence: " in text


def test_txt_extension_and_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "notes.yaml"
    r = runner.invoke(app, ["import", "-", "--from", "text", "-o", str(out)],
                      input=NOTES.read_text(encoding="utf-8"))
    assert r.exit_code in (0, 1), r.output
    (doc,) = [d.document for d in load_paths([out]).library.documents]
    assert len(doc.footnotes) == 16
    assert sum(len(f.cites) for f in doc.footnotes) == 14
    out2 = tmp_path / "again.yaml"
    r2 = runner.invoke(app, ["import", str(NOTES), "-o", str(out2)])  # .txt: text by default
    assert r2.exit_code in (0, 1), r2.output
    assert out2.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_low_confidence_fields_are_findings_at_their_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annobib.sources.text import read

    # the garbage entry's fields come out near 0.6; a stricter threshold makes them findings
    monkeypatch.setattr(read, "THRESHOLD", 0.8)
    src = tmp_path / "odd.txt"
    src.write_text("1. Smith J. A title. Journal. 2001;5:1-2.\n"
                   "2. qqq zzz ### 17 ,,, ;;; xx\n   yy 1999 (((\n", encoding="utf-8")
    r = runner.invoke(app, ["import", str(src), "--from", "text", "-o", str(tmp_path / "o.yaml")])
    assert "2 of 2 records imported" in r.output
    lines = [ln for ln in r.output.splitlines() if "A430" in ln]
    assert lines, r.output
    assert all(ln.startswith(f"{src}:") for ln in lines)
    assert any(f"{src}:2:" in ln or f"{src}:3:" in ln for ln in lines)
    assert r.exit_code == 0  # warnings do not fail an import by default
    r = runner.invoke(app, ["import", str(src), "--from", "text", "--fail-on", "warning",
                            "-o", str(tmp_path / "o2.yaml")])
    assert r.exit_code == 1
