"""BibTeX / BibLaTeX → annobib records, through bibtexparser v2, in stages:

- :mod:`.blocks`: bibtexparser's blocks → prepared entries (or findings), keys claimed in order;
- :mod:`.values`: value expressions (``@string`` macros, ``#``), TeX decoding, dates;
- :mod:`.names`: name lists (``Last, First and {Org}``), names shared across records;
- :mod:`.fields`: the fields of one entry → model data, through the one field crosswalk
  that the BibLaTeX/BibTeX export uses too (:mod:`annobib.codecs.bibfields`);
- :mod:`.parallel`: a large input read in parts by forked processes, with the same result.

Nothing is dropped silently:

- a block bibtexparser cannot parse is an error with ``file:line`` and its raw text;
- a key seen before is an error (the later entry is not imported, its raw text is kept in the
  finding); a field given twice is a warning (the first value is kept);
- a field the model has no place for, or a value it rejects, is a warning naming it.

Field mapping: ``docs/formats/bibtex.md`` and ``docs/formats/biblatex.md``.
"""

from __future__ import annotations

from annobib import runtime
from annobib.findings import Finding
from annobib.sources.bibtex import blocks, parallel
from annobib.sources.interchange import KeyRegistry, ReadResult


def read_bibtex(
    text: str,
    filename: str,
    keys: KeyRegistry | None = None,
    *,
    as_yaml: bool = False,
    jobs: int = 1,
) -> ReadResult:
    """Read BibTeX/BibLaTeX ``text``; ``filename`` is used in finding locations.

    With ``as_yaml`` the records come back as the YAML text of each record
    (``ReadResult.yaml_items``, what ``annobib import`` writes) instead of models, and a large
    input may be read by up to ``jobs`` processes (0: one per CPU, at most 4), each taking a
    run of whole blocks; the result is the same as reading it in one piece (see
    :func:`.parallel.read_parallel` for how that is made sure).
    """
    # Tens of thousands of small objects: the cyclic GC would run hundreds of times for
    # nothing (nothing here makes cycles), so it is paused while reading.
    with runtime.gc_paused():
        keys = keys or KeyRegistry()
        result = ReadResult()
        parts = parallel.read_parallel(text, filename, jobs) if as_yaml and jobs != 1 else None
        if parts is None:
            found = blocks.parse(text).blocks
            items, seen, _strings = blocks.prepare_blocks(found, text, filename, 0, {}, as_yaml)
        else:
            items, seen = parts
        result.entries_seen = seen
        for item in items:
            if isinstance(item, Finding):
                result.findings.append(item)
            else:
                blocks.claim(item, keys, result)
        return result


__all__ = ["read_bibtex"]
