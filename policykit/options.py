"""What a scan is asked to do, apart from the paths (the library's and the CLI's one description of it)."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.record import record
from policykit.source.globs import Globs

if TYPE_CHECKING:  # a scan without --live imports no probe code, one without `aws:` inputs no AWS code
    from policykit.aws.options import AwsOptions
    from policykit.probes.options import LiveOptions


@record
class ScanOptions:
    """What a scan is asked to do, apart from the paths: selection, scenarios and live checks."""

    params: dict[str, str] = field(default_factory=dict)  # CloudFormation --param K=V
    tf_vars: dict[str, str] = field(default_factory=dict)  # Terraform --var K=V
    tf_var_files: tuple[Path, ...] = ()
    policy_dirs: tuple[Path, ...] = ()
    live: LiveOptions | None = None  # scan --live: probe the declared origins (policykit/probes)
    edge: bool = False  # scan --edge: run the code behind Lambda@Edge / CloudFront Functions associations
    aws: AwsOptions | None = None  # how `aws:` inputs are read (policykit/aws); None: the defaults
    # From the command line or .policykit.yaml (policykit/config.py):
    enabled: frozenset[str] = frozenset()  # empty: every policy
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)  # policy id -> error|warning|info
    # (glob pattern, CloudFormation params, Terraform vars) for inputs whose path matches; the command line wins
    file_options: tuple[tuple[str, dict[str, str], dict[str, str]], ...] = ()
    # the configuration file the settings come from: `file_options` patterns are relative to its directory (without
    # one, to the working directory), and it is never read as an input
    config_file: Path | None = None
    exclude: tuple[Globs, ...] = ()  # --exclude and `exclude:` patterns, each set relative to its own directory
    # what policykit reads or writes for itself besides the policy directories and the baseline (the
    # configuration, --write-baseline, reports): never read as inputs, never named as skipped
    own_files: tuple[Path, ...] = ()
    suppressions: bool = True  # honour Metadata/comment suppressions (policykit/filters/suppressions.py)
    # `-` among the paths reads one input from stdin; this is the file name it stands for (its kind, positions,
    # suppressions, config patterns), None: `-`, YAML or JSON by its first character
    stdin_name: str | None = None
    # the name to show for a file read under another: in every finding, error and count, and in the
    # fingerprints the baseline compares (stdin's temporary file is shown as `-` or stdin_name)
    display_names: dict[str, str] = field(default_factory=dict)
    baseline: Path | None = None  # --baseline: findings recorded in this file are accepted (policykit/filters)
    limits: dict[str, int] = field(default_factory=dict)  # raised limits, by name (policykit/core/limits.py)
    outlines: bool = False  # also outline each distribution's request path (policykit/outlines.py): the HTML report
