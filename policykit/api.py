"""The library entry point: `scan(paths, options) -> ScanResult`, and the drivers of `policykit probe` and
`policykit edge` (`probe`, `judge_edge_runs`). Never prints, never exits."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.core.builtins import BUILTIN_IDS
from policykit.core.errors import InputError
from policykit.core.limits import applied
from policykit.core.printable import printable_data
from policykit.core.record import record
from policykit.filters import apply as apply_filters
from policykit.filters.selection import Selection
from policykit.filters.suppressions import Ran
from policykit.findings import Finding, Observed, Outline, PolicyRun, ScanError, ScanResult, Suppression
from policykit.inputs import READERS, exclusions, options_for, without_called_modules, without_included_files
from policykit.options import ScanOptions
from policykit.source.discover import Hidden, Input, Skip, discover
from policykit.source.files import forget_streams, is_stream
from policykit.source.stdin import stdin_as_file

if TYPE_CHECKING:  # the model, facts and policy engine are imported when a scan runs, not at start-up
    from policykit.aws.options import AwsOptions
    from policykit.aws.read import AwsRead, Listed
    from policykit.edge.origins import ChosenOrigin
    from policykit.model.cloudfront import Distribution, Model
    from policykit.model.function_runs import EdgeRun
    from policykit.model.live import LiveOrigin
    from policykit.policy.model import Policy
    from policykit.probes.direct import Target
    from policykit.probes.options import LiveOptions

__all__ = ["Input", "ScanOptions", "edge_policies", "is_aws_input", "judge_edge_runs", "list_aws", "probe", "scan"]

AWS_PREFIX = "aws:"  # an input read from AWS, not a file (policykit/aws/options.py; imported only when met)


def is_aws_input(path: Path | str) -> bool:
    """Does a path given to a scan name AWS (`aws:cloudfront/ID`) rather than a file?"""
    return str(path).startswith(AWS_PREFIX)


def list_aws(inputs: list[str], options: AwsOptions | None = None) -> list[Listed]:
    """`scan --list`: the distributions `aws:` inputs name (id, aliases, domain name), nothing scanned."""
    from policykit.aws.options import AwsOptions
    from policykit.aws.read import list_aws as listed

    return listed(inputs, options or AwsOptions())


def selection(options: ScanOptions) -> Selection:
    """The policies and severities `options` chose (the filters' part of the options)."""
    return Selection(options.enabled, options.disabled, options.severity_overrides)


def scan(paths: Iterable[Path], options: ScanOptions = ScanOptions(),
         policies: list[Policy] | None = None) -> ScanResult:
    """Scan files and directories; bad inputs are recorded in `errors` and the rest still scanned.
    Selection, suppressions and the baseline (`options.baseline`) are applied by policykit.filters."""
    if policies is None:
        from policykit.policy.loader import load_policies

        policies = load_policies(options.policy_dirs)
    chosen = selection(options)
    known = frozenset(p.id for p in policies)
    policies = [p for p in policies if chosen.selected(p.id)]
    found = _Found()
    names = dict(options.display_names)
    live_deadline = time.monotonic() + options.live.run_timeout if options.live is not None else None
    with applied(options.limits), stdin_as_file(list(paths), options.stdin_name) as (paths, stdin_names):
        names.update(stdin_names)
        aws_inputs = [str(path) for path in paths if is_aws_input(path)]
        try:
            local = [p for p in paths if str(p) not in aws_inputs]
            found_inputs = list(without_called_modules(list(discover(local, exclusions(options)))))
            for item in without_included_files(found_inputs):
                if isinstance(item, ScanError):
                    found.errors.append(item)
                    found.unread += 1
                elif isinstance(item, Skip):
                    found.notes.append(f"{item.path}: skipped, {item.reason}")
                elif isinstance(item, Hidden):
                    found.hidden.append(str(item.path))
                else:
                    scan_input(item, options_for(item, options, names), policies, found, live_deadline)
            if aws_inputs:
                _scan_aws(aws_inputs, options, policies, found, live_deadline)
        finally:
            forget_streams()
    # an input that could not be read may declare what the command line sets: then nothing is said
    if (options.params or options.tf_vars) and not found.unread:
        from policykit.source.declared import undeclared  # only when the command line sets some

        found.errors.extend([*undeclared(options.params, found.parameters, "--param"),
                             *undeclared(options.tf_vars, found.variables, "--var")])
    result = ScanResult(
        findings=tuple(found.findings), errors=tuple(found.errors), files=tuple(found.files),
        skipped=tuple(found.skipped), distributions=found.distributions, never_deployed=tuple(found.never_deployed),
        policies=tuple(chosen.info(p.info()) for p in policies), live=options.live is not None,
        suppressions=tuple(found.suppressions), notes=tuple(found.notes), observed=tuple(found.observed),
        policy_runs=tuple(PolicyRun(policy_id, file, objects, seconds)
                          for file, runs in found.runs.items() for policy_id, (objects, seconds) in runs.items()),
        input_seconds=found.seconds, outlines=tuple(found.outlines), hidden=tuple(found.hidden))
    if names:
        result = _renamed(result, names)
    result = apply_filters(result, chosen, result.suppressions if options.suppressions else None, options.baseline,
                           ran=_ran(known, policies, options, chosen))
    # a file name with a byte that is not UTF-8 must not crash a reporter; the outlines are made printable as they
    # are built (policykit/outlines.py), and walking thousands of them again would cost more than building them
    printed = printable_data(replace(result, outlines=()))
    return replace(printed, outlines=result.outlines) if result.outlines else printed


def _ran(known: frozenset[str], policies: list[Policy], options: ScanOptions, chosen: Selection) -> Ran:
    """The policies this scan ran: those selected that could apply (live policies need --live, edge policies
    --edge), and the built-in findings selected; among the loaded and built-in ones."""
    from policykit.model.subjects import EDGE_KINDS, LIVE_KINDS

    idle = (() if options.live is not None else LIVE_KINDS) + (() if options.edge else EDGE_KINDS)
    ran = {p.id for p in policies if p.applies_to not in idle} | {i for i in BUILTIN_IDS if chosen.selected(i)}
    return Ran(frozenset(ran), known | BUILTIN_IDS)


@record(frozen=False)
class _Found:
    """What detection found, gathered input by input; `scan` makes the ScanResult value of it."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    distributions: dict[str, int] = field(default_factory=dict)
    never_deployed: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    observed: list[Observed] = field(default_factory=list)
    runs: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)  # input -> policy -> engine.Runs
    seconds: dict[str, float] = field(default_factory=dict)  # input -> the time from reading it to its findings
    outlines: list[Outline] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    parameters: set[str] = field(default_factory=set)  # declared by the inputs read (what --param may set)
    variables: set[str] = field(default_factory=set)  # likewise for --var
    unread: int = 0  # inputs that could not be read


def scan_input(item: Input, options: ScanOptions, policies: list[Policy], found: _Found,
               live_deadline: float | None = None) -> None:
    started = time.perf_counter()
    try:
        _scan_input(item, options, policies, found, live_deadline)
    finally:
        name = str(item.path)
        found.seconds[name] = found.seconds.get(name, 0.0) + time.perf_counter() - started


def _scan_input(item: Input, options: ScanOptions, policies: list[Policy], found: _Found,
                live_deadline: float | None) -> None:
    if item.kind == "aws-saved":
        from policykit.aws.read import read_saved
        from policykit.cfn.deployed import deployed_distributions

        try:
            saved = read_saved(item.path, options.edge, deployed_distributions)
        except InputError as exc:
            found.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
            return
        _check_aws(str(item.path), saved, options, policies, found, live_deadline, item.root or item.path)
        return
    try:
        read = READERS[item.kind](item, options)
        if read is None and item.kind == "cfn" and (item.path.name.lower().endswith(".json")
                                                    or is_stream(item.path)):
            read = READERS["tf-json"](item, options)  # plan JSON or JSON Terraform
    except InputError as exc:
        found.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
        found.unread += 1
        return
    if read is None:
        found.skipped.append(str(item.path))
        return
    models, notes = read
    found.files.append(str(item.path))
    found.parameters |= notes.parameters
    found.variables |= notes.variables
    found.findings.extend(notes.findings)
    found.notes.extend(notes.notes)
    if options.suppressions:  # collected while loading: the filters only match them
        found.suppressions.extend(notes.suppressions)
        found.errors.extend(ScanError(exc.file, exc.message, exc.line, exc.column)
                            for exc in notes.suppression_errors)
    for model in models:
        _check_model(model, options, policies, found, live_deadline, str(item.path), item.root or Path.cwd())



def _check_model(model: Model, options: ScanOptions, policies: list[Policy], found: _Found,
                 live_deadline: float | None, input_name: str, tree: Path) -> None:
    """Probe (--live), run the functions (--edge; their code read only inside `tree`) and apply the policies to
    one model; the policies' runs are counted under `input_name`."""
    from policykit.model.subjects import Subjects
    from policykit.policy import engine

    found.distributions[model.file] = (found.distributions.get(model.file, 0)
                                       + len({d.resource for d in model.distributions}))
    found.never_deployed.extend(f"{model.file}: {name} ({why})" for name, why in model.never_deployed)
    # what the probes and the edge runs produce goes to the engine beside the model, never into it
    live_origins: dict[Distribution, tuple[LiveOrigin, ...]] = {}
    edge_runs: dict[Distribution, tuple[EdgeRun, ...]] = {}
    if options.live is not None:
        from policykit.probes.runner import probe_model  # dnspython/cryptography: only when probing

        report = probe_model(model, options.live, live_deadline)
        live_origins = report.live_origins
        found.findings.extend(report.internal_errors)  # PK007: a probe failed unexpectedly
        found.observed.extend(report.observed)
    chosen: list[ChosenOrigin] = []
    if options.edge:
        edge_runs, chosen = _run_edge(model, tree, found)
    findings, failures = engine.run(policies, model, Subjects(live_origins, edge_runs),
                                    found.runs.setdefault(input_name, {}))
    if chosen:
        findings.extend(_chosen_origin_findings(chosen, policies, findings))
    if options.outlines:
        from policykit.outlines import outline_model  # only the HTML report draws them

        found.outlines.extend(outline_model(model, live_origins))
    if model.location_note:
        findings = [_with_location_note(f, model.location_note) for f in findings]
    found.findings.extend(findings)
    found.errors.extend(ScanError(model.file, failure) for failure in failures)


def _scan_aws(inputs: list[str], options: ScanOptions, policies: list[Policy], found: _Found,
              live_deadline: float | None) -> None:
    """`aws:cloudfront[/ID]` inputs: read from AWS (policykit/aws), then checked as any model. The code
    `--edge` runs is kept in `--save DIR`, or in a directory of the scan's own."""
    from policykit.aws.options import AwsOptions
    from policykit.aws.read import read_aws
    from policykit.cfn.deployed import deployed_distributions

    aws = options.aws or AwsOptions()
    label, started = ", ".join(inputs), time.perf_counter()
    with contextlib.ExitStack() as stack:
        if options.edge and aws.save_dir is None:
            import tempfile

            aws = replace(aws, workdir=Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="policykit-aws-"))))
        try:
            read = read_aws(inputs, aws, options.edge, deployed_distributions)
        except InputError as exc:
            found.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
            return
        # the code packages read were written there, and only there may the edge runs read code
        tree = aws.save_dir or aws.workdir or Path.cwd()
        _check_aws(label, read, options, policies, found, live_deadline, tree)
    found.seconds[label] = found.seconds.get(label, 0.0) + time.perf_counter() - started


