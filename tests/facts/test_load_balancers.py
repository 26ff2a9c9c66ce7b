"""Origin load balancer facts (policykit/facts/load_balancers.py): the listeners CloudFront needs, by protocol and
port, the scheme and the security groups; a load balancer not declared here is unknown."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.load_balancers import (
    admits_cloudfront,
    has_listener_for_origin,
    load_balancer,
    load_balancer_internal,
    missing_listeners,
    origin_protocols,
    security_group_names,
    vpc_origin_note,
)
from policykit.model.cloudfront import Origin
from tests.facts.helpers import distribution, origin
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template

ALB = """\
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1, subnet-2]SCHEME}
"""


def listener(port: object, protocol: str, name: str = "Listener") -> str:
    return (f"  {name}:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n"
            f"      LoadBalancerArn: !Ref Alb\n      Port: {port}\n      Protocol: {protocol}\n"
            "      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]\n")


def template(listeners: str, protocol: str = "https-only", ports: str = "", scheme: str = "",
             viewer: str = "redirect-to-https", parameters: str = "") -> str:
    dist = cfn_distribution("Site", "!GetAtt Alb.DNSName", protocol, custom_extra=ports, viewer_protocol=viewer)
    return cfn_template(ALB.replace("SCHEME", scheme) + listeners + dist, parameters)


def test_the_port_decides_as_well_as_the_protocol(write: Write) -> None:
    # https-only to 8443 in front of an HTTPS listener on 443: refused (PK106), though the protocols agree
    on_8443 = origin(write("a.yaml", template(listener(443, "HTTPS"), ports="              HTTPSPort: 8443\n")))
    assert missing_listeners(on_8443) == ["HTTPS:8443"] and has_listener_for_origin(on_8443) is False
    served = origin(write("b.yaml", template(listener(8443, "HTTPS"), ports="              HTTPSPort: 8443\n")))
    assert missing_listeners(served) == [] and has_listener_for_origin(served) is True
    default = origin(write("c.yaml", template(listener(443, "HTTPS"))))  # HTTPSPort defaults to 443
    assert has_listener_for_origin(default) is True


def test_the_protocol_decides_and_tcp_carries_both(write: Write) -> None:
    plain = origin(write("a.yaml", template(listener(443, "HTTP"))))
    assert missing_listeners(plain) == ["HTTPS:443"]
    assert has_listener_for_origin(origin(write("b.yaml", template(listener(443, "TLS"))))) is True
    assert has_listener_for_origin(origin(write("c.yaml", template(listener(443, "TCP"))))) is True
    http = origin(write("d.yaml", template(listener(80, "HTTPS"), protocol="http-only")))
    assert missing_listeners(http) == ["HTTP:80"]
    assert has_listener_for_origin(origin(write("e.yaml", template(listener(80, "TCP"), protocol="http-only")))) \
        is True


def test_match_viewer_needs_http_only_when_a_behavior_allows_it(write: Write) -> None:
    https = listener(443, "HTTPS")
    only_https = origin(write("a.yaml", template(https, protocol="match-viewer")))
    assert origin_protocols(only_https) == [("HTTPS", 443)] and has_listener_for_origin(only_https) is True
    both = origin(write("b.yaml", template(https, protocol="match-viewer", viewer="allow-all")))
    assert origin_protocols(both) == [("HTTPS", 443), ("HTTP", 80)]
    assert missing_listeners(both) == ["HTTP:80"]
    served = origin(write("c.yaml", template(https + listener(80, "HTTP", "Plain"), protocol="match-viewer",
                                             viewer="allow-all")))
    assert missing_listeners(served) == []


def test_what_is_not_known_stays_unknown(write: Write) -> None:
    none_declared = origin(write("a.yaml", template("")))
    assert isinstance(missing_listeners(none_declared), Unknown)
    assert isinstance(has_listener_for_origin(none_declared), Unknown)
    port = origin(write("b.yaml", template(listener("!Ref Port", "HTTPS"), parameters="  Port: {Type: Number}\n")))
    assert isinstance(has_listener_for_origin(port), Unknown)
    policy = origin(write("c.yaml", template(listener(443, "HTTPS"), protocol="!Ref Policy",
                                              parameters="  Policy: {Type: String}\n")))
    assert isinstance(origin_protocols(policy), Unknown) and isinstance(has_listener_for_origin(policy), Unknown)
    elsewhere = origin(write("d.yaml", cfn_template(cfn_distribution("Site", "lb.example.com"))))
    assert load_balancer(elsewhere) is None and isinstance(missing_listeners(elsewhere), Unknown)
    assert load_balancer_internal(elsewhere) is False and isinstance(admits_cloudfront(elsewhere), Unknown)
    assert security_group_names(elsewhere) == []


def test_scheme_internal_is_unreachable(write: Write) -> None:
    https = listener(443, "HTTPS")
    assert load_balancer_internal(origin(write("a.yaml", template(https)))) is False  # internet-facing by default
    assert load_balancer_internal(origin(write("b.yaml", template(https, scheme=", Scheme: internal")))) is True
    assert load_balancer_internal(origin(write("c.yaml", template(https, scheme=", Scheme: Internal")))) is True
    assert load_balancer_internal(origin(write("d.yaml", template(https, scheme=", Scheme: internet-facing")))) \
        is False
    unknown = origin(write("e.yaml", template(https, scheme=", Scheme: !Ref Scheme",
                                              parameters="  Scheme: {Type: String}\n")))
    assert isinstance(load_balancer_internal(unknown), Unknown)


def test_a_vpc_origin_is_reached_with_its_own_protocol_and_port(write: Write) -> None:
    from tests.helpers import POLICIES

    fixture = POLICIES / "PK106-load-balancer-without-listener" / "tests" / "fail"
    fixture /= "terraform-vpc-origin-port.cfn.yaml"
    behind_vpc = origin(write("vpc.yaml", fixture.read_text(encoding="utf-8")))
    assert vpc_origin_note(behind_vpc) == (
        " (reached through the VPC origin VpcOrigin, whose protocol and ports CloudFront uses)")
    assert origin_protocols(behind_vpc) == [("HTTP", 8080)] and missing_listeners(behind_vpc) == ["HTTP:8080"]
    assert vpc_origin_note(origin(write("direct.yaml", template(listener(443, "HTTPS"))))) == ""


def _guarded(write: Write, rule: str, parameters: str = "") -> Origin:
    """An origin load balancer (HTTPS on 443) behind one security group with the ingress `rule`."""
    group = ("  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n"
             f"      SecurityGroupIngress: [{rule}]\n")
    text = template(group + listener(443, "HTTPS"), scheme=", SecurityGroups: [!Ref Sg]", parameters=parameters)
    return origin(write(f"g{abs(hash(text))}.yaml", text))


TCP_443 = "IpProtocol: tcp, FromPort: 443, ToPort: 443"


def test_security_groups_admit_cloudfront_by_source_protocol_and_port(write: Write) -> None:
    def admits(rule: str, parameters: str = "") -> object:
        return admits_cloudfront(_guarded(write, "{" + rule + "}", parameters))

    assert admits(f"{TCP_443}, CidrIp: 0.0.0.0/0") is True
    assert admits(f"{TCP_443}, CidrIpv6: '::/0'") is True
    assert admits(f"{TCP_443}, SourcePrefixListId: pl-3b927c52") is True  # CloudFront's managed prefix list
    assert admits(f"{TCP_443}, CidrIp: 10.0.0.0/8") is False
    assert admits(f"{TCP_443}, SourceSecurityGroupId: sg-123") is False  # edge servers are in no group
    assert admits("IpProtocol: '-1', CidrIp: 0.0.0.0/0") is True
    assert admits("IpProtocol: '6', FromPort: 400, ToPort: 500, CidrIp: 0.0.0.0/0") is True
    assert admits("IpProtocol: tcp, FromPort: 1, ToPort: 442, CidrIp: 0.0.0.0/0") is False
    assert admits("IpProtocol: tcp, FromPort: 444, ToPort: 500, CidrIp: 0.0.0.0/0") is False
    assert admits("IpProtocol: tcp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0") is True
    assert admits("IpProtocol: udp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0") is False
    assert isinstance(admits(f"{TCP_443}, CidrIp: !Ref Cidr", "  Cidr: {Type: String}\n"), Unknown)
    assert isinstance(admits(f"{TCP_443}, CidrIp: not-a-network"), Unknown)
    assert isinstance(admits("IpProtocol: tcp, FromPort: !Ref P, ToPort: 443, CidrIp: 0.0.0.0/0",
                             "  P: {Type: Number}\n"), Unknown)
    assert isinstance(admits("IpProtocol: !Ref Proto, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0",
                             "  Proto: {Type: String}\n"), Unknown)
    assert security_group_names(_guarded(write, f"{{{TCP_443}, CidrIp: 0.0.0.0/0}}")) == ["Sg"]


def test_security_groups_not_declared_here_or_none_at_all(write: Write) -> None:
    elsewhere = origin(write("a.yaml", template(listener(443, "HTTPS"), scheme=", SecurityGroups: [sg-123]")))
    assert admits_cloudfront(elsewhere) == Unknown("a security group of the load balancer is not declared here")
    nlb = origin(write("b.yaml", template(listener(443, "TLS"), scheme=", Type: network")))
    assert admits_cloudfront(nlb) is True  # a network load balancer without security groups filters nothing
    alb = origin(write("c.yaml", template(listener(443, "HTTPS"))))
    assert isinstance(admits_cloudfront(alb), Unknown)


def test_what_is_not_known_says_why(write: Write) -> None:
    https = listener(443, "HTTPS")
    elsewhere = origin(write("a.yaml", cfn_template(cfn_distribution("Site", "lb.example.com"))))
    assert missing_listeners(elsewhere) == Unknown("the origin is not a load balancer declared here")
    assert admits_cloudfront(elsewhere) == Unknown("the origin is not a load balancer declared here")
    custom = "            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n"
    s3_config = template(https).replace(custom, "            S3OriginConfig: {}\n")
    assert missing_listeners(origin(write("b.yaml", s3_config))) == Unknown(
        "the origin has no CustomOriginConfig or VpcOriginConfig")
    assert missing_listeners(origin(write("c.yaml", template("")))) == Unknown("no listener of Alb is declared here")
    parameter = "parameter {0} has no default (give --param {0}=...)"
    port = origin(write("d.yaml", template(https, ports="              HTTPSPort: !Ref P\n",
                                           parameters="  P: {Type: Number}\n")))
    assert missing_listeners(port) == Unknown(parameter.format("P"))
    listener_port = origin(write("e.yaml", template(listener("!Ref Port", "HTTPS"),
                                                    parameters="  Port: {Type: Number}\n")))
    assert missing_listeners(listener_port) == Unknown(parameter.format("Port"))
    listener_protocol = origin(write("f.yaml", template(listener(443, "!Ref Proto"),
                                                        parameters="  Proto: {Type: String}\n")))
    assert missing_listeners(listener_protocol) == Unknown(parameter.format("Proto"))
    policy = origin(write("g.yaml", template(https, protocol="!Ref Policy", parameters="  Policy: {Type: String}\n")))
    assert origin_protocols(policy) == Unknown(parameter.format("Policy"))
    odd = origin(write("h.yaml", template(https, protocol="https-first")))
    assert origin_protocols(odd) == Unknown("unexpected origin protocol policy https-first")
    scheme = origin(write("i.yaml", template(https, scheme=", Scheme: !Ref Scheme",
                                             parameters="  Scheme: {Type: String}\n")))
    assert load_balancer_internal(scheme) == Unknown(parameter.format("Scheme"))


MATCH_VIEWER = """\
Parameters:
  Target: {Type: String}
  Viewer: {Type: String}
Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1, subnet-2]}
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - {Id: app, DomainName: !GetAtt Alb.DNSName, CustomOriginConfig: {OriginProtocolPolicy: match-viewer}}
          - {Id: other, DomainName: o.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
        OriginGroups:
          Quantity: 1
          Items:
            - Id: pair
              FailoverCriteria: {StatusCodes: {Quantity: 1, Items: [503]}}
              Members: {Quantity: 2, Items: [{OriginId: other}, {OriginId: app}]}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
        CacheBehaviors:
          - PathPattern: /x/*
            TargetOriginId: TARGET
            ViewerProtocolPolicy: VIEWER
            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


@pytest.mark.parametrize(("target", "viewer", "pairs"), [
    ("app", "allow-all", [("HTTPS", 443), ("HTTP", 80)]),
    ("pair", "allow-all", [("HTTPS", 443), ("HTTP", 80)]),  # through an origin group it is a member of
    ("other", "allow-all", [("HTTPS", 443)]),  # allow-all elsewhere does not bring HTTP here
    ("app", "https-only", [("HTTPS", 443)]),
    ("app", "!Ref Viewer", Unknown("parameter Viewer has no default (give --param Viewer=...)")),
    ("!Ref Target", "allow-all", Unknown(
        "a TargetOriginId is not known (parameter Target has no default (give --param Target=...))")),
])
def test_match_viewer_speaks_http_only_where_a_reaching_behavior_allows_it(
        write: Write, target: str, viewer: str, pairs: object) -> None:
    text = MATCH_VIEWER.replace("TARGET", target).replace("VIEWER", viewer)
    (app,) = [o for o in distribution(write(f"m{abs(hash(text))}.yaml", text)).origins if o.id == "app"]
    assert origin_protocols(app) == pairs


PARAMETER = "parameter {0} has no default (give --param {0}=...)"


def test_security_group_rules_say_why_they_are_not_known(write: Write) -> None:
    def admits(rule: str, parameters: str = "") -> object:
        return admits_cloudfront(_guarded(write, "{" + rule + "}", parameters))

    assert admits("IpProtocol: 6.5, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0") == Unknown(
        "a rule protocol is not known")
    assert admits("IpProtocol: tcp, FromPort: x, ToPort: 443, CidrIp: 0.0.0.0/0") == Unknown(
        "a rule port range is not known")
    assert admits(f"{TCP_443}, CidrIp: !Ref Cidr", "  Cidr: {Type: String}\n") == Unknown(PARAMETER.format("Cidr"))
    assert admits(f"{TCP_443}, CidrIp: not-a-network") == Unknown("a rule CIDR is not a network: not-a-network")
    assert admits(f"{TCP_443}, SourcePrefixListId: !Ref Pl", "  Pl: {Type: String}\n") == Unknown(
        PARAMETER.format("Pl"))
    assert admits(TCP_443) == Unknown("a rule has no source that is known")


def test_security_group_rules_all_protocols_any_port_and_host_bits(write: Write) -> None:
    def admits(rule: str) -> object:
        return admits_cloudfront(_guarded(write, "{" + rule + "}"))

    assert admits("IpProtocol: all, FromPort: 1, ToPort: 2, CidrIp: 0.0.0.0/0") is True  # Terraform's "all"
    # -1 means every port only when both ends say so
    assert admits("IpProtocol: tcp, FromPort: -1, ToPort: 5, CidrIp: 0.0.0.0/0") is False
    assert admits("IpProtocol: tcp, FromPort: 1, ToPort: -1, CidrIp: 0.0.0.0/0") is False
    # a prefix length of 0 is every address, whatever host bits are written
    assert admits(f"{TCP_443}, CidrIp: 0.0.0.1/0") is True


def test_values_of_a_type_no_reader_gives_today_are_not_known(write: Write) -> None:
    # The model's types allow them (a number where text is meant, a boolean port): each fact says which is unknown
    guarded = _guarded(write, f"{{{TCP_443}, CidrIp: 0.0.0.0/0}}")
    balancer = load_balancer(guarded)
    assert balancer is not None
    (rule,) = balancer.security_groups[0].ingress
    rule.cidr = 5
    assert admits_cloudfront(guarded) == Unknown("a rule CIDR is not known")
    rule.cidr, rule.prefix_list = None, 5
    assert admits_cloudfront(guarded) == Unknown("the prefix list is not known")
    rule.prefix_list = "pl-3b927c52"
    guarded.https_port = True
    assert admits_cloudfront(guarded) == Unknown("the origin port is not known")
    assert missing_listeners(guarded) == Unknown("the origin port is not known")
    guarded.https_port = 443
    (served,) = balancer.listeners
    served.port = True
    assert missing_listeners(guarded) == Unknown("a listener port is not known")
    served.port = 443
    balancer.scheme = 5
    assert load_balancer_internal(guarded) == Unknown("the load balancer scheme is not known")
    number = origin(write("n.yaml", template(listener(443, "443"))))  # a protocol written as a number
    assert missing_listeners(number) == Unknown("a listener protocol is not known")
    unwritten = template(listener(443, "HTTPS")).replace("              OriginProtocolPolicy: https-only\n",
                                                         "              HTTPPort: 80\n")
    assert origin_protocols(origin(write("u.yaml", unwritten))) == Unknown("the origin protocol policy is not known")


def test_an_origin_port_not_known_leaves_the_security_groups_unknown(write: Write) -> None:
    group = ("  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n"
             "      SecurityGroupIngress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]\n")
    text = template(group + listener(443, "HTTPS"), scheme=", SecurityGroups: [!Ref Sg]",
                    ports="              HTTPSPort: !Ref P\n", parameters="  P: {Type: Number}\n")
    assert admits_cloudfront(origin(write("p.yaml", text))) == Unknown(PARAMETER.format("P"))


def test_a_vpc_origin_is_not_judged_by_the_load_balancer_security_groups(write: Write) -> None:
    from tests.helpers import POLICIES

    fixture = POLICIES / "PK106-load-balancer-without-listener" / "tests" / "fail"
    text = (fixture / "terraform-vpc-origin-port.cfn.yaml").read_text(encoding="utf-8")
    assert admits_cloudfront(origin(write("vpc.yaml", text))) == Unknown(
        "a VPC origin connects from the CloudFront-managed security group of the VPC")
    # a VPC origin whose endpoint is another declared object (here a security group) has no load balancer
    group = "  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: g}\n"
    other = origin(write("sg.yaml", text.replace("Arn: !Ref Alb", "Arn: !Ref Sg").replace("Resources:\n",
                                                                                       "Resources:\n" + group)))
    assert other.target is not None and load_balancer(other) is None
    assert missing_listeners(other) == Unknown("the origin is not a load balancer declared here")
    assert load_balancer_internal(other) is False


LATER_ALLOW_ALL = """\
          - PathPattern: /y/*
            TargetOriginId: app
            ViewerProtocolPolicy: allow-all
            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


@pytest.mark.parametrize(("target", "later", "pairs"), [
    ("!Ref Target", LATER_ALLOW_ALL, [("HTTPS", 443), ("HTTP", 80)]),  # a later behavior allowing HTTP decides
    ("other", LATER_ALLOW_ALL, [("HTTPS", 443), ("HTTP", 80)]),  # another origin's behavior is passed over
    ("nowhere", "", [("HTTPS", 443)]),  # a target that names no origin reaches none
])
def test_match_viewer_reads_every_behavior(write: Write, target: str, later: str, pairs: object) -> None:
    text = MATCH_VIEWER.replace("TARGET", target).replace("VIEWER", "https-only") + later
    (app,) = [o for o in distribution(write(f"r{abs(hash(text))}.yaml", text)).origins if o.id == "app"]
    assert origin_protocols(app) == pairs


def test_match_viewer_with_behaviors_not_known_is_unknown(write: Write) -> None:
    text = MATCH_VIEWER.split("        CacheBehaviors:")[0] + "        CacheBehaviors: !Ref Behaviors\n"
    text = text.replace("Parameters:\n", "Parameters:\n  Behaviors: {Type: String}\n")
    (app,) = [o for o in distribution(write("b.yaml", text)).origins if o.id == "app"]
    assert origin_protocols(app) == Unknown(PARAMETER.format("Behaviors"))


def test_match_viewer_with_a_viewer_protocol_policy_not_written_is_unknown(write: Write) -> None:
    text = MATCH_VIEWER.replace("TARGET", "app").replace("VIEWER", "allow-all")
    found = distribution(write("v.yaml", text))
    (app,) = [o for o in found.origins if o.id == "app"]
    for behavior in found.behaviors:
        behavior.viewer_protocol_policy = None  # no reader leaves it out today (CloudFormation requires it)
    assert origin_protocols(app) == Unknown("the viewer protocol policy is not known")
