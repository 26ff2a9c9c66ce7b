"""What provider-computed attributes look like, so `aws_lb.app.dns_name` is known to be an ELB name.

The Terraform twin of policykit/cfn/shapes.py: known text with unknown pieces, the unknown
pieces carrying the reference that links an origin to the resource behind it.
"""

from __future__ import annotations

from policykit.core.values import Partial, ResourceAttr, Unknown, UnknownAddress
from policykit.model import shapes

_U = shapes.RESOURCE  # the unknown piece that names the resource
_R = shapes.REGION
_ELB = (_U, ".elb.amazonaws.com")
_WEBSITE = (_U, ".s3-website", shapes.SEPARATED_REGION, ".amazonaws.com")  # `-region` or `.region`: one piece

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
    # endpoint_url depends on the environment's settings: policykit/model/beanstalk.py (through terraform/scope.py)
    ("aws_api_gateway_domain_name", "regional_domain_name"): (_U, ".execute-api.", _R, ".amazonaws.com"),
    ("aws_api_gateway_domain_name", "cloudfront_domain_name"): (_U, ".cloudfront.net"),
    ("aws_globalaccelerator_accelerator", "dns_name"): (_U, ".awsglobalaccelerator.com"),
    ("aws_globalaccelerator_accelerator", "dual_stack_dns_name"): (_U, ".dualstack.awsglobalaccelerator.com"),
    ("aws_apprunner_service", "service_url"): (_U, ".", _R, ".awsapprunner.com"),
    ("aws_amplify_app", "default_domain"): (_U, ".amplifyapp.com"),
    ("aws_opensearch_domain", "endpoint"): (_U, ".", _R, ".es.amazonaws.com"),
    ("aws_elasticsearch_domain", "endpoint"): (_U, ".", _R, ".es.amazonaws.com"),
    ("aws_media_package_channel", "hls_ingest"): (_U,),
}
# Attributes that are IP addresses: CloudFront needs a DNS name (PK103).
_ADDRESSES = frozenset({("aws_instance", "public_ip"), ("aws_instance", "private_ip"), ("aws_eip", "public_ip"),
                        ("aws_eip", "private_ip")})


def attribute_value(resource_type: str, ref: ResourceAttr) -> Unknown | Partial:
    """The value of `ref` as far as it is known before apply."""
    if (resource_type, ref.attribute) in _ADDRESSES:
        return UnknownAddress(f"{ref} is an IP address only known after apply", ref)
    return shapes.attribute_value(_SHAPES, resource_type, ref, "apply")
