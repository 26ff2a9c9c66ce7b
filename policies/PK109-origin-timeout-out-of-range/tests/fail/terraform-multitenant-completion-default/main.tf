# aws_cloudfront_multitenant_distribution sends response_completion_timeout = 30 when it is not written: below
# this origin's 60 s read timeout, so CloudFront rejects the distribution.
resource "aws_cloudfront_multitenant_distribution" "saas" {
  comment = "tenants"
  enabled = true
  origin {  # expect: PK109
    id          = "app"
    domain_name = "app.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 60
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    allowed_methods {
      items          = ["GET", "HEAD"]
      cached_methods = ["GET", "HEAD"]
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
  tenant_config {
    parameter_definition {
      name = "unused"
      definition {
        string_schema {
          required = false
        }
      }
    }
  }
}
