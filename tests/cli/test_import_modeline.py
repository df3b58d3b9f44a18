"""`annobib import --schema` begins the YAML with a yaml-language-server modeline (docs/editors.md);
the loader reads the file as before and the schema named by the modeline accepts it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from typer.testing import CliRunner

from annobib.api import load
from annobib.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "annobib.schema.json"
BIB = """@article{doe2001,
  author = {Doe, John},
  title = {A title},
  journal = {A Journal},
  year = {2001},
  volume = {9},
}
"""


def test_import_writes_a_modeline_with_a_path_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "in.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "schema").mkdir()
    schema = tmp_path / "schema" / "annobib.schema.json"
    schema.write_text(SCHEMA.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "data" / "out.yaml"
    result = CliRunner().invoke(app, ["import", str(tmp_path / "in.bib"), "-o", str(out),
                                      "--schema", str(schema)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first == "# yaml-language-server: $schema=../schema/annobib.schema.json"
    assert rest.startswith("annobib: 1\n")
    # the editor's view: the path resolved from the file's folder, the schema accepts the file
    named = (out.parent / first.split("$schema=", 1)[1]).resolve()
    validator = jsonschema.Draft202012Validator(json.loads(named.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(yaml.safe_load(text))) == []
    # annobib's view: a comment
    loaded = load([out], use_cache=False)
    assert [w.key for w in loaded.library.works()] == ["doe2001"]
    assert not [f for f in loaded.findings if f.severity.value == "error"]


def test_a_url_is_written_as_given_and_without_schema_nothing_is_added(tmp_path: Path) -> None:
    (tmp_path / "in.bib").write_text(BIB, encoding="utf-8")
    url = "https://example.org/annobib.schema.json"
    result = CliRunner().invoke(app, ["import", str(tmp_path / "in.bib"), "--schema", url])
    assert result.stdout.startswith(f"# yaml-language-server: $schema={url}\nannobib: 1\n")
    plain = CliRunner().invoke(app, ["import", str(tmp_path / "in.bib")])
    assert plain.stdout.startswith("annobib: 1\n")
