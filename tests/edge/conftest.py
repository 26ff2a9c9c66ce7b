"""Edge tests: Node.js handlers need `node`; CI installs it (.ci/run), so there they never skip."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture
def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed: .ci/run installs the nodejs package, so CI must have it")
        pytest.skip("node is not installed here (CI installs it)")
    return found
