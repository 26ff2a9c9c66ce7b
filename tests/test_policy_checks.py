"""Policies are checked when they load (fact paths); a policy or fact that raises is PK007, and the scan goes on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.core.errors import PolicyError
from policykit.facts import FACTS
from policykit.policy.loader import load_policies
from tests.helpers import EXAMPLES, POLICIES, RunCli

Write = Callable[[str, str], Path]

POLICY = """id: PK901
title: Custom check
severity: error
applies_to: {kind}
condition:
{condition}
message: "{message}"
"""


def _policy(write: Write, condition: str, kind: str = "origin", message: str = "{{label}} is wrong") -> Path:
    path = write("mine/PK901-custom.yaml", POLICY.format(kind=kind, condition=condition, message=message))
    return path.parent


def test_a_typo_in_a_fact_path_is_a_policy_error_with_file_and_line(write: Write) -> None:
    directory = _policy(write, "  all:\n    - fact: uses_https\n      equals: true\n    - fact: forward_host\n"
                               "      equals: false")
    with pytest.raises(PolicyError) as caught:
        load_policies([directory])
    message = str(caught.value)
    assert message.startswith(f"{directory / 'PK901-custom.yaml'}:9:")
    assert "'forward_host'" in message and "did you mean 'forwards_host'" in message


def test_paths_through_fields_facts_and_quantifiers_are_followed(write: Write) -> None:
    message = "{{label}} of {{distribution.label}} ({{distribution.viewer_certificate.ssl_support_method}})"
    good = _policy(write, "  any_item:\n    of: behaviors\n    where:\n      fact: target.id\n      equals: x",
                   message=message)
    assert [p.id for p in load_policies([good]) if p.id == "PK901"] == ["PK901"]
    bad = _policy(write, "  any_item:\n    of: behaviors\n    where:\n      fact: target.idd\n      equals: x")
    with pytest.raises(PolicyError, match=r"'idd' in 'target\.idd' is neither a fact nor a field of origin"):
        load_policies([bad])
    placeholder = _policy(write, "  fact: uses_https\n  equals: true", message="{{distribution.lable}}")
    with pytest.raises(PolicyError, match=r"placeholder \{distribution.lable\}.*did you mean 'label'"):
        load_policies([placeholder])


def test_policies_validate_reports_every_bad_file_and_exits_2(write: Write, run_cli: RunCli) -> None:
    assert run_cli("policies", "validate")[0] == 0  # the built-in catalog
    directory = _policy(write, "  fact: uses_http\n  equals: true")
    write("mine/PK902-other.yaml", POLICY.format(kind="alias", condition="  fact: nme\n  equals: x",
                                                 message="x").replace("PK901", "PK902"))
    code, out, err = run_cli("policies", "validate", str(directory))
    assert code == 2
    assert "2 policy file(s): 0 valid, 2 invalid" in out
    assert "'uses_http'" in err and "'nme'" in err
    assert run_cli("scan", "--policies", str(directory), str(EXAMPLES))[0] == 2


def test_a_fact_that_raises_is_pk007_for_that_policy_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, run_cli: RunCli) -> None:
    def broken(origin: object) -> bool:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(FACTS["origin"], "aws_generated_host", broken)
    template = POLICIES / "PK101-s3-website-over-https" / "tests" / "fail"
    fixture = sorted(p for p in template.iterdir() if p.suffix == ".yaml")[0]
    result = scan([fixture], ScanOptions())
    internal = [f for f in result.findings if f.policy_id == "PK007"]
    assert internal and all("internal error in policy PK201" in f.message for f in internal)
    assert "ZeroDivisionError: division by zero" in internal[0].message
    assert internal[0].severity.value == "error"
    assert any(f.policy_id == "PK101" and not f.unknown for f in result.findings)  # the others still ran
    code, out, _ = run_cli("scan", str(fixture))
    assert code == 3 and "PK101" in out and "PK007" in out
