"""citeproc-js (npm ``citeproc``, pinned by the build) running in process in V8 via mini-racer.

One V8 context per :class:`CiteprocJS`; inside it one warm ``CSL.Engine`` per (style, locale,
force-locale). Building an engine is the expensive step (about 1 s for APA or Chicago, 10-50 ms
for most other styles), so a run keeps its engines. Call :meth:`CiteprocJS.close` (or use it as a
context manager): an unclosed mini-racer context can hang the interpreter at exit.

Errors from JavaScript are turned into :class:`~annobib.errors.InputError` messages without the
JavaScript stack.
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
import re
from dataclasses import dataclass, field
from typing import Any

from annobib.errors import AnnobibError, InputError
from annobib.styles.catalog import Style, locale_file, resolve_locale

OUTPUT_FORMATS = ("text", "html", "rtf")

_GLUE_PRE = "var module = {exports: {}}; var exports = module.exports;"
_GLUE_POST = r"""
var CSL = module.exports;
// Building an engine looks up each macro by walking the whole style tree, once per use of the
// macro (CSL.XmlJSON getNodesByName from expandMacro): about a fifth of APA's build time.
// Index the style's macros by name once per style tree; every other lookup is left as it is.
(function () {
  var walk = CSL.XmlJSON.prototype.getNodesByName;
  CSL.XmlJSON.prototype.getNodesByName = function (tree, name, nameattrval, ret) {
    if (ret || name !== "macro" || !nameattrval || !tree) {
      return walk.call(this, tree, name, nameattrval, ret);
    }
    var index = tree.__annobib_macros;
    if (!index) {
      index = {};
      var all = walk.call(this, tree, "macro");
      for (var i = 0; i < all.length; i++) {
        var key = all[i].attrs.name;
        (index[key] = index[key] || []).push(all[i]);
      }
      Object.defineProperty(tree, "__annobib_macros", {value: index, enumerable: false});
    }
    return (index[nameattrval] || []).slice();
  };
})();
// CSL.setDecorations runs for every node of the expanded style (tens of thousands for APA) and
// walks its key list with for-in over an array, the slowest loop V8 has: about a seventh of an
// APA build. Same result (formatting attributes in CSL.FORMAT_KEY_SEQUENCE order, removed from
// the attributes), walked by index.
CSL.setDecorations = function (state, attributes) {
  var sequence = CSL.FORMAT_KEY_SEQUENCE;
  var found = [];
  for (var i = 0; i < sequence.length; i++) {
    var name = sequence[i];
    if (attributes[name]) {
      found.push([name, attributes[name]]);
      delete attributes[name];
    }
  }
  return found;
};
var __annobib = {items: {}, versions: {}, locales: {}, engines: [], seen: [], kept: {}};
__annobib.sys = {
  retrieveLocale: function (lang) { return __annobib.locales[lang] || false; },
  retrieveItem: function (id) { return __annobib.items[id]; }
};
function __annobib_locale(lang, xml) { __annobib.locales[lang] = xml; return true; }
function __annobib_items(items) {
  var ids = [];
  for (var i = 0; i < items.length; i++) {
    var id = items[i].id;
    // a record edited since an engine last registered it (export --watch) counts as new
    __annobib.versions[id] = (__annobib.versions[id] || 0) + 1;
    __annobib.items[id] = items[i];
    ids.push(id);
  }
  return ids.length;
}
function __annobib_engine(styleXml, lang, force) {
  var engine = new CSL.Engine(__annobib.sys, styleXml, lang, force);
  // URLs and DOIs as links in HTML (<a href>); the text and RTF outputs print them unchanged
  engine.opt.development_extensions.wrap_url_and_doi = true;
  __annobib.engines.push(engine);
  __annobib.seen.push({});
  return __annobib.engines.length - 1;
}
// updateItems keeps an id it already holds as it was, so an item whose data changed is
// deleted and registered again. That alone can leave the engine unlike a fresh one: an item
// whose disambiguation (year suffix) changed because of it keeps the sort keys it was given
// with the old one (seen in chicago-author-date: two entries swapped, their suffixes too).
// So every item whose disambiguation moved is registered again as well, until none moves
// (every item, if that takes more than four rounds); ties of the sort go by the order given.
function __annobib_update(n, e, ids) {
  var seen = __annobib.seen[n];
  var redo = {};
  var any = false;
  for (var i = 0; i < ids.length; i++) {
    var v = seen[ids[i]];
    if (v !== undefined && v !== __annobib.versions[ids[i]]) { redo[ids[i]] = true; any = true; }
  }
  if (any) {
    var reg = e.registry.registry;
    var before = {};
    for (var b = 0; b < ids.length; b++) {
      if (reg[ids[b]]) { before[ids[b]] = JSON.stringify(reg[ids[b]].disambig || null); }
    }
    var settled = false;
    for (var round = 0; round < 4 && !settled; round++) {
      e.updateItems(ids.filter(function (x) { return !redo[x]; }));
      e.updateItems(ids);
      settled = true;
      for (var k = 0; k < ids.length; k++) {
        var id = ids[k];
        if (!redo[id] && id in before && JSON.stringify(reg[id].disambig || null) !== before[id]) {
          redo[id] = true;
          settled = false;
        }
      }
    }
    if (!settled) { e.updateItems([]); }
  }
  e.updateItems(ids);
  for (var j = 0; j < ids.length; j++) { seen[ids[j]] = __annobib.versions[ids[j]]; }
}
function __annobib_render(e, only) {
  var b;
  if (only) {
    // every id stays registered (numbers unchanged); only these entries are rendered
    b = e.makeBibliography({include: only.map(function (i) { return {field: "id", value: i}; })});
  } else {
    b = e.makeBibliography();
  }
  if (!b) { return (null); }
  var meta = {};
  for (var k in b[0]) {
    if (k !== "entry_ids" && k !== "bibstart" && k !== "bibend" &&
        k !== "bibliography_errors") meta[k] = b[0][k];
  }
  // an entry the style renders empty is left out of the entries but not of entry_ids;
  // citeproc-js lists it in bibliography_errors (annobib then reports A502 for it)
  // (a numbered style gets "N. [CSL STYLE ERROR: reference with no printed form.]" in its
  // place among the entries: left out too)
  var empty = {};
  var errors = b[0].bibliography_errors || [];
  errors.forEach(function (err) { empty[String(err.itemID)] = true; });
  var all = b[0].entry_ids.map(function (x) { return String(x[0]); });
  var entries = b[1];
  if (errors.length && entries.length === all.length) {
    entries = entries.filter(function (_, i) { return !empty[all[i]]; });
  }
  return ({
    ids: all.filter(function (i) { return !empty[i]; }),
    entries: entries, meta: meta, bibstart: b[0].bibstart, bibend: b[0].bibend,
    clean: errors.length === 0 && b[0].entry_ids.every(function (x) { return x.length === 1; })
  });
}
// export --watch (reuse): what an entry's text depends on besides the style and the format:
// its record (the version __annobib_items gave it), its disambiguation (year suffix, names,
// givens) and, in a numbered style, its number. The styles reused are those where no entry
// depends on another (no subsequent-author-substitute, no second-field-align: annobib.styles)
function __annobib_sig(e, id, numbered) {
  var r = e.registry.registry[id];
  if (!r) { return null; }
  return __annobib.versions[id] + "|" + JSON.stringify(r.disambig || null) +
    (numbered ? "|" + r.seq : "");
}
function __annobib_keep(n, e, format, numbered, got) {
  var entries = {};
  var sigs = {};
  for (var i = 0; i < got.ids.length; i++) {
    entries[got.ids[i]] = got.entries[i];
    sigs[got.ids[i]] = __annobib_sig(e, got.ids[i], numbered);
  }
  __annobib.kept[n] = {format: format, numbered: numbered, entries: entries, sigs: sigs,
                       meta: got.meta, bibstart: got.bibstart, bibend: got.bibend};
}
// the bibliography again from the entries kept at the last render, rendering only those
// whose record or place changed; null when that cannot give what a full render gives
function __annobib_reuse(n, e, format, numbered) {
  var kept = __annobib.kept[n];
  if (!kept || kept.format !== format || kept.numbered !== numbered) { return null; }
  var sorted = e.registry.getSortedIds().map(String);
  if (sorted.length !== Object.keys(kept.entries).length) { return null; }
  var stale = [];
  for (var i = 0; i < sorted.length; i++) {
    var id = sorted[i];
    if (!(id in kept.entries)) { return null; }  // another set of records: render them all
    var r = e.registry.registry[id];
    if (r.siblings || r.master) { return null; }
    if (__annobib_sig(e, id, numbered) !== kept.sigs[id]) { stale.push(id); }
  }
  if (stale.length * 4 > sorted.length) { return null; }  // most changed: render them all
  if (stale.length) {
    var got = __annobib_render(e, stale);
    if (!got || !got.clean || got.ids.length !== stale.length) { return null; }
    for (var j = 0; j < got.ids.length; j++) {
      kept.entries[got.ids[j]] = got.entries[j];
      kept.sigs[got.ids[j]] = __annobib_sig(e, got.ids[j], numbered);
    }
  }
  return ({ids: sorted, entries: sorted.map(function (x) { return kept.entries[x]; }),
           meta: kept.meta, bibstart: kept.bibstart, bibend: kept.bibend, reused: true,
           rendered: stale.length});
}
function __annobib_bib(n, ids, format, only, reuse, numbered) {
  var e = __annobib.engines[n];
  e.setOutputFormat(format);
  __annobib_update(n, e, ids);
  if (reuse && !only) {
    var again = __annobib_reuse(n, e, format, !!numbered);
    if (again) { return again; }
  }
  var got = __annobib_render(e, only);
  if (reuse && !only) {
    if (got && got.clean) {
      __annobib_keep(n, e, format, !!numbered, got);
    } else {
      delete __annobib.kept[n];
    }
  }
  return got;
}
function __annobib_cluster(n, ids, cites, format) {
  var e = __annobib.engines[n];
  e.setOutputFormat(format);
  __annobib_update(n, e, ids);
  return (e.makeCitationCluster(cites));
}
function __annobib_notes(n, ids, clusters, format) {
  var e = __annobib.engines[n];
  e.setOutputFormat(format);
  __annobib_update(n, e, ids);
  var out = {};
  var pre = [];
  for (var i = 0; i < clusters.length; i++) {
    var c = clusters[i];
    var citation = {citationID: c.id, citationItems: c.items, properties: {noteIndex: c.note}};
    var res = e.processCitationCluster(citation, pre, []);
    var changed = res[1];
    for (var j = 0; j < changed.length; j++) { out[changed[j][2]] = changed[j][1]; }
    pre.push([c.id, c.note]);
  }
  return (out);
}
function __annobib_version() { return CSL.PROCESSOR_VERSION; }
"""

_V8_FLAGS = ("--single-threaded", "--initial-old-space-size=256")

_LAYOUT_LOCALE_RE = re.compile(r'<layout\b[^>]*\blocale="([^"]+)"')
_JS_LOCATION_RE = re.compile(r"\s+at\s.*$", re.DOTALL)


def _js_message(exc: Exception) -> str:
    """The first meaningful line of a JavaScript error, without the stack."""
    text = str(exc).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("at ", "<anonymous>")) or ln.startswith("^"):
            continue
        m = re.search(r"(?:Error|error)\s*:\s*(.+)", ln)
        if m:
            return _JS_LOCATION_RE.sub("", m.group(1)).strip()
    return lines[0] if lines else exc.__class__.__name__


def vendor_info() -> dict[str, str]:
    """Name, version and licence of the bundled citeproc-js (for ``annobib --version -v``)."""
    try:
        vendor = importlib.import_module("annobib_cjs_vendor")
    except ImportError:
        return {}
    return {
        "package": str(getattr(vendor, "NPM_PACKAGE", "citeproc")),
        "version": str(getattr(vendor, "VERSION", "?")),
        "license": str(getattr(vendor, "LICENSE_NAME", "see LICENSE")),
        "integrity": str(getattr(vendor, "INTEGRITY", "")),
    }


def _engine_source() -> str:
    try:
        res = importlib.resources.files("annobib_cjs_vendor") / "citeproc_commonjs.js"
        return res.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise AnnobibError(
            "citeproc-js is missing from this installation (annobib_cjs_vendor): reinstall "
            f"annobib with pip, whose build step fetches it ({exc})"
        ) from None


@dataclass(slots=True)
class Bibliography:
    """A formatted bibliography: entries in the style's order, with their record ids."""

    ids: list[str]
    entries: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    bibstart: str = ""
    bibend: str = ""
    #: how many entries were rendered (the others reused: ``reuse``); None: all of them
    rendered: int | None = None

    def by_id(self) -> dict[str, str]:
        return dict(zip(self.ids, self.entries, strict=True))


