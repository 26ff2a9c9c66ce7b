"""The HTML report (policykit/reporters/html.py): one self-contained page, a section and a diagram per distribution,
the findings below each, nothing that runs or loads, every template string escaped, bounded for 5,000
distributions. The report as Chromium shows it: tests/reporters/test_html_in_browser.py."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from pathlib import Path

import pytest

from policykit import api
from policykit.core.location import Location
from policykit.findings import Finding, Hop, Outline, ScanResult, Severity
from policykit.reporters.html import OPEN_SECTIONS
from tests.helpers import EXAMPLES, RunCli, Write
from tests.reporters.helpers import Element, parse_html, render
from tests.templates import cfn_distribution, cfn_template

CFN = EXAMPLES / "cloudformation"
OUTLINED = api.ScanOptions(outlines=True)


@pytest.fixture(scope="module")
def examples() -> ScanResult:
    return api.scan([EXAMPLES], OUTLINED)


def sections(page: Element) -> list[Element]:
    return page.all("section", "dist")


def test_every_distribution_has_a_section_with_its_diagram(examples: ScanResult) -> None:
    page = parse_html(render("html", examples))
    found = sections(page)
    assert len(found) == sum(examples.distributions.values()) == 11
    assert all(len(s.all("svg")) == 1 for s in found)
    titles = [s.all("summary")[0].text_content() for s in found]
    assert any("distribution Distribution" in t and "broken-origins.yaml:24:9" in t for t in titles)
    assert "s-error" in found[0].classes and "s-ok" in found[-1].classes  # the broken ones first
    assert "no finding" in titles[-1]


def test_every_finding_is_listed_under_its_distribution_and_badged_on_its_hop(examples: ScanResult) -> None:
    page = parse_html(render("html", examples))
    shown = [f for f in examples.findings if not f.unknown]
    items = page.all("li", "finding")
    assert len(items) == len(shown) == 17
    for section in sections(page):
        listed = {li.attrs["id"] for li in section.all("li", "finding")}
        badged = {a.attrs["href"][1:] for g in section.all("g", "hop") for a in g.all("a", "badge")}
        assert listed == badged  # each listed finding has its badge on a hop of this very diagram
    broken = next(s for s in sections(page) if "broken-origins.yaml:24:9" in s.all("summary")[0].text_content())
    site = next(g for g in broken.all("g", "hop") if g.attrs["data-hop"] == "origin:site")
    (badge,) = site.all("a", "badge")
    item = next(li for li in broken.all("li", "finding") if li.attrs["id"] == badge.attrs["href"][1:])
    assert "PK101" in item.text_content() and "on origin 'site'" in item.text_content()
    assert "s-error" in site.classes and "s-error" in item.classes


def test_a_finding_shows_message_fix_snippet_and_a_link_relative_to_the_repository(examples: ScanResult) -> None:
    page = parse_html(render("html", examples))
    item = next(li for li in page.all("li", "finding") if "PK201" in li.text_content()
                and "broken-origins.yaml" in li.text_content())
    link = item.all("a", "file")[0]
    assert link.attrs["href"] == "./examples/cloudformation/broken-origins.yaml"
    assert link.text_content() == "examples/cloudformation/broken-origins.yaml:33:25"
    assert "connects with HTTPS (https-only)" in item.all("p", "message")[0].text_content()
    assert item.all("p", "fix")[0].text_content().startswith("fix Point the origin at a DNS name you own")
    snippet = item.all("figure", "snippet")[0]
    assert "CloudFormation YAML" in snippet.text_content() and "OriginProtocolPolicy" in snippet.text_content()
    json_item = next(li for li in page.all("li", "finding") if "get-distribution-config.json" in li.text_content())
    assert '"Origins": [' in json_item.all("figure", "snippet")[0].text_content()  # the template's language
    hcl_item = next(li for li in page.all("li", "finding") if "terraform/broken-origins" in li.text_content()
                    and "PK101" in li.text_content())
    assert "custom_origin_config" in hcl_item.all("figure", "snippet")[0].text_content()


def test_nothing_runs_or_loads(examples: ScanResult) -> None:
    text = render("html", examples)
    page = parse_html(text)
    assert not page.all("script") and not page.all("img") and not page.all("link") and not page.all("iframe")
    policy = next(m.attrs["content"] for m in page.all("meta") if m.attrs.get("http-equiv") ==
                  "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src 'none'" in policy and "unsafe" not in policy
    (style,) = page.all("style")
    digest = base64.b64encode(hashlib.sha256(style.text_content().encode("utf-8")).digest()).decode("ascii")
    assert f"style-src 'sha256-{digest}'" in policy  # the one style sheet, by its hash
    assert not any(name.startswith("on") for e in page.all() for name in e.attrs)
    assert not any("style" in e.attrs for e in page.all())  # style attributes would be refused
    for element in page.all():
        for name in ("href", "src", "xlink:href", "action"):
            assert element.attrs.get(name, "#").startswith(("#", "./")), (element.tag, element.attrs)
    assert not re.search(r"url\(|@import|@font-face", style.text_content())


def test_template_strings_cannot_inject_markup(write: Write) -> None:
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    template = cfn_template(cfn_distribution(
        origin_id=f"'{hostile}'", domain="origin.example.com",
        config_extra=f"        Aliases: ['{hostile}.example.com', \"\\u202eevil.example.com\"]\n"))
    path = write("x&<b>.yaml", template)
    result = api.scan([path], OUTLINED)
    assert any(hostile in f.message for f in result.findings)
    text = render("html", result)
    page = parse_html(text)
    assert not page.all("script") and not page.all("img")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "\\u202e" in text and "\u202e" not in text
    assert "x&amp;&lt;b&gt;.yaml" in text
    tags = {e.tag for e in page.all()}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "input", "header", "h1", "p", "label", "ul",
                    "li", "span", "main", "section", "details", "summary", "b", "a", "div", "svg", "text", "path", "g",
                    "rect", "ol", "figure", "figcaption", "pre", "code", "dl", "dt", "dd", "footer", "h2", "h4"}


def test_a_finding_of_some_deploy_time_scenarios_says_which_on_its_badge(write: Write) -> None:
    template = cfn_template(
        cfn_distribution(domain="site.s3-website-us-east-1.amazonaws.com", protocol="!If [IsProd, https-only, "
                         "http-only]"),
        parameters="  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n")
    template = template.replace("Resources:", "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:")
    result = api.scan([write("env.yaml", template)], OUTLINED)
    (pk101,) = [f for f in result.findings if f.policy_id == "PK101"]
    assert pk101.scenario == "when Env=prod"
    page = parse_html(render("html", result))
    origin = next(g for g in page.all("g", "hop") if g.attrs["data-hop"] == "origin:app")
    assert "s-error" in origin.classes
    assert [a.all("text")[0].text_content() for a in origin.all("a", "badge")] == ["PK101 when Env=prod"]


def test_a_file_name_is_never_a_link_to_another_scheme(write: Write) -> None:
    path = write("javascript:alert(1).yaml", cfn_template(cfn_distribution(protocol="https-only",
                                                                          domain="b.s3-website-us-east-1.amazonaws.com")))
    result = api.scan([path], OUTLINED)
    page = parse_html(render("html", result, base_dir=str(path.parent)))
    hrefs = [a.attrs["href"] for a in page.all("a", "file")]
    assert hrefs and all(h.startswith("./javascript%3Aalert") for h in hrefs)


def test_not_checked_findings_only_on_request_grey_and_dashed(examples: ScanResult) -> None:
    assert not parse_html(render("html", examples)).all("li", "s-unknown")
    page = parse_html(render("html", examples, show_unknown=True))
    unknown = page.all("li", "s-unknown")
    assert len(unknown) == sum(1 for f in examples.findings if f.unknown)
    lb = next(g for g in page.all("g", "hop") if g.attrs["data-hop"] == "lb:Alb")
    assert {"s-unknown", "dashed"} <= lb.classes
    assert f"{len(unknown)} check(s) not decidable" in render("html", examples)


def test_suppressed_and_baseline_findings_are_folded_away(site_with_a_new_finding: Path, run_cli: RunCli) -> None:
    code, _, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "html", "-o", "r.html")
    assert code == 1
    page = parse_html((site_with_a_new_finding / "r.html").read_text(encoding="utf-8"))
    (folded,) = page.all("details", "accepted")
    assert "1 suppressed or in the baseline" in folded.all("summary")[0].text_content()
    assert "in the baseline" in folded.all("li", "finding")[0].text_content()
    listed = [li for li in page.all("li", "finding") if li not in folded.all("li")]
    assert len(listed) == 1 and "origin 'second'" in listed[0].text_content()
    hops = {g.attrs["data-hop"]: g for g in page.all("g", "hop")}
    assert "s-ok" in hops["origin:site"].classes and "s-error" in hops["origin:second"].classes


def test_the_summary_and_the_severity_filters(examples: ScanResult) -> None:
    text = render("html", examples, config_file=".policykit.yaml")
    page = parse_html(text)
    facts = [li.text_content() for li in page.all("ul", "facts")[0].all("li")]
    assert facts[:4] == [f"{len(examples.files)} file(s) scanned", f"{sum(examples.distributions.values())} "
                         "distribution(s)", "configuration: .policykit.yaml", "origins not probed (no --live)"]
    assert "2 file(s) skipped (not templates)" in facts
    inputs = [i.attrs["id"] for i in page.all("input")]
    assert inputs == ["show-error", "show-warning", "show-info", "show-unknown", "show-ok"]
    body = page.all("body")[0]
    assert [c.tag for c in body.children[:6]] == ["input"] * 5 + ["header"]  # siblings before what they filter
    assert "#show-error:not(:checked)~main .finding.s-error{display:none}" in text
    assert page.all("label", "s-error")[0].attrs["for"] == "show-error"
    assert "@media print" in text


def test_findings_without_a_diagram_still_have_a_section(write: Write) -> None:
    """A library scan without outlines, `policykit probe`'s targets, findings of no distribution (PK006)."""
    dup = write("dup.yaml", cfn_template(cfn_distribution()).replace("        Enabled: true\n",
                                                                      "        Enabled: true\n        Enabled: true\n"))
    result = api.scan([CFN / "broken-origins.yaml", dup])
    page = parse_html(render("html", result))
    assert not page.all("svg")
    names = [s.all("summary")[0].all("b")[0].text_content() for s in sections(page)]
    assert "Distribution" in names and any("PK006" in li.text_content() for li in page.all("li", "finding"))


