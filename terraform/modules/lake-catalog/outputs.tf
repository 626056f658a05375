output "database_name" {
  description = "The Glue database of the lake's tables (Athena's database; Spectrum's external schema)."
  value       = aws_glue_catalog_database.lake.name
}

output "table_names" {
  description = "The lake's tables, one per entity."
  value       = sort([for table in aws_glue_catalog_table.entity : table.name])
}

output "spectrum_role_arn" {
  description = "IAM role of Redshift Spectrum's external schema (empty without create_spectrum_role); attach it to the cluster."
  value       = var.create_spectrum_role ? aws_iam_role.spectrum[0].arn : ""
}

output "spectrum_ddl_command" {
  description = "The command printing the Spectrum schema and a day's partitions for these tables (run its output in Redshift as the master user)."
  value       = "coordinator lake ddl --dialect spectrum --glue-tables-exist --location ${local.lake_root} --database ${aws_glue_catalog_database.lake.name}${var.create_spectrum_role ? " --iam-role ${aws_iam_role.spectrum[0].arn}" : ""} --from-date YYYY-MM-DD --to-date YYYY-MM-DD"
}
