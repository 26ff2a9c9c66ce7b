"""Load input files into nodes that remember where every value came from."""
