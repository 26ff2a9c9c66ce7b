"""Where `scan --edge` looks for a function's code (policykit/edge/discover.py), against a hostile repository:
nothing is written outside policykit's private work directory, nothing read outside the scanned tree, and a
handler or code path that tries is "could not run here" (PK716, reason path), with nothing outside quoted."""

from __future__ import annotations

import json
from pathlib import Path

from policykit import api
from tests.edge.helpers import zip_of
from tests.helpers import Write

INLINE = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: {runtime}
      Handler: {handler}
      Role: arn:aws:iam::111122223333:role/edge
      Code:
        ZipFile: |
          def handler(event, context):
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
            - EventType: viewer-request
              LambdaFunctionARN: !Ref Fn.Version
"""
MARKER = "s3cr3t-outside-the-tree"
WRITES_MARKER = ("def handler(event, context):\n    open({path!r}, 'w').write('ran')\n"
                 "    return event['Records'][0]['cf']['request']  # {marker}\n")


def _notes(path: Path) -> list[tuple[str, object, str]]:
    result = api.scan([path], api.ScanOptions(edge=True))
    assert MARKER not in json.dumps([f.message for f in result.findings] + [str(e) for e in result.errors])
    return [(f.policy_id, dict(f.evidence).get("reason"), f.message) for f in result.findings
            if f.policy_id.startswith("PK7")]


def test_an_absolute_handler_path_is_not_written(write: Write, tmp_path: Path) -> None:
    target = tmp_path / "outside" / "evil"
    template = write("repo/t.yaml", INLINE.format(runtime="python3.12", handler=f"{target}.handler"))
    [(policy, reason, message)] = _notes(template)
    assert (policy, reason) == ("PK716", "path") and "names a file outside its code" in message
    assert not (tmp_path / "outside").exists()


def test_a_handler_that_climbs_out_of_its_code_is_not_run(write: Write, tmp_path: Path) -> None:
    ran = tmp_path / "ran.txt"
    write("repo/secret.py", WRITES_MARKER.format(path=str(ran), marker=MARKER))
    write("repo/src/app.py", "def handler(event, context):\n    return None\n")
    template = write("repo/t.yaml", SAM.format(runtime="nodejs20.x", handler="../secret.handler", code_uri="src/"))
    assert [(p, r) for p, r, _ in _notes(template)] == [("PK716", "path")]
    python = write("repo/t2.yaml", SAM.format(runtime="python3.12", handler="..secret.handler", code_uri="src/"))
    assert [(p, r) for p, r, _ in _notes(python)] == [("PK716", "path")]
    assert not ran.exists()


def test_code_outside_the_scanned_tree_is_not_read(write: Write, tmp_path: Path) -> None:
    ran = tmp_path / "ran.txt"
    write("elsewhere/app.py", WRITES_MARKER.format(path=str(ran), marker=MARKER))
    template = write("repo/t.yaml", SAM.format(runtime="python3.12", handler="app.handler",
                                               code_uri="../elsewhere/"))
    [(policy, reason, message)] = _notes(template.parent)
    assert (policy, reason) == ("PK716", "path") and "outside the scanned tree" in message
    assert not ran.exists()
    # a link inside the tree to code outside it is the same
    (tmp_path / "repo" / "linked").symlink_to(tmp_path / "elsewhere")
    linked = write("repo/t.yaml", SAM.format(runtime="python3.12", handler="app.handler", code_uri="linked/"))
    assert [(p, r) for p, r, _ in _notes(linked.parent)] == [("PK716", "path")]
    assert not ran.exists()
    # scanned from above, the same code is inside the tree and runs
    assert [p for p, _, _ in _notes(tmp_path)] == [] and ran.read_text() == "ran"


TERRAFORM = """\
resource "aws_cloudfront_function" "rewrite" {
  name    = "rewrite"
  runtime = "cloudfront-js-2.0"
  code    = file("${path.module}/../outside.js")
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


def test_terraform_file_outside_the_module_is_not_read(write: Write) -> None:
    write("outside.js", f"// {MARKER}\nfunction handler(event) {{ throw new Error('{MARKER}'); }}\n")
    main = write("module/main.tf", TERRAFORM)
    [(policy, reason, message)] = _notes(main.parent)
    assert (policy, reason) == ("PK716", "path") and "outside.js" in message


def test_a_zip_nested_deeper_than_code_is_refused_with_its_own_message(write: Write, tmp_path: Path) -> None:
    deep = "/".join(["d"] * 2000) + "/app.py"
    (tmp_path / "repo").mkdir()
    zip_of(tmp_path / "repo" / "fn.zip", {deep: b"x = 1\n", "app.py": b"def handler(e, c):\n    return None\n"})
    template = write("repo/t.yaml", SAM.format(runtime="python3.12", handler="app.handler", code_uri="fn.zip"))
    [(policy, reason, message)] = _notes(template)
    assert (policy, reason) == ("PK716", "archive")
    assert "an entry 2000 directories deep" in message and "recursion" not in message
