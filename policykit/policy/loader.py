"""Read policy files: the built-in catalog (trusted, fast path) and users' own (validated).

Built-in policies are checked against the schema by the test suite, so a plain scan does
not import jsonschema. Users' policy files are validated on load, and a bad one is an
error naming the file, line and the schema's complaint.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from policykit.core.errors import InputError, PolicyError
from policykit.core.json_types import JsonObject, JsonValue
from policykit.core.nodes import Mark, path_mark
from policykit.findings import Severity
from policykit.policy.engine import _PLACEHOLDER, OBJECTS, compile_condition
from policykit.policy.model import Policy, PolicyDocument
from policykit.source.yaml_loader import load_yaml

POLICY_SUFFIXES = (".yaml", ".yml")
# The built-in catalog, parsed at wheel build time (hatch_build.py): reading 45 YAML files on every
# run costs more than the rest of a small scan. A checkout has no such file and reads the YAML.
COMPILED_CATALOG = "compiled.json"
COMPILED_FORMAT = 1


def builtin_dir() -> Path:
    """The shipped catalog: package data in a wheel, the repository's `policies/` in a checkout."""
    package = Path(__file__).resolve().parent.parent  # not importlib.resources: ~5 ms of imports per run
    packaged = package / "policies"
    if packaged.is_dir():
        return packaged
    return package.parent / "policies"


@functools.cache
def schema() -> JsonObject:
    loaded: JsonObject = json.loads((Path(__file__).resolve().parent / "schema.json").read_text("utf-8"))
    return loaded


def policy_files(directory: Path) -> list[Path]:
    """Policy files of a directory: `*.yaml` at its top (fixtures live in sub-directories)."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(POLICY_SUFFIXES))


def read_policy_file(path: Path, validate: bool) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read policy file: {exc}") from None
    try:
        data = load_yaml(text, str(path))
    except InputError as exc:
        raise PolicyError(str(exc)) from None
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: invalid policy: (top): a policy is a mapping")
    if validate:
        _validate(data, path)
    return build_policy(data, str(path))


def _validate(data: PolicyDocument, path: Path) -> None:
    """Every problem of the file at once, each at its line: the schema's (in a policy author's words, with the
    nearest name for a misspelt key or operator: policy/diagnose.py) and the fact paths'."""
    from policykit.policy.diagnose import Diagnosis, one_line

    problems = [(mark, f"invalid policy: {message}") for _, mark, message in Diagnosis(data, schema()).problems()]
    if problems:  # the fact paths too, so that one run says everything (they are checked on valid files below)
        problems += _fact_path_problems(data)
        raise PolicyError.several([one_line(_where(str(path), mark) + f": {message}")
                                   for mark, message in sorted(problems, key=lambda p: (p[0].line, p[0].column))])


def _where(source: str, mark: Mark) -> str:
    return f"{source}:{mark.line}:{mark.column}" if mark.line else source


def _fact_path_problems(data: PolicyDocument) -> list[tuple[Mark, str]]:
    from policykit.policy.paths import policy_errors

    name = data.get("id", "")
    return [(path_mark(data, where), f"invalid policy {name}: {message}")
            for where, message in policy_errors(data, _PLACEHOLDER().findall)]


def check_fact_paths(data: PolicyDocument, source: str) -> None:
    """Every fact path names a fact or a field of the object it reaches; each typo is a policy error at its line."""
    from policykit.policy.diagnose import one_line

    problems = _fact_path_problems(data)
    if problems:
        raise PolicyError.several([one_line(f"{_where(source, mark)}: {message}") for mark, message in problems])


def check_patterns(data: PolicyDocument, source: str) -> None:
    """Every `matches` pattern is one RE2 runs (policykit/policy/patterns.py); else a policy error at its line.
    RE2 is imported only for a policy that has one."""
    conditions: list[tuple[JsonValue, tuple[str | int, ...]]] = [(data.get("condition"), ("condition",))]
    severity_when = data.get("severity_when")
    for index, entry in enumerate(severity_when if isinstance(severity_when, list) else ()):
        if isinstance(entry, dict):
            conditions.append((entry.get("condition"), ("severity_when", index, "condition")))
    for condition, path in conditions:
        for where, pattern in _matches_in(condition, path):
            from policykit.policy.patterns import PatternError, compiled

            try:
                compiled(pattern)
            except PatternError as exc:
                mark = path_mark(data, where)
                at = f"{source}:{mark.line}:{mark.column}" if mark.line else source
                raise PolicyError(f"{at}: invalid policy {data.get('id', '')}: matches: {exc}") from None


