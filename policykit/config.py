"""Configuration: `.policykit.yaml` (or `[tool.policykit]` in pyproject.toml), found upward from here.

The command line wins over the file. The file is validated against config_schema.json; an
unknown key or a wrong value is one line naming the file, line and column (exit code 2).
jsonschema is imported only when there is a file to validate.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from policykit.core.errors import InputError
from policykit.core.json_types import JsonObject, JsonValue
from policykit.core.record import record

NAMES = (".policykit.yaml", ".policykit.yml")
PYPROJECT = "pyproject.toml"


@record
class Config:
    """The settings a `.policykit.yaml` file holds."""

    file: str = ""  # where it was read from; "" when there is none
    policy_dirs: tuple[Path, ...] = ()
    enabled: frozenset[str] = frozenset()
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    severity_threshold: str | None = None
    baseline: Path | None = None
    file_options: tuple[tuple[str, dict[str, str], dict[str, str]], ...] = ()
    live: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)  # raised limits (core/limits.py), checked by the schema
    # (id or glob as written, the key it is under, line, column): checked against the loaded policies
    id_positions: tuple[tuple[str, str, int, int], ...] = ()
    exclude: tuple[str, ...] = ()  # glob patterns of paths never scanned, relative to this file's directory

    @property
    def directory(self) -> Path | None:
        """The directory the file's paths and patterns are relative to (None without a file)."""
        return Path(self.file).parent if self.file else None

    def check_ids(self, known: frozenset[str]) -> None:
        """An id or glob in enable/disable/severity that names no policy is exit 2, with the nearest id."""
        from policykit.filters.selection import suggestion, unknown

        for pattern, key, line, column in self.id_positions:
            if unknown(pattern, known):
                raise InputError(self.file, f"{key}: no policy '{pattern}'{suggestion(pattern, known)}",
                                 line, column)


def find(start: Path) -> Path | None:
    """The nearest config file from `start` upward: .policykit.yaml first, then a pyproject.toml
    that has a [tool.policykit] table (a pyproject.toml without one does not stop the search)."""
    for directory in (start.resolve(), *start.resolve().parents):
        for name in NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and re.search(r"^\s*\[tool\.policykit[\].]", _read(pyproject), re.MULTILINE):
            return pyproject
    return None


def load(path: Path) -> Config:
    text = _read(path)
    if path.name == PYPROJECT:
        data, locate = _from_toml(text, str(path))
    else:
        data, locate = _from_yaml(text, str(path))
    settings = _validate(data, str(path), locate)
    return _build(settings, path, _id_positions(settings, locate))


def _id_positions(data: Settings, locate: Locate) -> tuple[tuple[str, str, int, int], ...]:
    positions = []
    for key in ("enable", "disable"):
        for index, item in enumerate(_list(data, key)):
            positions.append((str(item), key, *locate((key, index), None)))
    for item in _table(data, "severity"):
        positions.append((str(item), "severity", *locate(("severity",), str(item))))
    return tuple(positions)


