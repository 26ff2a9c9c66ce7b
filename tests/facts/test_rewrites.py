"""Functions that change what reaches the origin (policykit/facts/rewrites.py): an origin-request Lambda@Edge, or
a viewer-request CloudFront Function whose code changes the origin or Host, makes the findings that
depend on the Host CloudFront sends (PK202, PK203, PK207) warnings naming the function; other
origin findings stay errors and mention it."""

from __future__ import annotations

import pytest

from policykit.api import scan
from policykit.findings import Finding, Severity
from policykit.model.cloudfront import Origin
from tests.facts.helpers import origin
from tests.helpers import Write
from tests.templates import (
    ALL_VIEWER,
    CACHING_DISABLED,
    cfn_distribution,
    cfn_template,
    tf_default_behavior,
    tf_distribution,
    tf_origin,
)

FUNCTIONS = """\
  EdgeFn:
    Type: AWS::Lambda::Function
    Properties: {{Runtime: nodejs20.x, Handler: i.h, Role: r, Code: {{ZipFile: x}}}}
  EdgeVersion: {{Type: AWS::Lambda::Version, Properties: {{FunctionName: !Ref EdgeFn}}}}
  Router:
    Type: AWS::CloudFront::Function
    Properties:
      Name: router
      AutoPublish: true
      FunctionConfig: {{Comment: r, Runtime: cloudfront-js-2.0}}
      FunctionCode: |
        import cf from 'cloudfront';
        function handler(event) {{
          {code}
          return event.request;
        }}
"""


def template(associations: str = "", code: str = "", domain: str = "app.example.com") -> str:
    """An origin-request Lambda@Edge function and a viewer-request CloudFront Function running `code`, and a
    distribution forwarding Host to `domain` whose default behavior has `associations`."""
    return cfn_template(FUNCTIONS.format(code=code) + cfn_distribution(
        domain=domain, cache_policy=CACHING_DISABLED, custom_extra="              OriginSSLProtocols: [TLSv1.2]\n",
        behavior_extra=f"          OriginRequestPolicyId: {ALL_VIEWER}\n{associations}"))


ORIGIN_REQUEST = """\
          LambdaFunctionAssociations:
            - EventType: origin-request
              LambdaFunctionARN: !Ref EdgeVersion
"""
VIEWER_FUNCTION = """\
          FunctionAssociations:
            - EventType: viewer-request
              FunctionARN: !GetAtt Router.FunctionARN
"""


def findings(write: Write, policy: str, associations: str = "", code: str = "",
             domain: str = "app.example.com") -> list[Finding]:
    text = template(associations, code, domain)
    result = scan([write("t.yaml", text)])
    assert not result.errors, result.errors
    return [f for f in result.findings if f.policy_id == policy and not f.unknown]


def test_without_a_function_pk207_is_an_error(write: Write) -> None:
    found = findings(write, "PK207")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "Unless" not in found[0].message


def test_origin_request_lambda_makes_pk207_a_warning_naming_it(write: Write) -> None:
    # A vendor integration whose origin-request function answers every request: CloudFront never
    # connects to the origin with that Host.
    found = findings(write, "PK207", ORIGIN_REQUEST)
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "Unless origin-request Lambda@Edge EdgeFn answers the request itself or rewrites Host" in found[0].message


@pytest.mark.parametrize("code", [
    "cf.updateRequestOrigin({domainName: 'other.example.com'});",
    "cf.selectRequestOriginById('other');",
    "event.request.headers.host = {value: 'app.example.com'};",
    "event.request.headers['host'] = {value: 'app.example.com'};",
])
def test_viewer_function_changing_origin_or_host_makes_a_warning(write: Write, code: str) -> None:
    found = findings(write, "PK207", VIEWER_FUNCTION, code)
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "viewer-request CloudFront Function Router" in found[0].message


def test_viewer_function_that_touches_neither_keeps_the_error(write: Write) -> None:
    found = findings(write, "PK207", VIEWER_FUNCTION, "event.request.uri = event.request.uri + 'index.html';")
    assert [f.severity for f in found] == [Severity.ERROR]


def test_host_sensitive_endpoint_pk203_is_a_warning_with_a_function(write: Write) -> None:
    domain = "abc123.execute-api.us-east-1.amazonaws.com"
    assert [f.severity for f in findings(write, "PK203", domain=domain)] == [Severity.ERROR]
    found = findings(write, "PK203", ORIGIN_REQUEST, domain=domain)
    assert [f.severity for f in found] == [Severity.WARNING] and "EdgeFn" in found[0].message


def test_other_origin_findings_stay_errors_and_mention_the_function(write: Write) -> None:
    text = template(ORIGIN_REQUEST, domain="www.s3-website-us-east-1.amazonaws.com")
    result = scan([write("t.yaml", text)])
    pk101 = [f for f in result.findings if f.policy_id == "PK101" and not f.unknown]
    assert [f.severity for f in pk101] == [Severity.ERROR]
    assert "origin-request Lambda@Edge EdgeFn runs before CloudFront connects" in pk101[0].message


