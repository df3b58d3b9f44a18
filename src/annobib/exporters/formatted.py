"""Formatted bibliographies, annotated bibliographies and footnotes, in a CSL style.

Formats: ``text``, ``html`` (a standalone, accessible page without external assets),
``markdown`` and ``rtf``. The records go through the CSL-JSON mapping
(:func:`annobib.exporters.csljson.work_to_csl`) and the engine behind
:mod:`annobib.styles`.

- ``--annotated``: each entry is followed by its annotation (summary, evaluation, relevance,
  tags) as a separate block, in any style; the annotation is never glued into the reference.
- ``--notes``: an article's footnotes are regenerated from their structure: commentary text as
  written, each cite as ``signal`` + the style's citation with its locator, positions (ibid.,
  short forms) as the style prescribes. Commentary-only notes stay text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annobib.exporters.base import ExportOptions, ExportResult, selected_works
from annobib.findings import Finding, Severity
from annobib.model.annotation import Annotation
from annobib.model.library import Library
from annobib.model.record import Work
from annobib.model.references import FootnoteKind
from annobib.styles import DEFAULT_NOTES_STYLE, DEFAULT_STYLE

if TYPE_CHECKING:
    from annobib.styles import Formatter, Style


def export_text(library: Library, options: ExportOptions) -> ExportResult:
    return export_formatted(library, options, "text")


def export_html(library: Library, options: ExportOptions) -> ExportResult:
    return export_formatted(library, options, "html")


def export_markdown(library: Library, options: ExportOptions) -> ExportResult:
    return export_formatted(library, options, "markdown")


def export_rtf(library: Library, options: ExportOptions) -> ExportResult:
    return export_formatted(library, options, "rtf")


def export(library: Library, options: ExportOptions) -> ExportResult:
    """Plain text (the module's default format)."""
    return export_formatted(library, options, "text")


def csl_items(works: list[Work], style: Style | None = None,
              memo: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """CSL-JSON items for the engine: the canonical mapping, without the annotation text
    (annotations are printed as their own block, never by the style). For a style that prints
    translated titles (:func:`~annobib.styles.prints_translated_title`), a title's translation
    follows it in square brackets.

    ``memo`` (a long-lived caller's, ``export --watch``): the items of the last call, by key;
    a record equal to the one an item was made from keeps that item."""
    from annobib.exporters.csljson import work_to_csl
    from annobib.styles import prints_newspaper_issues, prints_translated_title

    bracketed = style is not None and prints_translated_title(style)
    issues = style is not None and prints_newspaper_issues(style)
    before: dict[str, tuple[Work, dict[str, Any]]] = {}
    kept: dict[str, tuple[Work, dict[str, Any]]] = {}
    if memo is not None:
        before = memo.get(f"csl-items:{bracketed}:{issues}", {})
        memo[f"csl-items:{bracketed}:{issues}"] = kept
    out = []
    for w in works:
        was = before.get(w.key)
        if was is not None and (was[0] is w or was[0] == w):
            out.append(was[1])
            kept[w.key] = (w, was[1])
            continue
        item = work_to_csl(w)
        item.pop("annote", None)
        if bracketed and w.title is not None and w.title.translated is not None:
            item["title"] = f"{w.title.text} [{w.title.translated.text}]"
        if issues and newspaper_issue(w) and "container-title" in item:
            item["title"] = item.pop("container-title")  # the issue is the work: its name leads
        out.append(item)
        if memo is not None:
            kept[w.key] = (w, item)
    return out


def newspaper_issue(work: Work) -> bool:
    """A newspaper cited by its name and date only (an issue as a whole, no title)."""
    from annobib.model.record import WorkType

    return (
        work.type is WorkType.NEWSPAPER_ARTICLE
        and work.title is None
        and work.container_title is not None
    )


def _with_issue_date(entry: str, work: Work, locale: str) -> str:
    """GOST's ``Year. Day Month.`` for a newspaper issue, after the year the style printed."""
    from annobib.styles import gost_day_month

    d = work.issued
    if d is None or d.month is None or d.day is None or d.end is not None:
        return entry
    day_month = gost_day_month(d.day, d.month, locale)
    year = f"{d.year}."
    at = entry.rfind(year)
    if day_month is None or at < 0:
        return entry
    end = "" if day_month.endswith(".") else "."  # «19 февр.», «13 марта.»
    return f"{entry[: at + len(year)]} {day_month}{end}{entry[at + len(year) :]}"


#: annobib's own words on a formatted page, by the primary language of the style's locale;
#: other languages get English (and the page says ``lang="en"`` for them)
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "bibliography": "Bibliography",
        "annotated": "Annotated bibliography",
        "notes": "Notes",
        "summary": "Summary",
        "evaluation": "Evaluation",
        "relevance": "Relevance",
        "tags": "Tags",
        "annotation": "Annotation",
    },
    # GOST R 7.0.5 lists are headed "Список литературы"; the labels are the usual ones of
    # Russian annotated bibliographies
    "ru": {
        "bibliography": "Список литературы",
        "annotated": "Аннотированный список литературы",
        "notes": "Примечания",
        "summary": "Содержание",
        "evaluation": "Оценка",
        "relevance": "Значение",
        "tags": "Ключевые слова",
        "annotation": "Аннотация",
    },
}


