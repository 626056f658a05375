output "cluster_name" {
  description = "For `aws eks update-kubeconfig --name <name>`."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "The API server's address."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_security_group_id" {
  description = "The EKS-managed security group of the control plane, the nodes and pods without a SecurityGroupPolicy; the fleet's pods keep it beside their own. The databases do not admit it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "The IRSA identity provider."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "The issuer URL without https:// (the IRSA trust condition's key prefix)."
  value       = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
}
