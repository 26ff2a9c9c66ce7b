"""Endpoint shapes (policykit/model/beanstalk.py and the shapes tables): Elastic Beanstalk's EndpointURL from its
OptionSettings, and the other attributes that name AWS endpoints (Global Accelerator, App Runner, Amplify,
OpenSearch, API Gateway custom domains, instance and Elastic IP addresses), in CloudFormation and Terraform."""

from __future__ import annotations

import pytest

from policykit.api import scan
from policykit.findings import ScanResult
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

CERTIFICATE = """\
        Aliases: [www.example.com]
        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/x
          SslSupportMethod: sni-only
"""


def template(resources: str, domain: str, protocol: str = "match-viewer", request_policy: str = "") -> str:
    """`resources` and a distribution with an alias and its certificate, whose origin is `domain`."""
    return cfn_template(resources.rstrip("\n") + "\n" + cfn_distribution(
        domain=domain, protocol=protocol, cache_policy=CACHING_DISABLED, config_extra=CERTIFICATE,
        behavior_extra=request_policy))


def beanstalk(options: str = "", extra: str = "") -> str:
    return f"""\
  Env:
    Type: AWS::ElasticBeanstalk::Environment
    Properties:
      ApplicationName: app
      SolutionStackName: "64bit Amazon Linux 2023 v6.1.0 running Node.js 20"
{extra}      OptionSettings:
        - {{Namespace: "aws:elasticbeanstalk:environment", OptionName: ServiceRole, Value: r}}
{options}"""


def decided(result: ScanResult) -> dict[str, str]:
    return {f.policy_id: f.scenario for f in result.findings if not f.unknown and f.severity.value == "error"}


def test_load_balanced_beanstalk_endpoint_is_its_load_balancer(write: Write) -> None:
    # The default EnvironmentType is LoadBalanced: EndpointURL is the ELB's name, so HTTPS to it is PK201.
    result = scan([write("t.yaml", template(beanstalk(), "!GetAtt Env.EndpointURL"))])
    assert decided(result) == {"PK201": ""}
    assert "${Env}.elb.amazonaws.com" in next(f.message for f in result.findings if f.policy_id == "PK201")


def test_single_instance_beanstalk_endpoint_is_an_ip_address(write: Write) -> None:
    options = '        - {Namespace: "aws:elasticbeanstalk:environment", OptionName: EnvironmentType, ' \
              'Value: SingleInstance}\n'
    result = scan([write("t.yaml", template(beanstalk(options), "!GetAtt Env.EndpointURL"))])
    assert decided(result) == {"PK103": ""}
    assert "IP address" in next(f.message for f in result.findings if f.policy_id == "PK103")


def test_environment_type_from_a_parameter_is_two_scenarios(write: Write) -> None:
    text = template(beanstalk('        - {Namespace: "aws:elasticbeanstalk:environment", OptionName: EnvironmentType, '
                              'Value: !Ref Tier}\n'), "!GetAtt Env.EndpointURL")
    text = text.replace("Resources:\n", "Parameters:\n  Tier: {Type: String, Default: LoadBalanced, "
                        "AllowedValues: [LoadBalanced, SingleInstance]}\nResources:\n", 1)
    assert decided(scan([write("t.yaml", text)])) == {"PK201": "when Tier=LoadBalanced",
                                                      "PK103": "when Tier=SingleInstance"}


def test_configuration_template_makes_the_endpoint_unknown(write: Write) -> None:
    result = scan([write("t.yaml", template(beanstalk(extra="      TemplateName: base\n"), "!GetAtt Env.EndpointURL"))])
    assert decided(result) == {}


def test_internal_beanstalk_load_balancer_is_pk108(write: Write) -> None:
    options = '        - {Namespace: "aws:ec2:vpc", OptionName: ELBScheme, Value: internal}\n'
    result = scan([write("t.yaml", template(beanstalk(options), "!GetAtt Env.EndpointURL", protocol="http-only"))])
    assert "PK108" in decided(result)
    assert "PK106" not in decided(result)  # listeners may come from .ebextensions: not guessed


FORWARD_HOST = f"          OriginRequestPolicyId: {ALL_VIEWER}\n"


@pytest.mark.parametrize(("resources", "domain", "protocol", "policy", "expected"), [
    ("  Ga: {Type: AWS::GlobalAccelerator::Accelerator, Properties: {Name: ga}}", "!GetAtt Ga.DnsName",
     "https-only", "", "PK201"),
    ("  Vm: {Type: AWS::EC2::Instance}", "!GetAtt Vm.PublicIp", "http-only", "", "PK103"),
    ("  Ip: {Type: AWS::EC2::EIP}", "!Ref Ip", "http-only", "", "PK103"),
    ("  Svc: {Type: AWS::AppRunner::Service}", "!GetAtt Svc.ServiceUrl", "https-only", FORWARD_HOST, "PK203"),
    ("  App: {Type: AWS::Amplify::App}", "!GetAtt App.DefaultDomain", "https-only", FORWARD_HOST, "PK203"),
    ("  Search: {Type: AWS::OpenSearchService::Domain}", "!GetAtt Search.DomainEndpoint", "https-only", FORWARD_HOST,
     "PK203"),
    ("  Custom: {Type: AWS::ApiGateway::DomainName}", "!GetAtt Custom.RegionalDomainName", "https-only", FORWARD_HOST,
     "PK203"),
])
def test_attributes_naming_aws_endpoints(write: Write, resources: str, domain: str, protocol: str, policy: str,
                                         expected: str) -> None:
    result = scan([write("t.yaml", template(resources, domain, protocol, policy))])
    assert expected in decided(result), [f.message for f in result.findings if not f.unknown]


TERRAFORM = """
variable "tier" {
  type    = string
  default = "LoadBalanced"
  validation {
    condition     = contains(["LoadBalanced", "SingleInstance"], var.tier)
    error_message = "LoadBalanced or SingleInstance"
  }
}

resource "aws_elastic_beanstalk_environment" "env" {
  name                = "app"
  application         = "app"
  solution_stack_name = "64bit Amazon Linux 2023 v6.1.0 running Node.js 20"
  setting {
    namespace = "aws:elasticbeanstalk:environment"
    name      = "EnvironmentType"
    value     = var.tier
  }
}
""" + tf_distribution(tf_origin("aws_elastic_beanstalk_environment.env.endpoint_url", '"match-viewer"')
                      + tf_default_behavior(extra=f'    cache_policy_id        = "{CACHING_DISABLED}"\n'))


def test_terraform_beanstalk_endpoint_url(write: Write) -> None:
    directory = write("mod/main.tf", TERRAFORM).parent
    assert decided(scan([directory])) == {"PK201": "when var.tier=LoadBalanced",
                                          "PK103": "when var.tier=SingleInstance"}


def test_terraform_instance_address(write: Write) -> None:
    text = TERRAFORM.replace("aws_elastic_beanstalk_environment.env.endpoint_url", "aws_eip.ip.public_ip")
    text = text.replace('resource "aws_elastic_beanstalk_environment" "env" {', 'resource "aws_eip" "ip" {}\n'
                        'resource "aws_elastic_beanstalk_environment" "env" {')
    assert "PK103" in decided(scan([write("mod/main.tf", text).parent]))
