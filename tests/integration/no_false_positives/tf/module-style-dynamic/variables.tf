variable "aliases" {
  description = "Extra CNAMEs"
  type        = list(string)
  default     = []
}

variable "acm_certificate_arn" {
  type    = string
  default = null
}

variable "origins" {
  description = "terraform-aws-modules/cloudfront style map of origins (no default: given by the caller)"
  type        = any
}

variable "custom_headers" {
  type = map(string)
  default = {
    "X-Origin-Verify" = "secret"
  }
}

variable "ordered_cache_behaviors" {
  type    = any
  default = []
}

variable "price_class" {
  type    = string
  default = null
}
