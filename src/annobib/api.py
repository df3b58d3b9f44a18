"""The public Python API: load, check offline, export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annobib.sources.yaml import LoadResult, load_paths


def load(
    paths: Sequence[str | Path],
    *,
    lint: bool = True,
    use_cache: bool = True,
    positions: bool = False,
    defer_cache: bool = False,
) -> LoadResult:
    """Load YAML files/directories into a Library; findings include the offline lint rules.

    ``positions``: the caller expects findings with lines (a BibLaTeX export, say): record
    positions are noted while a file is read, rather than worked out when first asked for.
    ``defer_cache``: storing what was validated in the cache is left to a worker of the
    caller's next :func:`annobib.workers.map_chunks`; the caller must then call
    :func:`annobib.workers.finish_later` before it ends (which stores whatever is left).
    """
    result = load_paths(
        [Path(p) for p in paths],
        use_cache=use_cache,
        positions=positions,
        defer_cache=defer_cache,
    )
    if lint:
        from annobib.checks import lint as lint_rules
        from annobib.findings import Severity

        failed = frozenset(f.key for f in result.findings
                           if f.key and f.severity is Severity.ERROR and f.code.startswith("A1"))
        result.findings.extend(lint_rules.run(result.library, failed=failed))
    return result
