# Broken on purpose: the distribution cannot be deployed.
# The Terraform twin of examples/cloudformation/broken-viewer-and-edge.yaml.
#   PK301  the alias shop.example.com is not on the viewer certificate
#   PK401  the Lambda@Edge association names the unqualified function ARN, not a version
#   PK501  a cache behavior targets an origin Id that does not exist (Ids are case-sensitive)

resource "aws_acm_certificate" "viewer" {
  domain_name       = "www.example.com"
  validation_method = "DNS"
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
}

resource "aws_cloudfront_distribution" "app" {
  enabled = true
  aliases = ["www.example.com", "shop.example.com"] # shop.example.com is not on the certificate

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.viewer.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  origin {
    origin_id   = "web"
    domain_name = "origin.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "web"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6" # Managed-CachingOptimized
    lambda_function_association {
      event_type = "viewer-request"
      # the unqualified ARN: Lambda@Edge needs a numbered version (qualified_arn with publish = true)
      lambda_arn = aws_lambda_function.edge_auth.arn
    }
  }

  ordered_cache_behavior {
    path_pattern           = "/static/*"
    target_origin_id       = "Web" # no origin "Web" (the origin is "web")
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
}