@dataclass(slots=True)
class Engine:
    """A warm ``CSL.Engine`` inside a :class:`CiteprocJS` context."""

    owner: CiteprocJS
    handle: int
    style: Style
    locale: str
    force: bool

    def bibliography(
        self, items: list[dict[str, Any]], fmt: str = "text", only: list[str] | None = None,
        reuse: bool = False,
    ) -> Bibliography:
        """Every item in ``items`` formatted as a bibliography entry (style order); with
        ``only``, just those entries, numbered as in the whole list.

        ``reuse`` (``export --watch``): keep the entries of this render, and the next time
        render again only those whose record, disambiguation or number changed (the same text
        as a full render: see :func:`reusable`); the full render where that cannot hold."""
        ids = self.owner.load_items(items)
        reuse = reuse and only is None and reusable(self.style)
        numbered = "citation-number" in self.style.xml
        raw = self.owner.call(
            "__annobib_bib", self.handle, ids, _fmt(fmt), only, reuse, numbered,
            what=self.style
        )
        data = raw
        if data is None:
            raise InputError(f"{self.style.path}: this style defines no bibliography")
        return Bibliography(
            ids=data["ids"],
            entries=[e.strip() for e in data["entries"]],
            meta=data["meta"],
            bibstart=data.get("bibstart") or "",
            bibend=data.get("bibend") or "",
            rendered=data.get("rendered") if data.get("reused") else None,
        )

    def cluster(
        self,
        items: list[dict[str, Any]],
        cites: list[dict[str, Any]],
        fmt: str = "text",
        register: list[dict[str, Any]] | None = None,
    ) -> str:
        """One citation cluster (``(Tomberg, 2022, p. 291)``, ``[3]``).

        ``cites`` are citeproc-js cite items (``{"id", "locator", "label"}``). ``register`` (all
        the document's items, in order) fixes the numbers of numeric styles; default ``items``.
        """
        ids = self.owner.load_items(register or items)
        if register:
            self.owner.load_items(items)
        raw = self.owner.call(
            "__annobib_cluster", self.handle, ids, cites, _fmt(fmt), what=self.style
        )
        return str(raw)

    def notes(
        self,
        items: list[dict[str, Any]],
        clusters: list[dict[str, Any]],
        fmt: str = "text",
    ) -> dict[str, str]:
        """Citations placed in numbered notes, processed in order so positions (ibid.,
        subsequent short forms) follow the style. ``clusters``: ``{"id", "note", "items"}``.
        Returns citationID -> formatted citation."""
        ids = self.owner.load_items(items)
        raw = self.owner.call(
            "__annobib_notes", self.handle, ids, clusters, _fmt(fmt), what=self.style
        )
        result: dict[str, str] = dict(raw)
        return result


