resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "primary"
    domain_name = "a.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "secondary"
    domain_name = "b.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin_group {
    origin_id = "one-member"
    failover_criteria {
      status_codes = [429]
    }
    member {  # expect: PK502
      origin_id = "primary"
    }
  }
  origin_group {
    origin_id = "writable"
    failover_criteria {
      status_codes = [503]
    }
    member {  # expect: PK502
      origin_id = "primary"
    }
    member {
      origin_id = "tertiary"
    }
  }
  default_cache_behavior {
    target_origin_id       = "writable"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
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
