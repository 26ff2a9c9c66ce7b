"""A call is named as the AWS CLI runs it, as findings name its answer, and as a saved file."""

from __future__ import annotations

import re

from policykit.aws.calls import Answer, Call, kebab

LISTENERS = Call("elbv2", "DescribeListeners", "eu-west-1",
                 (("LoadBalancerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1"),))


def test_the_cli_command_and_the_iam_action() -> None:
    assert LISTENERS.command == ("aws elbv2 describe-listeners --region eu-west-1 --load-balancer-arn "
                                 "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1")
    assert LISTENERS.action == "elasticloadbalancing:DescribeListeners"
    assert Call("elbv2", "DescribeLoadBalancers", "eu-west-1", (("Names", ("a", "b")),)).command.endswith(
        "--names a b")
    assert kebab("GetVpcOrigin") == "get-vpc-origin"


def test_the_name_findings_give_an_answer() -> None:
    assert Call("cloudfront", "GetDistribution", "", (("Id", "E123"),)).name == "aws:cloudfront/E123"
    assert LISTENERS.name.startswith("aws:elbv2/describe-listeners/arn:aws:elasticloadbalancing:")


def test_saved_file_names_are_plain_and_unique() -> None:
    other = Call("elbv2", "DescribeListeners", "eu-west-1", (("LoadBalancerArn", "arn:../../etc/passwd"),))
    names = {LISTENERS.file_name(), other.file_name(), Call("iam", "ListServerCertificates").file_name()}
    assert len(names) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.json", name) for name in names), names


def test_why_an_answer_is_missing() -> None:
    assert Answer(LISTENERS, error="AccessDenied").reason == "AccessDenied on elasticloadbalancing:DescribeListeners"
    assert Answer(LISTENERS, error="AccessDenied").denied and not Answer(LISTENERS, error="AccessDenied").missing
    assert Answer(LISTENERS, error="LoadBalancerNotFound").missing
    assert Answer(LISTENERS, error="NoSuchDistribution").missing
    assert Answer(LISTENERS).reason == ""


def test_the_readme_policy_allows_exactly_what_a_read_calls() -> None:
    import json

    from policykit.aws.calls import READ_ACTIONS
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**The minimal read-only IAM policy:**"):]
    block = section[section.index("```json") + len("```json"):section.index("```", section.index("```json") + 7)]
    (statement,) = json.loads(block)["Statement"]
    assert statement["Effect"] == "Allow" and sorted(statement["Action"]) == sorted(READ_ACTIONS)
    assert all(action.split(":")[1].startswith(("Get", "List", "Describe")) for action in READ_ACTIONS)
