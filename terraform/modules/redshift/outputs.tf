output "endpoint" {
  description = "Host name of the cluster."
  value       = aws_redshift_cluster.this.dns_name
}

output "warehouse_url" {
  description = "BLOCKFLEET_WAREHOUSE_URL: the loader's login (stored in SSM by the ssm module, never printed)."
  value       = "redshift://${local.logins.loader}:${random_password.login["loader"].result}@${aws_redshift_cluster.this.dns_name}:5439/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "model_warehouse_url" {
  description = "BLOCKFLEET_MODEL_WAREHOUSE_URL: the model stage's login (reads the loaded tables, writes its own)."
  value       = "redshift://${local.logins.model}:${random_password.login["model"].result}@${aws_redshift_cluster.this.dns_name}:5439/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "reader_password" {
  description = "grafana_reader's password on the cluster (Grafana's warehouse datasource)."
  value       = random_password.login["reader"].result
  sensitive   = true
}

output "roles_env" {
  description = "Shell exports for applying roles.sql with psql (the master URL and the users' passwords)."
  value       = <<-EOT
    export BLOCKFLEET_REDSHIFT_MASTER_URL='postgres://${var.username}:${random_password.master.result}@${aws_redshift_cluster.this.dns_name}:5439/${var.database_name}?${local.tls}'
    export BLOCKFLEET_WAREHOUSE_LOADER_PASSWORD='${random_password.login["loader"].result}'
    export BLOCKFLEET_WAREHOUSE_MODEL_PASSWORD='${random_password.login["model"].result}'
    export BLOCKFLEET_WAREHOUSE_READER_PASSWORD='${random_password.login["reader"].result}'
  EOT
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
