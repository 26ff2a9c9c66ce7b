"""The policy loader (policykit/policy/loader.py): the catalog loads, and a policy file read without the schema
(the built-in catalog's fast path) that is not a mapping or has a field of the wrong type is a PolicyError
naming the file and the field, never a crash later."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from policykit.core.errors import PolicyError
from policykit.policy.loader import compile_catalog, load_policies, read_policy_file
from tests.helpers import EXAMPLES, RunCli, Write
from tests.templates import cfn_with_origins

VALID = """\
id: PK901
title: Custom check
severity: error
applies_to: origin
condition:
  fact: uses_https
  equals: true
message: "{label} is wrong"
"""


def test_the_valid_policy_of_these_tests_loads_without_the_schema(write: Write) -> None:
    policy = read_policy_file(write("p/PK901-custom.yaml", VALID), validate=False)
    assert (policy.id, policy.applies_to, policy.references) == ("PK901", "origin", ())


@pytest.mark.parametrize("text", ["- id: PK901\n", "just text\n", "42\n", ""])
def test_a_policy_file_that_is_not_a_mapping_is_a_policy_error(write: Write, text: str) -> None:
    path = write("p/PK901-custom.yaml", text)
    with pytest.raises(PolicyError, match=r"invalid policy: \(top\): a policy is a mapping") as caught:
        read_policy_file(path, validate=False)
    assert str(caught.value).startswith(f"{path}: ")


@pytest.mark.parametrize(("change", "said"), [
    (("title: Custom check", "title: [Custom, check]"), "title must be text"),
    (('message: "{label} is wrong"', "message: 42"), "message must be text"),
    # the value written is never quoted: a file read by mistake must not be echoed into a log
    (("applies_to: origin", "applies_to: [origin]"), "applies_to must be one of alias, behavior"),
    (("applies_to: origin", "applies_to: planet"), "applies_to must be one of alias, behavior"),
    (("title: Custom check", "title: Custom check\nreferences: https://example.com"),
     "references must be a list of text"),
    (("title: Custom check", "title: Custom check\ntags: [a, 1]"), "tags must be a list of text"),
    (("title: Custom check", "title: Custom check\nexamples: [bad]"), "examples must be a mapping of text"),
    (("title: Custom check", "title: Custom check\nevidence: {seen: [1]}"), "evidence must be a mapping of text"),
    (("title: Custom check", "title: Custom check\nseverity_when: {severity: warning}"),
     "severity_when must be a list of mappings"),
    (("title: Custom check", "title: Custom check\nseverity_when: [{severity: warning, condition: [x]}]"),
     "condition must be a mapping"),
])
def test_a_field_of_the_wrong_type_is_a_policy_error_naming_it(write: Write, change: tuple[str, str],
                                                                said: str) -> None:
    path = write("p/PK901-custom.yaml", VALID.replace(*change))
    with pytest.raises(PolicyError) as caught:
        read_policy_file(path, validate=False)
    assert str(caught.value).startswith(f"{path}: invalid policy")
    assert said in str(caught.value)


def test_unreadable_policy_files_are_policy_errors(write: Write, tmp_path: Path) -> None:
    undecodable = tmp_path / "PK902-latin1.yaml"
    undecodable.write_bytes(VALID.encode().replace(b"Custom", b"caf\xe9"))
    with pytest.raises(PolicyError, match="cannot read policy file"):
        read_policy_file(undecodable, validate=False)
    with pytest.raises(PolicyError, match="invalid YAML"):
        read_policy_file(write("p/PK903-broken.yaml", "id: [PK903\n"), validate=False)


def test_compiling_a_catalog_refuses_a_file_that_is_not_a_mapping(write: Write) -> None:
    write("catalog/PK901-custom.yaml", VALID)
    directory = write("catalog/PK902-list.yaml", "- id: PK902\n").parent
    with pytest.raises(PolicyError, match=r"PK902-list.yaml: invalid policy: \(top\): a policy is a mapping"):
        compile_catalog(directory)


def test_builtin_policies_are_schema_valid() -> None:
    ids = [p.id for p in load_policies(validate_builtin=True)]
    assert {"PK101", "PK201", "PK301", "PK401", "PK501"} <= set(ids)


MANY_MISTAKES = """\
id: PK904
title: Origin read timeout above our 30 s limit
severty: warning
severity: warnng
applies_to: origin
condition:
  all:
    - fact: uses_https
      equal: true
    - fact: read_timeout
      gt: thirty
    - facts: protocol_policy
      equals: https-only
    - fact: read_timout
      gt: 30
    - fact: read_timeout
    - fact: read_timeout
      gt: 1
      lt: 5
    - any_item:
        of: custom_headers
        were:
          fact: name
          equals: x
