# A distribution that passes every policy: the Terraform twin of examples/cloudformation/correct.yaml.
#   - S3 website endpoint reached with http-only (PK101)
#   - the ALB origin is reached by a name we own, covered by the listener certificate (PK201)
#   - every alias is on the viewer certificate (PK301)
#   - Lambda@Edge names a published version: qualified_arn with publish = true (PK401)
#   - every behavior targets an existing origin (PK501)

variable "origin_domain" {
  description = "A Route 53 alias to the load balancer, covered by its listener certificate"
  type        = string
  default     = "origin.example.com"
}

resource "aws_s3_bucket" "site" {
  bucket_prefix = "site-"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_acm_certificate" "viewer" {
  domain_name               = "www.example.com"
  subject_alternative_names = ["shop.example.com"]
  validation_method         = "DNS"
}

resource "aws_iam_role" "edge_auth" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "edge_auth" {
  function_name = "edge-auth"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  role          = aws_iam_role.edge_auth.arn
  filename      = "edge-auth.zip"
  publish       = true
}

resource "aws_cloudfront_distribution" "app" {
  enabled = true
  aliases = ["www.example.com", "shop.example.com"]

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.viewer.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  origin {
    origin_id   = "site"
    domain_name = aws_s3_bucket_website_configuration.site.website_endpoint
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "http-only" # the only protocol S3 website endpoints speak
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id   = "api"
    domain_name = var.origin_domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6" # Managed-CachingOptimized
    lambda_function_association {
      event_type = "viewer-request"
      lambda_arn = aws_lambda_function.edge_auth.qualified_arn # a numbered version
    }
  }

  ordered_cache_behavior {
    path_pattern             = "/api/*"
    target_origin_id         = "api"
    viewer_protocol_policy   = "https-only"
    allowed_methods          = ["GET", "HEAD"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
    origin_request_policy_id = "b689b0a8-53d0-40ab-baf2-68738e2966ac" # Managed-AllViewerExceptHostHeader
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
}
