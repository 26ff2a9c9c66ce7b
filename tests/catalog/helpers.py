"""Helpers of the catalog tests: a policy's Terraform example made into the module it is a piece of.

A Terraform example (`terraform_bad`, `terraform_good`, shown by `policykit policies show --as hcl`) is what a
user changes: top-level blocks (`resource "aws_lb" "app" {...}`) and pieces of the distribution (`origin {...}`,
`aliases = [...]`, `default_cache_behavior {...}`). `example_module` puts the pieces into one
`aws_cloudfront_distribution` with what the provider requires and the example does not say (a default cache
behavior, restrictions, a viewer certificate), and declares the resources the example refers to without
declaring them (`aws_lb.app.dns_name`), each with only what the provider requires.
"""

from __future__ import annotations

import re

TOP_LEVEL = ("resource", "data", "variable", "locals", "module", "output", "provider", "terraform")
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # a managed cache policy

# What a referenced, undeclared resource is declared as: the provider's required arguments and nothing more.
STUBS = {
    "aws_lb": 'resource "aws_lb" "{name}" {{\n  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]\n}}\n',
    "aws_s3_bucket": 'resource "aws_s3_bucket" "{name}" {{\n  bucket = "example-{name}"\n}}\n',
    "aws_s3_bucket_website_configuration": (
        'resource "aws_s3_bucket_website_configuration" "{name}" {{\n  bucket = "example-{name}"\n'
        '  index_document {{\n    suffix = "index.html"\n  }}\n}}\n'),
    "aws_acm_certificate": ('resource "aws_acm_certificate" "{name}" {{\n  domain_name       = "www.example.com"\n'
                            '  validation_method = "DNS"\n}}\n'),
    "aws_lambda_function": (
        'resource "aws_lambda_function" "{name}" {{\n  function_name = "{name}"\n'
        '  role          = "arn:aws:iam::111122223333:role/edge"\n  runtime       = "nodejs20.x"\n'
        '  handler       = "index.handler"\n  filename      = "edge.zip"\n  publish       = true\n}}\n'),
    "aws_cloudfront_function": (
        'resource "aws_cloudfront_function" "{name}" {{\n  name    = "{name}"\n  runtime = "cloudfront-js-2.0"\n'
        '  code    = "function handler(event) {{ return event.request; }}"\n}}\n'),
}
_REFERENCE = re.compile(r"\b(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)\.[a-z_]+")
_DECLARED = re.compile(r'^resource\s+"([^"]+)"\s+"([^"]+)"', re.MULTILINE)


def _depth_change(line: str) -> int:
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line.split("#", 1)[0])  # strings and comments hold no braces
    return code.count("{") + code.count("[") + code.count("(") - code.count("}") - code.count("]") - code.count(")")


def split_example(text: str) -> tuple[list[str], list[str]]:
    """(top-level blocks, pieces of the distribution) of an example, each whole with the comments above it."""
    top: list[str] = []
    body: list[str] = []
    chunk: list[str] = []
    depth = 0
    for line in text.strip("\n").splitlines():
        starts = depth == 0 and line.strip() and not line.lstrip().startswith("#")
        if starts and chunk_word(chunk):
            trailing: list[str] = []  # the comments just above this line go with it
            while chunk and (not chunk[-1].strip() or chunk[-1].lstrip().startswith("#")):
                trailing.insert(0, chunk.pop())
            (top if chunk_word(chunk) in TOP_LEVEL else body).append("\n".join(chunk))
            chunk = trailing
        chunk.append(line)
        depth += _depth_change(line)
    if chunk:
        (top if chunk_word(chunk) in TOP_LEVEL else body).append("\n".join(chunk))
    return top, body


def chunk_word(chunk: list[str]) -> str:
    """The first word of a chunk's first line of code."""
    for line in chunk:
        if line.strip() and not line.lstrip().startswith("#"):
            return re.split(r"[\s={]", line.strip(), maxsplit=1)[0]
    return ""


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line.strip() else "" for line in text.splitlines())


def example_module(text: str) -> str:
    """The module an example is a piece of (see the module docstring)."""
    top, body = split_example(text)
    module = "\n".join(top)
    if not re.search(r'^resource\s+"aws_cloudfront_distribution"', module, re.MULTILINE):
        pieces = "\n".join(body)
        origin_ids = re.findall(r'^\s*origin_id\s*=\s*"([^"]+)"', pieces, re.MULTILINE)
        parts = ["enabled = true"] if not re.search(r"^enabled\s*=", pieces, re.MULTILINE) else []
        parts.append(pieces)
        if not re.search(r"^origin\s*\{", pieces, re.MULTILINE):
            parts.append('origin {\n  origin_id   = "app"\n  domain_name = "origin.example.com"\n'
                         '  custom_origin_config {\n    http_port              = 80\n    https_port             = 443\n'
                         '    origin_protocol_policy = "https-only"\n    origin_ssl_protocols   = ["TLSv1.2"]\n  }\n}')
            origin_ids = ["app", *origin_ids]
        if not re.search(r"^default_cache_behavior\s*\{", pieces, re.MULTILINE):
            target = (origin_ids or ["app"])[0]
            parts.append(f'default_cache_behavior {{\n  target_origin_id       = "{target}"\n'
                         '  viewer_protocol_policy = "redirect-to-https"\n  allowed_methods        = ["GET", "HEAD"]\n'
                         '  cached_methods         = ["GET", "HEAD"]\n'
                         f'  cache_policy_id        = "{CACHING_DISABLED}"\n}}')
        if not re.search(r"^restrictions\s*\{", pieces, re.MULTILINE):
            parts.append('restrictions {\n  geo_restriction {\n    restriction_type = "none"\n  }\n}')
        if not re.search(r"^viewer_certificate\s*\{", pieces, re.MULTILINE):
            parts.append("viewer_certificate {\n  cloudfront_default_certificate = true\n}")
        module += '\nresource "aws_cloudfront_distribution" "cdn" {\n' + _indent("\n".join(parts)) + "\n}\n"
    declared = set(_DECLARED.findall(module))
    for kind, name in dict.fromkeys(_REFERENCE.findall(module)):
        if (kind, name) not in declared:
            if kind not in STUBS:
                raise ValueError(f"the example refers to {kind}.{name}: declare it in the example")
            module += "\n" + STUBS[kind].format(name=name)
            declared.add((kind, name))
    return module
