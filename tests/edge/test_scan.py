"""`scan --edge`: the code behind each association runs; findings sit at the association."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from policykit import api
from tests.edge.helpers import zip_of
from tests.helpers import EXAMPLES, ROOT, RunCli, Write, line_of


def test_example_template_reports_the_invalid_response_at_the_association(run_cli: RunCli) -> None:
    template = EXAMPLES / "edge" / "template.yaml"
    code, out, _ = run_cli("scan", str(template), "--edge", "--format", "json")
    findings = [f for f in json.loads(out)["findings"] if f["policy_id"].startswith("PK7")]
    assert code == 1
    assert [(f["policy_id"], f["line"]) for f in findings] == [("PK705", line_of(template, "- EventType"))]
    assert "AddCacheHeader" in findings[0]["message"] and "X-Cache" in findings[0]["message"]
    assert findings[0]["distribution"] == "Distribution"
    code, out, _ = run_cli("scan", str(EXAMPLES / "edge" / "template-fixed.yaml"), "--edge")
    assert code == 0 and "PK7" not in out


INLINE = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::111122223333:role/edge
      Code:
        ZipFile: |
          def handler(event, context):
              open({marker!r}, "w").write("ran")
              return event["Records"][0]["cf"]["request"]
  FnVersion:
    Type: AWS::Lambda::Version
    Properties: {{FunctionName: !Ref Fn}}
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{{Id: o, DomainName: www.example.com, CustomOriginConfig: {{OriginProtocolPolicy: https-only}}}}]
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
          LambdaFunctionAssociations:
            - {{EventType: origin-request, LambdaFunctionARN: !Ref FnVersion}}
"""


