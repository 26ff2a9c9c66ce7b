"""`policykit scan`: exit codes, thresholds, parameters, user policies, a report file, what a plain scan imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES, ROOT, RunCli, Write
from tests.templates import WARNING_POLICY

BROKEN = EXAMPLES / "cloudformation" / "broken-origins.yaml"
CORRECT = EXAMPLES / "cloudformation" / "correct.yaml"

CUSTOM_ORIGIN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: web
            DomainName: origin.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: redirect-to-https}
"""


def test_exit_0_clean_1_findings_2_input_error(run_cli: RunCli, write: Write) -> None:
    assert run_cli("scan", str(CORRECT))[0] == 0
    assert run_cli("scan", str(BROKEN))[0] == 1
    bad = write("bad.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {a: [\n")
    assert run_cli("scan", str(bad))[0] == 2
    # an input error wins over findings: the run is incomplete
    assert run_cli("scan", str(BROKEN), str(bad))[0] == 2


def test_no_such_path_and_bad_usage_are_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_cli("scan", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml: no such file or directory" in err  # errors on stderr, not in the report
    assert "no such file" not in out and "1 input error(s)" in out
    code, _, err = run_cli("scan", "--format", "yaml", str(CORRECT))
    assert code == 2
    assert "Traceback" not in err
    code, _, err = run_cli("scan", "--param", "novalue", str(CORRECT))
    assert (code, "--param takes KEY=VALUE" in err) == (2, True)


def test_severity_threshold(run_cli: RunCli, write: Write) -> None:
    template = write("t/custom.yaml", CUSTOM_ORIGIN)
    policy_dir = write("p/PK950-custom.yaml", WARNING_POLICY).parent
    code, out, _ = run_cli("scan", "--policies", str(policy_dir), str(template))
    assert code == 0  # a warning is below the default threshold (error)
    assert "warning PK950 origin 'web' of distribution Distribution is a custom origin" in out
    assert run_cli("scan", "--policies", str(policy_dir), "--severity-threshold", "warning", str(template))[0] == 1
    assert run_cli("scan", "--policies", str(policy_dir), "--severity-threshold", "info", str(template))[0] == 1
    assert run_cli("scan", "--severity-threshold", "info", str(template))[0] == 0  # unknowns never fail a run


def test_user_policy_location(run_cli: RunCli, write: Write) -> None:
    template = write("t/custom.yaml", CUSTOM_ORIGIN)
    policy_dir = write("p/PK950-custom.yaml", WARNING_POLICY).parent
    _, out, _ = run_cli("scan", "--format", "json", "--policies", str(policy_dir), str(template))
    finding = next(f for f in json.loads(out)["findings"] if f["policy_id"] == "PK950")
    assert (finding["line"], finding["column"]) == (9, 25)


def test_malformed_user_policy_names_file_line_and_schema_error(run_cli: RunCli, write: Write) -> None:
    policy = write("p/PK951-bad.yaml", WARNING_POLICY.replace("id: PK950", "id: PK951")
                   .replace("severity: warning", "severity: fatal"))
    code, _, err = run_cli("scan", "--policies", str(policy.parent), str(CORRECT))
    assert code == 2
    assert f"{policy}:3:11: invalid policy: severity: must be one of error, warning, info" in err
    assert "fatal" not in err  # the value written is never quoted
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_policy_dir_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli("scan", "--policies", str(tmp_path / "nope"), str(CORRECT))
    assert code == 2
    assert "policy directory does not exist" in err


def test_param_changes_a_result(run_cli: RunCli, write: Write) -> None:
    template = write("param.yaml", CUSTOM_ORIGIN.replace("DomainName: origin.example.com", "DomainName: !Ref Origin")
                     .replace("Resources:", "Parameters:\n  Origin: {Type: String}\nResources:"))

    def pk201(*args: str) -> list[dict[str, object]]:
        _, out, _ = run_cli("scan", "--format", "json", *args, str(template))
        return [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK201" and not f["unknown"]]

    assert pk201() == []  # no default: unknown, so no finding
    fired = pk201("--param", "Origin=my-alb-1.us-east-1.elb.amazonaws.com")
    assert len(fired) == 1
    assert "my-alb-1.us-east-1.elb.amazonaws.com" in str(fired[0]["message"])
    assert pk201("--param", "Origin=origin.example.com") == []


def test_text_output_has_no_colour_when_not_a_tty(run_cli: RunCli) -> None:
    _, out, _ = run_cli("scan", str(BROKEN))
    assert "PK101" in out
    assert "\033[" not in out


def test_output_file(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, out, _ = run_cli("scan", "--format", "json", "--output", str(report), str(BROKEN))
    assert code == 1
    assert out == ""
    assert {f["policy_id"] for f in json.loads(report.read_text())["findings"]} >= {"PK101", "PK201"}


HEAVY = ("jsonschema", "cryptography", "dns", "hcl2", "lark")
PROBE = """\
import sys
from policykit.cli import main
code = main(["scan", sys.argv[1]])
print("HEAVY=" + ",".join(m for m in sys.argv[2].split(",") if m in sys.modules), "CODE=%d" % code, file=sys.stderr)
"""


def test_plain_scan_imports_no_heavy_module(write: Write) -> None:
    """Start-up budget: a static scan of a CloudFormation template loads none of the heavy dependencies."""
    template = write("one.yaml", CUSTOM_ORIGIN)
    proc = subprocess.run([sys.executable, "-c", PROBE, str(template), ",".join(HEAVY)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    report = proc.stderr.strip().splitlines()[-1]
    assert report.startswith("HEAVY= CODE="), report  # nothing after HEAVY=
    # the probe can see a heavy import: a user policy directory is validated with jsonschema
    policy_dir = write("p/PK950-custom.yaml", WARNING_POLICY).parent
    probe = PROBE.replace('["scan", sys.argv[1]]', f'["scan", "--policies", {str(policy_dir)!r}, sys.argv[1]]')
    proc = subprocess.run([sys.executable, "-c", probe, str(template), ",".join(HEAVY)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert "HEAVY=jsonschema" in proc.stderr


def test_output_repeated_feeds_several_formats(tmp_path: Path, run_cli: RunCli) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    code, out, _ = run_cli("scan", str(EXAMPLES), "--output", f"sarif={sarif}", "--output", f"junit={junit}",
                           "--output", "text=-")
    assert code == 1
    assert "PK101" in out and "error(s)" in out  # the log
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")


def test_plain_output_keeps_meaning_the_format_report(tmp_path: Path, run_cli: RunCli) -> None:
    report = tmp_path / "report.json"
    code, out, _ = run_cli("scan", str(EXAMPLES), "--format", "json", "--output", str(report))
    assert code == 1 and out == ""
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["error"] >= 5


def test_two_outputs_to_stdout_is_a_usage_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("scan", str(EXAMPLES), "--output", "text=-", "--output", "json=-")
    assert code == 2
    assert "stdout" in err


# -- No silent pass: a --param or --var that nothing declares ------------------------------------------------------

def test_a_param_no_template_declares_is_exit_2_with_the_nearest_name(run_cli: RunCli, write: Write) -> None:
    """CloudFormation refuses a parameter its template does not declare: a typo must not leave the run clean."""
    template = write("param.yaml", CUSTOM_ORIGIN.replace("DomainName: origin.example.com",
                                                         "DomainName: !Ref OriginHost")
                     .replace("Resources:", "Parameters:\n  OriginHost: {Type: String}\nResources:"))
    code, _, err = run_cli("scan", str(template), "--param", "OrignHost=x.example.com")
    assert code == 2
    assert ("policykit: --param OrignHost: no scanned CloudFormation template declares this parameter, and "
            "CloudFormation refuses undeclared ones (did you mean OriginHost?)") in err.splitlines()
    assert run_cli("scan", str(template), "--param", "OriginHost=x.example.com")[0] == 0
    code, _, err = run_cli("scan", str(CORRECT), "--param", "OriginHost=x")
    assert code == 2 and "--param OriginHost: no scanned CloudFormation template declares this parameter" in err


def test_a_var_no_module_declares_is_exit_2_with_the_nearest_name(run_cli: RunCli, tmp_path: Path) -> None:
    module = tmp_path / "cdn"
    module.mkdir()
    (module / "main.tf").write_text('variable "origin_domain" {\n  type = string\n}\n'
                                    + (EXAMPLES / "terraform" / "correct" / "main.tf").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    code, _, err = run_cli("scan", str(module), "--var", "orign_domain=x")
    assert code == 2
    assert ("policykit: --var orign_domain: no scanned Terraform module declares this variable, and Terraform "
            "refuses a -var its root module does not declare (did you mean origin_domain?)") in err.splitlines()
    assert run_cli("scan", str(module), "--var", "origin_domain=x")[0] == 0


def test_an_input_that_cannot_be_read_may_declare_the_param(run_cli: RunCli, write: Write) -> None:
    bad = write("bad.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n')
    code, _, err = run_cli("scan", str(bad), str(CORRECT), "--param", "Mine=x")
    assert code == 2 and "--param" not in err  # only the file that could not be read is the error


# -- Quiet, readable CI logs ------------------------------------------------------------------------------------------

def test_reports_only_to_files_leave_the_summary_in_the_log(run_cli: RunCli, tmp_path: Path) -> None:
    sarif = tmp_path / "policykit.sarif"
    code, out, err = run_cli("scan", str(BROKEN), "-o", f"sarif={sarif}")
    assert code == 1 and out == "" and sarif.is_file()
    [summary] = err.splitlines()
    assert summary.startswith("2 error(s), 0 warning(s), 0 info in 1 file(s), 1 distribution(s)")
    code, out, err = run_cli("scan", str(BROKEN), "-o", f"sarif={sarif}", "-o", "text=-")
    assert out.splitlines()[-1] == summary and err == ""  # a report on stdout has its own
    assert run_cli("scan", str(BROKEN), "-o", f"sarif={sarif}", "--quiet")[1:] == ("", "")


def test_quiet_and_compact(run_cli: RunCli) -> None:
    _, full, _ = run_cli("scan", str(BROKEN))
    heads = [line for line in full.splitlines() if line.startswith(str(BROKEN))]
    assert len(heads) == 2 and "    fix: " in full
    code, quiet, _ = run_cli("scan", str(BROKEN), "--quiet")  # findings (and their evidence) only
    assert code == 1 and [line for line in quiet.splitlines() if not line.startswith("    ")] == heads
    assert "fix:" not in quiet and "error(s)" not in quiet
    code, compact, _ = run_cli("scan", str(BROKEN), "--compact")  # one line per finding, and the summary
    assert code == 1 and compact.splitlines() == [*heads, full.splitlines()[-1]]
    assert run_cli("scan", str(BROKEN), "-q", "--compact")[1].splitlines() == heads
