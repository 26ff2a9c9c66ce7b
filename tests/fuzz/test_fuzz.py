"""Fuzz tests (hypothesis): whatever a file holds, `policykit scan` gives findings (exit 0/1) or input
errors naming the file (exit 2), never an internal error (exit 3), within a time and memory bound; whatever a
repository's configuration says, `scan --live` tries no connection its address guard would refuse.

Each example runs the real CLI in a forked child with an address-space limit and an alarm, so a
hang or a memory bomb fails the example instead of the suite (tests/fuzz/harness.py). The default
profile (used by `.ci/run`) is derandomized with a small budget; `--hypothesis-profile=long` runs a
deep search:

    python -m pytest tests/fuzz/test_fuzz.py --hypothesis-profile=long
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import CAN_FORK, MEMORY_BOUND, check_config, check_scan
from tests.fuzz.strategies import (
    cache_policy_documents,
    cfn_json,
    cfn_templates,
    cfn_yaml,
    config_documents,
    config_texts,
    deployed_documents,
    hcl_modules,
    plan_documents,
    serverless_services,
    tf_json_documents,
    tfvars,
    yaml_twists,
)

# hypothesis warns that the cached recursive strategies have a long repr: true, and harmless
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def _json_text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=True)


@given(cfn_templates(), st.data())
def test_cloudformation_yaml(template: dict[str, Any], data: st.DataObject) -> None:
    check_scan({"template.yaml": data.draw(yaml_twists(cfn_yaml(template)))})


@given(cfn_templates())
def test_cloudformation_json(template: dict[str, Any]) -> None:
    check_scan({"template.json": cfn_json(template)})


@given(hcl_modules())
def test_terraform_hcl(text: str) -> None:
    check_scan({"main.tf": text})


@given(hcl_modules(), tfvars(), st.sampled_from(["terraform.tfvars", "x.auto.tfvars"]))
def test_terraform_tfvars(module: str, variables: str, name: str) -> None:
    check_scan({"main.tf": module, name: variables})


@given(tf_json_documents(), st.sampled_from(["main.tf.json", "x.auto.tfvars.json"]))
def test_terraform_json(document: Any, name: str) -> None:
    files = {"main.tf.json": _json_text(document)}
    if name != "main.tf.json":
        files[name] = _json_text(document)
    check_scan(files)


@given(plan_documents())
def test_terraform_plan(document: Any) -> None:
    check_scan({"plan.json": _json_text(document)})


@given(deployed_documents(), st.none() | cache_policy_documents())
def test_deployed_distribution(document: Any, policy: Any) -> None:
    files = {"E1.json": _json_text(document)}
    if policy is not None:
        files["policy.json"] = _json_text(policy)  # read beside the distribution for its custom policy
    check_scan(files)


@given(serverless_services())
def test_serverless_service(files: dict[str, str]) -> None:
    check_scan(files)


# -- the harness itself: a property that cannot fail is no guard --------------------------------------------

@pytest.mark.skipif(not CAN_FORK, reason="the bounds need fork and RLIMIT_AS (Linux)")
@pytest.mark.parametrize(("bomb", "expected"), [
    (lambda: 1 / 0, "exit 3"),
    (lambda: bytearray(2 * MEMORY_BOUND), "exit 3"),  # MemoryError: the memory bound holds
])
def test_the_harness_catches_crashes(monkeypatch: pytest.MonkeyPatch, bomb: Callable[[], object],
                                     expected: str) -> None:
    from policykit import api

    monkeypatch.setattr(api, "scan_input", lambda *args: bomb())
    with pytest.raises(AssertionError, match=expected):
        check_scan({"template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"})


@given(config_texts(), st.sampled_from([".policykit.yaml", ".policykit.yml"]))
def test_configuration(text: str, name: str) -> None:
    check_config(text, name)


@given(config_documents())
def test_configuration_in_pyproject(document: dict[str, Any]) -> None:
    lines = ["[project]", 'name = "x"', "", "[tool.policykit]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in document.items() if value is not None]
    check_config("\n".join(lines) + "\n", "pyproject.toml")
