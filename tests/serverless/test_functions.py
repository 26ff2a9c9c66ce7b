"""The resources the framework compiles for functions (policykit/serverless/functions.py): names, the settings
Lambda@Edge restricts, and the code, which is the service's directory (so `scan --edge` runs the handler)."""

from __future__ import annotations

import os
import shutil

import pytest

from policykit import api
from policykit.options import ScanOptions
from policykit.serverless.functions import normalized
from tests.helpers import Write, line_of
from tests.serverless.helpers import distribution_of, resources_of

# CI installs node (.ci/run): there this never skips.
needs_node = pytest.mark.skipif(shutil.which("node") is None and not os.environ.get("CI"),
                                reason="node is not installed here (CI installs it)")

SERVICE = """\
service: shop
provider:
  name: aws
  memorySize: 512
  timeout: 10
  environment: {TABLE: orders}
  vpc: {securityGroupIds: [sg-1], subnetIds: [subnet-1]}
  versionFunctions: false
functions:
  my-edge_fn:
    handler: edge/index.handler
    events:
      - cloudFront: {eventType: viewer-request, origin: "https://app.example.com"}
  plain:
    handler: plain.handler
"""


def test_names_as_the_framework_spells_them() -> None:
    assert normalized("my-edge_fn") == "MyDashedgeUnderscorefn"


def test_settings_of_a_function_with_and_without_a_cloudfront_event(write: Write) -> None:
    path = write("serverless.yml", SERVICE)
    resources = resources_of(path)
    edge = resources["MyDashedgeUnderscorefnLambdaFunction"]["Properties"]
    plain = resources["PlainLambdaFunction"]["Properties"]
    assert (edge["MemorySize"], edge["Timeout"], "Environment" in edge, "VpcConfig" in edge) == (128, 5, False, False)
    assert (plain["MemorySize"], plain["Timeout"]) == (512, 10)
    assert plain["Environment"] == {"Variables": {"TABLE": "orders"}}
    assert plain["VpcConfig"] == {"SecurityGroupIds": ["sg-1"], "SubnetIds": ["subnet-1"]}
    # versioning is off for the service, but a cloudFront event always versions its function
    assert "MyDashedgeUnderscorefnLambdaVersion" in resources and "PlainLambdaVersion" not in resources
    assert resources["ServerlessDeploymentBucket"]["Type"] == "AWS::S3::Bucket"
    assert resources["PlainLambdaFunction"].mark.line == line_of(path, "  plain:")


@needs_node
def test_scan_edge_runs_the_handler_from_the_service_directory(write: Write) -> None:
    path = write("serverless.yml", SERVICE)
    write("edge/index.js", "exports.handler = async (event) => {\n"
                           "  const request = event.Records[0].cf.request;\n"
                           "  request.headers['x-cache'] = [{key: 'X-Cache', value: 'hit'}];\n"
                           "  return request;\n};\n")
    assert distribution_of(path).default_behavior is not None
    result = api.scan([path], ScanOptions(edge=True))
    pk705 = [f for f in result.findings if f.policy_id == "PK705"]
    assert [f.location.line for f in pk705] == [line_of(path, "- cloudFront:")]
    assert "MyDashedgeUnderscorefnLambdaFunction" in pk705[0].message
