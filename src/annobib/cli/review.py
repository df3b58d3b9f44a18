"""``annobib review``: parse a printed reference list, find each work, re-format it.

Options and rendering only; the work is :func:`annobib.api.review`
(:mod:`annobib.tasks.review`).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from annobib.cli.common import ApiUrlOpt, MailtoOpt, OfflineOpt, write_or_stop
from annobib.cli.exitcodes import ExitCode
from annobib.errors import AnnobibError


class ReviewFormat(StrEnum):
    text = "text"
    html = "html"
    json = "json"
    sarif = "sarif"
    github = "github"
    yaml = "yaml"


def review_command(
    file: Annotated[str, typer.Argument(help="A text file holding a printed reference list or "
                                        "footnotes ('-' reads standard input).")],
    style: Annotated[str, typer.Option("--style", help="The style to re-format in (a CSL "
                                       "style name, e.g. post-soviet-issues or a GOST style).")],
    output_format: Annotated[
        ReviewFormat | None,
        typer.Option("--format", "-f", help="text (terminal), html (the report page), json, "
                     "sarif, github, or yaml (the records for the library). Default: html "
                     "when -o ends in .html, else text."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the report to FILE.")
    ] = None,
    mailto: MailtoOpt = None,
    api_url: ApiUrlOpt = None,
    evidence: Annotated[
        Path | None,
        typer.Option("--evidence", help="Evidence directory (default: .crossref/ beside the "
                     "file).", show_default=False),
    ] = None,
    offline: OfflineOpt = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1,
                                           help="Seconds for one answer.")] = 20.0,
    max_time: Annotated[float, typer.Option("--max-time", min=0.1,
                                            help="Seconds for all Crossref requests.")] = 300.0,
    retries: Annotated[int, typer.Option("--retries", min=1,
                                         help="Attempts per request.")] = 4,
) -> None:
    """Parse a printed list, find each work in Crossref, re-format it in STYLE.

    Each reference gets its parsed fields with confidences, a verdict (matched with the DOI
    and the evidence, ambiguous with the candidates, not-in-crossref with the plausible
    reason, unchecked when Crossref could not be asked), the reference as STYLE prints it and
    a character-level difference. Exit codes: 0 clean, 1 findings (a printed DOI nobody
    registered, an ambiguous match, an entry not read), 2 usage, 3 unreadable input,
    4 Crossref unavailable for at least one work.
    """
    from annobib import api
    from annobib.cli import render
    from annobib.cli.check import checked_api_url

    if not offline:
        api_url = checked_api_url(api_url)
    fmt = output_format or (ReviewFormat.html if output is not None
                            and output.suffix.lower() in (".html", ".htm") else ReviewFormat.text)
    name = "<stdin>" if file == "-" else file
    text = None
    if file == "-":
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"{name}: cannot read: {exc}\n")
            raise typer.Exit(int(ExitCode.UNREADABLE)) from None
    try:
        review = api.review(name, style, text=text, offline=offline, evidence=evidence,
                            api_url=api_url, mailto=mailto, timeout=timeout,
                            max_time=max_time, retries=retries)
    except api.UnknownStyle as exc:
        raise typer.BadParameter(str(exc), param_hint="--style") from None
    except api.Unreadable as exc:
        sys.stderr.write(f"{exc}\n")
        raise typer.Exit(int(exc.exit_code)) from None
    except AnnobibError as exc:  # a style found nowhere, a configuration that cannot be used
        sys.stderr.write(f"annobib review: {exc}\n")
        raise typer.Exit(int(exc.exit_code)) from None
    code = review.exit_code()
    if fmt is ReviewFormat.text:
        out = _text(review)
    elif fmt is ReviewFormat.html:
        import json

        from annobib.exporters.review_html import review_page

        out = review_page(json.loads(review.to_json(int(code))))
    elif fmt is ReviewFormat.json:
        out = review.to_json(int(code))
    elif fmt is ReviewFormat.sarif:
        out = review.to_sarif(int(code))
    elif fmt is ReviewFormat.github:
        out = review.to_github()
    else:
        out = review.to_yaml()
    if output is not None:
        write_or_stop("review", output, out)
    else:
        render.write_stdout(out)
    raise typer.Exit(int(code))


def _text(review: object) -> str:
    from annobib import chars
    from annobib.tasks.review import Review

    assert isinstance(review, Review)
    lines = []
    for it in review.items:
        doi = f" {it.match.doi}" if it.match.doi else ""
        lines.append(chars.one_line(f"{it.label} (line {it.line}): {it.match.verdict.value}"
                                    f"{doi}: {it.match.reason}"))
    counts = ", ".join(f"{k} {v}" for k, v in review.counts().items() if v)
    lines.append(f"{len(review.items)} works: {counts}")
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    app.command("review")(review_command)
