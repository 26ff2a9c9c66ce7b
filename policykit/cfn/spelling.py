"""How CloudFormation spells a distribution (`DistributionConfig`), for the one model builder.

Also the shape `aws cloudfront get-distribution-config` is adapted to before it is built.
"""

from __future__ import annotations

from policykit.core.location import Location
from policykit.core.values import MaybeMore, Partial, Unknown
from policykit.model import beanstalk
from policykit.model.reader import Mapping, Reader
from policykit.model.spelling import Related, Spelling

_LAMBDA = Related("lambda_function", keys={
    "runtime": "Runtime", "handler": "Handler", "code": "cloudformation",
    "memory_size": "MemorySize", "timeout": "Timeout", "architectures": "Architectures",
    "package_type": "PackageType", "has_environment": "Environment", "variables": "Variables",
    "has_vpc_config": "VpcConfig", "has_layers": "Layers", "has_dead_letter_config": "DeadLetterConfig",
    "ephemeral_storage": "EphemeralStorage", "storage_size": "Size"},
    locs={"runtime": "Runtime", "memory_size": "MemorySize", "timeout": "Timeout", "architectures": "Architectures",
          "package_type": "PackageType", "has_environment": "Environment", "has_vpc_config": "VpcConfig",
          "has_layers": "Layers", "has_dead_letter_config": "DeadLetterConfig",
          "ephemeral_storage": "EphemeralStorage"})
_BALANCER_KEYS = {"scheme": "Scheme", "lb_type": "Type", "security_groups": "SecurityGroups"}
_BALANCER_LOCS = {"scheme": "Scheme", "lb_type": "Type", "security_groups": "SecurityGroups"}
_RULE_KEYS = {"protocol": "IpProtocol", "from_port": "FromPort", "to_port": "ToPort", "cidrs": "CidrIp,CidrIpv6",
              "prefix": "SourcePrefixListId", "group": "SourceSecurityGroupId"}

RELATED: dict[str, Related] = {
    "AWS::CertificateManager::Certificate": Related("certificate", keys={
        "domain_name": "DomainName", "subject_alternative_names": "SubjectAlternativeNames"},
        locs={"domain_name": "DomainName", "subject_alternative_names": "SubjectAlternativeNames"}),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": Related("load_balancer", keys=_BALANCER_KEYS, locs=_BALANCER_LOCS),
    "AWS::ElasticLoadBalancing::LoadBalancer": Related("classic_load_balancer", keys={
        **_BALANCER_KEYS, "listeners": "Listeners", "listener_port": "LoadBalancerPort",
        "listener_protocol": "Protocol", "listener_certificate": "SSLCertificateId"}, locs=_BALANCER_LOCS),
    "AWS::ElasticLoadBalancingV2::Listener": Related("listener", keys={
        "port": "Port", "protocol": "Protocol", "ssl_policy": "SslPolicy", "certificates": "Certificates",
        "certificate_arn": "CertificateArn", "load_balancer_arn": "LoadBalancerArn"},
        locs={"port": "Port", "protocol": "Protocol", "ssl_policy": "SslPolicy", "certificate_arns": "Certificates"}),
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": Related(links="listener_certificate", keys={
        "listener_arn": "ListenerArn", "certificates": "Certificates", "certificate_arn": "CertificateArn"}),
    "AWS::EC2::SecurityGroup": Related("security_group", keys={"ingress": "SecurityGroupIngress", **_RULE_KEYS}),
    "AWS::EC2::SecurityGroupIngress": Related(links="ingress_rule", keys={"group_id": "GroupId", **_RULE_KEYS}),
    "AWS::Lambda::Function": _LAMBDA,
    "AWS::Serverless::Function": _LAMBDA,
    "AWS::Lambda::Version": Related(links="function_version", keys={"function_name": "FunctionName"}),
    "AWS::CloudFront::CachePolicy": Related("cache_policy", keys={
        "name": "CachePolicyConfig.Name",
        "headers_config": "CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig",
        "header_behavior": "HeaderBehavior", "headers": "Headers"}),
    "AWS::CloudFront::OriginRequestPolicy": Related("origin_request_policy", keys={
        "name": "OriginRequestPolicyConfig.Name", "headers_config": "OriginRequestPolicyConfig.HeadersConfig",
        "header_behavior": "HeaderBehavior", "headers": "Headers"}),
    "AWS::CloudFront::Function": Related("cloudfront_function", keys={
        "name": "Name", "code": "FunctionCode", "runtime": "FunctionConfig.Runtime",
        "stores": "KeyValueStoreAssociations", "store_arn": "KeyValueStoreARN"}),
    beanstalk.ENVIRONMENT_TYPE: Related(custom=beanstalk.load_balancer),
    "AWS::CloudFront::DistributionTenant": Related("distribution_tenant", keys={
        "distribution_id": "DistributionId", "domains": "Domains", "domain": "",
        "certificate_arn": "Customizations.Certificate.Arn", "managed": "ManagedCertificateRequest"}),
    # OriginProtocolPolicy not written is match-viewer (the resource specification's default)
    "AWS::CloudFront::VpcOrigin": Related("vpc_origin", keys={
        "endpoint": "VpcOriginEndpointConfig", "arn": "Arn", "http_port": "HTTPPort", "https_port": "HTTPSPort",
        "protocol_policy": "OriginProtocolPolicy", "ssl_protocols": "OriginSSLProtocols",
        "default_protocol_policy": "match-viewer"}),
}

