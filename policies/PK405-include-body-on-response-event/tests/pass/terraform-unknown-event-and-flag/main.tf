variable "event_type" {
  type = string
}

# Untyped and without a default: its value is unknown (a `bool` would be both values, each a scenario).
variable "include_body" {}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
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
    lambda_function_association {
      event_type = var.event_type
      lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:edge:1"
      include_body = true
    }
    lambda_function_association {
      event_type = "origin-response"
      lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:edge:1"
      include_body = var.include_body
    }
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
