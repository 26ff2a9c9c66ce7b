"""Suppressions: the filtering stage after detection.

The loaders collect the suppressions written in the source while they read it
(policykit/source/suppressions.py: where and how they are written) and `api.scan` gathers them
on the result; this stage only matches them against findings, and reads no file.

Suppressed findings stay in the result with `suppressed` set to the reason, so JSON and SARIF
show them; they do not count for the exit code. An expired suppression stops suppressing and
says so (PK004), and one that matches nothing is reported (PK003), so stale ignores do not pile up.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable
from pathlib import Path

from policykit.core.builtins import EXPIRED_SUPPRESSION, UNUSED_SUPPRESSION
from policykit.core.record import record
from policykit.findings import Finding, ScanResult, Suppression, builtin_finding


def covers(suppression: Suppression, finding: Finding) -> bool:
    """Whether `suppression` is about `finding`: same policy, same file or module, same resource."""
    if finding.policy_id.upper() != suppression.policy_id.upper():
        return False
    if suppression.terraform:
        if (str(Path(finding.location.file).parent) != suppression.scope
                and finding.location.file != suppression.scope):
            return False
        return not suppression.resource or suppression.resource in (_address(finding.resource),
                                                                    _address(finding.distribution))
    if finding.location.file != suppression.scope:
        return False
    return not suppression.resource or suppression.resource in (finding.resource, finding.distribution)


def _address(address: str) -> str:
    """`module.x.aws_cloudfront_distribution.cdn["a"]` -> `aws_cloudfront_distribution.cdn`."""
    parts = re.sub(r"\[[^\]]*\]", "", address).split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else address


# --- the stage ------------------------------------------------------------------------------


@record
class Ran:
    """Which policies a scan ran (selected, and able to apply: live policies only with --live, edge policies only
    with --edge), among all it knows. A suppression of a known policy that did not run is neither unused nor
    expired: its finding was not looked for, and the advice to remove it would delete a correct suppression."""

    ids: frozenset[str]
    known: frozenset[str]

    def looked_for(self, about: str) -> bool:
        """Whether the findings of `about` (ids, comma-separated; "" for none) were looked for: one of them ran,
        or one names no policy at all (a misspelt id, which the bookkeeping must still report)."""
        ids = [i.strip().upper() for i in about.split(",") if i.strip()]
        return not ids or any(i in self.ids or i not in self.known for i in ids)


def of_policies_that_ran(result: ScanResult, ran: Ran) -> ScanResult:
    """The result without the bookkeeping about suppressions of policies that did not run (PK008 here; PK003 and
    PK004 are not made for them, see `apply`)."""
    findings = tuple(f for f in result.findings if not f.about or ran.looked_for(f.about))
    return result if len(findings) == len(result.findings) else dataclasses.replace(result, findings=findings)


def apply(result: ScanResult, today: datetime.date | None = None,
          suppressions: Iterable[Suppression] | None = None, ran: Ran | None = None) -> ScanResult:
    """The result with suppressed findings marked, and expired and unused suppressions reported (only those of
    policies that ran, when `ran` says which did).

    `suppressions` defaults to those the loaders collected (`result.suppressions`)."""
    today = today or datetime.date.today()
    active = list(result.suppressions if suppressions is None else suppressions)
    if ran is not None:
        result = of_policies_that_ran(result, ran)
    if not active:
        return result
    used: set[int] = set()  # indexes into `active`: Suppression is frozen, the run's bookkeeping is here
    findings = []
    for finding in result.findings:
        for index, suppression in enumerate(active):
            if covers(suppression, finding):
                used.add(index)
                if not suppression.expired(today):
                    finding = dataclasses.replace(finding, suppressed=suppression.reason)
                    break
        findings.append(finding)
    for index, suppression in enumerate(active):
        if ran is not None and not ran.looked_for(suppression.policy_id):
            continue
        if suppression.expired(today):
            findings.append(_expired(suppression))
        elif index not in used:
            findings.append(_unused(suppression))
    findings.sort(key=lambda f: f.sort_key)
    return dataclasses.replace(result, findings=tuple(findings))


def _target(suppression: Suppression) -> str:
    return f"resource {suppression.resource}" if suppression.resource else "this file"


def _subject(suppression: Suppression) -> str:
    """What identifies the finding across runs (its fingerprint): not the message with its dates."""
    return f"suppression of {suppression.policy_id}"


def _expired(suppression: Suppression) -> Finding:
    return builtin_finding(
        EXPIRED_SUPPRESSION,
        message=(f"the suppression of {suppression.policy_id} on {_target(suppression)} expired on "
                 f"{suppression.expires}, so its findings are reported again (reason was: {suppression.reason})"),
        location=suppression.location, resource=suppression.resource, subject=_subject(suppression),
        about=suppression.policy_id.upper(),
        fix="Fix the finding, or renew the suppression with a new expires date and a current reason.")


def _unused(suppression: Suppression) -> Finding:
    return builtin_finding(
        UNUSED_SUPPRESSION,
        message=(f"the suppression of {suppression.policy_id} on {_target(suppression)} matches no finding"),
        location=suppression.location, resource=suppression.resource, subject=_subject(suppression),
        about=suppression.policy_id.upper(),
        fix="Remove the suppression: the finding it was written for is gone (or the id is misspelt).")
