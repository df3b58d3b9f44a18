"""Rendering findings and tables for people (rich, on stderr) and machines (JSON, on stdout).

Data is never markup and never drives the terminal: the consoles made here do not read rich
markup unless a call asks (``markup=True``, with the data escaped), and every value from a
file is shown with its control characters escaped (:func:`annobib.chars.visible`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from annobib import chars
from annobib.findings import Finding, Location, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def stdout_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, markup=False)


def cell(value: str) -> Any:
    """A table cell for a value from the data: no markup, one line, nothing raw."""
    from rich.text import Text

    return Text(chars.one_line(value))


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
        sys.stderr.write(chars.visible("".join(f"{f}\n" for f in sort_findings(findings))))
        sys.stderr.flush()
        return
    from rich.markup import escape

    def safe(text: str) -> str:
        return escape(chars.one_line(text))

    console = stderr_console()
    for f in sort_findings(findings):
        style = _STYLE[f.severity]
        console.print(
            f"{safe(str(f.location or '<input>'))}: "
            f"{safe(f.subject + ': ' if f.subject else '')}{safe(f.message)} "
            f"[{style}]\\[{f.severity.value} {escape(f.code)}][/{style}]",
            markup=True,
        )


def findings_json(findings: Sequence[Finding], summary: dict[str, Any]) -> str:
    payload = {
        "version": 1,
        "summary": summary,
        "findings": [f.to_json() for f in sort_findings(findings)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def write_stdout(text: str) -> None:
    """``text`` on stdout; on a terminal with its control characters shown escaped (a pipe or a
    file gets the text as it is)."""
    if sys.stdout.isatty():
        text = chars.visible(text)
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
