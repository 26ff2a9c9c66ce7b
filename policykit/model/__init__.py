"""The normalized CloudFront model, independent of the input format."""
