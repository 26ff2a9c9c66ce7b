"""Inputs of the facts' unit tests: a template read into the model, and its objects a fact is computed on."""

from __future__ import annotations

from pathlib import Path

from policykit.cfn.load import load_cfn
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin


def distribution(path: Path, params: dict[str, str] | None = None) -> Distribution:
    """The one distribution of the template at `path`."""
    loaded = load_cfn(path, params or {})
    assert loaded is not None
    (found,) = loaded[0].distributions
    return found


def origin(path: Path, origin_id: str = "app", params: dict[str, str] | None = None) -> Origin:
    """The origin `origin_id` of the one distribution of the template at `path`."""
    (found,) = [o for o in distribution(path, params).origins if o.id == origin_id]
    return found


def default_behavior(path: Path, params: dict[str, str] | None = None) -> CacheBehavior:
    found = distribution(path, params).default_behavior
    assert found is not None
    return found
