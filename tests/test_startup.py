"""Start-up stays lean: `--version` and `--help` import no scanning code, a small scan imports only the modules it
uses (an explicit list), and the built-in catalog is read from its compiled form, which must say exactly what the
YAML files say. Timings live in bench/."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policykit.core import record as record_module
from policykit.core.record import record
from policykit.facts import hostnames
from policykit.policy import loader
from policykit.policy.model import Policy
from tests.helpers import POLICIES, ROOT

# Modules that only a scan needs: the model, facts, policy engine and catalog, the format readers, probes,
# reporters, and the heavy third-party libraries behind them.
SCANNING = ("policykit.model", "policykit.facts", "policykit.policy.engine", "policykit.policy.loader",
            "policykit.cfn", "policykit.terraform", "policykit.probes.runner", "policykit.reporters.",
            "jsonschema", "hcl2", "lark", "cryptography", "dns")


def _imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "policykit", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("scan", "--help"), ("policies", "--help"),
                                  ("probe", "--help")])
def test_version_and_help_import_no_scanning_code(args: tuple[str, ...]) -> None:
    modules = _imported(*args)
    assert "policykit.cli" in modules  # the measurement works
    assert sorted(m for m in modules if m.startswith(SCANNING)) == []


def _fields(policy: Policy) -> dict[str, Any]:
    """A policy's data; its compiled conditions are closures, compared by what they were built from (raw)."""
    return {name: getattr(policy, name) for name in policy.__dataclass_fields__ if name not in ("check",
                                                                                                  "severity_when")}


@pytest.fixture
def compiled_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the catalog's YAML files with the compiled form beside them, as in the wheel."""
    directory = tmp_path / "policies"
    directory.mkdir()
    for path in loader.policy_files(POLICIES):
        shutil.copy(path, directory / path.name)
    catalog = loader.compile_catalog(directory)
    (directory / loader.COMPILED_CATALOG).write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setattr(loader, "builtin_dir", lambda: directory)
    return directory


