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
