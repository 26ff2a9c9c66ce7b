"""Terraform input: HCL modules, JSON-syntax files and plan JSON, normalized to the same model as CloudFormation.

`read_input` is the reader registered in policykit.api for the `terraform` and `tf-json` inputs;
python-hcl2 is imported only when a `.tf` file is actually read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from policykit.findings import InputNotes
from policykit.model.cloudfront import Model

if TYPE_CHECKING:
    from policykit.findings import Finding
    from policykit.source.discover import Input
    from policykit.source.dupkeys import DuplicateKey
    from policykit.terraform.hcl import Block


def read_input(item: Input, tf_vars: dict[str, str], tf_var_files: tuple[Path, ...] = ()
               ) -> tuple[list[Model], InputNotes] | None:
    """The models of a Terraform input (`--var` values and `--var-file` files given) and what reading it
    noted; None when it is not Terraform (skipped silently)."""
    from policykit.terraform.load import load_files, module_models, variable_values

    if item.kind == "terraform":
        files = list(item.files) or sorted(item.path.glob("*.tf"))
        directory = item.path if item.path.is_dir() else item.path.parent
        duplicates: dict[str, list[DuplicateKey]] = {}
        variables = variable_values(directory, tf_var_files, tf_vars, duplicates)
        loaded = load_files(files, duplicates)
        notes = InputNotes(suppressions=loaded.suppressions, suppression_errors=loaded.suppression_errors,
                           variables=_variables(loaded.blocks))
        models = module_models(directory, loaded.blocks, variables, str(files[0] if files else item.path),
                               notes.findings)
        notes.findings.extend(loaded.near_misses)
        for file, twice in loaded.hcl_duplicates:
            duplicates.setdefault(file, []).append(twice)
        notes.findings.extend(_duplicates(duplicates))
        return models, notes
    return _read_json(item.path, tf_vars, tf_var_files)


def _read_json(path: Path, tf_vars: dict[str, str], tf_var_files: tuple[Path, ...]
               ) -> tuple[list[Model], InputNotes] | None:
    from policykit.core.nodes import MDict
    from policykit.source.files import read_text
    from policykit.source.json_loader import load_json
    from policykit.terraform.hcl import tf_json_blocks
    from policykit.terraform.load import module_models, variable_values
    from policykit.terraform.plan import is_plan, plan_models

    # A .tf.json is ours by name, so bad bytes in it are an error; any other .json that is not
    # UTF-8 is only ours if it looks like a plan (or a template: read_text checks that itself).
    text = read_text(path, b"" if path.name.lower().endswith(".tf.json") else b'"terraform_version"')
    if text is None or not text.lstrip().startswith("{"):
        return None
    from policykit.core.errors import InputError

    duplicates: dict[str, list[DuplicateKey]] = {str(path): []}
    try:
        root = load_json(text, str(path), duplicates[str(path)])
    except InputError:
        if path.name.lower().endswith(".tf.json"):
            raise
        return None  # some other broken JSON file: not ours to judge
    if not isinstance(root, MDict):
        return None
    notes = InputNotes()
    if is_plan(root):
        models = plan_models(root, str(path), notes.findings)
        variables = root.get("variables")
        notes.variables = {str(name) for name in variables} if isinstance(variables, dict) else set()
    elif not path.name.lower().endswith(".tf.json") and not any(
            key in root for key in ("resource", "module")):
        return None
    else:
        variables = variable_values(path.parent, tf_var_files, tf_vars, duplicates)
        blocks = tf_json_blocks(root, str(path))
        notes.variables = _variables(blocks)
        models = module_models(path.parent, blocks, variables, str(path), notes.findings)
    notes.findings.extend(_duplicates(duplicates))
    return models, notes


def _variables(blocks: list[Block]) -> set[str]:
    """The variables a module declares (what `--var` may set)."""
    return {block.labels[0] for block in blocks if block.type == "variable" and block.labels}


def _duplicates(by_file: dict[str, list[DuplicateKey]]) -> list[Finding]:
    """PK006 for keys written twice: JSON files keep the last (Terraform too), HCL ones Terraform refuses."""
    from policykit.source.duplicates import HCL_REFUSES, duplicate_key_findings

    out: list[Finding] = []
    for file, found in by_file.items():
        out.extend(duplicate_key_findings(found, file, "Terraform uses" if file.lower().endswith(".json")
                                          else HCL_REFUSES))
    return out
