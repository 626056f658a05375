variable "name" {
  description = "Prefix of the Spectrum role's name."
  type        = string
}

variable "region" {
  description = "Region of the bucket and the Glue catalog (kms:ViaService and the Glue ARNs)."
  type        = string
}

variable "database_name" {
  description = "Glue database of the lake's tables (Athena's database, Spectrum's external schema reads it): lower case, digits, '_'."
  type        = string
  default     = "blockfleet_lake"
  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]*$", var.database_name))
    error_message = "database_name: lower-case letters, digits and '_', as Glue and `coordinator lake ddl --database` accept."
  }
}

variable "bucket_name" {
  description = "The data-lake bucket (s3 module output)."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the data-lake bucket (s3 module output)."
  type        = string
}

variable "lake_prefix" {
  description = "Prefix of the Parquet lake in the bucket (s3 module output)."
  type        = string
}

variable "projection_range_start" {
  description = "First day (YYYY-MM-DD) of block_date's partition projection; null keeps tables.json's (mainnet genesis, 2015-07-30). Later days cost Athena nothing to skip, so this only matters for other chains."
  type        = string
  default     = null
}

variable "create_spectrum_role" {
  description = "Create the IAM role Redshift Spectrum's external schema uses (with a Redshift cluster)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key of the bucket (the Spectrum role decrypts through S3 only)."
  type        = string
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
