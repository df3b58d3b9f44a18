"""From labelled spans of a printed reference to annobib field values.

The model labels spans with their punctuation (``(1999).``, ``pp. 1761–1800).``); here each
span's value is cleaned to what the field holds (``1999``, ``1761–1800``), numbers are read
(``2018;5(1):108-115``: year, volume, issue, pages), names are split into persons, and the
work's type and language are inferred. Nothing is invented: a field is set only from printed
text, and what is inferred (type, language) is listed in ``ParsedFields.inferred``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annobib.sources.text.tokens import KNOWN_PLACES

# --- cleaning --------------------------------------------------------------------------------

_EDGE = " \t,;:./"
_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“", "‘": "’"}


def strip_punct(text: str) -> str:
    text = text.strip()
    while (text and text[-1] in ",;:/") or text.endswith((" .", "..")):
        text = text[:-1].rstrip()
    if text.endswith(".") and not re.search(r"(?:\b[^\W\d_]|\b(?:[A-Z][a-z]|etc|al|Inc|Ltd|Co))\.$",
                                            text):
        text = text[:-1].rstrip()
    return text.lstrip(" ,;:/")


def _unwrap(text: str) -> str:
    """Drop brackets or quotes that enclose the whole value."""
    for _ in range(2):
        text = text.strip()
        if len(text) > 1 and text[0] in "([" and text[-1] in ")]":
            inner = text[1:-1]
            if inner.count("(") == inner.count(")") and inner.count("[") == inner.count("]"):
                text = inner
                continue
        if len(text) > 1 and text[0] in _QUOTES:
            close = _QUOTES[text[0]]
            body = text[1:]
            m = re.match(r"^(.*?)[,.]?" + re.escape(close) + r"[,.;:]?$", body, re.DOTALL)
            if m:
                inner = m.group(1)
                # a title that itself holds a quoted part keeps its own quotes
                if inner.count(text[0]) == inner.count(close):
                    text = inner
                    continue
        break
    return text


def title_value(text: str, is_word: Callable[[str], bool]) -> str:
    text = _unwrap(strip_punct(text))
    text = strip_punct(text) if text.endswith((",", ";", ":")) else text
    return dehyphenate(text, is_word)


_INLINE_HYPHEN = re.compile(r"\b([^\W\d_]{2,})-([^\W\d_]{2,})\b")


def dehyphenate(text: str, is_word: Callable[[str], bool]) -> str:
    """Join ``Poten-tial`` (a word broken at a line end in print, its hyphen left by text
    extraction) when the second half is not a word of its own; ``military-technical`` stays."""

    def fix(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if b[0].isupper() or is_word(b):
            return m.group(0)
        return a + b

    return _INLINE_HYPHEN.sub(fix, text)


_CONTAINER_LEAD = re.compile(
    r"^(?:in\s*:|in\b|в\s*кн\.?\s*:|в\s*:|//|–|—|published in\b|in the\b)\s*", re.IGNORECASE
)


def container_value(text: str, is_word: Callable[[str], bool]) -> str:
    text = text.strip()
    for _ in range(2):
        text = _CONTAINER_LEAD.sub("", text).strip()
    return title_value(text, is_word)


def plain_value(text: str) -> str:
    return strip_punct(_unwrap(strip_punct(text)))


_PLACE_TAIL = re.compile(r"\s*[:;,]\s*$")


def place_value(text: str) -> str:
    text = _unwrap(text.strip())
    text = _PLACE_TAIL.sub("", text)
    return text.strip(" ,;")


def publisher_value(text: str) -> str:
    text = text.strip()
    text = re.sub(r"[,;:.]\s*$", "", text)
    return text.strip()


# --- numbers ---------------------------------------------------------------------------------

_PAGES_RANGE = re.compile(r"(\d+[a-zA-Z]?\s*[-–—‑]\s*\d+[a-zA-Z]?|[A-Za-z]?\d+[a-zA-Z]?)")
_PAGE_COUNT = re.compile(r"^\(?(\d+)\s*(?:p|pp|pages|с|стр|s|S|P)\.?\)?[.,;]?\)?$")
_VOL = re.compile(
    r"(?:(?:vol|volume|t|т|tom|bd|band)\.?\s*)?([0-9IVXLCivxlc]+(?:\s*[-–]\s*[0-9]+)?)"
    r"\s*(?:\(([^)]+)\))?",
    re.IGNORECASE,
)
_ISSUE_WORD = re.compile(r"(?:no|nr|№|iss|issue|n|вып|number)\.?\s*([0-9]+(?:\s*\(\d+\))?"
                         r"(?:\s*[-–/]\s*\d+)?)", re.IGNORECASE)


def pages_value(text: str) -> tuple[str | None, str | None]:
    """(pages, page-count) from a pages span: ``pp. 10-20.`` is pages, ``248 p.`` a count."""
    t = text.strip().rstrip(".,;)").strip()
    m = _PAGE_COUNT.match(t.strip("()").strip() + ("." if not t.endswith(".") else ""))
    if m and not re.search(r"^(?:p|pp|с|s|стр)\.", t, re.IGNORECASE):
        return None, m.group(1)
    m2 = _PAGES_RANGE.search(t)
    if m2:
        return re.sub(r"\s+", "", m2.group(1)), None
    return None, None


def volume_issue(text: str, russian: bool) -> tuple[str | None, str | None]:
    """(volume, issue) from a volume span such as ``Vol. 3,``, ``5(1):``, ``No. 1 (19),``."""
    t = text.strip().rstrip(".,;:").strip()
    vol: str | None = None
    issue: str | None = None
    m = _ISSUE_WORD.search(t)
    before = t[: m.start()] if m else t
    if m:
        issue = m.group(1).strip()
    mv = _VOL.search(before) if before.strip(" ,.;") else None
    if mv:
        vol = mv.group(1)
        if mv.group(2) and issue is None:
            issue = mv.group(2).strip()
        if russian and not mv.group(2) and issue is None and re.match(r"^\d+$", vol) \
                and not re.match(r"(?i)^(vol|t|т)", before.strip()):
            # Russian journals number their issues within a year and print no volume; their
            # English reference lists give "YEAR;N:PAGES" with the N an issue.
            vol, issue = None, vol
    return vol, issue


# --- dates -----------------------------------------------------------------------------------

_MONTH_NUM = {
    **{m: i + 1 for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])},
    "sept": 9,
    **{m: i + 1 for i, m in enumerate(
        ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"])},
    "май": 5,
}
_SEASON = {"spring": 21, "summer": 22, "fall": 23, "autumn": 23, "winter": 24}
_DMY = re.compile(r"\b(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\b")
_YMD = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_WORD_MONTH = re.compile(r"([^\W\d_]{3,})\.?")


def date_value(text: str) -> str | None:
    """An EDTF date (``2022``, ``2022-05``, ``2022-05-14``, ``1999-23``) from printed text."""
    m = _DMY.search(text)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _YMD.search(text)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    ym = _YEAR.search(text)
    if not ym:
        return None
    year = int(ym.group(1))
    month = None
    season = None
    for w in _WORD_MONTH.findall(text):
        lw = w.lower()
        if lw in _SEASON:
            season = _SEASON[lw]
            break
        if lw[:3] in _MONTH_NUM and (len(lw) <= 4 or lw[:3] in (
                "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                "янв", "фев", "мар", "апр", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
                or lw in ("may", "мая", "май")):
            month = _MONTH_NUM[lw[:3]] if lw[:3] in _MONTH_NUM else _MONTH_NUM.get(lw)
            break
    if season:
        return f"{year:04d}-{season}"
    if month:
        day_m = re.search(r"(?<!\d)(\d{1,2})(?!\d)", _YEAR.sub(" ", text))
        if day_m and 1 <= int(day_m.group(1)) <= 31:
            return f"{year:04d}-{month:02d}-{int(day_m.group(1)):02d}"
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


# --- names -----------------------------------------------------------------------------------

_NAME_NOISE = re.compile(
    r"\b(?:ed|eds|edited by|ed\. by|hrsg|hg|trans|transl|translated by|под ред|ред|пер|сост|"
    r"et al|и др|editor|editors|dir)\b\.?|\((?:eds?|hrsg|dir)\.?\)|^in\s*:?\s+|^в\s*:\s*",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"^(?:[^\W\d_][^\W\d_]?\.\s?-?)+$|^[A-ZА-ЯЁ]{1,3}$")


def _is_initials(word: str) -> bool:
    return bool(_INITIALS.match(word))


def _one_name(part: str) -> str | None:
    words = part.split()
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    # "Kamennov P.B.", "Markova E. A." (family first) or "V.S. Miasnikov" (initials first)
    lead = 0
    while lead < len(words) and _is_initials(words[lead]):
        lead += 1
    if 0 < lead < len(words):
        return f"{' '.join(words[lead:])}, {' '.join(words[:lead])}"
    tail = len(words)
    while tail > 1 and _is_initials(words[tail - 1]):
        tail -= 1
    if tail < len(words):
        return f"{' '.join(words[:tail])}, {' '.join(words[tail:])}"
    # "John Smith": given names first
    return f"{words[-1]}, {' '.join(words[:-1])}"


def names_value(text: str) -> list[str]:
    """Persons in annobib's short form (``"Family, Initials"``) from an author span."""
    t = _NAME_NOISE.sub(" ", text)
    t = re.sub(r"\s+", " ", t).strip(" ,;:")
    if t.endswith(".") and not re.search(r"(?:^|[\s.])[^\W\d_]{1,2}\.$", t):
        t = t[:-1]
    if not t:
        return []
    t = re.sub(r"\s+(?:and|&|и|und|et)\s+", ", ", t)
    out: list[str] = []
    if ";" in t:
        parts = [p.strip() for p in t.split(";")]
        out = [n for n in (_one_name(p) for p in parts) if n]
    else:
        raw = [p.strip() for p in t.split(",") if p.strip()]
        i = 0
        while i < len(raw):
            cur = raw[i]
            nxt = raw[i + 1] if i + 1 < len(raw) else None
            # "Smith, J." / "Smith, John": a family name, then its given names or initials
            if (nxt is not None and " " not in cur and not _is_initials(cur)
                    and (all(_is_initials(w) for w in nxt.split())
                         or (len(nxt.split()) == 1 and len(raw) % 2 == 0))):
                out.append(f"{cur}, {nxt}")
                i += 2
                continue
            name = _one_name(cur)
            if name:
                out.append(name)
            i += 1
    return [n.rstrip(",;") for n in out if any(ch.isalpha() for ch in n)]


