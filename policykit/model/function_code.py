"""Where a function's code is, read from the resolved properties of a template or module.

CloudFormation `Code.ZipFile` / SAM `InlineCode` (inline), SAM `CodeUri` and CDK's `aws:asset:path`
metadata (a local path), Terraform `filename` and `data.archive_file` (`source_file`/`source_dir`).
S3 code and images are not local. (CloudFront Functions keep their code as text: model/related.py.)
"""

from __future__ import annotations

import os
from typing import Any

from policykit.core.values import Partial, Unknown
from policykit.model.related import FunctionCode


def _base(file: str) -> str:
    return os.path.dirname(file) or "."


def _unknown(value: Any, what: str) -> FunctionCode:
    reason = getattr(value, "reason", "") or "only known at deployment"
    return FunctionCode("unknown", reason=f"{what} is not known here ({reason})")


def cfn_lambda_code(props: dict[str, Any], metadata: Any, file: str) -> FunctionCode:
    """AWS::Lambda::Function `Code` / AWS::Serverless::Function `CodeUri`, `InlineCode`; CDK asset metadata."""
    asset = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
    if isinstance(asset, str) and asset:
        return FunctionCode("path", path=asset, base=_base(file))
    inline = props.get("InlineCode")
    code = props.get("Code")
    if isinstance(code, dict) and "ZipFile" in code:
        inline = code["ZipFile"]
    if inline is not None:
        return FunctionCode("inline", inline=inline) if isinstance(inline, str) else _unknown(inline, "the inline code")
    uri = props.get("CodeUri")
    if isinstance(uri, str):
        if uri.startswith("s3://"):
            return FunctionCode("s3", reason=f"the code is in S3 ({uri})")
        return FunctionCode("path", path=uri, base=_base(file))
    if (isinstance(code, dict) and "ImageUri" in code) or props.get("PackageType") == "Image":
        return FunctionCode("image", reason="the code is a container image")
    if isinstance(uri, dict) or isinstance(code, dict):
        return FunctionCode("s3", reason="the code is in S3")
    if isinstance(uri, (Unknown, Partial)) or isinstance(code, (Unknown, Partial)):
        return _unknown(uri if uri is not None else code, "the code location")
    if props.get("Handler") is None and uri is None and code is None:
        return FunctionCode("unknown", reason="the function declares no code")
    return FunctionCode("path", path=".", base=_base(file))  # SAM: CodeUri defaults to the template's directory


def terraform_lambda_code(body: dict[str, Any], file: str) -> FunctionCode:
    """aws_lambda_function `filename` (a zip, or a `data.archive_file`), `s3_bucket`, `image_uri`."""
    filename = body.get("filename")
    if isinstance(filename, str):
        return FunctionCode("path", path=filename, base=_base(file))
    ref = getattr(filename, "ref", None)
    if ref is not None and str(ref.resource).split(".")[-2:-1] == ["archive_file"]:
        return FunctionCode("unknown", reason="the archive_file data source is not declared", ref=ref.resource)
    if body.get("s3_bucket") is not None:
        return FunctionCode("s3", reason="the code is in S3 (s3_bucket)")
    if body.get("image_uri") is not None:
        return FunctionCode("image", reason="the code is a container image")
    return _unknown(filename, "filename")


def terraform_archive(body: dict[str, Any], file: str) -> FunctionCode:
    """data "archive_file": what it zips (`source_file`, `source_dir`, or `source_content`)."""
    for key in ("source_file", "source_dir"):
        value = body.get(key)
        if isinstance(value, str):
            return FunctionCode("path", path=value, base=_base(file))
        if value is not None:
            return _unknown(value, key)
    content = body.get("source_content")
    if isinstance(content, str):
        return FunctionCode("inline", inline=content)
    return FunctionCode("unknown", reason="the archive_file has no source_file or source_dir")
