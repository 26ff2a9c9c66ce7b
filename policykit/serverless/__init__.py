"""Serverless Framework services read as the CloudFormation template they deploy (policykit/serverless/service.py)."""
