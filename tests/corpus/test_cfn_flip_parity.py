"""Our position-keeping loader reads templates exactly as cfn-flip does (cfn-flip is the oracle).

cfn-flip's loader builds plain dicts without source positions, which findings need, so
policykit parses with its own event-based loader; this test keeps the two in agreement on
every real template in the corpus: short-form tags, GetAtt splitting, scalars.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from cfn_flip import load as cfn_flip_load

from policykit.cfn.load import parse
from policykit.core.errors import InputError
from tests.helpers import CORPUS, requires_shared

TEMPLATES = sorted(p for p in (CORPUS / "cfn").iterdir() if p.is_file()) if (CORPUS / "cfn").is_dir() else []
pytestmark = requires_shared


def plain(value: Any) -> Any:
    """Marks and ordered-dict types dropped; dates as cfn-flip would print them."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name[-60:] for p in TEMPLATES])
def test_loader_matches_cfn_flip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        expected, _format = cfn_flip_load(text)
    except Exception:  # cfn-flip refuses it (e.g. invalid YAML): we must refuse it too, cleanly
        with pytest.raises(InputError):
            parse(text, str(path))
        return
    ours = parse(text, str(path))
    assert json.dumps(plain(ours), sort_keys=True, default=str) == json.dumps(
        plain(expected), sort_keys=True, default=str)
