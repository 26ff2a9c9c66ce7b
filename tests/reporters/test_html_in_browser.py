"""The HTML report as a person sees it: headless Chromium (Debian's `chromium`, which .ci/run installs) opens the
report of examples/, a screenshot shows the diagrams (not a blank page, the red of a broken hop in it), the page
logs nothing to the console (a refused script or resource would), and the red hop is in the rendered DOM.

Nothing is fetched: the report loads nothing, and the browser is started without its background services, with
every host name unresolvable and a proxy on a closed loopback port, in a fresh profile. Outside CI the tests skip
where Chromium is missing; in CI (CI=true) a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.reporters.helpers import decode_png, parse_html

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars", "--window-size=1280,900")
RED = (0xCF, 0x22, 0x2E)  # error: the stroke of a broken hop and its badge (policykit/reporters/html_style.py)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package, so CI must have it")
        pytest.skip("chromium is not installed here (CI installs it)")
    return found


def browse(chromium: str, page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()],
                          capture_output=True, text=True, timeout=180, check=False)


def console(stderr: str) -> list[str]:
    """What the page logged to the console: errors (a script or resource refused, a failed load) and warnings."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from policykit.cli import main

    path = tmp_path_factory.mktemp("report") / "report.html"
    cwd = Path.cwd()
    os.chdir(ROOT)  # file:line links relative to the repository, as in CI
    try:
        assert main(["scan", "examples", "--format", "html", "-o", str(path)]) == 1
    finally:
        os.chdir(cwd)
    return path


def test_the_report_renders_its_diagrams_without_a_console_message(chromium: str, report: Path,
                                                                  tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    run = browse(chromium, report, tmp_path / "profile", f"--screenshot={shot}")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console(run.stderr) == []
    width, height, pixels = decode_png(shot.read_bytes())
    assert (width, height) == (1280, 900)
    colours = {p[:3] for p in pixels}
    inked = sum(1 for p in pixels if p[:3] != (255, 255, 255))
    assert len(colours) > 50 and 0.03 < inked / len(pixels) < 0.9, (len(colours), inked)
    red = sum(1 for r, g, b, *_ in pixels if abs(r - RED[0]) < 24 and abs(g - RED[1]) < 24 and abs(b - RED[2]) < 24)
    assert red > 200, red  # a broken hop of the first diagram, drawn in red


def test_the_red_hop_of_a_broken_example_is_in_the_rendered_dom(chromium: str, report: Path,
                                                                tmp_path: Path) -> None:
    run = browse(chromium, report, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console(run.stderr) == []
    page = parse_html(run.stdout)
    sections = page.all("section", "dist")
    assert len(sections) == 11 and all(len(s.all("svg")) == 1 for s in sections)  # the distributions of examples/
    broken = next(s for s in sections if "broken-origins.yaml:24:9" in s.all("summary")[0].text_content())
    hops = {g.attrs["data-hop"]: g for g in broken.all("g", "hop")}
    assert "s-error" in hops["origin:site"].classes and "PK101" in hops["origin:site"].text_content()
    assert "s-error" in hops["origin:api"].classes and "PK201" in hops["origin:api"].text_content()
    assert not page.all("script")


def test_a_page_that_breaks_its_policy_is_caught(chromium: str, tmp_path: Path) -> None:
    """The console check can fail: the report's own Content-Security-Policy refuses an inline script, and the
    browser says so on the console."""
    from policykit.reporters.html import POLICY

    page = tmp_path / "scripted.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{POLICY}">'
                    "</head><body><p>x</p><script>document.title = 'ran'</script></body></html>", encoding="utf-8")
    run = browse(chromium, page, tmp_path / "profile", "--dump-dom")
    assert any("Content Security Policy" in line for line in console(run.stderr)), run.stderr[-2000:]
    assert "<title>ran</title>" not in run.stdout

