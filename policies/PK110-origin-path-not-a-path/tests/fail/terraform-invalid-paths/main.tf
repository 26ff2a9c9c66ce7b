# OriginPath values CloudFront refuses: no leading '/', a trailing '/', a line break, non-ASCII.
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "relative"
    domain_name = "a.example.com"
    origin_path = "v1" # expect: PK110
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "trailing"
    domain_name = "b.example.com"
    origin_path = "/v1/" # expect: PK110
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "injected"
    domain_name = "d.example.com"
    origin_path = "/app\r\nX-Injected: yes" # expect: PK110
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "accented"
    domain_name = "e.example.com"
    origin_path = "/café" # expect: PK110
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "relative"
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
