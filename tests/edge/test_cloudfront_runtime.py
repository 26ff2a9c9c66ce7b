"""CloudFront Functions as the cloudfront-js runtime runs them (policykit/edge/children/cloudfront_runtime.js):
runtime 2.0 code is an ES module with `import cf from 'cloudfront'` (key value stores, origin helpers) and `crypto`;
1.0 code a plain script; what the runtime leaves out (other modules, timers, eval) fails as at the edge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit import api
from tests.helpers import RunCli, Write, line_of

ROUTER = """\
import cf from 'cloudfront';
import crypto from 'crypto';

const kvsHandle = cf.kvs();

async function handler(event) {
  const request = event.request;
  let target = 'web';
  try {
    target = await kvsHandle.get(request.uri);
  } catch (err) {
    console.log('no route for ' + request.uri);
  }
  const settings = await kvsHandle.get('settings', { format: 'json' });
  const raw = await kvsHandle.get('settings', { format: 'bytes' });
  const meta = await kvsHandle.meta();
  if (!(await kvsHandle.exists('settings')) || raw.length !== 15 || meta.keyCount !== 2) {
    throw new Error('the store is not what was given');
  }
  request.headers['x-variant'] = { value: settings.variant };
  request.headers['x-route-id'] = { value: crypto.createHash('sha256').update(target).digest('hex').slice(0, 12) };
  cf.selectRequestOriginById(target);
  return request;
}
"""
STORE = {"data": [{"key": "/", "value": "api"}, {"key": "settings", "value": '{"variant":"b"}'}]}


def _run(run_cli: RunCli, handler: Path, *extra: str, event: str = "viewer-request",
         runtime: str = "cloudfront-js-2.0") -> tuple[int, list[dict[str, object]], str]:
    code, out, err = run_cli("edge", "run", f"{handler}:handler", "--event", event, "--runtime", runtime,
                             "--format", "json", *extra)
    return code, json.loads(out)["findings"] if out.strip() else [], err


def test_an_es_module_reads_its_key_value_store_and_selects_an_origin(run_cli: RunCli, write: Write,
                                                                       node: str) -> None:
    handler = write("router.js", ROUTER)
    store = write("store.json", json.dumps(STORE))
    code, findings, err = _run(run_cli, handler, "--kvs", str(store), "--origin-id", "web", "--origin-id", "api")
    assert (code, findings) == (0, []), err
    assert "chooses the origin 'api' (cf.selectRequestOriginById)" in err  # on stderr beside a JSON report
    code, out, _ = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--kvs", str(store),
                           "--runtime", "cloudfront-js")  # 2.0, the current runtime
    assert code == 0 and out.startswith(f"handler {handler}:handler chooses the origin 'api'")


def test_an_origin_the_distribution_lacks_is_pk714(run_cli: RunCli, write: Write, node: str) -> None:
    handler = write("router.js", ROUTER)
    store = write("store.json", json.dumps(STORE))
    code, findings, _ = _run(run_cli, handler, "--kvs", str(store), "--origin-id", "web")
    assert code == 1 and [f["policy_id"] for f in findings] == ["PK714"]
    assert "no origin 'api' (its origins: 'web')" in str(findings[0]["message"])
    assert "CloudFront Functions validation error" in str(findings[0]["message"])


def test_a_store_not_given_is_not_a_failure_of_the_function(run_cli: RunCli, write: Write, node: str) -> None:
    """Without --kvs every get rejects as for a missing key: the router handles that for its route, not for its
    settings, which it reads unguarded; that is "could not run here", not a 503."""
    code, findings, _ = _run(run_cli, write("router.js", ROUTER))
    assert code == 0 and [(f["policy_id"], f["evidence"]["reason"]) for f in findings] == [
        ("PK716", "key value store")]
    assert "no route for /" in json.dumps(findings[0]["evidence"])


def test_a_key_missing_from_the_whole_store_fails_the_function(run_cli: RunCli, write: Write, node: str) -> None:
    store = write("store.json", json.dumps({"data": [{"key": "/", "value": "api"}]}))
    code, findings, _ = _run(run_cli, write("router.js", ROUTER), "--kvs", str(store))
    assert code == 1 and [f["policy_id"] for f in findings] == ["PK715"]
    assert '"settings" does not exist in the key value store' in str(findings[0]["message"])


@pytest.mark.parametrize(("code", "text"), [
    ("import fs from 'fs';\nfunction handler(event) { return event.request; }\n",
     "Cannot find module 'fs': the cloudfront-js-2.0 runtime has cloudfront, crypto, querystring, buffer only"),
    ("function handler(event) { var fs = require('fs'); return event.request; }\n", "Cannot find module 'fs'"),
    ("function handler(event) { setTimeout(function () {}, 1); return event.request; }\n",
     "ReferenceError: setTimeout is not defined"),
    ("function handler(event) { return eval('event.request'); }\n", "EvalError"),
    ("function handler(event) { return process.env; }\n", "ReferenceError: process is not defined"),
    ("import crypto from 'crypto';\nfunction handler(event) {\n  crypto.createHash('sha512');\n"
     "  return event.request;\n}\n", "md5, sha1 and sha256 only"),
])
def test_what_the_runtime_leaves_out_fails_as_at_the_edge(run_cli: RunCli, write: Write, node: str, code: str,
                                                          text: str) -> None:
    status, findings, _ = _run(run_cli, write("fn.js", code))
    assert status == 1 and [f["policy_id"] for f in findings] == ["PK715"]
    assert text in str(findings[0]["message"])


def test_runtime_1_is_a_plain_script(run_cli: RunCli, write: Write, node: str) -> None:
    old = write("old.js", "var crypto = require('crypto');\nvar qs = require('querystring');\n"
                "function handler(event) {\n  var digest = crypto.createHmac('sha256', 'k').update('x').digest();\n"
                "  if (typeof digest !== 'string') throw new Error('1.0 digests are byte strings');\n"
                "  event.request.headers['x-q'] = {value: qs.stringify({a: '1'})};\n  return event.request;\n}\n")
    assert _run(run_cli, old, runtime="cloudfront-js-1.0")[:2] == (0, [])
    code, findings, _ = _run(run_cli, write("router.js", ROUTER), runtime="cloudfront-js-1.0")
    assert code == 1 and "Cannot use import statement outside a module" in str(findings[0]["message"])
    code, findings, _ = _run(run_cli, write("req.js", "var cf = require('cloudfront');\n"
                                            "function handler(event) { return event.request; }\n"),
                             runtime="cloudfront-js-1.0")
    assert "the cloudfront-js-1.0 runtime has crypto, querystring only" in str(findings[0]["message"])


def test_origin_helpers_are_for_viewer_request_only(run_cli: RunCli, write: Write, node: str) -> None:
    handler = write("resp.js", "import cf from 'cloudfront';\nfunction handler(event) {\n"
                    "  cf.selectRequestOriginById('web');\n  return event.response;\n}\n")
    code, findings, _ = _run(run_cli, handler, event="viewer-response")
    assert code == 1 and [f["policy_id"] for f in findings] == ["PK715"]
    assert "in viewer-request functions only" in str(findings[0]["message"])


@pytest.mark.parametrize(("params", "text"), [
    ("{domainName: '10.0.0.5'}", "is an IP address"),
    ("{domainName: 'api.example.com:8443'}", "has a colon"),
    ("{connectionAttempts: 5}", "connectionAttempts 5 is not 1, 2 or 3"),
    ("{timeouts: {connectionTimeout: 30}}", "timeouts.connectionTimeout 30 is not 1-10 seconds"),
    ("{customOriginConfig: {port: 22, protocol: 'https', sslProtocols: ['TLSv1.3']}}", "port 22"),
    ("{originPath: 'v2/'}", "originPath 'v2/'"),
    ("{customHeaders: {'Host': 'x'}}", "custom header 'Host' is one CloudFront refuses"),
])
def test_an_origin_update_is_checked_as_an_origin(run_cli: RunCli, write: Write, node: str, params: str,
                                                  text: str) -> None:
    handler = write("upd.js", "import cf from 'cloudfront';\nfunction handler(event) {\n"
                    f"  cf.updateRequestOrigin({params});\n  return event.request;\n}}\n")
    code, findings, _ = _run(run_cli, handler)
    assert code == 1 and [f["policy_id"] for f in findings] == ["PK714"], findings
    assert text in str(findings[0]["message"])


def test_an_origin_group_needs_two_known_ids_and_failover_codes(run_cli: RunCli, write: Write, node: str) -> None:
    handler = write("grp.js", "import cf from 'cloudfront';\nfunction handler(event) {\n"
                    "  cf.createRequestOriginGroup({originIds: ['web', 'gone'], failoverCriteria: "
                    "{statusCodes: [500, 501]}});\n  return event.request;\n}\n")
    code, findings, _ = _run(run_cli, handler, "--origin-id", "web")
    message = str(findings[0]["message"])
    assert code == 1 and "no origin 'gone'" in message and "failover status code 501" in message


NORMALIZE = """\
// Sorts the query string's parameters (runtime 2.0), as AWS's normalize-query-string example does: the string it
// builds is what the request carries on.
function handler(event) {
  const pairs = [];
  for (const [name, entry] of Object.entries(event.request.querystring)) {
    const values = entry.multiValue ? entry.multiValue.map((m) => m.value) : [entry.value];
    for (const value of values) pairs.push(encodeURIComponent(name) + '=' + encodeURIComponent(value));
  }
  event.request.querystring = pairs.sort().join('&');
  return event.request;
}
"""


def test_a_query_string_set_as_a_string_is_valid(run_cli: RunCli, write: Write, node: str) -> None:
    code, findings, err = _run(run_cli, write("normalize.js", NORMALIZE), "--querystring", "b=2&a=1&a=0")
    assert (code, findings) == (0, []), err


TERRAFORM = """\
resource "aws_cloudfront_key_value_store" "routes" {
  name = "routes"
}

