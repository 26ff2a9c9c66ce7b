"""Reading one CloudFormation file (policykit/cfn/load.py): what it recognises and refuses at the top."""

from __future__ import annotations

from policykit import api
from tests.helpers import Write
from tests.templates import CFN_HEAD


def test_a_tagged_resource_type_is_an_unknown_resource_not_an_error(write: Write) -> None:
    """Rain modules (`Type: !Rain::Module bucket.yaml`) are a pre-processor's business."""
    path = write("rain.yaml", CFN_HEAD + "Resources:\n  Content:\n    Type: !Rain::Module bucket.yaml\n"
                 "  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties: {DistributionConfig: {}}\n")
    result = api.scan([path])
    assert not result.errors
    assert result.distributions == {str(path): 1}
