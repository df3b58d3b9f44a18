"""The task layer: what each command does, as one call for a Python caller.

Each function here is a whole command without the terminal: ``validate``, ``records``
(``annobib list``), ``cite``, ``export``, ``import_``, ``check`` and ``review``. They return what
the command prints and the exit code it would end with; the command line (``cli/``) only parses
options into these calls and renders what they return. Problems a user can fix are findings;
what stops a run is an :class:`annobib.errors.AnnobibError` (its ``exit_code`` is the
command's).

Defaults are the command's: ``paths=None`` is the configuration's ``paths`` (``data/``), and
``policy=None`` the configuration's ``select``/``ignore``/``fail-on``
(:func:`annobib.tasks.triage.policy`). A caller that has loaded the files already passes
``loaded`` (the command line does, to time and keep them its own way).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from annobib import progress
from annobib.errors import ExitCode, InputError, UsageError
from annobib.sources.yaml import LoadResult, load_paths, store_positions
from annobib.tasks.triage import Policy, Triaged, exit_code_for, triage

if TYPE_CHECKING:
    from annobib.checks.crossref import CheckResult
    from annobib.exporters import ExportOptions, Format
    from annobib.findings import Finding
    from annobib.model import Library
    from annobib.services.base import MetadataService
    from annobib.sources.citations import Citation
    from annobib.sources.snapshot import BuildOptions, BuildResult
    from annobib.styles import Formatter
    from annobib.tasks.check import OnUnreachable
    from annobib.tasks.importing import ImportRun
    from annobib.tasks.review import Review


def load(
    paths: Sequence[str | Path],
    *,
    lint: bool = True,
    use_cache: bool = True,
    positions: bool = False,
    defer_cache: bool = False,
    records: bool = True,
) -> LoadResult:
    """Load YAML files/directories into a Library; findings include the offline lint rules.

    ``records=False``: files unchanged since they were cached give their summaries and
    findings only (what :func:`validate` needs; :func:`annobib.sources.yaml.read_records`
    reads the rest). Reading a loaded model never reads a file.

    ``positions``: the caller expects findings with lines (a BibLaTeX export, ``check``):
    record positions are noted while a file is read, or read from the cache with it, rather
    than worked out (from the text in memory) when a finding first asks.
    ``defer_cache``: storing what was validated in the cache is left to a worker of the
    caller's next :func:`annobib.workers.map_chunks`; the caller must then call
    :func:`annobib.runtime.finish_later` before it ends (which stores whatever is left).
    """
    result = load_paths(
        [Path(p) for p in paths],
        use_cache=use_cache,
        positions=positions,
        defer_cache=defer_cache,
        records=records,
    )
    if lint:
        from annobib.checks import lint as lint_rules
        from annobib.findings import Severity

        failed = frozenset(f.key for f in result.findings
                           if f.key and f.severity is Severity.ERROR and f.code.startswith("A1"))
        result.findings.extend(lint_rules.run(result.library, failed=failed))
        store_positions(result)  # those the rules' findings asked for, for the next run
    return result


def default_paths(paths: Sequence[str | Path] | None) -> list[Path]:
    """The paths given, else the configuration's ``paths`` (default ``data/``)."""
    if paths:
        return [Path(p) for p in paths]
    from annobib.tasks.triage import configuration

    return configuration().paths()


def _policy(policy: Policy | None) -> Policy:
    if policy is not None:
        return policy
    from annobib.tasks.triage import policy as configured

    return configured()


def _loaded(loaded: LoadResult | None, paths: Sequence[str | Path] | None, *, lint: bool = True,
            use_cache: bool = True, positions: bool = False) -> LoadResult:
    if loaded is not None:
        return loaded
    return load(default_paths(paths), lint=lint, use_cache=use_cache, positions=positions)


# --- validate, list ------------------------------------------------------------------------


@dataclass(slots=True)
class Validation:
    """``annobib validate``: what was loaded, the findings reported and silenced, the exit
    code."""

    loaded: LoadResult
    triaged: Triaged
    exit_code: ExitCode

    def summary(self) -> dict[str, int]:
        """The counts ``validate`` prints (and writes in ``--format json``)."""
        out = self.loaded.library.counts()
        active = self.triaged.active
        out["errors"] = sum(1 for f in active if f.severity.value == "error")
        out["warnings"] = sum(1 for f in active if f.severity.value == "warning")
        out["ignored"] = len(self.triaged.ignored)
        out["exit_code"] = int(self.exit_code)
        return out


