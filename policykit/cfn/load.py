"""Read one CloudFormation file: parse with positions, recognise it, check its top-level shape."""

from __future__ import annotations

from pathlib import Path

from policykit.cfn.build import template_to_model
from policykit.cfn.template import Template
from policykit.core.errors import InputError
from policykit.core.nodes import MDict, Node, child_mark, file_of
from policykit.findings import Finding, InputNotes
from policykit.model.cloudfront import Model
from policykit.source.detect import is_cfn_document, looks_like_cfn_text
from policykit.source.dupkeys import DuplicateKey
from policykit.source.duplicates import duplicate_key_findings
from policykit.source.files import read_text
from policykit.source.yaml_loader import load_yaml

_MAPPING_SECTIONS = ("Parameters", "Mappings", "Conditions", "Resources", "Outputs", "Metadata")


def parse(text: str, file: str, duplicates: list[DuplicateKey] | None = None) -> Node:
    """JSON when it starts like JSON, else YAML (CloudFormation's own rule of thumb)."""
    if text.lstrip().startswith("{"):
        from policykit.source.json_loader import load_json  # JSON templates only: not every scan's import

        return load_json(text, file, duplicates)
    return load_yaml(text, file, duplicates)


def load_cfn(path: Path, params: dict[str, str], text: str | None = None) -> tuple[Model, InputNotes] | None:
    """The model of a template and what reading it noted; None when the file is not a template (skipped
    silently). `text`: the file's text when the caller has read it already."""
    file = str(path)
    text = read_text(path, b"AWS::") if text is None else text
    if text is None:
        return None
    duplicates: list[DuplicateKey] = []
    try:
        root = parse(text, file, duplicates)
    except InputError:
        if looks_like_cfn_text(text):
            raise
        return None
    if not isinstance(root, MDict) or not is_cfn_document(root):
        from policykit.cfn.deployed import deployed_model, not_read_document  # not a template: only then

        deployed = deployed_model(root, file, path.stem)  # aws cloudfront get-distribution(-config) output
        if deployed is not None:
            return deployed, InputNotes(duplicate_key_findings(duplicates, file, "policykit reads"))
        unread = not_read_document(root, file, path.stem)  # another CloudFront document: PK010, never silence
        if unread is not None:
            return Model(file), InputNotes([unread])
        if "AWSTemplateFormatVersion" in text and not isinstance(root, dict):
            raise InputError(file, "a template must be a mapping at the top", 1, 1)
        return None
    return model_of_template(root, text, file, params, duplicate_key_findings(duplicates, file,
                                                                             "CloudFormation deploys"))


def model_of_template(root: MDict, text: str, file: str, params: dict[str, str], duplicates: list[Finding],
                      included_policykit: bool = False) -> tuple[Model, InputNotes]:
    """The model of a parsed template (a CloudFormation file's, or the one a Serverless service deploys, whose
    nodes may come from the files it includes) and what reading it noted; `duplicates`: its PK006 findings;
    `included_policykit`: a file it includes mentions policykit (may hold suppressions)."""
    check_shape(root, file)
    notes = InputNotes(parameters={str(name) for name in root.get("Parameters") or {}})
    model = template_to_model(Template(file, root, params), notes.findings)
    notes.findings.extend(duplicates)
    if "policykit" in text or included_policykit:  # cheap: most templates have no suppression
        from policykit.source.near_misses import cfn_comment_near_misses, cfn_near_misses
        from policykit.source.suppressions import cfn_suppressions

        notes.findings.extend(cfn_near_misses(root, file))  # PK008: almost a suppression
        if not text.lstrip().startswith("{"):  # YAML: its comments may mean to suppress (JSON has none)
            notes.findings.extend(cfn_comment_near_misses(text, file))
        try:
            notes.suppressions.extend(cfn_suppressions(root, file))
        except InputError as exc:  # reported, and the template's findings still are
            notes.suppression_errors.append(exc)
    return model, notes


def check_shape(root: MDict, file: str) -> None:
    """The sections that must be mappings are mappings, and each resource has a Type."""
    for section in _MAPPING_SECTIONS:
        if section in root and root[section] is not None and not isinstance(root[section], dict):
            mark = root.mark_of(section)
            raise InputError(file_of(mark, file), f"{section} must be a mapping", mark.line, mark.column)
    resources = root.get("Resources") or MDict()
    for logical_id, resource in resources.items():
        mark = resources.mark_of(logical_id)
        if logical_id.startswith("Fn::ForEach::"):
            continue  # AWS::LanguageExtensions: the resources it makes are unknown until deployment
        if not isinstance(resource, dict):
            raise InputError(file_of(mark, file), f"resource {logical_id} must be a mapping", mark.line, mark.column)
        rtype = resource.get("Type")
        if rtype is None or isinstance(rtype, (list, int, float, bool)):
            raise InputError(file_of(mark, file), f"resource {logical_id} has no Type", mark.line, mark.column)
        # A tagged Type (`!Rain::Module x.yaml`, a pre-processor's macro) is some other tool's
        # business: the resource is read as one of unknown type, not as a broken template.
        props = resource.get("Properties")
        if props is not None and not isinstance(props, dict):
            pmark = child_mark(resource, "Properties")
            raise InputError(file_of(pmark, file), f"Properties of {logical_id} must be a mapping", pmark.line,
                             pmark.column)
