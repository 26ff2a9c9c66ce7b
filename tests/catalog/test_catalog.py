"""The static catalog (PK1xx-PK5xx): complete documentation, the facts behind it, and no error
over values that cannot be known."""

from __future__ import annotations

import json

import pytest

from policykit.api import scan
from policykit.core.data import load
from policykit.facts import FACTS
from policykit.facts.tls import DEFAULT_ELB_POLICY
from policykit.findings import Severity
from policykit.policy.loader import load_policies
from tests.helpers import SHARED, RunCli, Write, requires_shared
from tests.templates import cfn_distribution, cfn_template

CATALOG_IDS = {
    "PK101", "PK102", "PK103", "PK104", "PK105", "PK106", "PK107", "PK108", "PK109", "PK111",
    "PK201", "PK202", "PK203", "PK204", "PK205", "PK206",
    "PK301", "PK302", "PK303", "PK304", "PK305", "PK306",
    "PK401", "PK402", "PK403", "PK404", "PK405", "PK406",
    "PK501", "PK502", "PK503", "PK504", "PK505",
}
WARNINGS = {"PK107", "PK109", "PK206", "PK305", "PK306"}
POLICIES = {p.id: p for p in load_policies(validate_builtin=True)}
STATIC = sorted(CATALOG_IDS)


def test_the_whole_catalog_is_there_with_its_severities() -> None:
    assert set(POLICIES) >= CATALOG_IDS
    for policy_id in CATALOG_IDS:
        expected = Severity.WARNING if policy_id in WARNINGS else Severity.ERROR
        assert POLICIES[policy_id].severity is expected, policy_id


@pytest.mark.parametrize("policy_id", STATIC)
def test_policy_is_documented(policy_id: str) -> None:
    policy = POLICIES[policy_id]
    for name in ("why", "symptom", "fix"):
        assert getattr(policy, name).strip(), f"{policy_id} has no {name}"
    assert policy.references and all(r.startswith("https://") for r in policy.references)
    assert policy.examples.get("bad", "").strip() and policy.examples.get("good", "").strip()
    assert policy.examples["bad"] != policy.examples["good"]


@pytest.mark.parametrize("policy_id", STATIC)
def test_policies_show_prints_everything(policy_id: str, run_cli: RunCli) -> None:
    code, out, _ = run_cli("policies", "show", policy_id)
    assert code == 0
    policy = POLICIES[policy_id]
    for text in (policy.title, policy.why.strip().splitlines()[0], policy.symptom.strip()[:40],
                 policy.examples["bad"].strip().splitlines()[0], policy.examples["good"].strip().splitlines()[0]):
        assert text.strip() in out, f"{policy_id}: `policies show` lacks {text!r}"


def test_every_fact_has_a_description() -> None:
    for kind, table in FACTS.items():
        for name, fact in table.items():
            assert (fact.__doc__ or "").strip(), f"fact {kind}.{name} has no docstring"


@requires_shared
def test_shipped_elb_table_is_the_shared_reference() -> None:
    shipped = load("elb_tls_policies.json")
    reference = json.loads((SHARED / "reference" / "elb-tls-policies.json").read_text(encoding="utf-8"))
    assert shipped == reference
    assert shipped["default_policy"]["cloudformation_AWS::ElasticLoadBalancingV2::Listener_SslPolicy_omitted"] \
        == DEFAULT_ELB_POLICY
    ours = load("cloudfront_origin_tls.json")
    assert ours["ciphers"] == reference["cloudfront_origin_tls12_ciphers"]
    assert "TLSv1.3" not in ours["protocols"]


def test_tls_13_only_policies_share_nothing_with_cloudfront() -> None:
    table = load("elb_tls_policies.json")["policies"]
    offered = set(load("cloudfront_origin_tls.json")["ciphers"])
    for name in load("elb_tls_policies.json")["no_common_cipher_with_cloudfront_tls12"]:
        assert not offered & set(table[name]["ciphers"]), name
    assert offered & set(table[DEFAULT_ELB_POLICY]["ciphers"])


