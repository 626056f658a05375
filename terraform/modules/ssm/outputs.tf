output "parameter_names" {
  description = "Parameter names by Secret key (migration-database-url, database-url, readonly-database-url, warehouse-url, model-warehouse-url, warehouse-reader-password, rpc-urls): the chart's externalSecrets.parameters."
  value       = merge({ for k, p in aws_ssm_parameter.this : k => p.name }, { for p in aws_ssm_parameter.rpc_urls : "rpc-urls" => p.name })
}

output "parameter_arns" {
  description = "ARNs of what the chart's External Secrets copy, for their role's policy (not Grafana's warehouse-reader-password)."
  value       = concat([for k, p in aws_ssm_parameter.this : p.arn if k != "warehouse-reader-password"], [for p in aws_ssm_parameter.rpc_urls : p.arn])
}

output "warehouse_reader_password_arn" {
  description = "ARN of grafana_reader's warehouse password, for Grafana's own secret store."
  value       = aws_ssm_parameter.this["warehouse-reader-password"].arn
}
