"""What the function ARN of a Lambda@Edge association names (policykit/facts/association_arns.py): CloudFront takes
only a numbered version."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.association_arns import arn_kind, classify_arn
from tests.facts.helpers import default_behavior
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template


@pytest.mark.parametrize(("arn", "kind"), [
    ("arn:aws:lambda:us-east-1:123456789012:function:edge:3", "version"),
    ("arn:aws:lambda:us-east-1:123456789012:function:edge:$LATEST", "latest"),
    ("arn:aws:lambda:us-east-1:123456789012:function:edge:live", "alias"),
    ("arn:aws:lambda:us-east-1:123456789012:function:edge", "unqualified"),
    ("edge", "function-name"),
])
def test_what_a_written_arn_names(arn: str, kind: str) -> None:
    assert classify_arn(arn) == kind


def test_an_arn_of_another_form_or_not_known() -> None:
    assert classify_arn("arn:aws:lambda:us-east-1") == Unknown("the function ARN has an unexpected form")
    assert isinstance(classify_arn(None), Unknown)


def test_arn_kind_of_an_association_by_what_it_references(write: Write) -> None:
    def kind(arn: str) -> object:
        associations = ("          LambdaFunctionAssociations:\n"
                        f"            - {{EventType: origin-request, LambdaFunctionARN: {arn}}}\n")
        text = cfn_template("  Fn: {Type: AWS::Lambda::Function}\n"
                            "  FnVersion: {Type: AWS::Lambda::Version, Properties: {FunctionName: !Ref Fn}}\n"
                            + cfn_distribution("Site", behavior_extra=associations), "  Arn: {Type: String}\n")
        (association,) = default_behavior(write(f"k{abs(hash(arn))}.yaml", text)).lambda_associations
        return arn_kind(association)

    assert kind("!Ref FnVersion") == "version"
    assert kind("!GetAtt Fn.Arn") == "unqualified"
    assert kind("!Sub '${Fn.Arn}:7'") == "version"
    assert kind("!Sub '${Fn.Arn}:$LATEST'") == "latest"
    assert isinstance(kind("!Ref Arn"), Unknown)
