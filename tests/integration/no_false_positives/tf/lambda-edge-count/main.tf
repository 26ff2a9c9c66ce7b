# Lambda@Edge with publish = true referenced by qualified_arn, a count-guarded certificate and
# function association, an API Gateway origin with AllViewerExceptHostHeader, a managed policy
# looked up by name.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

variable "domain" {
  type    = string
  default = ""
}

variable "enable_auth" {
  type    = bool
  default = true
}

locals {
  has_domain = var.domain != ""
  api_domain = "${aws_apigatewayv2_api.api.id}.execute-api.eu-west-1.amazonaws.com"
}

resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}

resource "aws_lambda_function" "auth" {
  count         = var.enable_auth ? 1 : 0
  provider      = aws.us_east_1
  function_name = "auth-at-edge"
  role          = "arn:aws:iam::111122223333:role/edge"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "auth.zip"
  memory_size   = 128
  timeout       = 5
  publish       = true
}

resource "aws_acm_certificate" "viewer" {
  count                     = local.has_domain ? 1 : 0
  provider                  = aws.us_east_1
  domain_name               = var.domain
  subject_alternative_names = ["*.${var.domain}"]
  validation_method         = "DNS"
}

resource "aws_cloudfront_function" "rewrite" {
  name    = "rewrite"
  runtime = "cloudfront-js-2.0"
  publish = true
  code    = "function handler(event) { return event.request; }"
}

data "aws_cloudfront_origin_request_policy" "except_host" {
  name = "Managed-AllViewerExceptHostHeader"
}

resource "aws_cloudfront_distribution" "api" {
  enabled = true
  aliases = local.has_domain ? ["api.${var.domain}"] : []

  origin {
    origin_id   = "api"
    domain_name = local.api_domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id         = "api"
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    origin_request_policy_id = data.aws_cloudfront_origin_request_policy.except_host.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.rewrite.arn
    }

    dynamic "lambda_function_association" {
      for_each = var.enable_auth ? [1] : []
      content {
        event_type = "origin-request"
        lambda_arn = aws_lambda_function.auth[0].qualified_arn
      }
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn            = local.has_domain ? aws_acm_certificate.viewer[0].arn : null
    cloudfront_default_certificate = !local.has_domain
    ssl_support_method             = local.has_domain ? "sni-only" : null
    minimum_protocol_version       = local.has_domain ? "TLSv1.2_2021" : "TLSv1"
  }
}