def test_the_compiled_catalog_equals_the_yaml(compiled_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_yaml = loader.builtin_policies(validate=True)  # reads (and validates) every YAML file

    def no_yaml(*args: object) -> object:
        raise AssertionError("the compiled catalog was not used")

    monkeypatch.setattr(loader, "load_yaml", no_yaml)
    compiled = loader.builtin_policies()
    assert [_fields(p) for p in compiled] == [_fields(p) for p in from_yaml]
    assert len(compiled) == len(loader.policy_files(POLICIES)) >= 40


def test_the_compiled_catalog_behaves_as_the_yaml(compiled_catalog: Path) -> None:
    """Same findings from both forms on the shipped examples (the conditions compile the same)."""
    from policykit import api

    examples = [ROOT / "examples"]
    compiled = api.scan(examples, policies=loader.load_policies())
    from_yaml = api.scan(examples, policies=loader.load_policies(validate_builtin=True))
    assert compiled.findings == from_yaml.findings
    assert compiled.findings


def test_a_compiled_catalog_of_another_format_falls_back_to_the_yaml(compiled_catalog: Path) -> None:
    (compiled_catalog / loader.COMPILED_CATALOG).write_text('{"format": 999, "policies": []}', encoding="utf-8")
    assert len(loader.builtin_policies()) == len(loader.policy_files(POLICIES))


def test_version_imports_no_command_and_a_scan_only_its_own(tmp_path: Path) -> None:
    """A run builds only the command it names: `--version` none, `scan` no other command's module."""
    commands = {"policykit.cli.scan", "policykit.cli.probe", "policykit.cli.policies", "policykit.cli.edge"}
    assert sorted(_imported("--version") & commands) == []
    template = tmp_path / "t.yaml"
    template.write_text("Resources: {}\n", encoding="utf-8")
    assert sorted(_imported("scan", "--no-config", str(template)) & commands) == ["policykit.cli.scan"]
    assert sorted(_imported("--help") & commands) == sorted(commands)  # the full CLI lists every command


def test_compiling_the_catalog_checks_fact_paths(tmp_path: Path) -> None:
    """The compiled form is not checked again when read, so the build refuses a policy with a typo."""
    source = next(p for p in loader.policy_files(POLICIES) if p.name.startswith("PK101"))
    text = source.read_text("utf-8")
    assert "fact: endpoint_kind" in text
    (tmp_path / source.name).write_text(text.replace("fact: endpoint_kind", "fact: endpoint_knd"), encoding="utf-8")
    with pytest.raises(loader.PolicyError, match="endpoint_knd"):
        loader.compile_catalog(tmp_path)


# `@record` (policykit/core/record.py) makes the classes of the scan path without compiling a method when each class
# is made; what it makes must behave as `@dataclass` with the same options, for every shape the package uses.
RECORD_OPTIONS = [{}, {"frozen": False}, {"frozen": False, "eq": False}, {"frozen": False, "eq": False, "repr": False}]


def _shapes(decorate: Any, options: dict[str, bool]) -> tuple[type, type]:
    """A base and a derived class with defaults, factories, keyword-only, init=False and repr/compare=False."""

    @decorate(**options)
    class Base:
        name: str
        count: int = 0
        items: list[str] = dataclasses.field(default_factory=list)
        hidden: str = dataclasses.field(default="h", repr=False, compare=False)
        made: dict[str, int] = dataclasses.field(default_factory=dict, init=False)
        fixed: str = dataclasses.field(default="class default", init=False)
        flag: bool = dataclasses.field(default=False, kw_only=True)

    @decorate(**options)
    class Derived(Base):
        extra: tuple[str, ...] = ()
        where: str = dataclasses.field(default="", kw_only=True)

    return Base, Derived


def _hashed(value: object) -> object:
    try:
        return hash(value)
    except TypeError as error:  # a list field
        return str(error)


def _dataclass(**options: bool) -> Any:
    return dataclasses.dataclass(**{"frozen": True, **options})


def _record(**options: bool) -> Any:
    return record(**options) if options else record


CALLS: list[tuple[tuple[object, ...], dict[str, object]]] = [
    (("a",), {}), (("a", 2, ["x"]), {"flag": True}), (("b",), {"hidden": "other", "items": []}),
    (("a", 1, ["y"], "h", ("e",)), {"where": "w", "flag": True}),
]


@pytest.mark.parametrize("options", RECORD_OPTIONS, ids=str)
def test_a_record_behaves_as_the_dataclass_with_its_options(options: dict[str, bool]) -> None:
    written, made = _shapes(_dataclass, options), _shapes(_record, options)
    for plain, mine in zip(written, made, strict=True):
        _same_behaviour(plain, mine, options)  # the __init__ that hands the values to a filler
        first = mine.__init__
        for _ in range(record_module.INLINE_AFTER):
            mine("a")
        assert mine.__init__ is not first
        _same_behaviour(plain, mine, options)  # the whole __init__, written for a class made often


def _same_behaviour(plain: Any, mine: Any, options: dict[str, bool]) -> None:
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(plain)]
    for args, kwargs in CALLS:
        if plain.__name__ == "Base" and len(args) > 4:
            args = args[:4]
        kwargs = {k: v for k, v in kwargs.items() if k in plain.__dataclass_fields__}
        one, other = plain(*args, **kwargs), mine(*args, **kwargs)
        assert vars(other) == vars(one) and list(vars(other)) == list(vars(one))  # the same fields, in order
        assert (repr(other) == repr(one)) == options.get("repr", True)  # else object's repr, with an address
        assert (other == mine(*args, **kwargs)) == (one == plain(*args, **kwargs))
        assert (other == mine("zzz")) == (one == plain("zzz"))
        assert (other == dataclasses.replace(other, hidden="x")) == (one == dataclasses.replace(one, hidden="x"))
        assert vars(dataclasses.replace(other, count=7)) == vars(dataclasses.replace(one, count=7))
        assert (mine.__hash__ is None) == (plain.__hash__ is None)
        if options.get("eq", True) and plain.__hash__ is not None:  # hashed by its compared fields
            assert _hashed(other) == _hashed(one)
        assert mine.fixed == plain.fixed == "class default" and "fixed" not in vars(other)
        assert other.made == {} and other.made is not mine("b").made  # a new one from the factory each time
    names = [(p.name, p.kind, repr(p.default)) for p in inspect.signature(plain).parameters.values()]
    assert [(p.name, p.kind, repr(p.default)) for p in inspect.signature(mine).parameters.values()] == names
    for args, kwargs in [((), {}), (("a", 1, [], "h", (), "too many"), {}), (("a",), {"made": {}}),
                         (("a",), {"nothing": 1})]:
        with pytest.raises(TypeError) as mine_error:
            mine(*args, **kwargs)
        with pytest.raises(TypeError) as plain_error:
            plain(*args, **kwargs)
        assert str(mine_error.value) == str(plain_error.value).replace(plain.__qualname__, mine.__qualname__)


