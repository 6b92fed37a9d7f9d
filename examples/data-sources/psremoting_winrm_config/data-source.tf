data "psremoting_winrm_config" "web1" {
  host = "web1.corp.example"
}

# The host-wide cap every endpoint's max_sessions_per_user is bounded by.
output "winrs_max_shells_per_user" {
  value = data.psremoting_winrm_config.web1.winrs["MaxShellsPerUser"]
}