def test_input_errors_are_listed(write: Write) -> None:
    bad = write("bad.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n")
    page = parse_html(render("html", api.scan([bad], OUTLINED)))
    (errors,) = page.all("section", "errors")
    assert "bad.yaml" in errors.text_content()


def test_small_reports_open_broken_sections_large_ones_open_none(examples: ScanResult) -> None:
    page = parse_html(render("html", examples))
    opened = [s for s in sections(page) if "open" in s.all("details")[0].attrs]
    broken = [s for s in sections(page) if "s-error" in s.classes]
    assert opened == broken and len(opened) >= 6  # the broken examples (six templates and their twins)
    big = many_distributions(OPEN_SECTIONS + 1)
    assert not [d for d in parse_html(render("html", big)).all("details") if "open" in d.attrs]


def many_distributions(count: int) -> ScanResult:
    """`count` distributions like a real one (three names, two behaviors, an edge function, two origins, a load
    balancer and its listener), every tenth with an error on its origin."""
    hops = [Hop("alias:www", "alias", "alias 'www.example.com'"), Hop("alias:api", "alias", "alias 'api.example.com'"),
            Hop("default_domain", "default_domain", "CloudFront name", ("dxxxxxxxx.cloudfront.net",)),
            Hop("viewer", "viewer_certificate", "viewer certificate", ("ACM arn:aws:acm:us-east-1:1:certificate/c",)),
            Hop("behavior:api", "behavior", "cache behavior '/api/*'", ("path /api/*", "viewer https-only")),
            Hop("behavior:default", "behavior", "default cache behavior", ("path *", "viewer redirect-to-https")),
            Hop("function:0", "edge_function", "origin-request Lambda@Edge", ("EdgeVersion",)),
            Hop("origin:site", "origin", "origin 'site'", ("site.s3-website-us-east-1.amazonaws.com", "HTTPS on 443"),
                subjects=("origin 'site'",)),
            Hop("origin:api", "origin", "origin 'api'", ("api.example.com", "HTTPS on 443")),
            Hop("lb:Alb", "load_balancer", "load balancer Alb"), Hop("listener:L", "listener", "listener HTTPS 443")]
    links = (("alias:www", "viewer"), ("alias:api", "viewer"), ("default_domain", "viewer"), ("viewer", "behavior:api"),
             ("viewer", "behavior:default"), ("behavior:api", "function:0"), ("function:0", "origin:api"),
             ("behavior:default", "origin:site"), ("origin:api", "lb:Alb"), ("lb:Alb", "listener:L"))
    outlines, findings = [], []
    for i in range(count):
        where = Location(f"stack{i // 100}.yaml", 10 * (i % 100) + 1, 9)
        outlines.append(Outline(f"Distribution{i}", f"distribution Distribution{i}", where, tuple(hops), links))
        if i % 10 == 0:
            findings.append(Finding("PK101", "S3 website endpoint reached over HTTPS", Severity.ERROR,
                                    "origin 'site' of distribution ... is the S3 website endpoint ...", where,
                                    f"Distribution{i}", f"Distribution{i}", "origin 'site'", fix="Set http-only."))
    return ScanResult(findings=tuple(findings), outlines=tuple(outlines),
                      distributions={f"stack{n}.yaml": 100 for n in range(count // 100)})


def test_five_thousand_distributions_stay_within_the_documented_bound() -> None:
    """README: about 4 KB per distribution and 2 KB per finding, each section closed until opened."""
    result = many_distributions(5000)
    start = time.perf_counter()
    text = render("html", result)
    elapsed = time.perf_counter() - start
    assert text.count('<section class="dist') == 5000
    assert len(text.encode("utf-8")) < 5000 * 4000 + len(result.findings) * 2000, len(text)
    assert '<details open' not in text
    assert elapsed < 60, elapsed


def test_scan_writes_an_html_report_with_o(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("scan", str(CFN), "--format", "html", "-o", "report.html")
    assert code == 1 and out == ""
    first = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and first.count('<section class="dist') == 3
    code, _, _ = run_cli("scan", str(CFN), "-o", "html=again.html", "-o", "json=r.json")
    assert code == 1 and (tmp_path / "again.html").read_text(encoding="utf-8").count("<svg") == 3
