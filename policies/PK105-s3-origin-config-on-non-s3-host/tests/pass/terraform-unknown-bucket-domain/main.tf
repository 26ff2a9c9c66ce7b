variable "bucket_domain" {
  type = string
}

data "aws_s3_bucket" "assets" {
  bucket = "assets"
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "var"
    domain_name = var.bucket_domain
    s3_origin_config {
      origin_access_identity = ""
    }
  }
  origin {
    origin_id   = "data"
    domain_name = data.aws_s3_bucket.assets.bucket_regional_domain_name
    s3_origin_config {
      origin_access_identity = ""
    }
  }
  default_cache_behavior {
    target_origin_id       = "var"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
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
