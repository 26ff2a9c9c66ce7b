# A VPC origin's timeouts are 1-120 s (VpcOriginConfig).
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "app"
    domain_name = "internal-app-123.us-east-1.elb.amazonaws.com"
    vpc_origin_config {
      vpc_origin_id            = "vo_0123456789abcdef"
      origin_read_timeout      = 150  # expect: PK109
      origin_keepalive_timeout = 130  # expect: PK109
    }
  }
  origin {
    origin_id   = "api"
    domain_name = "internal-api-123.us-east-1.elb.amazonaws.com"
    vpc_origin_config {
      vpc_origin_id            = "vo_fedcba9876543210"
      origin_read_timeout      = 100
      origin_keepalive_timeout = 90
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
