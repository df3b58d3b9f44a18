"""The pipeline's import contract: no arrow against ``sources -> model -> checks/services ->
exporters -> cli``, third-party clients only in their own layer, no private names across
packages. Every import counts, also those inside functions (read with ``ast``, nothing is run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "annobib"

# Lower ranks may be imported by higher ones, never the reverse. Units are the first component
# below ``annobib`` (a package or a top-level module).
RANK: dict[str, int] = {
    "__init__": 0, "__main__": 8, "findings": 0, "errors": 0, "registry": 0, "codes": 0, "chars": 0, "config": 0, "progress": 0,
    "model": 1,
    "atomic": 2, "workers": 2, "reading": 2, "runtime": 2, "textmatch": 2, "codecs": 2, "schemas": 2,
    "sources": 3, "services": 3, "styles": 3, "exporters": 3,
    "checks": 4,
    "tasks": 5,  # whole jobs made of the layers below
    "api": 6,  # the task layer's public face: one call per command
    "cli": 7,
}
# Units of one rank that must not reach each other (the pipeline's side branches).
SIBLINGS_APART: dict[str, set[str]] = {
    "sources": {"exporters", "styles"},
    "services": {"sources", "exporters", "styles"},
    "styles": {"sources", "services", "exporters"},
    "exporters": {"sources", "services"},
}
# Third-party packages allowed only below these paths (relative to src/annobib).
CONFINED: dict[str, tuple[str, ...]] = {
    "typer": ("cli/",),
    "rich": ("cli/",),
    "habanero": ("services/crossref",),
    "duckdb": ("services/snapshot",),
    "pyspark": ("services/snapshot",),
}


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "annobib":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, root: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) for every import in a file."""
    package = list(path.relative_to(root.parent).parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, alias.name, []))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module, [a.name for a in node.names]))
    return found


def _violations(root: Path = SRC) -> list[str]:
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        own = rel.split("/")[0].removesuffix(".py")
        own_rank = RANK.get(own)
        if own_rank is None:
            bad.append(f"{rel}: unit {own!r} has no rank in tests/test_layering.py")
            continue
        for line, module, names in _imports(path, root):
            top = module.split(".")[0]
            if top in CONFINED and not rel.startswith(CONFINED[top]):
                bad.append(f"{rel}:{line}: imports {top}, allowed only in {CONFINED[top]}")
            unit = _unit(module)
            if unit is None or unit == own:
                continue
            targets = [n for n in names if n in RANK] if module == "annobib" and names else [unit]
            for target in targets:
                rank = RANK.get(target)
                if rank is None:
                    bad.append(f"{rel}:{line}: imports unknown unit annobib.{target}")
                elif rank > own_rank:
                    bad.append(f"{rel}:{line}: {own} (rank {own_rank}) imports {target} (rank {rank})")
                elif target in SIBLINGS_APART.get(own, set()):
                    bad.append(f"{rel}:{line}: {own} must not import {target}")
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and unit != own:
                bad.append(f"{rel}:{line}: imports private {', '.join(private)} from {module}")
    return bad


def test_no_import_against_the_pipeline() -> None:
    bad = _violations()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from annobib.cli.app import app\n", "model (rank 1) imports cli (rank 7)"),
        ("import rich\n", "imports rich, allowed only in ('cli/',)"),
        ("from annobib.sources.yaml import _private\n", "imports private _private"),
    ],
)
def test_the_contract_catches_what_it_forbids(source: str, expected: str, tmp_path: Path) -> None:
    root = tmp_path / "annobib"
    (root / "model").mkdir(parents=True)
    (root / "model" / "probe.py").write_text(source, encoding="utf-8")
    assert any(expected in line for line in _violations(root))


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = tmp_path / "annobib"
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "probe.py").write_text("from ..exporters import langs\n", encoding="utf-8")
    assert _violations(root) == ["sources/probe.py:1: sources must not import exporters"]
