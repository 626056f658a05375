variable "name" {
  description = "The cluster's name, and the prefix of its roles and groups."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (scripts/check-deploy validates the chart against this version's schemas)."
  type        = string
  default     = "1.33"
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the control plane's interfaces and the nodes."
  type        = list(string)
}

variable "endpoint_public_access_cidrs" {
  description = "Addresses that may reach the API server from the internet; empty keeps the endpoint private (reach it from the bastion or a VPN)."
  type        = list(string)
  default     = []
}

variable "admin_principal_arns" {
  description = "IAM roles or users given cluster-admin through EKS access entries."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "KMS key for Kubernetes Secrets envelope encryption and the control-plane log group."
  type        = string
}

variable "node_instance_types" {
  description = "Instance types of the managed node group (workers are CPU-bound: compute-optimised)."
  type        = list(string)
  default     = ["c6i.2xlarge"]
}

variable "node_min_size" {
  description = "Fewest nodes."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
  default     = 20
}

variable "node_desired_size" {
  description = "Nodes at creation; afterwards the CPU target-tracking policy decides."
  type        = number
  default     = 3
}

variable "node_cpu_target_percent" {
  description = "Average CPU of the node group that the autoscaling policy keeps (like the seed system's 70%)."
  type        = number
  default     = 70
}

variable "node_disk_size_gb" {
  description = "Root volume per node (container images and the workers' scratch emptyDirs)."
  type        = number
  default     = 100
}

variable "log_retention_days" {
  description = "How long control-plane logs are kept."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
