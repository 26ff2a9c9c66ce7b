"""What stands behind a distribution where moto cannot serve it: a recorded distribution (the stub) with a Lambda@Edge
association to the unpublished version ($LATEST), a CloudFront Function, a custom origin request policy forwarding
Host and a VPC origin, the function's configuration and code package, an IAM viewer certificate, the execution
role's trust (moto)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from policykit.aws.options import AwsOptions
from policykit.aws.read import read_aws
from policykit.cfn.deployed import deployed_distributions
from tests.aws.helpers import CLOUDFRONT_FUNCTION, DISTRIBUTION, EDGE_ARN, Account, Stub, recorded_account
from tests.helpers import RunCli


def scan(run_cli: RunCli, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = run_cli("scan", "--no-config", f"aws:cloudfront/{DISTRIBUTION}", "--format", "json",
                             "--show-unknown", *extra)
    return code, json.loads(out)["findings"] if out else [], err


def test_the_findings_of_what_stands_behind_a_recorded_distribution(aws: Account, stub: Stub,
                                                                     run_cli: RunCli) -> None:
    recorded_account(aws, stub)
    code, found, err = scan(run_cli)
    assert code == 1, err
    decided = {(f["policy_id"], f["subject"]) for f in found if not f["unknown"]}
    assert decided == {
        ("PK203", "origin 'api'"),  # the custom origin request policy (stub) forwards Host to API Gateway
        ("PK401", "viewer-request function"),  # $LATEST: the unpublished version
        ("PK403", f"Environment of function {EDGE_ARN}"),  # the function's configuration (moto's Lambda)
        ("PK403", f"Role of function {EDGE_ARN}"),  # its role trusts lambda.amazonaws.com only (moto's IAM)
        ("PK404", f"MemorySize of function {EDGE_ARN}"),
        ("PK404", f"Timeout of function {EDGE_ARN}"),
        ("PK106", "origin 'app'"),  # the VPC origin (stub) connects with HTTPS:443 to a balancer serving HTTP:80
    }
    role = next(f for f in found if f["subject"] == f"Role of function {EDGE_ARN}")
    assert "edgelambda.amazonaws.com" in role["message"] and "role/service-role/edge-auth-role" in role["message"]
    # the IAM viewer certificate was read (ListServerCertificates, GetServerCertificate): PK301 was decided
    assert not any(f["policy_id"] == "PK301" for f in found)
    # the VPC origin is no internet-facing origin: its internal balancer is right
    assert not any(f["policy_id"] == "PK108" for f in found)


def test_the_model_holds_the_function_the_policy_and_the_cloudfront_function(aws: Account, stub: Stub) -> None:
    recorded_account(aws, stub)
    read = read_aws([f"aws:cloudfront/{DISTRIBUTION}"], AwsOptions(), False, deployed_distributions)
    assert read.errors == [] and len(read.models) == 1
    (dist,) = read.models[0].distributions
    default = dist.default_behavior
    assert default is not None and default.origin_request_policy is not None
    assert default.origin_request_policy.headers.headers == ["Host", "CloudFront-Viewer-Country"]
    (association,) = default.lambda_associations
    assert association.function is not None and association.function.role_trusts_edge is False
    assert association.function.code is not None and association.function.code.kind == "unknown"  # no --edge
    (function_association,) = default.function_associations
    assert function_association.function is not None
    assert function_association.function.code == CLOUDFRONT_FUNCTION.decode()
    (app,) = dist.ordered_behaviors
    assert app.cache_policy is not None and app.cache_policy.headers.headers == ["Accept-Language"]
    assert dist.viewer_certificate is not None and dist.viewer_certificate.certificate is not None
    assert dist.viewer_certificate.certificate.names == ["www.example.com"]


@pytest.mark.parametrize("saved", [False, True])
def test_edge_runs_the_code_package(aws: Account, stub: Stub, run_cli: RunCli, tmp_path: Any, saved: bool,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    recorded_account(aws, stub, package=True)
    extra = ("--save", str(tmp_path / "read")) if saved else ()
    code, found, err = scan(run_cli, "--edge", *extra)
    assert code == 1, err
    (refused,) = [f for f in found if f["policy_id"] == "PK705"]
    assert "'X-Cache'" in refused["message"] and refused["file"].endswith(
        "DefaultCacheBehavior.LambdaFunctionAssociations.Items[0]") != saved
    assert stub.asked.count(("file", "/code/edge-auth.zip")) == 1  # fetched once, from where GetFunction said
    if saved:  # the package is kept in the saved read, and the offline scan runs it again, with no AWS at all
        assert any(p.suffix == ".zip" for p in (tmp_path / "read").iterdir())
        from policykit.aws.calls import IAM_PREFIX, READ_ACTIONS

        manifest = json.loads((tmp_path / "read" / "policykit-aws.json").read_text(encoding="utf-8"))
        actions = {f"{IAM_PREFIX[c['service']]}:{c['operation']}" for c in manifest["calls"]}
        assert actions <= set(READ_ACTIONS) and len(actions) >= 10, actions
        from policykit.aws import live

        def no_aws(*args: object) -> None:
            raise AssertionError("a saved read is scanned without AWS")

        monkeypatch.setattr(live.LiveSource, "__init__", no_aws)
        code, offline, err = run_cli("scan", "--no-config", str(tmp_path / "read"), "--format", "json",
                                     "--show-unknown", "--edge")
        assert code == 1, err
        assert json.loads(offline)["findings"] == found
