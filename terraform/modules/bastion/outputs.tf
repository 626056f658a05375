output "instance_id" {
  description = "For `aws ssm start-session --target <id>`."
  value       = aws_instance.this.id
}

output "security_group_id" {
  description = "The databases admit this group."
  value       = aws_security_group.this.id
}
