# The secrets BlockFleet needs, as SecureString parameters encrypted with the project's key: one
# database URL per tier (docs/deploy.md, "Database roles"), and the nodes' URLs. The External
# Secrets Operator copies them into the Kubernetes Secret the chart reads.

locals {
  # Keys are known at plan time (a for_each over the keys of sensitive values would not be); the
  # values are secret. Each key is the chart's Secret key.
  keys = ["migration-database-url", "database-url", "readonly-database-url", "warehouse-url", "model-warehouse-url", "warehouse-reader-password"]
  values = {
    # The owner's login: the migration Job only.
    "migration-database-url" = var.migration_database_url
    # The queue role: coordinator, workers, loaders.
    "database-url" = var.database_url
    # Read-only: KEDA's trigger and Grafana.
    "readonly-database-url" = var.readonly_database_url
    # The loader role, and the model role (warehouse only, no queue access).
    "warehouse-url"       = var.warehouse_url
    "model-warehouse-url" = var.model_warehouse_url
    # Grafana's warehouse datasource (grafana_reader on the warehouse).
    "warehouse-reader-password" = var.warehouse_reader_password
  }
}

resource "aws_ssm_parameter" "this" {
  for_each    = toset(local.keys)
  name        = "${var.path}/${each.key}"
  description = "BlockFleet ${each.key}"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = local.values[each.key]
  tags        = var.tags
}

# The nodes' URLs (BLOCKFLEET_RPC_URLS, comma-separated): hosted nodes keep API keys in them, so
# Terraform only makes the parameter and never holds the value (nor its state). Put it with
#   aws ssm put-parameter --overwrite --type SecureString --name <path>/rpc-urls --value 'https://…'
# Until then the pods refuse the placeholder, naming BLOCKFLEET_RPC_URLS.
resource "aws_ssm_parameter" "rpc_urls" {
  count       = var.create_rpc_urls ? 1 : 0
  name        = "${var.path}/rpc-urls"
  description = "BlockFleet rpc-urls: JSON-RPC node URLs, comma-separated (set outside Terraform)"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = "unset: aws ssm put-parameter --overwrite --name ${var.path}/rpc-urls"
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}
