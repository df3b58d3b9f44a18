"""``annobib explain CODE...``: what a finding code means, from the registry (annobib.codes)."""

from __future__ import annotations

from typing import Annotated

import typer

from annobib.cli.exitcodes import ExitCode


def explain(
    codes: Annotated[
        list[str] | None,
        typer.Argument(help="Codes or prefixes (A402, A4, A41); none: every code.",
                       show_default=False),
    ] = None,
) -> None:
    """Print each code's severity, meaning and where the docs say more."""
    import difflib

    from annobib import codes as registry
    from annobib.cli import render

    wanted = list(codes or [""])
    lines: list[str] = []
    for token in wanted:
        found = registry.matching(token.strip())
        if not found:
            close = difflib.get_close_matches(token.upper(), list(registry.REGISTRY), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            render.stderr_console().print(
                f"annobib explain: no finding code {token!r}{hint}; `annobib explain` lists "
                "them all", markup=False)
            raise typer.Exit(int(ExitCode.USAGE))
        for c in found:
            more = f", {c.more}" if c.more else ""
            lines.append(f"{c.code}\t{c.severity_text}\t{c.title}\t(docs/{c.anchor}{more})")
    render.write_stdout("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
