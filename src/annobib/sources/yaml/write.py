"""Writing: a document -> canonical YAML text, and the atomic write of a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from annobib.model.library import Document


def document_data(doc: Document) -> dict[str, Any]:
    """The plain data of ``doc`` in canonical short form, ``annobib: 1`` first."""
    data = doc.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    out: dict[str, Any] = {"annobib": 1}
    out.update((k, v) for k, v in data.items() if k != "annobib")
    return out


_DUMPER: list[Any] = []
_STR = "tag:yaml.org,2002:str"


def _dumper() -> Any:
    """PyYAML's safe dumper, quoting every string a YAML 1.1 or 1.2 reader would retype
    (:func:`annobib.sources.yamlfast.retyped`: PyYAML alone knows only its YAML 1.1 subset and
    writes ``011801`` or ``0o17`` plain, which YAML 1.2 reads as numbers)."""
    if _DUMPER:
        return _DUMPER[0]
    from annobib.sources.yamlfast import retyped

    try:
        from yaml import CSafeDumper as Base
    except ImportError:  # pragma: no cover
        from yaml import SafeDumper as Base  # type: ignore[assignment]

    class Dumper(Base):
        pass

    def represent_str(dumper: Any, value: str) -> yaml.ScalarNode:
        # what PyYAML resolves itself it quotes itself (as before); the rest of the
        # look-alikes it would write plain are double-quoted here
        style = None
        if retyped(value) and dumper.resolve(yaml.ScalarNode, value, (True, False)) == _STR:
            style = '"'
        node: yaml.ScalarNode = dumper.represent_scalar(_STR, value, style=style)
        return node

    Dumper.add_representer(str, represent_str)
    _DUMPER.append(Dumper)
    return Dumper


def dump_document(doc: Document) -> str:
    """Canonical YAML text for ``doc``: Unicode as is, fields in model order, short forms."""
    text: str = yaml.dump(
        document_data(doc),
        Dumper=_dumper(),
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return text


def write_document(path: Path, doc: Document, *, overwrite: bool = False) -> None:
    """Write ``doc`` to ``path`` atomically; refuse to replace an existing file unless asked
    (:class:`~annobib.errors.OutputExists`)."""
    from annobib.atomic import write_atomic

    write_atomic(path, dump_document(doc), exclusive=not overwrite)
