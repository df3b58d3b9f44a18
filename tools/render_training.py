"""Make labelled reference strings by rendering real records in several CSL styles.

    python tools/render_training.py [--shared ../shared]

Writes ``training/text-parser/rendered-train.xml.gz`` and ``rendered-test.xml`` (AnyStyle's XML
form). Records come from

- AnyStyle's own labelled strings (``training/text-parser/core.xml``, ``good.xml``): each is
  read back into a CSL item; those of the training split are rendered into the training file,
  those of the held-out split (Cyrillic ones in GOST and the post-Soviet styles) into the test
  file, so no held-out reference reaches training in another form;
- ``tugboat.bib`` (public domain) and ``deep-review-references.json`` (CC BY 4.0 / CC0) from the
  shared corpora (``../shared/corpora``; read only here, never by tests or the build).

Each field's value is wrapped in private-use sentinels before rendering with citeproc-js (the
engine annobib ships), so the rendered string tells which characters came from which field;
names and dates are not wrapped (styles initialise and reorder them) and are found as the text
before the first field and as the years in the text between fields. Styles and records are
chosen with a fixed seed: the same inputs give the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from annobib.sources.text.data import Sample, read_xml, write_xml  # noqa: E402
from annobib.sources.text.fields import (  # noqa: E402
    container_value,
    date_value,
    names_value,
    pages_value,
    place_value,
    publisher_value,
    title_value,
    volume_issue,
)

STYLES = [
    "apa",
    "gost-r-7-0-5-2008",
    "gost-r-7-0-5-2008-numeric",
    "post-soviet-issues",
    "vancouver",
    "ieee",
    "chicago-author-date",
    "modern-language-association",
    "harvard-cite-them-right",
]
RUSSIAN_STYLES = ["gost-r-7-0-5-2008", "gost-r-7-0-5-2008-numeric", "post-soviet-issues"]

# CSL variable -> (label, sentinel open, sentinel close)
WRAP = {
    "title": "title",
    "container-title": "container-title",
    "collection-title": "collection-title",
    "volume": "volume",
    "issue": "volume",
    "page": "pages",
    "number-of-pages": "pages",
    "publisher": "publisher",
    "publisher-place": "location",
    "edition": "edition",
    "genre": "genre",
}
_OPEN = {name: chr(0xE000 + 2 * i) for i, name in enumerate(WRAP)}
_CLOSE = {name: chr(0xE001 + 2 * i) for i, name in enumerate(WRAP)}
_BY_CHAR = {ch: name for name, ch in _OPEN.items()} | {ch: name for name, ch in _CLOSE.items()}
_CYR = re.compile(r"[\u0400-\u04FF]")


def _person(name: str) -> dict[str, str]:
    family, _, given = name.partition(",")
    out = {"family": family.strip()}
    if given.strip():
        out["given"] = given.strip()
    return out


def item_from_sample(s: Sample, ident: str) -> dict[str, Any] | None:
    """A CSL item from the fields of one labelled AnyStyle string."""
    from annobib.sources.text.read import is_word

    item: dict[str, Any] = {"id": ident}
    labels = {lab for *_, lab in s.spans}
    for start, end, lab in s.spans:
        text = s.text[start:end]
        if lab == "author" and "author" not in item:
            names = names_value(text)
            if names:
                item["author"] = [_person(n) for n in names]
        elif lab == "title" and "title" not in item:
            item["title"] = title_value(text, is_word)
        elif lab == "container-title" and "container-title" not in item:
            item["container-title"] = container_value(text, is_word)
        elif lab == "date" and "issued" not in item:
            d = date_value(text)
            if d:
                item["issued"] = {"date-parts": [[int(d[:4])]]}
        elif lab == "volume" and "volume" not in item:
            vol, iss = volume_issue(text, False)
            if vol:
                item["volume"] = vol
            if iss:
                item["issue"] = iss
        elif lab == "pages" and "page" not in item:
            pg, count = pages_value(text)
            if pg:
                item["page"] = pg
            if count:
                item["number-of-pages"] = count
        elif lab == "publisher" and "publisher" not in item:
            item["publisher"] = publisher_value(text)
        elif lab == "location" and "publisher-place" not in item:
            item["publisher-place"] = place_value(text)
    if "title" not in item or "author" not in item:
        return None
    if "container-title" in item:
        item["type"] = "chapter" if labels & {"publisher", "editor"} else "article-journal"
    else:
        item["type"] = "book"
    if _CYR.search(s.text):
        item["language"] = "ru"
    return {k: v for k, v in item.items() if v}


def wrap(item: dict[str, Any]) -> dict[str, Any]:
    out = dict(item)
    for name in WRAP:
        v = out.get(name)
        if isinstance(v, str) and v.strip():
            out[name] = _OPEN[name] + v + _CLOSE[name]
    return out


_YEARISH = re.compile(r"(1[5-9]\d\d|20\d\d|n\.d\.|б\.г\.)")
_ACCESS = re.compile(r"(?i)^[\[(]?(accessed|cited|retrieved|viewed|дата|обращения)")
_LANG = re.compile(r"(?i)^\((in|на)$|^(russ|eng|рус|англ)\w*\.?\)")
_MEDIUM = re.compile(r"(?i)^\[(internet|online|электронный)")


def segments(rendered: str, has_author: bool) -> Sample | None:
    """Label the tokens of a sentinel-marked rendering (AnyStyle's span form, exact text)."""
    from annobib.sources.text.tokens import tokenize

    clean = ""
    owner: list[str | None] = []  # per character of ``clean``: the field it came from
    current: str | None = None
    for ch in rendered:
        name = _BY_CHAR.get(ch)
        if name is None:
            clean += ch
            owner.append(current)
        elif _OPEN.get(name) == ch:
            current = WRAP[name]
        else:
            current = None
    toks = tokenize(clean)
    if not toks:
        return None
    own: list[str | None] = []
    for s, e in toks:
        labs = [lab for lab in owner[s:e] if lab]
        own.append(labs[0] if labs else None)
    labels: list[str] = []
    seen_field = False
    in_access = False
    for i, (s, e) in enumerate(toks):
        w = clean[s:e]
        if own[i] is not None:
            labels.append(own[i])  # type: ignore[arg-type]
            seen_field = True
            in_access = False
            continue
        nxt = next((lab for lab in own[i + 1:] if lab), None)
        prev = labels[-1] if labels else None
        glued_prev = i > 0 and toks[i - 1][1] == s
        glued_next = i + 1 < len(toks) and toks[i + 1][0] == e and own[i + 1] is not None
        if in_access or _ACCESS.match(w):
            lab = "accessed"
            in_access = not (w.endswith(("]", ")", "].", ").", "];", "),")) or (
                _YEARISH.search(w) and w.endswith(".")))
        elif re.match(r"(?i)^(https?://(?!doi\.org)|www\.)", w):
            lab = "url"
        elif re.match(r"(?i)^(doi:|https?://doi\.org|10\.\d{4,9}/)", w):
            lab = "doi"
        elif w.upper() in ("URL:", "URL") or w.lower() in ("available", "from:", "at:",
                                                            "available:"):
            lab = "url"
        elif _MEDIUM.match(w):
            lab = "medium"
        elif _LANG.match(w) or (prev == "language" and re.match(r"(?i)^(russ|eng)", w)):
            lab = "language"
        elif i == 0 and re.match(r"^\[?\d{1,4}[\].]?$", w):
            lab = "citation-number"
        elif not seen_field and has_author:
            lab = "date" if _YEARISH.search(w) and not w[0].isalpha() else "author"
        elif _YEARISH.search(w) and not re.search(r"[A-Za-zА-Яа-я]{4,}", w):
            lab = "date"
        elif prev and (re.fullmatch(r"[.,;:)\]]+", w)
                       or (glued_prev and not w.startswith(("(", "[")))):
            lab = prev
        elif glued_next and nxt:
            lab = nxt
        else:
            lab = nxt or prev or "note"
        labels.append(lab)
    spans: list[tuple[int, int, str]] = []
    for (s, e), lab in zip(toks, labels, strict=True):
        if spans and spans[-1][2] == lab:
            spans[-1] = (spans[-1][0], e, lab)
        else:
            spans.append((s, e, lab))
    return Sample(clean, spans, "rendered")


def corpus_items(shared: Path, rng: random.Random, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    deep = shared / "corpora" / "deep-review-references.json"
    if deep.exists():
        for it in json.loads(deep.read_text(encoding="utf-8")):
            it = {k: v for k, v in it.items() if k in {
                "id", "type", "title", "author", "container-title", "volume", "issue", "page",
                "issued", "publisher", "publisher-place", "URL", "DOI", "accessed"}}
            if it.get("title") and it.get("author"):
                items.append(it)
    tug = shared / "corpora" / "tugboat.bib"
    if tug.exists():
        from annobib.exporters.csljson import work_to_csl
        from annobib.sources.interchange import KeyRegistry, read_text

        res = read_text(tug.read_text(encoding="utf-8"), str(tug), "bibtex", KeyRegistry())
        works = list(res.works)
        if not works and res.yaml_items:
            import yaml

            from annobib.model.record import Work

            for block in res.yaml_items:
                for d in yaml.safe_load(block) or []:
                    works.append(Work.model_validate(d))
        for w in works:
            it = work_to_csl(w)
            it.pop("annote", None)
            it.pop("abstract", None)
            it.pop("note", None)
            if it.get("title") and it.get("author"):
                items.append(it)
    rng.shuffle(items)
    return items[:limit]


def _render(f: Any, items: list[dict[str, Any]], style: str) -> list[tuple[str, str]]:
    """(id, rendered entry) for each item; a chunk the engine rejects is rendered one by one,
    and an item it rejects alone is left out."""
    try:
        r = f.bibliography(items, style)
        return list(zip((str(i) for i in r.ids), r.entries, strict=True))
    except Exception:
        if len(items) == 1:
            return []
    out: list[tuple[str, str]] = []
    for it in items:
        out.extend(_render(f, [it], style))
    return out


def render_all(items: list[dict[str, Any]], styles_for: list[list[str]]) -> list[Sample]:
    from annobib.styles import Formatter

    out: list[Sample] = []
    by_style: dict[str, list[dict[str, Any]]] = {}
    for it, styles in zip(items, styles_for, strict=True):
        for st in styles:
            by_style.setdefault(st, []).append(it)
    with Formatter() as f:
        for st in sorted(by_style):
            group = by_style[st]
            for k in range(0, len(group), 200):
                chunk = group[k:k + 200]
                wrapped = [wrap({**it, "id": f"{it['id']}"}) for it in chunk]
                has_author = {str(it["id"]): bool(it.get("author")) for it in chunk}
                for w in wrapped:
                    w.pop("editor", None)
                    w.pop("translator", None)
                for ident, entry in _render(f, wrapped, st):
                    it_author = has_author.get(ident, True)
                    sample = segments(" ".join(entry.split()), it_author)
                    if sample is not None:
                        out.append(sample)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpus", type=int, default=1500, help="corpus records to render")
    args = ap.parse_args()
    rng = random.Random(20261204)
    data = ROOT / "training" / "text-parser"
    train_items: list[dict[str, Any]] = []
    test_items: list[dict[str, Any]] = []
    for name in ("core.xml", "good.xml"):
        for i, s in enumerate(read_xml(data / name)):
            it = item_from_sample(s, f"{name}-{i}")
            if it is None:
                continue
            if s.held_out():
                if it.get("language") == "ru":
                    test_items.append(it)
            else:
                train_items.append(it)
    corpus = corpus_items(args.shared, rng, args.corpus)
    n_test = len(corpus) // 10
    test_items.extend(corpus[:n_test])
    train_items.extend(corpus[n_test:])

    def styles(it: dict[str, Any]) -> list[str]:
        if it.get("language") == "ru":
            return rng.sample(RUSSIAN_STYLES, 2)
        return rng.sample(STYLES, 2)

    train = render_all(train_items, [styles(it) for it in train_items])
    test_styles = []
    for it in test_items:
        test_styles.append(RUSSIAN_STYLES if it.get("language") == "ru" else rng.sample(STYLES, 1))
    test = render_all(test_items, test_styles)
    write_xml(train, data / "rendered-train.xml.gz")
    write_xml(test, data / "rendered-test.xml")
    print(f"rendered {len(train)} training and {len(test)} test strings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
