"""Start-up stays lean: `--version` and `--help` import no scanning code, a small scan imports only the modules it
uses (an explicit list), and the built-in catalog is read from its compiled form, which must say exactly what the
YAML files say. Timings live in bench/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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


# What a small scan may import: one CloudFormation template, the text report, a configuration looked for and not
# found, the catalog read from its compiled form as an installed wheel reads it. The modules of the pipeline it
# runs, and no other: one that joins this path is added here on purpose, one that leaves it is taken out.
SMALL_SCAN = frozenset({
    "policykit", "policykit.api", "policykit.inputs", "policykit.cfn", "policykit.cfn.build",
    "policykit.cfn.conditions",
    "policykit.cfn.inputs", "policykit.cfn.intrinsics", "policykit.cfn.load", "policykit.cfn.scenarios",
    "policykit.cfn.shapes", "policykit.cfn.spelling", "policykit.cfn.template", "policykit.cfn.values",
    "policykit.cli", "policykit.cli.common", "policykit.cli.scan", "policykit.config", "policykit.core",
    "policykit.core.builtins", "policykit.core.data", "policykit.core.errors", "policykit.core.json_types",
    "policykit.core.limits", "policykit.core.location", "policykit.core.name_rules", "policykit.core.nodes",
    "policykit.core.patterns", "policykit.core.printable", "policykit.core.record", "policykit.core.repo",
    "policykit.core.truth", "policykit.core.values", "policykit.facts", "policykit.facts.aliases",
    "policykit.facts.associated_functions", "policykit.facts.association_arns", "policykit.facts.behaviors",
    "policykit.facts.cache", "policykit.facts.hostnames", "policykit.facts.indexes", "policykit.facts.integrity",
    "policykit.facts.grpc", "policykit.facts.load_balancers", "policykit.facts.origins",
    "policykit.facts.reachability", "policykit.facts.settings",
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
    "policykit.source.files", "policykit.source.globs", "policykit.source.stdin", "policykit.source.yaml_loader",
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