def validate(
    paths: Sequence[str | Path] | None = None,
    *,
    use_cache: bool = True,
    policy: Policy | None = None,
    loaded: LoadResult | None = None,
) -> Validation:
    """Load and check offline; never touches the network or a data file."""
    chosen = _policy(policy)
    if loaded is None:  # the summaries are enough
        loaded = load(default_paths(paths), use_cache=use_cache, records=False)
    triaged = triage(loaded.findings, chosen.codes, loaded.library)
    code = exit_code_for(triaged.active, chosen.fail_on, bool(loaded.unreadable))
    return Validation(loaded, triaged, code)


class Row(NamedTuple):
    """One record as ``annobib list`` shows it."""

    key: str
    type: str
    year: str
    first_author: str
    title: str
    language: str
    doi: str


@dataclass(slots=True)
class Listing:
    """``annobib list``: a row per record (in library order), the findings, the exit code."""

    rows: list[Row]
    triaged: Triaged
    exit_code: ExitCode


def records(
    paths: Sequence[str | Path] | None = None,
    *,
    use_cache: bool = True,
    policy: Policy | None = None,
    loaded: LoadResult | None = None,
) -> Listing:
    """The records: key, type, year, first author, title, language, DOI. A record that could
    not be loaded is reported (exit 1), not listed."""
    chosen = _policy(policy)
    result = _loaded(loaded, paths, use_cache=use_cache)
    triaged = triage(result.findings, chosen.codes, result.library)
    rows = []
    for w in result.library.works():
        first = w.first_author()
        rows.append(Row(
            w.key,
            w.type.value,
            str(w.issued.year) if w.issued else "",
            first.display() if first else "",
            w.title_text() or (w.container_title.text if w.container_title else ""),
            w.language or "",
            w.doi or "",
        ))
    code = exit_code_for(triaged.active, chosen.fail_on, bool(result.unreadable))
    return Listing(rows, triaged, code)


# --- cite ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Cited:
    """``annobib cite``: the citation cluster (None when the library could not be read), the
    load's findings, the exit code, and warnings about the citation itself (A603: a key that
    was probably mistyped)."""

    text: str | None
    findings: list[Finding]
    exit_code: ExitCode
    warnings: list[Finding] = dataclasses.field(default_factory=list)


def cite(
    keys: Sequence[str],
    *,
    paths: Sequence[str | Path] | None = None,
    style: str | None = None,
    locale: str | None = None,
    fmt: str = "text",
    use_cache: bool = True,
    formatter: Formatter | None = None,
    loaded: LoadResult | None = None,
) -> Cited:
    """One in-text citation cluster, e.g. "(Tomberg, 2022, p. 291)": each of ``keys`` a record
    key, optionally with a locator (``KEY:291``, ``KEY:ch. 3``). Numeric styles number the
    works in library order. An unknown key is an :class:`~annobib.errors.InputError` naming
    the closest keys; an unknown ``fmt`` a :class:`~annobib.errors.UsageError`."""
    from annobib.exporters.formatted import csl_items
    from annobib.styles import FORMATS, Formatter, default_style
    from annobib.tasks.cite import parse_cite, typo_warnings
    from annobib.tasks.triage import configuration

    config = configuration()
    style = style or config.get("style") or default_style()
    locale = locale or config.get("locale")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    result = _loaded(loaded, paths, lint=False, use_cache=use_cache)
    if result.unreadable:
        return Cited(None, result.findings, ExitCode.UNREADABLE)
    works = result.library.works()
    known = {w.key for w in works}
    cites = [parse_cite(k, known) for k in keys]
    warnings = typo_warnings(keys, cites, known)
    items = csl_items(works)
    if formatter is not None:
        text = formatter.cite(items, cites, style, locale, fmt, register=items)
    else:
        with Formatter() as engines:
            text = engines.cite(items, cites, style, locale, fmt, register=items)
    return Cited(text, result.findings, ExitCode.OK, warnings)


