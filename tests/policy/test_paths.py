"""Policies are checked when they load: each fact path names a fact or a field of what it reaches (policy/paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.core.errors import PolicyError
from policykit.policy.loader import load_policies
from tests.helpers import Write

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
