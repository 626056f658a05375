output "cluster_name" {
  description = "aws eks update-kubeconfig --region <region> --name <cluster_name>"
  value       = module.eks.cluster_name
}

output "bastion_instance_id" {
  description = "aws ssm start-session --target <id> (port forwarding to RDS or Redshift: AWS-StartPortForwardingSessionToRemoteHost)."
  value       = module.bastion.instance_id
}

output "database_address" {
  description = "Host name of the queue database."
  value       = module.rds.address
}

output "redshift_endpoint" {
  description = "Host name of the Redshift cluster (empty without one)."
  value       = var.redshift_enabled ? module.redshift[0].endpoint : ""
}

output "staging_url" {
  description = "BLOCKFLEET_STAGING_URL."
  value       = module.s3.staging_url
}

output "lake_url" {
  description = "BLOCKFLEET_LAKE_URL: the Parquet lake."
  value       = module.s3.lake_url
}

output "lake_database" {
  description = "Glue database of the lake's tables: query them in Athena; Spectrum's external schema reads it."
  value       = module.lake_catalog.database_name
}

output "spectrum_ddl_command" {
  description = "Prints the Redshift Spectrum external schema and a day's partitions over the Glue tables (docs/lake.md)."
  value       = module.lake_catalog.spectrum_ddl_command
}

output "readers_security_group_id" {
  description = "Security group admitted to the databases for read-only clients: give it (and the cluster's) to KEDA's operator and Grafana with a SecurityGroupPolicy."
  value       = module.pod_security_groups.readers_security_group_id
}

# psql's settings for roles.sql (docs/deploy.md, "Database roles"): the master URLs and every
# login's password. Never printed unless asked for: eval "$(terraform output -raw database_roles_env)"
output "database_roles_env" {
  description = "Shell exports for applying terraform/modules/rds/roles.sql (and redshift/roles.sql) with psql."
  value = join("", concat(
    [module.rds.roles_env],
    var.redshift_enabled ? [module.redshift[0].roles_env, "export BLOCKFLEET_REDSHIFT_COPY_ROLE='${module.redshift[0].copy_role_arn}'\n"] : [],
  ))
  sensitive = true
}

# The chart's values for this environment, so `helm install` needs nothing typed by hand:
#   terraform output -raw chart_values > values-example.yaml
#   helm install blockfleet helm/blockfleet -n blockfleet --create-namespace -f values-example.yaml
# No secret is in it: the URLs reach the pods from SSM through External Secrets.
output "chart_values" {
  description = "Helm values for helm/blockfleet wired to these resources (YAML)."
  value = yamlencode({
    config = {
      stagingUrl      = module.s3.staging_url
      lakeUrl         = module.s3.lake_url
      awsRegion       = var.region
      redshiftIamRole = var.redshift_enabled ? module.redshift[0].copy_role_arn : ""
    }
    externalSecrets = {
      enabled = true
      parameters = {
        migrationDatabaseUrl = module.ssm.parameter_names["migration-database-url"]
        databaseUrl          = module.ssm.parameter_names["database-url"]
        readonlyDatabaseUrl  = module.ssm.parameter_names["readonly-database-url"]
        warehouseUrl         = module.ssm.parameter_names["warehouse-url"]
        modelWarehouseUrl    = module.ssm.parameter_names["model-warehouse-url"]
        rpcUrls              = var.rpc_urls_in_ssm ? module.ssm.parameter_names["rpc-urls"] : ""
      }
      secretStore = {
        create  = true
        roleArn = module.iam.secrets_role_arn
        region  = var.region
      }
    }
    worker = {
      serviceAccount = { create = true, roleArn = module.iam.worker_role_arn }
    }
    loader = {
      serviceAccount = { create = true, roleArn = module.iam.loader_role_arn }
    }
    networkPolicy = {
      databaseCidrs = [module.vpc.cidr_block]
      httpsCidrs    = concat([module.vpc.cidr_block], data.aws_ip_ranges.s3.cidr_blocks)
      rpcCidrs      = var.rpc_cidrs
    }
    podSecurityGroups = {
      enabled  = true
      groupIds = [module.pod_security_groups.fleet_security_group_id, module.eks.cluster_security_group_id]
    }
  })
}

output "grafana_reader_password_parameter" {
  description = "SSM parameter holding grafana_reader's warehouse password (the chart's warehouseDatasource.passwordEnv in Grafana's pod)."
  value       = module.ssm.parameter_names["warehouse-reader-password"]
}
