"""Bounds on what evaluating one root module may build (policykit/terraform/steps.py): doubling strings and lists,
long chains and many steps stop at their bound, each named in a one-line error; what is within a bound resolves."""

from __future__ import annotations

import time

from policykit.core.limits import DEFAULTS, applied
from tests.helpers import RunCli, Write
from tests.templates import TF_COMMENTED
from tests.terraform.helpers import one_input_error, only_distribution


def test_forty_doubling_locals_stop_at_the_string_bound(write: Write, run_cli: RunCli) -> None:
    lines = ['  l0 = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'] + [f'  l{i} = "${{local.l{i - 1}}}${{local.l{i - 1}}}"'
                                                          for i in range(1, 41)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n" + TF_COMMENTED.format(comment="local.l40"))
    assert len(main.read_bytes()) < 2000
    started = time.monotonic()
    message = one_input_error(run_cli, main.parent, "bytes of strings", "the terraform_string_bytes limit")
    assert time.monotonic() - started < 30
    assert f"{DEFAULTS.terraform_string_bytes:,}" in message


def test_forty_doubling_lists_stop_at_the_list_bound(write: Write, run_cli: RunCli) -> None:
    lines = ['  l0 = ["x", "y"]'] + [f"  l{i} = concat(local.l{i - 1}, local.l{i - 1})" for i in range(1, 41)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n"
                 + TF_COMMENTED.format(comment="length(local.l40)"))
    one_input_error(run_cli, main.parent, "items", "the terraform_items limit")


def test_nested_lists_doubling_stop_at_the_list_bound(write: Write, run_cli: RunCli) -> None:
    # shared, not copied: a small value in memory, 2^40 items to anything that walks it
    lines = ['  l0 = ["x"]'] + [f"  l{i} = [local.l{i - 1}, local.l{i - 1}]" for i in range(1, 41)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n"
                 + TF_COMMENTED.format(comment="length(flatten(local.l40))"))
    one_input_error(run_cli, main.parent, "the terraform_items limit")


def test_a_long_chain_of_locals_stops_at_the_depth_bound(write: Write, run_cli: RunCli) -> None:
    lines = ['  l0 = "x"'] + [f"  l{i} = local.l{i - 1}" for i in range(1, 400)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n" + TF_COMMENTED.format(comment="local.l399"))
    one_input_error(run_cli, main.parent, "deeper than", "bound on evaluation depth")


def test_a_chain_within_the_depth_bound_resolves(write: Write) -> None:
    lines = ['  l0 = "x.example.com"'] + [f"  l{i} = local.l{i - 1}" for i in range(1, 50)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n"
                 + TF_COMMENTED.replace('"app.example.com"', "local.l49").format(comment='"c"'))
    assert only_distribution(main.parent).origins[0].domain_name == "x.example.com"


def test_many_steps_stop_at_the_step_bound(write: Write, run_cli: RunCli) -> None:
    ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
    nested = f"[for j in {ten} : [for l in {ten} : [for m in {ten} : m]]]"  # 10,000 iterations
    main = write("m/main.tf", TF_COMMENTED.format(comment=nested))
    with applied({"terraform_steps": 5_000}):  # the scan's own (empty) changes start from these
        one_input_error(run_cli, main.parent, "steps", "the terraform_steps limit")
