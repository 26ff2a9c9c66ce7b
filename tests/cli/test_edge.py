"""`policykit edge validate|run` on bad input (one line, exit 2) and in every output format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import RunCli, Write

RESULT = """\
{
  "status": "302",
  "headers": {
    "location": [{"key": "Location", "value": "https://www.example.com/"}],
    "x-cache": [{"key": "X-Cache", "value": "HIT"}]
  }
}
"""


@pytest.mark.parametrize(("args", "text"), [
    (("edge", "validate", "{missing}", "--event", "viewer-request"), "no such result file"),
    (("edge", "validate", "{broken}", "--event", "viewer-request"), "invalid JSON"),
    (("edge", "validate", "{good}", "--event", "viewer-request", "--request", "{broken}"), "invalid JSON"),
    (("edge", "validate", "{good}", "--event", "viewer-request", "--request", "{array}"), "not a JSON object"),
    (("edge", "run", "{missing}:handler", "--event", "viewer-request"), "no such handler file"),
    (("edge", "run", "{py}:nope", "--event", "viewer-request"), "has no function 'nope'"),
    (("edge", "run", "{py}:not-a-name", "--event", "viewer-request"), "is not a function name"),
    (("edge", "run", "{broken}:handler", "--event", "viewer-request"), "not a Python (.py) or Node.js"),
    (("edge", "run", "{dir}", "--event", "viewer-request"), "has no index.js"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--header", "NoColon"), "write 'Name: value'"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--request", "{broken}"), "invalid JSON"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--timeout", "0"), "more than 0"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--runtime", "ruby3.3"), "write python, python3.12"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--runtime", "nodejs20.x"), "does not match"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--kvs", "{array}"), "key value store file is"),
    (("edge", "run", "{py}:handler", "--event", "viewer-request", "--kvs", "{missing}"), "no such key value store"),
])
def test_bad_input_is_one_line_and_exit_2(run_cli: RunCli, write: Write, tmp_path: Path, args: tuple[str, ...],
                                          text: str) -> None:
    paths = {"missing": str(tmp_path / "nowhere.json"), "broken": str(write("broken.json", '{"status": ')),
             "good": str(write("good.json", RESULT)), "array": str(write("array.json", "[1]")),
             "py": str(write("h.py", "def handler(event, context):\n    return None\n")),
             "dir": str(write("empty/readme.txt", "x").parent)}
    code, out, err = run_cli(*(a.format(**paths) for a in args))
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and text in lines[0] and "Traceback" not in err
    if text not in ("write 'Name: value'", "more than 0", "write python, python3.12"):  # the others name their file
        named = [p for key, p in paths.items() if "{" + key + "}" in " ".join(args)]
        assert any(Path(p).name in lines[0] for p in named), lines[0]


def test_invalid_json_names_the_line(run_cli: RunCli, write: Write) -> None:
    path = write("bad.json", '{\n  "status": "200",\n  "body": \n}\n')
    code, _, err = run_cli("edge", "validate", str(path), "--event", "viewer-request")
    assert code == 2 and f"{path}:4:1: invalid JSON" in err


def test_stdin(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(RESULT))
    code, out, _ = run_cli("edge", "validate", "-", "--event", "viewer-request")
    assert code == 1 and "-:5:" in out and "PK705" in out  # named `-`, as `scan -` names standard input


def test_findings_point_at_the_json_path_and_line(run_cli: RunCli, write: Write) -> None:
    path = write("r.json", RESULT)
    code, out, _ = run_cli("edge", "validate", str(path), "--event", "viewer-request")
    assert code == 1
    assert f"{path}:5:17: error PK705" in out and "$.headers['x-cache'][0]" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "text"])
def test_every_format(run_cli: RunCli, write: Write, fmt: str) -> None:
    path = write("r.json", RESULT)
    code, out, _ = run_cli("edge", "validate", str(path), "--event", "viewer-request", "--format", fmt)
    assert code == 1
    if fmt == "json":
        finding = json.loads(out)["findings"][0]
        assert (finding["policy_id"], finding["line"], finding["column"]) == ("PK705", 5, 17)
    elif fmt == "sarif":
        run = json.loads(out)["runs"][0]
        region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
        assert run["results"][0]["ruleId"] == "PK705" and region["startLine"] == 5
    elif fmt == "junit":
        failures = [c for c in ET.fromstring(out).iter("testcase") if c.find("failure") is not None]
        assert failures and "PK705" in ET.tostring(failures[0], encoding="unicode")
    elif fmt == "github":
        assert "::error file=" in out and "line=5" in out and "PK705" in out
    else:
        assert "PK705" in out


def test_output_to_a_file_and_threshold(run_cli: RunCli, write: Write, tmp_path: Path) -> None:
    path = write("r.json", RESULT.replace("x-cache", "x-my-cache").replace("X-Cache", "X-My-Cache"))
    report = tmp_path / "out.sarif"
    code, _, _ = run_cli("edge", "validate", str(path), "--event", "viewer-request", "--output", f"sarif={report}")
    assert code == 0 and json.loads(report.read_text())["runs"][0]["results"] == []


def test_help_says_it_runs_code_and_what_is_not_covered(run_cli: RunCli) -> None:
    code, out, _ = run_cli("edge", "run", "--help")
    assert code == 0
    assert "only on code you trust" in " ".join(out.split())
    assert "Not covered for CloudFront Functions" in " ".join(out.split())


def test_policies_show_explains_an_edge_policy(run_cli: RunCli) -> None:
    code, out, _ = run_cli("policies", "show", "PK706")
    assert code == 0 and "read-only" in out and "applies to: edge_header" in out
    code, out, _ = run_cli("policies", "list")
    assert all(f"PK7{n:02d}" in out for n in range(1, 18))


def test_node_handler_without_node_is_one_line_exit_2(run_cli: RunCli, write: Write,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    handler = write("h.js", "exports.handler = async (e) => e.Records[0].cf.request;\n")
    monkeypatch.setenv("PATH", str(handler.parent))  # no node on this PATH
    code, _, err = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request")
    assert code == 2
    assert err.strip().splitlines() == ["policykit: node is not on PATH: install Node.js to run Node.js handlers "
                                        "and CloudFront Functions"]


def test_edge_policies_name_only_facts_and_fields_that_exist() -> None:
    """The loader checks fact paths of the model kinds it imports; edge kinds load lazily, so every PK7xx fail
    fixture is judged here: an unknown path raises, and a placeholder that cannot be filled stays in the text."""
    import re

    from policykit.api import judge_edge_runs
    from policykit.edge.fixtures import fixture_run
    from policykit.policy.loader import load_policies
    from policykit.policy.testing import fixtures_of
    from policykit.source.yaml_loader import load_yaml

    policies = load_policies()
    checked = 0
    for policy in (p for p in policies if p.id.startswith("PK7")):
        for fixture in (f for f in fixtures_of(policy) if f.outcome == "fail"):
            spec = load_yaml(fixture.path.read_text(encoding="utf-8"), str(fixture.path))
            for finding in judge_edge_runs([fixture_run(fixture.path, spec)], policies):
                texts = [finding.message, finding.fix, *(value for _, value in finding.evidence)]
                assert not any(re.search(r"(?<!\$)\{[a-z_][a-z0-9_.]*\}", t) for t in texts), (policy.id, texts)
                checked += 1
    assert checked >= 17
