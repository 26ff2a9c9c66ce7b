"""The fuzz tests' fixtures: the harness replaces the catalog loader with a cached one before it forks; each
module of tests/fuzz gives the real loader back to the modules after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module", autouse=True)
def _restore_catalog() -> Iterator[None]:
    """Other test modules get the real loader back."""
    yield
    from policykit.policy import loader

    loader.load_policies = getattr(loader.load_policies, "original", loader.load_policies)
