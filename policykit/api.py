"""The library entry point: `scan(paths, options) -> ScanResult`. Never prints, never exits."""

from __future__ import annotations

import fnmatch
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.errors import InputError
from policykit.core.limits import applied
from policykit.core.printable import printable_data
from policykit.core.record import record
from policykit.findings import Finding, PolicyInfo, ScanError, ScanResult, Severity
from policykit.probes.options import LiveOptions
from policykit.source.detect import is_cfn_candidate
from policykit.source.files import forget_streams, is_stream

if TYPE_CHECKING:  # the model, facts and policy engine are imported when a scan runs, not at start-up
    from policykit.model.cloudfront import Model
    from policykit.policy.model import Policy

# Directories no one wants scanned: VCS data, dependencies, tool caches.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", ".venv", "venv", "__pycache__",
                       ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "cdk.out", ".aws-sam"})


@record
class ScanOptions:
    """What a scan is asked to do, apart from the paths: selection, scenarios and live checks."""

    params: dict[str, str] = field(default_factory=dict)  # CloudFormation --param K=V
    tf_vars: dict[str, str] = field(default_factory=dict)  # Terraform --var K=V
    tf_var_files: tuple[Path, ...] = ()
    policy_dirs: tuple[Path, ...] = ()
    live: LiveOptions | None = None  # scan --live: probe the declared origins (policykit/probes)
    edge: bool = False  # scan --edge: run the code behind Lambda@Edge / CloudFront Functions associations
    # From the command line or .policykit.yaml (policykit/config.py):
    enabled: frozenset[str] = frozenset()  # empty: every policy
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)  # policy id -> error|warning|info
    # (glob pattern, CloudFormation params, Terraform vars) for inputs whose path matches; the command line wins
    file_options: tuple[tuple[str, dict[str, str], dict[str, str]], ...] = ()
    suppressions: bool = True  # honour Metadata/comment suppressions (policykit/suppress.py)
    limits: dict[str, int] = field(default_factory=dict)  # raised limits, by name (policykit/core/limits.py)


@record
class Input:
    """One unit to scan: a file, or a Terraform module directory with its .tf files."""

    path: Path
    kind: str  # "cfn" | "terraform" (a module dir) | "tf-json" | "tf-plan-or-cfn-json"
    files: tuple[Path, ...] = ()


Reader = Callable[[Input, ScanOptions], "list[Model] | None"]


def _read_cfn(item: Input, options: ScanOptions) -> list[Model] | None:
    from policykit.cfn.load import load_cfn

    model = load_cfn(item.path, options.params)
    return None if model is None else [model]


def _read_terraform(item: Input, options: ScanOptions) -> list[Model] | None:
    try:
        from policykit.terraform import read_input
    except ImportError:  # Terraform support not installed in this build
        return None
    return read_input(item, options)


READERS: dict[str, Reader] = {"cfn": _read_cfn, "terraform": _read_terraform, "tf-json": _read_terraform}


def discover(paths: Iterable[Path]) -> Iterator[Input | ScanError | Skip]:
    """Inputs under `paths` in a stable order; a path that does not exist is an error; what the walk
    passes over on purpose (special files, links back to scanned directories) is a Skip."""
    paths = list(paths)
    found = list(_discover(paths))
    yield from _without_called_modules(found)


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


@record
class Skip:
    """A path the walk passed over on purpose, with why (shown as a note, not an error)."""

    path: Path
    reason: str