# --- the whole entry -------------------------------------------------------------------------


@dataclass(slots=True)
class Span:
    label: str
    start: int  # offsets in the entry's text
    end: int
    text: str
    confidence: float


@dataclass(slots=True)
class ParsedFields:
    """A record's data (annobib field names), each field's confidence and the text span it
    came from, and which fields were inferred rather than printed."""

    data: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    inferred: dict[str, str] = field(default_factory=dict)  # field -> how it was inferred
    raw: dict[str, str] = field(default_factory=dict)  # field -> the span's printed text

    def put(self, name: str, value: Any, span: Span) -> None:
        if name in self.data or value in (None, "", []):
            return
        self.data[name] = value
        self.confidence[name] = round(span.confidence, 3)
        self.spans[name] = (span.start, span.end)


_PREFIX_WORD = re.compile(r"(?i)^(?:url|available|from|at|retrieved|in|в|//|doi|режим|доступа|"
                          r"online|\[online\]|vol|no|pp?|с|т|№)\W*$")


def spans_of(text: str, offsets: list[tuple[int, int]], labels: list[str],
             conf: list[float]) -> list[Span]:
    """Maximal runs of tokens with one label. A run's confidence is its least sure token's,
    leaving out a leading word that only introduces the value (``URL:``, ``In:``, ``pp.``)."""
    out: list[Span] = []
    lead: list[bool] = []  # whether the run's confidence so far is only its leading word's
    for (s, e), lab, c in zip(offsets, labels, conf, strict=True):
        if out and out[-1].label == lab:
            last = out[-1]
            last.end = e
            if lead[-1]:
                last.confidence, lead[-1] = c, False
            else:
                last.confidence = min(last.confidence, c)
        else:
            out.append(Span(lab, s, e, "", c))
            lead.append(bool(_PREFIX_WORD.match(text[s:e])))
    for sp in out:
        sp.text = text[sp.start:sp.end]
    return out


