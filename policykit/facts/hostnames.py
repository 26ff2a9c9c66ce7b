"""Host names: what kind of endpoint a name is, and whether a certificate name covers it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Literal

from policykit.core.patterns import lazy_pattern
from policykit.core.record import record
from policykit.core.values import Partial, Scalar, Unknown, reason_of

_HOLE = "\x00"  # stands for an unknown piece inside a partially known name
# What a name may hold: DNS label characters, dots, and holes (an unknown piece, which stands for label characters).
_NAME_CHARS = lazy_pattern(r"[a-z0-9\x00.-]+")


@record
class Label:
    """One step of an endpoint's name shape: a label it may take, and how many times in a row."""

    fits: Callable[[str], bool]
    repeat: Literal["one", "optional", "some", "any"] = "one"  # some: one or more; any: none or more
    text: str = ""  # the label itself, when only one fits


def _is(text: str) -> Callable[[str], bool]:
    return lambda label: label == text


def _any(label: str) -> bool:
    return True


def _s3(label: str) -> bool:
    """`s3`, or `s3-` and more (a Region, `external-1`, `accesspoint`...): the label S3's endpoint names carry."""
    return label == "s3" or (label.startswith("s3-") and len(label) > 3)


def _s3_website_region(label: str) -> bool:
    """`s3-website-REGION`, or `s3-website` then an unknown piece standing for the separator and the Region."""
    return (label.startswith("s3-website-") and len(label) > 11) or label.startswith("s3-website" + _HOLE)


def _ec2_address(label: str) -> bool:
    return label.startswith("ec2-") and len(label) > 4


ONE, OPTIONAL, SOME, ANY = Label(_any), Label(_any, "optional"), Label(_any, "some"), Label(_any, "any")


def _shape(*steps: Label | str) -> tuple[Label, ...]:
    return tuple(Label(_is(step), text=step) if isinstance(step, str) else step for step in steps)


def _aws(*before: Label | str, china: bool = True) -> tuple[Label, ...]:
    """Labels before `amazonaws.com`, and `.cn` after it where AWS China names it so."""
    return _shape(*before, "amazonaws", "com", *((Label(_is("cn"), "optional", "cn"),) if china else ()))


# Each kind of AWS endpoint: the DNS domain all its names end in (before an optional `.cn`), and the shapes of its
# names, label by label (the first that fits names the kind). Matched on labels, never by backtracking: the cost is
# the labels times the steps of a shape, whatever the name holds. A name in none of these domains is no AWS
# endpoint: no shape is tried.
ENDPOINT_SHAPES: tuple[tuple[str, str, tuple[tuple[Label, ...], ...]], ...] = (
    ("s3-website", ".amazonaws.com", (
        _aws(SOME, Label(_s3_website_region), OPTIONAL),
        _aws(SOME, "s3-website", ONE, OPTIONAL),
    )),
    ("s3", ".amazonaws.com", (_aws(SOME, Label(_s3), ANY),)),
    # NAME-ID.REGION.elb.amazonaws.com (Application, Classic); NAME-ID.elb.REGION.amazonaws.com (Network)
    ("elb", ".amazonaws.com", (_aws(SOME, "elb"), _aws(SOME, "elb", ONE))),
    ("ec2", ".amazonaws.com", (_aws(SOME, "compute"), _aws(SOME, "compute-1"),
                               _aws(Label(_ec2_address), ANY, china=False))),
    ("elastic-beanstalk", ".elasticbeanstalk.com", (_shape(SOME, "elasticbeanstalk", "com"),)),
    ("api-gateway", ".amazonaws.com", (_aws(ONE, "execute-api", ONE),)),
    ("lambda-url", ".on.aws", (_shape(ONE, "lambda-url", ONE, "on", "aws"),)),
    ("mediastore", ".amazonaws.com", (_aws(ONE, "data", "mediastore", ONE, china=False),)),
    ("mediapackage", ".amazonaws.com", (_aws(SOME, "mediapackage", ONE, china=False),)),
    ("cloudfront", ".cloudfront.net", (_shape(ONE, "cloudfront", "net"),)),
    ("global-accelerator", ".awsglobalaccelerator.com", (_shape(SOME, "awsglobalaccelerator", "com"),)),
    ("app-runner", ".awsapprunner.com", (_shape(ONE, ONE, "awsapprunner", "com"),)),
    ("amplify", ".amplifyapp.com", (_shape(SOME, "amplifyapp", "com"),)),
    ("opensearch", ".amazonaws.com", (_aws(SOME, "es"),)),
)


