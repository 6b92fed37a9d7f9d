terraform {
  required_providers {
    psremoting = { source = "registry.psremoting.invalid/psremoting/psremoting" }
  }
}

# NTLM over http (messages sealed); the credentials may also come from
# PSREMOTING_USERNAME / PSREMOTING_PASSWORD.
provider "psremoting" {
  auth     = "ntlm"
  username = "CORP\\svc-terraform"
  password = var.winrm_password
}

# Certificate authentication over https with the listener's private CA.
provider "psremoting" {
  alias            = "cert"
  auth             = "certificate"
  scheme           = "https"
  ca_file          = "${path.module}/winrm-ca.pem"
  client_cert_file = "${path.module}/terraform-client.pem"
  client_key_file  = "${path.module}/terraform-client.key"
}

variable "winrm_password" {
  type      = string
  sensitive = true
}
