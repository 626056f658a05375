# IRSA roles, one per ServiceAccount, each with only what that tier does:
# workers write (and overwrite, and clean up) the staging prefix and the lake prefix, loaders read
# the staging prefix, and the
# External Secrets SecretStore reads BlockFleet's SSM parameters. The coordinator has none.

locals {
  # The prefixes workers write: staging, and the Parquet lake when there is one.
  worker_prefixes = compact([var.staging_prefix, trim(var.lake_prefix, "/")])
  roles = {
    worker  = var.worker_service_account
    loader  = var.loader_service_account
    secrets = var.secrets_service_account
  }
}

data "aws_iam_policy_document" "assume" {
  for_each = local.roles
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each             = local.roles
  name                 = "${var.name}-${each.key}"
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "worker" {
  statement {
    sid = "StageAndLakeFiles"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = [for prefix in local.worker_prefixes : "${var.bucket_arn}/${prefix}/*"]
  }
  statement {
    sid       = "ListStagingAndLakePrefixes"
    actions   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [var.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [for prefix in local.worker_prefixes : "${prefix}/*"]
    }
  }
  statement {
    sid       = "EncryptStagedFiles"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn]
    # Through S3 only: the key also guards the databases, SSM and logs.
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "loader" {
  statement {
    sid       = "ReadStagedFiles"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/${var.staging_prefix}/*"]
  }
  statement {
    sid       = "ListStagingPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.staging_prefix}/*"]
    }
  }
  statement {
    sid       = "DecryptStagedFiles"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "secrets" {
  statement {
    sid       = "ReadBlockFleetParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = var.ssm_parameter_arns
  }
  statement {
    sid       = "DecryptParameters"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    # Through SSM only: reading the parameters, not decrypting anything else under the key.
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = {
    worker  = data.aws_iam_policy_document.worker.json
    loader  = data.aws_iam_policy_document.loader.json
    secrets = data.aws_iam_policy_document.secrets.json
  }
  name   = "blockfleet-${each.key}"
  role   = aws_iam_role.this[each.key].id
  policy = each.value
}