def test_without_edge_no_code_runs(write: Write, tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    template = write("t.yaml", INLINE.format(marker=str(marker)))
    result = api.scan([template])
    assert not marker.exists() and not [f for f in result.findings if f.policy_id.startswith("PK7")]
    result = api.scan([template], api.ScanOptions(edge=True))
    assert marker.read_text() == "ran"
    assert not [f for f in result.findings if f.policy_id.startswith("PK7")]


def test_a_plain_scan_imports_nothing_of_policykit_edge(write: Write) -> None:
    template = write("t.yaml", INLINE.format(marker="/nonexistent/never"))
    code = ("import sys; from policykit.cli import main; main(['scan', sys.argv[1]]); "
            "loaded = [m for m in sys.modules if m.startswith('policykit.edge')]; "
            "assert not loaded, loaded")
    done = subprocess.run([sys.executable, "-c", code, str(template)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr


SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: {runtime}
      Handler: {handler}
      CodeUri: {code_uri}
      AutoPublishAlias: live
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{{Id: o, DomainName: www.example.com, CustomOriginConfig: {{OriginProtocolPolicy: https-only}}}}]
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
          LambdaFunctionAssociations:
            - EventType: {event}
              LambdaFunctionARN: !Ref Fn.Version
"""
NO_CONTENT = "def handler(event, context):\n    return {'status': '204', 'body': 'x'}\n"


def _edge_findings(path: Path) -> list[tuple[str, int, bool]]:
    result = api.scan([path], api.ScanOptions(edge=True))
    assert not result.errors, result.errors
    return [(f.policy_id, f.location.line, f.unknown) for f in result.findings if f.policy_id.startswith("PK7")]


def test_sam_code_uri_directory(write: Write) -> None:
    write("src/app.py", NO_CONTENT)
    template = write("t.yaml", SAM.format(runtime="python3.12", handler="app.handler", code_uri="src/",
                                          event="viewer-request"))
    assert _edge_findings(template) == [("PK710", 20, False)]


def test_sam_code_uri_zip_is_unpacked(write: Write, tmp_path: Path, node: str) -> None:
    with zipfile.ZipFile(tmp_path / "fn.zip", "w") as bundle:
        bundle.writestr("lib/index.js", "exports.handler = async (e) => { const r = e.Records[0].cf.response;"
                        " r.headers['via'] = [{key: 'Via', value: 'x'}]; return r; };\n")
    template = write("t.yaml", SAM.format(runtime="nodejs20.x", handler="lib/index.handler", code_uri="fn.zip",
                                          event="viewer-response"))
    assert _edge_findings(template) == [("PK706", 20, False)]


def test_s3_code_is_a_note_not_an_error(write: Write) -> None:
    template = write("t.yaml", SAM.format(runtime="python3.12", handler="app.handler",
                                          code_uri="s3://bucket/key.zip", event="viewer-request"))
    result = api.scan([template], api.ScanOptions(edge=True))
    notes = [f for f in result.findings if f.policy_id == "PK716"]
    assert [(f.severity.value, f.location.line) for f in notes] == [("info", 20)]
    assert "S3" in notes[0].message
    assert not [f for f in result.findings if f.policy_id.startswith("PK7") and f.severity.value == "error"]


def test_code_not_built_yet_is_a_note(write: Write) -> None:
    template = write("t.yaml", SAM.format(runtime="python3.12", handler="app.handler", code_uri="build/",
                                          event="viewer-request"))
    assert _edge_findings(template) == [("PK716", 20, False)]


CDK = """\
{
  "Resources": {
    "EdgeFn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::1:role/r",
                     "Code": {"S3Bucket": "cdk-assets", "S3Key": "abc.zip"}},
      "Metadata": {"aws:asset:path": "asset.abc", "aws:asset:property": "Code"}
    },
    "EdgeFnVersion": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "EdgeFn"}}},
    "Dist": {
      "Type": "AWS::CloudFront::Distribution",
      "Properties": {"DistributionConfig": {
        "Enabled": true,
        "Origins": [{"Id": "o", "DomainName": "www.example.com",
                     "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}],
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https",
          "LambdaFunctionAssociations": [
            {"EventType": "viewer-request", "LambdaFunctionARN": {"Ref": "EdgeFnVersion"}}]}}}
    }
  }
}
"""


def test_cdk_asset_path(write: Write) -> None:
    write("cdk.out/asset.abc/index.py", NO_CONTENT)
    template = write("cdk.out/Stack.template.json", CDK)
    assert _edge_findings(template) == [("PK710", 18, False)]


TERRAFORM = """\
data "archive_file" "edge" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/edge.zip"
}

resource "aws_lambda_function" "edge" {
  function_name = "edge"
  role          = "arn:aws:iam::111122223333:role/edge"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.edge.output_path
  publish       = true
}

resource "aws_cloudfront_function" "rewrite" {
  name    = "rewrite"
  runtime = "cloudfront-js-2.0"
  code    = <<-EOT
    function handler(event) {
      event.request.headers['x-cache'] = {value: 'MISS'};
      return event.request;
    }
  EOT
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    domain_name = "www.example.com"
    origin_id   = "o"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "o"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    lambda_function_association {
      event_type = "origin-request"
      lambda_arn = aws_lambda_function.edge.qualified_arn
    }
    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.rewrite.arn
    }
  }
  restrictions {
    geo_restriction { restriction_type = "none" }
  }
  viewer_certificate { cloudfront_default_certificate = true }
}
"""


def test_terraform_archive_file_and_cloudfront_function(write: Write, node: str) -> None:
    write("tf/src/app.py", "def handler(event, context):\n    r = event['Records'][0]['cf']['request']\n"
          "    r['uri'] = 'index.html'\n    return r\n")
    main = write("tf/main.tf", TERRAFORM)
    found = _edge_findings(main.parent)
    assert ("PK711", 44, False) in found  # the Lambda@Edge function: a uri without '/'
    assert ("PK705", 48, False) in found  # the CloudFront Function: x-cache


def test_terraform_zip_filename(write: Write, tmp_path: Path) -> None:
    (tmp_path / "tf").mkdir()
    with zipfile.ZipFile(tmp_path / "tf" / "edge.zip", "w") as bundle:
        bundle.writestr("app.py", NO_CONTENT)
    text = TERRAFORM.replace("data.archive_file.edge.output_path", '"edge.zip"').replace(
        '"origin-request"', '"viewer-request"')
    text = text[:text.index('resource "aws_cloudfront_function"')] + text[text.index('resource "aws_cloudfront_d'):]
    text = text.replace("""    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.rewrite.arn
    }
