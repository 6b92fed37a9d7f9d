locals {
  inventory = <<-EOT
    Get-CimInstance Win32_OperatingSystem |
      Select-Object Caption, Version, LastBootUpTime |
      Export-Csv C:\Inventory\os.csv -NoTypeInformation
  EOT
}

output "encoded" {
  value = provider::psremoting::encode_command("Get-Service WinRM | Select-Object Status")
}

# A scheduled task that runs a multi-line script with no quoting trouble.
resource "psremoting_command" "task" {
  host    = "web1.corp.example"
  shell   = "cmd"
  command = "schtasks /create /f /tn Inventory /sc daily /st 02:00 /tr \"powershell.exe -NoProfile -EncodedCommand ${provider::psremoting::encode_command(local.inventory)}\""
}
