# The lake's catalog: a Glue database with one table per entity over the Parquet lake, with
# partition projection on block_date so Athena needs no crawler, and the IAM role Redshift
# Spectrum's external schema reads the lake with.
#
# The tables come from tables.json, which is `coordinator lake ddl --dialect glue` committed (a
# test checks it equals what the command prints): the same schema the export writes.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  catalog     = jsondecode(file("${path.module}/tables.json"))
  lake_prefix = trim(var.lake_prefix, "/")
  lake_root   = "s3://${var.bucket_name}/${local.lake_prefix}"
  projection_range = var.projection_range_start == null ? {} : {
    "projection.block_date.range" = "${var.projection_range_start},NOW"
  }
  glue_arn = "arn:${data.aws_partition.current.partition}:glue:${var.region}:${data.aws_caller_identity.current.account_id}"
}

resource "aws_glue_catalog_database" "lake" {
  name        = var.database_name
  description = "BlockFleet's Parquet lake: one table per entity, partitioned by block_date (UTC)."
  tags        = var.tags
}

resource "aws_glue_catalog_table" "entity" {
  for_each      = local.catalog.tables
  name          = each.key
  database_name = aws_glue_catalog_database.lake.name
  description   = "BlockFleet ${each.key}: ${local.lake_root}/${each.key}/block_date=YYYY-MM-DD/*.parquet"
  table_type    = "EXTERNAL_TABLE"

  # Athena computes each day's folder (projection); Spectrum ignores projection and reads the
  # partitions added with `coordinator lake ddl --dialect spectrum --glue-tables-exist`.
  parameters = merge(
    { EXTERNAL = "TRUE", classification = "parquet" },
    { for key, value in local.catalog.projection : key => replace(value, "{folder}", "${local.lake_root}/${each.key}/") },
    local.projection_range,
  )

  dynamic "partition_keys" {
    for_each = local.catalog.partition_keys
    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }

  storage_descriptor {
    location      = "${local.lake_root}/${each.key}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}

# Redshift Spectrum: reads the lake (read-only) and the catalog; may add partitions to the lake's
# tables (ALTER TABLE … ADD PARTITION), nothing else.
data "aws_iam_policy_document" "spectrum_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
    # Only Redshift acting for this account (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "spectrum" {
  count              = var.create_spectrum_role ? 1 : 0
  name               = "${var.name}-redshift-spectrum"
  assume_role_policy = data.aws_iam_policy_document.spectrum_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "spectrum" {
  statement {
    sid       = "ReadLakeFiles"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/${local.lake_prefix}/*"]
  }
  statement {
    sid       = "ListLake"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.lake_prefix}/*"]
    }
  }
  statement {
    sid       = "DecryptLakeFiles"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
  statement {
    sid = "ReadLakeCatalog"
    actions = [
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetTable",
      "glue:GetTables",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
    ]
    resources = [
      "${local.glue_arn}:catalog",
      "${local.glue_arn}:database/${aws_glue_catalog_database.lake.name}",
      "${local.glue_arn}:table/${aws_glue_catalog_database.lake.name}/*",
    ]
  }
  statement {
    sid       = "AddLakePartitions"
    actions   = ["glue:CreatePartition", "glue:BatchCreatePartition"]
    resources = [
      "${local.glue_arn}:catalog",
      "${local.glue_arn}:database/${aws_glue_catalog_database.lake.name}",
      "${local.glue_arn}:table/${aws_glue_catalog_database.lake.name}/*",
    ]
  }
}

resource "aws_iam_role_policy" "spectrum" {
  count  = var.create_spectrum_role ? 1 : 0
  name   = "read-lake"
  role   = aws_iam_role.spectrum[0].id
  policy = data.aws_iam_policy_document.spectrum.json
}
