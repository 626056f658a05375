# Redshift for the warehouse: private, encrypted, TLS required, enhanced VPC routing (COPY
# reaches S3 through the VPC's gateway endpoint), audit logs in CloudWatch, and an IAM role
# that COPY assumes to read the staged files (BLOCKFLEET_REDSHIFT_IAM_ROLE). The master user is
# for roles.sql only: loaders, the model stage and Grafana log in as their own users.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

# One login per tier (roles.sql): the loader, the model stage, and Grafana's read-only user.
resource "random_password" "login" {
  for_each    = local.logins
  length      = 40
  special     = false
  min_upper   = 2
  min_lower   = 2
  min_numeric = 2
}

locals {
  logins = {
    loader = "blockfleet_loader_login"
    model  = "blockfleet_model_login"
    reader = "grafana_reader"
  }
  # verify-full: the cluster's certificate must chain to the Redshift CA bundle the image ships.
  tls = "sslmode=verify-full&sslrootcert=${var.ca_bundle_path}"
}

resource "random_password" "master" {
  # Letters and digits only (Redshift needs upper, lower and a digit); it goes into a URL.
  length      = 40
  special     = false
  min_upper   = 2
  min_lower   = 2
  min_numeric = 2
}

resource "aws_redshift_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redshift"
  description = "Redshift from the fleet's pods, the read-only clients and the bastion only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-redshift" })
}

resource "aws_vpc_security_group_ingress_rule" "redshift" {
  for_each                     = toset(var.allowed_security_group_ids)
  security_group_id            = aws_security_group.this.id
  description                  = "Redshift from ${each.value}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5439
  to_port                      = 5439
}

# COPY goes to S3 over the VPC (enhanced VPC routing).
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to S3 through the gateway endpoint"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_redshift_parameter_group" "this" {
  name   = "${var.name}-params"
  family = "redshift-1.0"
  tags   = var.tags

  parameter {
    name  = "require_ssl"
    value = "true"
  }
  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }
}

data "aws_iam_policy_document" "copy_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
    # Only Redshift acting for this account (confused deputy): another account's cluster that
    # learnt the role's ARN cannot have it read the staged files.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "copy" {
  name               = "${var.name}-redshift-copy"
  assume_role_policy = data.aws_iam_policy_document.copy_assume.json
  tags               = var.tags
}

# COPY reads the staged files and, with BLOCKFLEET_REDSHIFT_COPY_FROM=lake, the lake's Parquet
# files (read-only; the COPY manifests stay under the staging prefix).
locals {
  copy_prefixes = compact([var.staging_prefix, trim(var.lake_prefix, "/")])
}

data "aws_iam_policy_document" "copy" {
  statement {
    sid       = "ReadStagedAndLakeFiles"
    actions   = ["s3:GetObject"]
    resources = [for prefix in local.copy_prefixes : "${var.staging_bucket_arn}/${prefix}/*"]
  }
  statement {
    sid       = "ListStagedAndLakeFiles"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.staging_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [for prefix in local.copy_prefixes : "${prefix}/*"]
    }
  }
  statement {
    sid       = "DecryptStagedFiles"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    # Only for S3 reading the staged files, not any ciphertext under this key.
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "copy" {
  name   = "read-staged-files"
  role   = aws_iam_role.copy.id
  policy = data.aws_iam_policy_document.copy.json
}

resource "aws_redshift_cluster" "this" {
  #checkov:skip=CKV_AWS_71:Audit logging is on, through the aws_redshift_logging resource below (CloudWatch), which checkov does not follow.
  cluster_identifier = var.name
  database_name      = var.database_name
  master_username    = var.username
  master_password    = random_password.master.result
  node_type          = var.node_type
  cluster_type       = var.number_of_nodes > 1 ? "multi-node" : "single-node"
  number_of_nodes    = var.number_of_nodes
  port               = 5439

  cluster_subnet_group_name    = aws_redshift_subnet_group.this.name
  vpc_security_group_ids       = [aws_security_group.this.id]
  cluster_parameter_group_name = aws_redshift_parameter_group.this.name
  publicly_accessible          = false
  enhanced_vpc_routing         = true

  encrypted  = true
  kms_key_id = var.kms_key_arn

  iam_roles            = concat([aws_iam_role.copy.arn], var.additional_iam_role_arns)
  default_iam_role_arn = aws_iam_role.copy.arn

  automated_snapshot_retention_period = var.snapshot_retention_days
  allow_version_upgrade               = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name}-final"

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "audit" {
  for_each          = toset(["connectionlog", "userlog", "useractivitylog"])
  name              = "/aws/redshift/cluster/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_redshift_logging" "this" {
  cluster_identifier   = aws_redshift_cluster.this.cluster_identifier
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "userlog", "useractivitylog"]
  depends_on           = [aws_cloudwatch_log_group.audit]
}