@dataclass(slots=True)
class CitedKeys:
    """``annobib cited``: the keys the documents cite (citation order, each once), the findings
    reported and silenced (missing keys A601 at their place in the document, works not cited
    A602, and the load's), and the exit code."""

    keys: list[str]
    triaged: Triaged
    exit_code: ExitCode


def cited(
    documents: Sequence[str | Path],
    *,
    paths: Sequence[str | Path] | None = None,
    use_cache: bool = True,
    policy: Policy | None = None,
    loaded: LoadResult | None = None,
) -> CitedKeys:
    """The citations of LaTeX, Markdown and Typst documents checked against the library. A
    document that cannot be read is an :class:`~annobib.errors.InputError`, one of no known
    kind a :class:`~annobib.errors.UsageError`."""
    from annobib.checks.citations import compare
    from annobib.tasks.cite import read_citations

    chosen = _policy(policy)
    citations = read_citations([Path(d) for d in documents])
    result = _loaded(loaded, paths, use_cache=use_cache)
    found = compare(citations, result.library)
    triaged = triage([*result.findings, *found.findings], chosen.codes, result.library)
    code = exit_code_for(triaged.active, chosen.fail_on, bool(result.unreadable))
    return CitedKeys(found.keys, triaged, code)


# --- export ----------------------------------------------------------------------------------


