"""Link what stands behind a deployed distribution to the distribution the deployed-JSON reader built, as the
template readers link the resources a template declares (origin -> load balancer, viewer certificate ->
certificate, behavior -> policies, association -> function)."""

from __future__ import annotations

from policykit.aws.gather import Behind
from policykit.model.cloudfront import Distribution


def attach(dist: Distribution, behind: Behind) -> None:
    viewer = dist.viewer_certificate
    if viewer is not None and behind.viewer_certificate is not None:
        viewer.certificate = behind.viewer_certificate
    for origin in dist.origins:
        if not isinstance(origin.id, str):
            continue
        if origin.id in behind.balancers:
            origin.target = behind.balancers[origin.id]
        endpoint = behind.vpc_origins.get(origin.id)
        if endpoint is not None and origin.config_type == "vpc":
            # CloudFront connects to a VPC origin's endpoint as its VPC origin says, not the distribution
            origin.target = endpoint.balancer
            origin.protocol_policy = endpoint.protocol_policy
            origin.http_port, origin.https_port = endpoint.http_port, endpoint.https_port
            origin.ssl_protocols = endpoint.ssl_protocols
            origin.locs.update(endpoint.locs)
    for behavior in dist.behaviors:
        if isinstance(behavior.cache_policy_id, str) and behavior.cache_policy is None:
            behavior.cache_policy = behind.policies.get(("cache", behavior.cache_policy_id.strip()))
        if isinstance(behavior.origin_request_policy_id, str) and behavior.origin_request_policy is None:
            behavior.origin_request_policy = behind.policies.get(
                ("origin_request", behavior.origin_request_policy_id.strip()))
        for association in behavior.lambda_associations:
            if isinstance(association.lambda_arn, str):
                association.function = behind.functions.get(association.lambda_arn.strip())
        for function_association in behavior.function_associations:
            if isinstance(function_association.function_arn, str):
                function_association.function = behind.cloudfront_functions.get(
                    function_association.function_arn.strip())
