# The whole AWS side of a BlockFleet deployment: network, bastion, EKS, the data-lake bucket,
# the queue database, the Redshift warehouse, IRSA roles and the SSM parameters the chart's
# External Secrets read. `terraform output -raw chart_values` is the Helm values file.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# S3's addresses in the region: the gateway endpoint routes to them, and the workers' and loaders'
# NetworkPolicies admit them (with the VPC's range, where the STS and SSM endpoints are).
data "aws_ip_ranges" "s3" {
  regions  = [var.region]
  services = ["s3"]
}

locals {
  name        = "blockfleet-${var.environment}"
  bucket_name = var.data_bucket_name != "" ? var.data_bucket_name : "blockfleet-${var.environment}-${data.aws_caller_identity.current.account_id}"
  ssm_path    = "/blockfleet/${var.environment}"
  # The chart's fullname is the release name when it contains "blockfleet", else <release>-blockfleet.
  fullname = strcontains(var.release_name, "blockfleet") ? var.release_name : "${var.release_name}-blockfleet"
}

# One customer-managed key for the bucket, the databases, EKS Secrets, volumes, logs and SSM.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_111:This is a KMS key policy: "*" as resource means this key only, and the account root statement is the default key policy that lets IAM policies grant use.
  #checkov:skip=CKV_AWS_356:This is a KMS key policy: "*" as resource means this key only.
  #checkov:skip=CKV_AWS_109:This is a KMS key policy: the account's own root principal administers its key (AWS's default key policy); IAM policies scope everything else.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid = "CloudWatchLogsEncrypt"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
    }
  }
}

resource "aws_kms_key" "main" {
  description             = "BlockFleet ${var.environment}: data, databases, secrets and logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.main.key_id
}

module "vpc" {
  source             = "../../modules/vpc"
  name               = local.name
  cidr_block         = var.vpc_cidr
  availability_zones = var.availability_zones
  single_nat_gateway = var.single_nat_gateway
  kms_key_arn        = aws_kms_key.main.arn
}

module "bastion" {
  source      = "../../modules/bastion"
  name        = local.name
  vpc_id      = module.vpc.vpc_id
  subnet_id   = module.vpc.private_subnet_ids[0]
  kms_key_arn = aws_kms_key.main.arn
}

module "eks" {
  source                       = "../../modules/eks"
  name                         = local.name
  kubernetes_version           = var.kubernetes_version
  vpc_id                       = module.vpc.vpc_id
  subnet_ids                   = module.vpc.private_subnet_ids
  endpoint_public_access_cidrs = var.api_public_access_cidrs
  admin_principal_arns         = var.cluster_admin_arns
  kms_key_arn                  = aws_kms_key.main.arn
  node_instance_types          = var.node_instance_types
  node_min_size                = var.node_min_size
  node_max_size                = var.node_max_size
}

# Staged CSV (expired) and the Parquet lake (never expired, moved to cheaper storage classes).
module "s3" {
  source         = "../../modules/s3"
  bucket_name    = local.bucket_name
  staging_prefix = var.staging_prefix
  kms_key_arn    = aws_kms_key.main.arn

  lake_prefix      = var.lake_prefix
  lake_transitions = var.lake_transitions
}

# The lake's Glue database and tables (Athena with partition projection), and Spectrum's role.
module "lake_catalog" {
  source               = "../../modules/lake-catalog"
  name                 = local.name
  region               = var.region
  database_name        = var.lake_database_name
  bucket_name          = module.s3.bucket_name
  bucket_arn           = module.s3.bucket_arn
  lake_prefix          = module.s3.lake_prefix
  create_spectrum_role = var.redshift_enabled
  kms_key_arn          = aws_kms_key.main.arn
}

# Security groups for pods: the databases admit the fleet's pods (and the read-only clients), not
# every pod of the cluster.
module "pod_security_groups" {
  source   = "../../modules/pod-security-groups"
  name     = local.name
  vpc_id   = module.vpc.vpc_id
  vpc_cidr = module.vpc.cidr_block
}

locals {
  database_clients = [
    module.pod_security_groups.fleet_security_group_id,
    module.pod_security_groups.readers_security_group_id,
    module.bastion.security_group_id,
  ]
}

module "rds" {
  source                     = "../../modules/rds"
  name                       = local.name
  vpc_id                     = module.vpc.vpc_id
  subnet_ids                 = module.vpc.private_subnet_ids
  allowed_security_group_ids = local.database_clients
  instance_class             = var.db_instance_class
  kms_key_arn                = aws_kms_key.main.arn
  deletion_protection        = var.deletion_protection
}

module "redshift" {
  source                     = "../../modules/redshift"
  count                      = var.redshift_enabled ? 1 : 0
  name                       = local.name
  vpc_id                     = module.vpc.vpc_id
  subnet_ids                 = module.vpc.private_subnet_ids
  allowed_security_group_ids = local.database_clients
  region                     = var.region
  node_type                  = var.redshift_node_type
  number_of_nodes            = var.redshift_nodes
  staging_bucket_arn         = module.s3.bucket_arn
  staging_prefix             = module.s3.staging_prefix
  kms_key_arn                = aws_kms_key.main.arn
  lake_prefix                = module.s3.lake_prefix
  additional_iam_role_arns   = [module.lake_catalog.spectrum_role_arn]
}

# One URL per tier; the warehouse is Redshift's or, without it, the queue database's warehouse schema.
module "ssm" {
  source                    = "../../modules/ssm"
  path                      = local.ssm_path
  migration_database_url    = module.rds.migration_database_url
  database_url              = module.rds.database_url
  readonly_database_url     = module.rds.readonly_database_url
  warehouse_url             = var.redshift_enabled ? module.redshift[0].warehouse_url : module.rds.loader_database_url
  model_warehouse_url       = var.redshift_enabled ? module.redshift[0].model_warehouse_url : module.rds.model_database_url
  warehouse_reader_password = var.redshift_enabled ? module.redshift[0].reader_password : module.rds.reader_password
  create_rpc_urls           = var.rpc_urls_in_ssm
  kms_key_arn               = aws_kms_key.main.arn
}

module "iam" {
  source                  = "../../modules/iam"
  name                    = local.name
  region                  = var.region
  oidc_provider_arn       = module.eks.oidc_provider_arn
  oidc_issuer             = module.eks.oidc_issuer
  namespace               = var.namespace
  worker_service_account  = "${local.fullname}-worker"
  loader_service_account  = "${local.fullname}-loader"
  secrets_service_account = "${local.fullname}-secrets"
  bucket_arn              = module.s3.bucket_arn
  staging_prefix          = module.s3.staging_prefix
  lake_prefix             = module.s3.lake_prefix
  kms_key_arn             = aws_kms_key.main.arn
  ssm_parameter_arns      = module.ssm.parameter_arns
}