def test_a_frozen_record_refuses_changes_and_a_mutable_one_takes_them() -> None:
    base, _ = _shapes(_record, {})
    made = base("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.count = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.name
    mutable, _ = _shapes(_record, {"frozen": False})
    changed = mutable("a")
    changed.count = 3
    assert changed.count == 3 and changed == mutable("a", 3)


def test_a_record_writes_its_init_when_first_instantiated() -> None:
    """The shared first `__init__` takes any arguments; the one written then takes the fields, as a dataclass's,
    and hands them to a filler; a class made often gets the whole method."""
    base, derived = _shapes(_record, {})
    first = base.__init__
    assert inspect.signature(first).parameters.keys() == {"self", "args", "kwargs"}
    derived("a")
    assert base.__init__ is first  # the derived class wrote its own only
    base("a")
    written = base.__init__
    assert written is not first and "count" in inspect.signature(written).parameters
    assert written.__qualname__.endswith("Base.__init__") and "_record_fill" in written.__code__.co_names
    for _ in range(record_module.INLINE_AFTER):
        base("a")
    assert "_record_fill" not in base.__init__.__code__.co_names
    assert inspect.signature(base.__init__) == inspect.signature(written)


def test_a_record_refuses_what_a_dataclass_refuses() -> None:
    with pytest.raises(TypeError, match="non-default argument 'name' follows default argument"):
        @record
        class Wrong:
            count: int = 0
            name: str  # type: ignore[misc]


def test_a_record_keeps_the_methods_its_class_writes() -> None:
    @record
    class Shown:
        name: str

        def __repr__(self) -> str:
            return "shown"

        def __post_init__(self) -> None:
            object.__setattr__(self, "seen", True)

    for _ in range(record_module.INLINE_AFTER + 1):  # both __init__s call __post_init__
        assert repr(Shown("a")) == "shown" and Shown("a").seen  # type: ignore[attr-defined]


@pytest.mark.parametrize("decorate", [_dataclass, _record], ids=["dataclass", "record"])
def test_a_mutable_record_assigns_through_its_own_setattr(decorate: Any) -> None:
    """A mutable class with its own `__setattr__` sees each field its `__init__` sets, as with @dataclass."""
    seen: list[str] = []

    @decorate(frozen=False)
    class Watched:
        name: str
        items: list[str] = dataclasses.field(default_factory=list)

        def __setattr__(self, name: str, value: object) -> None:
            seen.append(name)
            object.__setattr__(self, name, value)

    for _ in range(record_module.INLINE_AFTER + 1):
        seen.clear()
        assert vars(Watched("a")) == {"name": "a", "items": []} and seen == ["name", "items"]


def test_each_endpoint_pattern_is_tried_only_in_its_domain() -> None:
    """`endpoint_kind` tries (and compiles) a pattern only for a name in its domain: every alternative of each
    pattern ends in that domain, so the shortcut changes no answer."""
    for kind, suffix, pattern in hostnames.ENDPOINT_PATTERNS:
        for alternative in pattern().pattern.split("|^"):  # the top-level alternatives
            assert re.escape(suffix) in alternative, kind
    assert hostnames.endpoint_kind("origin.example.com") == "custom"
    assert hostnames.endpoint_kind("my-lb-1.us-east-1.elb.amazonaws.com") == "elb"


# What a small scan may import: one CloudFormation template, the text report, a configuration looked for and not
# found, the catalog read from its compiled form as an installed wheel reads it. The modules of the pipeline it
# runs, and no other: one that joins this path is added here on purpose, one that leaves it is taken out.
SMALL_SCAN = frozenset({
    "policykit", "policykit.api", "policykit.cfn", "policykit.cfn.build", "policykit.cfn.conditions",
    "policykit.cfn.inputs", "policykit.cfn.intrinsics", "policykit.cfn.load", "policykit.cfn.scenarios",
    "policykit.cfn.shapes", "policykit.cfn.spelling", "policykit.cfn.template", "policykit.cfn.values",
    "policykit.cli", "policykit.cli.common", "policykit.cli.scan", "policykit.config", "policykit.core",
    "policykit.core.builtins", "policykit.core.data", "policykit.core.errors", "policykit.core.json_types",
    "policykit.core.limits", "policykit.core.location", "policykit.core.name_rules", "policykit.core.nodes",
    "policykit.core.patterns", "policykit.core.printable", "policykit.core.record", "policykit.core.repo",
    "policykit.core.truth", "policykit.core.values", "policykit.facts", "policykit.facts.aliases",
    "policykit.facts.associated_functions", "policykit.facts.association_arns", "policykit.facts.behaviors",
    "policykit.facts.cache", "policykit.facts.hostnames", "policykit.facts.indexes", "policykit.facts.integrity",
    "policykit.facts.load_balancers", "policykit.facts.origins", "policykit.facts.reachability",
    "policykit.facts.rewrites", "policykit.facts.tls", "policykit.facts.viewer", "policykit.facts.wire_names",
    "policykit.filters", "policykit.filters.selection", "policykit.filters.suppressions", "policykit.findings",
    "policykit.model", "policykit.model.base", "policykit.model.beanstalk", "policykit.model.build",
    "policykit.model.cloudfront", "policykit.model.derived", "policykit.model.function_code",
    "policykit.model.index", "policykit.model.reader", "policykit.model.refs", "policykit.model.related",
    "policykit.model.related_build", "policykit.model.shapes", "policykit.model.spelling",
    "policykit.model.subjects", "policykit.options", "policykit.policy", "policykit.policy.engine",
    "policykit.policy.loader", "policykit.policy.model", "policykit.policy.operators", "policykit.reporters",
    "policykit.reporters.observed_text", "policykit.scenarios", "policykit.source", "policykit.source.detect",
    "policykit.source.discover", "policykit.source.dupkeys", "policykit.source.duplicates",
    "policykit.source.files", "policykit.source.stdin", "policykit.source.yaml_loader",
})
# Standard-library packages a small scan may import beyond those `import yaml, typer` imports (the floor).
SMALL_SCAN_STDLIB = frozenset({"json", "_json", "dataclasses", "contextvars", "_contextvars", "__future__",
                               "encodings", "atexit", "gc"})
_SCAN_WITH_COMPILED_CATALOG = (  # as an installed wheel runs: the catalog's compiled form, no YAML policy read
    "import sys\nfrom pathlib import Path\nfrom policykit.policy import loader\n"
    "loader.builtin_dir = lambda: Path(sys.argv[1])\n"
    "from policykit.cli import main\nraise SystemExit(main(sys.argv[2:]))\n")


def _imports_of(code: str, *args: str, cwd: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
            if line.startswith("import time:") and not line.endswith("imported package")]


def test_a_small_scan_imports_only_what_it_uses(compiled_catalog: Path, tmp_path: Path) -> None:
    """The modules a small scan imports are the pipeline it runs: no live, edge, Terraform or policy-file code,
    no jsonschema, cryptography, dnspython or HCL parser, no other reporter. Other work cannot add to this path
    without saying so here."""
    template = tmp_path / "scanned" / "template.yaml"
    template.parent.mkdir()
    shutil.copy(ROOT / "examples" / "cloudformation" / "correct.yaml", template)
    modules = _imports_of(_SCAN_WITH_COMPILED_CATALOG, str(compiled_catalog), "scan", str(template),
                          cwd=template.parent)
    floor = set(_imports_of("import yaml, typer", cwd=template.parent))
    ours = {m for m in modules if m.split(".")[0] == "policykit"}
    assert "policykit.cfn.load" in ours and "policykit.policy.engine" in ours  # the measurement works
    unexpected, gone = sorted(ours - SMALL_SCAN), sorted(SMALL_SCAN - ours)
    assert unexpected == [], (f"a small scan now imports {unexpected}: import them where they are needed "
                              "(a function-level import), or add them to SMALL_SCAN on purpose")
    assert gone == [], f"a small scan no longer imports {gone}: take them out of SMALL_SCAN"
    others = {m.split(".")[0] for m in modules if m not in floor and m.split(".")[0] != "policykit"}
    third_party = sorted(m for m in others if m not in sys.stdlib_module_names)
    beyond = sorted(set(third_party) - {m.split(".")[0] for m in floor})
    assert beyond == [], f"a small scan imports third-party packages beyond yaml and typer's: {beyond}"
    stdlib = sorted(others - SMALL_SCAN_STDLIB - set(third_party))
    assert stdlib == [], f"a small scan imports standard-library packages it did not: {stdlib}"


def test_printable_data_rebuilds_only_what_it_escapes() -> None:
    """A result with nothing to escape is returned as it is (a small scan rebuilds nothing); a string with a
    surrogate is escaped wherever it sits, and what holds it is rebuilt with its type."""
    from policykit.core.location import Location
    from policykit.core.printable import printable_data
    from policykit.findings import ScanError, ScanResult

    clean = ScanResult(errors=(ScanError("a.yaml", "bad"),), files=("a.yaml",), distributions={"a.yaml": 1})
    assert printable_data(clean) is clean
    bad = "b\udcff.yaml"
    escaped = printable_data(ScanResult(errors=(ScanError(bad, "bad"),), files=("a.yaml", bad),
                                        distributions={bad: 2}))
    assert escaped.errors == (ScanError("b\\xff.yaml", "bad"),) and escaped.files == ("a.yaml", "b\\xff.yaml")
    assert escaped.distributions == {"b\\xff.yaml": 2}
    where = printable_data([Location(bad, 1, 2), {"k": [bad]}])
    assert where == [Location("b\\xff.yaml", 1, 2), {"k": ["b\\xff.yaml"]}] and type(where[0]) is Location
