"""policykit: stop CloudFront 502 Bad Gateway before it ships."""

__version__ = "0.1.0"  # the release convention: RELEASING.md (pyproject.toml has the same)
