"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern takes from tens of microseconds to a millisecond (a large character class); compiled at
import, the patterns of the modules every scan imports were a measurable part of start-up, and a small scan
uses few of them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """`re.compile(pattern, flags)`, done on the first call and kept."""

    @functools.cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled
