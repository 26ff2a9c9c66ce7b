"""Viewer-side facts (policykit/facts/viewer.py): aliases with a certificate, its Region, the security policy,
and the behaviors that serve WebSocket (declared or guessed) with the headers the handshake needs."""

from __future__ import annotations

import pytest

from policykit.core.values import Partial, Unknown
from policykit.facts.viewer import (
    aliases_without_certificate,
    arn_region,
    certificate_in_us_east_1,
    forwards_websocket_headers,
    is_websocket_name,
    old_security_policy,
    serves_websocket,
    viewer_certificate_region,
    websocket_by_path,
    websocket_reason,
)
from policykit.model.cloudfront import CacheBehavior, Distribution, ViewerCertificate
from tests.facts.helpers import distribution
from tests.helpers import Write
from tests.templates import ALL_VIEWER, cfn_distribution, cfn_template

ARN = "arn:aws:acm:{region}:123456789012:certificate/abc"


def _dist(write: Write, config: str = "", parameters: str = "", behavior: str = "") -> Distribution:
    text = cfn_template(cfn_distribution("Site", config_extra=config, behavior_extra=behavior), parameters)
    return distribution(write(f"v{abs(hash(text))}.yaml", text))


def _viewer(write: Write, certificate: str, parameters: str = "") -> ViewerCertificate:
    found = _dist(write, f"        ViewerCertificate: {certificate}\n", parameters).viewer_certificate
    assert found is not None
    return found


ALIASES = "        Aliases: [www.example.com]\n"


def test_aliases_without_a_certificate_of_their_own(write: Write) -> None:
    assert aliases_without_certificate(_dist(write, ALIASES)) is True  # no ViewerCertificate
    assert aliases_without_certificate(_dist(
        write, ALIASES + "        ViewerCertificate: {CloudFrontDefaultCertificate: true}\n")) is True
    assert aliases_without_certificate(_dist(write, ALIASES + "        ViewerCertificate: {AcmCertificateArn: "
                                             f"'{ARN.format(region='us-east-1')}', SslSupportMethod: sni-only}}\n"))\
        is False
    assert aliases_without_certificate(_dist(
        write, ALIASES + "        ViewerCertificate: {IamCertificateId: ASCACERT, SslSupportMethod: sni-only}\n")) \
        is False
    assert aliases_without_certificate(_dist(write)) is False  # no alias
    assert isinstance(aliases_without_certificate(_dist(
        write, ALIASES + "        ViewerCertificate: {CloudFrontDefaultCertificate: !Ref D}\n",
        "  D: {Type: String}\n")), Unknown)
    assert isinstance(aliases_without_certificate(_dist(write, "        Aliases: !Ref Names\n",
                                                        "  Names: {Type: CommaDelimitedList}\n")), Unknown)
    assert aliases_without_certificate(_dist(write, ALIASES + "        ConnectionMode: tenant-only\n")) is False


@pytest.mark.parametrize(("arn", "region", "in_us_east_1"), [
    (f"'{ARN.format(region='us-east-1')}'", "us-east-1", True),
    (f"'{ARN.format(region='eu-west-1')}'", "eu-west-1", False),
    ("!Sub 'arn:aws:acm:eu-west-1:${AWS::AccountId}:certificate/abc'", "eu-west-1", False),
])
def test_the_viewer_certificate_region(write: Write, arn: str, region: str, in_us_east_1: bool) -> None:
    viewer = _viewer(write, f"{{AcmCertificateArn: {arn}, SslSupportMethod: sni-only}}")
    assert viewer_certificate_region(viewer) == region
    assert certificate_in_us_east_1(viewer) is in_us_east_1


def test_a_viewer_certificate_region_not_known(write: Write) -> None:
    viewer = _viewer(write, "{AcmCertificateArn: !Ref Cert, SslSupportMethod: sni-only}", "  Cert: {Type: String}\n")
    assert isinstance(viewer_certificate_region(viewer), Unknown)
    assert isinstance(certificate_in_us_east_1(viewer), Unknown)
    not_arn = _viewer(write, "{AcmCertificateArn: not-an-arn, SslSupportMethod: sni-only}")
    assert viewer_certificate_region(not_arn) == Unknown("the value is not an ARN")
    default = _viewer(write, "{CloudFrontDefaultCertificate: true}")
    assert certificate_in_us_east_1(default) is True and viewer_certificate_region(default) == Unknown(
        "no ACM certificate")


@pytest.mark.parametrize(("version", "old"), [
    ("TLSv1", True), ("TLSv1.2_2019", True), ("TLSv1.1_2016", True), ("TLSv1.2_2021", False),
    ("TLSv1.2_2025", False), ("TLSv1.3_2025", False),
])
def test_old_security_policy(write: Write, version: str, old: bool) -> None:
    viewer = _viewer(write, f"{{AcmCertificateArn: '{ARN.format(region='us-east-1')}', SslSupportMethod: sni-only, "
                            f"MinimumProtocolVersion: {version}}}")
    assert old_security_policy(viewer) is old


