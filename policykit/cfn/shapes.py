"""What AWS-generated attribute values look like, so `!GetAtt Alb.DNSName` is known to be an ELB name.

Each entry maps (resource type, attribute) to the shape of its value: known text with
unknown pieces. The unknown pieces carry the reference, which is how the model links an
origin to the load balancer, bucket or function behind it.
"""

from __future__ import annotations

from policykit.core.values import Partial, ResourceAttr, Unknown, UnknownAddress
from policykit.model import shapes

_U = shapes.RESOURCE  # the unknown piece that names the resource
_R = shapes.REGION
_SR = shapes.SEPARATED_REGION  # `-region` or `.region`

_SHAPES: dict[tuple[str, str], shapes.Shape] = {
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "DNSName"): (_U, ".elb.amazonaws.com"),
    ("AWS::ElasticLoadBalancing::LoadBalancer", "DNSName"): (_U, ".elb.amazonaws.com"),
    ("AWS::S3::Bucket", "DomainName"): (_U, ".s3.amazonaws.com"),
    ("AWS::S3::Bucket", "RegionalDomainName"): (_U, ".s3.", _R, ".amazonaws.com"),
    ("AWS::S3::Bucket", "DualStackDomainName"): (_U, ".s3.dualstack.", _R, ".amazonaws.com"),
    ("AWS::S3::Bucket", "WebsiteURL"): ("http://", _U, ".s3-website", _SR, ".amazonaws.com"),
    ("AWS::EC2::Instance", "PublicDnsName"): ("ec2-", _U, ".amazonaws.com"),
    ("AWS::Lambda::Url", "FunctionUrl"): ("https://", _U, ".lambda-url.", _R, ".on.aws/"),
    ("AWS::ApiGatewayV2::Api", "ApiEndpoint"): ("https://", _U, ".execute-api.", _R, ".amazonaws.com"),
    ("AWS::MediaStore::Container", "Endpoint"): ("https://", _U, ".data.mediastore.", _R, ".amazonaws.com"),
    ("AWS::CloudFront::Distribution", "DomainName"): (_U, ".cloudfront.net"),
    # EndpointURL depends on the environment's OptionSettings: policykit/model/beanstalk.py
    ("AWS::ElasticBeanstalk::Environment", "EndpointURL"): (_U,),
    ("AWS::ApiGateway::DomainName", "RegionalDomainName"): (_U, ".execute-api.", _R, ".amazonaws.com"),
    ("AWS::ApiGateway::DomainName", "DistributionDomainName"): (_U, ".cloudfront.net"),
    ("AWS::ApiGatewayV2::DomainName", "RegionalDomainName"): (_U, ".execute-api.", _R, ".amazonaws.com"),
    ("AWS::GlobalAccelerator::Accelerator", "DnsName"): (_U, ".awsglobalaccelerator.com"),
    ("AWS::GlobalAccelerator::Accelerator", "DualStackDnsName"): (_U, ".dualstack.awsglobalaccelerator.com"),
    ("AWS::AppRunner::Service", "ServiceUrl"): (_U, ".", _R, ".awsapprunner.com"),
    ("AWS::Amplify::App", "DefaultDomain"): (_U, ".amplifyapp.com"),
    ("AWS::OpenSearchService::Domain", "DomainEndpoint"): (_U, ".", _R, ".es.amazonaws.com"),
    ("AWS::Elasticsearch::Domain", "DomainEndpoint"): (_U, ".", _R, ".es.amazonaws.com"),
    ("AWS::MediaPackage::OriginEndpoint", "Url"): ("https://", _U, ".mediapackage.", _R, ".amazonaws.com/out/v1/",
                                                  _U),
}
# Attributes that are IP addresses: CloudFront needs a DNS name (PK103).
_ADDRESSES = frozenset({("AWS::EC2::Instance", "PublicIp"), ("AWS::EC2::EIP", "PublicIp"),
                        ("AWS::EC2::Instance", "PrivateIp"), ("AWS::EC2::EIP", "")})


def attribute_value(resource_type: str, ref: ResourceAttr) -> Unknown | Partial:
    """The value of `ref` as far as it is known before deployment."""
    if (resource_type, ref.attribute) in _ADDRESSES:
        return UnknownAddress(f"{ref} is an IP address only known after deployment", ref)
    return shapes.attribute_value(_SHAPES, resource_type, ref, "deployment")
