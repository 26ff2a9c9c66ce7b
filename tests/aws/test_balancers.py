"""The load balancer behind an origin is found by its DNS name: the Region and the name written in it."""

from __future__ import annotations

import pytest

from policykit.aws.balancers import elb_place


@pytest.mark.parametrize(("dns", "place"), [
    ("app-1234567890.eu-west-1.elb.amazonaws.com", ("eu-west-1", "app")),
    ("internal-my-app-1234567890.eu-west-1.elb.amazonaws.com", ("eu-west-1", "my-app")),
    ("dualstack.my-app-1234567890.us-west-2.elb.amazonaws.com.", ("us-west-2", "my-app")),
    ("my-nlb-0123456789abcdef.elb.ap-southeast-2.amazonaws.com", ("ap-southeast-2", "my-nlb")),
    ("legacy-1234.elb.amazonaws.com", ("us-east-1", "legacy")),
    ("app-1.cn-north-1.elb.amazonaws.com.cn", ("cn-north-1", "app")),
    ("App-1.EU-WEST-1.ELB.AMAZONAWS.COM", ("eu-west-1", "app")),
])
def test_the_region_and_name_of_a_load_balancer_dns_name(dns: str, place: tuple[str, str]) -> None:
    assert elb_place(dns) == place


@pytest.mark.parametrize("dns", ["api.example.com", "bucket.s3-website-eu-west-1.amazonaws.com", "elb.amazonaws.com",
                                 "x.notaregion.elb.amazonaws.com", "", "a.b.c.elb.example.com"])
def test_other_names_are_no_load_balancer(dns: str) -> None:
    assert elb_place(dns) is None
