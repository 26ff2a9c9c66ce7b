"""Fix snippets in the language of the template a finding is in.

A policy's `examples` are CloudFormation YAML (`bad`, `good`), and may have Terraform twins
(`terraform_bad`, `terraform_good`). A JSON template gets the YAML converted to CloudFormation
JSON by cfn-flip, which understands the short-form tags (`!Sub` -> `{"Fn::Sub": ...}`); cfn-flip
is imported only when a JSON snippet is actually produced. A Terraform file gets the Terraform
example, or none when the policy has no Terraform example (never CloudFormation for HCL). The examples of the
edge policies are a function's code (Python or JavaScript), the same whatever the template: shown as written, in
the language `code`, never through cfn-flip.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

LANGUAGES = ("yaml", "json", "hcl")
CODE = "code"  # a function's code: an edge policy's example


def language_of(file: str) -> str:
    """The snippet language for a finding's file: hcl for Terraform, json for JSON templates, else yaml."""
    name = file.lower()
    if name.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")) or "." not in name.rsplit("/", 1)[-1]:
        return "hcl"  # a Terraform module directory has no suffix
    return "json" if name.endswith(".json") else "yaml"


def example(examples: Mapping[str, str], kind: str, language: str) -> str:
    """The `kind` ("bad" or "good") example in `language` (`code`: as written); "" when the policy has none for it."""
    if language == CODE:
        return examples.get(kind, "").strip()
    if language == "hcl":
        return examples.get(f"terraform_{kind}", "").strip()
    text = examples.get(kind, "").strip()
    if not text or language == "yaml":
        return text
    return as_json(text)


@functools.lru_cache(maxsize=256)
def as_json(yaml_text: str) -> str:
    """CloudFormation YAML -> CloudFormation JSON (cfn-flip; short-form tags become Fn:: objects)."""
    from cfn_flip import to_json  # lazily: only when a JSON snippet is shown

    converted: str = to_json(yaml_text)
    return converted.strip()
