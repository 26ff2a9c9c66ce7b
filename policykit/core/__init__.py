"""The bottom layer: plain values, rules and data every other part may use; it imports nothing above it."""
