"""``annobib import`` end to end: YAML written atomically, --force, exit codes 0/1/2/3."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.sources.yaml import load_paths

runner = CliRunner()

CLEAN = """@book{kamennov2019,
  author = {Kamennov, P. B.},
  title = {Voennaya politika Kitaya},
  publisher = {IDV RAN},
  location = {Moskva},
  date = {2019},
  langid = {russian},
}
"""
DIRTY = CLEAN + "@article{broken, title = {unbalanced\n@misc{fine, title = {Still here}}\n"


def test_clean_import_writes_yaml_and_exits_0(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out.yaml"
    r = runner.invoke(app, ["import", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    loaded = load_paths([out])
    assert not loaded.findings
    (work,) = loaded.library.works()
    assert work.key == "kamennov2019" and work.language == "ru"
    assert [str(p.display()) for p in work.author] == ["Kamennov, P. B."]


def test_findings_exit_1_and_good_records_written(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(DIRTY, encoding="utf-8")
    out = tmp_path / "out.yaml"
    r = runner.invoke(app, ["import", str(src), "-o", str(out)])
    assert r.exit_code == 1
    assert f"{src}:9: broken: block not imported" in r.output
    keys = [w.key for w in load_paths([out]).library.works()]
    assert keys == ["kamennov2019", "fine"]


def test_existing_output_needs_force(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out.yaml"
    out.write_text("precious", encoding="utf-8")
    r = runner.invoke(app, ["import", str(src), "-o", str(out)])
    assert r.exit_code == 2
    assert out.read_text(encoding="utf-8") == "precious"
    r = runner.invoke(app, ["import", str(src), "-o", str(out), "--force"])
    assert r.exit_code == 0
    assert "kamennov2019" in out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unreadable_input_exits_3(tmp_path: Path) -> None:
    r = runner.invoke(app, ["import", str(tmp_path / "missing.bib")])
    assert r.exit_code == 3
    bad = tmp_path / "latin1.bib"
    bad.write_bytes(b"@book{a, title = {caf\xe9}}\n")
    r = runner.invoke(app, ["import", str(bad)])
    assert r.exit_code == 3
    assert "not UTF-8" in r.output


def test_format_from_option_and_stdout(tmp_path: Path) -> None:
    src = tmp_path / "records.txt"
    src.write_text("TY  - BOOK\r\nID  - b1\r\nTI  - Книга\r\nPY  - 2001\r\nER  - \r\n",
                   encoding="utf-8")
    r = runner.invoke(app, ["import", str(src), "--from", "ris"])
    assert r.exit_code == 0, r.output
    assert "key: b1" in r.output and "title: Книга" in r.output


def test_no_files_is_a_usage_error() -> None:
    assert runner.invoke(app, ["import"]).exit_code == 2


def test_jobs_give_the_same_file_and_report(tmp_path: Path) -> None:
    # above ~1 MB a .bib is read in parts by forked processes (Linux); the output and the
    # findings must be those of one process, whatever --jobs says
    entries = [
        f"@article{{w{i},\n  author = {{Петров, Пётр and Smith, J.}},\n"
        f"  title = {{Работа {i}: a {{TeX}} study}},\n  journal = {{J}},\n"
        f"  year = {{{1950 + i % 70}}},\n  bibdate = {{not held {i}}},\n}}\n\n"
        for i in range(6000)
    ]
    entries.insert(4500, entries[10].replace("Работа 10", "Другая"))  # key repeated late
    src = tmp_path / "big.bib"
    src.write_text('@string{j = "J"}\n' + "".join(entries), encoding="utf-8")
    assert src.stat().st_size > 1_000_000
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.yaml"
        r = runner.invoke(app, ["import", str(src), "-o", str(out), "--jobs", jobs])
        assert r.exit_code == 1, r.output
        outputs.append((out.read_text(encoding="utf-8"), r.output.replace(str(out), "OUT")))
    assert outputs[0] == outputs[1]
    text, report = outputs[0]
    assert "6001 of 6001 records imported" in report  # the repeat is another work: renamed
    assert "- key: w10-2\n" in text
