"""Decide what kind of input a file is, by name and content, before and after parsing."""

from __future__ import annotations

from pathlib import Path

from policykit.core.nodes import Node
from policykit.core.patterns import lazy_pattern

CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".cfn")
_CFN_HINT = lazy_pattern(r"AWSTemplateFormatVersion|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")


# A top-level Terraform block at the start of a line: `resource "aws_lb" "app" {`, `terraform {`. No YAML or JSON
# document has one.
_HCL_BLOCK = lazy_pattern(r'(?m)^[ \t]*(?:(?:resource|data|module|provider|variable|output)[ \t]+"[^"\n]*"'
                          r'|(?:terraform|locals)[ \t]*\{)')


def looks_like_hcl(text: str) -> bool:
    """Whether unnamed text (standard input) is Terraform's HCL: a top-level block at the start of a line."""
    return not text.lstrip().startswith(("{", "[")) and bool(_HCL_BLOCK().search(text))


def looks_like_cfn_text(text: str) -> bool:
    """Used on files that cannot be parsed: would a person call this a CloudFormation template?"""
    if "AWSTemplateFormatVersion" in text:
        return True
    return "Resources" in text and bool(_CFN_HINT().search(text))


def is_cfn_document(root: Node) -> bool:
    """A parsed document is a template when it declares a format version, SAM, or AWS resources."""
    if not isinstance(root, dict):
        return False
    if "AWSTemplateFormatVersion" in root:
        return True
    transform = root.get("Transform")
    if isinstance(transform, str) and transform.startswith("AWS::"):
        return True
    resources = root.get("Resources")
    if not isinstance(resources, dict):
        return False
    for resource in resources.values():
        if isinstance(resource, dict):
            rtype = resource.get("Type")
            if isinstance(rtype, str) and rtype.startswith(("AWS::", "Custom::")):
                return True
    return False


def is_cfn_candidate(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(CFN_SUFFIXES) and not name.endswith(".tf.json")