def _matches_in(condition: JsonValue, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, pattern) of each `matches` in a policy condition (all/any/not/any_item/all_items and leaves)."""
    if isinstance(condition, list):
        for index, item in enumerate(condition):
            yield from _matches_in(item, (*path, index))
    elif isinstance(condition, dict):
        pattern = condition.get("matches")
        if "fact" in condition and isinstance(pattern, str):
            yield (*path, "matches"), pattern
        for key in ("all", "any", "not"):
            if key in condition:
                yield from _matches_in(condition[key], (*path, key))
        for key in ("any_item", "all_items"):
            inner = condition.get(key)
            if isinstance(inner, dict) and "where" in inner:
                yield from _matches_in(inner["where"], (*path, key, "where"))


def build_policy(data: PolicyDocument, source: str, checked: bool = False) -> Policy:
    """A policy from its parsed data; `checked`: its fact paths were checked already (the compiled catalog)."""
    applies_to = data.get("applies_to")
    if not isinstance(applies_to, str) or applies_to not in OBJECTS:
        raise PolicyError(f"{source}: invalid policy: applies_to must be one of " + ", ".join(sorted(OBJECTS)))
    if not checked:
        check_fact_paths(data, source)
        check_patterns(data, source)
    read = _Fields(data, source)
    return Policy(
        id=read.text("id"), title=read.text("title"), severity=Severity(data["severity"]),
        applies_to=applies_to, check=compile_condition(read.mapping(data["condition"], "condition")),
        message=read.text("message"), at=read.text("at", ""), why=read.text("why", ""),
        symptom=read.text("symptom", ""), fix=read.text("fix", ""),
        references=read.texts("references"), tags=read.texts("tags"),
        examples=read.table("examples"), evidence=read.table("evidence"),
        severity_when=tuple((Severity(s["severity"]), compile_condition(read.mapping(s["condition"], "condition")))
                            for s in read.items("severity_when")),
        source=source, raw=data,
    )


class _Fields:
    """A policy's fields with the types policy/schema.json gives them; a built-in policy is trusted to be valid
    (the tests validate the catalog), so a wrong type is a policy error naming the field, not a crash later."""

    def __init__(self, data: PolicyDocument, source: str) -> None:
        self.data, self.source = data, source

    def wrong(self, key: str, what: str) -> PolicyError:
        return PolicyError(f"{self.source}: invalid policy: {key} must be {what}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data[key] if default is None else self.data.get(key, default)
        if not isinstance(value, str):
            raise self.wrong(key, "text")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, ())
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise self.wrong(key, "a list of text")
        return tuple(str(v) for v in value)

    def table(self, key: str) -> dict[str, str]:
        value = self.data.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.wrong(key, "a mapping of text")
        return {str(k): str(v) for k, v in value.items()}

    def items(self, key: str) -> list[PolicyDocument]:
        value = self.data.get(key, ())
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, dict) for v in value):
            raise self.wrong(key, "a list of mappings")
        return [v for v in value if isinstance(v, dict)]

    def mapping(self, value: JsonValue, key: str) -> dict[str, JsonValue]:
        if not isinstance(value, dict):
            raise self.wrong(key, "a mapping")
        return value


def compile_catalog(directory: Path) -> JsonObject:
    """The policy files of `directory` as parsed data, in the form `load_policies` reads (JSON). Each one's fact
    paths are checked here (a typo fails the build), so a run reading the compiled form need not check them again;
    the schema is checked by the tests (tests/catalog/), as the build has no jsonschema."""
    entries: list[JsonValue] = []
    for path in policy_files(directory):
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
        if not isinstance(data, dict):
            raise PolicyError(f"{path}: invalid policy: (top): a policy is a mapping")
        build_policy(data, str(path))
        entries.append({"file": path.name, "policy": data})
    return {"format": COMPILED_FORMAT, "policies": entries}


def _compiled_builtin(directory: Path) -> list[Policy] | None:
    """The shipped catalog from its compiled form; None when there is none (a checkout) or it is of
    another format version (then the YAML beside it is read)."""
    compiled = directory / COMPILED_CATALOG
    try:
        catalog = json.loads(compiled.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PolicyError(f"{compiled}: cannot read the compiled catalog: {exc}") from None
    if not isinstance(catalog, dict) or catalog.get("format") != COMPILED_FORMAT:
        return None
    return [build_policy(entry["policy"], str(directory / entry["file"]), checked=True)
            for entry in catalog["policies"]]


def builtin_policies(validate: bool = False) -> list[Policy]:
    """The built-in catalog: compiled when shipped so (and not asked to validate), else from its YAML."""
    directory = builtin_dir()
    compiled = None if validate else _compiled_builtin(directory)
    if compiled is not None:
        return compiled
    return [read_policy_file(path, validate) for path in policy_files(directory)]


def load_policies(extra_dirs: Iterable[Path] = (), validate_builtin: bool = False) -> list[Policy]:
    """The built-in catalog plus users' directories; a later policy with the same id replaces an earlier one."""
    by_id: dict[str, Policy] = {}
    for policy in builtin_policies(validate_builtin):
        by_id[policy.id] = policy
    for directory in extra_dirs:
        if not directory.is_dir():
            raise PolicyError(f"{directory}: policy directory does not exist")
        for path in policy_files(directory):
            policy = read_policy_file(path, validate=True)
            by_id[policy.id] = policy
    return sorted(by_id.values(), key=lambda p: p.id)


def validate_dirs(directories: Iterable[Path]) -> tuple[int, list[PolicyError]]:
    """Read every policy file of the directories (the built-in catalog when none) as a user's: (files, errors)."""
    dirs = list(directories) or [builtin_dir()]
    checked, errors = 0, []
    for directory in dirs:
        if not directory.is_dir():
            errors.append(PolicyError(f"{directory}: policy directory does not exist"))
            continue
        for path in policy_files(directory):
            checked += 1
            try:
                read_policy_file(path, validate=True)
            except PolicyError as exc:
                errors.append(exc)
    return checked, errors
