"""Lambda@Edge and CloudFront Functions: what a function returns, checked before CloudFront turns it into 502.

Nothing here is imported by a plain `policykit scan`: only `policykit edge ...`, `scan --edge`
and the engine's lookup of an edge object's facts load it.
"""