def page_language(locale: str) -> str:
    """The language of annobib's own words on a page rendered in ``locale`` (a BCP 47 tag)."""
    primary = locale.split("-")[0].lower()
    return locale if primary in _WORDS else "en"


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang.split("-")[0].lower(), _WORDS["en"])


def export_formatted(
    library: Library, options: ExportOptions, fmt: str, formatter: Formatter | None = None
) -> ExportResult:
    """Export in ``fmt``; pass a :class:`~annobib.styles.Formatter` to reuse its warm engines
    (a long-lived caller or a test session), else one is made and closed for this call."""
    formatter = formatter or options.formatter
    if formatter is not None:
        return _dispatch(library, options, fmt, formatter)
    from annobib.styles import Formatter

    with Formatter() as own:
        return _dispatch(library, options, fmt, own)


def _dispatch(
    library: Library, options: ExportOptions, fmt: str, formatter: Formatter
) -> ExportResult:
    if options.notes:
        return _notes(library, options, fmt, formatter)
    return _bibliography(library, options, fmt, formatter)


# --- bibliography -------------------------------------------------------------------------


def _bibliography(
    library: Library, options: ExportOptions, fmt: str, formatter: Formatter
) -> ExportResult:
    works = selected_works(library, options)
    style = formatter.style(options.style or DEFAULT_STYLE)
    findings: list[Finding] = []
    if not works:
        return ExportResult(text="", findings=findings)
    items = csl_items(works, style, formatter.memo if formatter.reuse else None)
    rendered = formatter.bibliography(items, style, options.locale, fmt)
    by_key = {w.key: w for w in works}
    missing = [w.key for w in works if w.key not in set(rendered.ids)]
    for key in missing:  # never drop a record silently
        findings.append(
            Finding(
                "A502",
                Severity.ERROR,
                "the style printed no entry for this record",
                location=library.origin(key),
                key=key,
            )
        )
    entries = [
        Entry(key=i, text=t, work=by_key[i])
        for i, t in zip(rendered.ids, rendered.entries, strict=True)
    ]
    from annobib.styles import prints_newspaper_issues

    if prints_newspaper_issues(style):
        for e in entries:
            if newspaper_issue(e.work):
                locale = rendered.languages.get(e.key, rendered.locale)
                e.text = _with_issue_date(e.text, e.work, locale)
    page = Page(
        entries=entries,
        style_title=style.title,
        locale=rendered.locale,
        annotated=options.annotated,
        hanging=bool(rendered.meta.get("hangingindent")),
        items={str(it["id"]): it for it in items},
        languages=rendered.languages,
    )
    writer = {"text": _text, "markdown": _markdown, "html": _html, "rtf": _rtf}[fmt]
    return ExportResult(text=writer(page), findings=findings)


