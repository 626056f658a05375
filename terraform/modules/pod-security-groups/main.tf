# Security groups for pods (EKS, VPC CNI with ENABLE_POD_ENI): RDS and Redshift admit these
# groups, not the cluster's, so only the pods given one reach a database.
#   fleet:   the chart's SecurityGroupPolicy gives it to the coordinator, workers, loaders and the
#            migration Job (podSecurityGroups in terraform output chart_values);
#   readers: give it to KEDA's operator and Grafana with a SecurityGroupPolicy of your own in
#            their namespaces; they log in read-only (grafana_reader).
# The pods keep the cluster's group beside it (DNS, probes, geth), which allows all egress.

resource "aws_security_group" "this" {
  #checkov:skip=CKV2_AWS_5:Attached to pods, not to an AWS resource: the chart's SecurityGroupPolicy (vpcresources.k8s.aws) gives it to the fleet's pods, which checkov cannot see.
  for_each    = local.groups
  name        = "${var.name}-${each.key}-pods"
  description = each.value
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${each.key}-pods" })
}

locals {
  groups = {
    fleet   = "BlockFleet pods that reach the queue database and the warehouse"
    readers = "Read-only database clients: KEDA's operator, Grafana"
  }
  database_ports = {
    postgres = 5432
    redshift = 5439
  }
  egress = { for pair in setproduct(keys(local.groups), keys(local.database_ports)) : "${pair[0]}-${pair[1]}" => {
    group = pair[0]
    port  = local.database_ports[pair[1]]
  } }
}

# The databases are in the VPC's private subnets.
resource "aws_vpc_security_group_egress_rule" "databases" {
  for_each          = local.egress
  security_group_id = aws_security_group.this[each.value.group].id
  description       = "Database port ${each.value.port} in the VPC"
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
}
