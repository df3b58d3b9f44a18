"""Project configuration: ``annobib.toml`` or ``[tool.annobib]`` in ``pyproject.toml``.

The file is looked for in the working directory and then upward, the nearest directory that has
one winning (in one directory, ``annobib.toml`` before ``pyproject.toml``; a ``pyproject.toml``
without ``[tool.annobib]`` is passed over). ``ANNOBIB_CONFIG`` names a file to use instead, or
``none`` for no file. The command line wins over the environment, the environment over the
file, the file over annobib's defaults; :func:`load` says where each setting came from
(``annobib config`` prints it).

No typer and no rich here: the CLI turns :class:`ConfigError` into a usage error (exit 2).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAMES = ("annobib.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info", "never")


class ConfigError(ValueError):
    """A configuration file that cannot be used (unreadable, not TOML, unknown setting)."""


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"'{name}' must be a non-empty string, not {value!r}")
    return value.strip()


def _codes(name: str, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"'{name}' must be a list of codes or prefixes, like [\"A402\", \"A2\"]")
    out = tuple(p.strip().upper() for v in items for p in v.split(",") if p.strip())
    for code in out:
        if code != "ALL" and not (code[:1] == "A" and code[1:].isdigit() and len(code) <= 4):
            raise ConfigError(f"'{name}': '{code}' is not a finding code or prefix (A402, A4)")
    return out


def _fail_on(name: str, value: Any) -> str:
    text = _text(name, value).lower()
    if text not in SEVERITIES:
        raise ConfigError(f"'{name}' must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return text


def _paths(name: str, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"'{name}' must be a list of files or directories, like [\"data\"]")
    return tuple(items)


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    check: Callable[[str, Any], Any]
    help: str
    env: str | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("paths", ("data",), _paths, "YAML files or directories the commands read by default "
            "(relative to the configuration file)"),
    Setting("style", None, _text, "default CSL style of formatted exports and cite (else apa; "
            "with --notes chicago-notes-bibliography)"),
    Setting("locale", None, _text, "default CSL locale (else the style's or the record's)"),
    Setting("to", "csljson", _text, "export's default output format (--to)"),
    Setting("fail-on", "error", _fail_on, "which findings make the exit code 1 (error, "
            "warning, info, never)"),
    Setting("select", (), _codes, "report only these codes or prefixes (--select)"),
    Setting("ignore", (), _codes, "do not report these codes or prefixes (--ignore)"),
    Setting("mailto", None, _text, "e-mail address for Crossref's polite pool (--mailto)",
            env="ANNOBIB_MAILTO"),
    Setting("snapshot", None, _text, "local Crossref snapshot that check answers from "
            "(--snapshot; relative to the configuration file)"),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Value:
    value: Any
    source: str  # "default", "FILE", "FILE [tool.annobib]", "environment NAME"


@dataclass(slots=True)
class Config:
    """The settings in force, each with where it came from."""

    values: dict[str, Value] = field(default_factory=dict)
    file: Path | None = None

    def get(self, name: str) -> Any:
        return self.values[name].value

    def source(self, name: str) -> str:
        return self.values[name].source

    def path(self, name: str) -> Path | None:
        """A one-path setting, a relative path taken against the configuration file's
        directory; None when unset."""
        raw = self.get(name)
        if not raw:
            return None
        base = self.file.parent if self.file is not None and self.source(name) != "default" \
            else None
        return Path(raw) if base is None or Path(raw).is_absolute() else _relative(base / raw)

    def paths(self) -> list[Path]:
        """``paths`` as paths: relative ones against the configuration file's directory."""
        raw = self.get("paths")
        base = self.file.parent if self.file is not None and self.source("paths") != "default" \
            else None
        return [Path(p) if base is None or Path(p).is_absolute() else _relative(base / p)
                for p in raw]


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def find(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest configuration file at or above ``start`` and its annobib table."""
    for directory in (start, *start.parents):
        for name in FILE_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            table = _read(candidate)
            if table is not None:
                return candidate, table
    return None


def _read(path: Path) -> Mapping[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("annobib") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.annobib] must be a table")
        return table
    return data


def _label(path: Path) -> str:
    shown = _relative(path)
    return f"{shown} [tool.annobib]" if path.name == "pyproject.toml" else str(shown)


def load(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The configuration in force for a command run in ``cwd`` (default: the working one)."""
    env = os.environ if environ is None else environ
    start = (cwd or Path.cwd()).resolve()
    explicit = env.get("ANNOBIB_CONFIG", "").strip()
    found: tuple[Path, Mapping[str, Any]] | None
    if explicit.lower() == "none":
        found = None
    elif explicit:
        path = Path(explicit)
        if not path.is_absolute():
            path = start / path
        if not path.is_file():
            raise ConfigError(f"ANNOBIB_CONFIG: no such file {explicit}")
        found = (path, _read(path) or {})
    else:
        found = find(start)
    config = Config()
    table: Mapping[str, Any] = {}
    if found is not None:
        config.file, table = found
        unknown = [k for k in table if k not in BY_NAME]
        if unknown:
            bad = unknown[0]
            close = difflib.get_close_matches(bad, list(BY_NAME), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{_label(config.file)}: unknown setting '{bad}'{hint}; "
                              f"known: {', '.join(BY_NAME)}")
    for setting in SETTINGS:
        if setting.env and env.get(setting.env):
            value = Value(setting.check(setting.env, env[setting.env]),
                          f"environment {setting.env}")
        elif setting.name in table:
            assert config.file is not None
            try:
                checked = setting.check(setting.name, table[setting.name])
            except ConfigError as exc:
                raise ConfigError(f"{_label(config.file)}: {exc}") from None
            value = Value(checked, _label(config.file))
        else:
            value = Value(setting.default, "default")
        config.values[setting.name] = value
    return config
