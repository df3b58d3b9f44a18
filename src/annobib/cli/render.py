"""Rendering findings and tables for people (rich, on stderr) and machines (JSON, on stdout)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from annobib.findings import Finding, Location, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[str, int, int]:
        loc = f.location or Location()
        return (loc.file or "", loc.line or 0, loc.col or 0)

    return sorted(findings, key=key)


def print_findings(findings: Sequence[Finding]) -> None:
    """One line per finding, ``file:line:col: key.field: message``, on stderr."""
    if not findings:
        return
    if not sys.stderr.isatty():
        # Same text without colour: rich costs ~0.25 ms a line, which is seconds for the
        # tens of thousands of findings a large import reports.
        sys.stderr.write("".join(f"{f}\n" for f in sort_findings(findings)))
        sys.stderr.flush()
        return
    from rich.markup import escape

    console = stderr_console()
    for f in sort_findings(findings):
        style = _STYLE[f.severity]
        console.print(
            f"{escape(str(f.location or '<input>'))}: "
            f"{escape(f.subject + ': ' if f.subject else '')}{escape(f.message)} "
            f"[{style}]\\[{f.severity.value} {escape(f.code)}][/{style}]"
        )


def findings_json(findings: Sequence[Finding], summary: dict[str, Any]) -> str:
    payload = {
        "version": 1,
        "summary": summary,
        "findings": [f.to_json() for f in sort_findings(findings)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
