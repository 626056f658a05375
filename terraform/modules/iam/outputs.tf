output "worker_role_arn" {
  description = "IRSA role of the export workers (the chart's worker.serviceAccount.roleArn)."
  value       = aws_iam_role.this["worker"].arn
}

output "loader_role_arn" {
  description = "IRSA role of the loaders (loader.serviceAccount.roleArn)."
  value       = aws_iam_role.this["loader"].arn
}

output "secrets_role_arn" {
  description = "IRSA role of the External Secrets SecretStore (externalSecrets.secretStore.roleArn)."
  value       = aws_iam_role.this["secrets"].arn
}