@dataclass(slots=True)
class Entry:
    key: str
    text: str
    work: Work


@dataclass(slots=True)
class Page:
    entries: list[Entry]
    style_title: str
    locale: str
    annotated: bool
    hanging: bool
    items: dict[str, dict[str, Any]]
    languages: dict[str, str]  # key -> locale the entry was rendered in, if not `locale`


_LABELS = ("summary", "evaluation", "relevance")


def _annotation_parts(a: Annotation | None, lang: str = "en") -> list[tuple[str, str]]:
    if a is None or a.is_empty():
        return []
    words = _words(lang)
    parts = [(words[attr], getattr(a, attr)) for attr in _LABELS if getattr(a, attr)]
    if a.tags:
        parts.append((words["tags"], "; ".join(a.tags)))
    return parts


def _text(page: Page) -> str:
    blocks = []
    for e in page.entries:
        block = [e.text]
        parts = (
            _annotation_parts(e.work.annotation, page_language(page.locale))
            if page.annotated
            else []
        )
        if parts:
            block.append("")
            block.extend(f"    {label}: {_one_line(value)}" for label, value in parts)
        blocks.append("\n".join(block))
    sep = "\n\n" if page.annotated else "\n"
    return sep.join(blocks) + "\n"


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _markdown(page: Page) -> str:
    from annobib.styles.markup import escape_markdown

    blocks = []
    for e in page.entries:
        block = [e.text]
        parts = (
            _annotation_parts(e.work.annotation, page_language(page.locale))
            if page.annotated
            else []
        )
        if parts:
            block.append("")
            lines = [
                f"> **{label}.** {escape_markdown(_one_line(value))}" for label, value in parts
            ]
            block.append("\n>\n".join(lines))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"


# --- HTML ----------------------------------------------------------------------------------

_CSS = """
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; margin: 0;
       color: #1a1a1a; background: #fff; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
.style-name { color: #555; margin-top: 0; }
ol.bibliography { list-style: none; padding: 0; margin: 0; }
ol.bibliography > li { margin: 0 0 1.25rem 0; }
.hanging .csl-entry { padding-left: 2em; text-indent: -2em; }
.csl-left-margin { float: left; min-width: 2.5em; }
.csl-right-inline { margin-left: 2.5em; }
.annotation { margin: 0.5rem 0 0 2em; padding: 0.5rem 0.75rem; border-left: 4px solid #4a6fa5;
              background: #f3f6fa; font-size: 0.95em; }
.annotation p { margin: 0.25rem 0; }
.annotation .label { font-weight: bold; }
ul.tags { list-style: none; padding: 0; margin: 0.25rem 0 0 0; }
ul.tags li { display: inline-block; margin: 0 0.35rem 0.35rem 0; padding: 0 0.5rem;
             border: 1px solid #4a6fa5; border-radius: 0.75rem; font-size: 0.85em; }
ol.footnotes li { margin-bottom: 0.75rem; }
:target { outline: 2px solid #4a6fa5; outline-offset: 4px; }
@media print { .annotation { background: none; } }
""".strip()


def _lang_of(item: dict[str, Any]) -> str | None:
    custom = item.get("custom") or {}
    title = custom.get("title") if isinstance(custom, dict) else None
    if isinstance(title, dict) and title.get("lang"):
        return str(title["lang"])
    lang = item.get("language")
    return str(lang) if lang else None


