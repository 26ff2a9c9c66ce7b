"""How CloudFormation spells a distribution (`DistributionConfig`), for the one model builder.

Also the shape `aws cloudfront get-distribution-config` is adapted to before it is built.
"""

from __future__ import annotations

from policykit.location import Location
from policykit.model.reader import Mapping, Reader
from policykit.model.spelling import Spelling
from policykit.model.values import MaybeMore, Partial, Unknown

SPELLING = Spelling(
    distribution={"enabled": "Enabled", "aliases": "Aliases", "viewer_certificate": "ViewerCertificate",
                  "origins": "Origins", "origin_groups": "OriginGroups.Items",
                  "default_behavior": "DefaultCacheBehavior", "ordered_behaviors": "CacheBehaviors"},
    viewer_certificate={"acm_certificate_arn": "AcmCertificateArn", "iam_certificate_id": "IamCertificateId",
                        "cloudfront_default": "CloudFrontDefaultCertificate",
                        "minimum_protocol_version": "MinimumProtocolVersion",
                        "ssl_support_method": "SslSupportMethod"},
    origin={"id": "Id", "domain_name": "DomainName", "origin_path": "OriginPath",
            "connection_attempts": "ConnectionAttempts", "connection_timeout": "ConnectionTimeout",
            "custom_headers": "OriginCustomHeaders", "custom": "CustomOriginConfig", "s3": "S3OriginConfig",
            "vpc": "VpcOriginConfig"},
    custom_origin={"protocol_policy": "OriginProtocolPolicy", "http_port": "HTTPPort", "https_port": "HTTPSPort",
                   "ssl_protocols": "OriginSSLProtocols", "read_timeout": "OriginReadTimeout",
                   "keepalive_timeout": "OriginKeepaliveTimeout"},
    custom_header={"name": "HeaderName", "value": "HeaderValue"},
    origin_group={"id": "Id", "member_ids": "Members.Items", "member_id": "OriginId",
                  "status_codes": "FailoverCriteria.StatusCodes.Items"},
    behavior={"path_pattern": "PathPattern", "target_origin_id": "TargetOriginId",
              "viewer_protocol_policy": "ViewerProtocolPolicy", "allowed_methods": "AllowedMethods",
              "cache_policy_id": "CachePolicyId", "origin_request_policy_id": "OriginRequestPolicyId",
              "forwarded_values": "ForwardedValues", "lambda_associations": "LambdaFunctionAssociations",
              "function_associations": "FunctionAssociations"},
    forwarded_values={"headers": "Headers", "cookies": "Cookies", "forward": "Forward",
                      "query_string": "QueryString"},
    lambda_association={"event_type": "EventType", "lambda_arn": "LambdaFunctionARN", "include_body": "IncludeBody"},
    function_association={"event_type": "EventType", "function_arn": "FunctionARN"},
    lambda_arns={
        ("AWS::Lambda::Version", ""): "version",
        ("AWS::Lambda::Alias", ""): "alias",
        ("AWS::Lambda::Function", ""): "function-name",
        ("AWS::Lambda::Function", "Arn"): "unqualified",
        ("AWS::Serverless::Function", ""): "function-name",
        ("AWS::Serverless::Function", "Arn"): "unqualified",
        ("AWS::Serverless::Function", "Version"): "version",
        ("AWS::Serverless::Function", "Alias"): "alias",
    },
    lambda_qualifiers={("AWS::Lambda::Version", "Version"): "version"},
)


class CloudFormation:
    """CloudFormation blocks: a list property holds mappings, a nested property is one mapping."""

    spelling = SPELLING

    def blocks(self, read: Reader, node: object, key: str) -> MaybeMore[tuple[Location, Mapping]]:
        return read.items(node, key)

    def located(self, read: Reader, node: object, key: str) -> tuple[Location, Mapping] | None:
        value = read.mapping(node, key)
        return None if value is None else (read.loc(node, key), value)

    def block(self, read: Reader, node: object, key: str) -> Mapping | Unknown | None:
        value = node.get(key) if isinstance(node, dict) else None
        if isinstance(value, (Unknown, Partial)):
            return Unknown(value.reason or f"{key} is only known at deployment", at=read.loc(node, key))
        return read.mapping(node, key)


CFN = CloudFormation()
