"""Regenerate docs/report-examples.png, the README's screenshot of the HTML report of examples/.

Usage: python3 scripts/screenshot_report.py   (from the repository root, with policykit installed and Debian's
`chromium` on PATH)

It writes the report of `policykit scan examples --format html` to a temporary directory and has headless Chromium
take a screenshot of its top (the summary and the first diagrams), with the same flags as the browser test
(tests/reporters/test_html_in_browser.py): no background services, no host name resolved, a fresh profile.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "report-examples.png"
WINDOW = "1440,1000"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--hide-scrollbars",
         "--force-device-scale-factor=1", f"--window-size={WINDOW}")


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not on PATH (apt-get install -y chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.html"
        scan = subprocess.run([sys.executable, "-m", "policykit", "scan", "examples", "--format", "html",
                               "-o", str(report)], cwd=ROOT, capture_output=True, text=True, check=False)
        if scan.returncode not in (0, 1) or not report.is_file():
            print(scan.stderr, file=sys.stderr)
            return 2
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shot = subprocess.run([chromium, *FLAGS, f"--user-data-dir={Path(work) / 'profile'}",
                               f"--screenshot={SCREENSHOT}", report.as_uri()],
                              capture_output=True, text=True, timeout=180, check=False)
        if shot.returncode != 0 or not SCREENSHOT.is_file():
            print(shot.stderr[-2000:], file=sys.stderr)
            return 2
    print(f"{SCREENSHOT.relative_to(ROOT)}: {SCREENSHOT.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
