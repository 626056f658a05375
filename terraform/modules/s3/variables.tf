variable "bucket_name" {
  description = "The data-lake bucket (staged CSV files under staging_prefix)."
  type        = string
}

variable "staging_prefix" {
  description = "Prefix the workers stage under (BLOCKFLEET_STAGING_URL = s3://bucket/prefix)."
  type        = string
  default     = "staging"
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS on both buckets."
  type        = string
}

variable "staging_expiration_days" {
  description = "Staged files are deleted after this many days (they are loaded within minutes; keep some for re-loads)."
  type        = number
  default     = 30
}

variable "noncurrent_expiration_days" {
  description = "Overwritten versions (a retried export's earlier attempt) are deleted after this many days."
  type        = number
  default     = 7
}

variable "archive_transition_days" {
  description = "Objects outside the staging prefix move to Glacier Instant Retrieval after this many days."
  type        = number
  default     = 90
}

variable "log_retention_days" {
  description = "How long access logs are kept."
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete non-empty buckets (examples and tests only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
