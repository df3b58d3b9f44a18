"""Every YAML example in docs/*.md is a valid annobib document, and the format reference is
complete.

Blocks fenced as ```yaml must be whole documents (starting with ``annobib: 1``); partial
snippets are fenced as ```yaml-fragment and are not loaded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from annobib.model import (
    Annotation,
    Cite,
    Document,
    Footnote,
    Locator,
    MultiText,
    PartialDate,
    Person,
    Reference,
    Work,
    WorkType,
)
from annobib.model.values import LangText

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FILE_FORMAT = DOCS / "file-format.md"
DATA = ROOT / "data"

_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", flags=re.MULTILINE | re.DOTALL)


def fenced_blocks(path: Path) -> list[tuple[str, int, str]]:
    """(info string, line number, body) of every fenced code block in ``path``."""
    text = path.read_text(encoding="utf-8")
    return [
        (m.group(1).strip(), text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in _FENCE.finditer(text)
    ]


_RECORD_LINE = re.compile(r"^\s*(-\s+)?(key|type|references|footnotes|works|article):", re.M)


def is_annobib_yaml(path: Path, body: str) -> bool:
    """Every ```yaml block of the format doc is an annobib example; elsewhere (a CI workflow,
    a pre-commit config) a block is one when it starts with ``annobib:`` or holds records."""
    if path == FILE_FORMAT or body.startswith("annobib:"):
        return True
    keys = {m.group(2) for m in _RECORD_LINE.finditer(body)}
    return {"key", "type"} <= keys or bool(keys & {"references", "footnotes", "works", "article"})


def yaml_examples() -> list[tuple[str, str]]:
    out = []
    for path in sorted(DOCS.glob("*.md")):
        for info, line, body in fenced_blocks(path):
            if info == "yaml" and is_annobib_yaml(path, body):
                out.append((f"{path.name}:{line}", body))
    return out


def load(body: str, where: str = "example.yaml") -> Document:
    """Load with annobib's own loader: any finding (even a warning-free lint miss) fails."""
    from annobib.sources.yaml import parse_document

    loaded, findings = parse_document(body, where)
    assert [str(f) for f in findings] == []
    assert loaded is not None
    return loaded.document


def test_readme_yaml_examples_load() -> None:
    readme = DOCS.parent / "README.md"
    blocks = [body for info, _, body in fenced_blocks(readme) if info == "yaml"]
    assert blocks, "the README shows a record"
    for body in blocks:
        load(body, "README.md")


def test_the_format_doc_has_complete_examples() -> None:
    infos = [info for info, _, _ in fenced_blocks(FILE_FORMAT)]
    assert infos.count("yaml") >= 3
    assert "yaml-fragment" in infos


@pytest.mark.parametrize("doc_path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_yaml_blocks_are_fenced_unambiguously(doc_path: Path) -> None:
    # ```yml or ```YAML would escape the loading test below.
    for info, line, _ in fenced_blocks(doc_path):
        assert info.lower() not in ("yml", "yaml") or info == "yaml", f"{doc_path.name}:{line}"


@pytest.mark.parametrize(("where", "body"), yaml_examples(), ids=lambda v: str(v)[:40])
def test_yaml_example_is_a_valid_document(where: str, body: str) -> None:
    assert body.startswith("annobib: 1\n"), f"{where}: a ```yaml example starts with 'annobib: 1'"
    load(body)


# --- examples taken from data/ stay equal to data/ ------------------------------------------


def _data_by_article() -> dict[str, Document]:
    out = {}
    for path in sorted(DATA.glob("*.yaml")):
        doc = load(path.read_text(encoding="utf-8"))
        if doc.article is not None:
            out[doc.article.key] = doc
    return out


@pytest.mark.parametrize(("where", "body"), yaml_examples(), ids=lambda v: str(v)[:40])
def test_excerpts_of_the_shipped_data_match_it(where: str, body: str) -> None:
    example = load(body)
    if example.article is None:
        return  # an invented example, labelled as such in the text
    data = _data_by_article()[example.article.key]
    assert data.article is not None
    for name in example.article.model_fields_set - {"annotation"}:  # annotation: shortened
        shown, real = getattr(example.article, name), getattr(data.article, name)
        assert shown == real, f"{where}: article.{name} differs from data/"
    assert example.cited_as == data.cited_as
    for ref in example.references:
        assert ref == data.references[ref.n - 1], f"{where}: reference {ref.n} differs"
    for note in example.footnotes:
        assert note == data.footnotes[note.n - 1], f"{where}: footnote {note.n} differs"


# --- the reference tables list every field --------------------------------------------------


def table_fields(heading: str) -> list[str]:
    """Backticked names in the first column of the table under ``### heading``."""
    text = FILE_FORMAT.read_text(encoding="utf-8")
    m = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^#{{2,3}} |\Z)", text, re.M | re.S)
    assert m is not None, f"no '### {heading}' section in {FILE_FORMAT.name}"
    table = [line for line in m.group(1).splitlines() if line.startswith("|")]
    rows = [line for line in table[2:] if line.startswith("| `")]  # skip header and rule
    return [re.match(r"\| `([^`]+)`", row).group(1) for row in rows]  # type: ignore[union-attr]


def aliases(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


TABLES: dict[str, Any] = {
    "Document": Document,
    "Work": Work,
    "Person": Person,
    "MultiText": MultiText,
    "LangText": LangText,
    "PartialDate": PartialDate,
    "Annotation": Annotation,
    "Reference": Reference,
    "Footnote": Footnote,
    "Cite": Cite,
    "Locator": Locator,
}


@pytest.mark.parametrize("heading", sorted(TABLES))
def test_reference_table_lists_every_field_in_model_order(heading: str) -> None:
    assert table_fields(heading) == aliases(TABLES[heading])


def test_work_types_table_lists_every_type() -> None:
    assert table_fields("Work types") == [t.value for t in WorkType]
