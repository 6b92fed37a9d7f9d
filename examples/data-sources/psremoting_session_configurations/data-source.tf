data "psremoting_session_configurations" "web1" {
  host = "web1.corp.example"
}

output "endpoint_names" {
  value = [for c in data.psremoting_session_configurations.web1.configurations : c.name]
}
