"""What an aws: input names."""

from __future__ import annotations

import pytest

from policykit.aws.options import AwsTarget, is_aws_input, parse_target
from policykit.core.errors import InputError


def test_one_distribution_or_every_one() -> None:
    assert parse_target("aws:cloudfront") == AwsTarget("aws:cloudfront")
    assert parse_target("aws:cloudfront/") == AwsTarget("aws:cloudfront/")
    assert parse_target("aws:cloudfront/E2QWRUHAPOMQZL").distribution_id == "E2QWRUHAPOMQZL"
    assert is_aws_input("aws:cloudfront") and not is_aws_input("template.yaml")


@pytest.mark.parametrize("text", ["aws:s3/bucket", "aws:", "aws:cloudfront/E1/more", "aws:cloudfront/\x1b[31mE1",
                                  "aws:cloudfront/" + "E" * 65])
def test_anything_else_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_target(text)
    assert raised.value.file == text and "\n" not in raised.value.message
