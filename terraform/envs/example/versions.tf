terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 7.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5, < 4.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = ">= 4.0, < 5.0"
    }
  }

  # State holds the generated database passwords: keep it in an encrypted, private bucket, e.g.
  #   terraform init -backend-config="bucket=…" -backend-config="key=blockfleet/example.tfstate" \
  #                  -backend-config="region=…" -backend-config="encrypt=true"
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "blockfleet"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