_LANG_MARK = re.compile(r"\(\s*(?:in|на)\s+(russ|rus|eng|engl|english|russian|рус|англ)"
                        r"[a-zа-я]*\.?\s*\)\.?", re.IGNORECASE)
_URL_IN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_DOI_IN = re.compile(r"\b10\.\d{4,9}/\S+")
_ACCESSED_IN = re.compile(
    r"[\[(]?\s*(?:accessed|дата обращения|retrieved|viewed|cited)\s*(?:on)?\s*:?\s*"
    r"([^\])]*\d{4})\s*[\])]?", re.IGNORECASE)
_TREATY = re.compile(r"^(?:the\s+)?(?:agreement|treaty|convention|protocol|memorandum|accord|"
                     r"договор|соглашение|конвенция|протокол|меморандум)\b", re.IGNORECASE)
_THESIS = re.compile(r"\b(?:thesis|dissertation|ph\.?\s?d|дис\.|диссертац|автореф)",
                     re.IGNORECASE)
_REPORT = re.compile(r"\b(?:report|working paper|technical report|tech\. rep|white paper|"
                     r"доклад|отч[её]т)\b", re.IGNORECASE)


_PAREN_RANGE = re.compile(r"^\(\d{4}\s*[-–]\s*\d{2,4}\)[.,;]?$")
_OPEN_END = re.compile(r"(?i)\b(?:dated|of|от|from|on|signed)\s*$")


