"""Package data: tables read once, on demand."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

# Beside this module (importlib.resources would add ~5 ms of imports to every run; policykit is never zipped).
_HERE = Path(__file__).resolve().parent


@functools.cache
def load(name: str) -> Any:
    """A JSON table shipped in `policykit/core/data`."""
    return json.loads((_HERE / name).read_text(encoding="utf-8"))
