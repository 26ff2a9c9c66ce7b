"""The distribution's name and repository, for `--version` and SARIF `informationUri`.

The repository URL is set in one place, `[project.urls] Repository` in pyproject.toml (the
maintainer sets it when publishing); at run time it is read from the installed metadata.
"""

from __future__ import annotations

import functools

# On the package index: the name `policykit` belongs to an unrelated project (see the README).
DISTRIBUTION = "cloudfront-policykit"


@functools.lru_cache(maxsize=1)
def repository_url() -> str:
    """The Repository (or Homepage) URL of the installed distribution; "" when not installed."""
    from importlib import metadata

    try:
        urls = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return ""
    by_label = {label.strip().lower(): url.strip() for label, _, url in (u.partition(",") for u in urls)}
    return by_label.get("repository") or by_label.get("homepage") or ""
