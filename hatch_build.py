"""Wheel build hook: ship the built-in policy catalog precompiled (policykit/policies/compiled.json).

The YAML files stay in the wheel (users read and copy them; fixtures point at them); a scan reads
the compiled form instead of parsing 45 YAML files on every run. tests/test_wheel.py checks that
the shipped form equals the YAML.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledCatalogHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, self.root)
        try:
            from policykit.policy.loader import COMPILED_CATALOG, compile_catalog
        finally:
            sys.path.remove(self.root)
        catalog = compile_catalog(Path(self.root) / "policies")
        self._directory = tempfile.TemporaryDirectory(prefix="policykit-build-")
        target = Path(self._directory.name) / COMPILED_CATALOG
        target.write_text(json.dumps(catalog, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        build_data["force_include"][str(target)] = f"policykit/policies/{COMPILED_CATALOG}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        directory = getattr(self, "_directory", None)
        if directory is not None:
            directory.cleanup()
