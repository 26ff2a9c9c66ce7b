"""Suppressions applied after detection (policykit/filters/suppressions.py): CloudFormation resource and template
Metadata, Terraform comments, expiry, unused."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from policykit.api import scan
from policykit.core.location import Location
from policykit.filters.suppressions import apply
from policykit.findings import Finding, ScanResult, Severity, Suppression
from policykit.source.suppressions import terraform_suppressions
from tests.helpers import RunCli, Write
from tests.templates import BROKEN, BROKEN_LINE, FIXED, TF_MODULE, TF_SUPPRESSED, with_resource_metadata


def _ignore(policy_id: str = "PK101", reason: str = "S3 moves behind OAC next sprint", expires: str = "",
            indent: int = 6) -> str:
    pad = " " * indent
    lines = [f"{pad}policykit:", f"{pad}  ignore:", f"{pad}    - id: {policy_id}"]
    if reason:
        lines.append(f"{pad}      reason: {reason}")
    if expires:
        lines.append(f"{pad}      expires: {expires}")
    return "\n".join(lines) + "\n"


def _known(result: ScanResult, policy_id: str) -> list[Finding]:
    return [f for f in result.findings if f.policy_id == policy_id and not f.unknown]


def test_resource_metadata_suppresses_and_keeps_the_finding(write: Write, run_cli: RunCli) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, _ignore()))
    result = scan([path])
    [finding] = _known(result, "PK101")
    assert finding.suppressed == "S3 moves behind OAC next sprint"
    assert not result.worst_at_least(Severity.INFO)
    code, out, _ = run_cli("scan", str(path), "--format", "json")
    assert code == 0  # suppressed findings do not count
    [shown] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert shown["suppressed"] is True and shown["suppression_reason"] == "S3 moves behind OAC next sprint"


def test_template_metadata_suppresses_the_whole_file(write: Write) -> None:
    text = "Metadata:\n" + _ignore(indent=2) + BROKEN
    result = scan([write("site.yaml", text)])
    [finding] = _known(result, "PK101")
    assert finding.suppressed
    assert not _known(result, "PK003")


def test_suppression_of_another_policy_does_not_hide_the_finding(write: Write) -> None:
    result = scan([write("site.yaml", with_resource_metadata(BROKEN, _ignore("PK201")))])
    [finding] = _known(result, "PK101")
    assert not finding.suppressed
    [unused] = _known(result, "PK003")  # matches nothing: reported so it can be removed
    assert unused.severity is Severity.INFO and "PK201" in unused.message
    assert unused.location.line == 13  # the `- id:` item in Metadata


def test_suppression_without_reason_is_an_input_error(write: Write, run_cli: RunCli) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, _ignore(reason="")))
    code, out, err = run_cli("scan", str(path))
    assert code == 2
    assert f"{path}:13:" in out + err and "needs a reason" in out + err
    assert "Traceback" not in out + err


def test_expired_suppression_stops_suppressing_and_says_so(write: Write) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, _ignore(expires="2001-01-31")))
    result = scan([path])
    [finding] = _known(result, "PK101")
    assert not finding.suppressed and finding.location.line == BROKEN_LINE + 6  # 6 Metadata lines above
    [expired] = _known(result, "PK004")
    assert expired.severity is Severity.WARNING
    assert "expired on 2001-01-31" in expired.message


def test_future_expiry_still_suppresses(write: Write) -> None:
    result = scan([write("site.yaml", with_resource_metadata(BROKEN, _ignore(expires="2999-12-31")))])
    assert _known(result, "PK101")[0].suppressed
    assert not _known(result, "PK004")


def test_bad_expiry_date_names_its_line(write: Write) -> None:
    result = scan([write("site.yaml", with_resource_metadata(BROKEN, _ignore(expires="next-week")))])
    [error] = result.errors
    assert error.line == 15 and "not a date" in error.message


# --- Terraform ------------------------------------------------------------------------------


def test_terraform_matching_on_constructed_findings() -> None:
    def finding(policy_id: str, resource: str, file: str = "infra/main.tf") -> Finding:
        return Finding(policy_id, "t", Severity.ERROR, "m", Location(file, 5, 3), resource=resource,
                       distribution=resource)

    result = ScanResult(findings=[
        finding("PK101", "aws_cloudfront_distribution.cdn"),
        finding("PK101", "module.edge.aws_cloudfront_distribution.cdn[0]", "infra/cdn.tf"),
        finding("PK101", "aws_cloudfront_distribution.other"),
        finding("PK101", "aws_cloudfront_distribution.cdn", "elsewhere/main.tf"),
        finding("PK201", "aws_cloudfront_distribution.other", "infra/other.tf"),
    ])
    result = apply(result, datetime.date(2030, 1, 1), terraform_suppressions(TF_SUPPRESSED, "infra/main.tf"))
    marks = [(f.policy_id, f.resource, f.location.file, bool(f.suppressed)) for f in result.findings]
    assert ("PK101", "aws_cloudfront_distribution.cdn", "infra/main.tf", True) in marks
    assert ("PK101", "module.edge.aws_cloudfront_distribution.cdn[0]", "infra/cdn.tf", True) in marks
    assert ("PK101", "aws_cloudfront_distribution.other", "infra/main.tf", False) in marks
    assert ("PK101", "aws_cloudfront_distribution.cdn", "elsewhere/main.tf", False) in marks
    assert ("PK201", "aws_cloudfront_distribution.other", "infra/other.tf", True) in marks  # module-wide


@pytest.mark.parametrize(("comment", "suppressed", "extra"), [
    ("# policykit:ignore PK101 website endpoint until the move expires=2999-12-31", True, None),
    ("# policykit:ignore PK101 website endpoint until the move expires=2001-01-01", False, "PK004"),
    ("// policykit:ignore PK201 not this one", False, "PK003"),
])
def test_terraform_end_to_end(write: Write, comment: str, suppressed: bool, extra: str | None) -> None:
    pytest.importorskip("policykit.terraform")
    path = write("infra/main.tf", TF_MODULE.replace("IGNORE", comment))
    result = scan([path])
    assert not result.errors
    [finding] = _known(result, "PK101")
    assert bool(finding.suppressed) is suppressed
    if extra:
        assert _known(result, extra)


def test_summaries_leave_suppressed_findings_out_and_say_how_many(write: Write, run_cli: RunCli) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, _ignore()))
    code, out, _ = run_cli("scan", str(path), "--format", "json", "--severity-threshold", "info")
    doc = json.loads(out)
    assert [(f["policy_id"], f["suppressed"]) for f in doc["findings"]] == [("PK101", True)]
    assert doc["summary"]["error"] == 0 and doc["summary"]["suppressed"] == 1
    assert "baseline" not in doc["summary"]
    assert code == 0  # even at the lowest threshold
    code, out, _ = run_cli("scan", str(path))
    summary = out.splitlines()[-1]
    assert summary.startswith("0 error(s),") and "; 1 suppressed" in summary
    # a suppressed finding is still shown: one line (where, id, subject, reason), in full with --show-suppressed
    [line] = out.splitlines()[:-1]
    assert line.endswith("site.yaml:22:37: suppressed PK101 on origin 'site': S3 moves behind OAC next sprint")
    code, out, _ = run_cli("scan", str(path), "--show-suppressed")
    assert "suppressed: S3 moves behind OAC next sprint" in out
    assert "S3 website endpoints do not speak HTTPS" in out and "fix:" in out


# -- The bookkeeping speaks only of policies that ran ---------------------------------------------------------------

def _suppressions(*entries: tuple[str, str]) -> str:
    """Resource Metadata with one ignore entry per (id, expires)."""
    lines = ["      policykit:", "        ignore:"]
    for policy_id, expires in entries:
        lines += [f"          - id: {policy_id}", "            reason: reviewed"]
        lines += [f"            expires: {expires}"] if expires else []
    return "\n".join(lines) + "\n"


def _bookkeeping(run_cli: RunCli, path: object, *args: str) -> list[tuple[str, str]]:
    """(id, the policy id it is about) of each PK003, PK004 and PK008 of a scan."""
    code, out, _ = run_cli("scan", str(path), "--format", "json", "--exit-zero", *args)
    assert code == 0, out
    found = [f for f in json.loads(out)["findings"] if f["policy_id"] in ("PK003", "PK004", "PK008")]
    return sorted((f["policy_id"], re.findall(r"PK\w{3}", f["message"])[-1]) for f in found)


def test_select_and_skip_do_not_turn_valid_suppressions_into_findings(write: Write, run_cli: RunCli) -> None:
    """A correct suppression of a policy that did not run is not 'unused' (advice that would delete it), and an
    expired one is not 'reported again' when nothing is reported; a near miss naming it is not reported either."""
    metadata = _suppressions(("PK101", ""), ("PK301", "2020-01-31")) + "        skip: [PK101]\n"
    path = write("site.yaml", with_resource_metadata(BROKEN, metadata))
    assert _bookkeeping(run_cli, path) == [("PK004", "PK301"), ("PK008", "PK101")]  # PK101 is suppressed
    assert _bookkeeping(run_cli, path, "--select", "PK201") == []
    assert _bookkeeping(run_cli, path, "--skip", "PK101,PK301") == []
    assert _bookkeeping(run_cli, path, "--select", "PK101") == [("PK008", "PK101")]
    assert _bookkeeping(run_cli, path, "--select", "PK301") == [("PK004", "PK301")]
    assert _bookkeeping(run_cli, path, "--skip", "PK003,PK004,PK008") == []


def test_a_misspelt_id_is_still_unused_whatever_is_selected(write: Write, run_cli: RunCli) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, _suppressions(("PK1O1", ""))))
    for args in ((), ("--select", "PK201"), ("--skip", "PK101")):
        assert _bookkeeping(run_cli, path, *args) == [("PK003", "PK1O1")], args


def test_a_live_policy_is_not_run_without_live(write: Write, run_cli: RunCli) -> None:
    """PK601 runs only with --live: its suppression is not unused in a scan without it."""
    path = write("site.yaml", with_resource_metadata(FIXED, _suppressions(("PK601", ""))))
    assert _bookkeeping(run_cli, path) == []


def test_the_library_applies_the_same_bookkeeping(write: Write) -> None:
    from policykit.api import ScanOptions

    path = write("site.yaml", with_resource_metadata(BROKEN, _suppressions(("PK101", ""))))
    assert _known(scan([path], ScanOptions(enabled=frozenset({"PK201"}))), "PK003") == []
    assert [f.about for f in _known(scan([path], ScanOptions(disabled=frozenset({"PK101"}))), "PK003")] == []
    [suppressed] = _known(scan([path]), "PK101")
    assert suppressed.suppressed == "reviewed"


def test_a_suppression_holds_through_its_expiry_date_and_stops_the_day_after() -> None:
    where = Location("site.yaml", 13, 7)
    ignore = Suppression("PK101", "moving to OAC", where, expires=datetime.date(2030, 6, 15), resource="Site",
                         scope="site.yaml")
    broken = Finding("PK101", "t", Severity.ERROR, "m", Location("site.yaml", 20, 9), resource="Site",
                     distribution="Site")

    def outcome(today: datetime.date) -> tuple[bool, list[str]]:
        result = apply(ScanResult(findings=[broken]), today, [ignore])
        (finding,) = [f for f in result.findings if f.policy_id == "PK101"]
        return bool(finding.suppressed), [f.policy_id for f in result.findings if f.policy_id != "PK101"]

    assert outcome(datetime.date(2030, 6, 14)) == (True, [])
    assert outcome(datetime.date(2030, 6, 15)) == (True, [])  # the expiry date itself still suppresses
    assert outcome(datetime.date(2030, 6, 16)) == (False, ["PK004"])
    assert ignore.expired(datetime.date(2030, 6, 16)) and not ignore.expired(datetime.date(2030, 6, 15))
    assert not Suppression("PK101", "r", where).expired(datetime.date(2999, 1, 1))  # no expiry: never expires


def test_what_a_suppression_covers_file_module_and_resource() -> None:
    from policykit.filters.suppressions import covers

    def finding(policy_id: str, file: str, resource: str = "Site", distribution: str = "") -> Finding:
        return Finding(policy_id, "t", Severity.ERROR, "m", Location(file, 5, 3), resource=resource,
                       distribution=distribution or resource)

    where = Location("site.yaml", 3, 1)
    cfn = Suppression("pk101", "r", where, resource="Site", scope="site.yaml")
    assert covers(cfn, finding("PK101", "site.yaml"))  # ids compare without case
    assert not covers(cfn, finding("PK101", "other.yaml")) and not covers(cfn, finding("PK201", "site.yaml"))
    assert not covers(cfn, finding("PK101", "site.yaml", "Other"))
    assert covers(cfn, finding("PK101", "site.yaml", "SiteOrigin", distribution="Site"))  # its distribution's
    assert covers(Suppression("PK101", "r", where, scope="site.yaml"), finding("PK101", "site.yaml", "Any"))

    tf = Suppression("PK101", "r", where, resource="aws_cloudfront_distribution.cdn", scope="infra", terraform=True)
    assert covers(tf, finding("PK101", "infra/main.tf", 'aws_cloudfront_distribution.cdn["a"]'))  # for_each
    assert covers(tf, finding("PK101", "infra/cdn.tf", "module.x.aws_cloudfront_distribution.cdn[0]"))
    assert not covers(tf, finding("PK101", "infra/sub/main.tf", "aws_cloudfront_distribution.cdn"))
    assert not covers(tf, finding("PK101", "infra/main.tf", "aws_cloudfront_distribution.other"))
    assert not covers(tf, finding("PK101", "infra/main.tf", "cdn"))
    in_file = Suppression("PK101", "r", where, scope="infra/main.tf", terraform=True)  # scope: one file
    assert covers(in_file, finding("PK101", "infra/main.tf", "aws_cloudfront_distribution.cdn"))
    assert not covers(in_file, finding("PK101", "infra/cdn.tf", "aws_cloudfront_distribution.cdn"))


def test_expired_and_unused_suppressions_are_reported_in_full() -> None:
    where = Location("site.yaml", 13, 7)
    expired = Suppression("PK101", "moving to OAC", where, expires=datetime.date(2030, 1, 1), resource="Site",
                          scope="site.yaml")
    unused = Suppression("PK201", "not this one", Location("site.yaml", 2, 1), scope="site.yaml")
    unused_here = Suppression("PK201", "nor this", Location("site.yaml", 30, 7), resource="Other", scope="site.yaml")
    # the suppressions the loaders gathered on the result are the ones applied by default
    result = apply(ScanResult(findings=[], suppressions=(expired, unused, unused_here)), datetime.date(2030, 1, 2))
    stale, old, stale_here = sorted(result.findings, key=lambda f: f.location.line)
    assert (old.policy_id, old.severity, old.location, old.resource, old.subject) == (
        "PK004", Severity.WARNING, where, "Site", "suppression of PK101")
    assert old.message == ("the suppression of PK101 on resource Site expired on 2030-01-01, so its findings are "
                           "reported again (reason was: moving to OAC)")
    assert old.fix == "Fix the finding, or renew the suppression with a new expires date and a current reason."
    assert (stale.policy_id, stale.severity, stale.location, stale.resource, stale.subject) == (
        "PK003", Severity.INFO, Location("site.yaml", 2, 1), "", "suppression of PK201")
    assert stale.message == "the suppression of PK201 on this file matches no finding"
    assert stale.fix == ("Remove the suppression: the finding it was written for is gone (or the id is "
                         "misspelt).")
    assert (stale_here.resource, stale_here.message) == (
        "Other", "the suppression of PK201 on resource Other matches no finding")
    assert list(apply(ScanResult(findings=[]), datetime.date(2030, 1, 2)).findings) == []
