resource "aws_s3_bucket" "assets" {
  bucket = "assets"
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "assets"
    domain_name = aws_s3_bucket.assets.bucket_regional_domain_name
    s3_origin_config {
      origin_access_identity = ""
    }
  }
  origin {
    origin_id   = "legacy"
    domain_name = "assets.s3.amazonaws.com"
    s3_origin_config {
      origin_access_identity = ""
    }
  }
  default_cache_behavior {
    target_origin_id       = "assets"
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
