output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the instance."
  value       = aws_db_instance.this.port
}

output "migration_database_url" {
  description = "The master login, for the migration Job (and roles.sql) only (stored in SSM, never printed)."
  value       = "postgres://${var.username}:${random_password.master.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "database_url" {
  description = "BLOCKFLEET_DATABASE_URL: the queue role's login, for coordinator, workers and loaders (stored in SSM)."
  value       = "postgres://${local.logins.queue}:${random_password.login["queue"].result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "loader_database_url" {
  description = "BLOCKFLEET_WAREHOUSE_URL of a Postgres warehouse: the loader role's login."
  value       = "postgres://${local.logins.loader}:${random_password.login["loader"].result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "model_database_url" {
  description = "BLOCKFLEET_MODEL_WAREHOUSE_URL of a Postgres warehouse: the model role's login (no queue access)."
  value       = "postgres://${local.logins.model}:${random_password.login["model"].result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "readonly_database_url" {
  description = "The read-only grafana_reader login, for KEDA's trigger and Grafana."
  value       = "postgres://${local.logins.reader}:${random_password.login["reader"].result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?${local.tls}"
  sensitive   = true
}

output "reader_password" {
  description = "grafana_reader's password (Grafana's datasource of a Postgres warehouse)."
  value       = random_password.login["reader"].result
  sensitive   = true
}

output "roles_env" {
  description = "Shell exports for applying roles.sql with psql (the master URL and the logins' passwords)."
  value       = <<-EOT
    export BLOCKFLEET_RDS_MASTER_URL='postgres://${var.username}:${random_password.master.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?${local.tls}'
    export BLOCKFLEET_QUEUE_PASSWORD='${random_password.login["queue"].result}'
    export BLOCKFLEET_LOADER_PASSWORD='${random_password.login["loader"].result}'
    export BLOCKFLEET_MODEL_PASSWORD='${random_password.login["model"].result}'
    export BLOCKFLEET_READER_PASSWORD='${random_password.login["reader"].result}'
  EOT
  sensitive   = true
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.this.id
}
