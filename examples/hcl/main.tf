# The cdktf example (examples/cdktf/main.ts) in plain HCL: one constrained endpoint with transport
# options on every host, the built-in microsoft.powershell endpoint adopted and tuned, and a command run
# on each host once its endpoint is in place.
terraform {
  required_providers {
    psremoting = { source = "registry.psremoting.invalid/psremoting/psremoting" }
  }
}

variable "hosts" {
  description = "WS-Man endpoints (name, name:port, or http(s)://…/wsman) of the Windows hosts"
  type        = list(string)
}

variable "username" {
  type = string
}

variable "password" {
  type      = string
  sensitive = true
}

provider "psremoting" {
  auth     = "ntlm"
  username = var.username
  password = var.password
}

resource "psremoting_session_configuration" "ops" {
  for_each = toset(var.hosts)

  host                      = each.value
  name                      = "Ops.Restricted"
  idle_timeout_sec          = 3600
  max_idle_timeout_sec      = 7200
  output_buffering_mode     = "Drop"
  max_sessions_per_user     = 5
  max_concurrent_users      = 10
  max_memory_per_session_mb = 512
}

import {
  for_each = toset(var.hosts)
  to       = psremoting_session_configuration.builtin[each.value]
  id       = "${each.value}/microsoft.powershell"
}

resource "psremoting_session_configuration" "builtin" {
  for_each = toset(var.hosts)

  host             = each.value
  name             = "microsoft.powershell"
  idle_timeout_sec = 5400
}

# `echo` reads the same in cmd.exe and in the emulator's /bin/sh. depends_on waits for the endpoints of
# all hosts (HCL cannot name one for_each instance there); the cdktf CommandFleet waits per host.
resource "psremoting_command" "configured" {
  for_each = toset(var.hosts)

  host       = each.value
  shell      = "cmd"
  command    = "echo configured"
  depends_on = [psremoting_session_configuration.ops]
}

# On the first host, inside the constrained endpoint over PSRP: which endpoint the session runs in, and
# a long run in a disconnected session that the apply does not wait for (the next run collects it).
# Both wait for every endpoint: a WinRM restart ends the sessions running on the host.
resource "psremoting_command" "inside" {
  host               = var.hosts[0]
  configuration_name = "Ops.Restricted"
  command            = "\"endpoint: $($PSSenderInfo.ConfigurationName)\""
  depends_on         = [psremoting_session_configuration.ops, psremoting_session_configuration.builtin]
}

resource "psremoting_command" "patch" {
  host               = var.hosts[0]
  configuration_name = "Ops.Restricted"
  command            = "'patch started'; Start-Sleep 4; 'patch applied'"
  depends_on         = [psremoting_session_configuration.ops, psremoting_session_configuration.builtin]

  disconnected {
    idle_timeout_sec      = 3600
    output_buffering_mode = "Block"
    wait                  = false
  }
}

output "ops_reported_idle_timeout_ms" {
  value = { for h, c in psremoting_session_configuration.ops : h => c.reported["IdleTimeoutms"] }
}
