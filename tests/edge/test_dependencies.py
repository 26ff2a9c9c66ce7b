"""A module a handler imports and this machine lacks (policykit/edge/dependencies.py): declared in the function's
manifest (the deployed bundle has it: PK716, reason dependency), provided by Lambda (the AWS SDK: PK716), or neither
(Lambda@Edge has no layers: PK715, saying so); `scan --edge` runs `sam build`'s output when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit import api
from policykit.edge.dependencies import judge
from tests.helpers import RunCli, Write

NODE_JWT = "const jwt = require('jsonwebtoken');\nexports.handler = async (e) => e.Records[0].cf.request;\n"
PYTHON_JWT = "import jwt\n\n\ndef handler(event, context):\n    return event['Records'][0]['cf']['request']\n"


def _run(run_cli: RunCli, handler: Path, *extra: str) -> list[dict[str, object]]:
    code, out, err = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--format", "json",
                             *extra)
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    assert code == (1 if any(f["severity"] == "error" for f in findings) else 0), err
    return findings


def _said(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(f["policy_id"], dict(f["evidence"]).get("reason")) for f in findings]  # type: ignore[call-overload]


@pytest.mark.parametrize(("name", "code"), [
    ("index.js", NODE_JWT),
    ("index.mjs", "import jwt from 'jsonwebtoken/sign.js';\n"
                  "export const handler = async (e) => e.Records[0].cf.request;\n"),
])
def test_a_declared_node_dependency_not_installed_is_a_note(run_cli: RunCli, write: Write, node: str, name: str,
                                                            code: str) -> None:
    write("fn/package.json", json.dumps({"name": "fn", "dependencies": {"jsonwebtoken": "^9.0.0"}}))
    findings = _run(run_cli, write(f"fn/{name}", code))
    assert _said(findings) == [("PK716", "dependency")]
    message = str(findings[0]["message"])
    assert "dependency jsonwebtoken is declared in" in message and "npm ci --omit=dev" in message


@pytest.mark.parametrize("manifest", [None, {"name": "fn", "devDependencies": {"jsonwebtoken": "^9.0.0"}}])
def test_an_undeclared_node_module_is_a_failure(run_cli: RunCli, write: Write, node: str,
                                                manifest: dict[str, object] | None) -> None:
    if manifest is not None:  # a devDependency is left out of a deployment bundle
        write("fn/package.json", json.dumps(manifest))
    findings = _run(run_cli, write("fn/index.js", NODE_JWT))
    assert _said(findings) == [("PK715", None)]
    assert "jsonwebtoken is neither installed nor declared" in str(findings[0]["message"])
    assert "Lambda@Edge has no layers" in str(findings[0]["message"])


def test_a_declared_python_dependency_not_installed_is_a_note(run_cli: RunCli, write: Write) -> None:
    write("py/requirements.txt", "# runtime\nPyJWT==2.8.0  # tokens\n--index-url https://example.invalid/simple\n")
    findings = _run(run_cli, write("py/app.py", PYTHON_JWT))
    assert _said(findings) == [("PK716", "dependency")]
    assert "pip install -r" in str(findings[0]["message"])


def test_an_undeclared_python_module_is_a_failure(run_cli: RunCli, write: Write) -> None:
    write("py/requirements.txt", "requests==2.32.0\n")
    findings = _run(run_cli, write("py/app.py", PYTHON_JWT))
    assert _said(findings) == [("PK715", None)] and "jwt is neither installed nor declared" in str(
        findings[0]["message"])


@pytest.mark.parametrize(("module", "language", "runtime", "verdict"), [
    ("boto3", "python", "python3.12", "provided"),
    ("@aws-sdk/client-s3", "nodejs", "nodejs20.x", "provided"),
    ("@aws-sdk/client-s3", "nodejs", None, "provided"),
    ("aws-sdk", "nodejs", "nodejs16.x", "provided"),
    ("aws-sdk", "nodejs", None, "provided"),
    ("aws-sdk", "nodejs", "nodejs20.x", "undeclared"),  # SDK v2 is not in the nodejs18.x and later runtimes
    ("jwt", "python", None, "undeclared"),
])
def test_what_lambda_provides(tmp_path: Path, module: str, language: str, runtime: str | None, verdict: str) -> None:
    assert judge(module, language, runtime, [tmp_path]).verdict == verdict


@pytest.mark.parametrize(("requirement", "module", "declared"), [
    ("PyJWT>=2", "jwt", True), ("pyyaml", "yaml", True), ("python-jose[cryptography]", "jose", True),
    ("Pillow", "PIL", True), ("beautifulsoup4", "bs4", True), ("typing_extensions", "typing_extensions", True),
    ("python-dateutil", "dateutil", True), ("requests", "jwt", False), ("attrs", "yaml", False),
])
def test_requirement_names_and_import_names(tmp_path: Path, requirement: str, module: str, declared: bool) -> None:
    (tmp_path / "requirements.txt").write_text(requirement + "\n", encoding="utf-8")
    assert (judge(module, "python", None, [tmp_path]).verdict == "declared") is declared


SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{Id: o, DomainName: www.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}]
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: !Ref Fn.Version
"""


def test_scan_runs_sam_builds_output_and_reads_the_sources_manifest(write: Write) -> None:
    write("sam/src/app.py", PYTHON_JWT)
    write("sam/src/requirements.txt", "PyJWT==2.8.0\n")
    template = write("sam/template.yaml", SAM)

    def edge() -> list[tuple[str, object]]:
        result = api.scan([template.parent], api.ScanOptions(edge=True))
        assert result.distributions == {str(template): 1}, result.distributions  # .aws-sam is no template of its own
        return [(f.policy_id, dict(f.evidence).get("reason")) for f in result.findings if f.policy_id.startswith("PK7")]

    assert edge() == [("PK716", "dependency")]
    write("sam/.aws-sam/build/Fn/app.py", PYTHON_JWT)
    write("sam/.aws-sam/build/Fn/jwt/__init__.py", "")  # installed by `sam build`
    write("sam/.aws-sam/build/template.yaml", SAM.replace("CodeUri: src/", "CodeUri: Fn"))
    assert edge() == []
