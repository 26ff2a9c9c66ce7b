"""gRPC behaviors (policykit/facts/grpc.py): decided only on what is known, through origin groups too."""

from __future__ import annotations

from policykit.api import scan
from policykit.core.values import Unknown
from policykit.facts.grpc import grpc_problems, grpc_works
from policykit.model.cloudfront import CacheBehavior
from tests.facts.helpers import default_behavior
from tests.helpers import Write
from tests.templates import CFN_HEAD

TEMPLATE = """\
Parameters:
  Version: {Type: String, Default: VERSION}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        HttpVersion: !Ref Version
        Origins:
          - {Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
          - {Id: b, DomainName: b.example.com, CustomOriginConfig: {OriginProtocolPolicy: PROTOCOL}}
        OriginGroups:
          Quantity: 1
          Items:
            - Id: pair
              FailoverCriteria: {StatusCodes: {Quantity: 1, Items: [503]}}
              Members: {Quantity: 2, Items: [{OriginId: a}, {OriginId: b}]}
        DefaultCacheBehavior:
          TargetOriginId: pair
          ViewerProtocolPolicy: https-only
          AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
          GrpcConfig: {Enabled: true}
"""


def pk505(text: str, write: Write) -> list[str]:
    result = scan([write("t.yaml", CFN_HEAD + text)])
    assert not any(f.policy_id == "PK006" for f in result.findings)
    return [f.message for f in result.findings if f.policy_id == "PK505" and not f.unknown]


def test_an_origin_group_member_over_plain_http_breaks_grpc(write: Write) -> None:
    found = pk505(TEMPLATE.replace("VERSION", "http2").replace("PROTOCOL", "http-only"), write)
    assert len(found) == 1 and "origin 'b' is reached over plain HTTP" in found[0]


def test_nothing_missing_is_no_finding(write: Write) -> None:
    assert pk505(TEMPLATE.replace("VERSION", "http2and3").replace("PROTOCOL", "match-viewer"), write) == []


def test_an_http_version_only_known_at_deployment_decides_nothing(write: Write) -> None:
    text = TEMPLATE.replace("  Version: {Type: String, Default: VERSION}\n", "  Version: {Type: String}\n")
    assert pk505(text.replace("PROTOCOL", "https-only"), write) == []


# The facts themselves (grpc_problems, grpc_works) on one behavior, without the policy.
ALL_METHODS = "[GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]"


def _grpc_behavior(write: Write, version: str = "http2", protocol: str = "https-only", methods: str = ALL_METHODS,
                   grpc: str = "true") -> CacheBehavior:
    text = (TEMPLATE.replace("VERSION", version).replace("PROTOCOL", protocol)
            .replace(f"AllowedMethods: {ALL_METHODS}", f"AllowedMethods: {methods}")
            .replace("GrpcConfig: {Enabled: true}", f"GrpcConfig: {{Enabled: {grpc}}}"))
    return default_behavior(write(f"g{abs(hash(text))}.yaml", CFN_HEAD + text))


def test_grpc_facts_of_a_behavior(write: Write) -> None:
    good = _grpc_behavior(write)
    assert grpc_problems(good) == [] and grpc_works(good) is True
    assert grpc_works(_grpc_behavior(write, grpc="false")) is True  # not gRPC: nothing to check
    assert grpc_problems(_grpc_behavior(write, version="http1.1")) == [
        "the distribution's HttpVersion is http1.1 (gRPC needs http2 or http2and3)"]
    assert grpc_problems(_grpc_behavior(write, version="http2and3")) == []
    plain = _grpc_behavior(write, protocol="http-only")
    assert grpc_problems(plain) == ["origin 'b' is reached over plain HTTP (http-only; gRPC is HTTPS end to end)"]
    assert grpc_works(plain) is False
    assert grpc_problems(_grpc_behavior(write, methods="[GET, HEAD]")) == ["its AllowedMethods (GET HEAD) lack POST"]
    assert isinstance(grpc_works(_grpc_behavior(write, methods="!Ref Methods")), Unknown)


PARAMETER = "parameter {0} has no default (give --param {0}=...)"


def _with_parameters(write: Write, text: str, *names: str) -> CacheBehavior:
    """The default behavior of TEMPLATE-like `text` with parameters `names` (strings without a default)."""
    declared = "".join(f"  {name}: {{Type: String}}\n" for name in names)
    text = text.replace("Parameters:\n", "Parameters:\n" + declared)
    return default_behavior(write(f"p{abs(hash(text))}.yaml", CFN_HEAD + text))


def _why(behavior: CacheBehavior) -> str:
    """Why grpc_problems of the behavior is not known (it must be Unknown)."""
    found = grpc_problems(behavior)
    assert isinstance(found, Unknown), found
    return found.reason