def _same_language(tag: str, context: str) -> bool:
    """``ru`` inside ``ru-RU`` is the same language; ``ru-Latn`` (a transliteration) is not."""
    a, b = tag.split("-"), context.split("-")
    if a[0].lower() != b[0].lower():
        return False
    script_a = next((p for p in a[1:] if len(p) == 4), None)
    script_b = next((p for p in b[1:] if len(p) == 4), None)
    return script_a is None or (script_b is not None and script_a.lower() == script_b.lower())


def _mark_title_lang(
    entry_html: str,
    item: dict[str, Any],
    page_lang: str,
    whole: bool = True,
    title: str | None = None,
) -> str:
    """Wrap the title (``title``, else the item's) in ``<span lang>`` when it is not in the
    page's language."""
    lang = _lang_of(item)
    title = title if title is not None else item.get("title")
    if not lang or not title or _same_language(lang, page_lang):
        return entry_html
    escaped = (  # citeproc-js's own entity forms
        html.escape(str(title), quote=False)
        .replace("&amp;", "&#38;")
        .replace("&lt;", "&#60;")
        .replace("&gt;", "&#62;")
    )
    for needle in (escaped, html.escape(str(title), quote=False)):
        idx = _in_text(entry_html, needle)
        if idx >= 0:
            return (
                entry_html[:idx]
                + f'<span lang="{html.escape(lang)}">{needle}</span>'
                + entry_html[idx + len(needle) :]
            )
    if not whole:
        return entry_html
    # The style changed the title's form (case, quotes): mark the whole entry instead.
    return entry_html.replace('<div class="csl-entry"', f'<div class="csl-entry" lang="{lang}"', 1)


_TAG = re.compile(r"<[^>]*>")
_OPEN_ENTITY = re.compile(r"&[#A-Za-z0-9]*$")


def _in_text(fragment: str, needle: str) -> int:
    """Where ``needle`` first stands in a text node of ``fragment`` (never inside a tag, an
    attribute or an entity), or -1."""
    start = 0
    for m in [*_TAG.finditer(fragment), None]:
        end = m.start() if m is not None else len(fragment)
        text = fragment[start:end]
        at = text.find(needle)
        while at >= 0:
            if not _OPEN_ENTITY.search(text[:at]):  # (an escaped needle holds whole entities)
                return start + at
            at = text.find(needle, at + 1)
        if m is not None:
            start = m.end()
    return -1


def _anchor(key: str) -> str:
    """The entry's id, escaped: ``ref-`` and the key as written (HTML5 ids hold any character
    but whitespace), so it is stable and as unique as the keys on the page. A key holds no
    whitespace or ``%`` (``model.record.KEY_RE``); writing whitespace as ``%XX`` keeps even a
    key built without validation apart from the others and the id valid."""
    anchor = "ref-" + re.sub(r"\s", lambda m: f"%{ord(m.group()):02X}", key)
    return html.escape(anchor, quote=True)


def _html_page(title: str, lang: str, body: list[str], generator: str) -> str:
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{html.escape(generator)}">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"


def _generator() -> str:
    from annobib import __version__

    return f"annobib {__version__}"


