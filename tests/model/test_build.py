"""The one model builder (policykit/model/build.py): CloudFormation and Terraform read alike, and unknowns live
inside the values.

Each case here is one the two former builders (cfn/to_model.py, terraform/to_model.py) got
wrong on one side: the test names the case and checks both formats where the shape exists.
"""

from __future__ import annotations

from pathlib import Path

from policykit.api import ScanOptions, scan
from policykit.findings import Finding, Severity
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template, tf_default_behavior, tf_distribution, tf_origin


def _findings(path: Path, policy_id: str) -> list[Finding]:
    result = scan([path], ScanOptions())
    assert not result.errors, result.errors
    return [f for f in result.findings if f.policy_id == policy_id]


def _errors(path: Path, policy_id: str) -> list[Finding]:
    return [f for f in _findings(path, policy_id) if not f.unknown and f.severity is Severity.ERROR]


# -- PK504: a custom header is linked to its origin (Terraform said "(not set) of (not set)") ---------------

def test_refused_custom_header_names_its_origin_and_distribution_in_both_formats(write: Write) -> None:
    tf_header = '    custom_header {\n      name  = "Host"\n      value = "www.example.com"\n    }\n'
    tf_body = tf_origin('"origin.example.com"', extra=tf_header) + tf_default_behavior()
    tf = write("tf/main.tf", tf_distribution(tf_body, name="site"))
    cfn_header = ("            OriginCustomHeaders:\n"
                  "              - HeaderName: Host\n                HeaderValue: www.example.com\n")
    cfn = write("cfn.yaml", cfn_template(cfn_distribution(cache_policy=None, origin_extra=cfn_header)))
    (tf_finding,) = _errors(tf.parent, "PK504")
    (cfn_finding,) = _errors(cfn, "PK504")
    assert "(not set)" not in tf_finding.message
    assert tf_finding.message.startswith("origin 'app' of distribution aws_cloudfront_distribution.site ")
    assert cfn_finding.message.startswith("origin 'app' of distribution Distribution ")


# -- PK401: `${f.arn}:${f.version}` with publish = true is a numbered version ---------------------------------

def _edge_module(publish: str, arn: str) -> str:
    function = f"""
resource "aws_lambda_function" "edge" {{
  function_name = "edge"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  role          = "arn:aws:iam::123456789012:role/edge"
  filename      = "edge.zip"
{publish}
}}
"""
    association = (f'    lambda_function_association {{\n      event_type = "origin-request"\n'
                   f"      lambda_arn = {arn}\n    }}\n")
    return function + tf_distribution(tf_origin('"origin.example.com"') + tf_default_behavior(extra=association),
                                      name="site")


def test_joined_arn_and_version_of_a_publishing_function_is_a_version(write: Write) -> None:
    joined = '"${aws_lambda_function.edge.arn}:${aws_lambda_function.edge.version}"'
    module = write("pub/main.tf", _edge_module(publish="  publish = true", arn=joined)).parent
    assert _errors(module, "PK401") == []


def test_joined_arn_and_version_without_publish_is_latest(write: Write) -> None:
    joined = '"${aws_lambda_function.edge.arn}:${aws_lambda_function.edge.version}"'
    module = write("nopub/main.tf", _edge_module(publish="", arn=joined)).parent
    (finding,) = _errors(module, "PK401")
    assert "$LATEST" in finding.message or "latest" in finding.message.lower()


def test_arn_with_a_literal_version_number_is_a_version_in_both_formats(write: Write) -> None:
    module = write("lit/main.tf", _edge_module(publish="", arn='"${aws_lambda_function.edge.arn}:7"')).parent
    assert _errors(module, "PK401") == []
    edge = """\
  Edge:
    Type: AWS::Lambda::Function
    Properties: {Runtime: nodejs20.x, Handler: index.handler, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}}
  EdgeVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Edge}
"""
    associations = """\
          LambdaFunctionAssociations:
            - EventType: origin-request
              LambdaFunctionARN: !Sub "${Edge.Arn}:7"
            - EventType: viewer-request
              LambdaFunctionARN: !Sub "${Edge.Arn}:${EdgeVersion.Version}"
"""
    cfn = write("lit.yaml", cfn_template(edge + cfn_distribution(cache_policy=None, behavior_extra=associations)))
    assert _errors(cfn, "PK401") == []


# -- PK201: behaviors that may be more than the known ones (dynamic blocks) decide nothing ------------------

def test_dynamic_behaviors_over_an_unknown_variable_make_host_forwarding_unknown(write: Write) -> None:
    body = tf_origin("aws_lb.app.dns_name") + """
  dynamic "ordered_cache_behavior" {
    for_each = var.behaviors
    content {
      path_pattern           = ordered_cache_behavior.value.path
      target_origin_id       = "app"
      viewer_protocol_policy = "redirect-to-https"
      allowed_methods        = ["GET", "HEAD"]
      cached_methods         = ["GET", "HEAD"]
      origin_request_policy_id = ordered_cache_behavior.value.policy
    }
  }""" + tf_default_behavior()
    module = write("dyn/main.tf", 'variable "behaviors" {}\nresource "aws_lb" "app" {\n  name = "app"\n}\n'
                   + tf_distribution(body, name="site")).parent
    assert _errors(module, "PK201") == []
    (unknown,) = _findings(module, "PK201")
    assert unknown.unknown and "dynamic" in unknown.message
    # with the behaviors known (none), the error is certain
    known = write("known/main.tf", 'variable "behaviors" {\n  default = []\n}\n'
                  'resource "aws_lb" "app" {\n  name = "app"\n}\n' + tf_distribution(body, name="site")).parent
    assert len(_errors(known, "PK201")) == 1


def test_cfn_behaviors_list_only_known_at_deployment_makes_host_forwarding_unknown(write: Write) -> None:
    alb = ("  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
           "    Properties: {Subnets: [subnet-1, subnet-2]}\n")
    behaviors = "        CacheBehaviors: !Ref Behaviors\n"
    cfn = write("list.yaml", cfn_template(alb + cfn_distribution(domain="!GetAtt Alb.DNSName", cache_policy=None,
                                                                 config_extra=behaviors),
                                          parameters="  Behaviors: {Type: String}\n"))
    assert _errors(cfn, "PK201") == []
    assert [f.unknown for f in _findings(cfn, "PK201")] == [True]
