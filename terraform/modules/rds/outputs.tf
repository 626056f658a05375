output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the instance."
  value       = aws_db_instance.this.port
}

output "database_url" {
  description = "BLOCKFLEET_DATABASE_URL (stored in SSM by the ssm module, never printed)."
  value       = "postgres://${var.username}:${random_password.master.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?sslmode=require"
  sensitive   = true
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.this.id
}
