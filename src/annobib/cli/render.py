"""Rendering findings and tables for people (rich, on stderr) and machines (JSON, on stdout).

Data is never markup and never drives the terminal: the consoles made here do not read rich
markup unless a call asks (``markup=True``, with the data escaped), and every value from a
file is shown with its control characters escaped (:func:`annobib.chars.visible`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from annobib import chars
from annobib.findings import Finding, Location, Severity

if TYPE_CHECKING:
    from annobib.cli.common import Reporting, Triaged

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def table_console(*, stderr: bool = False) -> Any:
    """A console for a table: the terminal's width on a terminal; in a pipe or a file no
    width limit, so that a table's rows are never wrapped at 80 columns."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() else 100_000
    return Console(stderr=stderr, highlight=False, markup=False, width=wide)


def key_column(table: Any, keys: Iterable[str], header: str = "key") -> None:
    """Add the column of record keys: never wrapped or cut, as wide as the longest key."""
    longest = max((len(chars.one_line(k)) for k in keys), default=len(header))
    table.add_column(header, no_wrap=True, min_width=max(longest, len(header)))


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
        one_line = chars.one_line
        sys.stderr.write("".join(f"{one_line(str(f))}\n" for f in sort_findings(findings)))
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


#: up to this many findings are printed one per line even without --verbose
SHOW_ALL_UP_TO = 10
#: lines shown under an error code's summary line (warnings and info: the first one's place)
ERROR_EXAMPLES = 3


def report(triaged: Triaged, how: Reporting) -> None:
    """Findings for people, on stderr: every line with ``-v`` (or when there are few), else
    one summary line per code and severity (count, title, first examples) and how to see all;
    ``-q``: errors only."""
    findings = triaged.active
    if how.verbosity < 0:
        findings = [f for f in findings if f.severity is Severity.ERROR]
    if how.verbosity > 0 or len(findings) <= SHOW_ALL_UP_TO:
        print_findings(findings)
        if how.verbosity > 0 and triaged.ignored:
            _say(f"annobib: {len(triaged.ignored)} more findings ignored "
                 "(--select/--ignore, annobib-ignore; --format json lists them)")
        return
    print_summary(findings, len(triaged.ignored))


def print_summary(findings: Sequence[Finding], ignored: int = 0) -> None:
    from annobib import codes

    groups: dict[tuple[int, str, Severity], list[Finding]] = {}
    for f in findings:
        groups.setdefault((-f.severity.rank, f.code, f.severity), []).append(f)
    lines: list[tuple[str, str | None]] = []
    for (_rank, code, severity), members in sorted(groups.items(), key=lambda g: g[0][:2]):
        entry = codes.get(code)
        title = entry.title if entry else "(unregistered code)"
        ordered = sort_findings(members)
        first = ordered[0]
        head = f"{len(members):>7} {severity.value:<7} {code}  {title}"
        if severity is not Severity.ERROR:
            head += f"; first: {first.location or '<input>'}" + (
                f" {first.subject}" if first.subject else "")
            lines.append((head, _STYLE[severity]))
            continue
        lines.append((head, _STYLE[severity]))
        lines.extend((f"          {f}", None) for f in ordered[:ERROR_EXAMPLES])
        if len(ordered) > ERROR_EXAMPLES:
            lines.append((f"          ... and {len(ordered) - ERROR_EXAMPLES} more", None))
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    tally = ", ".join(f"{n} {s.value}{'s' if n != 1 and s is not Severity.INFO else ''}"
                      for s, n in sorted(counts.items(), key=lambda kv: -kv[0].rank) if n)
    more = f"; {ignored} ignored" if ignored else ""
    lines.append((
        f"annobib: {len(findings)} findings ({tally}){more}. Every one: -v; one code: "
        "--select CODE; silence one: --ignore CODE; what a code means: annobib explain CODE",
        None,
    ))
    _say_lines(lines)


def _say(text: str) -> None:
    _say_lines([(text, None)])


def _say_lines(lines: Sequence[tuple[str, str | None]]) -> None:
    one_line = chars.one_line  # the lines quote findings: data, never raw on the terminal
    if not sys.stderr.isatty():
        sys.stderr.write("".join(f"{one_line(text)}\n" for text, _ in lines))
        sys.stderr.flush()
        return
    console = stderr_console()
    for text, style in lines:
        console.print(one_line(text), style=style, markup=False)


def findings_json(
    findings: Sequence[Finding], summary: dict[str, Any],
    ignored: Sequence[tuple[Finding, str]] = (),
) -> str:
    """Every finding, those silenced too (with ``"ignored"``: why)."""
    why = {id(f): reason for f, reason in ignored}
    rows = []
    for f in sort_findings([*findings, *(f for f, _ in ignored)]):
        row = f.to_json()
        if id(f) in why:
            row["ignored"] = why[id(f)]
        rows.append(row)
    payload = {"version": 1, "summary": summary, "findings": rows}
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
