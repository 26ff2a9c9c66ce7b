"""Decide what kind of input a file is, by name and content, before and after parsing."""

from __future__ import annotations

import re
from pathlib import Path

from policykit.core.nodes import Node
from policykit.core.patterns import lazy_pattern

CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".cfn")
_CFN_HINT = lazy_pattern(r"AWSTemplateFormatVersion|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")
# The Serverless Framework looks for these in a service's directory; serverless.js/.ts are programs.
SERVERLESS_NAMES = frozenset({"serverless.yml", "serverless.yaml", "serverless.json"})
SERVERLESS_PROGRAMS = frozenset({"serverless.js", "serverless.cjs", "serverless.mjs", "serverless.ts"})
# A variable of one of the framework's own sources: `${self:...}`, `${opt:stage}`, `${ssm(us-east-1):/p}`,
# `${file(x.yml)}`, `${strToBool(...)}` (never CloudFormation's `${AWS::Region}` or `${Bucket.Arn}`).
_FRAMEWORK_VARIABLE = lazy_pattern(r"\$\{\s*(?:(?:self|opt|env|sls|param|ssm|cf|s3|aws|output|git)(?:\([^)]*\))?:"
                                   r"|(?:file|strToBool)\()")
_TOP_KEY = lazy_pattern(r'^[ \t]*"?(service|provider)"?[ \t]*:', re.MULTILINE)


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


def uses_framework_variables(text: str) -> bool:
    """Does the text use the Serverless Framework's variables (a service file, or a `resources` file)?"""
    return "${" in text and bool(_FRAMEWORK_VARIABLE().search(text))


def looks_like_serverless(text: str) -> bool:
    """Would the Serverless Framework read this: a service (`service:` and `provider:` keys) or a file with its
    variables? (The reader decides from the parsed file.)"""
    if uses_framework_variables(text):
        return True
    keys: set[str] = set()
    for match in _TOP_KEY().finditer(text):
        keys.add(match.group(1))
        if len(keys) == 2:
            return True
    return False


def is_cfn_candidate(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(CFN_SUFFIXES) and not name.endswith(".tf.json")
