"""The article's own reference list against the publisher's ``reference`` deposit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from annobib.findings import Finding, Severity
from annobib.model import Library
from annobib.model.library import LoadedDocument
from annobib.textmatch import (
    fold,
    name_key,
    similarity,
    strip_markup,
)


def _deposit_text(ref: dict[str, Any]) -> str:
    if isinstance(ref.get("unstructured"), str):
        return strip_markup(ref["unstructured"])
    parts = [str(ref[k]) for k in ("author", "article-title", "volume-title", "journal-title",
                                   "series-title", "year", "volume", "first-page") if ref.get(k)]
    return ". ".join(parts)


def _match_score(source: str, our_doi: str | None, ref: dict[str, Any]) -> float:
    their_doi = str(ref.get("DOI") or "").lower()
    if our_doi and their_doi:
        return 1.0 if our_doi == their_doi else 0.0
    text = re.sub(r"^\s*\[?\d+[.\])]\s*", "", source)
    their = _deposit_text(ref)
    if not their:
        return 0.0
    score = similarity(text, their)
    # structured deposits: title and first author inside our printed line count for more
    title = str(ref.get("article-title") or ref.get("volume-title") or "")
    author = str(ref.get("author") or "")
    ft = fold(text, latin=True)
    if title and fold(title, latin=True) in ft:
        score = max(score, 0.8 + (0.2 if author and name_key(author) and
                                  fold(author, latin=True).split()[0] in ft else 0.0))
    return score


def _lis_positions(seq: Sequence[int]) -> set[int]:
    """Indices of one longest increasing subsequence of ``seq``."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, v in enumerate(seq):
        j = bisect.bisect_left(tails, v)
        if j == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[j] = v
            tails_idx[j] = i
        prev[i] = tails_idx[j - 1] if j > 0 else -1
    out: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def compare_reference_list(loaded: LoadedDocument, library: Library,
                           record: dict[str, Any]) -> list[Finding]:
    """Our numbered reference list against the publisher's ``reference`` deposit."""
    deposit = [r for r in record.get("reference") or [] if isinstance(r, dict)]
    doc = loaded.document
    art = doc.article
    if not deposit or art is None or not doc.references:
        return []
    location = library.origin(art.key, "references") or library.origin(art.key)
    by_key = library.by_key()
    out: list[Finding] = []
    if len(deposit) != len(doc.references):
        out.append(Finding("A350", Severity.WARNING,
                           f"{len(doc.references)} references here, {len(deposit)} in the "
                           "publisher's Crossref deposit", location, art.key, "references",
                           {"ours": len(doc.references), "theirs": len(deposit)}))
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []  # (our index, deposit index)
    for i, ref in enumerate(doc.references):
        target = by_key.get(ref.target_key)
        our_doi = target.doi if target is not None else None
        best_j, best = -1, 0.0
        for j, dep in enumerate(deposit):
            if j in used:
                continue
            s = _match_score(ref.source, our_doi, dep)
            if s > best:
                best_j, best = j, s
        if best_j >= 0 and best >= 0.6:
            used.add(best_j)
            pairs.append((i, best_j))
            dep = deposit[best_j]
            their_doi = str(dep.get("DOI") or "").lower()
            if their_doi and not our_doi:
                out.append(Finding("A354", Severity.INFO,
                                   f"reference {ref.n}: the deposit gives DOI {their_doi}",
                                   library.origin(ref.target_key) or location, ref.target_key,
                                   "doi", {"n": ref.n, "theirs": their_doi}))
        else:
            out.append(Finding("A352", Severity.WARNING,
                               f"reference {ref.n} is not in the publisher's deposit",
                               location, art.key, f"references[{i}]",
                               {"n": ref.n, "ours": ref.source}))
    for j, dep in enumerate(deposit):
        if j not in used:
            out.append(Finding("A351", Severity.WARNING,
                               f"deposited reference {j + 1} ({dep.get('key', '')}) is missing "
                               "here", location, art.key, "references",
                               {"position": j + 1, "theirs": _deposit_text(dep)}))
    order = [j for _, j in pairs]
    keep = _lis_positions(order)
    for k, (i, j) in enumerate(pairs):
        if k not in keep:
            out.append(Finding("A353", Severity.WARNING,
                               f"reference {doc.references[i].n} is at position {j + 1} in the "
                               "deposit: order differs", location, art.key, f"references[{i}]",
                               {"n": doc.references[i].n, "deposit-position": j + 1}))
    return out
