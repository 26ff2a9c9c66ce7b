"""`scan --live --format html`: what the probes saw sits on the origin they probed, beside the finding it explains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.live.helpers import LiveRun, of
from tests.live.live_servers import Pki
from tests.reporters.helpers import parse_html
from tests.templates import cfn_with_origins


def test_what_the_probes_saw_sits_on_the_origin_they_probed(live: LiveRun, serve: Any, pki: Pki, dns_server: Any,
                                                             tmp_path: Path) -> None:
    server = serve(pki.context(pki.leaf("other.test"), (pki.intermediate,)))
    dns = dns_server({"origin.test": "127.0.0.1"})
    report = tmp_path / "report.html"
    _, findings, _ = live(cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}]), dns,
                          "-o", "json=-", "-o", f"html={report}")
    assert of(findings, "PK610")
    page = parse_html(report.read_text(encoding="utf-8"))
    hops = {g.attrs["data-hop"]: g for g in page.all("g", "hop")}
    origin = hops["origin:app"]
    assert "s-error" in origin.classes and "PK610" in origin.text_content()
    seen = " ".join(t.text_content() for t in origin.all("text", "seen"))
    assert "127.0.0.1" in seen, seen
    (block,) = page.all("details", "seen")
    assert "other.test" in block.text_content()  # the certificate as the origin sent it
    assert "origins probed (--live)" in page.all("ul", "facts")[0].text_content()
