"""The packages by stage (issue #16): in each, a stage imports only the stages above it, so the
order below is the order to read them in, and the package's ``__init__`` only names what the
stages define. Imports are read with ``ast`` (also those inside functions); nothing is run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "annobib"

# package -> its stages, top to bottom: a stage may import those before it, never one after it
PACKAGES: dict[str, list[str]] = {
    "checks/crossref": ["results", "records", "forms", "compare", "judge", "suggest", "deposit",
                        "run", "importing"],
    "sources/yaml": ["write", "errors", "positions", "validate", "read"],
}


def _stage_imports(path: Path, prefix: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            out.append((node.lineno, (node.module or "").split(".")[0] or "__init__"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "") == prefix[:-1]:
            out.append((node.lineno, "__init__"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix):
            out.append((node.lineno, (node.module or "")[len(prefix):].split(".")[0]))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name[len(prefix):].split(".")[0])
                       for a in node.names if a.name.startswith(prefix))
    return out


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_module_is_a_named_stage(package: str) -> None:
    found = sorted(p.stem for p in (SRC / package).glob("*.py"))
    assert found == sorted([*PACKAGES[package], "__init__"])


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_stage_imports_only_the_stages_above_it(package: str) -> None:
    stages = PACKAGES[package]
    prefix = "annobib." + package.replace("/", ".") + "."
    bad = []
    for stage in stages:
        for line, target in _stage_imports(SRC / package / f"{stage}.py", prefix):
            if target not in stages or stages.index(target) >= stages.index(stage):
                bad.append(f"{package}/{stage}.py:{line}: imports {target}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_package_only_names_what_the_stages_define(package: str) -> None:
    tree = ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    names += [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
              if isinstance(t, ast.Name)]
    assert names == ["__all__"]


def test_the_check_catches_a_stage_importing_one_below_it(tmp_path: Path) -> None:
    probe = tmp_path / "write.py"
    probe.write_text("from annobib.sources.yaml.read import load_paths\n", encoding="utf-8")
    assert _stage_imports(probe, "annobib.sources.yaml.") == [(1, "read")]
