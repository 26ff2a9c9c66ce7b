aliases             = ["www.example.com"]
acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555"

origins = {
  api = {
    domain_name = "api.example.com"
    origin_path = "/v1"
    custom_origin_config = {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 60
    }
  }
  legacy = {
    origin_id   = "legacy-app"
    domain_name = "legacy.example.com"
    custom_origin_config = {
      http_port              = 8080
      https_port             = 8443
      origin_protocol_policy = "match-viewer"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
}

ordered_cache_behaviors = [
  {
    path_pattern     = "/api/*"
    target_origin_id = "api"
    allowed_methods  = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
  },
  {
    path_pattern     = "/legacy/*"
    target_origin_id = "legacy-app"
  },
]
