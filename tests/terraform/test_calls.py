"""Local modules (policykit/terraform/calls.py): a walk scans a called module only through its callers, a module
named on the command line is scanned as given, modules calling each other in a cycle are still scanned."""

from __future__ import annotations

import os
from pathlib import Path

from policykit.api import ScanOptions, scan
from tests.helpers import Write
from tests.templates import tf_default_behavior, tf_distribution, tf_origin

# PK101 on an S3 website endpoint named after the module's `bucket` variable.
WEBSITE_DISTRIBUTION = 'variable "bucket" {}' + tf_distribution(
    tf_origin('"${var.bucket}.s3-website-us-east-1.amazonaws.com"', origin_id="site") + tf_default_behavior('"site"'))


def _project(write: Write) -> Path:
    """root/ calls ./modules/cdn, which calls ../inner; other/ is a module no one calls."""
    write("root/main.tf", 'module "cdn" {\n  source = "./modules/cdn"\n  bucket = "site"\n}\n')
    write("root/modules/cdn/main.tf", WEBSITE_DISTRIBUTION
          + 'module "inner" {\n  source = "../inner"\n  bucket = "deep"\n}\n')
    write("root/modules/inner/main.tf", WEBSITE_DISTRIBUTION)
    write("root/other/main.tf", WEBSITE_DISTRIBUTION)
    return write("root/main.tf", 'module "cdn" {\n  source = "./modules/cdn"\n  bucket = "site"\n}\n').parent


def _pk101(paths: list[Path]) -> list[tuple[str, str]]:
    result = scan(paths, ScanOptions())
    assert not result.errors, result.errors
    return sorted((Path(f.location.file).parent.name, f.resource) for f in result.findings
                  if f.policy_id == "PK101" and not f.unknown)


def test_a_walk_scans_local_modules_only_through_their_callers(write: Write) -> None:
    root = _project(write)
    result = scan([root], ScanOptions())
    assert not result.errors, result.errors
    # three distributions: module.cdn's, module.cdn.module.inner's and other/'s; none counted twice
    assert sum(result.distributions.values()) == 3
    assert _pk101([root]) == [
        ("cdn", "module.cdn.aws_cloudfront_distribution.cdn"),
        ("inner", "module.cdn.module.inner.aws_cloudfront_distribution.cdn"),
        ("other", "aws_cloudfront_distribution.cdn"),
    ]
    # the callers' inputs were used (other/ has none: its bucket is unknown)
    assert not [f for f in result.findings if "var.bucket" in f.message and "modules" in f.location.file]


def test_a_module_directory_named_on_the_command_line_is_scanned_as_given(write: Write) -> None:
    root = _project(write)
    cdn = root / "modules" / "cdn"
    assert _pk101([cdn]) == [("cdn", "aws_cloudfront_distribution.cdn"),
                             ("inner", "module.inner.aws_cloudfront_distribution.cdn")]
    through_caller = _pk101([root])
    # named beside its caller, however spelled (relative, absolute, with ..): it adds nothing
    relative = Path(os.path.relpath(cdn))
    for spelling in (cdn, relative, root / "modules" / ".." / "modules" / "cdn", cdn / "main.tf"):
        assert _pk101([root, spelling]) == through_caller, spelling
        assert _pk101([spelling, Path(os.path.relpath(root))]) == through_caller, spelling
    result = scan([root, relative], ScanOptions())
    assert sum(result.distributions.values()) == 3  # not counted twice


def test_modules_calling_each_other_in_a_cycle_are_still_scanned(write: Write) -> None:
    write("loop/a/main.tf", WEBSITE_DISTRIBUTION + 'module "b" {\n  source = "../b"\n  bucket = "b"\n}\n')
    b = write("loop/b/main.tf", WEBSITE_DISTRIBUTION + 'module "a" {\n  source = "../a"\n  bucket = "a"\n}\n')
    result = scan([b.parent.parent], ScanOptions())
    assert not result.errors
    assert {Path(f).name for f in result.files} == {"a", "b"}
