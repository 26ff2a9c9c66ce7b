"""GitHub Actions workflow commands (policykit/reporters/github.py): one annotation per finding, escaped, at its
severity."""

from __future__ import annotations

from policykit.core.location import Location
from policykit.findings import Finding, ScanResult, Severity
from policykit.reporters import ReportOptions
from policykit.reporters.github import escape_data, escape_property
from tests.helpers import EXAMPLES, RunCli


def test_github_annotations(run_cli: RunCli) -> None:
    code, out, _ = run_cli("scan", str(EXAMPLES / "cloudformation" / "broken-origins.yaml"), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines)
    pk101 = next(line for line in lines if "title=PK101" in line)
    assert pk101.startswith("::error file=")
    assert ",line=30,col=37," in pk101
    assert "\n" not in pk101 and "%0AFix: " in pk101


def test_github_escaping_and_severity_commands() -> None:
    from io import StringIO

    from policykit.reporters.github import render

    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    findings = [
        Finding("PK9", "t: with, punctuation", severity, f"{severity.value} message", Location("a,b.yaml", 3, 4))
        for severity in Severity
    ]
    stream = StringIO()
    render(ScanResult(findings=findings), stream, ReportOptions())
    lines = stream.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice"]
    assert "file=a%2Cb.yaml,line=3,col=4,title=PK9 t%3A with%2C punctuation::" in lines[0]
