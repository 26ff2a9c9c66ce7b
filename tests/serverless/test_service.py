"""A Serverless service read as the template it deploys (policykit/serverless/service.py): its `resources` are
scanned, its variables resolved where the files say and unknown elsewhere, never an error on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit import api
from policykit.core.values import Partial, Unknown
from tests.helpers import RunCli, Write, line_of
from tests.serverless.helpers import distribution_of, template_of

# A distribution in `resources`, behind an S3 website endpoint reached over HTTPS (PK101), with aliases made of
# the framework's variables and a certificate that covers none of them (PK301 names each alias it can read).
SERVICE = """\
service: shop
frameworkVersion: "4"
provider:
  name: aws
  stage: ${opt:stage, 'dev'}
custom:
  domain: example.com
functions:
  hello:
    handler: handler.hello
resources:
  Resources:
    Certificate:
      Type: AWS::CertificateManager::Certificate
      Properties:
        DomainName: www.example.org
    Site:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Enabled: true
          Aliases:
            - ${self:service}-blue.${self:custom.domain}
            - ${self:service}-${sls:stage}.${self:custom.domain}
          ViewerCertificate:
            AcmCertificateArn: !Ref Certificate
            SslSupportMethod: sni-only
          Origins:
            - Id: site
              DomainName: ${self:service}-site.s3-website-us-east-1.amazonaws.com
              CustomOriginConfig:
                OriginProtocolPolicy: https-only
          DefaultCacheBehavior:
            TargetOriginId: site
            ViewerProtocolPolicy: redirect-to-https
            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


def test_a_full_service_file_is_scanned_not_skipped(write: Write) -> None:
    path = write("serverless.yml", SERVICE)
    result = api.scan([path])
    assert result.skipped == ()
    assert result.files == (str(path),)
    assert result.distributions == {str(path): 1}
    pk101 = [f for f in result.findings if f.policy_id == "PK101"]
    assert [(f.location.line, f.distribution) for f in pk101] == [(line_of(path, "OriginProtocolPolicy: https"),
                                                                   "Site")]
    assert "shop-site.s3-website-us-east-1.amazonaws.com" in pk101[0].message


def test_self_references_resolve_and_are_no_dns_name_error(write: Write) -> None:
    path = write("serverless.yml", SERVICE)
    result = api.scan([path])
    assert [f for f in result.findings if f.policy_id == "PK307"] == []
    pk301 = sorted((f.location.line, f.subject) for f in result.findings if f.policy_id == "PK301" and not f.unknown)
    assert pk301 == [(line_of(path, "-blue."), "alias 'shop-blue.example.com'"),
                     (line_of(path, "${sls:stage}."), "alias 'shop-dev.example.com'")]  # the default stage


def test_a_deploy_time_value_given_as_a_parameter_is_used(write: Write) -> None:
    path = write("serverless.yml", SERVICE)
    result = api.scan([path], api.ScanOptions(params={"opt:stage": "prod"}))
    assert "alias 'shop-prod.example.com'" in {f.subject for f in result.findings if f.policy_id == "PK301"}


@pytest.mark.parametrize("variable", [
    "${opt:domain}", "${env:SITE_HOST}", "${ssm:/shop/origin}", "${ssm(us-east-1, raw):/shop/origin}",
    "${aws:ssm:/shop/origin}", "${cf:network.OriginHost}", "${cf(eu-west-1):network.OriginHost}",
    "${param:origin}", "${s3:bucket/key}", "${output:network.host}", "${sls:instanceId}", "${aws:accountId}",
    "${file(./origin.js):host}", "${self:custom.nothing}", "${custom:resolver:key}",
])
def test_every_other_variable_is_unknown_never_an_error(write: Write, variable: str) -> None:
    path = write("serverless.yml", SERVICE.replace("${self:service}-site.s3-website-us-east-1.amazonaws.com",
                                                   f"{variable}.example.net").replace(
        "- ${self:service}-blue.${self:custom.domain}", f"- {variable}"))
    result = api.scan([path])
    assert result.errors == ()
    assert result.distributions == {str(path): 1}
    assert [f.policy_id for f in result.findings if not f.unknown and f.severity.value == "error"] == ["PK301"]
    origin = distribution_of(path, "Site").origins[0]
    assert isinstance(origin.domain_name, Partial)
    assert str(origin.domain_name).endswith(".example.net")


def test_a_literal_fallback_is_the_default_scenario(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("- ${self:service}-blue.${self:custom.domain}",
                                                   "- ${env:HOST, 'www'}.${self:custom.domain}"))
    aliases = [a.name for a in distribution_of(path, "Site").aliases]
    assert aliases == ["www.example.com", "shop-dev.example.com"]
    parameters = template_of(path).root["Parameters"]
    assert parameters["env:HOST"] == {"Type": "String", "Default": "www"}
    assert parameters["opt:stage"] == {"Type": "String", "Default": "dev"}  # ${sls:stage} is this option too


def test_a_variable_with_no_fallback_is_unknown_and_named(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("- ${self:service}-blue.${self:custom.domain}",
                                                   "- ${opt:host}.${self:custom.domain}"))
    alias = distribution_of(path, "Site").aliases[0].name
    assert isinstance(alias, Partial)
    assert str(alias) == "${opt:host}.example.com"
    assert "opt:host" in alias.reason