def repair(spans: list[Span], text: str) -> list[Span]:
    """Mend errors a sequence model makes at a title's end: a title with an unclosed
    parenthesis takes the spans up to the one that closes it; a bracketed range of years right
    after the title, with the work's date printed later, belongs to the title ("Policy
    (1992-2000). Journal. 2021;73"); a title that ends in "dated"/"of" takes the date that
    follows, which also stays the work's date ("Agreement … dated November 22, 2018")."""
    out: list[Span] = []
    spans = _split_quoted_title(spans, text)
    i = 0
    while i < len(spans):
        sp = spans[i]
        if sp.label == "title":
            j = i + 1
            t = sp.text
            while t.count("(") > t.count(")") and j < len(spans) and j - i <= 2:
                t = text[sp.start:spans[j].end]
                j += 1
            if j > i + 1 and t.count("(") == t.count(")"):
                conf = min(s.confidence for s in spans[i:j])
                sp = Span("title", sp.start, spans[j - 1].end, t, conf)
                i = j - 1
            elif (i + 1 < len(spans) and spans[i + 1].label == "date"
                  and _PAREN_RANGE.match(spans[i + 1].text)
                  and any(x.label == "date" for x in spans[i + 2:])):
                nxt = spans[i + 1]
                end = nxt.end - (len(nxt.text) - len(nxt.text.rstrip(".,;")))
                out.append(Span("title", sp.start, end, text[sp.start:end],
                                min(sp.confidence, nxt.confidence)))
                i += 2
                continue
            elif (_OPEN_END.search(sp.text) and i + 1 < len(spans)
                  and spans[i + 1].label == "date"):
                date = spans[i + 1]
                out.append(Span("title", sp.start, date.end, text[sp.start:date.end],
                                min(sp.confidence, date.confidence)))
                out.append(date)
                i += 2
                continue
        out.append(sp)
        i += 1
    return out


_QUOTED_HEAD = re.compile(r"^([“«\"„])")


