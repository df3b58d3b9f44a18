"""Crossref work records → annobib :class:`Work` records (``annobib import --doi``).

Only what the deposit states is taken over: no language, date part, page or licence is
guessed. What has no place in the model (an article number, a third title) is reported as a
finding, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from annobib.findings import Finding, Severity
from annobib.model import Work, WorkType
from annobib.model.crosswalk import from_crossref
from annobib.model.values import check_isbn, check_issn, check_lang
from annobib.textmatch import strip_markup, transliterate


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        for v in value:
            if isinstance(v, str) and v.strip():
                return strip_markup(v)
        return None
    if isinstance(value, str) and value.strip():
        return strip_markup(value)
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [strip_markup(v) for v in value if isinstance(v, str) and v.strip()]
    return []


def _date(record: dict[str, Any]) -> str | None:
    for name in ("issued", "published-print", "published-online", "published", "posted"):
        d = record.get(name)
        parts = d.get("date-parts") if isinstance(d, dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            nums = [p for p in parts[0] if isinstance(p, int)]
            if nums:
                return "-".join([f"{nums[0]:04d}"] + [f"{n:02d}" for n in nums[1:3]])
    return None


def _person(p: dict[str, Any]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    if p.get("family"):
        out["family"] = str(p["family"]).strip()
        if p.get("given"):
            out["given"] = str(p["given"]).strip()
    elif p.get("name"):
        out["literal"] = str(p["name"]).strip()
    elif p.get("given"):  # mononymous authors are deposited with "given" only
        out["family"] = str(p["given"]).strip()
    else:
        return None
    orcid = p.get("ORCID")
    if isinstance(orcid, str) and re.search(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", orcid):
        out["orcid"] = orcid.replace("http://", "https://")
    aff = p.get("affiliation")
    if isinstance(aff, list) and aff and isinstance(aff[0], dict) and aff[0].get("name"):
        out["affiliation"] = str(aff[0]["name"])
    return out


def make_key(record: dict[str, Any], taken: set[str]) -> str:
    """``family`` + year, ASCII, lower case; ``a``, ``b``... on collisions."""
    people = record.get("author") or record.get("editor") or []
    name = ""
    if isinstance(people, list) and people and isinstance(people[0], dict):
        name = str(people[0].get("family") or people[0].get("name") or people[0].get("given") or "")
    if not name:
        name = (_first(record.get("title")) or "work").split()[0]
    ascii_name = unicodedata.normalize("NFKD", transliterate(name)).encode("ascii", "ignore")
    base = re.sub(r"[^a-z0-9]", "", ascii_name.decode().lower()) or "work"
    year = (_date(record) or "")[:4]
    key = f"{base}{year}"
    if key not in taken:
        return key
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if f"{key}{suffix}" not in taken:
            return f"{key}{suffix}"
    n = 2
    while f"{key}-{n}" in taken:
        n += 1
    return f"{key}-{n}"


Note = Callable[..., None]
"""Records a finding about what was left out: ``note(message, fieldname=None)``."""


def work_from_crossref(record: dict[str, Any], key: str,
                       asked: str | None = None) -> tuple[Work, list[Finding]]:
    """A :class:`Work` holding what the Crossref record states. Findings say what was left out.

    ``asked`` is the DOI the record was asked for: when Crossref answered with another DOI's
    record (a documented alias, HTTP 301), the record's own DOI is kept, as Crossref states
    it, and an A423 names both.
    """
    findings: list[Finding] = []
    doi = str(record.get("DOI") or "").lower()
    if asked is not None and doi and asked.lower() != doi:
        findings.append(Finding(
            "A423", Severity.WARNING,
            f"Crossref answers {asked.lower()} with the record of {doi} (a DOI alias); "
            f"imported with Crossref's DOI {doi}",
            None, key, "doi", {"doi": asked.lower(), "theirs": doi}))

    def note(message: str, fieldname: str | None = None) -> None:
        findings.append(Finding("A421", Severity.INFO, message, None, key, fieldname, {"doi": doi}))

    ctype = str(record.get("type") or "")
    wtype = from_crossref(ctype) if ctype else None
    if wtype is None:
        wtype = WorkType.MISC
        note(f"Crossref type '{ctype}' has no annobib type; recorded as misc", "type")
    data: dict[str, Any] = {"key": key, "type": wtype.value}
    title = _title(record, note)
    if title is not None:
        data["title"] = title
    _people(record, data, note)
    _container_and_place(record, data, note)
    if doi:
        data["doi"] = doi
    _identifiers(record, data, note)
    _texts(record, data)
    try:
        work = Work.model_validate(data)
    except ValidationError as exc:
        # Keep the record with what validates: drop the offending fields one by one.
        bad = {str(err["loc"][0]) for err in exc.errors() if err.get("loc")}
        for b in bad:
            data.pop(b, None)
            note(f"field '{b}' from Crossref did not validate and was left out", b)
        work = Work.model_validate(data)
    return work, findings


def _title(record: dict[str, Any], note: Note) -> dict[str, Any] | None:
    titles = _strings(record.get("title"))
    originals = _strings(record.get("original-title"))
    subtitles = _strings(record.get("subtitle"))
    main = titles[0] if titles else (originals[0] if originals else None)
    if main is None:
        return None
    if subtitles and subtitles[0].lower() not in main.lower():
        main = f"{main}: {subtitles[0]}"
    title: dict[str, Any] = {"text": main}
    if originals and originals[0] != main:
        title["original"] = {"text": originals[0]}
    if len(titles) > 1:
        title["translated"] = {"text": titles[1]}
        note(
            "Crossref holds a second, untagged title; kept as 'translated' (its language "
            "is not stated)",
            "title",
        )
    if len(titles) > 2:
        note(
            f"Crossref holds {len(titles)} titles; the third and later are not kept: "
            + " | ".join(titles[2:]),
            "title",
        )
    return title


def _people(record: dict[str, Any], data: dict[str, Any], note: Note) -> None:
    for role in ("author", "editor", "translator"):
        people = [p for p in (record.get(role) or []) if isinstance(p, dict)]
        conv = [q for p in people if (q := _person(p)) is not None]
        if len(conv) < len(people):
            note(f"{len(people) - len(conv)} {role}(s) without any name left out", role)
        if conv:
            data[role] = conv


def _container_and_place(record: dict[str, Any], data: dict[str, Any], note: Note) -> None:
    container = _first(record.get("container-title"))
    if container:
        data["container-title"] = container
    short = _first(record.get("short-container-title"))
    if short and short != container:
        data["container-title-short"] = short
    issued = _date(record)
    if issued:
        data["issued"] = issued
    for name in ("volume", "issue"):
        v = record.get(name)
        if isinstance(v, str) and v.strip():
            data[name] = v.strip()
    page = record.get("page")
    if isinstance(page, str) and page.strip():
        data["pages"] = page.strip()
    if isinstance(record.get("article-number"), str):
        note(f"article number {record['article-number']} has no field here; not kept", "pages")
    if isinstance(record.get("publisher"), str) and record["publisher"].strip():
        data["publisher"] = record["publisher"].strip()
    if isinstance(record.get("publisher-location"), str):
        data["publisher-place"] = record["publisher-location"]


def _identifiers(record: dict[str, Any], data: dict[str, Any], note: Note) -> None:
    lang = record.get("language")
    if isinstance(lang, str):
        try:
            data["language"] = check_lang(lang)
        except ValueError:
            note(f"language '{lang}' is not a BCP 47 tag; not kept", "language")
    for name, check, target in (("ISBN", check_isbn, "isbn"), ("ISSN", check_issn, "issn")):
        good: list[str] = []
        for v in record.get(name) or []:
            try:
                good.append(check(str(v)))
            except ValueError:
                note(f"{name} '{v}' is malformed; not kept", target)
        if good:
            data[target] = list(dict.fromkeys(good))


def _texts(record: dict[str, Any], data: dict[str, Any]) -> None:
    abstract = record.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        text = strip_markup(re.sub(r"<jats:title>.*?</jats:title>", "", abstract, flags=re.S))
        if text:
            data["abstract"] = text
    lic = record.get("license")
    if isinstance(lic, list) and lic and isinstance(lic[0], dict) and lic[0].get("URL"):
        data["license"] = str(lic[0]["URL"])
