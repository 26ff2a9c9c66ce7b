"""Each distribution's request path as plain data (policykit/outlines.py): the hops the HTML report draws, what names
them and where they are written, built from the model only when a report asks for it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from policykit import api
from policykit.findings import Hop, Outline
from policykit.outlines.draft import MAX_TEXT, shown
from tests.helpers import EXAMPLES, POLICIES, Write
from tests.templates import cfn_distribution, cfn_template

CFN = EXAMPLES / "cloudformation"
WS_CASE = POLICIES / "PK202-origin-certificate-does-not-cover-name" / "tests" / "fail"
OUTLINED = api.ScanOptions(outlines=True)


def outline_of(path: Path, options: api.ScanOptions = OUTLINED) -> tuple[Outline, api.ScanResult]:
    result = api.scan([path], options)
    assert len(result.outlines) == 1
    return result.outlines[0], result


def hop(outline: Outline, key: str) -> Hop:
    return next(h for h in outline.hops if h.key == key)


def test_outlines_are_built_only_when_asked() -> None:
    assert api.scan([CFN]).outlines == ()
    result = api.scan([EXAMPLES], OUTLINED)
    assert len(result.outlines) == sum(result.distributions.values()) == 11
    assert {(o.location.file, o.distribution) for o in result.outlines} == {
        (f, d) for f in result.distributions for d in {o.distribution for o in result.outlines
                                                       if o.location.file == f}}


def test_the_request_path_of_the_broken_origins_example() -> None:
    outline, _ = outline_of(CFN / "broken-origins.yaml")
    assert [h.key for h in outline.hops] == [
        "default_domain", "viewer", "origin:site", "s3-website:origin:site", "origin:api", "lb:Alb",
        "behavior:cache behavior '/api/*'", "behavior:default cache behavior"]
    assert set(outline.links) == {
        ("default_domain", "viewer"), ("viewer", "behavior:cache behavior '/api/*'"),
        ("viewer", "behavior:default cache behavior"), ("behavior:cache behavior '/api/*'", "origin:api"),
        ("behavior:default cache behavior", "origin:site"), ("origin:site", "s3-website:origin:site"),
        ("origin:api", "lb:Alb")}
    site = hop(outline, "origin:site")
    website = "${SiteBucket}.s3-website(-|.)${region}.amazonaws.com"  # the separator is `-` or `.` by Region
    assert site.lines == (website, "an S3 website endpoint", "HTTPS on 443", f"SNI and Host {website}")
    assert "origin 'site'" in site.subjects and "HTTPSPort of origin 'site'" in site.subjects
    assert all(p.file == str(CFN / "broken-origins.yaml") for p in site.places) and site.places


def test_a_behavior_to_an_origin_that_does_not_exist_leads_to_a_hop_saying_so() -> None:
    outline, _ = outline_of(CFN / "broken-viewer-and-edge.yaml")
    missing = hop(outline, "missing:Web")
    assert (missing.kind, missing.title, missing.lines) == ("origin", "origin 'Web'", ("no origin has this id",))
    assert "cache behavior '/static/*'" in missing.subjects
    assert ("behavior:cache behavior '/static/*'", "missing:Web") in outline.links


def test_the_origin_certificate_hop_holds_the_names_it_must_cover() -> None:
    """The ws. case: Host is forwarded, the listener's certificate misses ws.example.com."""
    for fixture in ("ws-alias-not-on-origin-certificate.yaml", "terraform-ws-alias-not-on-origin-certificate"):
        outline, _ = outline_of(WS_CASE / fixture)
        kinds = [h.kind for h in outline.hops]
        assert kinds.count("load_balancer") == kinds.count("listener") == kinds.count("certificate") == 1
        certificate = next(h for h in outline.hops if h.kind == "certificate")
        assert {"name 'www.example.com'", "name 'ws.example.com'"} <= set(certificate.subjects)
        assert certificate.lines == ("covers www.example.com",)
        origin = hop(outline, "origin:app")
        assert "SNI and Host www.example.com, ws.example.com" in origin.lines


def test_hops_of_some_deploy_time_scenarios_say_which(write: Write) -> None:
    template = cfn_template(
        cfn_distribution(config_extra="        Aliases: !If [IsProd, [www.example.com], !Ref AWS::NoValue]\n"),
        parameters="  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n")
    template = template.replace("Resources:", "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:")
    outline, _ = outline_of(write("cond.yaml", template))
    assert hop(outline, "alias:www.example.com").scenario == "when Env=prod"
    assert hop(outline, "origin:app").scenario == ""


def test_unknown_and_missing_pieces_are_hops_of_their_own(write: Write) -> None:
    template = cfn_template(cfn_distribution(origin_id="app", config_extra="        Aliases: !Ref Names\n")
                            .replace("TargetOriginId: app", "TargetOriginId: !Ref Target"),
                            parameters="  Names: {Type: CommaDelimitedList}\n  Target: {Type: String}\n")
    outline, _ = outline_of(write("unknown.yaml", template))
    more = hop(outline, "alias:more")
    assert more.unknown and more.title == "more aliases"
    target = hop(outline, "origin:${Target}")
    assert target.kind == "origin" and target.unknown
    assert ("behavior:default cache behavior", "origin:${Target}") in outline.links


def test_duplicated_origin_ids_are_two_hops(write: Write) -> None:
    template = cfn_template(cfn_distribution(origin_extra="").replace(
        "        DefaultCacheBehavior:",
        "          - Id: app\n            DomainName: other.example.com\n"
        "            CustomOriginConfig: {OriginProtocolPolicy: https-only}\n        DefaultCacheBehavior:"))
    outline, _ = outline_of(write("dup.yaml", template))
    assert [h.key for h in outline.hops if h.kind == "origin"] == ["origin:app", "origin:app'"]
    assert ("behavior:default cache behavior", "origin:app") in outline.links  # CloudFront's lookup: the first


def test_values_are_bounded_and_printable(write: Write) -> None:
    assert shown("x" * 10_000).endswith("\u2026") and len(shown("x" * 10_000)) == MAX_TEXT
    path = write("b\udcff.yaml", cfn_template(cfn_distribution(domain="a" * 5000 + ".example.com")))
    outline, result = outline_of(path)
    assert outline.location.file.endswith("b\\xff.yaml") and result.files[0].endswith("b\\xff.yaml")
    assert all(p.file == outline.location.file for h in outline.hops for p in h.places)
    assert max(len(line) for h in outline.hops for line in h.lines) <= MAX_TEXT


def test_stdin_outlines_carry_the_name_it_stands_for(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (CFN / "broken-origins.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    result = api.scan([Path("-")], api.ScanOptions(outlines=True, stdin_name="infra/site.yaml"))
    (outline,) = result.outlines
    assert outline.location.file == "infra/site.yaml"
    assert {p.file for h in outline.hops for p in h.places} == {"infra/site.yaml"}
