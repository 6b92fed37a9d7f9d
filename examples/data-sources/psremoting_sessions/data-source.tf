data "psremoting_sessions" "web1" {
  host = "web1.corp.example"
}

# Only the disconnected sessions of one endpoint, with the commands still running in them.
data "psremoting_sessions" "ops_away" {
  host               = "web1.corp.example"
  configuration_name = "Ops.Restricted"
  state              = "Disconnected"
}

output "disconnected_sessions" {
  value = { for s in data.psremoting_sessions.ops_away.sessions : s.name => s.running_commands }
}
