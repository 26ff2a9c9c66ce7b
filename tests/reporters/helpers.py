"""Helpers of the reporter tests: a scan result rendered in one format."""

from __future__ import annotations

import io
from typing import Any

from policykit.findings import ScanResult
from policykit.reporters import ReportOptions, get


def render(name: str, result: ScanResult, **options: Any) -> str:
    stream = io.StringIO()
    get(name)(result, stream, ReportOptions(**options))
    return stream.getvalue()
