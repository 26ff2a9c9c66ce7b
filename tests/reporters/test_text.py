"""The text report (policykit/reporters/text.py): file:line:col, the fix, a summary; colour and unknowns on request."""

from __future__ import annotations

from pathlib import Path

from policykit import api
from tests.helpers import EXAMPLES, Write
from tests.reporters.helpers import render
from tests.templates import cfn_distribution, cfn_template

CFN = EXAMPLES / "cloudformation"


def test_text_report(mixed: list[Path]) -> None:
    out = render("text", api.scan(mixed))
    assert "\033[" not in out
    lines = out.splitlines()
    assert any("invalid.yaml:4:1: invalid YAML" in line and line.endswith("(input error)") for line in lines)
    first = next(line for line in lines if " PK201 " in line)
    assert first.startswith(f"{CFN / 'broken-origins.yaml'}:33:25: error PK201 origin 'api' of distribution")
    assert any(line.startswith("    fix: ") for line in lines)
    assert "1 file(s) skipped (not templates: " in lines[-1] and "configmap.yaml)" in lines[-1]
    assert "1 input error(s)" in lines[-1]


def test_text_report_colour_only_when_asked() -> None:
    result = api.scan([CFN / "broken-origins.yaml"])
    assert "\033[31m" in render("text", result, color=True)
    assert "\033[" not in render("text", result, color=False)


def test_text_hides_unknowns_unless_asked(write: Write) -> None:
    template = write("unknown.yaml", UNKNOWN_ORIGIN)
    result = api.scan([template])
    assert any(f.unknown and f.policy_id == "PK201" for f in result.findings)
    assert "not checked" not in render("text", result)
    assert "PK201 HTTPS to an AWS-generated origin name no certificate can cover: not checked for origin 'web'" in (
        render("text", result, show_unknown=True))


UNKNOWN_ORIGIN = cfn_template(cfn_distribution(domain="!Ref Origin", origin_id="web", cache_policy=None),
                              parameters="  Origin: {Type: String}\n")


def test_a_probe_summary_speaks_of_its_target_not_of_a_template() -> None:
    """`policykit probe` has no template: its summary names the target and says what could not be checked there."""
    from policykit.core.location import Location
    from policykit.findings import Finding, ScanResult, Severity

    unknown = Finding(policy_id="PK610", title="t", severity=Severity.INFO, message="not checked", unknown=True,
                      location=Location("", 0, 0), resource="origin.example.com:443")
    summary = render("text", ScanResult(findings=(unknown,), show_all_observed=True)).splitlines()[-1]
    assert summary == ("0 error(s), 0 warning(s), 0 info probing origin.example.com:443; 1 check(s) could not be "
                       "made on what the target answered (--show-unknown lists them)")


def test_not_checked_notes_say_why_in_words_not_fact_names(write: Write) -> None:
    template = write("site.yaml", cfn_template(cfn_distribution(
        config_extra="        ViewerCertificate:\n          AcmCertificateArn: !Ref Cert\n"
                     "          SslSupportMethod: sni-only\n",
        extra=""), "  Cert: {Type: String}\n"))
    notes = [f.message for f in api.scan([template]).findings if f.unknown]
    assert notes and not any(fact in note for note in notes for fact in (
        "certificate_in_us_east_1:", "tls_compatible:", "admits_cloudfront:", "covered:"))
    [pk303] = [n for n in notes if n.startswith("Viewer ACM certificate outside us-east-1")]
    assert pk303.endswith(": not checked for Distribution: parameter Cert has no default (give --param Cert=...)")
