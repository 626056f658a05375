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

# The chart's values for this environment, so `helm install` needs nothing typed by hand:
#   terraform output -raw chart_values > values-example.yaml
#   helm install blockfleet helm/blockfleet -n blockfleet --create-namespace -f values-example.yaml
# No secret is in it: the URLs reach the pods from SSM through External Secrets.
output "chart_values" {
  description = "Helm values for helm/blockfleet wired to these resources (YAML)."
  value = yamlencode({
    config = {
      stagingUrl      = module.s3.staging_url
      awsRegion       = var.region
      redshiftIamRole = var.redshift_enabled ? module.redshift[0].copy_role_arn : ""
    }
    externalSecrets = {
      enabled = true
      parameters = {
        databaseUrl    = module.ssm.parameter_names["database-url"]
        warehouseUrl   = var.redshift_enabled ? module.ssm.parameter_names["warehouse-url"] : ""
        kedaConnection = module.ssm.parameter_names["keda-connection"]
      }
      secretStore = {
        create  = true
        roleArn = module.iam.secrets_role_arn
        region  = var.region
      }
    }
    secrets = {
      kedaConnectionKey = "keda-connection"
    }
    worker = {
      serviceAccount = { create = true, roleArn = module.iam.worker_role_arn }
    }
    loader = {
      serviceAccount = { create = true, roleArn = module.iam.loader_role_arn }
    }
    networkPolicy = {
      databaseCidrs = [module.vpc.cidr_block]
    }
  })
}
