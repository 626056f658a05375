variable "name" {
  description = "Prefix of the group names."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster and the databases."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's address range (where the databases are)."
  type        = string
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