def _check_aws(label: str, read: AwsRead, options: ScanOptions, policies: list[Policy], found: _Found,
               live_deadline: float | None, tree: Path) -> None:
    found.files.append(label)
    found.errors.extend(ScanError(exc.file, exc.message, exc.line, exc.column) for exc in read.errors)
    found.notes.extend(read.notes)
    for model in read.models:
        _check_model(model, options, policies, found, live_deadline, label, tree)


# The static policies a function-chosen origin is checked with: those of a declared origin
CHOSEN_ORIGIN_KINDS = ("origin", "origin_name", "origin_setting", "custom_header")


def _run_edge(model: Model, tree: Path,
              found: _Found) -> tuple[dict[Distribution, tuple[EdgeRun, ...]], list[ChosenOrigin]]:
    """`scan --edge`: the model's functions run, their code read only inside the scanned tree; the one line about
    isolation goes to the notes."""
    from policykit.edge.scan import run_edge  # runs the user's handlers: only when asked

    report = run_edge(model, tree)
    if report.notice and report.notice not in found.notes:
        found.notes.append(report.notice)
    return report.runs, report.chosen


def _chosen_origin_findings(chosen: list[ChosenOrigin], policies: list[Policy],
                            found: list[Finding]) -> Iterator[Finding]:
    """The static origin policies over each origin a CloudFront Function chooses, at its association; what the
    declared origin already has said once is not said again."""
    from policykit.policy import engine

    static = [p for p in policies if p.applies_to in CHOSEN_ORIGIN_KINDS]
    said = {(f.policy_id, f.message) for f in found}
    for origin in chosen:
        findings, _ = engine.run(static, origin.model)
        for finding in findings:
            if (finding.policy_id, finding.message) not in said:
                said.add((finding.policy_id, finding.message))
                yield replace(finding, location=origin.association,
                              message=f"{finding.message} (the origin {origin.function} chooses with {origin.said})")