def _discover(paths: list[Path]) -> Iterator[Input | ScanError | Skip]:
    modules: set[Path] = set()
    visited: set[tuple[int, int]] = set()  # (device, inode) of each walked directory
    for path in paths:
        if is_stream(path):
            # Named on the command line (`-`, `<(terraform show -json plan)`): read as given, once.
            yield Input(path, "cfn")
        elif path.is_dir():
            yield from _walk(path, visited)
        elif path.is_file() and (path.name.endswith(".tf") or _auto_loaded_vars(path.name)):
            # A changed .tf file (pre-commit passes file names) means its whole module: once per directory;
            # so does a variable file Terraform loads by itself, which changes what the module does.
            module = path.parent
            if module.resolve() not in modules:
                modules.add(module.resolve())
                yield Input(module, "terraform", tuple(sorted(f for f in module.iterdir()
                                                              if f.is_file() and f.name.endswith(".tf"))))
        elif path.is_file():
            yield from _classify([path], explicit=True)
        else:
            yield ScanError(str(path), "no such file or directory")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _special(path: Path) -> str:
    """What a directory entry is when it is neither a regular file nor a directory ("" for those)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""  # a broken link, or gone since the listing
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return ""


def _auto_loaded_vars(name: str) -> bool:
    """terraform.tfvars(.json) and *.auto.tfvars(.json): Terraform reads them without being asked."""
    lower = name.lower()
    return lower in ("terraform.tfvars", "terraform.tfvars.json") or lower.endswith((".auto.tfvars",
                                                                                        ".auto.tfvars.json"))


def _walk(root: Path, visited: set[tuple[int, int]]) -> Iterator[Input | Skip]:
    """Each directory once, even through links (`x -> .`); FIFOs and devices are never opened."""
    stack = [root]
    while stack:
        directory = stack.pop()
        identity = _identity(directory)
        if identity is None:
            continue
        if identity in visited:
            if directory != root:
                yield Skip(directory, "a link to a directory that is already scanned")
            continue
        visited.add(identity)
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            continue
        files: list[Path] = []
        directories: list[Path] = []
        for entry in entries:
            if entry.is_file():
                files.append(entry)
            elif entry.is_dir():
                if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                    directories.append(entry)
            elif kind := _special(entry):
                yield Skip(entry, f"not a regular file ({kind}): never opened in a directory walk")
        yield from _classify(files, explicit=False)
        stack.extend(reversed(directories))


def _classify(files: list[Path], explicit: bool) -> Iterator[Input]:
    tf_files = [f for f in files if f.name.endswith(".tf")]
    for file in files:
        name = file.name.lower()
        if name.endswith(".tf.json"):
            yield Input(file, "tf-json")
        elif is_cfn_candidate(file) or (explicit and not name.endswith(".tf")):
            yield Input(file, "cfn")
    if tf_files:
        yield Input(tf_files[0].parent, "terraform", tuple(tf_files))


def scan(paths: Iterable[Path], options: ScanOptions = ScanOptions(),
         policies: list[Policy] | None = None) -> ScanResult:
    """Scan files and directories; bad inputs are recorded in `errors` and the rest still scanned."""
    if policies is None:
        from policykit.policy.loader import load_policies

        policies = load_policies(options.policy_dirs)
    policies = [p for p in policies if _selected(p.id, options)]
    result = ScanResult(policies=[_override_info(p.info(), options) for p in policies],
                        live=options.live is not None)
    live_deadline = time.monotonic() + options.live.run_timeout if options.live is not None else None
    with applied(options.limits):
        try:
            for item in discover(paths):
                if isinstance(item, ScanError):
                    result.errors.append(item)
                elif isinstance(item, Skip):
                    result.notes.append(f"{item.path}: skipped, {item.reason}")
                else:
                    scan_input(item, _options_for(item, options), policies, result, live_deadline)
        finally:
            forget_streams()
    result.findings[:] = [_override(f, options) for f in result.findings if _selected(f.policy_id, options)]
    result.findings.sort(key=lambda f: f.sort_key)
    if options.suppressions:
        from policykit.suppress import apply

        apply(result)
    return printable_data(result)  # a file name with a byte that is not UTF-8 must not crash a reporter


def _selected(policy_id: str, options: ScanOptions) -> bool:
    if policy_id in options.disabled:
        return False
    return not options.enabled or policy_id in options.enabled or policy_id in _ALWAYS_ON


# Input problems and suppression bookkeeping are not policies one opts into.
_ALWAYS_ON = frozenset({"PK002", "PK003", "PK004", "PK006", "PK007", "PK008"})


def _override(finding: Finding, options: ScanOptions) -> Finding:
    wanted = options.severity_overrides.get(finding.policy_id)
    return replace(finding, severity=Severity(wanted)) if wanted else finding


def _override_info(info: PolicyInfo, options: ScanOptions) -> PolicyInfo:
    wanted = options.severity_overrides.get(info.id)
    return replace(info, severity=Severity(wanted)) if wanted else info


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


def scan_input(item: Input, options: ScanOptions, policies: list[Policy], result: ScanResult,
               live_deadline: float | None = None) -> None:
    from policykit.policy import engine

    try:
        models = READERS[item.kind](item, options)
        if models is None and item.kind == "cfn" and (item.path.name.lower().endswith(".json")
                                                      or is_stream(item.path)):
            models = READERS["tf-json"](item, options)  # plan JSON or JSON Terraform
    except InputError as exc:
        result.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
        return
    if models is None:
        result.skipped.append(str(item.path))
        return
    result.files.append(str(item.path))
    for model in models:
        result.distributions[model.file] = (result.distributions.get(model.file, 0)
                                            + len({d.resource for d in model.distributions}))
        result.never_deployed.extend(f"{model.file}: {name} ({why})" for name, why in model.never_deployed)
        if options.live is not None:
            from policykit.probes.runner import probe_model  # dnspython/cryptography: only when probing

            report = probe_model(model, options.live, live_deadline)
            model.notes.extend(report.internal_errors)  # PK007: a probe failed unexpectedly
            result.observed.extend(report.observed)
        if options.edge:
            from policykit.edge.scan import run_edge  # runs the user's handlers: only when asked

            run_edge(model)
        findings, failures = engine.run(policies, model)
        if model.location_note:
            findings = [_with_location_note(f, model.location_note) for f in findings]
        result.findings.extend(findings)
        result.findings.extend(model.notes)
        result.errors.extend(ScanError(model.file, failure) for failure in failures)
        if options.suppressions:  # collected while loading: policykit/suppress.py only filters
            result.suppressions.extend(model.suppressions)
            result.errors.extend(ScanError(exc.file, exc.message, exc.line, exc.column)
                                 for exc in model.suppression_errors)


def _with_location_note(finding: Finding, note: str) -> Finding:
    where = f"{note} (resource address: {finding.resource or 'see the message'})"
    return replace(finding, evidence=(("location", where), *finding.evidence))
