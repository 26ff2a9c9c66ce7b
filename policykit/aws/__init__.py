"""Reading deployed distributions straight from AWS (`aws:cloudfront`, `aws:cloudfront/ID`), and the saved
directories such a read writes (`--save DIR`).

What a read produces is what the deployed-JSON reader understands (the `get-distribution` output, read into the
model by policykit/cfn/deployed.py) plus the resources behind each distribution in the model's terms: viewer and
listener certificates, origin load balancers with their listeners and security groups, VPC origins, custom cache
and origin request policies, Lambda@Edge functions and CloudFront Functions.

boto3 is imported by policykit/aws/live.py only, when an `aws:` input is read; a saved directory is read
without it and without any network.
"""
