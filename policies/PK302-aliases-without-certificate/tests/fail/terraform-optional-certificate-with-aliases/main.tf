# The certificate is optional (`var.certificate_arn == ""` picks the default certificate), but the
# aliases are not: a deploy with certificate_arn = "" is rejected. The finding names that scenario.
variable "certificate_arn" {
  type = string
}

resource "aws_cloudfront_distribution" "maybe_cert" {
  enabled = true
  aliases = ["www.example.com"]  # expect: PK302
  origin {
    origin_id   = "app"
    domain_name = "app.example.com"
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
    acm_certificate_arn            = var.certificate_arn == "" ? null : var.certificate_arn
    cloudfront_default_certificate = var.certificate_arn == ""
    ssl_support_method             = "sni-only"
  }
}
