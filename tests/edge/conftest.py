"""Edge tests: Node.js handlers need `node`; CI installs it (.ci/run), so there they never skip. Tests of
containment run with and without the namespaces (`isolation`)."""

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


@pytest.fixture(params=["auto", "off"])
def isolation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Each test twice: as this machine runs handlers (in namespaces where it allows them), and with the namespaces
    switched off (POLICYKIT_EDGE_ISOLATION=off: what GitHub's ubuntu-24.04 runners and Docker containers give).
    True when the handler runs isolated."""
    from policykit.edge import sandbox

    monkeypatch.setenv(sandbox.SWITCH, str(request.param))
    return sandbox.isolation().mode == "namespaces"