def _html(page: Page) -> str:
    lang = page_language(page.locale)
    words = _words(lang)
    heading = words["annotated"] if page.annotated else words["bibliography"]
    # the styles' titles (the CSL files' <title>) are English
    style_lang = "" if _same_language("en", lang) else ' lang="en"'
    body = [
        f'<h1 id="bibliography">{heading}</h1>',
        f'<p class="style-name"{style_lang}>{html.escape(page.style_title)}</p>',
        f'<ol class="bibliography{" hanging" if page.hanging else ""}" role="list" '
        f'aria-labelledby="bibliography">',
    ]
    for e in page.entries:
        # the page speaks the language of annobib's words (the style's locale where annobib
        # has words for it); an entry rendered in another locale says so, and so does a title
        # in another language than its entry
        entry_locale = page.languages.get(e.key, page.locale)
        title = e.work.title.text if e.work.title is not None else None
        entry = _mark_title_lang(e.text, page.items.get(e.key, {}), entry_locale, title=title)
        if not _same_language(entry_locale, lang):
            entry = entry.replace(
                '<div class="csl-entry"', f'<div class="csl-entry" lang="{entry_locale}"', 1
            )
        body.append(f'<li id="{_anchor(e.key)}">')
        body.append(entry)
        annotation = e.work.annotation
        parts = _annotation_parts(annotation, lang) if page.annotated else []
        if parts and annotation is not None:
            # the annotation's text is in its own language (`annotation.lang`), its labels in
            # the page's
            own = annotation.lang
            foreign = own is not None and not _same_language(own, lang)
            text_lang = f' lang="{html.escape(own)}"' if foreign and own else ""
            body.append(
                f'<section class="annotation" aria-label="{words["annotation"]}: '
                f'{html.escape(e.key)}">'
            )
            for label, value in parts:
                if label == words["tags"]:
                    body.append(f'<ul class="tags" aria-label="{label}"{text_lang}>')
                    body.extend(f"<li>{html.escape(t)}</li>" for t in annotation.tags)
                    body.append("</ul>")
                else:
                    value_html = html.escape(_one_line(value))
                    body.append(
                        f'<p><span class="label">{label}:</span> '
                        + (f"<span{text_lang}>{value_html}</span>" if text_lang else value_html)
                        + "</p>"
                    )
            body.append("</section>")
        body.append("</li>")
    body.append("</ol>")
    return _html_page(f"{heading} ({page.style_title})", lang, body, _generator())


# --- RTF -----------------------------------------------------------------------------------


def _rtf_doc(paragraphs: list[str]) -> str:
    head = r"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times New Roman;}}\uc1\f0\fs24"
    return head + "\n" + "\n".join(paragraphs) + "\n}\n"


def _rtf(page: Page) -> str:
    from annobib.styles.markup import rtf_escape

    indent = r"\fi-720\li720" if page.hanging else ""
    paras = []
    for e in page.entries:
        paras.append(r"{\pard" + indent + r"\sa120 " + e.text + r"\par}")
        parts = (
            _annotation_parts(e.work.annotation, page_language(page.locale))
            if page.annotated
            else []
        )
        for label, value in parts:
            paras.append(
                r"{\pard\li720\sa60 {\b "
                + rtf_escape(label)
                + r":} "
                + rtf_escape(_one_line(value))
                + r"\par}"
            )
    return _rtf_doc(paras)


# --- footnotes -----------------------------------------------------------------------------


def _notes(
    library: Library, options: ExportOptions, fmt: str, formatter: Formatter
) -> ExportResult:
    style = formatter.style(options.style or DEFAULT_NOTES_STYLE)
    # the locale the notes are rendered in (the engine is built once and kept warm)
    page_lang = page_language(formatter.engine(style, options.locale).locale)
    by_key = library.by_key()
    findings: list[Finding] = []
    sections: list[Section] = []
    for loaded in library.documents:
        doc = loaded.document
        if not doc.footnotes:
            continue
        keys: dict[str, None] = {}
        for note in doc.footnotes:
            for cite in note.cites:
                keys.setdefault(cite.target_key, None)
        works = [by_key[k] for k in keys if k in by_key]
        items = csl_items(works)
        clusters = []
        for note in doc.footnotes:
            for i, cite in enumerate(note.cites):
                ci: dict[str, Any] = {"id": cite.target_key}
                if cite.locator is not None:
                    ci["locator"] = cite.locator.value
                    ci["label"] = cite.locator.label.value
                prefix = " ".join(p for p in (cite.signal, cite.prefix) if p)
                if prefix:
                    ci["prefix"] = prefix + " "
                if cite.suffix:
                    ci["suffix"] = cite.suffix
                clusters.append({"id": f"n{note.n}.{i}", "note": note.n, "items": [ci]})
        engine_fmt = "html" if fmt in ("html", "markdown") else fmt
        cited = formatter.notes(items, clusters, style, options.locale, engine_fmt)
        out: list[tuple[int, str]] = []
        for note in doc.footnotes:
            cites = [cited.get(f"n{note.n}.{i}", "") for i in range(len(note.cites))]
            if fmt == "html":
                by_id = {str(it["id"]): it for it in items}
                cites = [
                    _mark_title_lang(c, by_id.get(cite.target_key, {}), page_lang, whole=False)
                    for c, cite in zip(cites, note.cites, strict=True)
                ]
            out.append(
                (note.n, _note_text(note.kind, note.text, cites, fmt, note.cite_positions(),
                                    bracketed=not style.is_note_style))
            )
        title = doc.article.title_text() if doc.article is not None else loaded.path
        title_lang = (doc.article.title.lang if doc.article is not None
                      and doc.article.title is not None else None)
        sections.append(Section(title, title_lang, out))
    if not sections:
        findings.append(
            Finding("A503", Severity.WARNING, "--notes: no selected document has footnotes")
        )
    writer = {"text": _notes_text, "markdown": _notes_md, "html": _notes_html, "rtf": _notes_rtf}
    text = writer[fmt](sections, style.title, page_lang) if sections else ""
    return ExportResult(text=text, findings=findings)