def test_grpc_facts_say_why_they_are_not_known(write: Write) -> None:
    base = TEMPLATE.replace("PROTOCOL", "https-only")
    grpc = base.replace("VERSION", "http2").replace("{Enabled: true}", "{Enabled: !Ref Grpc}")
    assert _why(_with_parameters(write, grpc, "Grpc")) == PARAMETER.format("Grpc")
    assert grpc_problems(_grpc_behavior(write, grpc="false")) == []
    version = base.replace("  Version: {Type: String, Default: VERSION}\n", "  Version: {Type: String}\n")
    assert _why(default_behavior(write("v.yaml", CFN_HEAD + version))) == PARAMETER.format("Version")
    methods = base.replace("VERSION", "http2").replace(f"AllowedMethods: {ALL_METHODS}", "AllowedMethods: !Ref M")
    assert _why(_with_parameters(write, methods, "M")) == PARAMETER.format("M")
    one = base.replace("VERSION", "http2").replace(f"AllowedMethods: {ALL_METHODS}", "AllowedMethods: [GET, !Ref M]")
    assert _why(_with_parameters(write, one, "M")) == "an allowed method is not known"
    protocol = TEMPLATE.replace("VERSION", "http2").replace("PROTOCOL", "!Ref P")
    assert _why(_with_parameters(write, protocol, "P")) == PARAMETER.format("P")
    unwritten = TEMPLATE.replace("VERSION", "http2").replace("{OriginProtocolPolicy: PROTOCOL}", "{HTTPPort: 80}")
    assert _why(default_behavior(write("u.yaml", CFN_HEAD + unwritten))) == "the origin protocol policy is not known"
    target = base.replace("VERSION", "http2").replace("TargetOriginId: pair", "TargetOriginId: !Ref T")
    assert _why(_with_parameters(write, target, "T")) == "the origin it targets is not known"
    # a target that names no origin is another policy's error (PK501), not an unknown here
    nowhere = base.replace("VERSION", "http2").replace("TargetOriginId: pair", "TargetOriginId: nowhere")
    assert grpc_problems(default_behavior(write("n.yaml", CFN_HEAD + nowhere))) == []


def test_grpc_reads_the_origin_a_behavior_targets_directly_and_only_an_origin_group_s_members(write: Write) -> None:
    direct = TEMPLATE.replace("VERSION", "http2").replace("PROTOCOL", "http-only")
    assert grpc_problems(default_behavior(write("b.yaml", CFN_HEAD + direct.replace(
        "TargetOriginId: pair", "TargetOriginId: b")))) == [
        "origin 'b' is reached over plain HTTP (http-only; gRPC is HTTPS end to end)"]
    assert grpc_problems(default_behavior(write("a.yaml", CFN_HEAD + direct.replace(
        "TargetOriginId: pair", "TargetOriginId: a")))) == []
    outside = direct.replace("Items: [{OriginId: a}, {OriginId: b}]", "Items: [{OriginId: a}]").replace(
        "Quantity: 2", "Quantity: 1")
    assert grpc_problems(default_behavior(write("g.yaml", CFN_HEAD + outside))) == []  # b is not a member


def test_grpc_and_origin_mtls_and_vpc_origins(write: Write) -> None:
    mtls = TEMPLATE.replace("VERSION", "http2").replace("PROTOCOL", "https-only").replace(
        "{OriginProtocolPolicy: https-only}}\n          - {Id: b",
        "{OriginProtocolPolicy: https-only, OriginMtlsConfig: {ClientCertificateArn: arn:aws:acm:x}}}\n"
        "          - {Id: b", 1)
    assert grpc_problems(default_behavior(write("m.yaml", CFN_HEAD + mtls))) == [
        "origin 'a' uses origin mTLS, which gRPC does not support"]
    from tests.helpers import POLICIES

    fixture = POLICIES / "PK106-load-balancer-without-listener" / "tests" / "fail"
    vpc = (fixture / "terraform-vpc-origin-port.cfn.yaml").read_text(encoding="utf-8").replace(
        "        Enabled: true\n", "        Enabled: true\n        HttpVersion: http2\n").replace(
        "          ViewerProtocolPolicy: redirect-to-https\n",
        f"          ViewerProtocolPolicy: redirect-to-https\n          AllowedMethods: {ALL_METHODS}\n"
        "          GrpcConfig: {Enabled: true}\n")
    assert grpc_problems(default_behavior(write("vpc.yaml", vpc))) == [  # the VPC origin's http-only decides
        "origin 'app' is reached over plain HTTP (http-only; gRPC is HTTPS end to end)"]


def test_allowed_methods_not_known_without_a_reason_are_named(write: Write) -> None:
    behavior = _grpc_behavior(write)
    behavior.allowed_methods = Unknown("")  # an unknown that gives no reason of its own
    assert _why(behavior) == "AllowedMethods is not known"