def test_conditions_over_a_variable_are_scenarios(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("""  Resources:
    Certificate:""", """  Conditions:
    IsProd: !Equals ["${sls:stage}", prod]
  Resources:
    Certificate:""").replace("""          Enabled: true
""", """          Enabled: true
          Comment: !If [IsProd, production, other]
""").replace("${self:service}-blue.${self:custom.domain}", "!If [IsProd, www.example.com, dev.example.com]"))
    result = api.scan([path])
    pk301 = sorted(f.message for f in result.findings if f.policy_id == "PK301" and "example.com'" in f.subject
                   and f.subject.startswith("alias 'www"))
    assert pk301 and all("opt:stage=prod" in message for message in pk301)


def test_a_service_of_another_provider_is_not_read(write: Write) -> None:
    path = write("serverless.yml", "service: x\nprovider:\n  name: azure\nfunctions: {}\n")
    result = api.scan([path])
    assert result.skipped == (str(path),)
    assert result.errors == ()


def test_a_service_file_by_another_name_is_read_by_its_content(write: Write) -> None:
    path = write("deploy/sls-prod.yml", SERVICE)
    result = api.scan([path.parent])
    assert result.distributions == {str(path): 1}
    assert "PK101" in {f.policy_id for f in result.findings}


def test_a_json_service_is_read(write: Write) -> None:
    path = write("serverless.json", """{
  "service": "shop",
  "provider": {"name": "aws"},
  "custom": {"domain": "example.com"},
  "resources": {"Resources": {"Site": {"Type": "AWS::CloudFront::Distribution", "Properties": {
    "DistributionConfig": {"Enabled": true, "Aliases": ["${self:service}.${self:custom.domain}"],
      "Origins": [{"Id": "a", "DomainName": "a.s3-website-us-east-1.amazonaws.com",
                   "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}],
      "DefaultCacheBehavior": {"TargetOriginId": "a", "ViewerProtocolPolicy": "allow-all"}}}}}}
}
""")
    assert [a.name for a in distribution_of(path, "Site").aliases] == ["shop.example.com"]
    assert "PK101" in {f.policy_id for f in api.scan([path]).findings}


def test_resources_given_as_a_list_are_merged(write: Write) -> None:
    path = write("serverless.yml", """\
service: shop
provider: {name: aws}
resources:
  - Resources:
      Site:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            Origins:
              - Id: a
                DomainName: a.example.com
                CustomOriginConfig: {OriginProtocolPolicy: https-only}
            DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: https-only}
  - Resources:
      Site:
        Properties:
          DistributionConfig:
            Aliases: [shop.example.com]
            Origins:
              - DomainName: b.example.com
  - Outputs:
      SiteId: {Value: !Ref Site}
""")
    site = distribution_of(path, "Site")
    assert [a.name for a in site.aliases] == ["shop.example.com"]
    # lodash merges lists item by item: the second file's first origin changes the first one's domain only
    assert [(o.id, o.domain_name, o.protocol_policy) for o in site.origins] == [("a", "b.example.com", "https-only")]


def test_extensions_set_properties_of_compiled_resources(write: Write) -> None:
    path = write("serverless.yml", """\
service: shop
provider: {name: aws}
functions:
  edge:
    handler: h.handler
    events:
      - cloudFront: {eventType: viewer-request, origin: "https://app.example.com"}
resources:
  extensions:
    EdgeLambdaFunction:
      Properties:
        MemorySize: 512
""")
    function = distribution_of(path).default_behavior.lambda_associations[0].function
    assert function is not None and function.memory_size == 512
    result = api.scan([path])
    assert [f.location.line for f in result.findings if f.policy_id == "PK404"] == [line_of(path, "MemorySize: 512")]


def test_keys_written_twice_are_refused_by_the_framework_and_said(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("  domain: example.com\n", "  domain: example.org\n"
                                                                               "  domain: example.com\n"))
    result = api.scan([path])
    pk006 = [f for f in result.findings if f.policy_id == "PK006"]
    assert [f.location.line for f in pk006] == [line_of(path, "domain: example.com")]
    assert "Serverless Framework refuses" in pk006[0].message


def test_a_variable_cycle_is_unknown(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("  domain: example.com\n",
                                                   "  domain: ${self:custom.other}\n  other: ${self:custom.domain}\n"))
    result = api.scan([path])
    assert result.errors == ()
    alias = distribution_of(path, "Site").aliases[0].name
    assert isinstance(alias, Partial)
    assert any(isinstance(p, Unknown) and "refers to itself" in p.reason for p in alias.parts)


def test_cli_scan_of_a_service(run_cli: RunCli, write: Write, tmp_path: Path) -> None:
    write("serverless.yml", SERVICE)
    code, out, err = run_cli("scan", str(tmp_path))
    assert code == 1, err
    assert "PK101" in out and "1 distribution(s)" in out


def test_a_param_sets_a_framework_variable_and_a_misspelt_one_is_exit_2(run_cli: RunCli, write: Write,
                                                                        tmp_path: Path) -> None:
    """A service declares its deploy-time variables as the template's parameters (`opt:stage`): `--param` may set
    them, and one it does not use is the same input error as for a CloudFormation template (no silent pass)."""
    write("serverless.yml", SERVICE)
    code, out, err = run_cli("scan", str(tmp_path), "--param", "opt:stage=prod")
    assert code == 1 and "shop-prod.example.com" in out, err
    code, _, err = run_cli("scan", str(tmp_path), "--param", "opt:stag=prod")
    assert code == 2 and "--param opt:stag: no scanned CloudFormation template declares this parameter" in err
    assert "(did you mean opt:stage?)" in err
