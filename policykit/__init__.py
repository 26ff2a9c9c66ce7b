"""policykit: stop CloudFront 502 Bad Gateway before it ships."""

__version__ = "0.1.0"
