"""Mutation testing's set-up (scripts/mutation.py, README "Mutation testing") names modules and tests that exist."""

from __future__ import annotations

import re
import sys

from tests.helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TABLE: dict[str, list[str]] = PYPROJECT["tool"]["policykit-mutation"]["tests"]


def test_every_listed_module_and_test_exists() -> None:
    for module, tests in TABLE.items():
        assert (ROOT / module).is_file(), module
        assert tests, f"{module}: no tests to run"
        for test in tests:
            assert (ROOT / test).exists(), f"{module}: {test}"


def test_the_modules_that_decide_verdicts_are_listed() -> None:
    for module in ("policykit/core/truth.py", "policykit/core/values.py", "policykit/cfn/conditions.py",
                   "policykit/cfn/intrinsics.py", "policykit/terraform/load.py", "policykit/policy/operators.py",
                   "policykit/policy/engine.py", "policykit/filters/suppressions.py", "policykit/filters/baseline.py",
                   "policykit/probes/addresses.py", "policykit/core/edge_rules.py"):
        assert module in TABLE, module
    facts = {str(path.relative_to(ROOT)) for path in (ROOT / "policykit" / "facts").glob("[!_]*.py")}
    assert len(facts & set(TABLE)) >= 10


def test_equivalent_mutants_are_of_listed_modules_and_say_why() -> None:
    text = (ROOT / "docs" / "mutation.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `([\w.]+)__mutmut_\d+`: (.+)$", text, re.MULTILINE)
    assert listed
    modules = {module.removesuffix(".py").replace("/", ".") for module in TABLE}
    for name, why in listed:
        function = name.rsplit(".", 1)[0]
        assert function in modules, name
        assert len(why.split()) >= 4, name


def test_mutmut_is_in_an_extra_and_not_in_ci() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(dep.startswith("mutmut") for dep in extras["mutation"])
    assert "mutation" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
