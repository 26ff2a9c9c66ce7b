"""Elastic Beanstalk environments: what `!GetAtt Env.EndpointURL` is, and the load balancer behind it.

`EnvironmentType` (namespace `aws:elasticbeanstalk:environment`, default `LoadBalanced`) decides:
a load-balanced environment's EndpointURL is its load balancer's DNS name (`LoadBalancerType`
`classic`, the default, `application` or `network`), so HTTPS to it is the classic 502 of an
AWS-generated name and the load balancer's scheme applies; a `SingleInstance` one's is the
instance's (Elastic) IP address, which CloudFront cannot use as an origin. Options set by a
`TemplateName` (a configuration template) are unknown. Listeners may also come from
`.ebextensions` in the source bundle, so the listeners read here are "these, and maybe more".
"""

from __future__ import annotations

from typing import Any

from policykit.core.values import Partial, ResourceAttr, Unknown, UnknownAddress, make_string
from policykit.model.related import Listener, LoadBalancer
from policykit.model.shapes import RESOURCE

ENVIRONMENT_TYPE = "AWS::ElasticBeanstalk::Environment"
_ENV = "aws:elasticbeanstalk:environment"
_ELB_SHAPE = (RESOURCE, ".elb.amazonaws.com")


def options(props: Any) -> dict[tuple[str, str], Any]:
    """(Namespace, OptionName) -> Value of resolved OptionSettings (CloudFormation) or `setting` blocks
    (Terraform); unknown entries are left out."""
    out: dict[tuple[str, str], Any] = {}
    if not isinstance(props, dict):
        return out
    cfn = "OptionSettings" in props
    settings = props.get("OptionSettings") if cfn else props.get("setting")
    settings = [settings] if isinstance(settings, dict) else settings
    namespace, name, value = ("Namespace", "OptionName", "Value") if cfn else ("namespace", "name", "value")
    for item in settings if isinstance(settings, list) else []:
        if isinstance(item, dict) and isinstance(item.get(namespace), str) and isinstance(item.get(name), str):
            out[(item[namespace], item[name])] = item.get(value)
    return out


def _setting(props: Any, found: dict[tuple[str, str], Any], key: tuple[str, str], default: str) -> Any:
    if key in found:
        value = found[key]
        return value if isinstance(value, (Unknown, Partial)) else str(value)
    template = props.get("TemplateName", props.get("template_name")) if isinstance(props, dict) else None
    if template is not None:
        return Unknown(f"{key[1]} may be set by the configuration template {template}")
    settings = props.get("OptionSettings", props.get("setting")) if isinstance(props, dict) else None
    if settings is not None and not isinstance(settings, (list, dict)):
        return Unknown("the option settings are not known")
    return default


def endpoint_url(resource: str, props: Any) -> Unknown | Partial:
    """The EndpointURL of the environment `resource` with resolved properties `props`."""
    ref = ResourceAttr(resource, "EndpointURL")
    found = options(props)
    kind = _setting(props, found, (_ENV, "EnvironmentType"), "LoadBalanced")
    if isinstance(kind, (Unknown, Partial)):
        return Unknown(f"{ref} depends on EnvironmentType, which is not known ({getattr(kind, 'reason', '')})", ref)
    if kind == "SingleInstance":
        return UnknownAddress(f"{ref} is the IP address of the environment's single instance", ref)
    if kind != "LoadBalanced":
        return Unknown(f"{ref}: unexpected EnvironmentType {kind}", ref)
    parts: list[str | Unknown] = [Unknown(f"{ref} (the load balancer's DNS name) is only known after deployment",
                                          ref, name=resource) if p is RESOURCE else str(p) for p in _ELB_SHAPE]
    value = make_string(parts)
    return value if isinstance(value, Partial) else Unknown(f"{ref} is only known after deployment", ref)


def load_balancer(props: Any) -> LoadBalancer | None:
    """The load balancer of a load-balanced environment, from its OptionSettings; None when not one (or unknown)."""
    found = options(props)
    kind = _setting(props, found, (_ENV, "EnvironmentType"), "LoadBalanced")
    if kind != "LoadBalanced":
        return None
    lb_type = _setting(props, found, (_ENV, "LoadBalancerType"), "classic")
    scheme = found.get(("aws:ec2:vpc", "ELBScheme"))
    balancer = LoadBalancer(scheme="internal" if scheme == "internal" else None,
                            lb_type=lb_type if isinstance(lb_type, str) else Unknown("LoadBalancerType is not known"))
    balancer.listeners.extend(_listeners(found, lb_type))
    # .ebextensions in the source bundle may add listeners: a listener not read here may exist
    balancer.listeners.append(Listener(port=Unknown("listeners may also be set in the bundle's .ebextensions"),
                                       protocol=Unknown("listeners may also be set in the bundle's .ebextensions")))
    return balancer


def _listeners(found: dict[tuple[str, str], Any], lb_type: Any) -> list[Listener]:
    out: list[Listener] = []
    prefix = "aws:elb:listener" if lb_type == "classic" else "aws:elbv2:listener"
    default_off = str(found.get((f"{prefix}:default" if lb_type != "classic" else f"{prefix}:80",
                                 "ListenerEnabled"), "true")).lower() == "false"
    if not default_off:
        out.append(Listener(port=80, protocol="TCP" if lb_type == "network" else "HTTP"))
    ports = {namespace.rsplit(":", 1)[1] for namespace, _ in found if namespace.startswith(prefix + ":")}
    for port in sorted(p for p in ports if p.isdigit() and p != "80"):
        namespace = f"{prefix}:{port}"
        if str(found.get((namespace, "ListenerEnabled"), "true")).lower() == "false":
            continue
        protocol = found.get((namespace, "ListenerProtocol" if lb_type == "classic" else "Protocol"), "HTTP")
        certificate = found.get((namespace, "SSLCertificateId" if lb_type == "classic" else "SSLCertificateArns"))
        out.append(Listener(port=int(port), protocol=str(protocol).upper() if isinstance(protocol, str) else protocol,
                            ssl_policy=found.get((namespace, "SSLPolicy")),
                            certificate_arns=[certificate] if certificate is not None else []))
    return out