def _split_quoted_title(spans: list[Span], text: str) -> list[Span]:
    """A title span that runs past the quotation marks enclosing the title (``“Title”, in:
    Collection``): the quoted part is the title, the rest (from ``in:`` or ``//``) the
    container, joined with a container span that follows it."""
    out: list[Span] = []
    for k, sp in enumerate(spans):
        m = _QUOTED_HEAD.match(sp.text)
        if sp.label != "title" or not m:
            out.append(sp)
            continue
        close = _QUOTES[m.group(1)]
        depth, end = 0, -1
        for pos, ch in enumerate(sp.text):
            if ch == m.group(1) and (ch != close or depth == 0):
                depth += 1
            elif ch == close:
                depth -= 1
                if depth == 0:
                    end = pos
                    break
        rest = sp.text[end + 1:] if end >= 0 else ""
        lead = re.match(r"^[,.]?\s*(?:in\s*:|в\s*:|//)\s*", rest, re.IGNORECASE)
        if end < 0 or not lead:
            out.append(sp)
            continue
        cut = sp.start + end + 1
        out.append(Span("title", sp.start, cut, text[sp.start:cut], sp.confidence))
        cstart = cut + lead.end()
        cend = sp.end
        if k + 1 < len(spans) and spans[k + 1].label == "container-title":
            nxt = spans[k + 1]
            cend = nxt.end
            spans[k + 1] = Span("skip", nxt.start, nxt.end, "", 1.0)
        out.append(Span("container-title", cstart, cend, text[cstart:cend], sp.confidence))
    return [sp for sp in out if sp.label != "skip"]


@dataclass(slots=True)
class _Build:
    """What the field handlers of :func:`build` share while they read one entry's spans."""

    text: str
    spans: list[Span]  # as labelled (before repair): a location's next span
    is_word: Callable[[str], bool]
    russian: bool
    out: ParsedFields = field(default_factory=ParsedFields)
    dates: list[Span] = field(default_factory=list)
    pages_seen: bool = False


def _author(b: _Build, sp: Span) -> None:
    if "author" not in b.out.data:
        b.out.raw["author"] = sp.text
    b.out.put("author", names_value(sp.text), sp)


def _names(b: _Build, sp: Span) -> None:  # editor, translator
    b.out.put(sp.label, names_value(sp.text), sp)


def _title(b: _Build, sp: Span) -> None:
    out = b.out
    if "title" in out.data and "container-title" not in out.data:
        out.put("container-title", container_value(sp.text, b.is_word), sp)
    else:
        out.put("title", title_value(sp.text, b.is_word), sp)


def _container(b: _Build, sp: Span) -> None:  # container-title, collection-title
    b.out.put(sp.label, container_value(sp.text, b.is_word), sp)


def _date(b: _Build, sp: Span) -> None:
    b.dates.append(sp)


def _accessed(b: _Build, sp: Span) -> None:
    m = _ACCESSED_IN.search(sp.text)
    b.out.put("accessed", date_value(m.group(1) if m else sp.text), sp)


def _volume(b: _Build, sp: Span) -> None:
    vol, iss = volume_issue(sp.text, b.russian)
    if vol:
        b.out.put("volume", vol, sp)
    if iss:
        b.out.put("issue", iss, sp)


def _pages(b: _Build, sp: Span) -> None:
    pg, count = pages_value(sp.text)
    if pg and not b.pages_seen:
        b.out.put("pages", pg, sp)
        b.pages_seen = True
    if count:
        b.out.put("page-count", count, sp)


def _publisher(b: _Build, sp: Span) -> None:
    b.out.put("publisher", publisher_value(sp.text), sp)