class UnknownKeys(InputError):
    """Keys asked for (``export --key``) that name no record: one line each, with the closest
    keys (exit 3)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(slots=True)
class Exported:
    """``annobib export``: the text, the findings (the load's and the exporter's), the exit
    code. ``write`` says whether a command writing a file should write it (no findings at or
    above --fail-on: a partial file beside a failed run would look like a good export)."""

    text: str
    format: Format
    loaded: LoadResult
    triaged: Triaged
    exit_code: ExitCode

    @property
    def write(self) -> bool:
        return self.exit_code is ExitCode.OK


def export_format(to: str | None) -> Format:
    """The :class:`~annobib.exporters.Format` named ``to`` (None: the configuration's ``to``,
    else csljson); an unknown name is a :class:`~annobib.errors.UsageError` with the closest
    one and the choices."""
    import difflib

    from annobib.exporters import FORMATS

    if to is None:
        from annobib.tasks.triage import configuration

        to = str(configuration().get("to"))
    fmt = FORMATS.get(to)
    if fmt is None:
        close = difflib.get_close_matches(to, list(FORMATS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"unknown format '{to}'{hint}; choose from: {', '.join(FORMATS)}")
    return fmt


def load_for_export(paths: Sequence[str | Path] | None, fmt: Format, *,
                    use_cache: bool = True) -> LoadResult:
    """The load an export of ``fmt`` needs: positions for a format that names what a record
    loses at its place; a deferred cache store beside a format whose export forks a worker
    (:func:`export` then gets it done: :func:`annobib.runtime.finish_later`)."""
    return load(default_paths(paths), use_cache=use_cache, positions=fmt.positions,
                defer_cache=fmt.shares_load)


def export(
    paths: Sequence[str | Path] | None = None,
    to: str | None = None,
    *,
    options: ExportOptions | None = None,
    keys: Sequence[str] | None = None,
    cited_in: Sequence[Path] | None = None,
    citations: Sequence[Citation] | None = None,
    use_cache: bool = True,
    policy: Policy | None = None,
    loaded: LoadResult | None = None,
) -> Exported:
    """Export the library to format ``to``: each article, then each work its reference list
    cites, in list order (``keys``: only these records; ``cited_in``: only what these
    documents cite, in citation order, a key missing from the library an error at its place;
    ``citations``: the same, already read). A key naming no record is :class:`UnknownKeys`."""
    import dataclasses

    from annobib import runtime
    from annobib.exporters import ExportOptions

    fmt = export_format(to)
    chosen = _policy(policy)
    if citations is None and cited_in:
        from annobib.tasks.cite import read_citations

        citations = read_citations(cited_in)
    result = loaded if loaded is not None else load_for_export(paths, fmt, use_cache=use_cache)
    try:
        if keys:
            _refuse_unknown_keys(list(keys), result.library)
        in_order = False
        if citations is not None:
            from annobib.checks.citations import compare

            found = compare(citations, result.library, not_cited=False)
            result.findings.extend(found.findings)
            # \nocite{*}: everything; else what is cited (and --key), in citation order
            keys = None if found.everything else [*(keys or []), *found.keys]
            in_order = keys is not None
        options = dataclasses.replace(
            options or ExportOptions(), keys=list(keys) if keys is not None else None,
            in_key_order=in_order)
        exported = fmt.exporter()(result.library, options)
    finally:
        runtime.finish_later()  # what no worker stored
        store_positions(result)  # those the export's findings asked for
    triaged = triage([*result.findings, *exported.findings], chosen.codes, result.library)
    code = exit_code_for(triaged.active, chosen.fail_on, bool(result.unreadable))
    return Exported(exported.text, fmt, result, triaged, code)


def _refuse_unknown_keys(keys: list[str], library: Library) -> None:
    import difflib

    known = library.by_key()
    lines = []
    for key in keys:
        if key in known:
            continue
        close = difflib.get_close_matches(key, sorted(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        lines.append(f"no record with key {key!r}{hint}")
    if lines:
        raise UnknownKeys(lines)


# --- import ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Imported:
    """``annobib import``: the YAML document, what was read (``run``), the findings, the exit
    code (4 when Crossref could not be asked about a ``--doi``, unless input was unreadable)."""

    text: str
    run: ImportRun
    triaged: Triaged
    exit_code: ExitCode

    @property
    def imported(self) -> int:
        return self.run.imported()


def import_(
    files: Sequence[str | Path] = (),
    *,
    fmt: str | None = None,
    jobs: int = 0,
    dois: Sequence[str] = (),
    service: MetadataService | None = None,
    mailto: str | None = None,
    api_url: str | None = None,
    timeout: float = 20.0,
    max_time: float = 300.0,
    evidence: Path | None = None,
    output: Path | None = None,
    schema: str | None = None,
    policy: Policy | None = None,
) -> Imported:
    """Read ``files`` (BibTeX/BibLaTeX, CSL-JSON, RIS or printed lists, ``fmt`` or each told by
    its name) and Crossref's records for ``dois`` into one annobib YAML document; every good
    record is kept and every problem reported. ``service`` answers the DOIs (default: Crossref's
    API at ``api_url``, answers kept under ``evidence``, else ``.crossref/`` beside ``output``,
    the file the caller will write; its folder also anchors ``schema``'s modeline)."""
    from annobib import runtime
    from annobib.tasks.importing import FORMATS, document_text, new_run, read_dois, read_files

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    chosen = _policy(policy)
    # many small objects and no cycles: the cyclic GC would only cost time
    with runtime.gc_paused():
        run = new_run()
        read_files(run, [Path(f) for f in files], fmt, jobs)
        if dois:
            own = service is None
            if service is None:
                from annobib.tasks.services import crossref_service

                base = output.parent if output is not None else Path()
                service = crossref_service(
                    offline=False, refresh=False, evidence=evidence or base / ".crossref",
                    api_url=api_url, mailto=mailto, timeout=timeout, max_time=max_time)
            try:
                with progress.phase(f"asking Crossref for {len(dois)} DOI(s)"):
                    read_dois(run, list(dois), service)
            finally:
                if own:
                    service.close()
        text = document_text(run, schema, output)
    triaged = triage(run.findings, chosen.codes)
    if run.unavailable and not run.unreadable:
        code = ExitCode.UNAVAILABLE
    else:
        code = exit_code_for(triaged.active, chosen.fail_on, run.unreadable)
    return Imported(text, run, triaged, code)


# --- check -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Checked:
    """``annobib check``: what was loaded, the check's result (None when the input could not be
    read: nothing was asked), its findings reported and silenced, the exit code, and what the
    run has to say: ``notes`` about the snapshot, the service's ``problems`` (an evidence file
    it could not read, ...), ``applied`` (what ``apply`` wrote or refused, a line each)."""

    loaded: LoadResult
    result: CheckResult | None
    triaged: Triaged
    exit_code: ExitCode
    on_unreachable: OnUnreachable
    evidence: Path
    notes: list[str]
    problems: list[str]
    applied: list[str]

    @property
    def shown(self) -> CheckResult | None:
        """The result without the findings ``--select``/``--ignore`` or ``annobib-ignore``
        silence: what the table and CI annotations show."""
        from annobib.tasks.check import without_ignored

        return None if self.result is None else without_ignored(self.result, self.triaged)

    def report(self, fmt: str) -> str | None:
        """The report ``--format`` gives (``json``, ``sarif``, ``junit``, ``github``; None for
        ``table``, which only the command line draws, or when nothing was checked)."""
        from annobib.tasks.check import CheckFormat
        from annobib.tasks.check import report as check_report

        if self.result is None:
            return None
        return check_report(CheckFormat(fmt), self.result, self.triaged, self.exit_code,
                            self.on_unreachable)


def check(
    paths: Sequence[str | Path] | None = None,
    *,
    fail_on: str = "error",
    on_unreachable: str = "fail",
    service: MetadataService | None = None,
    offline: bool = False,
    refresh: bool = False,
    evidence: Path | None = None,
    api_url: str | None = None,
    mailto: str | None = None,
    timeout: float = 20.0,
    max_time: float = 300.0,
    retries: int = 4,
    snapshot: Path | None = None,
    use_api: bool = False,
    engine: str = "duckdb",
    suggest_dois: bool = False,
    apply: bool = False,
    policy: Policy | None = None,
    loaded: LoadResult | None = None,
    progress: Callable[[int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Checked:
    """Check every work with a DOI against Crossref, field by field (``suggest_dois``: search
    for the works without one; ``apply``: write the accepted DOIs into the YAML files).

    ``service`` answers (default: Crossref's API at ``api_url``, or the stored evidence alone
    when ``offline``, answers kept under ``evidence``, else ``.crossref/`` beside the data; a
    ``snapshot``, the given one or the configuration's, with ``use_api`` for what it lacks).
    ``fail_on`` is ``--fail-on`` (severities and statuses, comma-separated, or ``never``);
    ``policy`` gives ``--select``/``--ignore``. ``progress`` is told of each lookup answered,
    ``notify`` of what the run says about its snapshot as soon as it is open. Wrong options are
    :class:`~annobib.tasks.check.BadOption`; a snapshot that cannot be used
    :class:`~annobib.tasks.check.SnapshotRefused`."""
    from annobib.checks.crossref import check_library
    from annobib.tasks.check import (
        BadOption,
        OnUnreachable,
        apply_suggestions,
        decide_exit,
        snapshot_service,
        usage,
    )
    from annobib.tasks.services import crossref_service, default_evidence_dir
    from annobib.tasks.triage import configuration

    unreachable = OnUnreachable(on_unreachable)
    api_url = usage(fail_on, offline=offline, refresh=refresh, api_url=api_url)
    chosen = _policy(policy)
    the_paths = default_paths(paths)
    # its findings name lines: positions are read with the records (see load())
    result = _loaded(loaded, the_paths, lint=False, positions=True)
    evidence_dir = evidence or default_evidence_dir(the_paths)
    notes: list[str] = []
    if result.unreadable:
        return Checked(result, None, Triaged([], []), ExitCode.UNREADABLE, unreachable,
                       evidence_dir, notes, [], [])

    def note(line: str) -> None:
        notes.append(line)
        if notify is not None:
            notify(line)

    def api() -> MetadataService:
        return crossref_service(offline=offline, refresh=refresh, evidence=evidence_dir,
                                api_url=api_url, mailto=mailto, timeout=timeout,
                                max_time=max_time, retries=retries)

    if service is None:
        if snapshot is None:
            snapshot = configuration().path("snapshot")  # `snapshot = "DIR"` in the file
        if snapshot is None and (use_api or engine != "duckdb"):
            raise BadOption("--api and --engine go with --snapshot", "--snapshot")
        service = snapshot_service(snapshot, engine, use_api, api, note) if snapshot else api()
    library = result.library
    try:
        checked = check_library(library, service, suggest_dois=suggest_dois or apply,
                                progress=progress)
    finally:
        service.close()
        store_positions(result)  # those the check's findings asked for
    triaged = triage(checked.all_findings(), chosen.codes, library)
    code = decide_exit(checked, fail_on, unreachable, ignored=[f for f, _ in triaged.ignored])
    applied: list[str] = []
    if apply:
        applied, written = apply_suggestions(checked, library)
        if not written:
            code = ExitCode.UNREADABLE  # a file could not be written: its line says which
    return Checked(result, checked, triaged, code, unreachable, evidence_dir, notes,
                   [str(p) for p in service.problems], applied)


# --- review ----------------------------------------------------------------------------------


class UnknownStyle(UsageError):
    """A style the engine refuses as an option value (exit 2); a style found nowhere is an
    :class:`~annobib.errors.InputError` (exit 3), as for ``export``."""


class Unreadable(InputError):
    """The file to review cannot be read or is not UTF-8 (exit 3)."""


def review(
    file: str | Path,
    style: str,
    *,
    text: str | None = None,
    locale: str | None = None,
    service: MetadataService | None = None,
    offline: bool = False,
    evidence: Path | None = None,
    api_url: str | None = None,
    mailto: str | None = None,
    timeout: float = 20.0,
    max_time: float = 300.0,
    retries: int = 4,
    formatter: Formatter | None = None,
) -> Review:
    """A printed reference list or footnotes (``file``, or ``text`` read from it already, as
    standard input is) parsed, each work found, re-formatted in ``style``: see
    :mod:`annobib.tasks.review`; ``exit_code()`` is the command's. ``service`` finds the works
    (default: Crossref's API, or the stored evidence alone when ``offline``, kept under
    ``evidence``, else ``.crossref/`` beside ``file``)."""
    import contextlib

    from annobib.styles import Formatter
    from annobib.tasks.review import review_text

    name = str(file)
    if text is None:
        try:
            text = Path(file).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise Unreadable(f"{name}: cannot read: {exc}") from None
    own = service is None
    if service is None:
        from annobib.tasks.services import crossref_service, default_evidence_dir

        base = Path.cwd() if name in ("-", "<stdin>") else Path(file)
        service = crossref_service(
            offline=offline, refresh=False, evidence=evidence or default_evidence_dir([base]),
            api_url=api_url, mailto=mailto, timeout=timeout, max_time=max_time,
            retries=retries)
    try:
        # a formatter given is the caller's: used and left open
        with contextlib.nullcontext(formatter) if formatter is not None else Formatter() as engines:
            try:
                engines.style(style)
            except (KeyError, ValueError, LookupError) as exc:
                raise UnknownStyle(str(exc)) from None
            return review_text(text, name, service, engines, style, locale)
    finally:
        if own:
            service.close()


__all__ = [
    "Checked", "Cited", "Exported", "Imported", "Listing", "LoadResult", "Row", "UnknownKeys",
    "UnknownStyle", "Unreadable", "Validation",
    "check", "cite", "default_paths", "export", "export_format", "import_", "load",
    "load_for_export", "records", "review", "validate",
]


# --- snapshot ------------------------------------------------------------------------------


def snapshot_build(sources: Sequence[str | Path], output: str | Path, *,
                   options: BuildOptions | None = None) -> BuildResult:
    """``annobib snapshot build``: build (or resume) a snapshot of Crossref's records in
    ``output`` from data-file pieces, API answers or evidence files. A source that cannot be
    read is counted in the result (``unreadable``, ``problems``) and left out; an output that
    cannot be a snapshot is a :class:`~annobib.sources.snapshot.SnapshotError`."""
    from annobib.sources.snapshot import build

    return build([Path(s) for s in sources], Path(output), options)


def snapshot_info(directory: str | Path) -> dict[str, Any]:
    """``annobib snapshot info``: a snapshot's date, records, buckets, state and sources with
    their checksums, from its manifest. A directory that is no usable snapshot is a
    :class:`~annobib.services.snapshot.SnapshotUnusable`."""
    from annobib.services.snapshot import Snapshot

    m: dict[str, Any] = Snapshot.open(Path(directory)).manifest
    summary = {k: m.get(k) for k in ("date", "latest-indexed", "records", "buckets",
                                     "references", "state", "created", "finished")}
    summary["sources"] = [{k: s.get(k) for k in ("name", "size", "sha256", "records")}
                          for s in m.get("sources", [])]
    return summary
