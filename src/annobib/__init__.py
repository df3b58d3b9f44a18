"""annobib: annotated bibliographies that stay faithful to their sources."""

from __future__ import annotations

__version__ = "0.1.0"
