output "vpc_id" {
  description = "The VPC's id."
  value       = aws_vpc.this.id
}

output "cidr_block" {
  description = "The VPC's address range (the chart's networkPolicy.databaseCidrs)."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "Private subnets: EKS nodes, RDS, Redshift, bastion."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Public subnets (NAT gateways and internet-facing load balancers only)."
  value       = aws_subnet.public[*].id
}

output "private_route_table_ids" {
  description = "Route tables of the private subnets."
  value       = aws_route_table.private[*].id
}

output "s3_endpoint_id" {
  description = "The S3 gateway endpoint (the bucket policy may require it)."
  value       = aws_vpc_endpoint.s3.id
}
