"""Fix snippets in the template's own language: CloudFormation JSON via cfn-flip, Terraform HCL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policykit.policy.loader import load_policies
from tests.helpers import ROOT, RunCli, Write
from tests.templates import BROKEN, TF_MODULE


def _section(out: str, title: str) -> str:
    block = out.split(f"\n\n{title}:\n", 1)[1].split("\n\n", 1)[0]
    return "\n".join(line.removeprefix("  ") for line in block.splitlines())


def test_a_json_templates_findings_give_cloudformation_json(tmp_path: Path, run_cli: RunCli) -> None:
    from cfn_flip import to_json

    site = tmp_path / "site.json"
    site.write_text(to_json(BROKEN), encoding="utf-8")
    code, out, _ = run_cli("scan", str(site), "--format", "json")
    [pk101] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert code == 1 and pk101["fix_example"]["language"] == "json"
    snippet = json.loads(pk101["fix_example"]["snippet"])  # real JSON, converted from the policy's YAML
    origin = snippet["Origins"][0]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
    assert origin["DomainName"] == {"Fn::Sub": "${Bucket}.s3-website-${AWS::Region}.amazonaws.com"}  # !Sub


def test_yaml_and_terraform_findings_give_their_own_language(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(BROKEN, encoding="utf-8")
    _, out, _ = run_cli("scan", str(site), "--format", "json")
    [pk101] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert pk101["fix_example"]["language"] == "yaml" and "OriginProtocolPolicy: http-only" in pk101["fix_example"][
        "snippet"]
    pytest.importorskip("policykit.terraform")
    module = tmp_path / "infra"
    module.mkdir()
    (module / "main.tf").write_text(TF_MODULE.replace("IGNORE", ""), encoding="utf-8")
    _, out, _ = run_cli("scan", str(module), "--format", "json")
    [pk101] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert pk101["fix_example"]["language"] == "hcl"
    assert 'origin_protocol_policy = "http-only"' in pk101["fix_example"]["snippet"]


def test_policies_show_as_json_and_hcl(run_cli: RunCli, write: Write) -> None:
    code, out, _ = run_cli("policies", "show", "PK101", "--as", "json")
    assert code == 0
    bad, good = json.loads(_section(out, "bad (json)")), json.loads(_section(out, "good (json)"))
    assert bad["Origins"][0]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert good["Origins"][0]["DomainName"] == {"Fn::Sub": "${Bucket}.s3-website-${AWS::Region}.amazonaws.com"}
    code, out, _ = run_cli("policies", "show", "PK101", "--as", "hcl")
    assert code == 0 and 'origin_protocol_policy = "http-only"' in _section(out, "good (hcl)")
    # every built-in static policy has a Terraform example (tests/catalog/test_terraform_examples.py): one of yours
    # without one says so
    mine = write("mine/PK990-custom.yaml", "id: PK990\ntitle: Custom\nseverity: error\napplies_to: origin\n"
                 "condition: {fact: uses_https, equals: true}\nmessage: '{label}'\n"
                 "examples: {bad: 'Origins: []', good: 'Origins: []'}\n")
    code, out, _ = run_cli("policies", "show", "PK990", "--policies", str(mine.parent), "--as", "hcl")
    assert code == 0 and "no Terraform example for PK990" in out and "bad (hcl)" not in out
    code, out, _ = run_cli("policies", "show", "PK101")
    assert "OriginProtocolPolicy: http-only" in _section(out, "good")


def test_every_example_converts_and_every_terraform_example_parses() -> None:
    import hcl2
    from cfn_flip import to_json

    with_terraform = 0
    for policy in load_policies():
        if policy.applies_to.startswith("edge_"):
            continue  # PK7xx examples are function code (Python/JavaScript), not template snippets
        for kind in ("bad", "good"):
            if kind in policy.examples:
                json.loads(to_json(policy.examples[kind]))
            if f"terraform_{kind}" in policy.examples:
                hcl2.loads(policy.examples[f"terraform_{kind}"])
                with_terraform += 1
    assert with_terraform >= 10  # PK101, PK201, PK301, PK401, PK501: bad and good


def test_cfn_flip_is_imported_only_for_a_json_snippet(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(BROKEN, encoding="utf-8")
    probe = ("import sys; from policykit.cli import main; code = main(sys.argv[1:]); "
             "print('CFN_FLIP=' + str('cfn_flip' in sys.modules), file=sys.stderr)")
    for args, imported in ((["scan", str(site), "--format", "json"], False),
                           (["policies", "show", "PK101"], False),
                           (["policies", "show", "PK101", "--as", "json"], True)):
        proc = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert f"CFN_FLIP={imported}" in proc.stderr, (args, proc.stderr)
