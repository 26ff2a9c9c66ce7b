resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "site"
    domain_name = "www.example.com.s3-website-eu-west-1.amazonaws.com"
    s3_origin_config {  # expect: PK105
      origin_access_identity = ""
    }
  }
  origin {
    origin_id   = "app"
    domain_name = "app.example.com"
    s3_origin_config {  # expect: PK105
      origin_access_identity = ""
    }
  }
  default_cache_behavior {
    target_origin_id       = "site"
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