def _location(b: _Build, sp: Span) -> None:
    out, spans, val = b.out, b.spans, sp.text
    place = place_value(val)
    head, sep, rest = place.partition(", ")
    nxt = spans[spans.index(sp) + 1] if sp in spans and spans.index(sp) + 1 < len(
        spans) else None
    if (sep and head.lower() in KNOWN_PLACES and rest[:1].isupper()
            and rest.lower() not in KNOWN_PLACES and nxt is not None
            and nxt.label == "publisher" and nxt.start == sp.end + 1
            and "publisher" not in out.data):
        # "Moscow, IDV RAS;": a place, then the publisher after a comma
        out.put("publisher-place", head, sp)
        cut = sp.start + val.index(rest)
        out.put("publisher", publisher_value(b.text[cut:nxt.end]),
                Span("publisher", cut, nxt.end, "", min(sp.confidence, nxt.confidence)))
    else:
        out.put("publisher-place", place, sp)


def _plain(b: _Build, sp: Span) -> None:  # edition, genre
    b.out.put(sp.label, plain_value(sp.text), sp)


def _doi(b: _Build, sp: Span) -> None:
    dm = _DOI_IN.search(sp.text)
    if dm:
        b.out.put("doi", dm.group(0).rstrip(".,;)]"), sp)


def _url(b: _Build, sp: Span) -> None:
    m = _URL_IN.search(sp.text)
    if m:
        b.out.put("url", m.group(0).rstrip(".,;)]"), sp)
    else:
        _doi(b, sp)


def _isbn(b: _Build, sp: Span) -> None:
    isbn = re.sub(r"(?i)^isbn[:\s]*", "", plain_value(sp.text))
    if re.search(r"\d{9}", isbn.replace("-", "").replace(" ", "")):
        b.out.put("isbn", [isbn], sp)


def _note(b: _Build, sp: Span) -> None:
    m = _ACCESSED_IN.search(sp.text)
    if m:
        b.out.put("accessed", date_value(m.group(1)), sp)


# label -> what its span gives the record; citation-number, language, medium give nothing
_HANDLERS: dict[str, Callable[[_Build, Span], None]] = {
    "author": _author, "editor": _names, "translator": _names, "title": _title,
    "container-title": _container, "collection-title": _container, "date": _date,
    "accessed": _accessed, "volume": _volume, "pages": _pages, "publisher": _publisher,
    "location": _location, "edition": _plain, "genre": _plain, "url": _url, "doi": _doi,
    "isbn": _isbn, "note": _note,
}


def _marked_languages(text: str) -> tuple[bool, bool]:
    """Whether the entry is marked ``(In Russ.)``, and whether ``(In Eng.)``."""
    russian = english = False
    for lm in _LANG_MARK.finditer(text):
        tag = lm.group(1).lower()
        if tag.startswith(("rus", "рус")):
            russian = True
        else:
            english = True
    return russian, english


def build(
    text: str,
    spans: list[Span],
    is_word: Callable[[str], bool],
    detect_lang: Callable[[str], str | None],
) -> ParsedFields:
    """The fields of one entry from its labelled spans."""
    russian, english = _marked_languages(text)
    b = _Build(text, spans, is_word, russian)
    for sp in repair(spans, text):
        handler = _HANDLERS.get(sp.label)
        if handler is not None:
            handler(b, sp)
    out = b.out
    for sp in b.dates:
        d = date_value(sp.text)
        if d and "issued" not in out.data:
            out.put("issued", d, sp)
    # a URL the model put in another span
    if "url" not in out.data and "doi" not in out.data:
        m = _URL_IN.search(text)
        if m:
            out.put("url", m.group(0).rstrip(".,;)]"), Span("url", m.start(), m.end(), "", 0.5))
    _infer_type(out, text)
    _infer_language(out, russian, english, detect_lang)
    return out