def discover(start: Path | None = None) -> Config:
    path = find(start or Path.cwd())
    return Config() if path is None else load(path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the configuration: {exc}") from None


# Where a setting is written: (path in the data, key or None) -> (line, column)
Locate = Callable[[tuple[str | int, ...], str | None], tuple[int, int]]
# The settings of a file, valid by config_schema.json (so JSON: TOML's dates and times are not valid there)
Settings = Mapping[str, JsonValue]


def _from_yaml(text: str, file: str) -> tuple[object, Locate]:
    from policykit.core.nodes import MDict, MList
    from policykit.source.yaml_loader import load_yaml

    root = load_yaml(text, file)
    if root is None:
        root = MDict()

    def locate(path: tuple[str | int, ...], key: str | None) -> tuple[int, int]:
        node, mark = root, getattr(root, "mark", None)
        for step in path:  # the schema's path into this data: keys of mappings, indexes of lists
            if isinstance(node, MDict) and isinstance(step, str):
                mark, node = node.mark_of(step), node[step]
                continue
            if isinstance(node, MList) and isinstance(step, int):
                mark, node = node.mark_of(step), node[step]
        if key is not None and isinstance(node, MDict) and key in node.key_marks:
            mark = node.key_marks[key]
        return (mark.line, mark.column) if mark else (1, 1)

    return root, locate


def _from_toml(text: str, file: str) -> tuple[object, Locate]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same parser, as the tomli package
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise InputError(file, "reading pyproject.toml needs Python 3.11+ or the tomli package") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, f"not valid TOML: {exc}") from None
    section = data.get("tool", {}).get("policykit", {})
    lines = text.splitlines()
    header = next((n for n, line in enumerate(lines) if line.strip().startswith("[tool.policykit")), 0)

    def locate(path: tuple[str | int, ...], key: str | None) -> tuple[int, int]:
        # TOML parsers keep no positions: the first line after the header that names the key.
        names = [str(p) for p in path if isinstance(p, str)] + ([key] if key else [])
        for name in reversed(names):
            pattern = re.compile(rf"^\s*(\[tool\.policykit\.)?\"?{re.escape(name)}\"?\s*(=|\])")
            for number in range(header, len(lines)):
                match = pattern.search(lines[number])
                if match:
                    return number + 1, len(lines[number]) - len(lines[number].lstrip()) + 1
        return header + 1, 1

    return section, locate


def _schema() -> JsonObject:
    from importlib import resources

    schema: JsonObject = json.loads(resources.files("policykit").joinpath("config_schema.json")
                                        .read_text(encoding="utf-8"))
    return schema


def _validate(data: object, file: str, locate: Locate) -> Settings:
    """The settings, when `data` is valid by the schema; else an input error at the first wrong setting."""
    if not isinstance(data, dict):
        raise InputError(file, "the configuration must be a mapping", 1, 1)
    import jsonschema

    schema = _schema()
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return data
    error = errors[0]
    path = tuple(error.absolute_path)
    where = ".".join(str(p) for p in path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(k for k in error.instance if k not in allowed)[0]
        line, column = locate(path, unknown)
        known = ", ".join(sorted(allowed))
        key = f"{where}.{unknown}" if where else unknown
        raise InputError(file, f"unknown key '{key}' in the configuration (known here: {known})", line, column)
    line, column = locate(path, None)
    raise InputError(file, f"{where or 'configuration'}: {error.message}", line, column)


def _list(data: Settings, key: str) -> Sequence[JsonValue]:
    """The list the schema allows under `key`; empty when it is not written."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def _table(data: Settings, key: str) -> Settings:
    """The mapping the schema allows under `key`; empty when it is not written."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _strings(mapping: Settings) -> dict[str, str]:
    out = {}
    for key, value in mapping.items():
        out[str(key)] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def _build(data: Settings, path: Path, id_positions: tuple[tuple[str, str, int, int], ...] = ()) -> Config:
    base = path.parent

    def ids(key: str) -> frozenset[str]:
        return frozenset(str(i).upper() for i in _list(data, key))

    threshold, baseline = data.get("severity_threshold"), data.get("baseline")
    return Config(
        file=str(path),
        policy_dirs=tuple(base / str(p) for p in _list(data, "policies")),
        enabled=ids("enable"),
        disabled=ids("disable"),
        severity_overrides={str(k).upper(): str(v) for k, v in _table(data, "severity").items()},
        severity_threshold=threshold if isinstance(threshold, str) else None,
        baseline=base / baseline if isinstance(baseline, str) and baseline else None,
        file_options=tuple((str(e["pattern"]), _strings(_table(e, "params")), _strings(_table(e, "vars")))
                           for e in _list(data, "files") if isinstance(e, dict)),
        live=dict(_table(data, "live")),
        limits={str(k): int(v) for k, v in _table(data, "limits").items() if isinstance(v, (int, float))},
        id_positions=id_positions,
        exclude=_exclude(data),
    )


def _exclude(data: Settings) -> tuple[str, ...]:
    """`exclude:`: glob patterns matched like `files:` patterns, relative to the configuration file."""
    return tuple(str(pattern) for pattern in _list(data, "exclude"))