def reusable(style: Style) -> bool:
    """Whether a bibliography entry of ``style`` depends only on its own record, its
    disambiguation and its number: not where the style prints an entry after the one before
    it (``subsequent-author-substitute``) or aligns all entries on the widest label
    (``second-field-align``)."""
    xml = style.xml
    return "subsequent-author-substitute" not in xml and "second-field-align" not in xml


def _fmt(fmt: str) -> str:
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"citeproc-js output format must be one of {OUTPUT_FORMATS}: {fmt!r}")
    return fmt


#: Address space V8 (mini-racer 0.14, its PartitionAlloc pools and sandbox) reserves when it
#: starts, measured: it starts under ``ulimit -v 220000000`` (kB) and not under 218000000.
V8_RESERVATION_GIB = 210
# the verdict of the start-up probe for each address-space limit seen (one probe per process)
_V8_FITS: dict[int, bool] = {}
_PROBE = (
    "import sys\n"
    "from py_mini_racer import MiniRacer, init_mini_racer\n"
    "init_mini_racer(flags=tuple(sys.argv[1:]), ignore_duplicate_init=True)\n"
    "MiniRacer().eval('1')\n"
)


def check_address_space() -> None:
    """Raise :class:`InputError` when V8 cannot start under this process's virtual-memory
    limit (``ulimit -v``, RLIMIT_AS; common on shared HPC nodes).

    V8 reserves far more address space than it uses (about :data:`V8_RESERVATION_GIB` GiB, not
    memory) and, when the reservation fails, stops the whole process with SIGTRAP and no
    message; nothing in V8's flags shrinks it. So under a finite limit a child process starts
    V8 first (about 0.2 s, once per process): if it fails, this process never tries and the
    command ends with a message saying what to do (exit 3). Without a limit: nothing to do.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX: no RLIMIT_AS
        return
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    fits = _V8_FITS.get(soft)
    if fits is None:
        import subprocess
        import sys

        try:
            probe = subprocess.run(
                [sys.executable, "-c", _PROBE, *_V8_FLAGS],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=60, check=False,
            )
            fits = probe.returncode == 0
        except (OSError, subprocess.SubprocessError):
            fits = True  # no verdict: try in process, as without a limit
        _V8_FITS[soft] = fits
    if not fits:
        raise InputError(
            f"formatted output runs citeproc-js in V8, which cannot start under this "
            f"process's virtual-memory limit (ulimit -v {soft // 1024} kB): V8 reserves about "
            f"{V8_RESERVATION_GIB} GiB of address space (not memory) when it starts. Run "
            f"without the limit ('ulimit -v unlimited', or a limit above "
            f"{V8_RESERVATION_GIB + 10} GiB), or export without a style "
            f"(--to csljson, biblatex, bibtex or ris)"
        )


class CiteprocJS:
    """One V8 context with citeproc-js loaded and a cache of engines."""

    def __init__(self) -> None:
        check_address_space()  # before V8 is touched: under too low a limit it kills us
        from py_mini_racer import MiniRacer, init_mini_racer

        # V8 is set up once per process (a no-op if the embedding application did it first).
        # mini-racer's own default, single-threaded, plus a larger initial old space: building
        # an engine allocates ~100 MB that all stays alive (APA), and growing the heap step by
        # step ran mark-compact collections over it; 10-15% off build + first render here.
        init_mini_racer(flags=_V8_FLAGS, ignore_duplicate_init=True)
        # The context is made here and closed by close(), on the same thread: mini-racer frees a
        # context from another thread than the one that made it with a segmentation fault.
        # Calls (loading citeproc-js included) may come from any one thread at a time.
        self._ctx: Any = MiniRacer()
        self._loaded = False
        self._engines: dict[tuple[str, str, bool], Engine] = {}
        self._locales: set[str] = set()
        self._items_digest: dict[str, str] = {}

    def _load(self) -> None:
        """Evaluate citeproc-js in the context (about 0.15 s), once, before the first call."""
        try:
            self._ctx.eval(_GLUE_PRE)
            self._ctx.eval(_engine_source())
            self._ctx.eval(_GLUE_POST)
        except Exception:
            self.close()
            raise
        self._loaded = True

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        ctx, self._ctx = self._ctx, None
        if ctx is not None:
            ctx.close()
        self._engines.clear()

    def __enter__(self) -> CiteprocJS:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._ctx is None

    def version(self) -> str:
        return str(self.call("__annobib_version"))

    # -- calls -----------------------------------------------------------------------------
    def call(self, fn: str, *args: Any, what: Style | None = None) -> Any:
        if self._ctx is None:
            raise RuntimeError("citeproc-js context is closed")
        if not self._loaded:
            self._load()
        from py_mini_racer import JSEvalException

        try:
            return self._ctx.call(fn, *args)
        except JSEvalException as exc:
            where = f"{what.path}: " if what is not None else ""
            msg = _js_message(exc)
            raise InputError(f"{where}citeproc-js could not use the style: {msg}") from None

    def _ensure_locale(self, tag: str) -> None:
        if tag in self._locales:
            return
        path = locale_file(tag)
        if path is None:
            return
        resolved = resolve_locale(tag) or tag
        xml = path.read_text(encoding="utf-8")
        for name in {tag, resolved}:
            self.call("__annobib_locale", name, xml)
            self._locales.add(name)

    def load_items(self, items: list[dict[str, Any]]) -> list[str]:
        """Make ``items`` known to every engine; returns their ids in order."""
        ids = [str(it["id"]) for it in items]
        fresh = []
        for it in items:
            digest = json.dumps(it, sort_keys=True, ensure_ascii=False)
            key = str(it["id"])
            if self._items_digest.get(key) != digest:
                self._items_digest[key] = digest
                fresh.append(it)
        if fresh:
            self.call("__annobib_items", fresh)
        return ids

    def engine(self, style: Style, locale: str | None = None, force: bool = False) -> Engine:
        """The warm engine for a style and locale (built on first use)."""
        lang = locale or style.default_locale or "en-US"
        resolved = resolve_locale(lang)
        if resolved is None:
            raise InputError(f"no CSL locale for {lang!r} (see: annobib styles --locales)")
        key = (str(style.path), resolved, force)
        cached = self._engines.get(key)
        if cached is not None:
            return cached
        wanted = ["en-US", resolved, style.default_locale or "en-US"]
        for attr in _LAYOUT_LOCALE_RE.findall(style.xml):  # CSL-M layouts per language
            wanted.extend(attr.split())
        for tag in wanted:
            self._ensure_locale(tag)
        handle = int(self.call("__annobib_engine", style.xml, resolved, force, what=style))
        eng = Engine(owner=self, handle=handle, style=style, locale=resolved, force=force)
        self._engines[key] = eng
        return eng
