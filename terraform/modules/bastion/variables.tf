variable "name" {
  description = "Prefix of every resource's name."
  type        = string
}

variable "vpc_id" {
  description = "VPC to run in."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet for the instance (it gets no public address; SSM Session Manager reaches it)."
  type        = string
}

variable "instance_type" {
  description = "Instance type; psql and port forwarding need little."
  type        = string
  default     = "t3.micro"
}

variable "ami_ssm_parameter" {
  description = "Public SSM parameter naming the AMI (Amazon Linux 2023 ships the SSM agent)."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the root volume."
  type        = string
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
