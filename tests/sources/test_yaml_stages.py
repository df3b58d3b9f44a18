"""The YAML reader is a package by stage (issue #16): each stage imports only the stages above
it, so the order below is the order to read them in. Imports are read with ``ast`` (also
those inside functions); nothing is run."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "annobib" / "sources" / "yaml"
PREFIX = "annobib.sources.yaml."

# top to bottom: a stage may import those before it, never one after it
STAGES = ["write", "errors", "positions", "validate", "read"]


def _stage_imports(path: Path) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            out.append((node.lineno, (node.module or "").split(".")[0]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "") == PREFIX[:-1]:
            out.append((node.lineno, "__init__"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PREFIX):
            out.append((node.lineno, (node.module or "")[len(PREFIX):].split(".")[0]))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name[len(PREFIX):].split(".")[0])
                       for a in node.names if a.name.startswith(PREFIX))
    return out


def test_every_module_is_a_named_stage() -> None:
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted([*STAGES, "__init__"])


def test_a_stage_imports_only_the_stages_above_it() -> None:
    bad = []
    for stage in STAGES:
        for line, target in _stage_imports(PACKAGE / f"{stage}.py"):
            if target not in STAGES or STAGES.index(target) >= STAGES.index(stage):
                bad.append(f"yaml/{stage}.py:{line}: imports {target}")
    assert not bad, "\n".join(bad)


def test_the_package_only_names_what_the_stages_define() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    names += [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
              if isinstance(t, ast.Name)]
    assert names == ["__all__"]
