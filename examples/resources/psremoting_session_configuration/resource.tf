# A constrained endpoint for operators, with its transport options.
resource "psremoting_session_configuration" "ops" {
  host                      = "web1.corp.example"
  name                      = "Ops.Restricted"
  idle_timeout_sec          = 3600
  max_idle_timeout_sec      = 7200
  output_buffering_mode     = "Drop"
  max_sessions_per_user     = 5
  max_concurrent_users      = 10
  max_memory_per_session_mb = 512
  startup_script            = "C:\\ProgramData\\Ops\\startup.ps1"
  security_descriptor_sddl  = "O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)"
}

# The built-in endpoint, adopted and tuned; destroying this resource only forgets it.
import {
  to = psremoting_session_configuration.builtin
  id = "web1.corp.example/microsoft.powershell"
}

resource "psremoting_session_configuration" "builtin" {
  host             = "web1.corp.example"
  name             = "microsoft.powershell"
  idle_timeout_sec = 5400
}

# A JEA endpoint: a session configuration file with role definitions; members of the group get the
# DnsOperator role capability (declared with psremoting_role_capability) and run as a virtual account.
resource "psremoting_session_configuration" "dns_jea" {
  host = "web1.corp.example"
  name = "Dns.Jea"

  configuration_file {
    session_type           = "RestrictedRemoteServer"
    run_as_virtual_account = true
    transcript_directory   = "C:\\ProgramData\\JEA\\Transcripts"
    role_definitions = {
      "CORP\\DnsOperators" = { role_capabilities = [psremoting_role_capability.dns.name] }
    }
    visible_cmdlets = [{ name = "Get-Date" }]
  }
}
