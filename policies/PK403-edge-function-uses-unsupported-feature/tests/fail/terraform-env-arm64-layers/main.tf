provider "aws" {
  region = "us-east-1"
}

resource "aws_lambda_function" "edge" {
  function_name = "edge"
  role          = "arn:aws:iam::111122223333:role/edge"
  handler       = "index.handler"
  filename      = "edge.zip"
  publish       = true
  runtime       = "java21"  # expect: PK403
  architectures = ["arm64"]  # expect: PK403
  layers        = ["arn:aws:lambda:us-east-1:111122223333:layer:deps:1"]  # expect: PK403
  environment {  # expect: PK403
    variables = {
      STAGE = "prod"
    }
  }
  vpc_config {  # expect: PK403
    subnet_ids         = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }
  dead_letter_config {  # expect: PK403
    target_arn = "arn:aws:sqs:us-east-1:111122223333:dlq"
  }
  ephemeral_storage {  # expect: PK403
    size = 1024
  }
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
      event_type = "origin-request"
      lambda_arn = aws_lambda_function.edge.qualified_arn
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
