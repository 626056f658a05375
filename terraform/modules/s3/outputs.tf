output "bucket_name" {
  description = "The data-lake bucket."
  value       = aws_s3_bucket.data.id
}

output "bucket_arn" {
  description = "ARN of the data-lake bucket."
  value       = aws_s3_bucket.data.arn
}

output "staging_prefix" {
  description = "Prefix the workers stage under."
  value       = local.prefix
}

output "staging_url" {
  description = "BLOCKFLEET_STAGING_URL (the chart's config.stagingUrl)."
  value       = "s3://${aws_s3_bucket.data.id}/${local.prefix}"
}

output "lake_prefix" {
  description = "Prefix of the Parquet lake."
  value       = local.lake_prefix
}

output "lake_url" {
  description = "BLOCKFLEET_LAKE_URL (the chart's config.lakeUrl)."
  value       = "s3://${aws_s3_bucket.data.id}/${local.lake_prefix}"
}

output "logs_bucket_name" {
  description = "The access-log bucket."
  value       = aws_s3_bucket.logs.id
}
