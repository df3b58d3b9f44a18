"""Conversions of the engine's HTML fragments: to Markdown, and escaping helpers.

citeproc-js emits a small HTML vocabulary: ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<span
style="font-variant:small-caps;">``, ``<span style="font-style:normal;">`` (roman inside
italics), ``<a href>``, and ``<div class="csl-...">`` wrappers. Markdown gets ``*…*`` / ``**…**``,
raw ``<sup>``/``<sub>`` (Markdown allows inline HTML) and escaped text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_AUTOLINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*$")  # CommonMark's autolink
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([#+\-=>])")


def escape_markdown(text: str) -> str:
    """Escape text so a Markdown renderer shows it literally."""
    out = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_line_start, out)


def _line_start(m: re.Match[str]) -> str:
    if m.group(2) is not None:
        return f"{m.group(1)}{m.group(2)}\\{m.group(3)}{m.group(4)}"
    return f"{m.group(5)}\\{m.group(6)}"


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.href: list[str] = []
        self.link_at: list[int] = []  # where each open link's "[" stands in `out`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        style = (a.get("style") or "").replace(" ", "")
        mark = ""
        if tag in ("i", "em") or (tag == "span" and "font-style:italic" in style):
            mark = "*"
        elif tag in ("b", "strong") or (tag == "span" and "font-weight:bold" in style):
            mark = "**"
        elif tag in ("sup", "sub"):
            mark = f"<{tag}>"
        elif tag == "a":
            self.href.append(a.get("href") or "")
            self.link_at.append(len(self.out))
            mark = "["
        elif (
            tag == "div"
            and (a.get("class") or "") in ("csl-right-inline", "csl-indent")
            and self.out
            and not "".join(self.out).endswith((" ", "\n"))
        ):
            # the number sits in its own block in HTML; in Markdown a space separates it
            self.out.append(" ")
        self.stack.append(tag + "|" + mark)
        self.out.append(mark)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            entry = self.stack.pop()
            open_tag, _, mark = entry.partition("|")
            if mark == "*" or mark == "**":
                if self.out and self.out[-1] == mark:
                    self.out.pop()  # nothing between the marks: drop both
                else:
                    self.out.append(mark)
            elif mark.startswith("<"):
                self.out.append(f"</{mark[1:]}")
            elif mark == "[":
                href = self.href.pop() if self.href else ""
                at = self.link_at.pop() if self.link_at else len(self.out)
                shown = "".join(self.out[at + 1 :])
                if shown == _MD_SPECIAL.sub(r"\\\1", href) and _AUTOLINK.match(href):
                    # a bare URL: an autolink, so its `_` and `*` stay as they are
                    self.out[at:] = [f"<{href}>"]
                else:
                    self.out.append(f"](<{href}>)")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(_MD_SPECIAL.sub(r"\\\1", data))


def html_to_markdown(fragment: str) -> str:
    """One citeproc-js HTML entry or citation as a Markdown paragraph (one line)."""
    parser = _ToMarkdown()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()
    return _MD_LINE_START.sub(_line_start, text)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def rtf_escape(text: str) -> str:
    """Plain text as RTF: control characters escaped, non-ASCII as ``\\uN?``."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\line ")
        elif code < 128:
            out.append(ch)
        elif code < 0x10000:
            signed = code if code < 0x8000 else code - 0x10000
            out.append(f"\\u{signed}?")
        else:
            v = code - 0x10000
            for unit in (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)):
                out.append(f"\\u{unit - 0x10000}?")
    return "".join(out)
