"""The library entry point: `scan(paths, options) -> ScanResult`, and the drivers of `policykit probe` and
`policykit edge` (`probe`, `judge_edge_runs`). Never prints, never exits."""

from __future__ import annotations

import contextlib
import fnmatch
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykit.core.errors import InputError
from policykit.core.limits import applied
from policykit.core.printable import printable_data
from policykit.core.record import record
from policykit.filters import apply as apply_filters
from policykit.filters.selection import Selection
from policykit.findings import Finding, InputNotes, Observed, ScanError, ScanResult, Suppression
from policykit.options import ScanOptions
from policykit.source.discover import Input, InputKind, Skip, discover
from policykit.source.files import forget_streams, is_stream
from policykit.source.stdin import stdin_as_file

if TYPE_CHECKING:  # the model, facts and policy engine are imported when a scan runs, not at start-up
    from policykit.aws.options import AwsOptions
    from policykit.aws.read import AwsRead, Listed
    from policykit.model.cloudfront import Distribution, Model
    from policykit.model.function_runs import EdgeRun
    from policykit.model.live import LiveOrigin
    from policykit.policy.model import Policy
    from policykit.probes.direct import Target
    from policykit.probes.options import LiveOptions

__all__ = ["Input", "ScanOptions", "edge_policies", "is_aws_input", "judge_edge_runs", "list_aws", "probe", "scan"]

Read = tuple["list[Model]", InputNotes]
AWS_PREFIX = "aws:"  # an input read from AWS, not a file (policykit/aws/options.py; imported only when met)
Reader = Callable[[Input, ScanOptions], "Read | None"]


def is_aws_input(path: Path | str) -> bool:
    """Does a path given to a scan name AWS (`aws:cloudfront/ID`) rather than a file?"""
    return str(path).startswith(AWS_PREFIX)


def list_aws(inputs: list[str], options: AwsOptions | None = None) -> list[Listed]:
    """`scan --list`: the distributions `aws:` inputs name (id, aliases, domain name), nothing scanned."""
    from policykit.aws.options import AwsOptions
    from policykit.aws.read import list_aws as listed

    return listed(inputs, options or AwsOptions())


def _read_cfn(item: Input, options: ScanOptions) -> Read | None:
    from policykit.cfn.load import load_cfn

    read = load_cfn(item.path, options.params)
    return None if read is None else ([read[0]], read[1])


def _read_terraform(item: Input, options: ScanOptions) -> Read | None:
    try:
        from policykit.terraform import read_input
    except ImportError:  # Terraform support not installed in this build
        return None
    return read_input(item, options.tf_vars, options.tf_var_files)


READERS: dict[InputKind, Reader] = {"cfn": _read_cfn, "terraform": _read_terraform, "tf-json": _read_terraform}


def _module_dir(item: Input) -> Path:
    return (item.path if item.kind == "terraform" and item.path.is_dir() else item.path.parent).resolve()


def _without_called_modules(found: list[Input | ScanError | Skip]) -> Iterator[Input | ScanError | Skip]:
    """Drop Terraform directories that another module of the scan calls (`source = "./x"`): they are
    scanned through their callers, with the inputs those give them, not twice; also when named on the
    command line beside their caller, however the path is spelled (alone, a module is scanned as given)."""
    modules: dict[Path, list[Path]] = {}
    for item in found:
        if isinstance(item, Input) and item.kind in ("terraform", "tf-json"):
            modules.setdefault(_module_dir(item), []).extend(item.files or (item.path,))
    called: set[Path] = set()
    if len(modules) > 1:
        try:
            from policykit.terraform.calls import scanned_through_callers
        except ImportError:  # Terraform support not installed in this build
            pass
        else:
            called = scanned_through_callers(modules)
    for item in found:
        if not (isinstance(item, Input) and item.kind in ("terraform", "tf-json") and _module_dir(item) in called):
            yield item


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
    policies = [p for p in policies if chosen.selected(p.id)]
    found = _Found()
    names = dict(options.display_names)
    live_deadline = time.monotonic() + options.live.run_timeout if options.live is not None else None
    with applied(options.limits), stdin_as_file(list(paths), options.stdin_name) as (paths, stdin_names):
        names.update(stdin_names)
        aws_inputs = [str(path) for path in paths if is_aws_input(path)]
        try:
            for item in _without_called_modules(list(discover(p for p in paths if str(p) not in aws_inputs))):
                if isinstance(item, ScanError):
                    found.errors.append(item)
                elif isinstance(item, Skip):
                    found.notes.append(f"{item.path}: skipped, {item.reason}")
                else:
                    scan_input(item, _options_for(item, options), policies, found, live_deadline)
            if aws_inputs:
                _scan_aws(aws_inputs, options, policies, found, live_deadline)
        finally:
            forget_streams()
    result = ScanResult(
        findings=tuple(found.findings), errors=tuple(found.errors), files=tuple(found.files),
        skipped=tuple(found.skipped), distributions=found.distributions, never_deployed=tuple(found.never_deployed),
        policies=tuple(chosen.info(p.info()) for p in policies), live=options.live is not None,
        suppressions=tuple(found.suppressions), notes=tuple(found.notes), observed=tuple(found.observed))
    if names:
        result = _renamed(result, names)
    result = apply_filters(result, chosen, result.suppressions if options.suppressions else None, options.baseline)
    return printable_data(result)  # a file name with a byte that is not UTF-8 must not crash a reporter


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


