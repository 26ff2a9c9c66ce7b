"""CloudFormation: intrinsic functions, conditions, and mapping to the model."""