def fits(labels: list[str], shape: tuple[Label, ...]) -> bool:
    """Do the labels take the shape? A run of the shape as an automaton over labels: the set of steps reached
    after each label (at most one per step), so a name costs its labels times the shape's steps."""
    reached = _skip_optional({0}, shape)
    for label in labels:
        after: set[int] = set()
        for step in reached:
            if step < len(shape) and shape[step].fits(label):
                after.add(step + 1)
                if shape[step].repeat in ("some", "any"):
                    after.add(step)  # it may take the next label too
        reached = _skip_optional(after, shape)
        if not reached:
            return False
    return len(shape) in reached


def _skip_optional(steps: set[int], shape: tuple[Label, ...]) -> set[int]:
    """The steps reached, and those after each step that may be left out (optional, any)."""
    out, todo = set(steps), sorted(steps)
    while todo:
        step = todo.pop()
        if step < len(shape) and shape[step].repeat in ("optional", "any") and step + 1 not in out:
            out.add(step + 1)
            todo.append(step + 1)
    return out


_MAX_ENDPOINT_NAME = 1024  # characters, holes included: DNS allows 253, holes may stand for less
# Endpoints whose names AWS owns but whose certificate the customer supplies: no certificate
# a customer can get covers `*.elb.amazonaws.com` (or a Network Load Balancer's `*.elb.REGION.amazonaws.com`), so
# CloudFront's name check must fail.
# A Global Accelerator forwards TCP: the TLS is its endpoints', with their customers' certificates.
AWS_GENERATED_CUSTOMER_TLS = frozenset({"elb", "ec2", "elastic-beanstalk", "global-accelerator"})


def skeleton(value: object) -> str | None:
    """The name in lower case with unknown pieces as holes; None when nothing is known."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, Partial):
        return "".join(p.lower() if isinstance(p, str) else _HOLE for p in value.parts)
    return None


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def endpoint_kind(domain: object) -> str | Unknown:
    """s3, s3-website, elb, ec2, api-gateway, lambda-url, mediastore, cloudfront, ip, custom."""
    name = skeleton(domain)
    if name is None:
        return Unknown(reason_of(domain, "the origin domain is not known"))
    if _HOLE not in name and is_ip_address(name):
        return "ip"
    kind = kind_of_aws_name(name)
    if kind:
        return kind
    if name.endswith(_HOLE) or name == _HOLE or _HOLE in name.rsplit(".", 2)[-1]:
        # the end of the name is unknown: it could be any kind of endpoint
        return Unknown(reason_of(domain, "the origin domain is only partly known"))
    return "custom"


def kind_of_aws_name(name: str) -> str:
    """The kind of AWS endpoint the name (holes included) has the shape of; "" for none."""
    # No AWS endpoint name is longer than DNS allows (253); a longer one takes no shape.
    if len(name) > _MAX_ENDPOINT_NAME:
        return ""
    # One line break at the very end was accepted when these shapes were regular expressions (`$`); kept so.
    name = name[:-1] if name.endswith("\n") else name
    if not _NAME_CHARS().fullmatch(name):
        return ""
    labels = name.split(".")
    if "" in labels:  # an empty label: `a..b`, a leading or trailing dot
        return ""
    for kind, suffix, shapes in ENDPOINT_SHAPES:
        if suffix in name and any(fits(labels, shape) for shape in shapes):
            return kind
    return ""


def name_covers(certificate_name: str, host: str) -> bool:
    """Does a certificate name (exact or `*.` one-label wildcard) cover `host`? (RFC 6125)"""
    pattern, host = certificate_name.lower().rstrip("."), host.lower().rstrip(".")
    if pattern == host:
        return True
    if pattern.startswith("*.") and "." in host:
        label, rest = host.split(".", 1)
        return bool(label) and rest == pattern[2:]
    return False


def covered(host: object, certificate_names: list[Scalar]) -> bool | Unknown:
    """True when a known certificate name covers the known host; Unknown when either side is unknown."""
    if not isinstance(host, str):
        return Unknown(reason_of(host, "the name is not known"))
    unknown: Unknown | None = None
    for name in certificate_names:
        if isinstance(name, str):
            if name_covers(name, host):
                return True
        elif name is not None:
            unknown = unknown or Unknown(reason_of(name, "a certificate name is not known"))
    return unknown if unknown is not None else False
