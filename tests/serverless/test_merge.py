"""lodash's `_.merge` over marked nodes (policykit/serverless/merge.py), and that merging never changes a value
the service wrote (self-references share them)."""

from __future__ import annotations

from policykit.core.nodes import MDict
from policykit.serverless.merge import merged
from policykit.source.yaml_loader import load_yaml
from tests.helpers import Write, line_of
from tests.serverless.helpers import resources_of


def node(text: str) -> MDict:
    value = load_yaml(text, "x.yml")
    assert isinstance(value, MDict)
    return value


def test_mappings_merge_key_by_key_and_lists_item_by_item() -> None:
    dst = node("a: {x: 1, y: [1, 2, 3], z: [{p: 1, q: 2}]}\nb: keep\nc: {k: v}\n")
    src = node("a: {x: 2, y: [9], z: [{q: 3}]}\nc: null\nd: new\n")
    assert merged(dst, src) == {"a": {"x": 2, "y": [9, 2, 3], "z": [{"p": 1, "q": 3}]}, "b": "keep", "c": None,
                                "d": "new"}
    assert dst == {"a": {"x": 1, "y": [1, 2, 3], "z": [{"p": 1, "q": 2}]}, "b": "keep", "c": {"k": "v"}}


def test_marks_come_from_the_side_each_value_comes_from() -> None:
    dst = node("a:\n  x: 1\n  y: 2\n")
    src = node("\n\n\na:\n  y: 3\n")
    out = merged(dst, src)
    assert isinstance(out, MDict)
    inner = out["a"]
    assert (inner.mark_of("x").line, inner.mark_of("y").line) == (2, 5)


def test_shared_values_are_not_changed(write: Write) -> None:
    path = write("serverless.yml", """\
service: s
provider: {name: aws}
plugins: [serverless-plugin-cloudfront-lambda-edge]
custom:
  config:
    Enabled: true
    Origins: [{Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}]
    DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: https-only}
functions:
  edge:
    handler: h.handler
    lambdaAtEdge: {distribution: One, eventType: viewer-request}
resources:
  Resources:
    One:
      Type: AWS::CloudFront::Distribution
      Properties: {DistributionConfig: "${self:custom.config}"}
    Two:
      Type: AWS::CloudFront::Distribution
      Properties: {DistributionConfig: "${self:custom.config}"}
  extensions:
    One: {Properties: {Extra: 1}}
""")
    resources = resources_of(path)
    one, two = (resources[name]["Properties"] for name in ("One", "Two"))
    assert one["Extra"] == 1 and "Extra" not in two
    assert len(one["DistributionConfig"]["DefaultCacheBehavior"]["LambdaFunctionAssociations"]) == 1
    assert "LambdaFunctionAssociations" not in two["DistributionConfig"]["DefaultCacheBehavior"]
    assert one.mark_of("Extra").line == line_of(path, "Extra: 1")
