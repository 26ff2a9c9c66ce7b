"""The filtering stage after detection: which findings a scan keeps and how they count.

Detection yields everything; these filters, applied in this order and in this one place for the library and
the command line alike, make the result people see: selection (`--select`/`--skip`, `enable`/`disable`) and
severity overrides, then the suppressions written in the sources (with PK003/PK004 bookkeeping), then the
baseline. Each takes a ScanResult and returns a new one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from policykit.filters.selection import Selection
from policykit.filters.suppressions import Ran
from policykit.findings import ScanResult, Suppression


def apply(result: ScanResult, selection: Selection, suppressions: Iterable[Suppression] | None = None,
          baseline: Path | None = None, today: datetime.date | None = None, ran: Ran | None = None) -> ScanResult:
    """`result` as the user asked to see it. `suppressions`: those to honour (None: none); `baseline`: the
    file of accepted findings to compare against (None: no baseline); `ran`: the policies that ran, so the
    bookkeeping of suppressions (PK003, PK004, PK008) speaks only of those (None: as if every policy ran)."""
    result = selection.apply(result)
    if suppressions is not None:
        from policykit.filters import suppressions as suppressing

        # again after: the bookkeeping it adds (PK003, PK004) is selected, skipped and overridden like the rest
        result = selection.apply(suppressing.apply(result, today, suppressions, ran))
    elif ran is not None:
        from policykit.filters.suppressions import of_policies_that_ran

        result = of_policies_that_ran(result, ran)
    if baseline is not None:
        from policykit.filters import baseline as baselines

        result = baselines.apply(result, baselines.load(baseline), baseline.name)
    return result
