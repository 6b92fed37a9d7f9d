# A walkthrough against the emulator, runnable as is (README: "Try it against the emulator"):
#   npm run emulator -- --hosts 2 --port-base 55985
#   export TF_CLI_CONFIG_FILE=$PWD/.terraformrc
#   cd examples/walkthrough && terraform init && terraform apply
terraform {
  required_providers {
    psremoting = { source = "registry.psremoting.invalid/psremoting/psremoting" }
  }
}

variable "port_base" {
  description = "The emulator's --port-base: win1 listens on it, win2 on the next port, the control API on the one after."
  type        = number
  default     = 55985
}

locals {
  # The emulated hosts by name. On a real network these are host names (win1, win1.corp.example:5985,
  # https://win1.corp.example:5986/wsman); the emulator's hosts all live on 127.0.0.1, one port each.
  hosts = {
    win1 = "127.0.0.1:${var.port_base}"
    win2 = "127.0.0.1:${var.port_base + 1}"
  }
}

provider "psremoting" {
  # The emulator's account (add others with --user NAME:PASSWORD). For real hosts keep credentials out of
  # the configuration: PSREMOTING_USERNAME and PSREMOTING_PASSWORD.
  username            = "vagrant"
  password            = "vagrant"
  restart_timeout_sec = 60
}

# One constrained endpoint per host.
resource "psremoting_session_configuration" "ops" {
  for_each = local.hosts

  host                  = each.value
  name                  = "Ops.Restricted"
  idle_timeout_sec      = 3600
  max_idle_timeout_sec  = 7200
  output_buffering_mode = "Drop"
  max_sessions_per_user = 5
}

# A command per host, after that host's endpoint.
resource "psremoting_command" "hello" {
  for_each = local.hosts

  host       = each.value
  shell      = "cmd"
  command    = "echo hello from ${each.key}"
  depends_on = [psremoting_session_configuration.ops]
}

output "hello" {
  value = { for name, c in psremoting_command.hello : name => trimspace(c.stdout) }
}

output "ops_idle_timeout_ms" {
  value = { for name, ep in psremoting_session_configuration.ops : name => ep.reported["IdleTimeoutms"] }
}
