# The secrets BlockFleet needs, as SecureString parameters encrypted with the project's key.
# The External Secrets Operator copies them into the Kubernetes Secret the chart reads.

locals {
  # Keys are known at plan time; the values are secret.
  keys = concat(["database-url", "keda-connection"], var.store_warehouse_url ? ["warehouse-url"] : [])
  values = {
    "database-url" = var.database_url
    # KEDA's postgresql trigger gets a plain URL (the database URL carries no BlockFleet-only parameters here).
    "keda-connection" = var.database_url
    "warehouse-url"   = var.warehouse_url
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
