"""Declarative policies: load, validate, and evaluate them over the model."""
