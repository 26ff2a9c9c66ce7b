"""Package data: tables read once, on demand."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def load(name: str) -> Any:
    """A JSON table shipped in `policykit/data`."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