# CloudFront-like resource types policykit does not read (PK010 says so for each resource): what each is.
# AWS::CloudFront::ConnectionGroup is read (nothing in it can cause a 502), DistributionTenant and VpcOrigin are read
# with the distribution they serve.
NOT_READ: dict[str, str] = {
    "AWS::CloudFront::StreamingDistribution": "an RTMP streaming distribution (CloudFront no longer serves RTMP)",
    "AWS::Lightsail::Distribution": "a Lightsail distribution (a CloudFront distribution Lightsail manages)",
}

SPELLING = Spelling(
    distribution={"enabled": "Enabled", "http_version": "HttpVersion", "connection_mode": "ConnectionMode",
                  "aliases": "Aliases", "viewer_certificate": "ViewerCertificate",
                  "origins": "Origins", "origin_groups": "OriginGroups.Items",
                  "default_behavior": "DefaultCacheBehavior", "ordered_behaviors": "CacheBehaviors"},
    viewer_certificate={"acm_certificate_arn": "AcmCertificateArn", "iam_certificate_id": "IamCertificateId",
                        "cloudfront_default": "CloudFrontDefaultCertificate",
                        "minimum_protocol_version": "MinimumProtocolVersion",
                        "ssl_support_method": "SslSupportMethod"},
    origin={"id": "Id", "domain_name": "DomainName", "origin_path": "OriginPath",
            "connection_attempts": "ConnectionAttempts", "connection_timeout": "ConnectionTimeout",
            "response_completion_timeout": "ResponseCompletionTimeout", "origin_shield": "OriginShield",
            "custom_headers": "OriginCustomHeaders", "custom": "CustomOriginConfig", "s3": "S3OriginConfig",
            "vpc": "VpcOriginConfig"},
    custom_origin={"protocol_policy": "OriginProtocolPolicy", "http_port": "HTTPPort", "https_port": "HTTPSPort",
                   "ssl_protocols": "OriginSSLProtocols", "read_timeout": "OriginReadTimeout",
                   "keepalive_timeout": "OriginKeepaliveTimeout", "mtls": "OriginMtlsConfig"},
    custom_header={"name": "HeaderName", "value": "HeaderValue"},
    origin_group={"id": "Id", "member_ids": "Members.Items", "member_id": "OriginId",
                  "status_codes": "FailoverCriteria.StatusCodes.Items"},
    behavior={"path_pattern": "PathPattern", "target_origin_id": "TargetOriginId",
              "viewer_protocol_policy": "ViewerProtocolPolicy", "allowed_methods": "AllowedMethods",
              "cache_policy_id": "CachePolicyId", "origin_request_policy_id": "OriginRequestPolicyId",
              "forwarded_values": "ForwardedValues", "lambda_associations": "LambdaFunctionAssociations",
              "function_associations": "FunctionAssociations", "grpc": "GrpcConfig"},
    forwarded_values={"headers": "Headers", "cookies": "Cookies", "forward": "Forward",
                      "query_string": "QueryString"},
    lambda_association={"event_type": "EventType", "lambda_arn": "LambdaFunctionARN", "include_body": "IncludeBody"},
    function_association={"event_type": "EventType", "function_arn": "FunctionARN"},
    origin_shield={"enabled": "Enabled", "region": "OriginShieldRegion"},
    vpc_origin_config={"vpc_origin_id": "VpcOriginId", "read_timeout": "OriginReadTimeout",
                       "keepalive_timeout": "OriginKeepaliveTimeout"},
    s3_origin={"read_timeout": "OriginReadTimeout"},
    mtls={"certificate_arn": "ClientCertificateArn"},
    grpc={"enabled": "Enabled"},
    tenant_parameter={"definitions": "TenantConfig.ParameterDefinitions", "name": "Name",
                      "default": "Definition.StringSchema.DefaultValue"},
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
    related=RELATED,
    # the CloudFormation resource specification's default (AWS::CloudFront::Distribution DistributionConfig)
    defaults={"distribution": {"http_version": "http1.1"}},
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
