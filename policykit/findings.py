"""What a scan produces: findings, input errors, and a summary. Reporters read only this."""

from __future__ import annotations

import datetime
import enum
from dataclasses import field
from typing import Final, Literal

from policykit.core.builtins import BUILTINS, RESOURCE_NOT_READ
from policykit.core.errors import InputError
from policykit.core.json_types import JsonValue
from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.repo import identity_path

# Evidence a finding carries: text, or structured data machines read (JSON reports keep the structure).
EvidenceValue = str | int | float | bool | None | list["EvidenceValue"] | dict[str, "EvidenceValue"]


def evidence_text(value: EvidenceValue) -> str:
    """Evidence for people: lists joined, objects as `key value` pairs, on one line."""
    if isinstance(value, str):
        return value
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "; ".join(evidence_text(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {evidence_text(v)}" for k, v in value.items())
    return str(value)


# A finding compared with a baseline (`--baseline`): "unchanged" (recorded in it: accepted) or "new"; "" when
# the scan compared with none. Not a suppression: SARIF reports it as baselineState.
BaselineState = Literal["", "new", "unchanged"]
BASELINE_NEW: Final = "new"
BASELINE_UNCHANGED: Final = "unchanged"


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


@record
class Finding:
    """One problem found: the policy, where it is written, what it names, and how to fix it."""

    policy_id: str
    title: str
    severity: Severity
    message: str
    location: Location
    resource: str = ""  # logical id or Terraform address
    distribution: str = ""
    subject: str = ""  # e.g. "origin 'api'", "alias 'ws.example.com'"
    fix: str = ""
    help_uri: str = ""
    scenario: str = ""  # "when Env=prod" where it holds only in some deploy-time scenarios
    unknown: bool = False  # True: the policy could not be checked (info)
    evidence: tuple[tuple[str, EvidenceValue], ...] = ()
    suppressed: str = ""  # the reason, when a suppression matched
    # With --baseline: "unchanged" (recorded in the baseline: accepted) or "new"; "" without one.
    # Not a suppression: SARIF reports it as baselineState, and nobody wrote it in the source.
    baseline: BaselineState = ""
    # A finding about a suppression (PK003, PK004, PK008): the policy ids the suppression names, comma-separated
    # ("" for none), so the filters report it only when one of them ran
    about: str = ""

    @property
    def accepted(self) -> bool:
        """Suppressed or in the baseline: shown to machines, not counted, not failing the run."""
        return bool(self.suppressed) or self.baseline == BASELINE_UNCHANGED

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.location.file, self.location.line, self.location.column, self.policy_id, self.message)

    @property
    def identity(self) -> tuple[str, ...]:
        """What makes this the same problem from run to run: the policy, the file from its repository
        root, the resource and the subject (origin, alias, behavior...). Never the message (PK501's
        lists every origin id), the line, or the scenarios it holds in (findings of several deploy-time
        scenarios are one finding). A finding without a subject (PK002-PK005: fixed text about one
        property or suppression) is identified by its message instead. A "not checked" note is not
        the same problem as a finding on the same subject."""
        return (self.policy_id, identity_path(self.location.file), self.resource,
                self.subject or self.unscoped_message, "unknown" if self.unknown else "")

    @property
    def unscoped_message(self) -> str:
        """The message without the scenario label the engine puts in it (`... get 502 (when Env=prod).`)."""
        if not self.scenario:
            return self.message
        label = f" ({self.scenario})"
        if self.message.endswith(label + "."):
            return self.message[:-len(label) - 1] + "."
        return self.message.removesuffix(label)

    @property
    def fingerprint(self) -> str:
        """Stable across line moves, message rewording, new origins and clones (policykit/v2)."""
        import hashlib  # only baselines and SARIF need fingerprints: not every scan pays for the import

        return hashlib.sha256("\x1f".join(self.identity).encode("utf-8")).hexdigest()[:32]


def with_scenario(message: str, label: str) -> str:
    """`message` with the deploy-time scenarios it holds in, inside its last sentence: `... get 502 (when
    Env=prod).` (`Finding.unscoped_message` takes the label out again)."""
    if message.endswith(".") and not message.endswith(".."):
        return f"{message[:-1]} ({label})."
    return f"{message} ({label})"


@record
class Suppression:
    """One suppression written in the source (source/suppressions.py): which ids it silences, where, and why."""

    policy_id: str
    reason: str
    location: Location  # where it is written
    expires: datetime.date | None = None
    resource: str = ""  # logical id / TYPE.NAME; "" covers the whole file (CFN) or module (Terraform)
    scope: str = ""  # the file (CloudFormation) or module directory (Terraform) it covers
    terraform: bool = False

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and self.expires < today


@record(frozen=False)
class InputNotes:
    """What reading one input found besides its model: findings no policy makes (duplicate keys, modules not
    followed, near-miss suppressions...), the suppressions written in it, the invalid ones (input errors,
    while the input's findings are still reported), and notes for the person (a file it names but that is not
    read)."""

    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    suppression_errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # what the input lets the command line set: CloudFormation Parameters (--param), the root module's Terraform
    # variables (--var); a name that no input declares is an input error (policykit/source/declared.py)
    parameters: set[str] = field(default_factory=set)
    variables: set[str] = field(default_factory=set)


def builtin_finding(policy_id: str, message: str, location: Location, *, resource: str = "",
                    distribution: str = "", subject: str = "", fix: str = "", about: str = "") -> Finding:
    """A finding that comes from no policy file (core/builtins.py): its title and severity from the table."""
    builtin = BUILTINS[policy_id]
    return Finding(policy_id=builtin.id, title=builtin.title, severity=Severity(builtin.severity), message=message,
                   location=location, resource=resource, distribution=distribution, subject=subject, fix=fix,
                   about=about)


def not_read_finding(resource: str, resource_type: str, what: str, location: Location) -> Finding:
    """PK010: a CloudFront-like resource policykit does not read, said rather than passed over in silence."""
    return builtin_finding(RESOURCE_NOT_READ, f"{resource} is {what} ({resource_type}): policykit does not read this "
                           "resource type, so its configuration is not checked", location, resource=resource,
                           subject=resource, fix="Check its origins by hand, or move it to a distribution type "
                           "policykit reads (AWS::CloudFront::Distribution, aws_cloudfront_distribution).")


@record
class Observed:
    """What a live probe saw at one origin endpoint, or for one name sent to it: shown once in
    text, however many findings it explains (their `subject` is this one's)."""

    subject: str  # the live object's label, as in Finding.subject
    distribution: str
    lines: tuple[tuple[str, str], ...]  # for people: (what, value), in order
    data: dict[str, EvidenceValue]  # for machines
    covers: tuple[str, ...] = ()  # evidence keys of findings that these lines already show
    endpoint: str = ""  # the endpoint's subject, for a name's observation
    summary: str = ""  # one line, for an endpoint or name no shown finding speaks of
    target: str = ""  # what was probed (`https://host:443`, with ` name` for a name); "" when nothing was


@record
class Hop:
    """One hop of a distribution's request path as the HTML report draws it (built by policykit/outlines.py from
    the model: reporters never read the model). Findings are placed on hops by what they name and where they point."""

    key: str  # unique within its outline, the same in every deploy-time scenario
    kind: str  # alias, default_domain, viewer_certificate, behavior, edge_function, origin, load_balancer, ...
    title: str  # what it is, e.g. "origin 'api'"
    lines: tuple[str, ...] = ()  # what the model knows of it, for people
    subjects: tuple[str, ...] = ()  # the `Finding.subject`s that name it
    places: tuple[Location, ...] = ()  # where it is written: a finding pointing at one of them is on it
    mentions: tuple[str, ...] = ()  # how messages name it or what it belongs to: a tie-breaker
    scenario: str = ""  # "when Env=prod" when it exists in only some deploy-time scenarios
    unknown: str = ""  # why it is only known at deployment (drawn dashed)


@record
class Outline:
    """A distribution's request path, left to right: viewer names, viewer certificate, behaviors, edge functions,
    origins and what stands behind them. `links` are (from key, to key) in the direction requests go."""

    distribution: str  # the resource, as `Finding.distribution`
    label: str
    location: Location
    hops: tuple[Hop, ...] = ()
    links: tuple[tuple[str, str], ...] = ()


@record
class ScanError:
    """An input that could not be read (reported, exit code 2; other files still scanned)."""

    file: str
    message: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


@record
class PolicyInfo:
    """What reporters need to describe a policy (SARIF rules, JUnit cases)."""

    id: str
    title: str
    severity: Severity
    description: str = ""
    fix: str = ""
    help_uri: str = ""
    tags: tuple[str, ...] = ()  # the policy file's own (SARIF rule tags)
    applies_to: str = ""  # "live_origin"/"live_name": checked only by `scan --live`
    # the policy's example snippets (bad/good YAML, terraform_bad/terraform_good HCL): policykit/reporters/snippets.py
    examples: tuple[tuple[str, str], ...] = ()

    @property
    def live(self) -> bool:
        return self.applies_to.startswith("live_")

    @property
    def code_examples(self) -> bool:
        """Are its examples a function's code (the edge policies), not a template's snippets?"""
        return self.applies_to.startswith("edge_")


@record
class PolicyRun:
    """How one policy ran on one scanned input (JUnit reads it): how many objects of its kind it checked (0: it
    did not apply there) and how long it took, summed over the input's models and deploy-time scenarios."""

    policy_id: str
    input: str  # the scanned input, as in ScanResult.files (a file, or a Terraform module's directory)
    objects: int = 0
    seconds: float = 0.0


@record
class ConfigUsed:
    """The configuration a run read and what it changed: every report names it, so a file that turns checks off
    or down cannot pass unseen (policykit/config.py)."""

    file: str
    named: bool  # named with --config (the CI owner's); else found in the scanned tree (the repository's)
    disabled: tuple[str, ...] = ()  # policies it turns off (disable:, or enable: leaving them out)
    severities: tuple[tuple[str, str], ...] = ()  # (policy id, severity) it sets
    severity_threshold: str = ""
    file_patterns: tuple[str, ...] = ()  # `files:` patterns that give parameters or variables
    policy_dirs: tuple[str, ...] = ()
    baseline: str = ""
    limits: tuple[tuple[str, int], ...] = ()
    live: tuple[str, ...] = ()  # the live settings it gives
    ignored: tuple[str, ...] = ()  # settings it may not change (found in the scanned tree), ignored
    excluded: tuple[str, ...] = ()  # `exclude:` patterns: paths it keeps from being scanned

    def changes(self) -> list[str]:
        """What it changed, for people: one phrase per kind of setting."""
        out = []
        if self.disabled:
            out.append(f"turns off {len(self.disabled)} polic{'y' if len(self.disabled) == 1 else 'ies'} "
                       f"({', '.join(self.disabled)})")
        if self.severities:
            out.append("sets severities (" + ", ".join(f"{i} {s}" for i, s in self.severities) + ")")
        if self.severity_threshold:
            out.append(f"fails at {self.severity_threshold}")
        if self.excluded:
            out.append(f"excludes {', '.join(self.excluded)}")
        if self.file_patterns:
            out.append(f"gives parameters to {', '.join(self.file_patterns)}")
        if self.policy_dirs:
            out.append(f"adds policies from {', '.join(self.policy_dirs)}")
        if self.baseline:
            out.append(f"compares with the baseline {self.baseline}")
        if self.limits:
            out.append("sets limits (" + ", ".join(f"{n}={v}" for n, v in self.limits) + ")")
        if self.live:
            out.append(f"sets live {', '.join(self.live)}")
        if self.ignored:
            out.append(f"ignored: {', '.join(self.ignored)}")
        return out

    def describe(self) -> str:
        """`configuration FILE (found in the scanned tree): turns off ...; sets severities (...)`."""
        how = "named with --config" if self.named else "found in the scanned tree"
        return f"configuration {self.file} ({how}): {'; '.join(self.changes()) or 'changes nothing reported'}"

    def data(self) -> dict[str, JsonValue]:
        """For JSON and SARIF."""
        return {"file": self.file, "named": self.named, "disabled": list(self.disabled),
                "severity": dict(self.severities), "severity_threshold": self.severity_threshold or None,
                "files": list(self.file_patterns), "policies": list(self.policy_dirs),
                "baseline": self.baseline or None, "limits": dict(self.limits), "live": list(self.live),
                "ignored": list(self.ignored), "exclude": list(self.excluded)}


@record
class ScanResult:
    """What a scan produced: findings, input errors and the counts the summary line shows. A value: the
    filters (policykit/filters) make a new one, nothing changes it in place."""

    findings: tuple[Finding, ...] = ()
    errors: tuple[ScanError, ...] = ()
    files: tuple[str, ...] = ()  # scanned inputs
    skipped: tuple[str, ...] = ()  # files that are not templates
    distributions: dict[str, int] = field(default_factory=dict, hash=False)  # per file
    # "file: resource (why)" for each distribution that exists in no deploy-time scenario
    never_deployed: tuple[str, ...] = ()
    policies: tuple[PolicyInfo, ...] = ()
    baseline: str = ""  # the baseline file compared against, "" when none
    live: bool = False  # the origins were probed (scan --live): live policies had something to check
    # written in the scanned sources, gathered from the inputs (policykit/filters/suppressions.py filters with them)
    suppressions: tuple[Suppression, ...] = ()
    # what the scan passed over on purpose and why (a FIFO in a walked directory, a link loop): not errors
    notes: tuple[str, ...] = ()
    observed: tuple[Observed, ...] = ()  # what live probes saw (policykit/probes)
    show_all_observed: bool = False  # `policykit probe`: the report of what was seen, even without findings
    policy_runs: tuple[PolicyRun, ...] = ()  # per input and policy: did it apply, in what time
    input_seconds: dict[str, float] = field(default_factory=dict, hash=False)  # per input: reading to findings
    # each distribution's request path (policykit/outlines.py), when the scan was asked for them (the HTML report)
    outlines: tuple[Outline, ...] = ()
    config: ConfigUsed | None = None  # the configuration file read, and what it changed
    # hidden directories the walk did not enter that hold files of a template's kind (named on the summary)
    hidden: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Findings per severity, without suppressed and baseline-matched ones."""
        out = {s.value: 0 for s in Severity}
        for finding in self.findings:
            if not finding.accepted:
                out[finding.severity.value] += 1
        return out

    def suppressed_count(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)

    def baseline_count(self) -> int:
        """Findings matched by the baseline (and not suppressed, which they are counted as)."""
        return sum(1 for f in self.findings if f.baseline == BASELINE_UNCHANGED and not f.suppressed)

    def worst_at_least(self, threshold: Severity) -> bool:
        return any(f.severity.at_least(threshold) and not f.accepted and not f.unknown for f in self.findings)
