"""What the AWS provider sends (policykit/terraform/provider.py): the viewer certificate it picks, a zero it leaves
out; scenario labels name only inputs that change what is sent."""

from __future__ import annotations

import pytest

from policykit.api import scan
from policykit.core.nodes import MDict, MList
from policykit.core.values import ResourceAttr, Unknown
from policykit.findings import ScanResult
from policykit.terraform.provider import as_sent, is_empty
from tests.helpers import Write
from tests.templates import tf_default_behavior, tf_distribution, tf_origin

CERTIFICATE = ('resource "aws_acm_certificate" "c" {\n  domain_name       = "www.example.com"\n'
               '  validation_method = "DNS"\n}\n')
CHOICE = 'variable "use_default" {\n  type    = bool\n  default = true\n}\n'


def certificate_module(block: str, *, aliases: bool = True) -> str:
    body = ('  aliases = ["www.example.com"]\n' if aliases else "") + tf_origin('"app.example.com"') + \
        tf_default_behavior()
    return CERTIFICATE + CHOICE + tf_distribution(body, certificate=block)


def findings(result: ScanResult, policy_id: str) -> list[tuple[str, str]]:
    return [(f.severity.value, f.scenario) for f in result.findings if f.policy_id == policy_id and not f.unknown]


def test_an_acm_certificate_wins_over_the_default_certificate_flag(write: Write) -> None:
    # expandViewerCertificate sends ACMCertificateArn whenever it is non-empty: var.use_default changes nothing
    block = ("cloudfront_default_certificate = var.use_default\n    acm_certificate_arn = aws_acm_certificate.c.arn\n"
             '    ssl_support_method = "sni-only"\n    minimum_protocol_version = "TLSv1.2_2019"')
    result = scan([write("tf/main.tf", certificate_module(block)).parent])
    assert findings(result, "PK302") == []
    assert findings(result, "PK305") == [("warning", "")]  # no "(when var.use_default=false)": it sends the same


def test_an_iam_certificate_wins_over_an_acm_one() -> None:
    block = MDict()
    block["iam_certificate_id"] = "ASCAEXAMPLE"
    block["acm_certificate_arn"] = "arn:aws:acm:us-east-1:111122223333:certificate/x"
    block["cloudfront_default_certificate"] = True
    sent = _sent_certificate(block)
    assert sent == {"iam_certificate_id": "ASCAEXAMPLE"}


def test_empty_arns_are_not_sent_and_the_default_certificate_is() -> None:
    block = MDict()
    block["acm_certificate_arn"] = ""
    block["cloudfront_default_certificate"] = True
    assert _sent_certificate(block) == {"cloudfront_default_certificate": True}


def test_an_arn_that_may_be_empty_makes_the_default_certificate_unknown() -> None:
    block = MDict()
    block["acm_certificate_arn"] = Unknown("var.arn has no value", name="var.arn")
    block["cloudfront_default_certificate"] = True
    sent = _sent_certificate(block)
    assert isinstance(sent["cloudfront_default_certificate"], Unknown)
    assert "acm_certificate_arn is empty" in sent["cloudfront_default_certificate"].reason


def test_the_label_keys_on_the_arn_being_empty(write: Write) -> None:
    # the certificate is chosen by whether the ARN is empty: that input, and only it, names the scenario
    module = certificate_module('acm_certificate_arn = var.arn == "" ? null : var.arn\n'
                                '    cloudfront_default_certificate = var.use_default') + \
        'variable "arn" {\n  type = string\n  default = ""\n  validation {\n    condition = contains(["", ' \
        '"arn:aws:acm:us-east-1:111122223333:certificate/x"], var.arn)\n    error_message = "x"\n  }\n}\n'
    result = scan([write("tf/main.tf", module).parent])
    assert findings(result, "PK302") == [("error", 'when var.arn=""')]  # whatever var.use_default is


@pytest.mark.parametrize(("value", "empty"), [
    (None, True), ("", True), ("arn:aws:acm:us-east-1:1:certificate/x", False),
    (Unknown("x", ResourceAttr("aws_acm_certificate.c", "arn")), False),
])
def test_what_the_provider_takes_for_empty(value: object, empty: bool) -> None:
    assert is_empty(value) is empty


def test_a_zero_response_completion_timeout_is_not_sent() -> None:
    origin = MDict()
    origin["response_completion_timeout"] = 0
    origins = MList()
    origins.add(origin, origins.mark)
    body = MDict()
    body["origin"] = origins
    sent = as_sent("aws_cloudfront_distribution", body)
    assert isinstance(sent, MDict) and "response_completion_timeout" not in sent["origin"][0]
    assert "response_completion_timeout" in origin  # the body read is not changed


def _sent_certificate(block: MDict) -> MDict:
    body = MDict()
    body["viewer_certificate"] = block
    sent = as_sent("aws_cloudfront_distribution", body)
    assert isinstance(sent, MDict)
    result: MDict = sent["viewer_certificate"]
    return result
