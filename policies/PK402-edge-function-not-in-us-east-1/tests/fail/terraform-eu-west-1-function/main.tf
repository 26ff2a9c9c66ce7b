data "aws_caller_identity" "current" {}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}

resource "aws_lambda_function" "headers" {
  provider      = aws.eu
  function_name = "headers"
  role          = "arn:aws:iam::111122223333:role/edge"
  handler       = "index.handler"
  filename      = "edge.zip"
  publish       = true
  runtime       = "nodejs20.x"
}

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
      event_type = "viewer-request"
      lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:edge-auth:3"  # expect: PK402
    }
    lambda_function_association {
      event_type = "origin-request"
      lambda_arn = "arn:aws:lambda:ap-south-1:${data.aws_caller_identity.current.account_id}:function:rewrite:7"  # expect: PK402
    }
    lambda_function_association {
      event_type = "origin-response"
      lambda_arn = aws_lambda_function.headers.qualified_arn  # expect: PK402
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
