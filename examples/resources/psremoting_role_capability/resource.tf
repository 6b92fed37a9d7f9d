# A role capability in the ContosoJea module (created with a manifest when missing): DNS operators may
# restart the DNS service only, and read services.
resource "psremoting_role_capability" "dns" {
  host        = "web1.corp.example"
  module      = "ContosoJea"
  name        = "DnsOperator"
  description = "Restart and inspect DNS"
  visible_cmdlets = [
    { name = "Restart-Service", parameters = [{ name = "Name", validate_set = ["Dns"] }] },
    { name = "Get-Service" },
  ]
  function_definitions = {
    "Get-DnsLog" = "Get-WinEvent -LogName 'DNS Server' -MaxEvents 50"
  }
}