resource "aws_cloudfrontkeyvaluestore_key" "root" {
  key_value_store_arn = aws_cloudfront_key_value_store.routes.arn
  key                 = "/"
  value               = "ROUTE"
}

resource "aws_cloudfrontkeyvaluestore_key" "settings" {
  key_value_store_arn = aws_cloudfront_key_value_store.routes.arn
  key                 = "settings"
  value               = "{\\"variant\\":\\"b\\"}"
}

resource "aws_cloudfront_function" "router" {
  name                         = "router"
  runtime                      = "cloudfront-js-2.0"
  key_value_store_associations = [aws_cloudfront_key_value_store.routes.arn]
  code                         = file("${path.module}/router.js")
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    domain_name = "www.example.com"
    origin_id   = "web"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    domain_name = "api.example.com"
    origin_id   = "api"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "web"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.router.arn
    }
  }
  restrictions {
    geo_restriction { restriction_type = "none" }
  }
  viewer_certificate { cloudfront_default_certificate = true }
}
"""


@pytest.mark.parametrize(("route", "expected"), [("api", []), ("mobile", ["PK714"])])
def test_scan_reads_the_store_the_module_declares(write: Write, node: str, route: str, expected: list[str]) -> None:
    write("tf/router.js", ROUTER.replace("meta.keyCount !== 2", "meta.keyCount !== 2 && false"))
    main = write("tf/main.tf", TERRAFORM.replace("ROUTE", route))
    result = api.scan([main.parent], api.ScanOptions(edge=True))
    found = [(f.policy_id, f.location.line) for f in result.findings if f.policy_id.startswith("PK7")]
    association = line_of(main, "function_association {")
    assert found == [(i, association) for i in expected], result.findings
    if expected:
        assert "no origin 'mobile' (its origins: 'web', 'api')" in result.findings[0].message


def test_scan_checks_the_origin_a_function_chooses_with_the_static_policies(write: Write, node: str) -> None:
    """cf.updateRequestOrigin to an S3 website endpoint over HTTPS: PK101, as for a declared origin, at the
    function's association."""
    write("up/router.js", "import cf from 'cloudfront';\nfunction handler(event) {\n  cf.updateRequestOrigin({"
          "domainName: 'assets.s3-website-us-east-1.amazonaws.com', customOriginConfig: {port: 443, protocol: "
          "'https', sslProtocols: ['TLSv1.2']}});\n  return event.request;\n}\n")
    main = write("up/main.tf", TERRAFORM)
    result = api.scan([main.parent], api.ScanOptions(edge=True))
    [pk101] = [f for f in result.findings if f.policy_id == "PK101"]
    assert pk101.location.line == line_of(main, "function_association {")
    assert "assets.s3-website-us-east-1.amazonaws.com" in pk101.message
    assert "the origin CloudFront Function aws_cloudfront_function.router" in pk101.message
    assert "cf.updateRequestOrigin()" in pk101.message