def _options_for(item: Input, options: ScanOptions) -> ScanOptions:
    """Per-file parameters/variables from the config; the command line's values win."""
    if not options.file_options:
        return options
    path = item.path.as_posix()
    params: dict[str, str] = {}
    tf_vars: dict[str, str] = {}
    for pattern, file_params, file_vars in options.file_options:
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(item.path.name, pattern):
            params.update(file_params)
            tf_vars.update(file_vars)
    if not params and not tf_vars:
        return options
    return replace(options, params={**params, **options.params}, tf_vars={**tf_vars, **options.tf_vars})


def scan_input(item: Input, options: ScanOptions, policies: list[Policy], found: _Found,
               live_deadline: float | None = None) -> None:
    if item.kind == "aws-saved":
        from policykit.aws.read import read_saved
        from policykit.cfn.deployed import deployed_distribution

        try:
            saved = read_saved(item.path, options.edge, deployed_distribution)
        except InputError as exc:
            found.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
            return
        _check_aws(str(item.path), saved, options, policies, found, live_deadline)
        return
    try:
        read = READERS[item.kind](item, options)
        if read is None and item.kind == "cfn" and (item.path.name.lower().endswith(".json")
                                                    or is_stream(item.path)):
            read = READERS["tf-json"](item, options)  # plan JSON or JSON Terraform
    except InputError as exc:
        found.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
        return
    if read is None:
        found.skipped.append(str(item.path))
        return
    models, notes = read
    found.files.append(str(item.path))
    found.findings.extend(notes.findings)
    if options.suppressions:  # collected while loading: the filters only match them
        found.suppressions.extend(notes.suppressions)
        found.errors.extend(ScanError(exc.file, exc.message, exc.line, exc.column)
                            for exc in notes.suppression_errors)
    for model in models:
        _check_model(model, options, policies, found, live_deadline)


def _check_model(model: Model, options: ScanOptions, policies: list[Policy], found: _Found,
                live_deadline: float | None = None) -> None:
    """Probe (--live), run the functions (--edge) and apply the policies to one model."""
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
    if options.edge:
        from policykit.edge.scan import run_edge  # runs the user's handlers: only when asked

        edge_runs = run_edge(model)
    findings, failures = engine.run(policies, model, Subjects(live_origins, edge_runs))
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
    from policykit.cfn.deployed import deployed_distribution

    aws = options.aws or AwsOptions()
    with contextlib.ExitStack() as stack:
        if options.edge and aws.save_dir is None:
            import tempfile

            aws = replace(aws, workdir=Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="policykit-aws-"))))
        try:
            read = read_aws(inputs, aws, options.edge, deployed_distribution)
        except InputError as exc:
            found.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
            return
        _check_aws(", ".join(inputs), read, options, policies, found, live_deadline)


def _check_aws(label: str, read: AwsRead, options: ScanOptions, policies: list[Policy], found: _Found,
               live_deadline: float | None) -> None:
    found.files.append(label)
    found.errors.extend(ScanError(exc.file, exc.message, exc.line, exc.column) for exc in read.errors)
    found.notes.extend(read.notes)
    for model in read.models:
        _check_model(model, options, policies, found, live_deadline)


def _renamed(result: ScanResult, names: dict[str, str]) -> ScanResult:
    def fix(file: str) -> str:
        return names.get(file, file)

    return replace(
        result,
        findings=tuple(replace(f, location=f.location._replace(file=fix(f.location.file))) for f in result.findings),
        errors=tuple(replace(e, file=fix(e.file)) for e in result.errors),
        files=tuple(fix(f) for f in result.files), skipped=tuple(fix(f) for f in result.skipped),
        distributions={fix(k): v for k, v in result.distributions.items()},
        suppressions=tuple(replace(s, scope=fix(s.scope), location=s.location._replace(file=fix(s.location.file)))
                           for s in result.suppressions))


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
    model, plan = model_of(target)
    report = probe_plans([(model.distributions[0], [plan])], options)
    findings, failures = engine.run(live, model, Subjects(live_origins=report.live_origins))
    return ScanResult(policies=tuple(p.info() for p in live), show_all_observed=True,
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