def viewer_security_policy(version: str) -> str:
    """A distribution with the alias ws.example.com, an ACM certificate and the viewer security policy `version`."""
    certificate = ("        Aliases: [ws.example.com]\n        ViewerCertificate:\n"
                   "          AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/a\n"
                   f"          SslSupportMethod: sni-only\n          MinimumProtocolVersion: {version}\n")
    return cfn_template(cfn_distribution("Dist", "app.example.com", cache_policy=None, config_extra=certificate))


@pytest.mark.parametrize(("version", "flagged"), [
    ("TLSv1", True), ("TLSv1.2_2019", True), ("TLSv1.2_2021", False), ("TLSv1.2_2025", False),
    ("TLSv1.3_2025", False),
])
def test_newer_viewer_security_policies_are_not_old(version: str, flagged: bool,
                                                      write: Write) -> None:
    result = scan([write("t.yaml", viewer_security_policy(version))])
    assert any(f.policy_id == "PK305" and not f.unknown for f in result.findings) is flagged


def test_ws_alias_makes_the_default_behavior_a_guessed_websocket(write: Write) -> None:
    result = scan([write("t.yaml", viewer_security_policy("TLSv1.2_2021"))])
    websocket = [f for f in result.findings if f.policy_id == "PK304" and not f.unknown]
    assert [f.severity for f in websocket] == [Severity.WARNING]
    assert "alias" in websocket[0].message


ALL_UNKNOWN = """\
Parameters:
  Domain: {Type: String}
  Port: {Type: Number}
  Policy: {Type: String}
  Protocols: {Type: CommaDelimitedList}
  Aliases: {Type: CommaDelimitedList}
  Cert: {Type: String}
  Version: {Type: String}
  Event: {Type: String}
  Header: {Type: String}
  Runtime: {Type: String}
  Scheme: {Type: String}
  SslPolicy: {Type: String}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: !Ref Runtime, Handler: x, Role: !ImportValue role, Code: {ZipFile: x}, MemorySize: !Ref Port}
  FnVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Fn}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: !Ref Scheme, SecurityGroups: [!ImportValue alb-sg]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Port: !Ref Port, Protocol: HTTPS, SslPolicy: !Ref SslPolicy,
                 Certificates: [{CertificateArn: !Ref Cert}]}
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases: !Ref Aliases
        ViewerCertificate:
          {AcmCertificateArn: !Ref Cert, SslSupportMethod: sni-only, MinimumProtocolVersion: !Ref Version}
        Origins:
          - Id: app
            DomainName: !Ref Domain
            OriginCustomHeaders: [{HeaderName: !Ref Header, HeaderValue: x}]
            CustomOriginConfig: {OriginProtocolPolicy: !Ref Policy, HTTPPort: !Ref Port, HTTPSPort: !Ref Port,
                                 OriginSSLProtocols: !Ref Protocols, OriginReadTimeout: !Ref Port}
          - Id: alb
            DomainName: !GetAtt Alb.DNSName
            CustomOriginConfig: {OriginProtocolPolicy: !Ref Policy, HTTPSPort: !Ref Port}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: !Ref Policy
          OriginRequestPolicyId: !Ref Policy
          LambdaFunctionAssociations:
            - {EventType: !Ref Event, LambdaFunctionARN: !Ref FnVersion, IncludeBody: true}
            - {EventType: !Ref Event, LambdaFunctionARN: !ImportValue edge-arn}
"""


def test_values_that_cannot_be_known_never_make_a_catalog_finding(write: Write) -> None:
    result = scan([write("t.yaml", ALL_UNKNOWN)])
    decided = [f"{f.policy_id} {f.message}" for f in result.findings
               if f.policy_id in CATALOG_IDS and not f.unknown]
    assert decided == []
    assert {f.policy_id for f in result.findings if f.unknown} >= {"PK103", "PK104", "PK204", "PK302", "PK303"}
