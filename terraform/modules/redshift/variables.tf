variable "name" {
  description = "Cluster identifier and prefix of its groups and role."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups admitted on 5439: the fleet pods' (loaders, the model stage), the read-only clients' (Grafana) and the bastion's."
  type        = list(string)
}

variable "database_name" {
  description = "Warehouse database."
  type        = string
  default     = "ethereum"
}

variable "username" {
  description = "Master user: roles.sql only (loaders and the model stage have their own users)."
  type        = string
  default     = "blockfleet"
}

variable "node_type" {
  description = "Node type."
  type        = string
  default     = "ra3.xlplus"
}

variable "number_of_nodes" {
  description = "Nodes (2 or more makes a multi-node cluster)."
  type        = number
  default     = 2
}

variable "staging_bucket_arn" {
  description = "Bucket that COPY reads staged files from."
  type        = string
}

variable "staging_prefix" {
  description = "Prefix of the staged files inside the bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the cluster, and the one the staged files are encrypted with (COPY decrypts them)."
  type        = string
}

variable "snapshot_retention_days" {
  description = "Days of automated snapshots."
  type        = number
  default     = 7
}

variable "log_retention_days" {
  description = "How long audit logs are kept in CloudWatch."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "Region of the cluster and the staging bucket (the COPY role decrypts through S3 there only)."
  type        = string
}

variable "ca_bundle_path" {
  description = "Where the image keeps the Redshift CA bundle: the URLs' sslrootcert (sslmode=verify-full)."
  type        = string
  default     = "/etc/blockfleet/ca/redshift-ca-bundle.crt"
}

variable "additional_iam_role_arns" {
  description = "More IAM roles the cluster may assume, e.g. the lake-catalog module's Redshift Spectrum role."
  type        = list(string)
  default     = []
}

variable "lake_prefix" {
  description = "Prefix of the Parquet lake in the staging bucket that COPY may read (BLOCKFLEET_REDSHIFT_COPY_FROM=lake); empty: none."
  type        = string
  default     = ""
}
