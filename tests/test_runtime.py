"""The garbage-collector policy has one home, annobib.runtime: no other module of src/ pauses,
re-enables or freezes the collector by hand (read with ``ast``, nothing is run)."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import pytest

from annobib import runtime

SRC = Path(__file__).resolve().parents[1] / "src" / "annobib"
OWNED = {"disable", "enable", "freeze", "unfreeze"}


def _gc_calls(path: Path) -> list[str]:
    """``line: gc.name`` for each call of gc.disable/enable/freeze/unfreeze in a file, however
    gc was imported (``import gc``, ``import gc as g``, ``from gc import disable``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases = {"gc"}
    direct: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update(a.asname or a.name for a in node.names if a.name == "gc")
        elif isinstance(node, ast.ImportFrom) and node.module == "gc":
            direct.update({a.asname or a.name: a.name for a in node.names if a.name in OWNED})
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if (isinstance(f, ast.Attribute) and f.attr in OWNED
                and isinstance(f.value, ast.Name) and f.value.id in aliases):
            found.append(f"{node.lineno}: gc.{f.attr}")
        elif isinstance(f, ast.Name) and f.id in direct:
            found.append(f"{node.lineno}: gc.{direct[f.id]}")
    return found


def test_only_runtime_touches_the_collector() -> None:
    bad = [f"{p.relative_to(SRC).as_posix()}:{call}"
           for p in sorted(SRC.rglob("*.py")) if p != SRC / "runtime.py"
           for call in _gc_calls(p)]
    assert bad == []


def test_the_check_sees_a_hand_written_pause(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import gc as g\nfrom gc import freeze\ng.disable()\nfreeze()\n",
                      encoding="utf-8")
    assert _gc_calls(sample) == ["3: gc.disable", "4: gc.freeze"]
    assert _gc_calls(SRC / "runtime.py")  # and runtime.py itself is where they are


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_restores_the_previous_state(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with runtime.gc_paused():
            assert not gc.isenabled()
            with runtime.gc_paused():  # nested: the inner one leaves the outer in force
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), runtime.gc_paused():
            raise RuntimeError("even when the work fails")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_freeze_loaded_and_unfreeze() -> None:
    before = gc.get_freeze_count()
    try:
        kept = [[i] for i in range(100)]
        runtime.freeze_loaded()
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        runtime.unfreeze()
    assert gc.get_freeze_count() == 0
