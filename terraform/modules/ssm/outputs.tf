output "parameter_names" {
  description = "Parameter names by key (database-url, keda-connection, warehouse-url): the chart's externalSecrets.parameters."
  value       = { for k, p in aws_ssm_parameter.this : k => p.name }
}

output "parameter_arns" {
  description = "ARNs, for the External Secrets role's policy."
  value       = [for p in aws_ssm_parameter.this : p.arn]
}
