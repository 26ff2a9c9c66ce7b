"""`policykit scan aws:cloudfront/ID` and `aws:cloudfront` against moto on loopback: the deployed distribution and
what stands behind it (certificates, load balancers, listeners, security groups), findings that name the
distribution and the API path, `--list`, `--save DIR` and the offline scan of DIR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.aws.helpers import Account, broken_account, clean_distribution, custom_origin
from tests.helpers import SHARED, RunCli


def findings(out: str) -> list[dict[str, Any]]:
    return [f for f in json.loads(out)["findings"] if not f["unknown"]]


def pairs(found: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(f["policy_id"], f["subject"]) for f in found}


EXPECTED = {
    ("PK101", "origin 'site'"),  # HTTPS to an S3 website endpoint
    ("PK301", "alias 'api.example.com'"),  # not on the ACM certificate (read from ACM)
    ("PK106", "origin 'app'"),  # no HTTPS:443 listener (listeners read from elbv2)
    ("PK108", "origin 'app'"),  # an internal load balancer
    ("PK107", "origin 'app'"),  # its security group admits 10.0.0.0/8 only (read from EC2)
    ("PK201", "origin 'app'"),  # HTTPS to the load balancer's own name, Host not forwarded
    ("PK202", "name 'api.example.com'"),  # the listener certificate (read from ACM) misses a forwarded alias
    ("PK205", "origin 'web'"),  # the listener's TLS 1.3-only policy
}


def test_a_distribution_and_what_stands_behind_it(aws: Account, run_cli: RunCli) -> None:
    ident = broken_account(aws)
    code, out, err = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}", "--format", "json")
    assert code == 1, err
    found = findings(out)
    assert pairs(found) == EXPECTED
    assert {f["distribution"] for f in found} == {f"{ident} (www.example.com, api.example.com)"}


def test_findings_name_the_distribution_and_the_api_path(aws: Account, run_cli: RunCli) -> None:
    ident = broken_account(aws)
    code, out, _ = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}")
    assert code == 1
    lines = {line.split(": ", 2)[1].split(" ")[1]: line for line in out.splitlines() if ": error PK" in line}
    origin_policy = "Origins.Items[0].CustomOriginConfig.OriginProtocolPolicy"
    assert lines["PK101"].startswith(f"aws:cloudfront/{ident} {origin_policy}:")
    assert lines["PK301"].startswith(f"aws:cloudfront/{ident} Aliases.Items[1]:")
    assert f"distribution {ident} (www.example.com, api.example.com)" in lines["PK106"]
    # the listener's security policy is a property of the listener: its own answer, by API path
    assert lines["PK205"].startswith("aws:elbv2/describe-listeners/arn:aws:elasticloadbalancing:eu-west-1:")
    assert " Listeners[0].SslPolicy: " in lines["PK205"]


def test_every_distribution_of_the_account(aws: Account, run_cli: RunCli) -> None:
    broken, clean = broken_account(aws), clean_distribution(aws)
    code, out, err = run_cli("scan", "--no-config", "aws:cloudfront", "--format", "json")
    assert code == 1, err
    found = findings(out)
    assert pairs(found) == EXPECTED
    assert {f["distribution"].split()[0] for f in found} == {broken}
    assert json.loads(out)["summary"]["distributions"] == 2, clean


def test_list_prints_the_ids_and_aliases_and_scans_nothing(aws: Account, run_cli: RunCli) -> None:
    broken, clean = broken_account(aws), clean_distribution(aws)
    code, out, err = run_cli("scan", "--no-config", "aws:cloudfront", "--list")
    assert code == 0, err
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert set(rows) == {broken, clean}, out
    assert "www.example.com, api.example.com" in rows[broken] and "(no aliases)" in rows[clean], out
    assert "PK" not in out


def test_save_writes_what_was_read_and_the_saved_directory_scans_the_same(aws: Account, run_cli: RunCli,
                                                                            tmp_path: Path) -> None:
    broken_account(aws)
    clean_distribution(aws)
    saved = tmp_path / "read"
    code, live_out, err = run_cli("scan", "--no-config", "aws:cloudfront", "--save", str(saved), "--format", "json")
    assert code == 1, err
    manifest = json.loads((saved / "policykit-aws.json").read_text(encoding="utf-8"))
    commands = [call["command"] for call in manifest["calls"]]
    assert "aws cloudfront list-distributions" in commands
    assert any(c.startswith("aws elbv2 describe-listeners --region eu-west-1 --load-balancer-arn ") for c in commands)
    from policykit.aws.calls import IAM_PREFIX, READ_ACTIONS

    for call in manifest["calls"]:  # each answer as the AWS CLI prints it, each call one the IAM policy allows
        assert f"{IAM_PREFIX[call['service']]}:{call['operation']}" in READ_ACTIONS
        if "file" in call:
            assert json.loads((saved / call["file"]).read_text(encoding="utf-8")) is not None
    live = findings(live_out)
    assert pairs(live) == EXPECTED
    for finding in live:  # at lines of the saved files
        assert Path(finding["file"]).parent == saved and finding["line"] > 0
    code, offline_out, err = run_cli("scan", "--no-config", str(saved), "--format", "json")
    assert code == 1, err
    assert json.loads(offline_out)["findings"] == json.loads(live_out)["findings"]


def test_a_saved_read_points_at_the_line_of_the_property(aws: Account, run_cli: RunCli, tmp_path: Path) -> None:
    ident = broken_account(aws)
    saved = tmp_path / "read"
    run_cli("scan", "--no-config", f"aws:cloudfront/{ident}", "--save", str(saved))
    code, out, _ = run_cli("scan", "--no-config", str(saved), "--format", "json", "--select", "PK101")
    assert code == 1
    (finding,) = findings(out)
    lines = Path(finding["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[finding["line"] - 1].strip() == '"OriginProtocolPolicy": "https-only",'


@pytest.mark.parametrize("form", ["sarif", "junit", "github", "text"])
def test_every_format(aws: Account, run_cli: RunCli, form: str) -> None:
    ident = broken_account(aws)
    code, out, err = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}", "--format", form)
    assert code == 1, err
    assert "PK106" in out and ident in out
    schema = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if form == "sarif" and schema.is_file():
        import jsonschema

        jsonschema.validate(json.loads(out), json.loads(schema.read_text(encoding="utf-8")))


def test_live_probes_a_distribution_read_from_aws(aws: Account, run_cli: RunCli) -> None:
    """`--live` on an aws: input probes its origins; names are resolved by a loopback DNS server that knows none."""
    from tests.live.live_servers import DnsServer

    ident = aws.distribution([custom_origin("api", "origin.example.test")])
    dns = DnsServer({})
    try:
        code, out, err = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}", "--live", "--nameserver",
                                 dns.address, "--allow-private", "--format", "json")
    finally:
        dns.stop()
    assert code == 1, err
    (tried,) = [f for f in findings(out) if f["policy_id"] == "PK601"]
    assert tried["subject"].startswith("origin 'api'") and tried["file"].startswith(f"aws:cloudfront/{ident} Origins.")


def test_progress_and_bounded_concurrency(aws: Account) -> None:
    from policykit import api
    from policykit.aws.options import AwsOptions

    broken, clean = broken_account(aws), clean_distribution(aws)
    told: list[str] = []

    class Progress:
        def started(self, endpoints: Any) -> None:
            told.append(f"started {sorted(endpoints)}")

        def finished(self, endpoint: str) -> None:
            told.append(f"finished {endpoint}")

        def done(self) -> None:
            told.append("done")

    results = [api.scan([Path("aws:cloudfront")], api.ScanOptions(aws=AwsOptions(concurrency=n, progress=Progress())))
               for n in (1, 4)]
    assert results[0].findings == results[1].findings
    assert {(f.policy_id, f.subject) for f in results[0].findings if not f.unknown} == EXPECTED
    names = sorted([f"aws:cloudfront/{broken}", f"aws:cloudfront/{clean}"])
    assert len(told) == 8 and told[0] == f"started {names}" and told[3] == "done"
    assert sorted(told[1:3]) == [f"finished {n}" for n in names]


def test_a_classic_load_balancer(aws: Account, run_cli: RunCli) -> None:
    # in us-east-1: moto names every Classic Load Balancer NAME.us-east-1.elb.amazonaws.com, wherever it is
    ec2, elb = aws.client("ec2", region_name="us-east-1"), aws.client("elb", region_name="us-east-1")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
    group = ec2.create_security_group(GroupName="legacy", Description="legacy", VpcId=vpc)["GroupId"]
    dns = elb.create_load_balancer(
        LoadBalancerName="legacy", Scheme="internal", Subnets=[subnet], SecurityGroups=[group],
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}])["DNSName"]
    ident = aws.distribution([custom_origin("old", dns)])
    code, out, err = run_cli("scan", "--no-config", f"aws:cloudfront/{ident}", "--format", "json")
    assert code == 1, err
    assert {("PK106", "origin 'old'"), ("PK108", "origin 'old'")} <= pairs(findings(out)), dns