def _renamed(result: ScanResult, names: dict[str, str]) -> ScanResult:
    from policykit.outlines import renamed

    def fix(file: str) -> str:
        return names.get(file, file)

    return replace(
        result,
        findings=tuple(replace(f, location=f.location._replace(file=fix(f.location.file))) for f in result.findings),
        errors=tuple(replace(e, file=fix(e.file)) for e in result.errors),
        files=tuple(fix(f) for f in result.files), skipped=tuple(fix(f) for f in result.skipped),
        policy_runs=tuple(replace(r, input=fix(r.input)) for r in result.policy_runs),
        input_seconds={fix(k): v for k, v in result.input_seconds.items()},
        distributions={fix(k): v for k, v in result.distributions.items()},
        suppressions=tuple(replace(s, scope=fix(s.scope), location=s.location._replace(file=fix(s.location.file)))
                           for s in result.suppressions),
        outlines=tuple(renamed(outline, fix) for outline in result.outlines))


def _with_location_note(finding: Finding, note: str) -> Finding:
    where = f"{note} (resource address: {finding.resource or 'see the message'})"
    return replace(finding, evidence=(("location", where), *finding.evidence))


def probe(target: Target, options: LiveOptions, policies: list[Policy]) -> ScanResult:
    """`policykit probe`: probe one origin as CloudFront would and judge it with the live policies (and PK007
    for a probe's bug)."""
    from policykit.model.subjects import LIVE_KINDS, Subjects
    from policykit.policy import engine
    from policykit.probes.direct import model_of
    from policykit.probes.runner import probe_plans

    live = [p for p in policies if p.applies_to in LIVE_KINDS]
    started = time.perf_counter()
    model, plan = model_of(target)
    report = probe_plans([(model.distributions[0], [plan])], options)
    runs: dict[str, tuple[int, float]] = {}
    findings, failures = engine.run(live, model, Subjects(live_origins=report.live_origins), runs)
    return ScanResult(policies=tuple(p.info() for p in live), show_all_observed=True,
                      policy_runs=tuple(PolicyRun(policy_id, target.label, objects, seconds)
                                        for policy_id, (objects, seconds) in runs.items()),
                      input_seconds={target.label: time.perf_counter() - started},
                      findings=tuple(sorted([*findings, *report.internal_errors],
                                            key=lambda f: (f.policy_id, f.subject, f.message))),
                      observed=tuple(report.observed),
                      errors=tuple(ScanError(target.label, failure) for failure in failures))


def edge_policies(policies: list[Policy]) -> list[Policy]:
    """The policies over function results (PK7xx)."""
    from policykit.model.subjects import EDGE_KINDS

    return [p for p in policies if p.applies_to in EDGE_KINDS]


def judge_edge_runs(runs: Sequence[EdgeRun], policies: list[Policy]) -> list[Finding]:
    """`policykit edge`: the findings of the edge policies over function runs that belong to no template."""
    from policykit.model.cloudfront import Distribution
    from policykit.model.subjects import Subjects
    from policykit.policy import engine

    holder = Distribution()  # the runs' distribution: none, they name their function and file
    walk = engine.Walk(Subjects(edge_runs={holder: tuple(runs)}))
    findings: list[Finding] = []
    for policy in edge_policies(policies):
        findings.extend(engine.evaluate(policy, holder, walk))
    return sorted(findings, key=lambda f: f.sort_key)


def edge_fixture_findings(sidecar: Path, spec: dict[str, Any], policies: list[Policy]) -> list[Finding]:
    """`policies test` of a PK7xx fixture: the edge policies' findings over the run its sidecar describes."""
    from policykit.edge.fixtures import fixture_run

    return judge_edge_runs([fixture_run(sidecar, spec)], policies)
