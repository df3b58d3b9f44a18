"""``annobib config``: the settings in force and where each came from."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer


class ConfigFormat(StrEnum):
    text = "text"
    json = "json"


def _shown(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    return str(value)


def config(
    output_format: Annotated[
        ConfigFormat, typer.Option("--format", help="text for people, json for machines.")
    ] = ConfigFormat.text,
) -> None:
    """Print each setting, its value and where it came from (default, environment, file).

    The file is annobib.toml or pyproject.toml's [tool.annobib], the nearest at or above the
    working directory (ANNOBIB_CONFIG names another, or none). Command-line options win.
    """
    from annobib.cli import render
    from annobib.cli.common import settings
    from annobib.config import SETTINGS

    found = settings()
    if output_format is ConfigFormat.json:
        payload = {
            "file": str(found.file) if found.file else None,
            "settings": {
                s.name: {
                    "value": list(v) if isinstance(v := found.get(s.name), tuple) else v,
                    "from": found.source(s.name),
                }
                for s in SETTINGS
            },
        }
        render.write_stdout(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    rows = [(s.name, _shown(found.get(s.name)), found.source(s.name)) for s in SETTINGS]
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    lines = [f"{name:<{width}}  {value:<{vwidth}}  {source}" for name, value, source in rows]
    head = (f"configuration file: {found.file}" if found.file else
            "configuration file: none (annobib.toml or pyproject.toml [tool.annobib] in this "
            "directory or above)")
    render.write_stdout("\n".join([head, *lines]))


def register(app: typer.Typer) -> None:
    app.command("config")(config)
