"""Lambda@Edge and CloudFront Functions: what a function returns, checked before CloudFront turns it into 502.

Runs become function results (policykit/model/function_runs.py), which the engine receives beside the model
and judges through policykit/facts/function_results.py. Nothing here is imported by a plain `policykit scan`:
only `policykit edge ...`, `scan --edge` and `policies test` of the PK7xx fixtures load it.
"""
