variable "name" {
  description = "Prefix of the role names."
  type        = string
}

variable "region" {
  description = "Region of the bucket and the parameters: KMS is used through S3 and SSM there only (kms:ViaService)."
  type        = string
}

variable "oidc_provider_arn" {
  description = "The EKS cluster's IRSA identity provider (eks module output)."
  type        = string
}

variable "oidc_issuer" {
  description = "Issuer URL without https:// (eks module output)."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the Helm release."
  type        = string
  default     = "blockfleet"
}

variable "worker_service_account" {
  description = "The chart's worker ServiceAccount (<release fullname>-worker)."
  type        = string
  default     = "blockfleet-worker"
}

variable "loader_service_account" {
  description = "The chart's loader ServiceAccount (<release fullname>-loader)."
  type        = string
  default     = "blockfleet-loader"
}

variable "secrets_service_account" {
  description = "The chart's External Secrets ServiceAccount (<release fullname>-secrets)."
  type        = string
  default     = "blockfleet-secrets"
}

variable "bucket_arn" {
  description = "The data-lake bucket."
  type        = string
}

variable "staging_prefix" {
  description = "Prefix the workers write and the loaders read."
  type        = string
}

variable "lake_prefix" {
  description = "Prefix of the Parquet lake the workers also write (BLOCKFLEET_LAKE_URL); empty: no lake, no access."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "KMS key of the bucket and the SSM parameters."
  type        = string
}

variable "ssm_parameter_arns" {
  description = "SSM parameters the External Secrets role may read (ssm module output)."
  type        = list(string)
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
