"""What later stages produced about a model, handed to the policy engine beside it (the model is built once by
its reader and never written after).

`scan --live` and `policykit probe` produce the live objects of each distribution (policykit/model/live.py);
`scan --edge` and `policykit edge` produce function runs (policykit/model/function_runs.py). The engine walks
them as it walks the model's own objects, for the policies that apply to their kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from policykit.core.record import record

if TYPE_CHECKING:  # annotations only: a plain scan builds none of these
    from policykit.model.cloudfront import Distribution
    from policykit.model.function_runs import EdgeRun
    from policykit.model.live import LiveOrigin

# The kinds of object policies may apply to beyond the model's own
LIVE_KINDS = ("live_origin", "live_name")
EDGE_KINDS = ("edge_run", "edge_result", "edge_header", "edge_origin", "edge_problem")


@record
class Subjects:
    """The live origins and the function runs of each distribution (none of either for a plain scan)."""

    live_origins: Mapping[Distribution, tuple[LiveOrigin, ...]] = field(default_factory=dict)
    edge_runs: Mapping[Distribution, tuple[EdgeRun, ...]] = field(default_factory=dict)
