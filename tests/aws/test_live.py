"""Answers from AWS itself (policykit/aws/live.py): a call refused for lack of permission makes the checks that need
it "not checked (AccessDenied on ...)", never an error; what cannot be read at all, or a set-up that cannot be used,
is one line and exit 2; nothing leaves loopback."""

from __future__ import annotations

import json
import socket
import sys
from typing import Any

import pytest

from tests.aws.helpers import (
    DISTRIBUTION,
    EDGE_ARN,
    GET_EDGE_FUNCTION,
    Account,
    SocketSpy,
    Stub,
    broken_account,
    recorded_account,
)
from tests.helpers import RunCli


def _scan(run_cli: RunCli, target: str) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = run_cli("scan", "--no-config", target, "--format", "json", "--show-unknown")
    return code, json.loads(out)["findings"] if out.strip() else [], err


@pytest.mark.parametrize(("service", "operation", "policy", "subject", "reason"), [
    ("elasticloadbalancing", "DescribeListeners", "PK106", "origin 'app'",
     "AccessDenied on elasticloadbalancing:DescribeListeners"),
    ("elasticloadbalancing", "DescribeLoadBalancers", "PK108", "origin 'app'",
     "AccessDenied on elasticloadbalancing:DescribeLoadBalancers"),
    ("ec2", "DescribeSecurityGroups", "PK107", "origin 'app'", "UnauthorizedOperation on ec2:DescribeSecurityGroups"),
    ("acm", "DescribeCertificate", "PK301", "alias 'api.example.com'",
     "AccessDeniedException on acm:DescribeCertificate"),
])
def test_a_denied_call_leaves_its_checks_not_checked(aws: Account, stub: Stub, run_cli: RunCli, service: str,
                                                     operation: str, policy: str, subject: str, reason: str) -> None:
    ident = broken_account(aws)
    stub.deny(service, operation)
    code, found, err = _scan(run_cli, f"aws:cloudfront/{ident}")
    assert code == 1 and "policykit:" not in err, err  # the other findings stand; no input error
    (note,) = [f for f in found if f["policy_id"] == policy and f["subject"] == subject]
    assert note["unknown"] and note["message"].endswith(reason), note["message"]
    assert (service, operation) in stub.asked


@pytest.mark.parametrize(("service", "operation", "policy", "subject", "reason"), [
    ("lambda", GET_EDGE_FUNCTION, "PK404", f"Timeout of function {EDGE_ARN}",
     "AccessDeniedException on lambda:GetFunction"),
    ("iam", "GetRole", "PK403", f"Role of function {EDGE_ARN}", "AccessDenied on iam:GetRole"),
    ("cloudfront", "GET /2020-05-31/origin-request-policy/0c1f1c0e-5b8a-4a3e-9f52-3f2e1d0c9b8a", "PK203",
     "origin 'api'", "AccessDenied on cloudfront:GetOriginRequestPolicy"),
    ("cloudfront", "GET /2020-05-31/vpc-origin/vo_recorded", "PK106", "origin 'app'",
     "AccessDenied on cloudfront:GetVpcOrigin"),
])
def test_a_denied_call_behind_a_recorded_distribution(aws: Account, stub: Stub, run_cli: RunCli, service: str,
                                                      operation: str, policy: str, subject: str, reason: str) -> None:
    recorded_account(aws, stub)
    stub.deny(service, operation)
    code, found, err = _scan(run_cli, f"aws:cloudfront/{DISTRIBUTION}")
    assert code == 1 and "policykit:" not in err, err
    notes = [f for f in found if f["policy_id"] == policy and f["subject"] == subject]
    assert [n["unknown"] for n in notes] == [True], [(f["policy_id"], f["subject"], f["unknown"]) for f in found]
    assert notes[0]["message"].endswith(reason), notes[0]["message"]


def test_a_denied_distribution_is_an_input_error(aws: Account, stub: Stub, run_cli: RunCli) -> None:
    ident = broken_account(aws)
    stub.deny("cloudfront", f"GET /2020-05-31/distribution/{ident}")
    code, _, err = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}")
    assert code == 2
    assert f"policykit: aws:cloudfront/{ident}: AccessDenied on cloudfront:GetDistribution: nothing of this " \
           "distribution could be read" in err


def test_a_denied_listing_is_an_input_error(aws: Account, stub: Stub, run_cli: RunCli) -> None:
    stub.deny("cloudfront", "GET /2020-05-31/distribution")
    code, _, err = run_cli("scan", "--no-config", "aws:cloudfront")
    assert code == 2
    assert "policykit: aws:cloudfront: AccessDenied on cloudfront:ListDistributions: the distributions cannot be " \
           "listed" in err


def test_no_such_distribution(aws: Account, run_cli: RunCli, write: Any) -> None:
    template = write("t.yaml", "Resources: {}\n")
    code, out, err = run_cli("scan", "--no-config", "aws:cloudfront/E0NOSUCHONE", str(template))
    assert code == 2
    assert "aws:cloudfront/E0NOSUCHONE: NoSuchDistribution on cloudfront:GetDistribution: no such distribution" in err
    assert "2 file(s)" not in out and "1 file(s)" in out  # the template was still scanned


@pytest.mark.parametrize(("target", "said"), [
    ("aws:s3/bucket", "an aws: input is aws:cloudfront"),
    ("aws:cloudfront/not-an-id!", "is not a CloudFront distribution id"),
])
def test_an_aws_input_that_names_nothing_readable(aws: Account, run_cli: RunCli, target: str, said: str) -> None:
    code, _, err = run_cli("scan", "--no-config", target)
    assert code == 2 and said in err and "Traceback" not in err


def test_without_boto3_the_message_names_the_extra(aws: Account, run_cli: RunCli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # `import boto3` raises ImportError, as when not installed
    code, _, err = run_cli("scan", "--no-config", "aws:cloudfront/E123")
    assert code == 2
    assert "policykit: aws:cloudfront/E123: reading from AWS needs boto3, which is not installed: " \
           "pip install 'cloudfront-policykit[aws]'" in err
    code, _, err = run_cli("scan", "--no-config", "aws:cloudfront", "--list")
    assert code == 2 and "policykit: aws:cloudfront: reading from AWS needs boto3" in err


def test_without_credentials(aws: Account, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, _, err = run_cli("scan", "--no-config", "aws:cloudfront/E123")
    assert code == 2 and "policykit: aws:cloudfront/E123: cannot use the AWS set-up" in err, err
    assert "--aws-profile" in err


def test_an_unknown_profile(aws: Account, run_cli: RunCli) -> None:
    code, _, err = run_cli("scan", "--no-config", "aws:cloudfront/E123", "--aws-profile", "nope")
    assert code == 2 and "cannot use the AWS set-up" in err and "nope" in err, err


def test_a_profile_and_a_region_are_read_from_the_given_profile(aws: Account, run_cli: RunCli, tmp_path: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ident = broken_account(aws)
    credentials = tmp_path / "credentials"
    credentials.write_text("[reader]\naws_access_key_id = reader\naws_secret_access_key = secret\n", encoding="utf-8")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, out, err = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}", "--aws-profile", "reader",
                             "--aws-region", "eu-west-1", "--format", "json")
    assert code == 1, err
    assert any(f["policy_id"] == "PK106" for f in json.loads(out)["findings"])


@pytest.mark.parametrize("option", [("--list",), ("--save", "d"), ("--aws-profile", "p"), ("--aws-region", "r")])
def test_aws_options_without_an_aws_input(run_cli: RunCli, write: Any, option: tuple[str, ...]) -> None:
    template = write("t.yaml", "Resources: {}\n")
    code, _, err = run_cli("scan", "--no-config", str(template), *option)
    assert code == 2 and f"{option[0]} applies to aws: inputs" in err


def test_the_socket_spy_refuses_what_is_not_loopback(spy: SocketSpy) -> None:
    with pytest.raises(OSError, match="the socket spy refuses"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)  # TEST-NET-1: refused before any packet
    with pytest.raises(OSError, match="the socket spy refuses"):
        socket.getaddrinfo("cloudfront.amazonaws.com", 443)
    assert len(spy.refused) == 2
    spy.refused.clear()  # seen: this test provoked them on purpose


def test_throttling_is_retried(aws: Account, stub: Stub, run_cli: RunCli) -> None:
    from tests.aws.helpers import throttled

    ident = broken_account(aws)
    stub.on("elasticloadbalancing", "DescribeListeners", throttled("elasticloadbalancing"), times=1)
    code, found, err = _scan(run_cli, f"aws:cloudfront/{ident}")
    assert code == 1, err
    assert [f["unknown"] for f in found if f["policy_id"] == "PK106" and f["subject"] == "origin 'app'"] == [False]
    assert stub.asked.count(("elasticloadbalancing", "DescribeListeners")) >= 3  # app, web, and the retry


def test_one_distribution_that_cannot_be_read_leaves_the_others(aws: Account, stub: Stub, run_cli: RunCli) -> None:
    from tests.aws.helpers import clean_distribution

    broken, clean = broken_account(aws), clean_distribution(aws)
    stub.deny("cloudfront", f"GET /2020-05-31/distribution/{clean}")
    code, out, err = run_cli("scan", "--no-config", "aws:cloudfront", "--format", "json")
    assert code == 2 and f"aws:cloudfront/{clean}: AccessDenied on cloudfront:GetDistribution" in err
    assert {f["distribution"].split()[0] for f in json.loads(out)["findings"]} == {broken}


def test_an_account_without_distributions(aws: Account, run_cli: RunCli) -> None:
    code, out, err = run_cli("scan", "--no-config", "aws:cloudfront")
    assert code == 0, err
    assert "aws:cloudfront: the account has no CloudFront distribution" in err and "0 distribution(s)" in out


def test_save_where_no_directory_can_be_made(aws: Account, run_cli: RunCli, write: Any) -> None:
    blocker = write("taken", "a file, not a directory\n")
    code, _, err = run_cli("scan", "--no-config", "aws:cloudfront", "--save", str(blocker / "read"))
    assert code == 2 and f"{blocker / 'read'}: --save: cannot make the directory" in err, err
