"""Configuration: `.policykit.yaml` (or `[tool.policykit]` in pyproject.toml), found upward from here.

The command line wins over the file. The file is validated against config_schema.json; an
unknown key or a wrong value is one line naming the file, line and column (exit code 2), naming the
setting and what it takes, never quoting the value written. jsonschema is imported only when there is a file
to validate.

Two levels of trust (`trust`): a file named with `--config` is the CI owner's and may set everything; a file
found in the scanned tree is the repository's, which a pull request can change, so it cannot widen what
policykit reaches or reads, or raise its bounds: such settings are ignored, each with a warning naming the
flag that sets it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
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
    # Trust (see `trust`): named with --config, or found in the scanned tree; what a found one may not set
    named: bool = False
    written: dict[str, JsonValue] = field(default_factory=dict)  # the settings as the file writes them
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # "live.allow_private" -> (line, column)
    warnings: tuple[str, ...] = ()  # one line each: a setting ignored, and the flag that sets it
    ignored: tuple[str, ...] = ()  # the settings ignored ("live.allow_private", "policies[1]")
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
    return _as_written(_build(settings, path, _id_positions(settings, locate)), settings, locate)


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
    from policykit.core.schema_errors import expected  # the setting and what it takes, never the value written

    raise InputError(file, f"{where or 'configuration'}: {expected(error)}", line, column)


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


# -- trust --------------------------------------------------------------------------------------------------------
# Settings that widen what policykit reaches or reads: (why a found configuration may not set it, the flag that does)
_WIDENING = {
    "live.allow_private": ("it would let the probes reach loopback, private and link-local addresses",
                           "--allow-private"),
    "live.nameservers": ("it would send the template's names to DNS servers the repository chooses", "--nameserver"),
    "live.trust_store": ("it would replace the roots certificates are verified against", "--trust-store"),
}
# Bounds of a live run a found configuration may lower, not raise: (the option, LiveOptions' default; a test checks
# they agree, as this module imports no probe code)
_LIVE_BOUNDS = {"timeout": ("--timeout", 5.0), "origin_timeout": ("--origin-timeout", 30.0),
                "run_timeout": ("--run-timeout", 300.0), "concurrency": ("--concurrency", 16)}


def _as_written(config: Config, settings: Settings, locate: Locate) -> Config:
    """The settings as written and where, for `trust` and for the summary of what the file changed."""
    positions: dict[str, tuple[int, int]] = {}
    for key, value in settings.items():
        positions[key] = locate((), key)
        if isinstance(value, dict):
            positions.update({f"{key}.{inner}": locate((key,), str(inner)) for inner in value})
        elif isinstance(value, list):
            positions.update({f"{key}[{index}]": locate((key, index), None) for index in range(len(value))})
    return replace(config, written=dict(settings), positions=positions)


def trust(config: Config, named: bool) -> Config:
    """`config` as it may act: all of it when named with --config; when found in the scanned tree, without what
    would widen what policykit reaches or reads (live.allow_private, live.nameservers, live.trust_store, policy
    directories or a baseline outside the file's own directory) or raise a bound (limits, live time-outs and
    concurrency above their defaults): each such setting is ignored, with a warning naming the flag to use."""
    if named or not config.file:
        return replace(config, named=named)
    from policykit.core.limits import DEFAULTS

    root = Path(config.file).parent.resolve()
    live, limits = dict(config.live), dict(config.limits)
    refused: list[tuple[str, str, str]] = []  # (setting, why, flag)
    for setting, (why, flag) in _WIDENING.items():
        if live.pop(setting.split(".", 1)[1], None):  # `false`, `[]`: the defaults, which widen nothing
            refused.append((setting, why, flag))
    for key, (flag, default) in _LIVE_BOUNDS.items():
        value = live.get(key)
        if isinstance(value, (int, float)) and value > default:
            del live[key]
            refused.append((f"live.{key}", f"it would raise the bound of {default:g}", flag))
    for name, value in config.limits.items():
        if value > getattr(DEFAULTS, name):
            del limits[name]
            refused.append((f"limits.{name}", f"it would raise the limit above its default of "
                            f"{getattr(DEFAULTS, name):,}", f"--limit {name}=N"))
    written = config.written.get("policies")
    policy_dirs = []
    for index, directory in enumerate(config.policy_dirs):
        entry = written[index] if isinstance(written, list) and index < len(written) else ""
        why = _outside(root, str(entry), directory)
        if why:
            refused.append((f"policies[{index}]", why, "--policies DIR"))
        else:
            policy_dirs.append(directory)
    baseline = config.baseline
    why = _outside(root, str(config.written.get("baseline", "")), baseline, files=False) if baseline else ""
    if why:
        refused.append(("baseline", why, "--baseline FILE"))
        baseline = None
    warnings = tuple(_warning(config, setting, why, flag) for setting, why, flag in refused)
    return replace(config, live=live, limits=limits, policy_dirs=tuple(policy_dirs), baseline=baseline,
                   warnings=warnings, ignored=tuple(setting for setting, _, _ in refused))


def _outside(root: Path, written: str, path: Path, files: bool = True) -> str:
    """Why a path a found configuration names reads outside its own directory; "" when it does not. A directory's
    policy files count too: a link among them to a file elsewhere reads that file."""
    if Path(written).is_absolute():
        return "an absolute path"
    try:
        if not path.resolve().is_relative_to(root):
            return "a path outside the configuration's own directory"
        if files and path.is_dir():
            for entry in path.iterdir():
                if entry.is_symlink() and not entry.resolve().is_relative_to(root):
                    return "a directory holding a link to a file outside the configuration's own directory"
    except (OSError, RuntimeError):  # a link loop, a directory that cannot be listed: not known to stay inside
        return "a path that cannot be followed to its end"
    return ""


def _warning(config: Config, setting: str, why: str, flag: str) -> str:
    line, column = config.positions.get(setting, (0, 0))
    where = config.file + (f":{line}:{column}" if line else "")
    return (f"{where}: {setting} is ignored: a configuration found in the scanned tree cannot set it ({why}); "
            f"give {flag} on the command line, or name a configuration with --config")
