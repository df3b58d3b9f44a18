"""Tasks: whole jobs made of sources, checks, services and exporters (below the CLI)."""
