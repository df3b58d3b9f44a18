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
    prefetch_positions: bool = False,
) -> LoadResult:
    """Load YAML files/directories into a Library; findings include the offline lint rules.

    ``prefetch_positions``: the caller expects findings with lines (a BibLaTeX export, say):
    a large file read without a cache has its positions worked out on a second core meanwhile.
    """
    result = load_paths(
        [Path(p) for p in paths], use_cache=use_cache, prefetch_positions=prefetch_positions
    )
    if lint:
        from annobib.checks import lint as lint_rules

        result.findings.extend(lint_rules.run(result.library))
    return result
