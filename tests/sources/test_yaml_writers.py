"""Issue 12, YAML writing: no written scalar changes type under any YAML 1.1 or 1.2 reader, and
every YAML file ``import`` writes validates against ``docs/annobib.schema.json``.

The import of one real bibliography wrote ``pages: 011801`` and ``issue: 09`` plain (2,191
values), which PyYAML (YAML 1.1) reads as strings and YAML 1.2 readers as numbers, so the
project's own schema rejected the file annobib had just written. The readers here are PyYAML's
default (1.1) loader and ruamel.yaml's safe loader (1.2); the schema is read from the working
tree, whatever it says today.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.sources import yamlfast
from annobib.sources.yaml.write import _dumper
from annobib.sources.yamledit import plan_insert

ROOT = Path(__file__).resolve().parents[2]
EXCERPTS = ROOT / "tests" / "fixtures" / "corpora"
runner = CliRunner()

_RUAMEL = YAML(typ="safe", pure=True)


def read_11(text: str) -> Any:
    return yaml.load(text, Loader=yaml.Loader)  # PyYAML's default loader: YAML 1.1 types


def read_12(text: str) -> Any:
    return _RUAMEL.load(text)


READERS: dict[str, Callable[[str], Any]] = {"YAML 1.1 (PyYAML)": read_11,
                                            "YAML 1.2 (ruamel.yaml)": read_12}

# what some reader takes for a number, bool, null, date... when written plain
LOOK_ALIKES = [
    "011801", "09", "0009", "-012", "+12", "12", "1_000", "0b101", "0o17", "0O17", "0x1F",
    "0x1f_ff", "1e3", "1E3", "1e-3", "-1.5e+3", ".5", "1.", "1.2.3", "6.02e23", ".inf", "-.Inf",
    "+.INF", ".nan", ".NaN", "y", "Y", "n", "N", "yes", "No", "ON", "off", "true", "False",
    "~", "null", "Null", "NULL", "1:20", "190:20:30", "1:20.5", "2019-01-01", "2019-1-1",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.1Z",
    "<<", "=",
]
_NUMBERISH = st.from_regex(
    r"\A[-+]?(0[xob])?[0-9a-fA-F_]{0,6}([.:][0-9_]{0,3})?([eE][-+]?[0-9]{1,3})?\Z"
)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
SCALARS = st.one_of(st.sampled_from(LOOK_ALIKES), _NUMBERISH, _TEXT)


def _each_writer(value: str) -> dict[str, str]:
    """The YAML text each writer of annobib makes for a record field holding ``value``."""
    record = "annobib: 1\nworks:\n  - key: k\n    type: book\n    title: T\n"
    inserted, _ = plan_insert(record, 3, 5, "doi", value)  # check --apply's edit
    return {
        "import (yamlfast)": yamlfast.dump({"pages": value, "list": [value]}),
        "dump_document (PyYAML)": yaml.dump({"pages": value, "list": [value]}, Dumper=_dumper(),
                                            allow_unicode=True, sort_keys=False, width=100,
                                            default_flow_style=False),
        "check --apply (yamledit)": inserted,
    }


def _field(name: str, data: Any) -> list[Any]:
    if name == "check --apply (yamledit)":
        return [data["works"][0]["doi"]]
    return [data["pages"], data["list"][0]]


@settings(max_examples=600, deadline=None)
@given(SCALARS)
@example("011801")
@example("0o17")
def test_every_writer_reads_back_as_the_same_string_under_yaml_11_and_12(value: str) -> None:
    for writer, text in _each_writer(value).items():
        for reader, read in READERS.items():
            got = _field(writer, read(text))
            assert got == [value] * len(got), f"{writer} -> {reader}: {text!r}"


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alikes_are_quoted(value: str) -> None:
    assert yamlfast.retyped(value)
    assert yamlfast.scalar(value) != value


@pytest.mark.parametrize("value", ["123-130", "e12", "A1", "v1.2", "2009-01", "Phys. Rev. Lett.",
                                   "10.1103/PhysRevLett.102.010401", "Kosteleck\u00fd, V. Alan"])
def test_ordinary_strings_stay_plain(value: str) -> None:
    assert yamlfast.scalar(value) == value


def _schema() -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "docs" / "annobib.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


@pytest.mark.parametrize("excerpt", sorted(p.name for p in EXCERPTS.iterdir()
                                           if p.suffix in (".bib", ".json")))
def test_imported_corpus_excerpts_validate_against_the_schema(tmp_path: Path,
                                                              excerpt: str) -> None:
    out = tmp_path / "imported.yaml"
    r = runner.invoke(app, ["import", str(EXCERPTS / excerpt), "-o", str(out),
                            "--fail-on", "never"])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    validator = _schema()
    for reader, read in READERS.items():
        data = read(text)
        assert data["works"], f"{excerpt}: nothing imported"
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(data)]
        assert not errors, f"{excerpt} read by {reader}: {errors[:5]}"
    # the values that used to be retyped are written quoted and read back as text
    if excerpt.startswith("bvitamins"):
        assert 'pages: "011801"' in text
    if excerpt.startswith("cdl"):
        assert 'issue: "09"' in text and 'pages: "046028"' in text


def test_dump_document_output_validates(tmp_path: Path) -> None:
    """The canonical writer (PyYAML, dump_document) on the same records as import."""
    from annobib.sources.yaml import dump_document, load_paths

    out = tmp_path / "imported.yaml"
    r = runner.invoke(app, ["import", str(EXCERPTS / "bvitamins-excerpt.bib"), "-o", str(out),
                            "--fail-on", "never"])
    assert r.exit_code == 0, r.output
    (doc,) = load_paths([out]).library.documents
    text = dump_document(doc.document)
    validator = _schema()
    for read in READERS.values():
        assert not list(validator.iter_errors(read(text)))


def test_import_by_doi_output_validates(tmp_path: Path) -> None:
    """Records made from real (recorded) Crossref answers, served by the stand-in."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from crossref_standin import Limits, running

    server = running(Limits(single=100, lists=100, concurrency=3))
    try:
        out = tmp_path / "lib.yaml"
        r = runner.invoke(app, ["import", "--doi", "10.1038/srep16696", "--doi",
                                "10.1007/s00120-007-1345-2", "-o", str(out),
                                "--api-url", server.url, "--fail-on", "never"])
    finally:
        server.stop()
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    validator = _schema()
    for reader, read in READERS.items():
        data = read(text)
        assert len(data["works"]) == 2
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"read by {reader}: {errors[:5]}"