def _escape_for(text: str, fmt: str) -> str:
    if fmt == "html":
        return html.escape(text, quote=False)
    if fmt == "markdown":
        from annobib.styles.markup import escape_markdown

        return escape_markdown(text)
    if fmt == "rtf":
        from annobib.styles.markup import rtf_escape

        return rtf_escape(text)
    return text


def _note_text(
    kind: FootnoteKind,
    text: str | None,
    cites: list[str],
    fmt: str,
    positions: list[int | None] | None = None,
    *,
    bracketed: bool = False,
) -> str:
    """A note from its parts. Citation notes: the cites, each a sentence. Mixed notes: the
    commentary with each cite in parentheses where it was printed (``positions``: offsets in
    ``text`` from the cites' ``after``; cites standing together share one parenthesis), and
    the cites without a position in parentheses before the commentary's last full stop.
    ``bracketed``: the cites come in the brackets of an in-text style ("(Miasnikov, 1997)"),
    which stand for those parentheses (no double brackets)."""
    if fmt == "markdown":
        from annobib.styles.markup import html_to_markdown

        cites = [html_to_markdown(c) for c in cites]
    cites = [c.strip() for c in cites]
    if kind is FootnoteKind.COMMENTARY or not cites:
        return _escape_for(text, fmt) if text else ""
    if kind is FootnoteKind.CITATION and not text:
        return " ".join(cites)
    inline: dict[int, list[str]] = {}
    closing: list[str] = []
    for cite, at in zip(cites, positions or [None] * len(cites), strict=True):
        (closing if at is None else inline.setdefault(at, [])).append(cite)
    commentary = _with_inline_cites(text or "", inline, fmt, bracketed=bracketed)
    if not closing:
        return commentary
    inner = _cite_group(closing)
    if bracketed:
        if not commentary:
            return f"{inner}."
        if commentary.endswith("."):
            return f"{commentary[:-1]} {inner}."
        return f"{commentary} {inner}"
    if not commentary:
        return f"({inner})."
    # The parenthesis goes before the commentary's closing full stop, as the notes print it
    # ("... other documents (see: Kazakhstanskaia pravda, 23 September 2003).").
    if commentary.endswith("."):
        return f"{commentary[:-1]} ({inner})."
    return f"{commentary} ({inner})"


def _inserted(cites: list[str], bracketed: bool) -> str:
    """`` (A; B)``, or `` (A); (B)`` when the cites carry their own brackets."""
    return f" {'; '.join(cites)}" if bracketed else f" ({_cite_group(cites)})"


def _cite_group(cites: list[str]) -> str:
    """Citations that stand together, as one parenthesis holds them: ``A; B``."""
    return "; ".join(c.rstrip(".") for c in cites)


