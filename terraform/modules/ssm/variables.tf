variable "path" {
  description = "Parameter path prefix, e.g. /blockfleet/example (no trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+[^/]$", var.path))
    error_message = "The path must start with / and not end with /."
  }
}

variable "database_url" {
  description = "BLOCKFLEET_DATABASE_URL (rds module output)."
  type        = string
  sensitive   = true
}

variable "warehouse_url" {
  description = "BLOCKFLEET_WAREHOUSE_URL (redshift module output); ignored unless store_warehouse_url."
  type        = string
  sensitive   = true
  default     = ""
}

variable "store_warehouse_url" {
  description = "Store warehouse_url (false: the warehouse is the queue database)."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "KMS key encrypting the SecureString parameters."
  type        = string
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
