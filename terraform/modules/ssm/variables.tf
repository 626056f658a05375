variable "path" {
  description = "Parameter path prefix, e.g. /blockfleet/example (no trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+[^/]$", var.path))
    error_message = "The path must start with / and not end with /."
  }
}

variable "migration_database_url" {
  description = "The owner's URL, for the migration Job only (rds module output migration_database_url)."
  type        = string
  sensitive   = true
}

variable "database_url" {
  description = "BLOCKFLEET_DATABASE_URL: the queue role's login (rds module output)."
  type        = string
  sensitive   = true
}

variable "readonly_database_url" {
  description = "The read-only login's URL, for KEDA and Grafana (rds module output)."
  type        = string
  sensitive   = true
}

variable "warehouse_url" {
  description = "BLOCKFLEET_WAREHOUSE_URL: the loader role's login (redshift module, or the rds module's loader_database_url)."
  type        = string
  sensitive   = true
}

variable "model_warehouse_url" {
  description = "BLOCKFLEET_MODEL_WAREHOUSE_URL: the model role's login (redshift module, or the rds module's model_database_url)."
  type        = string
  sensitive   = true
}

variable "warehouse_reader_password" {
  description = "grafana_reader's password on the warehouse, for Grafana's datasource."
  type        = string
  sensitive   = true
}

variable "create_rpc_urls" {
  description = "Make the rpc-urls parameter (its value is set outside Terraform); false when the chart runs geth."
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
