"""Every policy in every format: a finding of each catalog policy (PK1xx-PK7xx) and each built-in (PK002-PK010),
in a CloudFormation YAML file, a CloudFormation JSON file and a Terraform module (an edge policy's also in a function
result's JSON file), rendered as text, json, sarif, junit and github; what has a schema is validated against it.

Each renders the policy's own examples where the format shows them (the JSON report's fix snippet): an edge
policy's example is a function's code, which must never go through cfn-flip (it crashed `edge validate --format
json` whenever a PK7xx finding fired)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from policykit.core.builtins import BUILTINS
from policykit.core.location import Location
from policykit.findings import Finding, PolicyInfo, ScanResult, Severity
from policykit.policy.loader import load_policies
from tests.helpers import ROOT, SHARED, RunCli, Write
from tests.reporters.helpers import render

FORMATS = ("text", "json", "sarif", "junit", "github")
FILES = ("site.yaml", "site.json", "infra")  # CloudFormation YAML and JSON, a Terraform module directory


def _infos() -> list[PolicyInfo]:
    catalog = [p.info() for p in load_policies()]
    builtins = [PolicyInfo(b.id, b.title, Severity(b.severity), b.description, tags=b.tags)
                for b in BUILTINS.values()]
    return catalog + builtins


def _every_finding(infos: list[PolicyInfo]) -> list[Finding]:
    out = []
    for info in infos:
        files = FILES + (("result.json",) if info.applies_to.startswith("edge_") else ())
        for line, file in enumerate(files, start=1):
            out.append(Finding(policy_id=info.id, title=info.title, severity=info.severity,
                               message=f"{info.title}: <{info.id}> & \"quoted\"", location=Location(file, line, 3),
                               resource="Distribution", distribution="Distribution", subject=f"object of {info.id}",
                               fix=info.fix or "Fix it.", help_uri=info.help_uri,
                               evidence=(("path", "$.headers['x-cache'][0]"), ("count", 2))))
    return out


@pytest.fixture(scope="module")
def everything() -> ScanResult:
    infos = _infos()
    return ScanResult(findings=tuple(_every_finding(infos)), files=FILES, policies=tuple(infos),
                      distributions={"site.yaml": 1})


def test_the_catalog_and_the_builtins_are_all_here(everything: ScanResult) -> None:
    ids = {f.policy_id for f in everything.findings}
    assert {f"PK{n}" for n in ("101", "205", "307", "406", "504", "601", "616", "701", "716", "717")} <= ids
    assert set(BUILTINS) <= ids
    assert len(ids) == len(everything.policies)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_policy_renders_in_every_format(everything: ScanResult, fmt: str) -> None:
    out = render(fmt, everything)
    ids = {f.policy_id for f in everything.findings}
    if fmt == "json":
        document = json.loads(out)
        assert {f["policy_id"] for f in document["findings"]} == ids
        assert len(document["findings"]) == len(everything.findings)
    elif fmt == "sarif":
        _sarif_validator().validate(json.loads(out))
        results = json.loads(out)["runs"][0]["results"]
        assert {r["ruleId"] for r in results} == ids
    elif fmt == "junit":
        pytest.importorskip("xmlschema").XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd")).validate(out)
        names = {(c.get("name") or "").split(" ")[0] for c in ET.fromstring(out).iter("testcase")}
        assert ids <= names
    elif fmt == "github":
        lines = [line for line in out.splitlines() if line.startswith("::")]
        assert len(lines) >= len(everything.findings)
        assert all(any(f"PK{i}" in line for line in lines) for i in [i[2:] for i in ids])
    else:
        assert all(f" {i} " in out for i in ids)


def test_an_edge_policys_example_is_shown_as_code_in_every_file(everything: ScanResult) -> None:
    """The fix snippet of an edge policy is its code as written, whatever file the finding is in; a template
    policy's follows the file (JSON converted by cfn-flip, HCL only when the policy has a Terraform example)."""
    document = json.loads(render("json", everything))
    for finding in document["findings"]:
        example = finding.get("fix_example")
        if finding["policy_id"] in ("PK715", "PK716", "PK705"):
            assert example is not None and example["language"] == "code", finding
        if finding["policy_id"] == "PK715":
            assert example["snippet"].startswith("def handler(event, context):")
        if finding["policy_id"] == "PK101" and finding["file"] == "site.json":
            assert example["language"] == "json" and json.loads(example["snippet"])


def test_edge_validate_json_with_every_edge_policy_firing(run_cli: RunCli, write: Write) -> None:
    """`policykit edge validate RESULT.json --format json` with findings of several edge policies (it crashed with
    a JSONDecodeError, exit 3, on the PK7xx examples)."""
    result = write("result.json", json.dumps({
        "status": "204", "body": "x" * 100, "bodyEncoding": "base64x",
        "headers": {"x-cache": [{"key": "X-Cache", "value": "HIT"}], "X-Upper": [{"key": "X-Upper", "value": "a"}],
                    "x-bad": [{"key": "X-Bad", "value": "a\r\nb"}]}}, indent=2))
    code, out, err = run_cli("edge", "validate", str(result), "--event", "viewer-request", "--format", "json")
    assert code == 1, err
    ids = {f["policy_id"] for f in json.loads(out)["findings"]}
    assert {"PK704", "PK705", "PK707", "PK709", "PK710"} <= ids
    assert all(f["fix_example"]["language"] == "code" for f in json.loads(out)["findings"] if "fix_example" in f)


def _sarif_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip(f"the SARIF schema is not here ({path}: the shared folder beside the checkout)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def test_a_policy_file_missing_from_the_catalog_would_be_seen() -> None:
    """The test above can fail: the policies it renders are the catalog's, read from the policies folder."""
    assert len(list(Path(ROOT / "policies").glob("PK*.yaml"))) == len(load_policies())
