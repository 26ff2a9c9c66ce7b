provider "aws" {
  region = "us-east-1"
}

resource "aws_lambda_function" "viewer" {
  function_name = "viewer"
  role          = "arn:aws:iam::111122223333:role/edge"
  handler       = "index.handler"
  filename      = "edge.zip"
  publish       = true
  runtime       = "nodejs20.x"
  memory_size   = 128
  timeout       = 5
}

resource "aws_lambda_function" "origin" {
  function_name = "origin"
  role          = "arn:aws:iam::111122223333:role/edge"
  handler       = "index.handler"
  filename      = "edge.zip"
  publish       = true
  runtime       = "nodejs20.x"
  memory_size   = 10240
  timeout       = 30
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
      lambda_arn = aws_lambda_function.viewer.qualified_arn
    }
    lambda_function_association {
      event_type = "origin-request"
      lambda_arn = aws_lambda_function.origin.qualified_arn
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
