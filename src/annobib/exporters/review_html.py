"""The ``annobib review`` report as one HTML page, from the review's JSON payload.

Everything that comes from the input or from Crossref is data, never markup: every string is
escaped. The page has no script and loads nothing; it reads the same in any browser.
"""

from __future__ import annotations

import html
from typing import Any

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin: 0 0 .3em; }
.summary span { margin-right: 1.2em; }
article.ref { border: 1px solid #ccc; border-radius: 4px; padding: .6em 1em; margin: 1em 0; }
.verdict { font-weight: bold; padding: 0 .4em; border-radius: 3px; }
.v-matched { background: #d9f2d9; } .v-ambiguous { background: #fff2cc; }
.v-not-in-crossref { background: #e6e6e6; } .v-unchecked { background: #ffd9b3; }
.v-not-found { background: #f4cccc; }
.printed, .formatted, .diff { font-family: Georgia, serif; }
table.fields { border-collapse: collapse; margin: .4em 0; font-size: .9em; }
table.fields td, table.fields th { border: 1px solid #ddd; padding: .15em .5em;
  text-align: left; vertical-align: top; }
td.low { background: #fde2e2; }
del { background: #fbd0d0; text-decoration: line-through; }
ins { background: #cdeccd; text-decoration: none; }
.label { color: #555; font-size: .85em; margin-right: .4em; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _field_text(value: Any) -> str:
    if isinstance(value, dict):
        if "text" in value:
            return str(value["text"])
        return "; ".join(f"{k}: {_field_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_field_text(v) for v in value)
    return str(value)


def _fields_table(item: dict[str, Any], threshold: float) -> list[str]:
    conf: dict[str, float] = item.get("confidence", {})
    out = ['<table class="fields"><tr><th>field</th><th>value</th><th>confidence</th></tr>']
    for name, value in item.get("fields", {}).items():
        c = conf.get(name)
        shown = f"{c:.2f}" if isinstance(c, float | int) else "—"
        if name in item.get("inferred", {}):
            shown = f"inferred ({item['inferred'][name]})"
        low = ' class="low"' if isinstance(c, float | int) and c < threshold else ""
        out.append(f"<tr><td>{_e(name)}</td><td>{_e(_field_text(value))}</td>"
                   f"<td{low}>{_e(shown)}</td></tr>")
    out.append("</table>")
    return out


def _diff(ops: list[list[str]]) -> str:
    parts = []
    for op, text in ops:
        if op == "delete":
            parts.append(f"<del>{_e(text)}</del>")
        elif op == "insert":
            parts.append(f"<ins>{_e(text)}</ins>")
        else:
            parts.append(_e(text))
    return "".join(parts)


def review_page(payload: dict[str, Any], threshold: float = 0.6) -> str:
    """The HTML report of ``payload`` (the JSON of :class:`annobib.tasks.review.Review`)."""
    title = f"Reference review: {payload.get('file', '')}"
    body = [f"<h1>{_e(title)}</h1>",
            f'<p class="style-name">Re-formatted in: {_e(payload.get("style", ""))}</p>',
            '<p class="summary">']
    for verdict, n in payload.get("summary", {}).get("verdicts", {}).items():
        body.append(f"<span>{_e(verdict)}: {_e(n)}</span>")
    body.append("</p>")
    for item in payload.get("items", []):
        match = item.get("match", {})
        verdict = str(match.get("verdict", ""))
        body.append(f'<article class="ref" id="ref-{_e(item.get("key", ""))}">')
        body.append(f'<h2>{_e(item.get("label", ""))} <span class="label">line '
                    f'{_e(item.get("line", ""))}</span> <span class="verdict v-{_e(verdict)}">'
                    f"{_e(verdict)}</span></h2>")
        body.append(f'<p class="printed"><span class="label">Printed:</span> '
                    f'{_e(item.get("printed", ""))}</p>')
        body.append(f'<p class="reason"><span class="label">Why:</span> '
                    f'{_e(match.get("reason", ""))}</p>')
        if match.get("doi"):
            body.append(f'<p class="doi"><span class="label">DOI:</span> '
                        f'{_e(match["doi"])}</p>')
        cands = match.get("candidates") or []
        if cands and verdict != "matched":
            body.append('<ul class="candidates">')
            for c in cands:
                body.append(f"<li>{_e(c.get('doi', ''))}: {_e(c.get('title', ''))} "
                            f"(title {_e(c.get('title-similarity', ''))}; agreed: "
                            f"{_e(', '.join(c.get('agreed', [])) or 'nothing')})</li>")
            body.append("</ul>")
        if item.get("formatted") is not None:
            body.append(f'<p class="formatted"><span class="label">As the style prints it:'
                        f'</span> {_e(item["formatted"])}</p>')
            body.append(f'<p class="diff"><span class="label">Difference:</span> '
                        f'{_diff(item.get("diff", []))}</p>')
        body.extend(_fields_table(item, threshold))
        body.append("</article>")
    head = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
            "<main>"]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"