VIEWER_FUNCTION_TF = """\
    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.router.arn
    }
"""


def terraform(code: str, association: str = VIEWER_FUNCTION_TF) -> str:
    """A CloudFront Function `router` of `code` (an HCL expression), and a distribution forwarding Host whose default
    behavior has `association`."""
    policies = f'    cache_policy_id          = "{CACHING_DISABLED}"\n    origin_request_policy_id = "{ALL_VIEWER}"\n'
    return f"""
resource "aws_cloudfront_function" "router" {{
  name    = "router"
  runtime = "cloudfront-js-2.0"
  code    = {code}
}}
""" + tf_distribution(tf_origin('"app.example.com"') + tf_default_behavior(extra=policies + association))


@pytest.mark.parametrize(("code", "severity"), [
    ('"function handler(e) { cf.updateRequestOrigin({}); return e.request; }"', Severity.WARNING),
    ('file("${path.module}/router.js")', Severity.WARNING),  # not read: it may rewrite
    ('"function handler(e) { return e.request; }"', Severity.ERROR),
])
def test_terraform_function_code(write: Write, code: str, severity: Severity) -> None:
    directory = write("mod/main.tf", terraform(code)).parent
    found = [f for f in scan([directory]).findings if f.policy_id == "PK207" and not f.unknown]
    assert [f.severity for f in found] == [severity]


def test_terraform_origin_request_lambda_makes_pk207_a_warning(write: Write) -> None:
    origin_request = '''    lambda_function_association {
      event_type = "origin-request"
      lambda_arn = aws_lambda_function.edge.qualified_arn
    }
'''
    text = terraform('"function handler(e) { return e.request; }"', origin_request) + '''
resource "aws_lambda_function" "edge" {
  function_name = "edge"
  runtime       = "nodejs20.x"
  publish       = true
}
'''
    found = [f for f in scan([write("mod/main.tf", text).parent]).findings if f.policy_id == "PK207" and not f.unknown]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "origin-request Lambda@Edge aws_lambda_function.edge" in found[0].message


# The facts themselves on the origin (and on its names) of the template above.
def test_host_may_be_rewritten_by_an_origin_request_function_or_a_rewriting_viewer_function(write: Write) -> None:
    from policykit.facts.rewrites import function_note, host_may_be_rewritten, host_rewrite_note

    def app(associations: str = "", code: str = "") -> Origin:
        return origin(write(f"r{abs(hash(associations + code))}.yaml", template(associations, code)))

    plain = app()
    assert host_may_be_rewritten(plain) is False and host_rewrite_note(plain) == "" and function_note(plain) == ""
    lambda_edge = app(ORIGIN_REQUEST)
    assert host_may_be_rewritten(lambda_edge) is True
    assert host_rewrite_note(lambda_edge) == (
        " Unless origin-request Lambda@Edge EdgeFn answers the request itself or rewrites Host (it runs before "
        "CloudFront connects): check what it sends.")
    assert function_note(lambda_edge) == (
        " (origin-request Lambda@Edge EdgeFn runs before CloudFront connects: if it changes the origin, check what "
        "it sets.)")
    assert host_may_be_rewritten(app(VIEWER_FUNCTION, "request.headers.host = {value: 'x'};")) is True
    assert host_may_be_rewritten(app(VIEWER_FUNCTION, "cf.updateRequestOrigin({});")) is True
    assert host_may_be_rewritten(app(VIEWER_FUNCTION, "request.uri = '/';")) is False  # touches neither
    both = app(ORIGIN_REQUEST + VIEWER_FUNCTION, "cf.selectRequestOriginById('app');")
    assert host_rewrite_note(both).startswith(
        " Unless origin-request Lambda@Edge EdgeFn or viewer-request CloudFront Function Router answers")


def test_the_names_of_an_origin_carry_its_rewrite_facts(write: Write) -> None:
    from policykit.facts.rewrites import name_host_may_be_rewritten, name_host_rewrite_note
    from policykit.model.derived import OriginName

    found = origin(write("n.yaml", template(ORIGIN_REQUEST)))
    name = OriginName(origin=found, name="app.example.com", source="origin domain", needed=True,
                      certificate_names=[], certificates=[], resource="Distribution", loc=found.loc)
    assert name_host_may_be_rewritten(name) is True
    assert name_host_rewrite_note(name).startswith(" Unless origin-request Lambda@Edge EdgeFn answers")
    orphan = OriginName(origin=None, name="x", source="origin domain", needed=True, certificate_names=[],
                        certificates=[], resource="Distribution", loc=found.loc)
    assert name_host_may_be_rewritten(orphan) is False and name_host_rewrite_note(orphan) == ""
