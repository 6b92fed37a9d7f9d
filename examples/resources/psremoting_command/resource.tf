# A PowerShell script (sent with -EncodedCommand), run again when the file it installs goes missing.
resource "psremoting_command" "agent" {
  host          = "web1.corp.example"
  command       = "Copy-Item \\\\files\\agent\\agent.exe C:\\Agent\\agent.exe -Force"
  check_command = "if (-not (Test-Path C:\\Agent\\agent.exe)) { exit 1 }"
  triggers      = { version = "4.2.0" }
  timeout_sec   = 120
}

# A cmd.exe command line.
resource "psremoting_command" "configured" {
  host    = "web1.corp.example"
  shell   = "cmd"
  command = "echo configured"
}

# Inside a constrained (JEA) endpoint, as Invoke-Command -ConfigurationName does; the output objects
# come back as JSON too.
resource "psremoting_command" "services" {
  host               = "web1.corp.example"
  configuration_name = "Ops.Restricted"
  command            = "Get-Service -Name W3SVC | Select-Object Name, Status"
}

output "w3svc_status" {
  value = jsondecode(psremoting_command.services.output_json)[0].Status
}

# A long patch run in a disconnected session: it outlives the apply (and a killed terraform); once it
# ended, the next plan shows its outputs changing and that apply collects them (status "completed").
resource "psremoting_command" "patch" {
  host               = "web1.corp.example"
  configuration_name = "Ops.Restricted"
  command            = "Install-Patch -All"
  triggers           = { window = "2026-12" }
  timeout_sec        = 3600

  disconnected {
    idle_timeout_sec      = 7200
    output_buffering_mode = "Block"
    wait                  = false
  }
}
