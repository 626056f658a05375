output "fleet_security_group_id" {
  description = "The fleet pods' group: the chart's podSecurityGroups.groupIds (with the cluster's); RDS and Redshift admit it."
  value       = aws_security_group.this["fleet"].id
}

output "readers_security_group_id" {
  description = "The read-only clients' group (KEDA's operator, Grafana): give it to their pods with a SecurityGroupPolicy."
  value       = aws_security_group.this["readers"].id
}