message: "{label} waits {read_timeout} s."
"""


def test_every_mistake_of_a_policy_file_is_reported_at_once_each_at_its_line(write: Write) -> None:
    """A misspelt operator is named with the nearest one, not "is not valid under any of the given schemas";
    and a policy with ten mistakes takes one run to see them, not ten."""
    path = write("mine/PK904-many.yaml", MANY_MISTAKES)
    with pytest.raises(PolicyError) as caught:
        read_policy_file(path, validate=True)
    lines = caught.value.lines()
    expected = {
        3: "unknown key 'severty' (did you mean 'severity'?)",
        4: "must be one of error, warning, info (did you mean 'warning'?)",  # never the value written
        9: "unknown operator 'equal' (did you mean 'equals'?)",
        11: "must be a number",
        12: "unknown key 'facts' in a condition (did you mean 'fact'?)",
        14: "'read_timout' in 'read_timout' is neither a fact nor a field of origin (did you mean 'read_timeout'?)",
        16: "fact 'read_timeout' has no operator",
        19: "one operator per condition, this one has gt, lt",
        22: "unknown key 'were' (did you mean 'where'?)",
    }
    for line, said in expected.items():
        assert any(text.startswith(f"{path}:{line}:") and said in text for text in lines), (line, said, lines)
    assert all("is not valid under any of the given schemas" not in text for text in lines)
    assert all("\n" not in text for text in lines) and str(caught.value) == "\n".join(lines)


def test_a_policy_files_problems_reach_the_command_line_one_line_each(write: Write, run_cli: RunCli) -> None:
    path = write("mine/PK904-many.yaml", MANY_MISTAKES)
    code, _, err = run_cli("scan", "--policies", str(path.parent), str(path))
    assert code == 2
    said = err.strip().splitlines()
    assert len(said) >= 9 and all(line.startswith(f"policykit: {path}:") for line in said)
    code, out, err = run_cli("policies", "validate", str(path.parent))
    assert code == 2 and "1 invalid" in out and len(err.strip().splitlines()) == len(said)


def test_a_key_of_a_policy_file_cannot_forge_a_line(write: Write) -> None:
    path = write("mine/PK905-forged.yaml", VALID.replace("  equals: true", '  "equals\\nPK905 ok\\u001b[2J": true'))
    with pytest.raises(PolicyError) as caught:
        read_policy_file(path, validate=True)
    [line] = caught.value.lines()
    assert "\n" not in line and "\x1b" not in line and "\\x1b[2J" in line and "unknown operator" in line


_MATCHING = VALID.replace("  fact: uses_https\n  equals: true\n", "  fact: domain_name\n  matches: PATTERN\n")


@pytest.mark.parametrize(("pattern", "said"), [
    (r"'(a)\1'", "invalid escape sequence"),  # a backreference
    ("'^(?=www)'", "invalid perl operator"),  # a lookahead
    ("'(?<=a)b'", "invalid perl operator"),  # a lookbehind
])
def test_a_pattern_re2_refuses_is_a_policy_error_at_its_line(write: Write, run_cli: RunCli, pattern: str,
                                                             said: str) -> None:
    path = write("p/PK901-custom.yaml", _MATCHING.replace("PATTERN", pattern))
    with pytest.raises(PolicyError) as caught:
        read_policy_file(path, validate=True)
    assert str(caught.value).startswith(f"{path}:7:12: invalid policy PK901: matches: RE2 cannot run this pattern")
    assert said in str(caught.value) and "no backreferences or lookarounds" in str(caught.value)
    code, _, err = run_cli("scan", "--no-config", "--policies", str(path.parent), str(EXAMPLES / "cloudformation"))
    assert code == 2 and len(err.strip().splitlines()) == 1  # RE2's own logging is off: one line, ours
    assert err.startswith(f"policykit: {path}:7:12: ")


def test_a_repository_policy_with_a_backtracking_pattern_scans_quickly(write: Write, run_cli: RunCli) -> None:
    """`matches: '^(a+)+$'` against a 40-character origin domain hung Python's `re`; RE2 answers at once."""
    directory = write("p/ACME001-hang.yaml", _MATCHING.replace("PK901", "ACME001")
                      .replace("PATTERN", "'^(a+)+$'")).parent
    domain = "a" * 36 + ".com"
    template = write("t.yaml", cfn_with_origins([{"id": "app", "domain": domain, "port": 443}]))
    started = time.perf_counter()
    code, out, err = run_cli("scan", "--no-config", "--policies", str(directory), "--format", "json", str(template))
    assert code in (0, 1), err
    assert "ACME001" not in {f["policy_id"] for f in json.loads(out)["findings"]}
    assert time.perf_counter() - started < 10
