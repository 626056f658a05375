variable "region" {
  description = "AWS region of everything (and the chart's config.awsRegion)."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name: part of every resource name and of the SSM path /blockfleet/<environment>."
  type        = string
  default     = "example"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "Lower-case letters, digits and dashes, 2 to 21 characters."
  }
}

variable "availability_zones" {
  description = "Zones for the subnets (two or three)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "vpc_cidr" {
  description = "The VPC's address range."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone (cheaper, less available)."
  type        = bool
  default     = false
}

variable "kubernetes_version" {
  description = "EKS version (scripts/check-deploy validates the chart against this version's schemas)."
  type        = string
  default     = "1.33"
}

variable "cluster_admin_arns" {
  description = "IAM roles or users that administer the cluster (EKS access entries)."
  type        = list(string)
  default     = []
}

variable "api_public_access_cidrs" {
  description = "Addresses allowed to the EKS API from the internet; empty keeps it private (use the bastion)."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the EKS node group."
  type        = list(string)
  default     = ["c6i.2xlarge"]
}

variable "node_min_size" {
  description = "Fewest EKS nodes."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Most EKS nodes."
  type        = number
  default     = 20
}

variable "data_bucket_name" {
  description = "Name of the data-lake bucket (globally unique); empty means blockfleet-<environment>-<account id>."
  type        = string
  default     = ""
}

variable "staging_prefix" {
  description = "Prefix the workers stage under."
  type        = string
  default     = "staging"
}

variable "lake_prefix" {
  description = "Prefix of the Parquet lake (BLOCKFLEET_LAKE_URL) in the data bucket; never expired."
  type        = string
  default     = "lake"
}

variable "lake_transitions" {
  description = "Storage classes the lake moves to as it ages (STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR; see the s3 module)."
  type = list(object({
    days          = number
    storage_class = string
  }))
  default = [{ days = 30, storage_class = "INTELLIGENT_TIERING" }]
}

variable "lake_database_name" {
  description = "Glue database of the lake's tables (Athena; Spectrum's external schema)."
  type        = string
  default     = "blockfleet_lake"
}

variable "db_instance_class" {
  description = "RDS instance class of the queue database."
  type        = string
  default     = "db.m6g.large"
}

variable "redshift_enabled" {
  description = "Create the Redshift warehouse (false: load into the queue's PostgreSQL, schema ethereum)."
  type        = bool
  default     = true
}

variable "redshift_node_type" {
  description = "Redshift node type."
  type        = string
  default     = "ra3.xlplus"
}

variable "redshift_nodes" {
  description = "Redshift nodes."
  type        = number
  default     = 2
}

variable "namespace" {
  description = "Kubernetes namespace the chart is installed in (the IRSA trust names it)."
  type        = string
  default     = "blockfleet"
}

variable "release_name" {
  description = "Helm release name; with the chart's default names the ServiceAccounts are <release>-worker, -loader and -secrets."
  type        = string
  default     = "blockfleet"
}

variable "deletion_protection" {
  description = "Protect the queue database from deletion (turn off only to destroy a test environment)."
  type        = bool
  default     = true
}

variable "rpc_urls_in_ssm" {
  description = "Make the SSM parameter rpc-urls for the nodes' URLs (set its value with aws ssm put-parameter; false when the chart runs geth)."
  type        = bool
  default     = true
}

variable "rpc_cidrs" {
  description = "Addresses of the JSON-RPC nodes outside the cluster (the chart's networkPolicy.rpcCidrs; required unless the chart runs geth)."
  type        = list(string)
  default     = []
}
