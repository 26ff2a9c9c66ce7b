"""Bad input on the command line: files that are not templates are skipped; broken templates are one-line errors
with a position (exit 2) while the other files are still scanned. Wrong types inside a distribution are PK002
findings (tests/model/test_reader.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from policykit import api
from tests.helpers import EXAMPLES, RunCli, Write
from tests.templates import CFN_HEAD

BROKEN = EXAMPLES / "cloudformation" / "broken-origins.yaml"

NOT_TEMPLATES = {
    "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n",
    "ci/workflow.yml": ("name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - run: aws cloudformation deploy --template-file template.yaml\n"),
    "chart/templates/service.yaml": ("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"
                                     "{{- if .Values.labels }}\n  labels: {{ toYaml .Values.labels | nindent 4 }}\n"
                                     "{{- end }}\n"),
    "package.json": '{"name": "app", "version": "1.0.0", "scripts": {"build": "tsc"}}\n',
}


def _laughs() -> str:
    lines = [CFN_HEAD, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)]
    return "".join(lines) + "Resources: {}\n"


# Deep nesting: policykit's own depth bound, or the parser's own when it sees the depth first (PyYAML 6.0.4's
# scanner reads a flow collection ahead and stops at its own limit); either way one line at the right place.
# The suite must not depend on a library's wording, so for those cases any "invalid YAML" message is accepted.
DEEP = ("nested deeper than", "invalid YAML")

# name -> (content, line of the error, pieces of the message: one of them must appear)
UNREADABLE: dict[str, tuple[str, int, str | tuple[str, ...]]] = {
    "invalid.yaml": (CFN_HEAD + "Resources:\n  Bucket: {Type: AWS::S3::Bucket\n", 4, "invalid YAML"),
    "tabs.yaml": (CFN_HEAD + "Resources:\n\tBucket: {}\n", 3, "invalid YAML"),
    "invalid.json": ('{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {,}\n}\n', 3, "invalid JSON"),
    "trailing-comma.json": ('{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {"A": {"Type": "X"},}}', 2,
                            "invalid JSON"),
    "resources-list.yaml": (CFN_HEAD + "Resources: [a, b]\n", 2, "Resources must be a mapping"),
    "resource-string.yaml": (CFN_HEAD + "Resources:\n  Bucket: just-a-string\n", 3,
                             "resource Bucket must be a mapping"),
    "no-type.yaml": (CFN_HEAD + "Resources:\n  Bucket: {Properties: {}}\n", 3, "resource Bucket has no Type"),
    "properties-list.json": ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {\n'
                             '  "D": {"Type": "AWS::CloudFront::Distribution", "Properties": [1]}}}', 2,
                             "Properties of D must be a mapping"),
    "top-level-list.yaml": ("- " + CFN_HEAD, 1, "a template must be a mapping at the top"),
    "mapping-key.yaml": (CFN_HEAD + "Resources:\n  ? [a, b]\n  : {Type: AWS::S3::Bucket}\n", 3, "mapping key"),
    "deep.yaml": (CFN_HEAD + "Resources: " + "[" * 100_000 + "]" * 100_000 + "\n", 2, DEEP),
    "deep-mapping.yaml": (CFN_HEAD + "Resources: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", 2, DEEP),
    "deep.json": ('{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": ' + "[" * 100_000 + "]" * 100_000
                  + "}", 2, "nested deeper than"),
    # "lol" * 10**9 through aliases: stopped by the text bound (4 MiB) before the value bound
    "laughs.yaml": (_laughs(), 8, ("aliases expand to more than", "aliases repeat more than")),
    "recursive.yaml": (CFN_HEAD + "Resources: &r\n  A: *r\n", 3, "alias *r refers to itself"),
    "undefined-alias.yaml": (CFN_HEAD + "Resources: *nowhere\n", 2, "alias *nowhere has no anchor"),
}


@pytest.mark.parametrize("name", sorted(NOT_TEMPLATES))
def test_not_a_template_is_skipped(run_cli: RunCli, write: Write, name: str) -> None:
    path = write(name, NOT_TEMPLATES[name])
    code, out, err = run_cli("scan", "--format", "json", str(path))
    assert (code, err) == (0, NOTHING_CHECKED + " (1 file(s) skipped, not templates)\n")  # not an error, not silent
    document = json.loads(out)
    assert document["summary"]["skipped"] == 1
    assert document["summary"]["files"] == 0
    assert document["errors"] == []
    assert document["findings"] == []


def test_directory_of_non_templates_is_quiet(run_cli: RunCli, write: Write, tmp_path: Path) -> None:
    for name, text in NOT_TEMPLATES.items():
        write(name, text)
    code, out, err = run_cli("scan", str(tmp_path))
    assert (code, err) == (0, NOTHING_CHECKED + f" ({len(NOT_TEMPLATES)} file(s) skipped, not templates)\n")
    assert "input error" not in out


NOTHING_CHECKED = "policykit: nothing was checked: no CloudFormation template or Terraform among the inputs"


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_template_is_one_line_error_and_others_still_scan(run_cli: RunCli, write: Write,
                                                                     name: str) -> None:
    text, line, pieces = UNREADABLE[name]
    accepted = (pieces,) if isinstance(pieces, str) else pieces
    path = write(name, text)
    started = time.monotonic()
    code, out, err = run_cli("scan", "--format", "json", str(path), str(BROKEN))
    assert time.monotonic() - started < 20, "no hang"
    assert code == 2
    document = json.loads(out)
    [error] = document["errors"]
    assert error["file"] == str(path)
    assert error["line"] == line, error
    assert any(piece in error["message"] for piece in accepted), error
    # the other file is still scanned and reported
    assert {"PK101", "PK201"} <= {f["policy_id"] for f in document["findings"]}
    assert document["summary"]["files"] == 1
    # stderr: exactly one line `policykit: file:line:col: message`, never a traceback
    [stderr_line] = err.strip().splitlines()
    assert stderr_line.startswith(f"policykit: {path}:{line}:")
    assert any(piece in stderr_line for piece in accepted)
    assert "Traceback" not in out + err


def test_invalid_utf8(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(CFN_HEAD.encode() + b"Description: caf\xe9 au lait\nResources: {}\n")
    code, out, err = run_cli("scan", str(path), str(BROKEN))
    assert code == 2
    assert f"policykit: {path}:2:17: not valid UTF-8 text\n" in err  # errors on stderr
    assert " PK201 " in out


def test_text_error_line(run_cli: RunCli, write: Write) -> None:
    path = write("invalid.yaml", UNREADABLE["invalid.yaml"][0])
    code, out, err = run_cli("scan", str(path))
    assert code == 2
    [error_line] = err.splitlines()  # on stderr, once: the text report on stdout only counts it
    assert error_line.startswith(f"policykit: {path}:4:")
    assert "(input error)" not in out and out.splitlines()[-1].endswith("1 input error(s)")


def test_alias_bomb_does_not_blow_up_memory(write: Write) -> None:
    import tracemalloc

    path = write("laughs.yaml", _laughs())
    tracemalloc.start()
    try:
        result = api.scan([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.errors
    assert peak < 200 * 1024 * 1024
