"""What every exporter takes and gives. One module per format; see ``FORMATS``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annobib.findings import Finding
from annobib.model.library import Library
from annobib.model.record import Work

if TYPE_CHECKING:
    from annobib.styles import Formatter


@dataclass(slots=True)
class ExportOptions:
    """Options an exporter may read; each ignores those that do not apply to its format."""

    ascii: bool = False
    style: str | None = None
    locale: str | None = None
    annotated: bool = False
    notes: bool = False
    keys: list[str] | None = None
    # Formatted exports: warm engines to use (and leave open) instead of a one-off set; the CLI
    # passes one it started early with Formatter.prepare.
    formatter: Formatter | None = None


@dataclass(slots=True)
class ExportResult:
    """The exported text and what was lost or doubtful on the way (warnings name record+field)."""

    text: str
    findings: list[Finding] = field(default_factory=list)


def selected_works(library: Library, options: ExportOptions) -> list[Work]:
    """The works to export, in library order, optionally restricted to ``options.keys``."""
    works = library.works()
    if options.keys is None:
        return works
    wanted = set(options.keys)
    return [w for w in works if w.key in wanted]
