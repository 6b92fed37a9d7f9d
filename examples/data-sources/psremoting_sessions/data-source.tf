data "psremoting_sessions" "web1" {
  host = "web1.corp.example"
}

output "disconnected_sessions" {
  value = [for s in data.psremoting_sessions.web1.sessions : s.id if s.state == "Disconnected"]
}
