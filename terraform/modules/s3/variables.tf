variable "bucket_name" {
  description = "The data-lake bucket (staged CSV files under staging_prefix, the Parquet lake under lake_prefix)."
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

variable "lake_prefix" {
  description = "Prefix of the Parquet lake (BLOCKFLEET_LAKE_URL = s3://bucket/prefix). Never expired; moved through lake_transitions."
  type        = string
  default     = "lake"
  validation {
    condition     = trim(var.lake_prefix, "/") != "" && trim(var.lake_prefix, "/") != trim(var.staging_prefix, "/")
    error_message = "lake_prefix must be a prefix of its own, not empty and not the staging prefix (staged files expire)."
  }
}

variable "lake_transitions" {
  description = <<-EOT
    Storage classes the lake's objects move to as they age, in order (S3's waterfall: STANDARD_IA,
    then INTELLIGENT_TIERING, then GLACIER_IR). The default lets S3 Intelligent-Tiering move cold
    partitions itself after 30 days and keeps them queryable at once (Athena, Spectrum and DuckDB
    read all three classes without a restore). Empty: stay in STANDARD.
  EOT
  type = list(object({
    days          = number
    storage_class = string
  }))
  default = [{ days = 30, storage_class = "INTELLIGENT_TIERING" }]
  validation {
    condition     = alltrue([for t in var.lake_transitions : contains(["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"], t.storage_class)])
    error_message = "lake_transitions: storage_class must be STANDARD_IA, INTELLIGENT_TIERING or GLACIER_IR (classes a query reads without a restore)."
  }
  validation {
    condition     = alltrue([for t in var.lake_transitions : t.storage_class != "STANDARD_IA" || t.days >= 30])
    error_message = "lake_transitions: S3 moves objects to STANDARD_IA after 30 days at the earliest."
  }
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
