variable "name" {
  description = "Instance identifier and prefix of its groups."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (two zones at least, for Multi-AZ)."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups admitted on 5432: the fleet pods' and the read-only clients' (security groups for pods) and the bastion's. Nothing else reaches the database, no other pod of the cluster either."
  type        = list(string)
}

variable "database_name" {
  description = "Database holding the queue (and the warehouse schema, for a Postgres warehouse)."
  type        = string
  default     = "blockfleet"
}

variable "username" {
  description = "Master user: the owner of the queue's tables, used by the migration Job and roles.sql only."
  type        = string
  default     = "blockfleet"
}

variable "engine_version" {
  description = "PostgreSQL major version (BlockFleet needs 13 or later)."
  type        = string
  default     = "16"
}

variable "instance_class" {
  description = "Instance class; the queue is small but claim-heavy."
  type        = string
  default     = "db.m6g.large"
}

variable "allocated_storage_gb" {
  description = "Initial storage."
  type        = number
  default     = 100
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling."
  type        = number
  default     = 1000
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = 14
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and exported logs."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (turn off to destroy an example)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "ca_cert_identifier" {
  description = "The instance's server certificate authority (one of AWS's global bundle, which the image ships)."
  type        = string
  default     = "rds-ca-rsa2048-g1"
}

variable "ca_bundle_path" {
  description = "Where the image keeps AWS's RDS CA bundle: the URLs' sslrootcert (sslmode=verify-full)."
  type        = string
  default     = "/etc/blockfleet/ca/rds-global-bundle.pem"
}
