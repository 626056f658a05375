output "parameter_names" {
  description = "Parameter names by Secret key (migration-database-url, database-url, readonly-database-url, warehouse-url, model-warehouse-url, warehouse-reader-password, rpc-urls): the chart's externalSecrets.parameters."
  value       = merge({ for k, p in aws_ssm_parameter.this : k => p.name }, { for p in aws_ssm_parameter.rpc_urls : "rpc-urls" => p.name })
}

output "parameter_arns" {
  description = "ARNs, for the External Secrets role's policy."
  value       = concat([for p in aws_ssm_parameter.this : p.arn], [for p in aws_ssm_parameter.rpc_urls : p.arn])
}
