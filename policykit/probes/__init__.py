"""`policykit scan --live`: probe each declared origin the way CloudFront would.

Probes only gather: typed, frozen results (policykit/core/results.py) held by live objects
(policykit/model/live.py), which the engine receives beside the model; policies in policies/PK6xx-*.yaml judge
them through the facts in policykit/facts/live.py. Nothing here is imported on the static scan path.
"""
