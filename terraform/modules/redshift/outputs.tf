output "endpoint" {
  description = "Host name of the cluster."
  value       = aws_redshift_cluster.this.dns_name
}

output "warehouse_url" {
  description = "BLOCKFLEET_WAREHOUSE_URL (stored in SSM by the ssm module, never printed)."
  value       = "redshift://${var.username}:${random_password.master.result}@${aws_redshift_cluster.this.dns_name}:5439/${var.database_name}"
  sensitive   = true
}

output "copy_role_arn" {
  description = "BLOCKFLEET_REDSHIFT_IAM_ROLE: the role COPY assumes to read the staged files."
  value       = aws_iam_role.copy.arn
}

output "security_group_id" {
  description = "The cluster's security group."
  value       = aws_security_group.this.id
}
