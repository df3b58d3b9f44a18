"""``import``: BibTeX/BibLaTeX, CSL-JSON, RIS files, printed reference lists and Crossref DOIs
→ one annobib YAML document.

Every good record is kept; every problem is a finding (``file:line``). An :class:`ImportRun`
collects what each source adds (records, findings, the key registry that keeps keys unique
across all of them) before :func:`document_text` writes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annobib import progress

if TYPE_CHECKING:
    from annobib.findings import Finding
    from annobib.model.record import Work
    from annobib.services.base import MetadataService
    from annobib.sources.interchange import KeyRegistry
    from annobib.sources.text.records import TextImport

#: the formats ``--from`` names
FORMATS = ("bibtex", "csljson", "ris", "text")


@dataclass
class ImportRun:
    """What one import collects before writing: records, findings, key registry."""

    keys: KeyRegistry
    # records read from files, as their YAML items (sources.yamlfast.work_yaml), in order
    items: list[str] = field(default_factory=list)
    # records added as models (--doi), written after the files' records
    works: list[Work] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False
    entries_seen: int = 0
    # printed reference lists and footnotes read --from text (sources.text)
    text: TextImport | None = None
    # Crossref could not be asked about some DOI (--doi)
    unavailable: bool = False

    def imported(self) -> int:
        """Records and printed entries the run will write."""
        n = len(self.items) + len(self.works)
        if self.text is not None:
            n += len(self.text.references) + len(self.text.footnotes)
        return n


def new_run() -> ImportRun:
    from annobib.sources.interchange import KeyRegistry

    return ImportRun(keys=KeyRegistry())


def read_files(run: ImportRun, files: list[Path], fmt: str | None, jobs: int = 0) -> None:
    """Read each file into ``run`` (``fmt``: one of :data:`FORMATS`, None to tell from each
    file); a file that cannot be read is an error (exit 3).

    ``jobs``: processes a large BibTeX file may be read with (0: one per CPU, at most 4).
    """
    from annobib.errors import InputError
    from annobib.findings import Finding, Location, Severity
    from annobib.reading import read_input
    from annobib.sources.interchange import guess_format, read_items

    for path in files:
        name = str(path)
        try:
            raw = read_input(path)
            text = raw.decode("utf-8")
        except InputError as exc:
            run.findings.append(Finding("A100", Severity.ERROR, str(exc), Location(name)))
            run.unreadable = True
            continue
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            run.findings.append(
                Finding("A100", Severity.ERROR, f"not UTF-8 text (byte {exc.start})",
                        Location(name, line))
            )
            run.unreadable = True
            continue
        chosen = fmt if fmt is not None else guess_format(name, text)
        if chosen is None and name.lower().endswith(".txt"):
            chosen = "text"
        if chosen == "text":
            read_text_list(run, text, "<stdin>" if name == "-" else name)
            continue
        if chosen is None:
            run.findings.append(
                Finding("A100", Severity.ERROR,
                        "cannot tell the format: give --from bibtex|csljson|ris",
                        Location(name))
            )
            run.unreadable = True
            continue
        with progress.phase(f"reading {name}"):
            result = read_items(text, name, chosen, run.keys, jobs=jobs)
        run.items.extend(result.yaml_items)
        run.findings.extend(result.findings)
        run.entries_seen += result.entries_seen


def read_text_list(run: ImportRun, text: str, name: str) -> None:
    """A printed reference list or footnotes (``--from text``): see :mod:`annobib.sources.text`."""
    from annobib.sources.text import read_list
    from annobib.sources.text.records import to_model

    imp = to_model(read_list(text, name), run.keys, name)
    run.findings.extend(imp.findings)
    run.entries_seen += imp.entries_seen
    if run.text is None:
        run.text = imp
    else:
        run.text.references.extend(imp.references)
        run.text.footnotes.extend(imp.footnotes)
        run.text.comments.extend(imp.comments)


def read_dois(run: ImportRun, dois: list[str], service: MetadataService) -> None:
    """Add ``service``'s records for ``dois`` to ``run`` (``import --doi``); evidence is kept by
    the service's store. A DOI Crossref could not be asked about sets ``run.unavailable``."""
    from annobib.checks.crossref import import_dois
    from annobib.findings import Location

    result = import_dois(dois, service, taken_keys=run.keys.seen)
    for work in result.document.works:
        key = run.keys.claim(work.key, Location(f"doi:{work.doi}"), run.findings)
        if key is None:
            continue
        run.works.append(work if key == work.key else work.model_copy(update={"key": key}))
        run.entries_seen += 1
    run.entries_seen += len(dois) - len(result.document.works)
    run.findings.extend(result.findings)
    run.unavailable = run.unavailable or bool(result.unavailable)


def modeline(schema: str, output: Path | None) -> str:
    """``# yaml-language-server: $schema=...`` naming ``schema`` for editors (docs/editors.md):
    a URL as given, a local path relative to the written file's folder."""
    if "://" not in schema and output is not None:
        schema = os.path.relpath(os.path.abspath(schema), os.path.dirname(os.path.abspath(output)))
        schema = schema.replace(os.sep, "/")
    return f"# yaml-language-server: $schema={schema}\n"


def document_text(run: ImportRun, schema: str | None = None, output: Path | None = None) -> str:
    """The run's records as one annobib YAML document (``schema``: with a modeline naming it,
    relative to ``output``'s folder)."""
    from annobib.sources.yamlfast import document_yaml, work_yaml

    # the canonical layout of dump_document, written by the fast emitter (same data when read)
    text = document_yaml([*run.items, *(work_yaml(w) for w in run.works)])
    if schema:
        text = modeline(schema, output) + text
    if run.text is not None:
        from annobib.sources.text.records import yaml_blocks

        text += yaml_blocks(run.text)
    return text
