# A quote or a space left over from copy-paste: no DNS name holds them.
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "bucket"
    domain_name = "www.example.com.s3.amazonaws.com\""  # expect: PK103
    s3_origin_config {
      origin_access_identity = ""
    }
  }
  origin {
    origin_id   = "app"
    domain_name = "app.example .com"  # expect: PK103
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
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
