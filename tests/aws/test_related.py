"""The resources behind a distribution, built from AWS's answers."""

from __future__ import annotations

import json

import pytest

from policykit.aws.calls import Answer, Call
from policykit.aws.documents import parse, render
from policykit.aws.related import pem_names, role_trusts_edge, security_group
from policykit.core.values import Unknown
from tests.live.live_servers import issue

GET_ROLE = Call("iam", "GetRole", "", (("RoleName", "edge"),))


def _role(*statements: dict[str, object]) -> Answer:
    text = render({"Role": {"RoleName": "edge", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
                                                                              "Statement": list(statements)}}})
    return Answer(GET_ROLE, parse(text, "role.json"), "role.json")


def _allow(*services: str, action: object = "sts:AssumeRole") -> dict[str, object]:
    return {"Effect": "Allow", "Action": action, "Principal": {"Service": list(services)}}


@pytest.mark.parametrize(("statements", "trusted"), [
    ([_allow("lambda.amazonaws.com", "edgelambda.amazonaws.com")], True),
    ([_allow("lambda.amazonaws.com"), _allow("edgelambda.amazonaws.com", action=["sts:AssumeRole"])], True),
    ([_allow("lambda.amazonaws.com")], False),
    ([_allow("edgelambda.amazonaws.com")], False),
    ([_allow("lambda.amazonaws.com", "edgelambda.amazonaws.com", action="sts:TagSession")], False),
    ([{**_allow("lambda.amazonaws.com", "edgelambda.amazonaws.com"), "Effect": "Deny"}], False),
])
def test_a_role_lambda_at_edge_can_assume(statements: list[dict[str, object]], trusted: bool) -> None:
    assert role_trusts_edge(_role(*statements)) is trusted


def test_a_role_that_could_not_be_read() -> None:
    result = role_trusts_edge(Answer(GET_ROLE, error="AccessDenied"))
    assert isinstance(result, Unknown) and result.reason == "AccessDenied on iam:GetRole"


def test_the_names_of_a_server_certificate() -> None:
    assert pem_names(issue("www.example.com", sans=("www.example.com", "*.example.com")).pem().decode()) == [
        "www.example.com", "*.example.com"]
    assert "not a PEM certificate" in str(pem_names("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"))


def test_one_rule_per_source_of_a_security_group() -> None:
    group = {"GroupId": "sg-1", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
         "Ipv6Ranges": [{"CidrIpv6": "::/0"}], "PrefixListIds": [{"PrefixListId": "pl-1"}],
         "UserIdGroupPairs": [{"GroupId": "sg-2"}]},
        {"IpProtocol": "-1"}]}
    document = parse(render({"SecurityGroups": [group]}), "groups.json")
    answer = Answer(Call("ec2", "DescribeSecurityGroups"), document, "groups.json")
    built = security_group(answer, document["SecurityGroups"][0])
    sources = [(r.protocol, r.from_port, r.cidr, r.prefix_list, r.source_group) for r in built.ingress]
    assert sources == [("tcp", 443, "10.0.0.0/8", None, None), ("tcp", 443, "::/0", None, None),
                       ("tcp", 443, None, "pl-1", None), ("tcp", 443, None, None, "sg-2"),
                       ("-1", None, None, None, None)]
    assert built.resource == "sg-1" and json.dumps(sources)