def test_old_security_policy_not_written_default_or_unknown(write: Write) -> None:
    arn = ARN.format(region="us-east-1")
    assert old_security_policy(_viewer(write, f"{{AcmCertificateArn: '{arn}', SslSupportMethod: sni-only}}")) is False
    assert old_security_policy(_viewer(write, "{CloudFrontDefaultCertificate: true, MinimumProtocolVersion: TLSv1}"))\
        is False  # the default certificate's TLSv1 is not the user's choice
    assert isinstance(old_security_policy(_viewer(
        write, f"{{AcmCertificateArn: '{arn}', SslSupportMethod: sni-only, MinimumProtocolVersion: !Ref V}}",
        "  V: {Type: String}\n")), Unknown)


def _ws_behavior(pattern: str) -> str:
    return ("        CacheBehaviors:\n"
            f"          - PathPattern: '{pattern}'\n            TargetOriginId: app\n"
            "            ViewerProtocolPolicy: https-only\n"
            f"            OriginRequestPolicyId: {ALL_VIEWER}\n"
            "            CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad\n")


def _path_behavior(dist: Distribution) -> CacheBehavior:
    (found,) = [b for b in dist.behaviors if not b.is_default]
    return found


def test_websocket_behaviors_guessed_by_path_or_alias(write: Write) -> None:
    dist = _dist(write, _ws_behavior("/ws/*"))
    default, ws = dist.default_behavior, _path_behavior(dist)
    assert default is not None and ws.path_pattern == "/ws/*"
    assert serves_websocket(ws) == "guessed" and serves_websocket(default) == "no"
    assert websocket_reason(ws) == "its path pattern '/ws/*' looks like a WebSocket endpoint"
    assert websocket_reason(default) == "it does not"
    assert forwards_websocket_headers(ws) is True and forwards_websocket_headers(default) is False
    assert serves_websocket(_path_behavior(_dist(write, _ws_behavior("/api/*")))) == "no"
    assert serves_websocket(_path_behavior(_dist(write, _ws_behavior("/socket.io/*")))) == "guessed"
    by_alias = _dist(write, "        Aliases: [ws.example.com]\n").default_behavior
    assert by_alias is not None and serves_websocket(by_alias) == "guessed"
    assert websocket_reason(by_alias) == "an alias of the distribution looks like a WebSocket host"


def test_websocket_behaviors_declared_in_metadata(write: Write) -> None:
    text = cfn_template(cfn_distribution("Site", extra="    Metadata: {policykit: {websocket: ['/live/*']}}\n",
                                         config_extra=_ws_behavior("/live/*")))
    dist = distribution(write("declared.yaml", text))
    live = _path_behavior(dist)
    assert serves_websocket(live) == "declared"
    assert websocket_reason(live) == "declared in the policykit:websocket metadata"


def test_arn_region_of_every_kind_of_value() -> None:
    assert arn_region(" arn:aws:acm:eu-west-1:1:certificate/a ") == "eu-west-1"
    assert arn_region("not-an-arn") == Unknown("the value is not an ARN")
    assert arn_region(Unknown("why")) == Unknown("why")
    assert arn_region(None) == Unknown("the ARN is not known")
    assert arn_region(Partial(("arn:aws:acm:us-east-1:", Unknown("account")))) == "us-east-1"
    assert arn_region(Partial(("arn:aws:acm:", Unknown("region")))) == Unknown("region")  # the head stops short
    assert arn_region(Partial(("x", Unknown("")))) == Unknown("the ARN is only partly known")
    assert arn_region(Partial((Unknown("all"), ":x"))) == Unknown("all")


def test_viewer_certificate_facts_say_why_they_are_not_known(write: Write) -> None:
    assert old_security_policy(ViewerCertificate(minimum_protocol_version=Unknown("why"))) == Unknown("why")
    aliased = _dist(write, ALIASES + "        ViewerCertificate: {CloudFrontDefaultCertificate: !Ref D}\n",
                    "  D: {Type: String}\n")
    assert aliases_without_certificate(aliased) == Unknown("parameter D has no default (give --param D=...)")
    assert aliased.viewer_certificate is not None
    aliased.viewer_certificate.cloudfront_default = Unknown("")  # an unknown that gives no reason of its own
    assert aliases_without_certificate(aliased) == Unknown("CloudFrontDefaultCertificate is not known")
    # the default certificate is used whatever else is written beside it
    both = _dist(write, ALIASES + "        ViewerCertificate: {CloudFrontDefaultCertificate: true, "
                 f"AcmCertificateArn: '{ARN.format(region='us-east-1')}'}}\n")
    assert aliases_without_certificate(both) is True


def test_websocket_names() -> None:
    assert is_websocket_name("ws.example.com") and is_websocket_name("WebSocket-eu.example.com")
    assert not is_websocket_name("www.example.com") and not is_websocket_name(None)


@pytest.mark.parametrize("declared", ["'*'", "/*", "' default '"])
def test_the_default_behavior_declared_in_metadata(write: Write, declared: str) -> None:
    text = cfn_template(cfn_distribution("Site", extra=f"    Metadata: {{policykit: {{websocket: [{declared}]}}}}\n"))
    default = distribution(write("d.yaml", text)).default_behavior
    assert default is not None and websocket_by_path(default) == "declared"
    plain = distribution(write("n.yaml", cfn_template(cfn_distribution("Site")))).default_behavior
    assert plain is not None and websocket_by_path(plain) == "no"