""", "")
    main = write("tf/main.tf", text)
    assert [f[0] for f in _edge_findings(main.parent)] == ["PK710"]


def test_terraform_cloudfront_function_code_from_a_file(write: Write, node: str) -> None:
    """`code = file("${path.module}/fn.js")`, the usual way: the file is read to run the function (and only
    then: to every policy and report its content stays unknown)."""
    write("tff/fn.js", "function handler(event) {\n  event.request.headers['x-cache'] = {value: 'MISS'};\n"
          "  return event.request;\n}\n")
    text = TERRAFORM.replace("""  code    = <<-EOT
    function handler(event) {
      event.request.headers['x-cache'] = {value: 'MISS'};
      return event.request;
    }
  EOT""", '  code    = file("${path.module}/fn.js")')
    main = write("tff/main.tf", text)
    write("tff/src/app.py", "def handler(event, context):\n    return event['Records'][0]['cf']['request']\n")
    found = _edge_findings(main.parent)
    association = next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "function_association {")
    assert ("PK705", association, False) in found, found  # x-cache, in fn.js
    # without the file, the function is not run, and says why
    (main.parent / "fn.js").unlink()
    result = api.scan([main.parent], api.ScanOptions(edge=True))
    said = [f.message for f in result.findings if "fn.js" in f.message]
    assert said and all("cannot be read" in m and "not run" in m for m in said), said


def test_file_content_never_reaches_a_policy(write: Write) -> None:
    """A value read by file() is unknown outside --edge: a secret in a file named as an origin stays unread."""
    write("secret/token.txt", "s3cr3t-value\n")
    text = TERRAFORM.replace('domain_name = "www.example.com"', 'domain_name = file("${path.module}/token.txt")')
    main = write("secret/main.tf", text)
    result = api.scan([main.parent], api.ScanOptions(edge=False))
    assert "s3cr3t" not in json.dumps([f.message for f in result.findings] + [str(e) for e in result.errors])


def test_a_refused_zip_is_a_note_at_the_association(write: Write, tmp_path: Path) -> None:
    zip_of(tmp_path / "fn.zip", {"../app.py": NO_CONTENT.encode()})
    template = write("t.yaml", SAM.format(runtime="python3.12", handler="app.handler", code_uri="fn.zip",
                                          event="viewer-request"))
    result = api.scan([template], api.ScanOptions(edge=True))
    notes = [f for f in result.findings if f.policy_id == "PK716"]
    assert notes and "outside its directory" in notes[0].message and notes[0].location.line == 20
    assert not (tmp_path / "app.py").exists()


CONNECTION = """\
Resources:
  Check:
    Type: AWS::CloudFront::Function
    Properties:
      Name: check
      FunctionConfig: {Comment: mtls, Runtime: cloudfront-js-2.0}
      FunctionCode: |
        function handler(event) { throw new Error('never run'); }
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{Id: o, DomainName: www.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}]
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
          FunctionAssociations:
            - EventType: connection-request
              FunctionARN: !GetAtt Check.FunctionARN
"""


def test_a_connection_request_function_is_not_run_and_says_so(write: Write) -> None:
    template = write("t.yaml", CONNECTION)
    result = api.scan([template], api.ScanOptions(edge=True))
    [note] = [f for f in result.findings if f.policy_id.startswith("PK7")]
    assert (note.policy_id, note.severity.value, dict(note.evidence)["reason"]) == ("PK716", "info", "event")
    assert "connection-request" in note.message and "mutual TLS" in note.message
    assert note.location.line == line_of(template, "- EventType")
