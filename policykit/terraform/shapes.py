"""What provider-computed attributes look like, so `aws_lb.app.dns_name` is known to be an ELB name.

The Terraform twin of policykit/cfn/shapes.py: known text with unknown pieces, the unknown
pieces carrying the reference that links an origin to the resource behind it.
"""

from __future__ import annotations

from policykit.model import shapes
from policykit.model.values import Partial, ResourceAttr, Unknown

_U = shapes.RESOURCE  # the unknown piece that names the resource
_R = shapes.REGION
_ELB = (_U, ".elb.amazonaws.com")
_WEBSITE = (_U, ".s3-website-", _R, ".amazonaws.com")

_SHAPES: dict[tuple[str, str], shapes.Shape] = {
    ("aws_lb", "dns_name"): _ELB,
    ("aws_alb", "dns_name"): _ELB,
    ("aws_elb", "dns_name"): _ELB,
    ("aws_s3_bucket", "bucket_domain_name"): (_U, ".s3.amazonaws.com"),
    ("aws_s3_bucket", "bucket_regional_domain_name"): (_U, ".s3.", _R, ".amazonaws.com"),
    ("aws_s3_bucket", "website_endpoint"): _WEBSITE,
    ("aws_s3_bucket_website_configuration", "website_endpoint"): _WEBSITE,
    ("aws_instance", "public_dns"): ("ec2-", _U, ".compute.amazonaws.com"),
    ("aws_lambda_function_url", "function_url"): ("https://", _U, ".lambda-url.", _R, ".on.aws/"),
    ("aws_apigatewayv2_api", "api_endpoint"): ("https://", _U, ".execute-api.", _R, ".amazonaws.com"),
    ("aws_media_store_container", "endpoint"): ("https://", _U, ".data.mediastore.", _R, ".amazonaws.com"),
    ("aws_cloudfront_distribution", "domain_name"): (_U, ".cloudfront.net"),
    ("aws_elastic_beanstalk_environment", "cname"): (_U, ".elasticbeanstalk.com"),
}


def attribute_value(resource_type: str, ref: ResourceAttr) -> Unknown | Partial:
    """The value of `ref` as far as it is known before apply."""
    return shapes.attribute_value(_SHAPES, resource_type, ref, "apply")
