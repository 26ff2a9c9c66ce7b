"""Reading resolved properties (policykit/model/reader.py): wrong types in a distribution are PK002 findings at
their position, never a crash, and a broken list is not taken for an empty one."""

from __future__ import annotations

import pytest

from policykit import api
from tests.helpers import RunCli, Write
from tests.templates import CFN_HEAD


def _distribution(config: str) -> str:
    return (CFN_HEAD + "Resources:\n  Distribution:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n"
            "      DistributionConfig:\n" + config)


# name -> (DistributionConfig body, [(line, column, message piece)] of the PK002 findings)
WRONG_TYPES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    "origins-string": ("        Origins: not-a-list\n"
                       "        DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: https-only}\n",
                       [(7, 18, "Origins must be a list, not a string")]),
    "port-list": ("        Origins:\n          - Id: web\n            DomainName: www.example.com\n"
                  "            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n"
                  "              HTTPSPort: [443]\n"
                  "        DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: https-only}\n",
                  [(12, 26, "HTTPSPort must be a single value, not a list")]),
    "port-word": ("        Origins:\n          - Id: web\n            DomainName: www.example.com\n"
                  "            CustomOriginConfig: {OriginProtocolPolicy: https-only, HTTPPort: eighty}\n"
                  "        DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: https-only}\n",
                  [(10, 78, "HTTPPort must be a whole number, not 'eighty'")]),
    "items-and-sections": ("        Origins: [1, [a]]\n        Aliases: {a: b}\n        DefaultCacheBehavior: [x]\n"
                           "        ViewerCertificate: [1]\n",
                           [(7, 19, "each item of Origins must be a mapping, not a number"),
                            (7, 22, "each item of Origins must be a mapping, not a list"),
                            (8, 18, "Aliases must be a list, not a mapping"),
                            (9, 31, "DefaultCacheBehavior must be a mapping, not a list"),
                            (10, 28, "ViewerCertificate must be a mapping, not a list")]),
    "origins-number": ("        Enabled: true\n        Origins: 5\n",
                      [(8, 18, "Origins must be a list, not a number")]),
}


@pytest.mark.parametrize("name", sorted(WRONG_TYPES))
def test_wrong_types_in_a_distribution_are_pk002(write: Write, name: str) -> None:
    config, expected = WRONG_TYPES[name]
    result = api.scan([write(f"{name}.yaml", _distribution(config))])
    assert result.errors == ()
    known = [f for f in result.findings if not f.unknown]
    pk002 = sorted((f.location.line, f.location.column, f.message) for f in known if f.policy_id == "PK002")
    assert [(line, column) for line, column, _ in pk002] == [(line, column) for line, column, _ in expected]
    for (_, _, message), (_, _, piece) in zip(pk002, expected, strict=True):
        assert message.startswith(piece)
    # a broken list is not an empty list: no other policy draws conclusions from it
    assert [f.policy_id for f in known if f.policy_id in ("PK501", "PK301")] == []
    assert all(f.distribution == "Distribution" for f in known)


def test_distribution_config_of_the_wrong_type(write: Write) -> None:
    text = (CFN_HEAD + "Resources:\n  D:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n"
            "      DistributionConfig: hello\n")
    result = api.scan([write("dc.yaml", text)])
    [finding] = [f for f in result.findings if not f.unknown]
    assert (finding.policy_id, finding.location.line, finding.location.column) == ("PK002", 6, 27)
    assert finding.message.startswith("DistributionConfig must be a mapping, not a string")


def test_wrong_types_exit_1_with_a_location_via_cli(run_cli: RunCli, write: Write) -> None:
    path = write("port.yaml", _distribution(WRONG_TYPES["port-list"][0]))
    code, out, err = run_cli("scan", str(path))
    assert code == 1
    assert f"{path}:12:26: error PK002 HTTPSPort must be a single value, not a list" in out
    assert "Traceback" not in out + err


def test_a_value_from_an_included_file_is_located_in_it() -> None:
    from policykit.core.nodes import FileMark, Mark, MDict
    from policykit.model.reader import Reader

    node = MDict(Mark(1, 1))
    node.set("Aliases", ["a.example.com"], FileMark(4, 3, "resources/cdn.yml"), FileMark(4, 12, "resources/cdn.yml"))
    node.set("Enabled", True, Mark(2, 3), Mark(2, 12))
    read = Reader("serverless.yml", "Site", [])
    assert tuple(read.loc(node, "Aliases")) == ("resources/cdn.yml", 4, 12)
    assert tuple(read.loc(node, "Enabled")) == ("serverless.yml", 2, 12)