def _with_inline_cites(
    text: str, inline: dict[int, list[str]], fmt: str, *, bracketed: bool = False
) -> str:
    """``text`` escaped for ``fmt`` with `` (cite; cite)`` inserted at the given offsets.

    Markdown escaping depends on what starts a line, so there the text is escaped as one
    piece, with a private-use character standing for each insertion, replaced afterwards;
    the other formats escape character by character and are escaped piece by piece.
    """
    if not inline:
        return _escape_for(text, fmt) if text else ""
    if fmt != "markdown":
        parts: list[str] = []
        prev = 0
        for at in sorted(inline):
            parts.append(_escape_for(text[prev:at], fmt))
            parts.append(_inserted(inline[at], bracketed))
            prev = at
        parts.append(_escape_for(text[prev:], fmt))
        return "".join(parts)
    marks: dict[str, str] = {}
    pieces: list[str] = []
    code, prev = 0xE000, 0
    for at in sorted(inline):
        while chr(code) in text:
            code += 1
        mark = chr(code)
        code += 1
        marks[mark] = _inserted(inline[at], bracketed)
        pieces.extend((text[prev:at], mark))
        prev = at
    pieces.append(text[prev:])
    out = _escape_for("".join(pieces), fmt)
    for mark, cites in marks.items():
        out = out.replace(mark, cites)
    return out


@dataclass(slots=True)
class Section:
    """One document's regenerated notes: its title (and the title's language, if known)."""

    title: str
    title_lang: str | None
    notes: list[tuple[int, str]]


def _notes_text(sections: list[Section], style_title: str, lang: str) -> str:
    out = []
    for s in sections:
        out.append("\n".join(f"{n}. {t}" for n, t in s.notes))
    return "\n\n".join(out) + "\n"


def _notes_md(sections: list[Section], style_title: str, lang: str) -> str:
    # A numbered list with the notes' own numbers: every Markdown renderer shows it (footnote
    # definitions without references in the text are dropped by most of them).
    out = []
    for s in sections:
        heading = f"## {_words(lang)['notes']}: {escape_md(s.title)}"
        block = [heading, ""] if len(sections) > 1 else []
        block.append("\n".join(f"{n}. {t}" for n, t in s.notes))
        out.append("\n".join(block))
    return "\n\n".join(out) + "\n"


def escape_md(text: str) -> str:
    from annobib.styles.markup import escape_markdown

    return escape_markdown(text)


def _notes_html(sections: list[Section], style_title: str, lang: str) -> str:
    # ``lang``: the language of the notes' locale where annobib has words for it (as on the
    # bibliography page); a document title in another language says so
    words = _words(lang)
    style_lang = "" if _same_language("en", lang) else ' lang="en"'  # the styles' titles
    body = [
        f'<h1 id="notes">{words["notes"]}</h1>',
        f'<p class="style-name"{style_lang}>{html.escape(style_title)}</p>',
    ]
    for i, s in enumerate(sections):
        hid = f"notes-{i + 1}"
        title_lang = (f' lang="{html.escape(s.title_lang)}"'
                      if s.title_lang and not _same_language(s.title_lang, lang) else "")
        body.append(f'<h2 id="{hid}"{title_lang}>{html.escape(s.title)}</h2>')
        body.append(f'<ol class="footnotes" aria-labelledby="{hid}">')
        for n, t in s.notes:
            body.append(f'<li id="fn-{i + 1}-{n}" value="{n}">{t}</li>')
        body.append("</ol>")
    return _html_page(f"{words['notes']} ({style_title})", lang, body, _generator())


def _notes_rtf(sections: list[Section], style_title: str, lang: str) -> str:
    paras = []
    for s in sections:
        for n, t in s.notes:
            paras.append(r"{\pard\sa120 " + f"{n}. " + t + r"\par}")
    return _rtf_doc(paras)
