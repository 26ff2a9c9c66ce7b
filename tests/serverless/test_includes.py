"""Files a service includes (policykit/serverless/includes.py): read from the service's directory only, once,
bounded, findings pointing into them; a `resources` file scanned on its own is read with the same variables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policykit import api
from policykit.core.values import Partial
from tests.helpers import RunCli, Write, line_of
from tests.serverless.helpers import distribution_of, model_of

SERVICE = """\
service: shop
provider: {name: aws}
custom:
  domain: example.com
resources:
  - ${file(resources/cdn.yml)}
  - Outputs:
      SiteId: {Value: !Ref Site}
"""
# The case: a resources file whose aliases are the framework's variables.
CDN = """\
Resources:
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases:
          - ${self:service}-blue.${self:custom.domain}
        Origins:
          - Id: site
            DomainName: site.s3-website-us-east-1.amazonaws.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}
"""


def test_findings_point_into_the_included_file(write: Write, tmp_path: Path) -> None:
    service = write("serverless.yml", SERVICE)
    cdn = write("resources/cdn.yml", CDN)
    result = api.scan([tmp_path])
    assert result.files == (str(service),)
    assert result.distributions == {str(service): 1}
    pk101 = [f for f in result.findings if f.policy_id == "PK101"]
    assert [(f.location.file, f.location.line) for f in pk101] == [(str(cdn), line_of(cdn, "OriginProtocolPolicy"))]
    assert [a.name for a in distribution_of(service, "Site").aliases] == ["shop-blue.example.com"]
    assert result.notes == (f"{cdn}: skipped, read as part of the Serverless service {service}, which includes it",)


def test_a_resources_file_on_its_own_has_unknown_aliases_not_pk307(write: Write) -> None:
    cdn = write("cdn.yml", CDN)
    result = api.scan([cdn])
    assert result.errors == ()
    assert result.distributions == {str(cdn): 1}
    assert [f for f in result.findings if f.policy_id == "PK307" and not f.unknown] == []
    assert [f.subject for f in result.findings if f.policy_id == "PK307"] == [
        "alias '${self:service}-blue.${self:custom.domain}'"]  # not checked: its value is the service's
    assert "PK101" in {f.policy_id for f in result.findings}
    [alias] = model_of(cdn).distributions[0].aliases
    assert isinstance(alias.name, Partial)
    assert str(alias.name) == "${self:service}-blue.${self:custom.domain}"


def test_cli_on_a_resources_file_alone_reports_its_real_finding_only(run_cli: RunCli, write: Write) -> None:
    cdn = write("cdn.yml", CDN)
    code, out, err = run_cli("scan", str(cdn))
    assert code == 1, err
    assert "PK307" not in out and "error PK101" in out


def test_resources_from_a_json_file(write: Write) -> None:
    service = write("serverless.yml", SERVICE.replace("  - ${file(resources/cdn.yml)}\n",
                                                      "  - Resources: ${file(./resources.json):Resources}\n"))
    write("resources.json", """{"Resources": {"Site": {"Type": "AWS::CloudFront::Distribution", "Properties": {
  "DistributionConfig": {"Enabled": true, "Aliases": ["${self:custom.domain}"],
    "Origins": [{"Id": "a", "DomainName": "a.example.com",
                 "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}],
    "DefaultCacheBehavior": {"TargetOriginId": "a", "ViewerProtocolPolicy": "allow-all"}}}}}}
""")
    assert [a.name for a in distribution_of(service, "Site").aliases] == ["example.com"]


def test_a_file_outside_the_service_directory_is_not_read(write: Write, tmp_path: Path) -> None:
    write("outside/cdn.yml", CDN)
    service = write("svc/serverless.yml", SERVICE.replace("resources/cdn.yml", "../outside/cdn.yml"))
    (tmp_path / "svc" / "linked.yml").symlink_to(tmp_path / "outside" / "cdn.yml")
    for written in ("../outside/cdn.yml", "linked.yml", str(tmp_path / "outside" / "cdn.yml")):
        service.write_text(SERVICE.replace("resources/cdn.yml", written), encoding="utf-8")
        result = api.scan([service])
        assert result.errors == ()
        assert result.distributions == {str(service): 0}, written
        assert [f for f in result.findings if f.location.file.endswith("cdn.yml")] == []
        # never silently: what is not read is said, with where it is named
        assert result.notes == (f"{service}:{line_of(service, 'file(')}: ${{file({written})}} is outside the "
                                "service's directory: not read; what it holds is not checked",), result.notes


def test_a_value_from_a_file_not_read_is_unknown_with_why(write: Write) -> None:
    service = write("serverless.yml", SERVICE.replace("  domain: example.com",
                                                      "  domain: ${file(../config.yml):domain}"))
    write("resources/cdn.yml", CDN)
    [alias] = distribution_of(service, "Site").aliases
    assert isinstance(alias.name, Partial)
    assert "outside the service's directory" in alias.name.reason


def test_a_missing_file_gives_the_fallback(write: Write) -> None:
    service = write("serverless.yml", SERVICE.replace("  domain: example.com",
                                                      "  domain: ${file(./config.${sls:stage}.yml):domain, "
                                                      "file(./config.yml):domain}"))
    write("config.yml", "domain: example.net\n")
    write("resources/cdn.yml", CDN)
    assert [a.name for a in distribution_of(service, "Site").aliases] == ["shop-blue.example.net"]


def test_javascript_is_never_run(write: Write, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write("domain.js", f"require('fs').writeFileSync({str(marker)!r}, 'x'); module.exports = {{domain: 'x'}};\n")
    service = write("serverless.yml", SERVICE.replace("  domain: example.com", "  domain: ${file(./domain.js):domain}"))
    write("resources/cdn.yml", CDN)
    alias = distribution_of(service, "Site").aliases[0].name
    assert isinstance(alias, Partial) and "never run" in alias.reason
    assert not marker.exists()


def test_a_file_that_includes_itself_ends(write: Write) -> None:
    service = write("serverless.yml", SERVICE.replace("  domain: example.com", "  domain: ${file(./loop.yml):a}"))
    write("loop.yml", "a: ${file(./loop.yml):a}\n")
    write("resources/cdn.yml", CDN)
    result = api.scan([service])
    assert result.errors == ()
    assert isinstance(distribution_of(service, "Site").aliases[0].name, Partial)


def test_a_broken_included_file_is_an_error_naming_both(write: Write) -> None:
    service = write("serverless.yml", SERVICE)
    cdn = write("resources/cdn.yml", "Resources: [\n")
    result = api.scan([service])
    [error] = result.errors
    assert error.file == str(cdn)
    assert f"included at line {line_of(service, 'file(resources')} of {service}" in error.message


def test_keys_written_twice_in_an_included_file(write: Write) -> None:
    service = write("serverless.yml", SERVICE)
    cdn = write("resources/cdn.yml", CDN.replace("        Enabled: true\n", "        Enabled: true\n" * 2))
    result = api.scan([service])
    assert [(f.location.file, f.location.line) for f in result.findings if f.policy_id == "PK006"] == [
        (str(cdn), line_of(cdn, "Enabled", after="Enabled") + 1)]


def test_a_suppression_in_an_included_file_covers_its_findings(write: Write) -> None:
    service = write("serverless.yml", SERVICE)
    write("resources/cdn.yml", CDN.replace("    Type: AWS::CloudFront::Distribution\n", """\
    Type: AWS::CloudFront::Distribution
    Metadata:
      policykit:
        ignore:
          - {id: PK101, reason: the origin is moving to the REST endpoint}
"""))
    result = api.scan([service])
    pk101 = [f for f in result.findings if f.policy_id == "PK101"]
    assert len(pk101) == 1 and pk101[0].suppressed
    assert [f for f in result.findings if f.policy_id == "PK003"] == []


def test_includes_are_read_relative_to_the_service_not_the_working_directory(
        write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write("svc/serverless.yml", SERVICE)
    cdn = write("svc/resources/cdn.yml", CDN)
    monkeypatch.chdir(tmp_path)
    result = api.scan([Path("svc")])
    assert result.distributions == {os.path.join("svc", "serverless.yml"): 1}
    assert {f.location.file for f in result.findings if f.policy_id == "PK101"} == {
        os.path.join("svc", "resources", "cdn.yml")}
    assert cdn.exists()


def test_an_error_in_an_included_file_names_that_file(write: Write) -> None:
    service = write("serverless.yml", SERVICE)
    cdn = write("resources/cdn.yml", CDN.replace("Resources:\n", "Conditions:\n  A: !Condition B\n  B: !Condition A\n"
                                                 "Resources:\n", 1).replace(
        "    Type: AWS::CloudFront::Distribution\n", "    Type: AWS::CloudFront::Distribution\n    Condition: A\n"))
    [error] = api.scan([service]).errors
    assert (error.file, "uses itself" in error.message) == (str(cdn), True)
    assert error.line in (line_of(cdn, "A: !Condition"), line_of(cdn, "B: !Condition"))
