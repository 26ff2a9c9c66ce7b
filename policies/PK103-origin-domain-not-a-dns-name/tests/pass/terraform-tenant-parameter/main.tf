# {{origin_domain}} in a multi-tenant distribution is a tenant parameter, not text no DNS name can hold.
resource "aws_acm_certificate" "globex" {
  domain_name       = "www.globex.com"
  validation_method = "DNS"
}

resource "aws_cloudfront_multitenant_distribution" "saas" {
  comment = "tenants"
  enabled = true
  origin {
    id          = "app"
    domain_name = "{{origin_domain}}"
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
      name = "origin_domain"
      definition {
        string_schema {
          required = true
        }
      }
    }
  }
}

resource "aws_cloudfront_distribution_tenant" "globex" {
  name            = "globex"
  distribution_id = aws_cloudfront_multitenant_distribution.saas.id
  domain {
    domain = "www.globex.com"
  }
  customizations {
    certificate {
      arn = aws_acm_certificate.globex.arn
    }
  }
}
