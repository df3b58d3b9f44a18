"""What ``cite`` and ``export --cited-in`` read from the command line and from manuscripts:
``KEY[:LOCATOR]`` tokens, and the citations of LaTeX, Markdown and Typst documents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annobib.errors import InputError, UsageError

if TYPE_CHECKING:
    from annobib.findings import Finding
    from annobib.sources.citations import Citation

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
    locator, ``KEY:``, is none). A token no key begins is an :class:`~annobib.errors.InputError`
    with the closest keys.
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


def mistyped_key(token: str, cite: dict[str, str], known: set[str]) -> str | None:
    """A longer key the token probably meant, when it was read as a shorter key and a locator.

    ``westfahl:spcae:12`` with keys ``westfahl`` and ``westfahl:space`` is ``westfahl`` at
    locator ``spcae:12`` by the longest-key rule; that is what the token says, but the locator's
    first part is so close to a key the library has (``westfahl:space``) that a typo is more
    likely. None when the token is a whole key, or no longer key is close."""
    import difflib

    key = cite["id"]
    if len(token) <= len(key) + 1:
        return None
    first = token[len(key) + 1 :].split(":", 1)[0]
    longer = [k for k in known if k.startswith(key + ":")]
    close = difflib.get_close_matches(f"{key}:{first}", longer, n=1, cutoff=0.8)
    return close[0] if close else None


def typo_warnings(tokens: Sequence[str], cites: Sequence[dict[str, str]],
                  known: set[str]) -> list[Finding]:
    """A603 for each token that :func:`mistyped_key` finds a likely typo in."""
    from annobib.findings import Finding, Severity

    out = []
    for token, cite in zip(tokens, cites, strict=True):
        meant = mistyped_key(token, cite, known)
        if meant is not None:
            out.append(Finding(
                "A603", Severity.WARNING,
                f"{token!r} is cited as {cite['id']!r} at locator {cite['locator']!r}; "
                f"did you mean {meant!r}?", key=cite["id"]))
    return out


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


def read_citations(documents: Sequence[Path]) -> list[Citation]:
    """The citations of each document, in order. A document of no known kind is a
    :class:`~annobib.errors.UsageError` (exit 2), one that cannot be read an
    :class:`~annobib.errors.InputError` (exit 3)."""
    from annobib.sources.citations import format_of, read

    out: list[Citation] = []
    for doc in documents:
        fmt = format_of(str(doc))
        if fmt is None:
            raise UsageError(f"{doc}: cannot tell the kind of document; give a .tex, .aux, .md "
                             "(.markdown, .qmd, .Rmd) or .typ file")
        try:
            text = doc.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise InputError(f"{doc}: {why}") from None
        out.extend(read(text, str(doc), fmt))
    return out
