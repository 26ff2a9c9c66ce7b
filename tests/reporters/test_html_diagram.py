"""One distribution's diagram (policykit/reporters/html_diagram.py): each finding on the hop it breaks, colours by
severity, what live probes saw on the hops they probed, and the bound on what a column shows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from policykit import api
from policykit.core.location import Location
from policykit.findings import Finding, Hop, Observed, Outline, Severity
from policykit.reporters.html_diagram import MAX_PER_COLUMN, draw, placements
from policykit.reporters.html_layout import ranks
from tests.helpers import EXAMPLES, POLICIES
from tests.reporters.helpers import Element, parse_html

CFN = EXAMPLES / "cloudformation"
WS_CASE = POLICIES / "PK202-origin-certificate-does-not-cover-name" / "tests" / "fail"


def scanned(path: Path) -> tuple[Outline, list[Finding]]:
    result = api.scan([path], api.ScanOptions(outlines=True))
    (outline,) = result.outlines
    return outline, list(result.findings)


def placed(outline: Outline, findings: list[Finding]) -> dict[str, list[str]]:
    """policy id -> the hops its findings sit on."""
    rank = ranks([h.key for h in outline.hops], outline.links, {h.key: h.kind for h in outline.hops})
    out: dict[str, list[str]] = {}
    for finding, keys in zip(findings, placements(outline, findings, rank), strict=True):
        out.setdefault(finding.policy_id, []).extend(keys)
    return out


def hops_of(svg: str) -> dict[str, Element]:
    return {g.attrs["data-hop"]: g for g in parse_html(svg).all("g", "hop")}


def badges(group: Element) -> list[str]:
    return [a.attrs["href"] for a in group.all("a", "badge")]


def test_each_finding_of_the_examples_sits_on_the_hop_it_breaks() -> None:
    outline, findings = scanned(CFN / "broken-origins.yaml")
    assert placed(outline, findings) == {"PK101": ["origin:site"], "PK201": ["origin:api"], "PK106": ["origin:api"],
                                         "PK107": ["origin:api"], "PK205": ["origin:api"], "PK202": ["lb:Alb"]}
    outline, findings = scanned(CFN / "broken-viewer-and-edge.yaml")
    assert placed(outline, findings) == {"PK301": ["alias:shop.example.com"], "PK303": ["viewer"],
                                         "PK401": ["function:default cache behavior:0"],
                                         "PK402": ["function:default cache behavior:0"], "PK501": ["missing:Web"]}


def test_a_finding_on_a_name_the_origin_certificate_misses_sits_on_that_certificate() -> None:
    """PK202 points at the alias line (where the name is written), but what breaks is the origin's TLS: it sits on
    the certificate behind the listener, not on the alias."""
    for fixture in ("ws-alias-not-on-origin-certificate.yaml", "terraform-ws-alias-not-on-origin-certificate"):
        outline, findings = scanned(WS_CASE / fixture)
        certificate = next(h.key for h in outline.hops if h.kind == "certificate")
        assert placed(outline, findings)["PK202"] == [certificate]


def test_a_tls_mismatch_with_a_listener_sits_on_that_listener() -> None:
    outline, findings = scanned(POLICIES / "PK205-no-common-tls-with-load-balancer" / "tests" / "fail"
                                / "tls13-only-listener.yaml")
    assert placed(outline, findings)["PK205"] == ["listener:HttpsListener", "listener:Tls12Listener"]


def test_a_finding_nothing_places_sits_on_the_distribution_s_viewer_hop() -> None:
    outline, findings = scanned(CFN / "broken-origins.yaml")
    stray = dataclasses.replace(findings[0], subject="PK007", location=Location("elsewhere.yaml", 1, 1))
    assert placed(outline, [stray]) == {stray.policy_id: ["viewer"]}


def test_hops_are_coloured_by_their_worst_finding_and_badges_link_to_each() -> None:
    outline, findings = scanned(CFN / "broken-origins.yaml")
    anchors = [f"f{i}" for i in range(len(findings))]
    svg, titles = draw(outline, findings, anchors)
    groups = hops_of(svg)
    assert set(groups) == {h.key for h in outline.hops}
    assert "s-error" in groups["origin:site"].classes and "s-error" in groups["origin:api"].classes
    assert "s-ok" in groups["behavior:default cache behavior"].classes
    assert {"s-unknown", "dashed"} <= groups["lb:Alb"].classes  # only a check that could not be made
    for index, finding in enumerate(findings):
        key = next(h.key for h in outline.hops if h.title in titles[index])
        assert f"#f{index}" in badges(groups[key]), finding.policy_id
    red = parse_html(svg).all("path", "s-error")
    assert len(red) == 2  # the links into the two broken origins


def test_accepted_findings_leave_their_hop_uncoloured() -> None:
    outline, findings = scanned(CFN / "broken-origins.yaml")
    accepted = [dataclasses.replace(f, suppressed="a private CA") if not f.unknown else f for f in findings]
    groups = hops_of(draw(outline, accepted, [f"f{i}" for i in range(len(findings))])[0])
    assert "s-ok" in groups["origin:site"].classes and not badges(groups["origin:site"])


def test_a_badge_says_the_deploy_time_scenario_of_its_finding() -> None:
    outline, findings = scanned(CFN / "broken-origins.yaml")
    pk101 = next(f for f in findings if f.policy_id == "PK101")
    scoped = dataclasses.replace(pk101, scenario="when Env=prod", message=pk101.message + " (when Env=prod)")
    groups = hops_of(draw(outline, [scoped], ["f0"])[0])
    assert "PK101 when Env=prod" in groups["origin:site"].all("a", "badge")[0].text_content()


def test_what_a_live_probe_saw_sits_on_the_hop_it_probed() -> None:
    outline, _ = scanned(CFN / "broken-origins.yaml")
    live_label = "origin 'api' (https://alb.example.com:443)"
    outline = dataclasses.replace(outline, hops=tuple(
        dataclasses.replace(h, subjects=(*h.subjects, live_label)) if h.key == "origin:api" else h
        for h in outline.hops))
    seen = Observed(subject=live_label, distribution="Distribution", data={},
                    lines=(("addresses", "192.0.2.10"), ("negotiated", "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256")))
    groups = hops_of(draw(outline, [], [], [seen])[0])
    rows = [t.text_content() for t in groups["origin:api"].all("text", "seen")]
    assert rows[0] == "addresses: 192.0.2.10"
    assert "".join(rows[1:]) == "negotiated: TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256"  # in two rows


def test_a_column_shows_a_bounded_number_of_hops_the_rest_as_one() -> None:
    aliases = tuple(Hop(key=f"alias:{i}", kind="alias", title=f"alias 'a{i}.example.com'",
                        subjects=(f"alias 'a{i}.example.com'",)) for i in range(40))
    viewer = Hop(key="viewer", kind="viewer_certificate", title="viewer certificate")
    outline = Outline(distribution="D", label="distribution D", location=Location("t.yaml", 1, 1),
                      hops=(*aliases, viewer), links=tuple((h.key, "viewer") for h in aliases))
    late = Finding(policy_id="PK301", title="t", severity=Severity.ERROR, message="m", location=Location("t.yaml"),
                   distribution="D", subject="alias 'a39.example.com'")
    svg, titles = draw(outline, [late], ["f0"])
    groups = hops_of(svg)
    assert len([k for k in groups if k.startswith("alias:")]) == MAX_PER_COLUMN - 1
    assert "alias:39" in groups and "s-error" in groups["alias:39"].classes  # hops with findings are kept
    more = groups["more:0"]
    assert "40 - 15" not in more.text_content() and f"{40 - MAX_PER_COLUMN + 1} more" in more.text_content()
    assert titles == [["alias 'a39.example.com'"]]


def test_every_template_string_in_the_diagram_is_escaped() -> None:
    hostile = "<script>alert(1)</script>\u202e\x1b[2J"
    hop = Hop(key=f"origin:{hostile}", kind="origin", title=f"origin '{hostile}'", lines=(hostile,),
              subjects=(f"origin '{hostile}'",))
    outline = Outline(distribution=hostile, label=hostile, location=Location("t.yaml", 1, 1), hops=(hop,))
    finding = Finding(policy_id="PK101", title=hostile, severity=Severity.ERROR, message=hostile,
                      location=Location("t.yaml"), distribution=hostile, subject=f"origin '{hostile}'")
    svg, _ = draw(outline, [finding], ["f0"])
    assert "<script" not in svg and "\u202e" not in svg and "\x1b" not in svg
    assert "&lt;script&gt;" in svg and "\\u202e" in svg and "\\x1b" in svg
    assert {e.tag for e in parse_html(svg).all()} <= {"svg", "g", "title", "rect", "text", "a", "path"}
