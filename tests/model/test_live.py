"""The objects a live scan adds beside the model (policykit/model/live.py): frozen values, an endpoint built from
its names."""

from __future__ import annotations

import pytest


def test_live_objects_are_frozen_values_built_names_first() -> None:
    """An endpoint is built from its names, whose construction points each name at it; nothing writes them after."""
    import dataclasses

    from policykit.model.live import LiveName, LiveOrigin

    names = (LiveName(name="a.test"), LiveName(name="b.test"))
    live = LiveOrigin(host="a.test", port=443, scheme="https", names=names)
    assert all(name.endpoint is live for name in live.names)
    assert names[1].label == "'b.test' at a.test:443" and names[1].origin is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        live.not_probed = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        names[0].not_probed = "changed"
    with pytest.raises(ValueError, match="already belongs to another live_origin"):
        LiveOrigin(host="b.test", names=(names[0],))  # a name is one endpoint's
