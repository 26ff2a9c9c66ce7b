"""The framework's variable syntax (policykit/serverless/placeholders.py), as sf-core's placeholders.js reads it."""

from __future__ import annotations

import time

import pytest

from policykit.serverless.placeholders import Literal, Source, fallbacks_of, placeholders


@pytest.mark.parametrize(("text", "found"), [
    ("${self:service}-blue.${self:custom.domain}", ["${self:service}", "${self:custom.domain}"]),
    ("${opt:stage, 'dev'}", ["${opt:stage, 'dev'}"]),
    ("${file(./config.${sls:stage}.json):CREDS}", ["${file(./config.${sls:stage}.json):CREDS}"]),
    ("${strToBool(${env:FLAG})}", ["${strToBool(${env:FLAG})}"]),
    # CloudFormation's own, left as written: pseudo parameters, Sub variables, literals, CloudWatch labels
    ("arn:${AWS::Partition}:s3:::${Bucket}/${Bucket.Arn}", []),
    ("${!Literal} ${PROP('Dim.X')}", []),
    ("${{ github.sha }} ${unclosed", []),
    ("plain text", []),
])
def test_which_placeholders_are_variables(text: str, found: list[str]) -> None:
    assert [text[start:end] for start, end in placeholders(text)] == found


@pytest.mark.parametrize(("body", "fallbacks"), [
    ("opt:stage, 'dev'", [Source("opt:stage", "opt", (), "stage"), Literal("dev")]),
    ('opt:stage, self:provider.stage, "dev"', [Source("opt:stage", "opt", (), "stage"),
                                               Source("self:provider.stage", "self", (), "provider.stage"),
                                               Literal("dev")]),
    ("opt:count, 10", [Source("opt:count", "opt", (), "count"), Literal(10)]),
    ("env:FLAG, true", [Source("env:FLAG", "env", (), "FLAG"), Literal(True)]),
    ("file(./x.yml):a.b", [Source("file(./x.yml):a.b", "file", ("./x.yml",), "a.b")]),
    ("file('./x.yml')", [Source("file('./x.yml')", "file", ("./x.yml",), None)]),
    ("ssm(us-east-1, raw):/a/b", [Source("ssm(us-east-1, raw):/a/b", "ssm", ("us-east-1", "raw"), "/a/b")]),
    ("aws:ssm:/a/b", [Source("aws:ssm:/a/b", "aws", (), "/a/b")]),
    ("self:", [Source("self:", "self", (), "")]),
    ("opt:x, bare", [Source("opt:x", "opt", (), "x"), Literal("bare")]),
])
def test_fallbacks_as_written(body: str, fallbacks: list[object]) -> None:
    assert list(fallbacks_of(body)) == fallbacks


def test_a_long_hostile_string_is_read_in_linear_time() -> None:
    for text in ("${a(" + ")b" * 200_000 + "}", "${" * 100_000 + "}" * 100_000, "${x:" + "," * 300_000 + "}"):
        started = time.monotonic()
        list(placeholders(text))
        assert time.monotonic() - started < 5