def _infer_type(out: ParsedFields, text: str) -> None:
    d = out.data
    if ("container-title" not in d and "publisher" in d and "publisher-place" not in d
            and d.keys() & {"volume", "issue"} and "pages" in d and "title" in d):
        # "Bulletin of Tomsk State University. 2021;73:87-91": a journal, not a publisher
        d["container-title"] = d.pop("publisher")
        out.confidence["container-title"] = out.confidence.pop("publisher")
        out.spans["container-title"] = out.spans.pop("publisher")
    title = d.get("title", "")
    container = d.get("container-title")
    issued = d.get("issued") or ""
    full_date = len(issued) == 10
    genre = " ".join(str(d.get(k, "")) for k in ("genre", "note"))
    how = "from the fields printed"
    if title and _TREATY.match(title):
        kind, how = "treaty", "the title names an agreement or treaty"
    elif _THESIS.search(genre) or _THESIS.search(text[-120:]):
        kind, how = "thesis", "a thesis or dissertation is named"
    elif _REPORT.search(genre):
        kind, how = "report", "the entry names a report"
    elif container and full_date and not (d.keys() & {"volume", "pages", "publisher"}):
        kind, how = "newspaper-article", "a periodical cited with a full date"
    elif not container and not title and full_date and "author" in d and not (
            d.keys() & {"volume", "pages", "publisher", "url", "editor"}) and not re.search(
            r"\b[^\W\d_]\.", out.raw.get("author", "")):
        # "Izvestia, 19 February,1997": a newspaper's name (read as a name) and an issue date
        d["container-title"] = plain_value(out.raw["author"])
        del d["author"]
        out.confidence["container-title"] = out.confidence.pop("author")
        out.spans["container-title"] = out.spans.pop("author")
        kind, how = "newspaper-article", "a periodical's name with a full date and no title"
    elif not container and title and full_date and "author" not in d and not (
            d.keys() & {"volume", "pages", "publisher", "url"}) and len(title) < 60:
        # "Kazakhstanskaia pravda, 23 September 2003": the name of a newspaper and an issue date
        d["container-title"] = d.pop("title")
        out.confidence["container-title"] = out.confidence.pop("title")
        out.spans["container-title"] = out.spans.pop("title")
        kind, how = "newspaper-article", "a periodical's name with a full date and no title"
    elif container and ("//" in text or re.search(r"(?i)\b(in|в)\s*:", text)) and (
            d.keys() & {"editor", "publisher", "publisher-place"}):
        kind, how = "chapter", "a part of a volume ('In:' or '//' and a publisher or editor)"
    elif container and (d.keys() & {"volume", "issue", "pages"}):
        kind, how = "journal-article", "a container with volume, issue or pages"
    elif container and (d.keys() & {"publisher", "publisher-place", "editor"}):
        kind, how = "chapter", "a container with a publisher or editor"
    elif container:
        kind = "journal-article"
    elif d.keys() & {"publisher", "page-count", "isbn"} or (
            "publisher-place" in d and "url" not in d):
        kind, how = "book", "a publisher, place or page count and no container"
    elif "url" in d:
        kind, how = "web-page", "a URL and no container or publisher"
    else:
        kind, how = "misc", "nothing printed tells the kind of work"
    d["type"] = kind
    out.confidence["type"] = 1.0
    out.inferred["type"] = how


def _infer_language(out: ParsedFields, russian: bool, english: bool,
                    detect: Callable[[str], str | None]) -> None:
    d = out.data
    for name in ("title", "container-title"):
        value = d.get(name)
        if isinstance(value, str):
            tag = detect(value)
            # a container's name is tagged only when it is not English (as data/ does)
            if tag and (name == "title" or tag != "en"):
                d[name] = {"text": value, "lang": tag}
                out.inferred[f"{name}.lang"] = "language detector"
    if russian:
        d["language"] = "ru"
        out.inferred["language"] = "the entry is marked '(In Russ.)'"
    elif english:
        d["language"] = "en"
        out.inferred["language"] = "the entry is marked '(In Eng.)'"
    else:
        tags = [v.get("lang") for k, v in d.items()
                if k in ("title", "container-title") and isinstance(v, dict)]
        for tag in tags:
            if tag and (tag == "ru" or tag.startswith("ru-") or tag in ("uk", "be", "kk")):
                d["language"] = tag.split("-")[0]
                out.inferred["language"] = f"the title's script or transliteration ({tag})"
                break
    if "language" in d:
        out.confidence["language"] = 1.0
