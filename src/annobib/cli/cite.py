"""``annobib cite KEY[:LOCATOR]...``: one in-text citation cluster in a CSL style."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from annobib.cli.exitcodes import ExitCode

_LABELS = {
    "p": "page",
    "pp": "page",
    "page": "page",
    "ch": "chapter",
    "chap": "chapter",
    "sec": "section",
    "para": "paragraph",
    "vol": "volume",
    "no": "issue",
    "fol": "folio",
    "l": "line",
    "n": "note",
    "fig": "figure",
    "art": "article",
}
_LABEL_RE = re.compile(r"^\s*([A-Za-z]+)\.?\s+(.+)$")


def parse_cite(token: str, known: set[str]) -> dict[str, str]:
    """``KEY``, ``KEY:291``, ``KEY:pp. 12-14``, ``KEY:ch. 3`` -> a citeproc cite item.

    Keys may themselves contain ``:`` (biblatex accepts them): the token is resolved against
    the library's keys, the longest key that exists wins and the rest is the locator (an empty
    locator, ``KEY:``, is none).
    """
    cut = len(token)
    while cut > 0:
        key, locator = token[:cut], token[cut + 1 :].strip()
        if key in known:
            if not locator:
                return {"id": key}
            label = "page"
            m = _LABEL_RE.match(locator)
            if m and m.group(1).lower() in _LABELS:
                label, locator = _LABELS[m.group(1).lower()], m.group(2).strip()
            return {"id": key, "locator": locator, "label": label}
        cut = token.rfind(":", 0, cut)
    raise _unknown_key(token, known)


def _unknown_key(token: str, known: set[str]) -> Exception:
    """The error for a token no key of the library begins: named whole, closest keys offered."""
    import difflib

    from annobib.errors import InputError

    ends = [cut for cut in range(len(token), 0, -1) if cut == len(token) or token[cut] == ":"]
    candidates = [token[:cut] for cut in ends]
    scored: dict[str, float] = {}
    for candidate in candidates:
        for close in difflib.get_close_matches(candidate, known, n=3):
            ratio = difflib.SequenceMatcher(None, candidate, close).ratio()
            scored[close] = max(scored.get(close, 0.0), ratio)
    best = sorted(scored, key=lambda k: (-scored[k], k))[:3]
    hint = f"; did you mean {', '.join(best)}?" if best else ""
    where = " nor any part of it before a ':'" if len(candidates) > 1 else ""
    return InputError(f"no record with key {token!r}{where}{hint}")


def cite(
    keys: Annotated[
        list[str],
        typer.Argument(help="Record keys, each optionally with a locator: KEY, KEY:291, KEY:ch. 3"),
    ],
    style: Annotated[
        str | None, typer.Option("--style", "-s", help="CSL style name or .csl file (default: "
                                 "the configuration's style, else apa).", show_default=False)
    ] = None,
    locale: Annotated[str | None, typer.Option("--locale", help="CSL locale, e.g. ru-RU.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, html, markdown or rtf.")
    ] = "text",
    files: Annotated[
        list[Path] | None,
        typer.Option("--in", "-i", help="YAML files or directories (default: data/)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not use the cache of validated files.")
    ] = False,
) -> None:
    """Print one citation cluster, e.g. "(Tomberg, 2022, p. 291)" or "[3, p. 291]".

    Numeric styles number the works in library order (as `annobib export` lists them).
    """
    from annobib.cli import render
    from annobib.cli.common import default_paths, load, settings
    from annobib.errors import AnnobibError
    from annobib.exporters.formatted import csl_items
    from annobib.styles import FORMATS, Formatter, default_style

    config = settings()
    style = style or config.get("style") or default_style()
    locale = locale or config.get("locale")

    if fmt not in FORMATS:
        render.stderr_console().print(
            f"annobib cite: unknown format {fmt!r}; choose from: {', '.join(FORMATS)}"
        )
        raise typer.Exit(int(ExitCode.USAGE))
    result = load(default_paths(files), lint=False, use_cache=not no_cache)
    if result.unreadable:
        render.print_findings(result.findings)
        raise typer.Exit(int(ExitCode.UNREADABLE))
    works = result.library.works()
    try:
        cites = [parse_cite(k, {w.key for w in works}) for k in keys]
        register = csl_items(works)
        with Formatter() as formatter:
            text = formatter.cite(register, cites, style, locale, fmt, register=register)
    except AnnobibError as exc:
        render.stderr_console().print(f"annobib cite: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    render.write_stdout(text)


def register(app: typer.Typer) -> None:
    app.command("cite")(cite)
