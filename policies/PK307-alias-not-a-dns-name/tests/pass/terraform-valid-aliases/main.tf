variable "env" {
  type = string
}

# Plain names, punycode, a wildcard, and a name from a variable without a value.
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  aliases = [
    "xn--bcher-kva.example.com",
    "*.example.com",
    "${var.env}.example.com",
  ]
  origin {
    origin_id   = "app"
    domain_name = "origin.example.com"
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
    acm_certificate_arn      = "arn:aws:acm:us-east-1:111122223333:certificate/abc"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
