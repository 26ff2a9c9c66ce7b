# The certificate was fixed for www, not for ws: Host is forwarded, so CloudFront checks each alias.
resource "aws_acm_certificate" "origin" {
  domain_name               = "www.example.com"
  validation_method         = "DNS"
}

resource "aws_acm_certificate" "viewer" {
  domain_name               = "www.example.com"
  subject_alternative_names = ["ws.example.com"]
  validation_method         = "DNS"
}

resource "aws_lb" "app" {
  subnets = ["subnet-1", "subnet-2"]
}

resource "aws_lb_listener" "app" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.origin.arn
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  aliases = [
    "www.example.com",
    "ws.example.com",  # expect: PK202
  ]
  origin {
    origin_id   = "app"
    domain_name = aws_lb.app.dns_name
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
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3"
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.viewer.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
